/**
 * Bounded input for a real run: a handful of records per source, fitting the columns the source reads (value,
 * key and metadata, as the generated schema types them), drawn from the program's seeded Random. Values come
 * from small pools so join and group keys collide (`a.k` = `b.k` = `r.id` = `l.id`), nullable columns are
 * NULL often, event times increase (so windows fire and interval joins match), and keyed sources (the
 * versioned topic, the CDC table) get updates and deletes.
 */
import type { ColumnPlan, SourcePlan } from '../../compiler/plan/plan.ts';
import { givenColumns, keyOf, type CanonicalRow, type SourceChange } from '../../compiler/testing/check-tests.ts';
import { canonicalize, type CanonicalValue } from '../../compiler/testing/values.ts';
import { formatType, withNullable, type SqlType } from '../../compiler/types/types.ts';
import type { Random } from './random.ts';
import type { GeneratedSchema } from './schemas.ts';

/** Join and group keys: `k` of the append-only topics, `id` of the keyed ones. */
const KEYS = ['k1', 'k2', 'k3'];
const STRINGS = ['x', 'abc', 'a', 'Zürich', '', 'k1', 'a b'];
const INTEGERS = [0, 1, 2, 3, 7, -1, 42, 100, 1000];
const FLOATS = [0, 1.5, -2.25, 100, 0.1, 3];
/** Event times start here and increase by up to two minutes per record. */
const START = Date.parse('2026-03-01T09:00:00Z');

export type Inputs = { readonly source: SourcePlan; readonly changes: readonly SourceChange[] }[];

/**
 * Records for every source of the pipeline, in plan order. Columns named in `notNull` are never NULL: an upsert
 * sink's key columns, as a NULL key fails the job by design (docs/language.md, sinks).
 */
export function generateInputs(sources: readonly SourcePlan[], schemas: readonly GeneratedSchema[], notNull: ReadonlySet<string>, r: Random): Inputs {
  return sources.map((source) => ({ source, changes: changesOf(source, enumsOf(schemas.find((s) => s.subject === source.value.subject)), notNull, r) }));
}

function changesOf(source: SourcePlan, enums: ReadonlyMap<string, readonly string[]>, notNull: ReadonlySet<string>, r: Random): SourceChange[] {
  const columns = givenColumns(source);
  const keyed = source.primaryKey.length > 0;
  const count = r.int(5, keyed ? 12 : 20);
  // The event time, and the Kafka timestamp (a CDC table's versions are timed by it), increase.
  const increasing = new Set([source.watermark?.column, ...source.columns.filter((c) => c.origin === 'metadata' && c.key === 'timestamp').map((c) => c.name)]);
  let time = START - (keyed ? 10 * 60_000 : 0);
  const current = new Map<string, CanonicalRow>();
  const changes: SourceChange[] = [];
  for (let i = 0; i < count; i++) {
    time += r.int(0, 120) * 1000;
    if (keyed && current.size > 0 && r.chance(0.15)) {
      const key = r.pick([...current.keys()]);
      changes.push({ op: 'd', before: current.get(key) ?? null, after: null });
      current.delete(key);
      continue;
    }
    const row: Record<string, CanonicalValue> = {};
    for (const c of columns) {
      const fixed = c.name === 'id' ? (keyed ? r.pick(KEYS) : `${source.name}-${i}`) : c.name === 'k' && r.chance(0.9) ? r.pick(KEYS) : increasing.has(c.name) ? isoTimestamp(time, c.type) : undefined;
      row[c.name] = fits(c, fixed ?? valueOf(notNull.has(c.name) ? withNullable(c.type, false) : c.type, enums.get(c.name), r));
    }
    if (!keyed) {
      changes.push({ op: 'c', before: null, after: row });
      continue;
    }
    const key = keyOf(row, source.primaryKey);
    const old = current.get(key);
    current.set(key, row);
    changes.push(old ? { op: 'u', before: old, after: row } : { op: 'c', before: null, after: row });
  }
  return changes;
}

/** The value in canonical form; a value that does not fit its column is a bug of this generator. */
function fits(column: ColumnPlan, value: unknown): CanonicalValue {
  const c = canonicalize(value, column.type);
  if (!c.ok) throw new Error(`generated ${JSON.stringify(value)} for ${column.name} ${formatType(column.type)}, expected ${c.expected}`);
  return c.value;
}

function valueOf(type: SqlType, symbols: readonly string[] | undefined, r: Random): unknown {
  if (type.nullable && r.chance(0.3)) return null;
  switch (type.kind) {
    case 'BOOLEAN':
      return r.chance(0.5);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      return r.pick(INTEGERS);
    case 'FLOAT':
    case 'DOUBLE':
      return r.pick(FLOATS);
    case 'DECIMAL': {
      const digits = (n: number): string => Array.from({ length: n }, () => String(r.int(0, 9))).join('');
      const whole = digits(r.int(0, Math.min(type.precision - type.scale, 6))) || '0';
      return `${r.chance(0.2) ? '-' : ''}${whole}${type.scale > 0 ? `.${digits(r.int(0, type.scale))}` : ''}`;
    }
    case 'CHAR':
    case 'VARCHAR':
      return symbols ? r.pick(symbols) : r.pick(STRINGS);
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(r.pick(STRINGS)).toString('base64');
    case 'DATE':
      return `2026-03-${String(r.int(1, 28)).padStart(2, '0')}`;
    case 'TIME':
      return `${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:00`;
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return isoTimestamp(START + r.int(-86_400, 86_400) * 1000 + r.int(0, 999), type);
    case 'ARRAY':
      return Array.from({ length: r.int(0, 3) }, () => valueOf(type.element, undefined, r));
    case 'MAP':
      return Object.fromEntries(r.some(['x', 'y', 'z'], r.int(0, 3)).map((k) => [k, valueOf(type.value, undefined, r)]));
    case 'ROW':
      return Object.fromEntries(type.fields.map((f) => [f.name, valueOf(f.type, undefined, r)]));
    case 'MULTISET':
    case 'INTERVAL':
    case 'NULL':
    case 'ERROR':
      throw new Error(`no generated source column has type ${formatType(type)}`);
  }
}

/** Milliseconds as an ISO timestamp; with microseconds where the column holds them. */
function isoTimestamp(ms: number, type: SqlType): string {
  const iso = new Date(ms).toISOString().replace('Z', '');
  const micros = type.kind === 'TIMESTAMP' && type.precision > 3 ? String(ms % 7).padStart(3, '0') : '';
  return `${iso}${micros}`;
}

/** The enum symbols of a value schema's fields (of the `before` record of a Debezium envelope), by field name. */
function enumsOf(schema: GeneratedSchema | undefined): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (!schema) return out;
  const record = JSON.parse(schema.avro) as AvroRecord;
  const before = record.fields.find((f) => f.name === 'before');
  const fields = before && Array.isArray(before.type) ? ((before.type as unknown[]).find((t): t is AvroRecord => typeof t === 'object' && t !== null && 'fields' in t)?.fields ?? []) : record.fields;
  for (const f of fields) {
    const type = Array.isArray(f.type) ? (f.type as unknown[]).find((t) => t !== 'null') : f.type;
    if (typeof type === 'object' && type !== null && 'symbols' in type && Array.isArray(type.symbols)) out.set(f.name, type.symbols as string[]);
  }
  return out;
}

interface AvroRecord {
  readonly fields: readonly { readonly name: string; readonly type: unknown }[];
}
