/**
 * manifest.json: everything a deployer needs, per pipeline — topics to create, subjects to register,
 * connectors, the Flink job — with the dependencies between them and a content hash per item, so a deploy
 * can tell what changed. Versioned and validated with zod on write and on read.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { stableStringify } from '../compiler/schemas/fingerprint.ts';
import { flinkLineSchema } from '../stdlib/flink-lines.ts';

export const MANIFEST_VERSION = 1;

const hash = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const itemId = z.string().regex(/^(topic|subject|connector|job):.+$/);

export const topicSchema = z.object({
  id: itemId,
  name: z.string().min(1),
  partitions: z.number().int().positive(),
  replication: z.number().int().positive(),
  configs: z.record(z.string(), z.string()),
  hash,
}).strict();

export const subjectSchema = z.object({
  id: itemId,
  subject: z.string().min(1),
  schemaType: z.enum(['AVRO', 'JSON', 'PROTOBUF']),
  schema: z.string().min(1),
  /** The compatibility level to set on the subject; absent means the registry's default. */
  compatibility: z.string().optional(),
  dependsOn: z.array(itemId),
  hash,
}).strict();

export const connectorSchema = z.object({
  id: itemId,
  name: z.string().min(1),
  kind: z.enum(['source', 'sink']),
  /** Path of the connector's config JSON, relative to the build folder. */
  config: z.string().min(1),
  /** `${pipec:…}` names the config needs filled in at deploy time (secrets stay config-provider references). */
  placeholders: z.array(z.string()),
  dependsOn: z.array(itemId),
  hash,
}).strict();

export const jobSchema = z.object({
  id: itemId,
  name: z.string().min(1),
  flinkVersion: flinkLineSchema,
  /** The job: SETs, tables, views and `EXECUTE STATEMENT SET` (relative to the build folder). */
  sql: z.string().min(1),
  /** The same job ending in `COMPILE PLAN`, which the deployer runs to obtain a plan with stable operator ids. */
  compilePlanSql: z.string().min(1),
  /** `${pipec:…}` names the job needs filled in at deploy time. */
  placeholders: z.array(z.string()),
  /** Sources read and sinks written, for the state-compatibility check of upgrades. */
  reads: z.array(z.string()),
  writes: z.array(z.string()),
  dependsOn: z.array(itemId),
  hash,
}).strict();

export const pipelineManifestSchema = z.object({
  name: z.string().min(1),
  file: z.string().min(1),
  owner: z.string().optional(),
  topics: z.array(topicSchema),
  subjects: z.array(subjectSchema),
  connectors: z.array(connectorSchema),
  job: jobSchema,
}).strict();

export const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  generator: z.string(),
  project: z.string(),
  environment: z.string(),
  pipelines: z.array(pipelineManifestSchema),
}).strict();

export type Manifest = z.infer<typeof manifestSchema>;
export type PipelineManifest = z.infer<typeof pipelineManifestSchema>;
export type TopicItem = z.infer<typeof topicSchema>;
export type SubjectItem = z.infer<typeof subjectSchema>;
export type ConnectorItem = z.infer<typeof connectorSchema>;
export type JobItem = z.infer<typeof jobSchema>;

/** Content hash of an item: sha256 over its canonical JSON (keys sorted), without the hash itself. */
export function contentHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(stableStringify(value)).digest('hex')}`;
}

