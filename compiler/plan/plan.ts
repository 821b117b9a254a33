/**
 * The plan (IR): what each pipeline runs, as plain serializable data with no target syntax in it.
 * Sugar is gone (dedupe and top-N are rank nodes, windows are window nodes with their full grouping),
 * every column reference names its input by alias, and every node keeps the span of the `.pipe` text it
 * came from, so a target can report an unsupported construct at the user's line.
 * Produced by lower.ts from the bound program; read by targets/flink-sql and targets/kafka-connect. A pipeline's
 * plan is written to plan.json and read back only through plan-file.ts, whose zod schema follows every type here
 * (the typecheck fails while they differ).
 */
import type { Span } from '../source/source.ts';
import type { SqlType } from '../types/types.ts';
import type { BinaryOperator, IntervalUnit } from '../ast/nodes.ts';
import type { ChangelogMode, Format } from '../semantic/bound.ts';

export const PLAN_VERSION = 1;

export interface Plan {
  readonly version: typeof PLAN_VERSION;
  readonly project: string;
  readonly environment: string;
  readonly pipelines: readonly PipelinePlan[];
}

export interface JobSettings {
  readonly parallelism: number | undefined;
  readonly checkpointMillis: number | undefined;
  readonly stateTtlMillis: number | undefined;
  readonly idleTimeoutMillis: number | undefined;
  /** On when the pipeline has a group aggregation, unless the pipeline turns it off. */
  readonly miniBatch: boolean;
  readonly delivery: 'at_least_once' | 'exactly_once';
  /** Where sources without a `startup` clause start when the job has no state: the pipeline's `startup` setting. */
  readonly startup: string | undefined;
}

export interface PipelinePlan {
  readonly name: string;
  readonly file: string;
  readonly owner: string | undefined;
  readonly description: string | undefined;
  readonly settings: JobSettings;
  readonly sources: readonly SourcePlan[];
  readonly views: readonly ViewPlan[];
  readonly sinks: readonly SinkPlan[];
  readonly span: Span;
}

export interface ColumnPlan {
  readonly name: string;
  readonly type: SqlType;
}

export type SourceColumn =
  | (ColumnPlan & { readonly origin: 'value' | 'key' })
  | (ColumnPlan & { readonly origin: 'metadata'; readonly key: string; readonly readOnly: boolean })
  | (ColumnPlan & { readonly origin: 'computed'; readonly expression: PlanExpr })
  | (ColumnPlan & { readonly origin: 'proctime' });

export interface FormatPlan {
  readonly format: Format;
  /** Registry subject (TopicNameStrategy or the declared one); none for raw. */
  readonly subject: string | undefined;
  readonly version: number | 'latest';
  /** Avro: the exact schema to pin, so Flink neither invents a record name nor drifts from the registry. */
  readonly avroSchema: string | undefined;
  /** Sinks: the schema pipec registers under `subject`. */
  readonly registers: { readonly schemaType: 'AVRO' | 'JSON' | 'PROTOBUF'; readonly schema: string } | undefined;
}

export interface SourcePlan {
  readonly name: string;
  /** `kafka` reads a topic; `postgres`/`mysql` read the Debezium topic of a table (a CDC source). */
  readonly system: 'kafka' | 'postgres' | 'mysql';
  readonly topic: string;
  readonly table: string | undefined;
  readonly connection: string | undefined;
  readonly columns: readonly SourceColumn[];
  readonly primaryKey: readonly string[];
  readonly watermark: { readonly column: string; readonly delayMillis: number } | undefined;
  readonly value: FormatPlan;
  /** The key's format and the columns it holds. */
  readonly key: (FormatPlan & { readonly columns: readonly string[] }) | undefined;
  readonly changelog: ChangelogMode;
  readonly startup: { readonly mode: string; readonly value: string | undefined } | undefined;
  /** Raw connector properties from `with (…)`, passed through. */
  readonly options: Readonly<Record<string, PlanOptionValue>>;
  /** What to do with a record the source cannot decode; absent for `fail`, the default (the engine's own behaviour). */
  readonly onError?: SourceErrorPlan;
  readonly span: Span;
}

/** `on error skip` / `on error dead letter '<topic>'` of a source (append-only Kafka topics only). */
export type SourceErrorPlan =
  | { readonly kind: 'skip' }
  | {
      readonly kind: 'dead-letter';
      readonly topic: string;
      /** The table the job reads the topic as, undecodable records included; the source's name is the view of the others. */
      readonly guardedTable: string;
      /** The table of the dead-letter topic. */
      readonly deadLetterTable: string;
    };

export type PlanOptionValue = { readonly kind: 'text'; readonly value: string } | { readonly kind: 'secret'; readonly name: string };

export interface ViewPlan {
  readonly name: string;
  readonly query: QueryPlan;
  readonly columns: readonly ColumnPlan[];
  readonly changelog: ChangelogMode;
  /**
   * A stream's `else fail` expectations, on the view that checks its rows: a row for which a condition is not
   * true fails the job (the target's way to raise an error), naming the expectation. Absent on other views.
   */
  readonly failUnless?: readonly FailUnlessPlan[];
  readonly span: Span;
}

export interface FailUnlessPlan {
  readonly stream: string;
  readonly expectation: string;
  readonly condition: PlanExpr;
  readonly span: Span;
}

export interface SinkPlan {
  /** The table name the job writes: `<stream>__<system>_<n>` style names are avoided; see lower.ts. */
  readonly table: string;
  /** The view or source written. */
  readonly input: string;
  readonly system: 'kafka' | 'postgres' | 'mysql' | 's3' | 'elasticsearch' | 'opensearch' | 'connector';
  /** Topic, table, index, path or connector class as written. */
  readonly object: string;
  /** The Kafka topic the Flink job writes (for Connect sinks: the topic their connector reads). */
  readonly topic: string;
  readonly columns: readonly ColumnPlan[];
  readonly keyColumns: readonly string[];
  readonly upsert: boolean;
  readonly changelog: ChangelogMode;
  readonly value: FormatPlan;
  readonly key: FormatPlan | undefined;
  readonly delivery: 'at_least_once' | 'exactly_once';
  readonly partitions: number | undefined;
  readonly replication: number | undefined;
  readonly retentionMillis: number | undefined;
  readonly connection: string | undefined;
  readonly options: Readonly<Record<string, PlanOptionValue>>;
  readonly span: Span;
}

// ── queries ───────────────────────────────────────────────────────────────────────────────────────

export type QueryPlan =
  | {
      readonly kind: 'select';
      readonly distinct: boolean;
      readonly from: FromPlan;
      readonly joins: readonly JoinPlan[];
      readonly where: PlanExpr | undefined;
      readonly groupBy: readonly PlanExpr[];
      readonly having: PlanExpr | undefined;
      readonly columns: readonly { readonly name: string; readonly expression: PlanExpr }[];
      readonly span: Span;
    }
  | { readonly kind: 'union'; readonly inputs: readonly QueryPlan[]; readonly span: Span }
  /**
   * Rows ranked within partitions, keeping the first `limit` (dedupe: 1 by a time attribute; top-N: N).
   * The rank number itself is not an output column.
   */
  | {
      readonly kind: 'rank';
      readonly input: string;
      readonly columns: readonly string[];
      readonly partitionBy: readonly string[];
      readonly orderBy: readonly { readonly column: string; readonly descending: boolean }[];
      readonly limit: number;
      readonly span: Span;
    };

export type FromPlan =
  | { readonly kind: 'scan'; readonly relation: string; readonly alias: string; readonly span: Span }
  | { readonly kind: 'subquery'; readonly query: QueryPlan; readonly alias: string; readonly span: Span }
  | {
      readonly kind: 'window';
      readonly function: 'tumbling' | 'hopping' | 'cumulative' | 'session';
      readonly input: FromPlan;
      readonly timeColumn: string;
      readonly durationsMillis: readonly number[];
      readonly partitionBy: readonly string[];
      readonly alias: string;
      readonly span: Span;
    };

export type JoinPlan =
  | {
      readonly kind: 'regular' | 'interval' | 'temporal';
      readonly joinType: 'inner' | 'left';
      readonly right: FromPlan;
      readonly asOf: PlanExpr | undefined;
      readonly on: PlanExpr;
      readonly span: Span;
    }
  | { readonly kind: 'unnest'; readonly expression: PlanExpr; readonly alias: string; readonly columns: readonly string[]; readonly span: Span };

// ── expressions ───────────────────────────────────────────────────────────────────────────────────

interface Typed {
  readonly type: SqlType;
}

export type PlanExpr =
  | (Typed & { readonly kind: 'column'; readonly input: string | undefined; readonly column: string })
  | (Typed & { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly text: string })
  | (Typed & { readonly kind: 'interval'; readonly value: string; readonly unit: IntervalUnit; readonly toUnit: IntervalUnit | undefined })
  | (Typed & { readonly kind: 'typed-literal'; readonly value: string })
  | (Typed & { readonly kind: 'field'; readonly target: PlanExpr; readonly field: string })
  | (Typed & { readonly kind: 'index'; readonly target: PlanExpr; readonly index: PlanExpr })
  /** `function` is the stdlib name; each target maps it to its own spelling. */
  | (Typed & { readonly kind: 'call'; readonly function: string; readonly args: readonly PlanExpr[]; readonly distinct: boolean; readonly star: boolean })
  | (Typed & { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: PlanExpr; readonly right: PlanExpr })
  | (Typed & { readonly kind: 'unary'; readonly operator: 'NOT' | '-' | '+'; readonly operand: PlanExpr })
  | (Typed & { readonly kind: 'is-null'; readonly operand: PlanExpr; readonly negated: boolean })
  | (Typed & { readonly kind: 'in'; readonly operand: PlanExpr; readonly list: readonly PlanExpr[]; readonly negated: boolean })
  | (Typed & { readonly kind: 'between'; readonly operand: PlanExpr; readonly low: PlanExpr; readonly high: PlanExpr; readonly negated: boolean })
  | (Typed & { readonly kind: 'like'; readonly operand: PlanExpr; readonly pattern: PlanExpr; readonly negated: boolean })
  | (Typed & { readonly kind: 'case'; readonly operand: PlanExpr | undefined; readonly whens: readonly { readonly when: PlanExpr; readonly then: PlanExpr }[]; readonly else: PlanExpr | undefined })
  | (Typed & { readonly kind: 'cast'; readonly operand: PlanExpr; readonly safe: boolean });
