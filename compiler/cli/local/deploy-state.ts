/**
 * What `pipec local deploy` applied to the local stack: the outputs of each deployer call by manifest item id,
 * and the build they came from (produce and tail read its plans). It lives in the stack's data folder, so
 * `pipec local down` deletes it with the topics, subjects and jobs it describes. Edge (a file).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ConnectorOutputs } from '../../../deploy/impl/connector.ts';
import type { JobOutputs } from '../../../deploy/impl/job.ts';
import type { SubjectOutputs } from '../../../deploy/impl/subject.ts';
import type { TopicOutputs } from '../../../deploy/impl/topic.ts';

export type Applied =
  | { readonly kind: 'topic'; readonly outputs: TopicOutputs }
  | { readonly kind: 'subject'; readonly outputs: SubjectOutputs }
  | { readonly kind: 'connector'; readonly outputs: ConnectorOutputs }
  | { readonly kind: 'job'; readonly outputs: JobOutputs };

export interface DeployState {
  readonly version: 1;
  /** The build folder last deployed (absolute). */
  readonly buildDir: string;
  readonly items: Readonly<Record<string, Applied>>;
}

// The outputs are the deployer's own records, written by this module: their shape is checked by kind only.
const stateSchema = z.object({
  version: z.literal(1),
  buildDir: z.string(),
  items: z.record(z.string(), z.object({ kind: z.enum(['topic', 'subject', 'connector', 'job']), outputs: z.record(z.string(), z.unknown()) })),
});

export function deployStateFile(stackDir: string): string {
  return join(stackDir, 'data', 'deploy.json');
}

export function readDeployState(file: string): DeployState | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? (parsed.data as unknown as DeployState) : undefined;
}

export function writeDeployState(file: string, state: DeployState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}
