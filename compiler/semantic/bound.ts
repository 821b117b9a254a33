/**
 * The bound program: every name resolved, every expression typed, every relation's columns, time
 * attribute and changelog mode known. Produced by bind.ts from the ASTs and the schema catalog;
 * read by the checks (compiler/check/rules) and, next, by lowering to the plan.
 */
import type { Span } from '../source/source.ts';
import type { SqlType } from '../types/types.ts';
import type * as A from '../ast/nodes.ts';
import type { FieldNote } from '../schemas/mapping.ts';

/**
 * How a relation changes over time (Flink's changelog modes, simplified to what sinks care about):
 * - `append`: inserts only;
 * - `updating`: inserts, updates and deletes; `key` is the upsert key when pipec can derive one.
 */
export type ChangelogMode = { readonly kind: 'append' } | { readonly kind: 'updating'; readonly key: readonly string[] | undefined };

export interface Column {
  readonly name: string;
  readonly type: SqlType;
}

export interface RelationType {
  readonly columns: readonly Column[];
  readonly changelog: ChangelogMode;
  /**
   * Set when the columns are not all known because of an error already reported (a schema that did not load,
   * an unknown name, a query that did not bind): a name not found among `columns` is then no new finding.
   */
  readonly columnsUnknown?: true;
}

// ── expressions ───────────────────────────────────────────────────────────────────────────────────

interface Typed {
  readonly type: SqlType;
  readonly span: Span;
}

export type BoundExpr =
  | (Typed & { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly text: string })
  | (Typed & { readonly kind: 'interval'; readonly value: string; readonly unit: A.IntervalUnit; readonly toUnit: A.IntervalUnit | undefined })
  | (Typed & { readonly kind: 'typed-literal'; readonly value: string })
  /** A column of one of the query's inputs (`input` indexes `SelectQuery.inputs`). */
  | (Typed & { readonly kind: 'column'; readonly input: number; readonly column: string })
  | (Typed & { readonly kind: 'field'; readonly target: BoundExpr; readonly field: string })
  | (Typed & { readonly kind: 'index'; readonly target: BoundExpr; readonly index: BoundExpr })
  | (Typed & { readonly kind: 'call'; readonly function: string; readonly args: readonly BoundExpr[]; readonly distinct: boolean; readonly star: boolean; readonly aggregate: boolean })
  | (Typed & { readonly kind: 'binary'; readonly operator: A.BinaryOperator; readonly left: BoundExpr; readonly right: BoundExpr })
  | (Typed & { readonly kind: 'unary'; readonly operator: 'NOT' | '-' | '+'; readonly operand: BoundExpr })
  | (Typed & { readonly kind: 'is-null'; readonly operand: BoundExpr; readonly negated: boolean })
  | (Typed & { readonly kind: 'in'; readonly operand: BoundExpr; readonly list: readonly BoundExpr[]; readonly negated: boolean })
  | (Typed & { readonly kind: 'between'; readonly operand: BoundExpr; readonly low: BoundExpr; readonly high: BoundExpr; readonly negated: boolean })
  | (Typed & { readonly kind: 'like'; readonly operand: BoundExpr; readonly pattern: BoundExpr; readonly negated: boolean })
  | (Typed & { readonly kind: 'case'; readonly operand: BoundExpr | undefined; readonly whens: readonly { readonly when: BoundExpr; readonly then: BoundExpr }[]; readonly else: BoundExpr | undefined })
  | (Typed & { readonly kind: 'cast'; readonly operand: BoundExpr; readonly safe: boolean })
  | (Typed & { readonly kind: 'error' });

// ── relations ─────────────────────────────────────────────────────────────────────────────────────

export type RelationSource =
  | { readonly kind: 'source'; readonly name: string }
  | { readonly kind: 'stream'; readonly name: string }
  | { readonly kind: 'subquery'; readonly query: BoundQuery };

export interface BoundWindow {
  readonly function: 'tumbling' | 'hopping' | 'cumulative' | 'session';
  readonly timeColumn: string;
  /** Sizes in milliseconds, in the order the window function takes them (size; size, slide; step, max; gap). */
  readonly durations: readonly number[];
  readonly partitionBy: readonly string[];
  readonly span: Span;
}

export interface BoundInput {
  readonly alias: string;
  readonly relation: RelationSource;
  /** The input's columns after its window clause (which adds window_start, window_end, window_time). */
  readonly type: RelationType;
  readonly window: BoundWindow | undefined;
  readonly span: Span;
}

export type JoinKind = 'regular' | 'temporal' | 'interval' | 'unnest';

export interface BoundJoin {
  /** The joined input (an index into the select's inputs, ≥ 1). */
  readonly input: number;
  readonly kind: JoinKind;
  readonly joinType: 'inner' | 'left';
  readonly on: BoundExpr | undefined;
  readonly asOf: BoundExpr | undefined;
  /** For unnest: the array or map expression. */
  readonly unnested: BoundExpr | undefined;
  readonly span: Span;
}

export interface OutputColumn {
  readonly name: string;
  readonly expression: BoundExpr;
  /** Where the name is written (`as <alias>`), when the query names the column itself. */
  readonly nameSpan?: Span;
}

export type BoundQuery =
  | {
      readonly kind: 'select';
      readonly distinct: boolean;
      readonly inputs: readonly BoundInput[];
      readonly joins: readonly BoundJoin[];
      readonly where: BoundExpr | undefined;
      readonly groupBy: readonly BoundExpr[];
      readonly having: BoundExpr | undefined;
      readonly columns: readonly OutputColumn[];
      readonly output: RelationType;
      readonly span: Span;
    }
  | { readonly kind: 'union'; readonly inputs: readonly BoundQuery[]; readonly output: RelationType; readonly span: Span }
  | {
      readonly kind: 'dedupe';
      readonly input: RelationSource;
      readonly keys: readonly string[];
      readonly keep: 'first' | 'last';
      readonly orderBy: string;
      readonly output: RelationType;
      readonly span: Span;
    }
  | {
      readonly kind: 'top';
      readonly input: RelationSource;
      readonly count: number;
      readonly partitionBy: readonly string[];
      readonly orderBy: readonly { readonly column: string; readonly descending: boolean }[];
      readonly output: RelationType;
      readonly span: Span;
    }
  | { readonly kind: 'error'; readonly output: RelationType; readonly span: Span };

// ── declarations ──────────────────────────────────────────────────────────────────────────────────

export type Format = 'avro' | 'json' | 'protobuf' | 'raw';

export interface SchemaBinding {
  readonly part: 'key' | 'value';
  readonly format: Format;
  readonly subject: string | undefined;
  readonly version: number | 'latest';
  /** The registry's record full name (Avro) or message name (Protobuf), when known. */
  readonly recordName: string | undefined;
}

/**
 * What happens to a rejected record — one a source cannot decode (`on error …`) or a row that fails an
 * expectation (`else …`): the job fails, the record is skipped or dropped, or it goes to a dead-letter topic.
 */
export type Disposal =
  | { readonly kind: 'fail' }
  | { readonly kind: 'skip' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'dead-letter'; readonly topic: string; readonly span: Span };

/** `expect <name>: <condition> else <disposal>`: rows for which the condition is not true are rejected. */
export interface BoundExpectation {
  readonly name: string;
  /** Bound over the stream's output columns (input 0, aliased by the stream's name). */
  readonly condition: BoundExpr;
  readonly otherwise: Disposal;
  readonly span: Span;
}

export interface BoundSource {
  readonly kind: 'source';
  readonly name: string;
  readonly decl: A.SourceDecl;
  readonly system: 'kafka' | 'postgres' | 'mysql';
  /** Kafka topic read; for CDC sources the topic Debezium writes (`<prefix>.<schema>.<table>`). */
  readonly topic: string;
  /** For CDC sources: the database table and the connection. */
  readonly table: string | undefined;
  readonly connection: string | undefined;
  readonly value: SchemaBinding;
  readonly key: SchemaBinding | undefined;
  /** The columns read from the record key (for a raw key, its one column). */
  readonly keyColumns: readonly string[];
  /** The columns read from the record value. */
  readonly valueColumns: readonly string[];
  readonly primaryKey: readonly string[];
  readonly eventTime: { readonly column: string; readonly watermarkMillis: number; readonly expression: BoundExpr | undefined } | undefined;
  readonly processingTime: string | undefined;
  readonly metadata: readonly { readonly column: string; readonly field: string; readonly type: SqlType }[];
  readonly startup: { readonly mode: string; readonly value: string | undefined } | undefined;
  /** What to do with a record the source cannot decode: `fail` unless the source says `on error …`. */
  readonly onError: Disposal;
  readonly type: RelationType;
  /** False when the schema could not be resolved: its columns are unknown and references to it are not reported. */
  readonly schemaKnown: boolean;
  /** Columns read as something else than their schema says; reported where a pipeline selects them. */
  readonly columnNotes: readonly ColumnNote[];
}

/** A schema's field note (schemas/mapping.ts) on the column of a source that holds the field. */
export interface ColumnNote {
  readonly column: string;
  /** The field's path below the column (empty when the column is the field). */
  readonly below: readonly string[];
  readonly subject: string;
  readonly note: FieldNote;
}

export interface BoundStream {
  readonly kind: 'stream';
  readonly name: string;
  readonly decl: A.StreamDecl;
  readonly query: BoundQuery;
  /** The rows of `type` are the query's rows that meet every expectation. */
  readonly expectations: readonly BoundExpectation[];
  readonly type: RelationType;
}

export type SinkSystem = 'kafka' | 'postgres' | 'mysql' | 's3' | 'elasticsearch' | 'opensearch' | 'connector';

export interface BoundSink {
  readonly kind: 'sink';
  readonly name: string;
  readonly decl: A.SinkDecl;
  readonly system: SinkSystem;
  readonly object: string;
  readonly input: RelationSource;
  readonly inputType: RelationType;
  readonly value: SchemaBinding;
  readonly key: SchemaBinding | undefined;
  readonly keyColumns: readonly string[];
  readonly upsert: boolean;
  readonly connection: string | undefined;
  readonly partitions: number | undefined;
  readonly replication: number | undefined;
  readonly retentionMillis: number | undefined;
  readonly delivery: 'at_least_once' | 'exactly_once' | undefined;
  readonly options: readonly { readonly key: string; readonly value: A.SettingValue }[];
}

export interface PipelineSettings {
  readonly parallelism: number | undefined;
  readonly checkpointMillis: number | undefined;
  readonly stateTtlMillis: number | undefined;
  readonly startup: string | undefined;
  readonly delivery: 'at_least_once' | 'exactly_once';
  readonly idleTimeoutMillis: number | undefined;
  readonly miniBatch: boolean | undefined;
}

export interface BoundPipeline {
  readonly name: string;
  readonly file: string;
  readonly owner: string | undefined;
  readonly description: string | undefined;
  readonly settings: PipelineSettings;
  /** Sources this pipeline reads, its own and imported ones, in declaration order. */
  readonly sources: readonly BoundSource[];
  readonly streams: readonly BoundStream[];
  readonly sinks: readonly BoundSink[];
  readonly span: Span;
  /** The name in the header: it names the build folder, so its findings point here. */
  readonly nameSpan: Span;
}

/** A file without a pipeline header: the sources and streams it declares for others to import. */
export interface BoundLibrary {
  readonly file: string;
  readonly sources: readonly BoundSource[];
  readonly streams: readonly BoundStream[];
}

export interface BoundProgram {
  /** The project and environment compiled for: external names (groups, connectors, derived topics) contain them. */
  readonly project: string;
  readonly environment: string;
  readonly pipelines: readonly BoundPipeline[];
  readonly libraries: readonly BoundLibrary[];
}
