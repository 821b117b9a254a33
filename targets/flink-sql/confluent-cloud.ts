/**
 * A pipeline's job for Confluent Cloud for Apache Flink, derived from the same SQL tree as job.sql. Pure.
 *
 * On Confluent Cloud every topic of the cluster already is a table, inferred from its registry subjects
 * (docs.confluent.io `flink/reference/statements/create-table` "Inferred tables"), and CREATE TABLE would
 * create a topic; a statement cannot create temporary tables or views. So:
 * - sources and sinks are read and written as the topics' tables, by topic name;
 * - views become WITH items of each INSERT (only those it reads);
 * - what a source declares beyond its registry columns becomes ALTER TABLE on the topic's table: metadata
 *   columns (always VIRTUAL: the table is shared, and a persisted one would be required of every writer),
 *   computed columns, the watermark, the primary key and changelog of a CDC or upsert source;
 * - a raw key, which the inferred table names `key` (bytes), is renamed and decoded in a projection;
 * - settings become statement properties (`sql.state-ttl`, …); parallelism and checkpoints are Confluent's;
 * - a source's `on error skip` / `dead letter` is the table's own `error-handling.mode` (`ignore` / `log`, with
 *   `error-handling.log.target`), docs.confluent.io `flink/how-to-guides/configure-dlq`.
 * What cannot be said this way is listed in `unsupported`, and the deployer refuses the pipeline with it.
 */
import type { PipelinePlan, SinkPlan, SourcePlan } from '../../compiler/plan/plan.ts';
import type { SqlType } from '../../compiler/types/types.ts';
import { assertNever, invariant } from '../../compiler/util/invariant.ts';
import { CONFLUENT_CLOUD_ARTIFACT_VERSION, type ConfluentCloudArtifact, type TableChange } from './confluent-cloud-artifact.ts';
import type { FlinkJob } from './lower.ts';
import { printScript } from './print.ts';
import type * as S from './sql-ast.ts';

export function lowerForConfluentCloud(p: PipelinePlan, job: FlinkJob): ConfluentCloudArtifact {
  const unsupported: string[] = [];
  const ddl = new Map(job.setup.flatMap((s) => (s.kind === 'create-table' ? [[s.name, s] as const] : [])));
  const changes: { readonly target: string; readonly alter: S.AlterTable }[] = [];
  // What each source name stands for in the statement: its topic's table, or the WITH item projecting it.
  const relations = new Map<string, string>();
  const items = new Map<string, S.SqlQuery>();
  for (const s of p.sources) {
    const table = ddl.get(s.name);
    invariant(table !== undefined, `source ${s.name} has no table in the job`);
    changes.push(...sourceChanges(s, table, unsupported));
    const projection = keyProjection(s, table, unsupported);
    if (projection) {
      const name = `__pipec_source_${s.name}`;
      items.set(name, projection);
      relations.set(s.name, name);
    } else {
      relations.set(s.name, s.topic);
    }
  }
  for (const s of job.setup) if (s.kind === 'create-view') items.set(s.name, rewriteQuery(s.query, relations));
  for (const name of items.keys()) {
    // A WITH item hides the table of the same name from the whole statement.
    const hidden = p.sources.find((s) => s.topic === name && relations.get(s.name) === s.topic);
    if (hidden) unsupported.push(`view ${name} has the name of topic ${hidden.topic}, which the statement reads as a table; rename the view`);
  }
  for (const s of p.sinks) unsupported.push(...sinkProblems(s));
  for (const f of p.views.flatMap((v) => v.failUnless ?? [])) {
    unsupported.push(`stream ${f.stream}: expectation ${f.expectation} fails the job through the pipec runtime's PIPEC_RAISE_ERROR, which Confluent Cloud does not have; use \`else drop\` or \`else dead letter\``);
  }
  const properties = { ...settingProperties(p), ...startupProperties(p, unsupported) };
  if (unsupported.length > 0) return { version: CONFLUENT_CLOUD_ARTIFACT_VERSION, pipeline: p.name, properties, tableChanges: [], statement: [], unsupported };

  const inserts = job.inserts.map((i): S.Insert => {
    const sink = p.sinks.find((s) => s.table === i.table);
    invariant(sink !== undefined, `INSERT INTO ${i.table} has no sink`);
    const body = rewriteQuery(i.query, relations);
    const needed = closure(relationsIn(body), items);
    const used = [...items].filter(([name]) => needed.has(name)).map(([name, query]) => ({ name, query }));
    if (used.length === 0) return { kind: 'insert', table: sink.topic, columns: i.columns, query: body };
    // Flink takes a WITH query after INSERT INTO only without a column list, which the topic's table needs
    // (it may have more columns, e.g. a raw `key`): the WITH goes into a derived table.
    const rows: S.SqlQuery = {
      kind: 'select',
      distinct: false,
      items: i.columns.map((c) => ({ kind: 'expr', expression: { kind: 'column', qualifier: undefined, name: c }, alias: undefined })),
      from: { kind: 'subquery', query: { kind: 'with', items: used, body }, alias: sink.input },
      where: undefined,
      groupBy: [],
      having: undefined,
    };
    return { kind: 'insert', table: sink.topic, columns: i.columns, query: rows };
  });
  return {
    version: CONFLUENT_CLOUD_ARTIFACT_VERSION,
    pipeline: p.name,
    properties,
    tableChanges: changes.map((c): TableChange => ({ table: c.alter.name, target: c.target, statement: lines(printScript([c.alter])) })),
    statement: lines(printScript([{ kind: 'statement-set', inserts }])),
    unsupported: [],
  };
}

function lines(script: string): string[] {
  return script.replace(/\n$/, '').split('\n');
}

// ── sources ───────────────────────────────────────────────────────────────────────────────────────

function sourceChanges(s: SourcePlan, table: S.CreateTable, unsupported: string[]): { target: string; alter: S.AlterTable }[] {
  const cdc = s.system !== 'kafka';
  const out: { target: string; alter: S.AlterTable }[] = [];
  const alter = (target: string, change: S.AlterTable['change']): void => {
    out.push({ target, alter: { kind: 'alter-table', name: s.topic, change } });
  };
  if (s.value.format !== 'avro') {
    unsupported.push(`source ${s.name}: the ${s.value.format} format; Confluent Cloud reads only the registry's wire formats, and pipec generates Avro for them`);
  }
  const options = Object.keys(s.options);
  if (options.length > 0) unsupported.push(`source ${s.name}: connector options (${options.sort().join(', ')}) belong to the self-managed Kafka connector; Confluent Cloud's tables take none of them`);
  if (s.onError) {
    // Confluent Cloud's own handling of records a table cannot deserialize: `ignore` skips them, `log` writes
    // them to the dead-letter table named (a topic of the cluster), with Confluent's DLQ schema.
    alter('error handling', { kind: 'set-options', options: s.onError.kind === 'skip' ? { 'error-handling.mode': 'ignore' } : { 'error-handling.mode': 'log', 'error-handling.log.target': s.onError.topic } });
  }
  if (cdc) {
    // Confluent infers this for Debezium schemas registered since May 2025; older subjects need it said.
    alter('options', { kind: 'set-options', options: { 'changelog.mode': 'retract', 'value.format': 'avro-debezium-registry' } });
    alter('primary key', { kind: 'add-primary-key', columns: s.primaryKey });
  } else if (s.primaryKey.length > 0) {
    // An upsert topic: the inferred table's key is the record key, which pipec requires to be the primary key.
    alter('options', { kind: 'set-options', options: { 'changelog.mode': 'upsert' } });
  }
  // The record timestamp is Confluent's system column `$rowtime`; a second column from the same metadata key
  // is refused, so one reading it is computed from `$rowtime`, and so are computed columns reading that one
  // (a computed column cannot read another).
  const timestamps = new Set(s.columns.filter((c) => c.origin === 'metadata' && c.key === 'timestamp').map((c) => c.name));
  const rowtime = (e: S.SqlExpr): S.SqlExpr => replaceColumns(e, (name) => (timestamps.has(name) ? { kind: 'column', qualifier: undefined, name: '$rowtime' } : undefined));
  for (const c of s.columns) {
    const column = table.columns.find((t) => t.name === c.name);
    switch (c.origin) {
      case 'value':
      case 'key':
        break;
      case 'metadata':
        invariant(column?.kind === 'metadata', `metadata column ${c.name} of ${s.name} is not one in the table`);
        if (c.key === 'timestamp') alter(`column ${c.name}`, { kind: 'add-column', column: { kind: 'computed', name: c.name, expression: rowtime({ kind: 'column', qualifier: undefined, name: c.name }) } });
        else if (c.key.startsWith('value.')) unsupported.push(`source ${s.name}: the Debezium metadata ${c.key} (column ${c.name}); Confluent Cloud's tables have only the Kafka record's metadata`);
        else alter(`column ${c.name}`, { kind: 'add-column', column: { ...column, virtual: true } });
        break;
      case 'computed':
        invariant(column?.kind === 'computed', `computed column ${c.name} of ${s.name} is not one in the table`);
        alter(`column ${c.name}`, { kind: 'add-column', column: { ...column, expression: rowtime(column.expression) } });
        break;
      case 'proctime':
        unsupported.push(`source ${s.name}: the processing-time column ${c.name}; pipec does not generate processing time for Confluent Cloud`);
        break;
      default:
        assertNever(c, 'source column');
    }
  }
  if (table.watermark) alter('watermark', { kind: 'modify-watermark', column: table.watermark.column, expression: table.watermark.expression });
  return out;
}

/**
 * A raw key is the inferred table's `key` column (`key_key` when the value has a `key` field), as bytes; the
 * pipeline names it and may read it as text. Returns the projection that does both, or undefined.
 */
function keyProjection(s: SourcePlan, table: S.CreateTable, unsupported: string[]): S.SqlQuery | undefined {
  if (!s.key || s.system !== 'kafka') return undefined;
  switch (s.key.format) {
    case 'avro':
      // A record key's fields are columns of the inferred table by their own names.
      return undefined;
    case 'raw': {
      const name = s.key.columns[0];
      const column = s.columns.find((c) => c.name === name);
      if (name === undefined || column === undefined) return undefined;
      const inferred = s.columns.some((c) => c.origin === 'value' && c.name === 'key') ? 'key_key' : 'key';
      const key: S.SqlExpr = { kind: 'column', qualifier: undefined, name: inferred };
      if (s.primaryKey.length > 0) {
        // Flink keeps no primary key through the renaming projection, and an upsert or versioned table needs one.
        unsupported.push(`source ${s.name}: a primary key on the raw key ${name}; Confluent Cloud names a raw key \`${inferred}\` (bytes), and pipec renames it in a projection, which loses the primary key`);
        return undefined;
      }
      const value = rawKeyValue(key, column.type);
      if (value === undefined) {
        unsupported.push(`source ${s.name}: the raw key ${name} as ${column.type.kind}; Confluent Cloud gives a raw key as bytes, which pipec decodes only as text`);
        return undefined;
      }
      return {
        kind: 'select',
        distinct: false,
        items: table.columns.map((c): S.SelectItem => (c.name === name ? { kind: 'expr', expression: value, alias: name } : { kind: 'expr', expression: { kind: 'column', qualifier: undefined, name: c.name }, alias: undefined })),
        from: { kind: 'table', name: s.topic, alias: undefined },
        where: undefined,
        groupBy: [],
        having: undefined,
      };
    }
    case 'json':
    case 'protobuf':
      unsupported.push(`source ${s.name}: a ${s.key.format} key; pipec reads keys on Confluent Cloud as Avro records or raw text`);
      return undefined;
    default:
      return assertNever(s.key.format, 'key format');
  }
}

function rawKeyValue(key: S.SqlExpr, type: SqlType): S.SqlExpr | undefined {
  switch (type.kind) {
    case 'VARBINARY':
    case 'BINARY':
      return key;
    case 'VARCHAR':
    case 'CHAR':
      // Flink's raw format reads text as UTF-8, and so does CAST from bytes.
      return { kind: 'cast', operand: key, type: 'STRING', safe: false };
    default:
      return undefined;
  }
}

/** The expression with each unqualified column `replace` gives an expression for replaced by it. */
function replaceColumns(e: S.SqlExpr, replace: (name: string) => S.SqlExpr | undefined): S.SqlExpr {
  const r = (x: S.SqlExpr): S.SqlExpr => replaceColumns(x, replace);
  switch (e.kind) {
    case 'column':
      return (e.qualifier === undefined ? replace(e.name) : undefined) ?? e;
    case 'field':
      return { ...e, target: r(e.target) };
    case 'index':
      return { ...e, target: r(e.target), index: r(e.index) };
    case 'call':
      return { ...e, args: e.args.map(r) };
    case 'map':
      return { ...e, entries: e.entries.map(([k, v]) => [r(k), r(v)] as const) };
    case 'over':
      return { ...e, call: r(e.call), partitionBy: e.partitionBy.map(r), orderBy: e.orderBy.map((o) => ({ ...o, expression: r(o.expression) })) };
    case 'binary':
      return { ...e, left: r(e.left), right: r(e.right) };
    case 'unary':
    case 'is-null':
    case 'cast':
      return { ...e, operand: r(e.operand) };
    case 'in':
      return { ...e, operand: r(e.operand), list: e.list.map(r) };
    case 'between':
      return { ...e, operand: r(e.operand), low: r(e.low), high: r(e.high) };
    case 'like':
      return { ...e, operand: r(e.operand), pattern: r(e.pattern) };
    case 'case':
      return { ...e, operand: e.operand === undefined ? undefined : r(e.operand), whens: e.whens.map((w) => ({ when: r(w.when), then: r(w.then) })), else: e.else === undefined ? undefined : r(e.else) };
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'interval':
    case 'typed-literal':
    case 'descriptor':
    case 'keyword':
      return e;
    default:
      return assertNever(e, 'SQL expression');
  }
}

// ── sinks and settings ────────────────────────────────────────────────────────────────────────────

function sinkProblems(s: SinkPlan): string[] {
  const out: string[] = [];
  // The inferred table of a sink topic comes from the subjects pipec registers; only Avro ones are the same
  // bytes on both flavours (Confluent Cloud would write JSON with the registry's framing, plain JSON here).
  for (const [part, f] of [['value', s.value], ['key', s.key]] as const) {
    if (f && f.format !== 'avro') out.push(`sink ${s.table}: a ${f.format} ${part}; pipec writes topics on Confluent Cloud in Avro only`);
  }
  const options = Object.keys(s.options);
  if (s.system === 'kafka' && options.length > 0) out.push(`sink ${s.table}: connector options (${options.sort().join(', ')}) belong to the self-managed Kafka connector; Confluent Cloud's tables take none of them`);
  return out;
}

function settingProperties(p: PipelinePlan): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.settings.stateTtlMillis !== undefined) out['sql.state-ttl'] = `${p.settings.stateTtlMillis} ms`;
  if (p.settings.idleTimeoutMillis !== undefined) out['sql.tables.scan.idle-timeout'] = `${p.settings.idleTimeoutMillis} ms`;
  return out;
}

/**
 * Where the statement's sources start when it has no offsets to carry over: one position for all of them (a
 * statement property). Earliest is Confluent's default, and what pipec's "group offsets, else earliest" is on a
 * first start; a carried-over statement continues from its predecessor's offsets whatever this says.
 */
function startupProperties(p: PipelinePlan, unsupported: string[]): Record<string, string> {
  const starts = new Map(p.sources.map((s) => [s.name, startOf(s, p)]));
  for (const [name, start] of starts) if (start === 'specific offsets') unsupported.push(`source ${name}: startup at specific offsets; a Confluent Cloud statement starts all its tables at one position`);
  const distinct = [...new Set(starts.values())];
  if (distinct.length > 1) {
    unsupported.push(`sources start at different positions (${[...starts].map(([s, m]) => `${s}: ${m}`).join(', ')}); a Confluent Cloud statement starts all its tables at one position`);
    return {};
  }
  const start = distinct[0];
  if (start === undefined || start === 'earliest' || start === 'specific offsets') return {};
  if (start === 'latest') return { 'sql.tables.scan.startup.mode': 'latest-offset' };
  return { 'sql.tables.scan.startup.mode': 'timestamp', 'sql.tables.scan.startup.timestamp-millis': start.replace(/^timestamp /, '') };
}

/** `earliest`, `latest`, `timestamp <millis>` or `specific offsets`: a source's start, comparable as text. */
function startOf(s: SourcePlan, p: PipelinePlan): string {
  // CDC sources always start at the beginning of their topic, where the table's snapshot is (as in lower.ts).
  const mode = s.startup?.mode ?? (s.system === 'kafka' ? p.settings.startup : 'earliest');
  switch (mode) {
    case undefined:
    case 'earliest':
    case 'group_offsets':
      return 'earliest';
    case 'latest':
      return 'latest';
    case 'timestamp':
      return `timestamp ${Date.parse(s.startup?.value ?? '')}`;
    case 'specific_offsets':
      return 'specific offsets';
    default:
      return mode;
  }
}

// ── relations ─────────────────────────────────────────────────────────────────────────────────────

/** The query with each source read as the table that stands for it, aliased by the source's name. */
function rewriteQuery(q: S.SqlQuery, relations: ReadonlyMap<string, string>): S.SqlQuery {
  switch (q.kind) {
    case 'select':
      return { ...q, from: rewriteFrom(q.from, relations, true) };
    case 'union-all':
      return { ...q, inputs: q.inputs.map((i) => rewriteQuery(i, relations)) };
    case 'with':
      return { ...q, items: q.items.map((i) => ({ name: i.name, query: rewriteQuery(i.query, relations) })), body: rewriteQuery(q.body, relations) };
    default:
      return assertNever(q, 'SQL query');
  }
}

/** `aliased`: whether the place takes an alias; a window function's table argument takes none (nor needs one). */
function rewriteFrom(f: S.FromItem, relations: ReadonlyMap<string, string>, aliased: boolean): S.FromItem {
  switch (f.kind) {
    case 'table': {
      const name = relations.get(f.name);
      if (name === undefined) return f;
      // Aliased by the source's name, which the columns are qualified with, unless that is the table's own.
      return { kind: 'table', name, alias: aliased ? (f.alias ?? (name === f.name ? undefined : f.name)) : undefined };
    }
    case 'subquery':
      return { ...f, query: rewriteQuery(f.query, relations) };
    case 'window-tvf':
      return { ...f, input: rewriteFrom(f.input, relations, false) };
    case 'join':
      return { ...f, left: rewriteFrom(f.left, relations, true), right: rewriteFrom(f.right, relations, true) };
    case 'unnest':
      return f;
    default:
      return assertNever(f, 'FROM item');
  }
}

function relationsIn(q: S.SqlQuery): string[] {
  switch (q.kind) {
    case 'select':
      return fromRelations(q.from);
    case 'union-all':
      return q.inputs.flatMap(relationsIn);
    case 'with':
      return [...q.items.flatMap((i) => relationsIn(i.query)), ...relationsIn(q.body)];
    default:
      return assertNever(q, 'SQL query');
  }
}

function fromRelations(f: S.FromItem): string[] {
  switch (f.kind) {
    case 'table':
      return [f.name];
    case 'subquery':
      return relationsIn(f.query);
    case 'window-tvf':
      return fromRelations(f.input);
    case 'join':
      return [...fromRelations(f.left), ...fromRelations(f.right)];
    case 'unnest':
      return [];
    default:
      return assertNever(f, 'FROM item');
  }
}

/** The WITH items a query needs: those it reads, and those they read, and so on. */
function closure(start: readonly string[], items: ReadonlyMap<string, S.SqlQuery>): Set<string> {
  const out = new Set<string>();
  const visit = (name: string): void => {
    const query = items.get(name);
    if (query === undefined || out.has(name)) return;
    out.add(name);
    for (const r of relationsIn(query)) visit(r);
  };
  for (const r of start) visit(r);
  return out;
}
