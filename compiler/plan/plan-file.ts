/**
 * `<pipeline>/plan.json`, the exchange format of a pipeline's plan: what `pipec diff` and the deployer read back
 * to judge an upgrade against the build deployed before. The file is the `PipelinePlan` of plan.ts with a
 * `formatVersion` and without spans (byte offsets, which a comment shifts; see targets/emit.ts).
 *
 * The zod schema below mirrors the types of plan.ts; `PlanFileSchemaAgrees` at the end fails to compile when the two
 * drift apart (a field or a variant in one and not the other). A plan field added to plan.ts goes into the
 * matching schema here; when a plan.json written before the change no longer decodes, bump PLAN_FILE_VERSION.
 */
import { z } from 'zod';
import type { BinaryOperator, IntervalUnit } from '../ast/nodes.ts';
import type { ChangelogMode } from '../semantic/bound.ts';
import type { Span } from '../source/source.ts';
import { describeIssue } from '../diagnostics/validation-issues.ts';
import type { SqlType } from '../types/types.ts';
import type { ColumnPlan, FailUnlessPlan, FormatPlan, FromPlan, JobSettings, JoinPlan, PipelinePlan, PlanExpr, PlanOptionValue, QueryPlan, SinkPlan, SourceColumn, SourceErrorPlan, SourcePlan, ViewPlan } from './plan.ts';

export const PLAN_FILE_VERSION = 1;

/** What plan.json holds: the pipeline's plan and the version of this format. */
export type PlanFile = PipelinePlan & { readonly formatVersion: typeof PLAN_FILE_VERSION };

/** plan.json keeps no spans: a decoded plan's spans are this one (no file, no position). */
export const NO_SPAN: Span = { file: '', start: 0, end: 0 };

// ── building blocks ───────────────────────────────────────────────────────────────────────────────

/** A field the plan types declare `T | undefined`, which plan.json leaves out when undefined. */
const absent = <T extends z.ZodType>(schema: T) => schema.optional().transform((v) => v);

const span = z.strictObject({ file: z.string(), start: z.number(), end: z.number() }).default(NO_SPAN);
const name = z.string();
const names = z.array(z.string());
const millis = z.number().int().nonnegative();

const nullable = { nullable: z.boolean() };
const timeAttribute = z.enum(['rowtime', 'proctime']);

const sqlType: z.ZodType<SqlType> = z.lazy(() => sqlTypeVariants);
const sqlTypeVariants = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DATE']), ...nullable }),
  z.strictObject({ kind: z.literal('DECIMAL'), precision: z.number().int(), scale: z.number().int(), ...nullable }),
  z.strictObject({ kind: z.enum(['CHAR', 'BINARY']), length: z.number().int(), ...nullable }),
  z.strictObject({ kind: z.enum(['VARCHAR', 'VARBINARY']), length: absent(z.number().int()), ...nullable }),
  z.strictObject({ kind: z.literal('TIME'), precision: z.number().int(), ...nullable }),
  z.strictObject({ kind: z.enum(['TIMESTAMP', 'TIMESTAMP_LTZ']), precision: z.number().int(), ...nullable, timeAttribute: timeAttribute.exactOptional() }),
  z.strictObject({ kind: z.literal('INTERVAL'), unit: z.enum(['DAY_TIME', 'YEAR_MONTH']), ...nullable }),
  z.strictObject({ kind: z.enum(['ARRAY', 'MULTISET']), element: sqlType, ...nullable }),
  z.strictObject({ kind: z.literal('MAP'), key: sqlType, value: sqlType, ...nullable }),
  z.strictObject({ kind: z.literal('ROW'), fields: z.array(z.strictObject({ name, type: sqlType, doc: z.string().exactOptional() })), ...nullable }),
  z.strictObject({ kind: z.enum(['NULL', 'ERROR']), nullable: z.literal(true) }),
]);

const changelog = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('append') }), z.strictObject({ kind: z.literal('updating'), key: absent(names) })]);
const format = z.enum(['avro', 'json', 'protobuf', 'raw']);
const delivery = z.enum(['at_least_once', 'exactly_once']);
const intervalUnit = z.enum(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);
const binaryOperator = z.enum(['OR', 'AND', '=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '||']);

// ── expressions ───────────────────────────────────────────────────────────────────────────────────

const planExpr: z.ZodType<PlanExpr> = z.lazy(() => planExprVariants);
const typed = { type: sqlType };
const planExprVariants = z.discriminatedUnion('kind', [
  z.strictObject({ ...typed, kind: z.literal('column'), input: absent(name), column: name }),
  z.strictObject({ ...typed, kind: z.literal('literal'), value: z.union([z.string(), z.number(), z.boolean(), z.null()]), text: z.string() }),
  z.strictObject({ ...typed, kind: z.literal('interval'), value: z.string(), unit: intervalUnit, toUnit: absent(intervalUnit) }),
  z.strictObject({ ...typed, kind: z.literal('typed-literal'), value: z.string() }),
  z.strictObject({ ...typed, kind: z.literal('field'), target: planExpr, field: name }),
  z.strictObject({ ...typed, kind: z.literal('index'), target: planExpr, index: planExpr }),
  z.strictObject({ ...typed, kind: z.literal('call'), function: name, args: z.array(planExpr), distinct: z.boolean(), star: z.boolean() }),
  z.strictObject({ ...typed, kind: z.literal('binary'), operator: binaryOperator, left: planExpr, right: planExpr }),
  z.strictObject({ ...typed, kind: z.literal('unary'), operator: z.enum(['NOT', '-', '+']), operand: planExpr }),
  z.strictObject({ ...typed, kind: z.literal('is-null'), operand: planExpr, negated: z.boolean() }),
  z.strictObject({ ...typed, kind: z.literal('in'), operand: planExpr, list: z.array(planExpr), negated: z.boolean() }),
  z.strictObject({ ...typed, kind: z.literal('between'), operand: planExpr, low: planExpr, high: planExpr, negated: z.boolean() }),
  z.strictObject({ ...typed, kind: z.literal('like'), operand: planExpr, pattern: planExpr, negated: z.boolean() }),
  z.strictObject({ ...typed, kind: z.literal('case'), operand: absent(planExpr), whens: z.array(z.strictObject({ when: planExpr, then: planExpr })), else: absent(planExpr) }),
  z.strictObject({ ...typed, kind: z.literal('cast'), operand: planExpr, safe: z.boolean() }),
]);

// ── queries ───────────────────────────────────────────────────────────────────────────────────────

const queryPlan: z.ZodType<QueryPlan> = z.lazy(() => queryPlanVariants);
const fromPlan: z.ZodType<FromPlan> = z.lazy(() => fromPlanVariants);

const queryPlanVariants = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('select'),
    distinct: z.boolean(),
    from: fromPlan,
    joins: z.array(z.lazy(() => joinPlan)),
    where: absent(planExpr),
    groupBy: z.array(planExpr),
    having: absent(planExpr),
    columns: z.array(z.strictObject({ name, expression: planExpr })),
    span,
  }),
  z.strictObject({ kind: z.literal('union'), inputs: z.array(queryPlan), span }),
  z.strictObject({
    kind: z.literal('rank'),
    input: name,
    columns: names,
    partitionBy: names,
    orderBy: z.array(z.strictObject({ column: name, descending: z.boolean() })),
    limit: z.number().int().positive(),
    span,
  }),
]);

const fromPlanVariants = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('scan'), relation: name, alias: name, span }),
  z.strictObject({ kind: z.literal('subquery'), query: queryPlan, alias: name, span }),
  z.strictObject({
    kind: z.literal('window'),
    function: z.enum(['tumbling', 'hopping', 'cumulative', 'session']),
    input: fromPlan,
    timeColumn: name,
    durationsMillis: z.array(millis),
    partitionBy: names,
    alias: name,
    span,
  }),
]);

const joinPlan = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(['regular', 'interval', 'temporal']), joinType: z.enum(['inner', 'left']), right: fromPlan, asOf: absent(planExpr), on: planExpr, span }),
  z.strictObject({ kind: z.literal('unnest'), expression: planExpr, alias: name, columns: names, span }),
]);

// ── pipeline ──────────────────────────────────────────────────────────────────────────────────────

const columnPlan = z.strictObject({ name, type: sqlType });

const sourceColumn = z.discriminatedUnion('origin', [
  z.strictObject({ ...columnPlan.shape, origin: z.enum(['value', 'key']) }),
  z.strictObject({ ...columnPlan.shape, origin: z.literal('metadata'), key: z.string(), readOnly: z.boolean() }),
  z.strictObject({ ...columnPlan.shape, origin: z.literal('computed'), expression: planExpr }),
  z.strictObject({ ...columnPlan.shape, origin: z.literal('proctime') }),
]);

const formatFields = {
  format,
  subject: absent(z.string()),
  version: z.union([z.number().int(), z.literal('latest')]),
  avroSchema: absent(z.string()),
  registers: absent(z.strictObject({ schemaType: z.enum(['AVRO', 'JSON', 'PROTOBUF']), schema: z.string() })),
};
const formatPlan = z.strictObject(formatFields);

const optionValue = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('text'), value: z.string() }), z.strictObject({ kind: z.literal('secret'), name })]);
const options = z.record(z.string(), optionValue);

const jobSettings = z.strictObject({
  parallelism: absent(z.number().int().positive()),
  checkpointMillis: absent(millis),
  stateTtlMillis: absent(millis),
  idleTimeoutMillis: absent(millis),
  miniBatch: z.boolean(),
  delivery,
  startup: absent(z.string()),
});

const sourceErrorPlan = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('skip') }),
  z.strictObject({ kind: z.literal('dead-letter'), topic: z.string(), guardedTable: name, deadLetterTable: name }),
]);

const sourcePlan = z.strictObject({
  name,
  system: z.enum(['kafka', 'postgres', 'mysql']),
  topic: z.string(),
  table: absent(z.string()),
  connection: absent(z.string()),
  columns: z.array(sourceColumn),
  primaryKey: names,
  watermark: absent(z.strictObject({ column: name, delayMillis: millis })),
  value: formatPlan,
  key: absent(z.strictObject({ ...formatFields, columns: names })),
  changelog,
  startup: absent(z.strictObject({ mode: z.string(), value: absent(z.string()) })),
  options,
  onError: sourceErrorPlan.exactOptional(),
  span,
});

const failUnlessPlan = z.strictObject({ stream: name, expectation: name, condition: planExpr, span });

const viewPlan = z.strictObject({ name, query: queryPlan, columns: z.array(columnPlan), changelog, failUnless: z.array(failUnlessPlan).exactOptional(), span });

const sinkPlan = z.strictObject({
  table: name,
  input: name,
  system: z.enum(['kafka', 'postgres', 'mysql', 's3', 'elasticsearch', 'opensearch', 'connector']),
  object: z.string(),
  topic: z.string(),
  columns: z.array(columnPlan),
  keyColumns: names,
  upsert: z.boolean(),
  changelog,
  value: formatPlan,
  key: absent(formatPlan),
  delivery,
  partitions: absent(z.number().int().positive()),
  replication: absent(z.number().int().positive()),
  retentionMillis: absent(z.number().int()),
  connection: absent(z.string()),
  options,
  span,
});

const pipelineFields = {
  name,
  file: z.string(),
  owner: absent(z.string()),
  description: absent(z.string()),
  settings: jobSettings,
  sources: z.array(sourcePlan),
  views: z.array(viewPlan),
  sinks: z.array(sinkPlan),
  span,
};

/** plan.json: checked first for its version alone, so a file of another version gets that message, not a field's. */
const versioned = z.object({ formatVersion: z.unknown().optional() });
const planFile = z.strictObject({ formatVersion: z.literal(PLAN_FILE_VERSION), ...pipelineFields });

// ── decoding ──────────────────────────────────────────────────────────────────────────────────────

/** A plan.json that is not one this pipec reads; the message names the file and what to do. */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

const REBUILD = 'rebuild it with this pipec (pipec compile)';

/**
 * The plan of a plan.json's text. `file` names it in errors; `remedy` says what to do about a file this pipec
 * cannot read (default: rebuild it). Throws PlanFileError.
 */
export function decodePlanFile(text: string, file: string, remedy = REBUILD): PipelinePlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PlanFileError(`${file} is not a pipec plan file: ${(e as Error).message}; ${remedy}`);
  }
  const head = versioned.safeParse(json);
  if (!head.success) throw new PlanFileError(`${file} is not a pipec plan file: it is not a JSON object; ${remedy}`);
  const found = head.data.formatVersion;
  if (found !== PLAN_FILE_VERSION) {
    const written = found === undefined ? 'has no format version (it was written by a pipec from before plan files had one)' : `has format version ${JSON.stringify(found)}`;
    throw new PlanFileError(`${file} ${written}; this pipec reads plan format version ${PLAN_FILE_VERSION}: ${remedy}`);
  }
  const parsed = planFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const described = issue ? describeIssue(issue, json, { noun: 'field' }) : undefined;
    const where = described?.path ? ` at ${described.path}` : '';
    throw new PlanFileError(`${file} is not a valid plan of format version ${PLAN_FILE_VERSION}${where}: ${described?.problem ?? 'unexpected shape'}; ${remedy}`);
  }
  const { formatVersion: _version, ...plan } = parsed.data;
  return plan;
}

/** What plan.json holds for a pipeline's plan (the writer leaves spans out). */
export function planFileOf(plan: PipelinePlan): PlanFile {
  return { formatVersion: PLAN_FILE_VERSION, ...plan };
}

// ── agreement of the schema with plan.ts ────────────────────────────────────────────────────────────

/**
 * A type with every key required and every array mutable: optional keys keep their type without `undefined`
 * (exactOptionalPropertyTypes), so `x?: T`, `x: T | undefined` and a missing `x` all differ.
 */
type Keys<T> = T extends readonly (infer E)[] ? Keys<E>[] : T extends object ? { -readonly [K in keyof T]-?: Keys<T[K]> } : T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<S extends z.ZodType, T> = Same<Keys<z.output<S>>, Keys<T>>;

/**
 * Compiles only while each schema decodes exactly its type of plan.ts (every field, every variant). An error
 * here ("Type 'false' does not satisfy the constraint 'true'") names the schema to bring in step with plan.ts.
 */
type Holds<T extends true> = T;
export type PlanFileSchemaAgrees = [
  Holds<Agrees<typeof sqlTypeVariants, SqlType>>,
  Holds<Agrees<typeof changelog, ChangelogMode>>,
  Holds<Agrees<typeof intervalUnit, IntervalUnit>>,
  Holds<Agrees<typeof binaryOperator, BinaryOperator>>,
  Holds<Agrees<typeof planExprVariants, PlanExpr>>,
  Holds<Agrees<typeof queryPlanVariants, QueryPlan>>,
  Holds<Agrees<typeof fromPlanVariants, FromPlan>>,
  Holds<Agrees<typeof joinPlan, JoinPlan>>,
  Holds<Agrees<typeof columnPlan, ColumnPlan>>,
  Holds<Agrees<typeof sourceColumn, SourceColumn>>,
  Holds<Agrees<typeof formatPlan, FormatPlan>>,
  Holds<Agrees<typeof optionValue, PlanOptionValue>>,
  Holds<Agrees<typeof jobSettings, JobSettings>>,
  Holds<Agrees<typeof sourceErrorPlan, SourceErrorPlan>>,
  Holds<Agrees<typeof sourcePlan, SourcePlan>>,
  Holds<Agrees<typeof failUnlessPlan, FailUnlessPlan>>,
  Holds<Agrees<typeof viewPlan, ViewPlan>>,
  Holds<Agrees<typeof sinkPlan, SinkPlan>>,
  Holds<Agrees<typeof planFile, PlanFile>>,
];
