/**
 * BoundProgram → Plan. Pure. Removes the language's sugar (dedupe, top-N, partial window grouping),
 * resolves column references to input aliases, decides table names, formats and sink schemas.
 */
import type { ResolvedConfig } from '../config/schema.ts';
import { t, withNullable, type SqlType } from '../types/types.ts';
import type { Span } from '../source/source.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { generateSinkSchema } from '../schemas/sink-schema.ts';
import type * as B from '../semantic/bound.ts';
import type { SchemaLookup } from '../semantic/catalog.ts';
import { nameKey } from '../project/modules.ts';
import { sinkSubject, sinkTableBase, sinkTopic } from '../semantic/endpoints.ts';
import { checkSinkCompatibility } from '../schemas/compatibility.ts';
import { assertNever } from '../util/invariant.ts';
import type * as A from '../ast/nodes.ts';
import { DEBEZIUM_METADATA, KAFKA_METADATA } from '../../stdlib/metadata.ts';
import type { FormatPlan, FromPlan, JoinPlan, PipelinePlan, Plan, PlanExpr, PlanOptionValue, QueryPlan, SinkPlan, SourceColumn, SourceErrorPlan, SourcePlan, ViewPlan } from './plan.ts';
import { PLAN_VERSION } from './plan.ts';

export interface LowerResult {
  readonly plan: Plan;
  readonly diagnostics: readonly Diagnostic[];
}

export function lowerProgram(program: B.BoundProgram, config: ResolvedConfig, schemas: SchemaLookup): LowerResult {
  const diagnostics: Diagnostic[] = [];
  const pipelines = program.pipelines.map((p) => lowerPipeline(p, config, schemas, diagnostics));
  return { plan: { version: PLAN_VERSION, project: config.project, environment: config.environment, pipelines }, diagnostics };
}

function lowerPipeline(p: B.BoundPipeline, config: ResolvedConfig, schemas: SchemaLookup, diagnostics: Diagnostic[]): PipelinePlan {
  const taken = new Set([...p.sources.map((s) => nameKey(s.name)), ...p.streams.map((s) => nameKey(s.name))]);
  const sources = p.sources.map((s) => lowerSource(s, schemas, taken));
  const streams = p.streams.map((s) => lowerStream(s, p, config, schemas, taken, diagnostics));
  const views = streams.flatMap((s) => s.views);
  const sinks = [...p.sinks.map((s) => lowerSink(s, p, config, schemas, taken, diagnostics)), ...streams.flatMap((s) => s.deadLetters)];
  const hasGroupAggregate = p.streams.some((s) => hasGroupAggregation(s.query));
  return {
    name: p.name,
    file: p.file,
    owner: p.owner,
    description: p.description,
    settings: {
      parallelism: p.settings.parallelism,
      checkpointMillis: p.settings.checkpointMillis,
      stateTtlMillis: p.settings.stateTtlMillis,
      idleTimeoutMillis: p.settings.idleTimeoutMillis,
      miniBatch: p.settings.miniBatch ?? hasGroupAggregate,
      delivery: p.settings.delivery,
      startup: p.settings.startup,
    },
    sources,
    views,
    sinks,
    span: p.span,
  };
}

function hasGroupAggregation(q: B.BoundQuery): boolean {
  switch (q.kind) {
    case 'select':
      return (q.groupBy.length > 0 && q.inputs[0]?.window === undefined) || q.inputs.some((i) => i.relation.kind === 'subquery' && hasGroupAggregation(i.relation.query));
    case 'union':
      return q.inputs.some(hasGroupAggregation);
    case 'dedupe': case 'top': case 'error':
      return false;
  }
}

// ── streams and their expectations ─────────────────────────────────────────────────────────────────

/**
 * A stream without expectations is one view. With them, the query is the view `<stream>__unchecked`; the
 * stream's own view keeps the rows for which every condition is true (`drop` and `dead letter` filter,
 * `fail` raises), and each dead-letter topic is a sink of its own, written from a view of the rejected rows:
 * the expectation's name (`pipec_expectation`), then the row.
 */
function lowerStream(s: B.BoundStream, p: B.BoundPipeline, config: ResolvedConfig, schemas: SchemaLookup, taken: Set<string>, diagnostics: Diagnostic[]): { views: ViewPlan[]; deadLetters: SinkPlan[] } {
  const query = lowerQuery(s.query);
  if (s.expectations.length === 0) return { views: [{ name: s.name, query, columns: s.type.columns, changelog: s.type.changelog, span: s.decl.span }], deadLetters: [] };
  const unchecked = uniqueName(`${s.name}__unchecked`, taken);
  const views: ViewPlan[] = [{ name: unchecked, query, columns: s.type.columns, changelog: s.type.changelog, span: s.decl.span }];
  // Conditions are bound over the stream's columns as input 0, aliased by the stream's name.
  const aliasOf: AliasOf = () => s.name;
  const from: FromPlan = { kind: 'scan', relation: unchecked, alias: s.name, span: s.decl.span };
  const columns = s.type.columns.map((c) => ({ name: c.name, expression: { kind: 'column' as const, input: s.name, column: c.name, type: c.type } }));
  const select = (where: PlanExpr | undefined, extra: Extract<QueryPlan, { kind: 'select' }>['columns'] = []): QueryPlan => ({ kind: 'select', distinct: false, from, joins: [], where, groupBy: [], having: undefined, columns: [...extra, ...columns], span: s.decl.span });
  const filters = s.expectations.filter((e) => e.otherwise.kind !== 'fail').map((e) => lowerExpr(e.condition, aliasOf));
  const failUnless = s.expectations.flatMap((e) => (e.otherwise.kind === 'fail' ? [{ stream: s.name, expectation: e.name, condition: lowerExpr(e.condition, aliasOf), span: e.span }] : []));
  views.push({ name: s.name, query: select(conjunction(filters)), columns: s.type.columns, changelog: s.type.changelog, ...(failUnless.length > 0 ? { failUnless } : {}), span: s.decl.span });

  const deadLetters: SinkPlan[] = [];
  const byTopic = new Map<string, B.BoundExpectation[]>();
  for (const e of s.expectations) if (e.otherwise.kind === 'dead-letter') byTopic.set(e.otherwise.topic, [...(byTopic.get(e.otherwise.topic) ?? []), e]);
  for (const [topic, expectations] of byTopic) {
    const rejected = uniqueName(`${s.name}__rejected`, taken);
    const branches = expectations.map((e) => select(rejectedBy(lowerExpr(e.condition, aliasOf)), [{ name: REJECTED_BY, expression: expectationName(e.name) }]));
    const rowColumns = [{ name: REJECTED_BY, type: t.string(false) }, ...s.type.columns];
    const [first] = branches;
    views.push({ name: rejected, query: branches.length === 1 && first ? first : { kind: 'union', inputs: branches, span: s.decl.span }, columns: rowColumns, changelog: { kind: 'append' }, span: s.decl.span });
    const span = expectations[0]?.otherwise.kind === 'dead-letter' ? expectations[0].otherwise.span : s.decl.span;
    const value = sinkFormat({ part: 'value', format: 'avro', subject: `${topic}-value`, version: 'latest', recordName: undefined }, rowColumns, `${config.project}.${p.name}`.replace(/[^A-Za-z0-9_.]/g, '_'), `${pascalCase(s.name)}Rejected`, { decl: span, endpoint: span }, schemas, diagnostics);
    deadLetters.push({
      table: uniqueName(sinkTableBase(`${s.name}_rejected`, 'kafka'), taken),
      input: rejected,
      system: 'kafka',
      object: topic,
      topic,
      columns: value.row ?? rowColumns,
      keyColumns: [],
      upsert: false,
      changelog: { kind: 'append' },
      value: value.format,
      key: undefined,
      delivery: p.settings.delivery,
      partitions: undefined,
      replication: undefined,
      retentionMillis: undefined,
      connection: undefined,
      options: {},
      span,
    });
  }
  return { views, deadLetters };
}

/** The dead-letter row's first column: the name of the expectation the row failed. */
const REJECTED_BY = 'pipec_expectation';

function expectationName(name: string): PlanExpr {
  return { kind: 'cast', operand: { kind: 'literal', value: name, text: name, type: t.string(false) }, safe: false, type: t.string(false) };
}

/** Rows for which the condition is not true: false or NULL (`CASE WHEN c THEN FALSE ELSE TRUE END`). */
function rejectedBy(condition: PlanExpr): PlanExpr {
  const bool = (value: boolean): PlanExpr => ({ kind: 'literal', value, text: String(value).toUpperCase(), type: t.boolean(false) });
  return { kind: 'case', operand: undefined, whens: [{ when: condition, then: bool(false) }], else: bool(true), type: t.boolean(false) };
}

function conjunction(conditions: readonly PlanExpr[]): PlanExpr | undefined {
  return conditions.reduce<PlanExpr | undefined>((all, c) => (all ? { kind: 'binary', operator: 'AND', left: all, right: c, type: t.boolean(true) } : c), undefined);
}

// ── sources ───────────────────────────────────────────────────────────────────────────────────────

function lowerSource(s: B.BoundSource, schemas: SchemaLookup, taken: Set<string>): SourcePlan {
  const metadataTable = s.system !== 'kafka' && s.value.format === 'json' ? DEBEZIUM_METADATA : KAFKA_METADATA;
  const metadataByColumn = new Map(s.metadata.map((m) => [m.column, m]));
  const columns: SourceColumn[] = s.type.columns.map((c): SourceColumn => {
    const metadata = metadataByColumn.get(c.name);
    if (metadata) {
      const readOnly = Object.values(metadataTable).find((f) => f.key === metadata.field)?.readOnly ?? true;
      return { name: c.name, type: c.type, origin: 'metadata', key: metadata.field, readOnly };
    }
    if (s.processingTime === c.name) return { name: c.name, type: c.type, origin: 'proctime' };
    if (s.eventTime?.expression && s.eventTime.column === c.name) return { name: c.name, type: c.type, origin: 'computed', expression: lowerExpr(s.eventTime.expression, () => undefined) };
    const inValue = s.valueColumns.includes(c.name);
    return { name: c.name, type: c.type, origin: inValue || !s.keyColumns.includes(c.name) ? 'value' : 'key' };
  });
  const format = (b: B.SchemaBinding): FormatPlan => ({
    format: b.format,
    subject: b.subject,
    version: b.version,
    avroSchema: b.format === 'avro' && b.subject ? schemas.get(b.subject, b.version)?.flinkSchema : undefined,
    registers: undefined,
  });
  const onError = sourceError(s, taken);
  return {
    name: s.name,
    system: s.system,
    topic: s.topic,
    table: s.table,
    connection: s.connection,
    columns,
    primaryKey: s.primaryKey,
    watermark: s.eventTime ? { column: s.eventTime.column, delayMillis: s.eventTime.watermarkMillis } : undefined,
    value: format(s.value),
    key: s.key ? { ...format(s.key), columns: s.keyColumns } : undefined,
    changelog: s.type.changelog,
    startup: s.startup,
    options: options(s.decl.clauses),
    ...(onError ? { onError } : {}),
    span: s.decl.span,
  };
}

function sourceError(s: B.BoundSource, taken: Set<string>): SourceErrorPlan | undefined {
  switch (s.onError.kind) {
    case 'fail': case 'drop': return undefined;
    case 'skip': return { kind: 'skip' };
    case 'dead-letter': return { kind: 'dead-letter', topic: s.onError.topic, guardedTable: uniqueName(`${s.name}__guarded`, taken), deadLetterTable: uniqueName(`${s.name}__dead_letter`, taken) };
  }
}

function options(clauses: readonly A.Clause[]): Record<string, PlanOptionValue> {
  const out: Record<string, PlanOptionValue> = {};
  for (const c of clauses) {
    if (c.kind !== 'OptionsClause') continue;
    for (const o of c.options) {
      const key = o.key.kind === 'Ident' ? o.key.name : o.key.value;
      out[key] = settingText(o.value);
    }
  }
  return out;
}

function settingText(v: A.SettingValue): PlanOptionValue {
  switch (v.kind) {
    case 'SecretRef': return { kind: 'secret', name: v.name.value };
    case 'StringLit': return { kind: 'text', value: v.value };
    case 'NumberLit': return { kind: 'text', value: v.text };
    case 'Duration': return { kind: 'text', value: `${v.millis} ms` };
    case 'BooleanLit': return { kind: 'text', value: String(v.value) };
    case 'Ident': return { kind: 'text', value: v.name };
  }
}

// ── sinks ─────────────────────────────────────────────────────────────────────────────────────────

function lowerSink(s: B.BoundSink, p: B.BoundPipeline, config: ResolvedConfig, schemas: SchemaLookup, taken: Set<string>, diagnostics: Diagnostic[]): SinkPlan {
  const table = uniqueName(sinkTableBase(s.name, s.system), taken);
  const kafka = s.system === 'kafka';
  const topic = sinkTopic(s.decl, config.project, p.name);
  const upsert = s.upsert || (!kafka && s.inputType.changelog.kind === 'updating');
  const valueFormat: B.SchemaBinding = s.value.subject === undefined && s.value.format !== 'raw' ? { ...s.value, subject: sinkSubject(s.decl, topic, 'value') } : s.value;
  const namespace = `${config.project}.${p.name}`.replace(/[^A-Za-z0-9_.]/g, '_');
  const recordName = pascalCase(s.name);
  // An upsert sink's key is Flink's PRIMARY KEY, whose columns are NOT NULL: so in the table and both schemas.
  const inputColumns = s.inputType.columns.map((c) => ({ name: c.name, type: upsert && s.keyColumns.includes(c.name) ? withNullable(c.type, false) : c.type }));
  const spans = { decl: s.decl.span, endpoint: s.decl.endpoint.span };
  const value = sinkFormat(valueFormat, inputColumns, namespace, recordName, spans, schemas, diagnostics);
  // The table declares the columns the registered schema maps back to (Flink checks them against a pinned schema).
  const columns = value.row ?? inputColumns;
  const keyBinding: B.SchemaBinding | undefined = s.key ?? (upsert && !kafka ? { part: 'key', format: 'avro', subject: sinkSubject(s.decl, topic, 'key'), version: 'latest', recordName: undefined } : undefined);
  const keyRow = s.keyColumns.map((k) => columns.find((c) => c.name === k)).filter((c): c is { name: string; type: SqlType } => c !== undefined);
  const keyFormat = keyBinding ? sinkFormat(keyBinding, keyRow, namespace, `${recordName}Key`, spans, schemas, diagnostics).format : undefined;
  return {
    table,
    input: s.input.kind === 'subquery' ? '' : s.input.name,
    system: s.system,
    object: s.object,
    topic,
    columns,
    keyColumns: s.keyColumns,
    upsert,
    changelog: s.inputType.changelog,
    value: value.format,
    key: keyFormat,
    delivery: s.delivery ?? p.settings.delivery,
    partitions: s.partitions,
    replication: s.replication,
    retentionMillis: s.retentionMillis,
    connection: s.connection,
    options: Object.fromEntries(s.options.map((o) => [o.key, settingText(o.value)])),
    span: s.decl.span,
  };
}

/** The format of a sink part and the schema pipec registers for it, generated from the columns it holds. */
function sinkFormat(b: B.SchemaBinding, row: readonly { name: string; type: SqlType }[], namespace: string, name: string, spans: { readonly decl: Span; readonly endpoint: Span }, schemas: SchemaLookup, diagnostics: Diagnostic[]): { format: FormatPlan; row: readonly { name: string; type: SqlType }[] | undefined } {
  const base = { format: b.format, subject: b.subject, version: 'latest' as const };
  if (b.format === 'raw' || !b.subject) return { format: { ...base, avroSchema: undefined, registers: undefined }, row: undefined };
  const schemaType = b.format === 'avro' ? 'AVRO' : b.format === 'json' ? 'JSON' : 'PROTOBUF';
  const generated = generateSinkSchema({ subject: b.subject, schemaType, row, namespace, name, span: spans.decl });
  diagnostics.push(...generated.diagnostics);
  if (!generated.ok) return { format: { ...base, avroSchema: undefined, registers: undefined }, row: undefined };
  // The schema must be registrable: compatible with the subject's history under its level.
  const registered = schemas.sink(b.subject);
  if (registered) diagnostics.push(...checkSinkCompatibility(registered, { schemaType, schema: generated.schema }, spans.endpoint));
  // One line of JSON: the text pinned in the Flink table and registered in the registry is the same.
  const text = schemaType === 'PROTOBUF' ? generated.schema : JSON.stringify(JSON.parse(generated.schema));
  return {
    format: { ...base, avroSchema: b.format === 'avro' ? text : undefined, registers: { schemaType, schema: text } },
    row: generated.row.map((f) => ({ name: f.name, type: f.type })),
  };
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(nameKey(name)); n++) name = `${base}_${n}`;
  taken.add(nameKey(name));
  return name;
}

function pascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z_]/.test(joined) ? joined : `Record${joined}`;
}

// ── queries ───────────────────────────────────────────────────────────────────────────────────────

type AliasOf = (input: number) => string | undefined;

export function lowerQuery(q: B.BoundQuery): QueryPlan {
  switch (q.kind) {
    case 'select': return lowerSelect(q);
    case 'union': return { kind: 'union', inputs: q.inputs.map(lowerQuery), span: q.span };
    case 'dedupe':
      // Keep first: the earliest row per key by its time attribute; keep last: the latest.
      return {
        kind: 'rank',
        input: relationName(q.input),
        columns: q.output.columns.map((c) => c.name),
        partitionBy: q.keys,
        orderBy: [{ column: q.orderBy, descending: q.keep === 'last' }],
        limit: 1,
        span: q.span,
      };
    case 'top': {
      // Window Top-N ranks within a window: Flink needs both window_start and window_end in the partition.
      const names = q.output.columns.map((c) => c.name);
      const partitionBy = withBothWindowBounds(q.partitionBy, names);
      return { kind: 'rank', input: relationName(q.input), columns: names, partitionBy, orderBy: q.orderBy, limit: q.count, span: q.span };
    }
    case 'error':
      return { kind: 'union', inputs: [], span: q.span };
  }
}

function relationName(r: B.RelationSource): string {
  return r.kind === 'subquery' ? '' : r.name;
}

function withBothWindowBounds(columns: readonly string[], available: readonly string[]): string[] {
  const out = [...columns];
  const has = (c: string) => out.some((x) => nameKey(x) === c);
  const add = (c: string) => {
    const actual = available.find((a) => nameKey(a) === c);
    if (actual && !has(c)) out.push(actual);
  };
  if (has('window_start')) add('window_end');
  if (has('window_end')) add('window_start');
  return out;
}

function lowerSelect(q: Extract<B.BoundQuery, { kind: 'select' }>): QueryPlan {
  const aliasOf: AliasOf = (i) => q.inputs[i]?.alias;
  const first = q.inputs[0];
  const fromOf = (input: B.BoundInput | undefined): FromPlan => {
    if (!input) return { kind: 'scan', relation: '', alias: '', span: q.span };
    const base: FromPlan = input.relation.kind === 'subquery'
      ? { kind: 'subquery', query: lowerQuery(input.relation.query), alias: input.alias, span: input.span }
      : { kind: 'scan', relation: input.relation.name, alias: input.alias, span: input.span };
    if (!input.window) return base;
    const w = input.window;
    return { kind: 'window', function: w.function, input: base, timeColumn: w.timeColumn, durationsMillis: w.durations, partitionBy: w.partitionBy, alias: input.alias, span: w.span };
  };
  const joins = q.joins.map((j): JoinPlan => {
    const right = q.inputs[j.input];
    if (j.kind === 'unnest') {
      return { kind: 'unnest', expression: lowerExpr(j.unnested ?? errorExpr(), aliasOf), alias: right?.alias ?? '', columns: right?.type.columns.map((c) => c.name) ?? [], span: j.span };
    }
    return { kind: j.kind, joinType: j.joinType, right: fromOf(right), asOf: j.asOf ? lowerExpr(j.asOf, aliasOf) : undefined, on: lowerExpr(j.on ?? errorExpr(), aliasOf), span: j.span };
  });
  let groupBy = q.groupBy.map((g) => lowerExpr(g, aliasOf));
  if (first?.window) {
    // pipec lets a window aggregation group by window_start alone; Flink needs window_end too (and vice versa).
    const grouped = new Set(q.groupBy.flatMap((g) => (g.kind === 'column' && g.input === 0 ? [nameKey(g.column)] : [])));
    for (const [has, add] of [['window_start', 'window_end'], ['window_end', 'window_start']] as const) {
      if (grouped.has(has) && !grouped.has(add)) {
        const type = first.type.columns.find((c) => nameKey(c.name) === add)?.type;
        if (type) groupBy = [...groupBy, { kind: 'column', input: first.alias, column: add, type }];
        grouped.add(add);
      }
    }
  }
  return {
    kind: 'select',
    distinct: q.distinct,
    from: fromOf(first),
    joins,
    where: q.where ? lowerExpr(q.where, aliasOf) : undefined,
    groupBy,
    having: q.having ? lowerExpr(q.having, aliasOf) : undefined,
    columns: q.columns.map((c) => ({ name: c.name, expression: lowerExpr(c.expression, aliasOf) })),
    span: q.span,
  };
}

function errorExpr(): B.BoundExpr {
  return { kind: 'error', type: { kind: 'ERROR', nullable: true }, span: { file: '', start: 0, end: 0 } };
}

export function lowerExpr(e: B.BoundExpr, aliasOf: AliasOf): PlanExpr {
  const go = (x: B.BoundExpr) => lowerExpr(x, aliasOf);
  switch (e.kind) {
    case 'column': return { kind: 'column', input: aliasOf(e.input), column: e.column, type: e.type };
    case 'literal': return { kind: 'literal', value: e.value, text: e.text, type: e.type };
    case 'interval': return { kind: 'interval', value: e.value, unit: e.unit, toUnit: e.toUnit, type: e.type };
    case 'typed-literal': return { kind: 'typed-literal', value: e.value, type: e.type };
    case 'field': return { kind: 'field', target: go(e.target), field: e.field, type: e.type };
    case 'index': return { kind: 'index', target: go(e.target), index: go(e.index), type: e.type };
    case 'call': return { kind: 'call', function: e.function, args: e.args.map(go), distinct: e.distinct, star: e.star, type: e.type };
    case 'binary': return { kind: 'binary', operator: e.operator, left: go(e.left), right: go(e.right), type: e.type };
    case 'unary': return { kind: 'unary', operator: e.operator, operand: go(e.operand), type: e.type };
    case 'is-null': return { kind: 'is-null', operand: go(e.operand), negated: e.negated, type: e.type };
    case 'in': return { kind: 'in', operand: go(e.operand), list: e.list.map(go), negated: e.negated, type: e.type };
    case 'between': return { kind: 'between', operand: go(e.operand), low: go(e.low), high: go(e.high), negated: e.negated, type: e.type };
    case 'like': return { kind: 'like', operand: go(e.operand), pattern: go(e.pattern), negated: e.negated, type: e.type };
    case 'case': return { kind: 'case', operand: e.operand ? go(e.operand) : undefined, whens: e.whens.map((w) => ({ when: go(w.when), then: go(w.then) })), else: e.else ? go(e.else) : undefined, type: e.type };
    case 'cast': return { kind: 'cast', operand: go(e.operand), safe: e.safe, type: e.type };
    case 'error': return { kind: 'literal', value: null, text: 'NULL', type: e.type };
    default: return assertNever(e, 'bound expression');
  }
}
