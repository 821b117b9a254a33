/**
 * The outputs of each deployer resource that may hold a secret: a filled placeholder (`secret('name')`, a Kafka
 * client property), a connection's password, a URL's user info. Pulumi keeps them encrypted in its state
 * (`additionalSecretOutputs` in providers.ts); `pipec local deploy` stores no value of them in its state file
 * (compiler/cli/local/deploy-state.ts). One list for both.
 */
import type { ConnectorOutputs } from './impl/connector.ts';
import type { JobOutputs } from './impl/job.ts';
import type { SubjectOutputs } from './impl/subject.ts';
import type { TopicOutputs } from './impl/topic.ts';

export const SECRET_OUTPUTS = {
  topic: ['sasl'],
  subject: ['registryUrl'],
  connector: ['config'],
  job: ['placeholders', 'statements'],
} as const satisfies {
  readonly topic: readonly (keyof TopicOutputs)[];
  readonly subject: readonly (keyof SubjectOutputs)[];
  readonly connector: readonly (keyof ConnectorOutputs)[];
  readonly job: readonly (keyof JobOutputs)[];
};

export type SecretOutput<K extends keyof typeof SECRET_OUTPUTS> = (typeof SECRET_OUTPUTS)[K][number];
