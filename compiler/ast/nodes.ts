/**
 * The .pipe abstract syntax tree: readonly, serializable, a `kind` on every node and a span on every node.
 * Built from the CST by build.ts; nothing here knows about schemas, types or targets.
 */
import type { Span } from '../source/source.ts';
import type { DurationUnit } from '../../stdlib/durations.ts';
import type { IntervalUnit } from '../../stdlib/intervals.ts';

interface Node {
  readonly span: Span;
}

export interface Ident extends Node {
  readonly kind: 'Ident';
  /** The name as written, with backquotes removed and doubled backquotes undone. */
  readonly name: string;
  readonly quoted: boolean;
}

export interface StringLit extends Node {
  readonly kind: 'StringLit';
  readonly value: string;
}

export interface NumberLit extends Node {
  readonly kind: 'NumberLit';
  /** The literal's text, so precision is never lost (e.g. DECIMAL literals). */
  readonly text: string;
  readonly value: number;
  readonly isInteger: boolean;
}

export interface Duration extends Node {
  readonly kind: 'Duration';
  readonly amount: number;
  readonly unit: DurationUnit;
  /** Normalized length in milliseconds. */
  readonly millis: number;
}

/** A whole `.pipe` file. A file without a pipeline header is a library of declarations for `import`. */
export interface PipeFile extends Node {
  readonly kind: 'PipeFile';
  readonly path: string;
  readonly pipeline: PipelineHeader | undefined;
  readonly statements: readonly Statement[];
}

export interface PipelineHeader extends Node {
  readonly kind: 'PipelineHeader';
  readonly name: Ident;
  readonly owner: StringLit | undefined;
  readonly description: StringLit | undefined;
  readonly settings: readonly Setting[];
}

export interface Setting extends Node {
  readonly kind: 'Setting';
  /** A name for pipec's own settings, a string for raw properties passed through (`'linger.ms' = '5'`). */
  readonly key: Ident | StringLit;
  readonly value: SettingValue;
}

export type SettingValue =
  | StringLit
  | NumberLit
  | Duration
  | BooleanLit
  | Ident
  | SecretRef;

/** `secret('name')`: a reference resolved at deploy time; its value never appears in an artifact. */
export interface SecretRef extends Node {
  readonly kind: 'SecretRef';
  readonly name: StringLit;
}

export type Statement = ImportDecl | SourceDecl | StreamDecl | SinkDecl;

export interface ImportDecl extends Node {
  readonly kind: 'ImportDecl';
  readonly names: readonly Ident[];
  readonly from: StringLit;
}

/** Where a source reads or a sink writes: `kafka topic 'payments'`, `postgres table 'public.loans'`. */
export interface Endpoint extends Node {
  readonly kind: 'Endpoint';
  readonly system: Ident;
  readonly objectKind: Ident | undefined;
  readonly object: StringLit;
}

export interface SourceDecl extends Node {
  readonly kind: 'SourceDecl';
  readonly name: Ident;
  readonly endpoint: Endpoint;
  readonly clauses: readonly Clause[];
}

export interface SinkDecl extends Node {
  readonly kind: 'SinkDecl';
  /** The stream or source written out; a sink is named after what it writes. */
  readonly name: Ident;
  readonly endpoint: Endpoint;
  readonly clauses: readonly Clause[];
}

export interface StreamDecl extends Node {
  readonly kind: 'StreamDecl';
  readonly name: Ident;
  readonly query: Query;
  readonly expectations: readonly Expectation[];
}

/**
 * Where a rejected record goes: a record a source cannot decode (`on error …`) or a row that fails an
 * expectation (`else …`). `fail` stops the job; `skip` (sources) and `drop` (expectations) discard it.
 */
export type Disposal =
  | (Node & { readonly kind: 'Fail' })
  | (Node & { readonly kind: 'Skip' })
  | (Node & { readonly kind: 'Drop' })
  | (Node & { readonly kind: 'DeadLetter'; readonly topic: StringLit });

/** `expect <name>: <condition> [else <disposal>]`: what a valid row of the stream looks like. */
export interface Expectation extends Node {
  readonly kind: 'Expectation';
  readonly name: Ident;
  readonly condition: Expr;
  /** Absent: the default, `drop` (docs/language.md, Expectations). */
  readonly otherwise: Disposal | undefined;
}

// ── clauses of sources and sinks ──────────────────────────────────────────────────────────────────

export type Clause =
  | FormatClause
  | KeyColumnsClause
  | PrimaryKeyClause
  | SubjectClause
  | EventTimeClause
  | ProcessingTimeClause
  | StartupClause
  | MetadataClause
  | ViaClause
  | PartitionsClause
  | ReplicationClause
  | RetentionClause
  | DeliveryClause
  | OnErrorClause
  | OptionsClause;

export type KeyOrValue = 'key' | 'value';

export interface FormatClause extends Node {
  readonly kind: 'FormatClause';
  readonly part: KeyOrValue;
  readonly format: Ident;
  /** For a raw key: the name of the one column it becomes. */
  readonly alias: Ident | undefined;
}

export interface KeyColumnsClause extends Node {
  readonly kind: 'KeyColumnsClause';
  readonly upsert: boolean;
  readonly columns: readonly Ident[];
}

export interface PrimaryKeyClause extends Node {
  readonly kind: 'PrimaryKeyClause';
  readonly columns: readonly Ident[];
}

export interface SubjectClause extends Node {
  readonly kind: 'SubjectClause';
  readonly part: KeyOrValue;
  readonly subject: StringLit;
  readonly version: NumberLit | undefined;
}

export interface EventTimeClause extends Node {
  readonly kind: 'EventTimeClause';
  readonly column: Ident;
  /** A computed event time, e.g. `event time ts = to_timestamp_ltz(created_ms, 3)`. */
  readonly expression: Expr | undefined;
  readonly watermark: Duration | undefined;
}

export interface ProcessingTimeClause extends Node {
  readonly kind: 'ProcessingTimeClause';
  readonly column: Ident;
}

export interface StartupClause extends Node {
  readonly kind: 'StartupClause';
  readonly mode: Ident;
  readonly value: StringLit | undefined;
}

export interface MetadataClause extends Node {
  readonly kind: 'MetadataClause';
  readonly columns: readonly MetadataColumn[];
}

export interface MetadataColumn extends Node {
  readonly kind: 'MetadataColumn';
  readonly name: Ident;
  /** The connector's metadata key (`timestamp`, `partition`, `offset`, `headers`…); defaults to the name. */
  readonly field: Ident | undefined;
}

export interface ViaClause extends Node {
  readonly kind: 'ViaClause';
  readonly connection: Ident;
}

export interface PartitionsClause extends Node {
  readonly kind: 'PartitionsClause';
  readonly count: NumberLit;
}

export interface ReplicationClause extends Node {
  readonly kind: 'ReplicationClause';
  readonly factor: NumberLit;
}

export interface RetentionClause extends Node {
  readonly kind: 'RetentionClause';
  readonly duration: Duration;
}

export interface DeliveryClause extends Node {
  readonly kind: 'DeliveryClause';
  readonly guarantee: Ident;
}

export interface OnErrorClause extends Node {
  readonly kind: 'OnErrorClause';
  readonly disposal: Disposal;
}

export interface OptionsClause extends Node {
  readonly kind: 'OptionsClause';
  readonly options: readonly Setting[];
}

// ── queries ───────────────────────────────────────────────────────────────────────────────────────

export type Query = SelectQuery | UnionQuery | DedupeQuery | TopQuery;

export interface UnionQuery extends Node {
  readonly kind: 'UnionQuery';
  readonly inputs: readonly Query[];
}

export interface SelectQuery extends Node {
  readonly kind: 'SelectQuery';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from: FromItem;
  readonly joins: readonly JoinClause[];
  readonly where: Expr | undefined;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | undefined;
}

export type SelectItem = StarItem | ExprItem;

export interface StarItem extends Node {
  readonly kind: 'StarItem';
  readonly qualifier: Ident | undefined;
}

export interface ExprItem extends Node {
  readonly kind: 'ExprItem';
  readonly expression: Expr;
  readonly alias: Ident | undefined;
}

export type Relation = NamedRelation | SubqueryRelation;

export interface NamedRelation extends Node {
  readonly kind: 'NamedRelation';
  readonly name: Ident;
}

export interface SubqueryRelation extends Node {
  readonly kind: 'SubqueryRelation';
  readonly query: Query;
}

export interface FromItem extends Node {
  readonly kind: 'FromItem';
  readonly relation: Relation;
  readonly alias: Ident | undefined;
  readonly window: WindowClause | undefined;
}

/** `window tumbling(event_time, 1 h)`: a window table function over the relation. */
export interface WindowClause extends Node {
  readonly kind: 'WindowClause';
  readonly function: Ident;
  readonly args: readonly (Expr | Duration)[];
}

export type JoinClause = RelationJoin | UnnestJoin;

export interface RelationJoin extends Node {
  readonly kind: 'RelationJoin';
  readonly joinType: 'inner' | 'left';
  readonly relation: Relation;
  readonly alias: Ident | undefined;
  /** `for system_time as of <expr>`: a temporal join against a versioned table. */
  readonly asOf: Expr | undefined;
  readonly on: Expr;
}

export interface UnnestJoin extends Node {
  readonly kind: 'UnnestJoin';
  readonly expression: Expr;
  readonly alias: Ident;
  readonly columns: readonly Ident[];
}

/** `dedupe payments by payment_id keep first`: one row per key (sugar for the ROW_NUMBER idiom). */
export interface DedupeQuery extends Node {
  readonly kind: 'DedupeQuery';
  readonly relation: Ident;
  readonly keys: readonly Ident[];
  readonly keep: 'first' | 'last';
  /** The time attribute that decides first/last; defaults to the input's event time. */
  readonly orderBy: Ident | undefined;
}

/** `top 3 from totals per customer_id order by amount desc`: the N best rows per key (sugar for ROW_NUMBER ≤ N). */
export interface TopQuery extends Node {
  readonly kind: 'TopQuery';
  readonly count: NumberLit;
  readonly relation: Ident;
  readonly partitionBy: readonly Ident[];
  readonly orderBy: readonly OrderItem[];
}

export interface OrderItem extends Node {
  readonly kind: 'OrderItem';
  readonly expression: Expr;
  readonly descending: boolean;
}

// ── expressions ───────────────────────────────────────────────────────────────────────────────────

export type Expr =
  | StringLit
  | NumberLit
  | BooleanLit
  | NullLit
  | IntervalLit
  | TypedLit
  | ColumnRef
  | FieldAccess
  | IndexAccess
  | Call
  | Binary
  | Unary
  | IsNull
  | InList
  | Between
  | Like
  | CaseExpr
  | CastExpr
  | ErrorExpr;

export interface BooleanLit extends Node {
  readonly kind: 'BooleanLit';
  readonly value: boolean;
}

export interface NullLit extends Node {
  readonly kind: 'NullLit';
}

export type { IntervalUnit };

export interface IntervalLit extends Node {
  readonly kind: 'IntervalLit';
  /** The quantity as written: `'1'`, `5`, `'1 12:00'`. */
  readonly value: string;
  readonly unit: IntervalUnit;
  readonly toUnit: IntervalUnit | undefined;
}

export interface TypedLit extends Node {
  readonly kind: 'TypedLit';
  readonly type: 'TIMESTAMP' | 'TIMESTAMP_LTZ' | 'DATE' | 'TIME';
  readonly value: string;
}

/** `amount` or `p.amount`: a column, optionally qualified by a relation or alias. */
export interface ColumnRef extends Node {
  readonly kind: 'ColumnRef';
  readonly qualifier: Ident | undefined;
  readonly column: Ident;
}

/** `address.city`, where `address` is a ROW: resolved by the binder when the head is not a relation. */
export interface FieldAccess extends Node {
  readonly kind: 'FieldAccess';
  readonly target: Expr;
  readonly field: Ident;
}

export interface IndexAccess extends Node {
  readonly kind: 'IndexAccess';
  readonly target: Expr;
  readonly index: Expr;
}

export interface Call extends Node {
  readonly kind: 'Call';
  readonly name: Ident;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  /** `count(*)`. */
  readonly star: boolean;
}

export type BinaryOperator = 'OR' | 'AND' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '||';

export interface Binary extends Node {
  readonly kind: 'Binary';
  readonly operator: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

export interface Unary extends Node {
  readonly kind: 'Unary';
  readonly operator: 'NOT' | '-' | '+';
  readonly operand: Expr;
}

export interface IsNull extends Node {
  readonly kind: 'IsNull';
  readonly operand: Expr;
  readonly negated: boolean;
}

export interface InList extends Node {
  readonly kind: 'InList';
  readonly operand: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
}

export interface Between extends Node {
  readonly kind: 'Between';
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
}

export interface Like extends Node {
  readonly kind: 'Like';
  readonly operand: Expr;
  readonly pattern: Expr;
  readonly negated: boolean;
}

export interface CaseExpr extends Node {
  readonly kind: 'CaseExpr';
  readonly operand: Expr | undefined;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else: Expr | undefined;
}

export interface CastExpr extends Node {
  readonly kind: 'CastExpr';
  readonly expression: Expr;
  readonly type: TypeRef;
  /** `try_cast`: NULL instead of a failure. */
  readonly safe: boolean;
}

/** A type as written in CAST: resolved against Flink's type names by the binder. */
export interface TypeRef extends Node {
  readonly kind: 'TypeRef';
  readonly name: string;
  readonly params: readonly NumberLit[];
  readonly elements: readonly TypeRef[];
  readonly fieldNames: readonly Ident[];
  readonly notNull: boolean;
}

/** Stands where the parser recovered from an error; never reported again. */
export interface ErrorExpr extends Node {
  readonly kind: 'ErrorExpr';
}
