/** Sources, sinks and pipeline settings: clauses validated and turned into bound declarations. */
import type * as A from '../ast/nodes.ts';
import type { Span } from '../source/source.ts';
import type { Connection } from '../config/schema.ts';
import { asTimeAttribute, formatType, t, withNullable, type RowField, type SqlType } from '../types/types.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { nameKey } from '../project/modules.ts';
import { DEBEZIUM_METADATA, KAFKA_METADATA } from '../../stdlib/metadata.ts';
import { PIPELINE_SETTINGS, type SettingKind } from '../../stdlib/settings.ts';
import { describeRange, inRange } from '../../stdlib/ranges.ts';
import { checkDuration } from './duration-range.ts';
import { ownEntry } from '../util/own.ts';
import type { BoundSink, BoundSource, ChangelogMode, Column, ColumnNote, Format, PipelineSettings, RelationSource, RelationType, SchemaBinding, SinkSystem } from './bound.ts';
import type { SchemaLookup, SubjectSchema } from './catalog.ts';
import { bindExpr } from './bind-expr.ts';
import { bindDisposal } from './bind-expectations.ts';
import { resolveNames, type RelationResolver } from './bind-query.ts';
import type { Reporter } from './context.ts';
import type { FlinkLine } from '../../stdlib/flink-lines.ts';
import { FORMATS, SINK_SYSTEMS, SOURCE_SYSTEMS, clauseOf, keyFormatOf, sinkSubject, sourceSubjects, sourceTopic, valueFormatOf } from './endpoints.ts';

const SOURCE_CLAUSES: ReadonlySet<A.Clause['kind']> = new Set([
  'FormatClause', 'SubjectClause', 'EventTimeClause', 'ProcessingTimeClause', 'PrimaryKeyClause', 'StartupClause', 'MetadataClause', 'ViaClause', 'OnErrorClause', 'OptionsClause',
]);
const SINK_CLAUSES: ReadonlySet<A.Clause['kind']> = new Set([
  'FormatClause', 'SubjectClause', 'KeyColumnsClause', 'ViaClause', 'PartitionsClause', 'ReplicationClause', 'RetentionClause', 'DeliveryClause', 'OptionsClause',
]);

const CLAUSE_WORDS: Readonly<Record<A.Clause['kind'], string>> = {
  FormatClause: 'format', KeyColumnsClause: 'key (…)', PrimaryKeyClause: 'primary key', SubjectClause: 'subject',
  EventTimeClause: 'event time', ProcessingTimeClause: 'processing time', StartupClause: 'startup', MetadataClause: 'metadata',
  ViaClause: 'via connection', PartitionsClause: 'partitions', ReplicationClause: 'replication', RetentionClause: 'retention',
  DeliveryClause: 'delivery', OnErrorClause: 'on error', OptionsClause: 'with (…)',
};

function checkClauses(clauses: readonly A.Clause[], allowed: ReadonlySet<A.Clause['kind']>, what: string, r: Reporter): void {
  const seen = new Map<string, A.Clause>();
  for (const c of clauses) {
    const word = CLAUSE_WORDS[c.kind];
    if (!allowed.has(c.kind)) {
      r.report('clause-not-allowed', { clause: word, declaration: what }, c.span);
      continue;
    }
    const id = c.kind === 'FormatClause' || c.kind === 'SubjectClause' ? `${c.kind}:${c.part}` : c.kind;
    if (seen.has(id) && c.kind !== 'OptionsClause') r.report('duplicate-clause', { clause: word }, c.span);
    seen.set(id, c);
  }
}

function bindFormat(clause: A.FormatClause | undefined, fallback: Format, r: Reporter): Format {
  if (!clause) return fallback;
  const name = clause.format.name.toLowerCase();
  const format = FORMATS.find((f) => f === name);
  if (!format) r.report('unknown-format', { format: clause.format.name, candidates: suggestionList(name, FORMATS) }, clause.format.span);
  return format ?? fallback;
}

function bindConnection(clauses: readonly A.Clause[], connections: Readonly<Record<string, Connection>>, required: readonly Connection['type'][], system: string, span: Span, r: Reporter): string | undefined {
  const via = clauseOf(clauses, 'ViaClause');
  if (!via) {
    if (required.length > 0) r.report('connection-required', { system }, span);
    return undefined;
  }
  const connection = ownEntry(connections, via.connection.name);
  if (!connection) {
    r.report('unknown-connection', { name: via.connection.name, candidates: suggestionList(via.connection.name, Object.keys(connections)) }, via.connection.span);
    return undefined;
  }
  if (required.length > 0 && !required.includes(connection.type)) {
    r.report('connection-type-mismatch', { name: via.connection.name, type: connection.type, system }, via.connection.span);
  }
  return via.connection.name;
}

/** Debezium envelopes (`before`, `after`, `op`) carry the row in `after`; Flink's debezium formats read it from there. */
function rowOf(fields: readonly RowField[], cdc: boolean): readonly RowField[] {
  if (!cdc) return fields;
  const after = fields.find((f) => f.name === 'after');
  if (after && after.type.kind === 'ROW' && fields.some((f) => f.name === 'op')) return after.type.fields;
  return fields;
}

export function bindSource(decl: A.SourceDecl, connections: Readonly<Record<string, Connection>>, schemas: SchemaLookup, version: FlinkLine, r: Reporter): BoundSource {
  checkClauses(decl.clauses, SOURCE_CLAUSES, 'a source', r);
  const systemName = decl.endpoint.system.name.toLowerCase();
  const system = (Object.keys(SOURCE_SYSTEMS) as (keyof typeof SOURCE_SYSTEMS)[]).find((s) => s === systemName);
  if (!system) {
    r.report('unknown-system', { system: decl.endpoint.system.name, role: 'source', candidates: suggestionList(systemName, Object.keys(SOURCE_SYSTEMS)) }, decl.endpoint.system.span);
  } else {
    const expected = SOURCE_SYSTEMS[system];
    const kind = decl.endpoint.objectKind?.name.toLowerCase();
    if (kind !== expected) r.report('endpoint-kind', { system, expected, found: kind }, decl.endpoint.objectKind?.span ?? decl.endpoint.system.span);
  }
  const cdc = system === 'postgres' || system === 'mysql';
  const connection = cdc ? bindConnection(decl.clauses, connections, [system], system, decl.endpoint.span, r) : bindConnection(decl.clauses, connections, [], systemName, decl.endpoint.span, r);
  const topic = sourceTopic(decl, connections);
  const subjects = sourceSubjects(decl, connections);
  const valueFormat = bindFormat(valueFormatOf(decl.clauses), 'avro', r);
  const keyClause = keyFormatOf(decl.clauses);
  if (cdc && valueFormat !== 'avro' && valueFormat !== 'json') r.report('cdc-format', { format: valueFormat }, valueFormatOf(decl.clauses)?.span ?? decl.span);

  let schemaKnown = true;
  const columns: Column[] = [];
  const add = (name: string, type: SqlType, span: Span): void => {
    if (columns.some((c) => nameKey(c.name) === nameKey(name))) r.report('duplicate-column', { column: name }, span);
    else columns.push({ name, type });
  };
  const schemaOf = (subject: SourceSubjectsPart) => {
    if (!subject) return undefined;
    const schema = schemas.get(subject.subject, subject.version);
    if (!schema) schemaKnown = false;
    return schema;
  };

  // A schema that did not load leaves the source's columns unknown: references to them are not reported again.
  const poisoned = (): Pick<RelationType, 'columnsUnknown'> => (schemaKnown ? {} : { columnsUnknown: true });
  const valueSchema = schemaOf(subjects.value);
  if (valueFormat === 'raw') {
    add(valueFormatOf(decl.clauses)?.alias?.name ?? 'value', t.string(), decl.span);
  } else if (valueSchema) {
    for (const f of rowOf(valueSchema.row, cdc)) add(f.name, f.type, decl.span);
  }
  const valueColumns = columns.map((c) => c.name);
  const keyColumns: string[] = [];

  let key: SchemaBinding | undefined;
  const primaryKey = clauseOf(decl.clauses, 'PrimaryKeyClause');
  if (keyClause || (primaryKey && !cdc)) {
    const keyFormat = bindFormat(keyClause, valueFormat === 'raw' ? 'raw' : valueFormat, r);
    if (keyFormat === 'raw') {
      const name = keyClause?.alias?.name ?? 'key';
      // A raw key is read as one STRING column.
      if (!columns.some((c) => nameKey(c.name) === nameKey(name))) add(name, t.string(), keyClause?.span ?? decl.span);
      keyColumns.push(name);
    } else {
      const keySchema = schemaOf(subjects.key);
      for (const f of keySchema?.row ?? []) {
        const existing = columns.find((c) => nameKey(c.name) === nameKey(f.name));
        if (!existing) add(f.name, f.type, decl.span);
        keyColumns.push(existing?.name ?? f.name);
      }
    }
    key = { part: 'key', format: keyFormat, subject: subjects.key?.subject, version: subjects.key?.version ?? 'latest', recordName: schemaOf(subjects.key)?.recordName };
  }

  const metadata: BoundSource['metadata'][number][] = [];
  // Only the debezium-json format exposes the change event's metadata; debezium-avro-confluent has none.
  const metadataTable = cdc && valueFormat === 'json' ? DEBEZIUM_METADATA : KAFKA_METADATA;
  for (const m of clauseOf(decl.clauses, 'MetadataClause')?.columns ?? []) {
    const fieldName = (m.field ?? m.name).name.toLowerCase();
    const field = metadataTable[fieldName];
    if (!field) {
      r.report('unknown-metadata', { field: fieldName, candidates: suggestionList(fieldName, Object.keys(metadataTable)) }, (m.field ?? m.name).span);
      continue;
    }
    add(m.name.name, field.type, m.name.span);
    metadata.push({ column: m.name.name, field: field.key, type: field.type });
  }

  const processing = clauseOf(decl.clauses, 'ProcessingTimeClause');
  if (processing) add(processing.column.name, asTimeAttribute(t.timestampLtz(3, false), 'proctime'), processing.column.span);

  let eventTime: BoundSource['eventTime'];
  const eventClause = clauseOf(decl.clauses, 'EventTimeClause');
  if (eventClause) {
    if (eventClause.watermark) checkDuration(eventClause.watermark, { what: 'a watermark delay', positive: false, interval: true }, r);
    const watermarkMillis = eventClause.watermark?.millis ?? 0;
    if (eventClause.expression) {
      const scopeType: RelationType = { columns, changelog: { kind: 'append' }, ...poisoned() };
      const scopeInputs = [{ alias: decl.name.name, relation: { kind: 'source', name: decl.name.name } as RelationSource, type: scopeType, window: undefined, span: decl.span }];
      const expression = bindExpr(eventClause.expression, { inputs: scopeInputs, version, aggregatesAllowed: false, clause: 'event time' }, r);
      if (checkRowtimeType(eventClause.column, expression.type, r)) add(eventClause.column.name, asRowtime(expression.type), eventClause.column.span);
      eventTime = { column: eventClause.column.name, watermarkMillis, expression };
    } else {
      const index = columns.findIndex((c) => nameKey(c.name) === nameKey(eventClause.column.name));
      const column = columns[index];
      if (!column) {
        if (schemaKnown) r.report('unknown-column', { column: eventClause.column.name, relation: decl.name.name, candidates: suggestionList(eventClause.column.name, columns.map((c) => c.name)) }, eventClause.column.span);
      } else if (checkRowtimeType(eventClause.column, column.type, r)) {
        columns[index] = { name: column.name, type: asRowtime(column.type) };
        eventTime = { column: column.name, watermarkMillis, expression: undefined };
      }
    }
  }

  const primaryKeyColumns = primaryKey ? (schemaKnown ? resolveNames(primaryKey.columns, { columns, changelog: { kind: 'append' } }, decl.name.name, r) : primaryKey.columns.map((c) => c.name)) : [];
  for (const name of primaryKeyColumns) {
    const i = columns.findIndex((c) => c.name === name);
    const c = columns[i];
    // Flink's primary keys are NOT NULL.
    if (c) columns[i] = { name: c.name, type: withNullable(c.type, false) };
  }
  const changelog: ChangelogMode = cdc || primaryKey ? { kind: 'updating', key: primaryKeyColumns.length > 0 ? primaryKeyColumns : undefined } : { kind: 'append' };
  if (cdc && !primaryKey) r.report('cdc-needs-primary-key', { table: decl.endpoint.object.value }, decl.endpoint.span);

  const startupClause = clauseOf(decl.clauses, 'StartupClause');
  const onErrorClause = clauseOf(decl.clauses, 'OnErrorClause');
  return {
    columnNotes: valueSchema ? columnNotes(valueSchema, columns, cdc) : [],
    kind: 'source',
    name: decl.name.name,
    decl,
    system: system ?? 'kafka',
    topic,
    table: cdc ? decl.endpoint.object.value : undefined,
    connection,
    value: { part: 'value', format: valueFormat, subject: subjects.value?.subject, version: subjects.value?.version ?? 'latest', recordName: valueSchema?.recordName },
    key,
    keyColumns,
    valueColumns,
    primaryKey: primaryKeyColumns,
    eventTime,
    processingTime: processing?.column.name,
    metadata,
    startup: startupClause ? { mode: startupClause.mode.name.toLowerCase(), value: startupClause.value?.value } : undefined,
    onError: onErrorClause ? bindDisposal(onErrorClause.disposal) : { kind: 'fail' },
    type: { columns, changelog, ...poisoned() },
    schemaKnown,
  };
}

type SourceSubjectsPart = ReturnType<typeof sourceSubjects>['value'];

/** The schema's field notes by source column; a CDC source's columns are the Debezium envelope's `before`/`after` row. */
function columnNotes(schema: SubjectSchema, columns: readonly Column[], cdc: boolean): ColumnNote[] {
  const out: ColumnNote[] = [];
  for (const note of schema.notes ?? []) {
    const [head, ...rest] = note.path;
    const path = cdc && (head === 'before' || head === 'after') ? rest : note.path;
    const [first, ...below] = path;
    const column = columns.find((c) => first !== undefined && nameKey(c.name) === nameKey(first));
    if (column && !out.some((n) => n.column === column.name && n.below.join('.') === below.join('.'))) out.push({ column: column.name, below, subject: schema.subject, note });
  }
  return out;
}

const asRowtime = (type: SqlType): SqlType => asTimeAttribute(type, 'rowtime');

/** Flink's watermarks need TIMESTAMP(3) or TIMESTAMP_LTZ(3). */
function checkRowtimeType(column: A.Ident, type: SqlType, r: Reporter): boolean {
  if (type.kind === 'ERROR') return false;
  if ((type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ') && type.precision <= 3) return true;
  r.report('event-time-type', { column: column.name, type: formatType(type) }, column.span);
  return false;
}


export function bindSink(decl: A.SinkDecl, connections: Readonly<Record<string, Connection>>, inputs: Pick<RelationResolver, 'resolve'>, r: Reporter): BoundSink | undefined {
  checkClauses(decl.clauses, SINK_CLAUSES, 'a sink', r);
  const systemName = decl.endpoint.system.name.toLowerCase();
  const system = (Object.keys(SINK_SYSTEMS) as SinkSystem[]).find((s) => s === systemName);
  if (!system) {
    r.report('unknown-system', { system: decl.endpoint.system.name, role: 'sink', candidates: suggestionList(systemName, Object.keys(SINK_SYSTEMS)) }, decl.endpoint.system.span);
    return undefined;
  }
  const expectedKind = SINK_SYSTEMS[system];
  const kind = decl.endpoint.objectKind?.name.toLowerCase();
  if (kind !== expectedKind) r.report('endpoint-kind', { system, expected: expectedKind, found: kind }, decl.endpoint.objectKind?.span ?? decl.endpoint.system.span);
  const input = inputs.resolve(decl.name);
  if (!input) return undefined;
  const connectionTypes: Record<SinkSystem, readonly Connection['type'][]> = {
    kafka: [], postgres: ['postgres'], mysql: ['mysql'], s3: ['s3'], elasticsearch: ['elasticsearch'], opensearch: ['opensearch'], connector: ['connector'],
  };
  const connection = bindConnection(decl.clauses, connections, connectionTypes[system], system, decl.endpoint.span, r);
  const keyClause = clauseOf(decl.clauses, 'KeyColumnsClause');
  const keyColumns = keyClause ? resolveNames(keyClause.columns, input.type, decl.name.name, r) : [];
  const valueFormatClause = valueFormatOf(decl.clauses);
  const valueFormat = bindFormat(valueFormatClause, 'avro', r);
  const subject = (part: A.KeyOrValue) => sinkSubject(decl, decl.endpoint.object.value, part);
  const kafka = system === 'kafka';
  const keyFormat = kafka && keyColumns.length > 0 ? bindFormat(keyFormatOf(decl.clauses), valueFormat === 'raw' ? 'raw' : valueFormat, r) : undefined;
  const retention = clauseOf(decl.clauses, 'RetentionClause');
  if (retention) checkDuration(retention.duration, { what: "a topic's retention", positive: true, interval: false }, r);
  const delivery = clauseOf(decl.clauses, 'DeliveryClause');
  const deliveryValue = delivery ? delivery.guarantee.name.toLowerCase() : undefined;
  if (deliveryValue !== undefined && deliveryValue !== 'at_least_once' && deliveryValue !== 'exactly_once') {
    r.report('invalid-setting', { setting: 'delivery', expected: '`at_least_once` or `exactly_once`' }, delivery?.guarantee.span);
  }
  return {
    kind: 'sink',
    name: decl.name.name,
    decl,
    system,
    object: decl.endpoint.object.value,
    input: input.source,
    inputType: input.type,
    // A Connect sink's topic is named at lowering (it needs the pipeline), so its subject is decided there.
    value: { part: 'value', format: valueFormat, subject: kafka && valueFormat !== 'raw' ? subject('value') : undefined, version: 'latest', recordName: undefined },
    key: keyFormat ? { part: 'key', format: keyFormat, subject: keyFormat === 'raw' ? undefined : subject('key'), version: 'latest', recordName: undefined } : undefined,
    keyColumns,
    upsert: keyClause?.upsert ?? false,
    connection,
    partitions: clauseOf(decl.clauses, 'PartitionsClause')?.count.value,
    replication: clauseOf(decl.clauses, 'ReplicationClause')?.factor.value,
    retentionMillis: retention?.duration.millis,
    delivery: deliveryValue === 'exactly_once' || deliveryValue === 'at_least_once' ? deliveryValue : undefined,
    options: decl.clauses.flatMap((c) => (c.kind === 'OptionsClause' ? c.options.map((o) => ({ key: o.key.kind === 'Ident' ? o.key.name : o.key.value, value: o.value })) : [])),
  };
}

export function bindSettings(header: A.PipelineHeader | undefined, r: Reporter): PipelineSettings {
  const values = new Map<string, A.SettingValue>();
  for (const s of header?.settings ?? []) {
    const key = s.key.kind === 'Ident' ? s.key.name.toLowerCase() : s.key.value;
    const spec = PIPELINE_SETTINGS[key];
    if (!spec) {
      r.report('unknown-setting', { setting: key, candidates: suggestionList(key, Object.keys(PIPELINE_SETTINGS)) }, s.key.span);
      continue;
    }
    if (values.has(key)) r.report('duplicate-setting', { setting: key }, s.key.span);
    if (!matches(spec.kind, s.value)) {
      r.report('invalid-setting', { setting: key, expected: describe(spec.kind) }, s.value.span);
      continue;
    }
    if (spec.range && s.value.kind === 'NumberLit' && !inRange(s.value.text, spec.range)) {
      r.report('out-of-range', { what: spec.range.what, found: s.value.text, range: describeRange(spec.range) }, s.value.span);
      continue;
    }
    if (spec.minMillis !== undefined && s.value.kind === 'Duration' && s.value.millis < spec.minMillis) {
      r.report('out-of-range', { what: `setting \`${key}\``, found: `${s.value.amount} ${s.value.unit}`, range: `at least ${spec.minMillis} ms`, hint: `Flink takes no ${key} interval under ${spec.minMillis} ms` }, s.value.span);
      continue;
    }
    values.set(key, s.value);
  }
  const num = (k: string): number | undefined => { const v = values.get(k); return v?.kind === 'NumberLit' ? v.value : undefined; };
  const ms = (k: string): number | undefined => { const v = values.get(k); return v?.kind === 'Duration' ? v.millis : undefined; };
  const word = (k: string): string | undefined => { const v = values.get(k); return v?.kind === 'Ident' ? v.name.toLowerCase() : undefined; };
  const bool = (k: string): boolean | undefined => { const v = values.get(k); return v?.kind === 'BooleanLit' ? v.value : undefined; };
  return {
    parallelism: num('parallelism'),
    checkpointMillis: ms('checkpoint'),
    stateTtlMillis: ms('state_ttl'),
    startup: word('startup'),
    delivery: word('delivery') === 'exactly_once' ? 'exactly_once' : 'at_least_once',
    idleTimeoutMillis: ms('idle_timeout'),
    miniBatch: bool('mini_batch'),
  };
}

function matches(kind: SettingKind, value: A.SettingValue): boolean {
  if (kind === 'positive-integer') return value.kind === 'NumberLit' && value.isInteger && value.value > 0;
  if (kind === 'duration') return value.kind === 'Duration' && value.millis > 0;
  if (kind === 'boolean') return value.kind === 'BooleanLit';
  return value.kind === 'Ident' && kind.oneOf.includes(value.name.toLowerCase());
}

function describe(kind: SettingKind): string {
  if (kind === 'positive-integer') return 'a whole number greater than 0';
  if (kind === 'duration') return 'a duration greater than 0, such as `30 s`';
  if (kind === 'boolean') return '`true` or `false`';
  return `one of ${kind.oneOf.map((o) => `\`${o}\``).join(', ')}`;
}
