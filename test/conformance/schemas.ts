/**
 * Generated registry schemas: Avro records with the field types producers write (nullable unions, decimals,
 * timestamps in millis, micros and local time, dates, times of day, enums, arrays, maps, nested records), mapped to columns
 * by pipec's own Avro mapper — so the programs see exactly the types the mapper produces.
 */
import { avroToRow } from '../../compiler/schemas/avro-to-row.ts';
import type { SchemaLookup, SubjectSchema } from '../../compiler/semantic/catalog.ts';
import { formatType, type RowField } from '../../compiler/types/types.ts';
import type { Random } from './random.ts';

/** Field names: plain ones, and reserved words or soft keywords that must be quoted (still valid Avro names). */
const PLAIN_NAMES = ['amount', 'qty', 'note', 'flag', 'rate', 'tags', 'attrs', 'info', 'day', 'score', 'label', 'price', 'total', 'level', 'code', 'kind'];
const RESERVED_NAMES = ['select', 'from', 'order', 'value', 'key', 'time', 'timestamp', 'count', 'user', 'year', 'group', 'window'];

type AvroType = unknown;

interface FieldKind {
  readonly name: string;
  readonly avro: (r: Random) => AvroType;
}

/** A record (an address), sometimes with a record inside (its position): nullable ones read with nullable fields. */
const nested = (r: Random): AvroType => ({
  type: 'record',
  name: `Nested${r.int(0, 1_000_000)}`,
  fields: [
    r.chance(0.5) ? { name: 'city', type: 'string' } : { name: 'city', type: ['null', 'string'], default: null },
    { name: 'zip', type: 'int' },
    ...(r.chance(0.3) ? [{ name: 'geo', type: { type: 'record', name: `Geo${r.int(0, 1_000_000)}`, fields: [{ name: 'lat', type: 'double' }] } }] : []),
  ],
});

const FIELD_KINDS: readonly FieldKind[] = [
  { name: 'int', avro: () => 'int' },
  { name: 'long', avro: () => 'long' },
  { name: 'double', avro: () => 'double' },
  { name: 'float', avro: () => 'float' },
  { name: 'boolean', avro: () => 'boolean' },
  { name: 'string', avro: () => 'string' },
  { name: 'bytes', avro: () => 'bytes' },
  { name: 'decimal', avro: (r) => { const precision = r.int(1, 20); return { type: 'bytes', logicalType: 'decimal', precision, scale: r.int(0, Math.min(precision, 6)) }; } },
  { name: 'date', avro: () => ({ type: 'int', logicalType: 'date' }) },
  { name: 'timestamp-millis', avro: () => ({ type: 'long', logicalType: 'timestamp-millis' }) },
  { name: 'timestamp-micros', avro: () => ({ type: 'long', logicalType: 'timestamp-micros' }) },
  { name: 'local-timestamp-millis', avro: () => ({ type: 'long', logicalType: 'local-timestamp-millis' }) },
  { name: 'time-millis', avro: () => ({ type: 'int', logicalType: 'time-millis' }) },
  { name: 'time-micros', avro: () => ({ type: 'long', logicalType: 'time-micros' }) },
  { name: 'enum', avro: (r) => ({ type: 'enum', name: `Kind${r.int(0, 1_000_000)}`, symbols: ['A', 'B', 'C'] }) },
  { name: 'array<string>', avro: () => ({ type: 'array', items: 'string' }) },
  { name: 'array<long>', avro: () => ({ type: 'array', items: 'long' }) },
  { name: 'array<record>', avro: (r) => ({ type: 'array', items: nested(r) }) },
  { name: 'record', avro: nested },
  { name: 'map<long>', avro: () => ({ type: 'map', values: 'long' }) },
  { name: 'map<string>', avro: () => ({ type: 'map', values: 'string' }) },
];

export interface GeneratedSchema {
  readonly subject: string;
  readonly avro: string;
  readonly schema: SubjectSchema;
  /** The Avro kinds of the fields, for the coverage report. */
  readonly kinds: readonly string[];
}

/**
 * A value record: `id` (string), `k` (a join/group key), `ts` (timestamp-millis, the event time), then a few
 * random fields.
 */
export function generateValueSchema(r: Random, subject: string, recordName: string, extraFields: number): GeneratedSchema {
  const { record, kinds } = valueRecord(r, recordName, extraFields);
  return mapped(subject, JSON.stringify(record), kinds);
}

/**
 * The value of a table captured by Debezium: the envelope (`before`, `after`, `op`) around a value record as
 * generateValueSchema makes it, `after` naming the record `before` defines, as Debezium's Avro converter writes it.
 */
export function generateCdcSchema(r: Random, subject: string, recordName: string, extraFields: number): GeneratedSchema {
  const { record, kinds } = valueRecord(r, 'Value', extraFields);
  const envelope = {
    type: 'record',
    name: recordName,
    namespace: 'conformance',
    fields: [
      { name: 'before', type: ['null', record], default: null },
      { name: 'after', type: ['null', 'conformance.Value'], default: null },
      { name: 'op', type: 'string' },
    ],
  };
  return mapped(subject, JSON.stringify(envelope), kinds);
}

function valueRecord(r: Random, recordName: string, extraFields: number): { record: unknown; kinds: string[] } {
  const kinds: string[] = ['string', 'string', 'timestamp-millis'];
  const fields: { name: string; type: AvroType; default?: null }[] = [
    { name: 'id', type: 'string' },
    r.chance(0.3) ? { name: 'k', type: ['null', 'string'], default: null } : { name: 'k', type: 'string' },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ];
  const names = new Set(fields.map((f) => f.name));
  for (let i = 0; i < extraFields; i++) {
    const kind = r.pick(FIELD_KINDS);
    let name = r.chance(0.2) ? r.pick(RESERVED_NAMES) : r.pick(PLAIN_NAMES);
    while (names.has(name)) name = `${name}_${i}`;
    names.add(name);
    const nullable = r.chance(0.4);
    const avro = kind.avro(r);
    fields.push(nullable ? { name, type: ['null', avro], default: null } : { name, type: avro });
    kinds.push(nullable ? `nullable ${kind.name}` : kind.name);
  }
  return { record: { type: 'record', name: recordName, namespace: 'conformance', fields }, kinds };
}

/** The key schema of a versioned (upsert) topic: its primary key `id`. */
export function generateKeySchema(subject: string, recordName: string): GeneratedSchema {
  return mapped(subject, JSON.stringify({ type: 'record', name: recordName, namespace: 'conformance', fields: [{ name: 'id', type: 'string' }] }), ['string']);
}

function mapped(subject: string, avro: string, kinds: readonly string[]): GeneratedSchema {
  const result = avroToRow(avro, [], { subject });
  if (!result.ok) throw new Error(`the generated schema of ${subject} does not map: ${result.diagnostics.map((d) => d.message).join('; ')}\n${avro}`);
  const schema: SubjectSchema = { subject, version: 1, schemaType: 'AVRO', row: result.row, recordName: result.recordName, flinkSchema: result.flinkSchema };
  return { subject, avro, schema, kinds };
}

export function lookupOf(schemas: readonly GeneratedSchema[]): SchemaLookup {
  const bySubject = new Map(schemas.map((s) => [s.subject, s.schema]));
  return { get: (subject) => bySubject.get(subject), sink: () => undefined };
}

/** The Flink types the mapper produced, for the coverage report. */
export function mappedTypes(row: readonly RowField[]): string[] {
  return row.map((f) => formatType(f.type).replace(/\(\d+(, \d+)?\)/g, '(…)'));
}
