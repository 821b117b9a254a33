/**
 * Deploys the compiled example project: `pipec compile` first (it writes ../build), then `pulumi up`.
 * Endpoints come from the stack's config, secrets from `pulumi config set --secret`.
 */
import * as pulumi from '@pulumi/pulumi';
import { PipelineStack } from 'pipec/deploy';

const config = new pulumi.Config('pipec');
const buildDir = config.get('buildDir') ?? new URL('../build', import.meta.url).pathname;

const stack = new PipelineStack('lendwell', {
  buildDir,
  pipelines: config.getObject<string[]>('pipelines'),
  kafka: { bootstrapServers: config.require('kafkaBootstrapServers') },
  registry: { url: config.require('registryUrl') },
  connect: { url: config.require('connectUrl') },
  flink: {
    sqlGatewayUrl: config.require('sqlGatewayUrl'),
    restUrl: config.require('flinkRestUrl'),
    planDir: config.require('planDir'),
    savepointDir: config.get('savepointDir'),
  },
  // `${pipec:secret.<name>}` values and other placeholders the build lists in manifest.json.
  values: config.getObject<Record<string, string>>('values') ?? {},
  allowStateReset: config.getBoolean('allowStateReset') ?? false,
});

export const jobIds = stack.jobIds;
export const restoredFrom = stack.restoredFrom;
export const savepoints = stack.savepoints;
export const connectorStates = stack.connectorStates;
