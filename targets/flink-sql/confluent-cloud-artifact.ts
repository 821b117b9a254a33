/**
 * `<pipeline>/confluent-cloud.json`: what a pipeline's job is on Confluent Cloud for Apache Flink, for the
 * deployer's Confluent Cloud flavour. There the tables are the cluster's topics (catalog = environment,
 * database = cluster), so there is no CREATE TABLE: a job is one statement, plus the ALTER TABLE statements
 * that give the topics it reads the columns and watermark the pipeline declares. SQL is kept as lines, so a
 * change reads as a diff in review. Validated with zod on write and on read.
 */
import { z } from 'zod';

export const CONFLUENT_CLOUD_ARTIFACT_VERSION = 1;

const lines = z.array(z.string());

export const tableChangeSchema = z.object({
  /** The topic whose table changes. */
  table: z.string().min(1),
  /**
   * What of the table the change sets: `watermark`, `column <name>` or `options`. Two pipelines giving one
   * target of one table different statements conflict (the table is shared by everything reading the topic).
   */
  target: z.string().min(1),
  statement: lines,
}).strict();

export const confluentCloudArtifactSchema = z.object({
  version: z.literal(CONFLUENT_CLOUD_ARTIFACT_VERSION),
  pipeline: z.string().min(1),
  /** Statement properties from the pipeline's settings (`sql.state-ttl`, …); the deployer adds catalog and database. */
  properties: z.record(z.string(), z.string()),
  /** ALTER TABLE statements to run, in order, before the job's statement. */
  tableChanges: z.array(tableChangeSchema),
  /** The job: `EXECUTE STATEMENT SET` over the topics, views inlined as WITH items. Empty when unsupported. */
  statement: lines,
  /** Why the pipeline cannot run on Confluent Cloud as compiled (empty when it can). */
  unsupported: z.array(z.string()),
}).strict();

export type ConfluentCloudArtifact = z.infer<typeof confluentCloudArtifactSchema>;
export type TableChange = z.infer<typeof tableChangeSchema>;

/** The statement text of a change or a job, as sent. */
export function statementText(statementLines: readonly string[]): string {
  return statementLines.join('\n');
}
