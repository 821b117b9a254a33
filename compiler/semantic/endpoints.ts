/**
 * Which systems a source can read and a sink can write, the subjects a source's schemas come from, and the
 * names pipec gives topics, tables, consumer groups and transactions. Shared by the binder, the driver (which
 * resolves the subjects before binding), the check of external names and code generation.
 */
import type * as A from '../ast/nodes.ts';
import type { Connection } from '../config/schema.ts';
import type { Format } from './bound.ts';
import type { Span } from '../source/source.ts';
import { boundedName, MAX_TOPIC_NAME } from '../util/names.ts';
import { ownEntry } from '../util/own.ts';

export const SOURCE_SYSTEMS = { kafka: 'topic', postgres: 'table', mysql: 'table' } as const;
export const SINK_SYSTEMS = { kafka: 'topic', postgres: 'table', mysql: 'table', s3: 'path', elasticsearch: 'index', opensearch: 'index', connector: undefined } as const;
export const FORMATS: readonly Format[] = ['avro', 'json', 'protobuf', 'raw'];

export const valueFormatOf = (clauses: readonly A.Clause[]): A.FormatClause | undefined =>
  clauses.find((c): c is A.FormatClause => c.kind === 'FormatClause' && c.part === 'value');
export const keyFormatOf = (clauses: readonly A.Clause[]): A.FormatClause | undefined =>
  clauses.find((c): c is A.FormatClause => c.kind === 'FormatClause' && c.part === 'key');
export const subjectOf = (clauses: readonly A.Clause[], part: A.KeyOrValue): A.SubjectClause | undefined =>
  clauses.find((c): c is A.SubjectClause => c.kind === 'SubjectClause' && c.part === part);
export const clauseOf = <K extends A.Clause['kind']>(clauses: readonly A.Clause[], kind: K): Extract<A.Clause, { kind: K }> | undefined =>
  clauses.find((c): c is Extract<A.Clause, { kind: K }> => c.kind === kind);

/** The Kafka topic a source reads: the named topic, or for CDC the one Debezium writes (`<prefix>.<schema>.<table>`). */
export function sourceTopic(decl: A.SourceDecl, connections: Readonly<Record<string, Connection>>): string {
  const system = decl.endpoint.system.name.toLowerCase();
  if (system === 'kafka') return decl.endpoint.object.value;
  const via = clauseOf(decl.clauses, 'ViaClause')?.connection.name ?? '';
  const connection = ownEntry(connections, via);
  const prefix = connection && (connection.type === 'postgres' || connection.type === 'mysql') ? (connection.topic_prefix ?? via) : via;
  return `${prefix}.${decl.endpoint.object.value}`;
}

export interface SourceSubjects {
  readonly value: { readonly subject: string; readonly version: number | 'latest'; readonly span: Span } | undefined;
  readonly key: { readonly subject: string; readonly version: number | 'latest'; readonly span: Span } | undefined;
}

/** TopicNameStrategy by default (`<topic>-value`, `<topic>-key`), overridden by `subject '…'`; raw formats have none. */
export function sourceSubjects(decl: A.SourceDecl, connections: Readonly<Record<string, Connection>>): SourceSubjects {
  const topic = sourceTopic(decl, connections);
  const valueFormat = valueFormatOf(decl.clauses)?.format.name.toLowerCase() ?? 'avro';
  const keyClause = keyFormatOf(decl.clauses);
  const primaryKey = clauseOf(decl.clauses, 'PrimaryKeyClause');
  const system = decl.endpoint.system.name.toLowerCase();
  // A primary-key topic without a key format gets a key in the value's format; CDC keys are not read (the envelope has the row).
  const keyFormat = keyClause?.format.name.toLowerCase() ?? (primaryKey && system === 'kafka' ? valueFormat : undefined);
  const pick = (part: A.KeyOrValue, format: string | undefined) => {
    if (format === undefined || format === 'raw') return undefined;
    const clause = subjectOf(decl.clauses, part);
    return {
      subject: clause?.subject.value ?? `${topic}-${part}`,
      version: clause?.version ? clause.version.value : ('latest' as const),
      span: clause?.span ?? decl.endpoint.span,
    };
  };
  return { value: pick('value', valueFormat), key: pick('key', keyFormat) };
}

/**
 * The topic a sink's Flink table writes: the named topic for Kafka sinks; for Kafka Connect sinks, a topic
 * of their own that their connector reads, named after project, pipeline and stream (within Kafka's limit).
 */
export function sinkTopic(decl: A.SinkDecl, project: string, pipeline: string): string {
  return decl.endpoint.system.name.toLowerCase() === 'kafka' ? decl.endpoint.object.value : boundedName(`${project}.${pipeline}.${decl.name.name}`, MAX_TOPIC_NAME);
}

/** A sink's Flink table, before it is made unique among the pipeline's names (`<sink>_topic`, `<sink>_postgres`). */
export function sinkTableBase(sink: string, system: string): string {
  return `${sink}_${system === 'kafka' ? 'topic' : system}`;
}

/** Where a Kafka Connect sink puts records it cannot write: `<topic>.dlq`, within Kafka's topic name limit. */
export function deadLetterTopic(topic: string): string {
  return boundedName(`${topic}.dlq`, MAX_TOPIC_NAME);
}

/**
 * Deterministic connector names, `<project>-<env>-<part>-…`: a sink's `<pipeline>-<sink table>`, a CDC
 * connector's `<connection>` (one per connection, shared by the pipelines reading it). Project and environment
 * first, so two projects or environments on one Connect cluster never overwrite each other's connectors.
 */
export function connectorName(project: string, environment: string, ...parts: readonly string[]): string {
  return [project, environment, ...parts].join('-');
}

/** The consumer group of a pipeline's Kafka sources. */
export function consumerGroupId(project: string, environment: string, pipeline: string): string {
  return `${project}.${environment}.${pipeline}`;
}

/** An exactly-once sink's transactional id prefix: unique per job and sink across the cluster. */
export function transactionalIdPrefix(project: string, environment: string, pipeline: string, table: string): string {
  return `${project}.${environment}.${pipeline}.${table}`;
}

/** The value (and key) subjects a sink registers: TopicNameStrategy unless `subject '…'` says otherwise. */
export function sinkSubject(decl: A.SinkDecl, topic: string, part: A.KeyOrValue): string {
  return subjectOf(decl.clauses, part)?.subject.value ?? `${topic}-${part}`;
}
