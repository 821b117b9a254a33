/**
 * Readable values ↔ Avro datums, walking the writer's schema: what `pipec local produce` encodes and `tail`
 * decodes. The readable side is the canonical spelling of test files (compiler/testing/values.ts): ISO dates and
 * timestamps, decimals as text, binary as base64. The Avro side is what avsc reads and writes for the schema's
 * underlying types (logical types are converted here: a decimal is bytes, a timestamp a long). Pure.
 */
import { decimalBytes, decimalString } from './confluent-avro.ts';

export type AvroSchema = string | readonly AvroSchema[] | { readonly [key: string]: unknown };

/** A value that does not fit the schema: where (`amount`, `items[2].sku`) and what was expected. */
export class AvroFitError extends Error {
  readonly path: string;
  constructor(path: string, expected: string) {
    super(`${path || 'the record'}: expected ${expected}`);
    this.name = 'AvroFitError';
    this.path = path;
  }
}

type Named = Map<string, AvroSchema>;

const DAY_MS = 86_400_000;

/** Named types (records, enums, fixed) by full and short name, so a reference by name resolves. */
function collectNames(schema: AvroSchema, named: Named, namespace = ''): void {
  if (typeof schema === 'string') return;
  if (Array.isArray(schema)) {
    for (const s of schema as readonly AvroSchema[]) collectNames(s, named, namespace);
    return;
  }
  const o = schema as Record<string, unknown>;
  const name = typeof o['name'] === 'string' ? o['name'] : undefined;
  const ns = typeof o['namespace'] === 'string' ? o['namespace'] : name?.includes('.') ? name.slice(0, name.lastIndexOf('.')) : namespace;
  if (name && ['record', 'enum', 'fixed', 'error'].includes(String(o['type']))) {
    named.set(name, o);
    named.set(name.includes('.') ? name : ns ? `${ns}.${name}` : name, o);
    named.set(name.slice(name.lastIndexOf('.') + 1), o);
  }
  for (const f of (o['fields'] as { type: AvroSchema }[] | undefined) ?? []) collectNames(f.type, named, ns);
  for (const key of ['items', 'values', 'type']) if (typeof o[key] === 'object' && o[key] !== null) collectNames(o[key] as AvroSchema, named, ns);
}

function namesOf(schema: AvroSchema): Named {
  const named: Named = new Map();
  collectNames(schema, named);
  return named;
}

/** The schema object behind a type name or primitive (`"long"` → `{ type: 'long' }`). */
function resolve(schema: AvroSchema, named: Named): Record<string, unknown> | readonly AvroSchema[] {
  if (Array.isArray(schema)) return schema as readonly AvroSchema[];
  if (typeof schema === 'string') return (named.get(schema) as Record<string, unknown> | undefined) ?? { type: schema };
  const o = schema as Record<string, unknown>;
  // `{ "type": "record-name" }` or `{ "type": { … } }` without a logical type: the inner type.
  if ((typeof o['type'] === 'object' || named.has(String(o['type']))) && o['logicalType'] === undefined && !['record', 'enum', 'fixed', 'array', 'map', 'error'].includes(String(o['type']))) return resolve(o['type'] as AvroSchema, named);
  return o;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** Microseconds since the epoch (UTC) of a canonical timestamp. */
function epochMicros(text: string, path: string): number {
  const m = TIMESTAMP.exec(text);
  if (!m) throw new AvroFitError(path, "an ISO timestamp such as '2026-01-31T13:45:00'");
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return ms * 1000 + Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
}

function microsOfDay(text: string, path: string): number {
  const m = TIME.exec(text);
  if (!m) throw new AvroFitError(path, "a time such as '13:45:00'");
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + Number((m[4] ?? '').padEnd(6, '0').slice(0, 6));
}

/**
 * A `time-millis` value: a time string, or the whole milliseconds since midnight that the pipeline's INT column
 * holds (Flink reads the field as INT), so a row copied from a test file or a sink fits too.
 */
function millisOfDay(value: unknown, path: string): number {
  const n =
    typeof value === 'number' ? value
    : typeof value === 'string' && TIME.test(value) ? Math.floor(microsOfDay(value, path) / 1000)
    : typeof value === 'string' && /^\d+$/.test(value) ? Number(value)
    : NaN;
  if (!Number.isInteger(n) || n < 0 || n >= DAY_MS) throw new AvroFitError(path, "a time such as '13:45:00' or the milliseconds since midnight (0 to 86399999)");
  return n;
}

function integer(value: unknown, path: string, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new AvroFitError(path, `${what} (a whole number within ±2^53)`);
  return n;
}

/** A readable value (canonical) as the datum avsc writes for `schema`. */
export function toAvroDatum(value: unknown, schema: AvroSchema, named: Named = namesOf(schema), path = ''): unknown {
  const s = resolve(schema, named);
  if (Array.isArray(s)) {
    const branches = s as readonly AvroSchema[];
    if (value === null || value === undefined) {
      if (branches.some((b) => resolveType(b, named) === 'null')) return null;
      throw new AvroFitError(path, 'a value (the field is not nullable)');
    }
    let last: AvroFitError | undefined;
    for (const b of branches) {
      if (resolveType(b, named) === 'null') continue;
      try {
        return toAvroDatum(value, b, named, path);
      } catch (e) {
        if (!(e instanceof AvroFitError)) throw e;
        last = e;
      }
    }
    throw last ?? new AvroFitError(path, 'a value of the union');
  }
  const o = s as Record<string, unknown>;
  const type = String(o['type']);
  const logical = o['logicalType'];
  if (value === null || value === undefined) {
    if (type === 'null') return null;
    throw new AvroFitError(path, 'a value (the field is not nullable)');
  }
  switch (type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new AvroFitError(path, 'true or false');
      return value;
    case 'int':
      if (logical === 'date') {
        const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
        if (!m) throw new AvroFitError(path, "a date such as '2026-01-31'");
        return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
      }
      if (logical === 'time-millis') return millisOfDay(value, path);
      return integer(value, path, 'an int');
    case 'long':
      switch (logical) {
        case 'timestamp-millis':
        case 'local-timestamp-millis':
          return Math.floor(epochMicros(String(value), path) / 1000);
        case 'timestamp-micros':
        case 'local-timestamp-micros':
          return epochMicros(String(value), path);
        case 'time-micros':
          return microsOfDay(String(value), path);
        default:
          return integer(value, path, 'a long');
      }
    case 'float':
    case 'double': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) throw new AvroFitError(path, 'a number');
      return n;
    }
    case 'bytes':
    case 'fixed': {
      const size = type === 'fixed' ? Number(o['size']) : undefined;
      let bytes: Buffer;
      if (logical === 'decimal') {
        const scale = Number(o['scale'] ?? 0);
        if (!/^-?\d+(\.\d+)?$/.test(String(value))) throw new AvroFitError(path, `a decimal with scale ${scale}`);
        bytes = decimalBytes(withScale(String(value), scale), scale);
        if (size !== undefined && bytes.length <= size) bytes = Buffer.concat([Buffer.alloc(size - bytes.length, (bytes[0] ?? 0) & 0x80 ? 0xff : 0), bytes]);
      } else {
        if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new AvroFitError(path, 'base64 text');
        bytes = Buffer.from(value, 'base64');
      }
      if (size !== undefined && bytes.length !== size) throw new AvroFitError(path, `${size} bytes`);
      return bytes;
    }
    case 'string':
      if (typeof value !== 'string') throw new AvroFitError(path, 'a string');
      return value;
    case 'enum': {
      const symbols = (o['symbols'] as string[] | undefined) ?? [];
      if (typeof value !== 'string' || !symbols.includes(value)) throw new AvroFitError(path, `one of ${symbols.join(', ')}`);
      return value;
    }
    case 'array':
      if (!Array.isArray(value)) throw new AvroFitError(path, 'a list');
      return (value as unknown[]).map((v, i) => toAvroDatum(v, o['items'] as AvroSchema, named, `${path}[${i}]`));
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) throw new AvroFitError(path, 'a mapping');
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toAvroDatum(v, o['values'] as AvroSchema, named, `${path}.${k}`)]));
    case 'record':
    case 'error': {
      if (typeof value !== 'object' || Array.isArray(value)) throw new AvroFitError(path, 'a record');
      const given = value as Record<string, unknown>;
      const fields = (o['fields'] as { name: string; type: AvroSchema; default?: unknown }[] | undefined) ?? [];
      const unknown = Object.keys(given).find((k) => !fields.some((f) => f.name === k));
      if (unknown !== undefined) throw new AvroFitError(path ? `${path}.${unknown}` : unknown, `no such field (the schema has ${fields.map((f) => f.name).join(', ')})`);
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const where = path ? `${path}.${f.name}` : f.name;
        out[f.name] = f.name in given || !('default' in f) ? toAvroDatum(given[f.name], f.type, named, where) : f.default;
      }
      return out;
    }
    case 'null':
      throw new AvroFitError(path, 'null');
    default:
      throw new AvroFitError(path, `a type pipec local cannot write (${type})`);
  }
}

function resolveType(schema: AvroSchema, named: Named): string {
  const s = resolve(schema, named);
  return Array.isArray(s) ? 'union' : String((s as Record<string, unknown>)['type']);
}

/** `12.5` at scale 2 → `12.50`: the digits decimalBytes expects. */
function withScale(text: string, scale: number): string {
  const [whole = '0', fraction = ''] = text.split('.');
  return scale === 0 ? whole : `${whole}.${fraction.padEnd(scale, '0').slice(0, scale)}`;
}

/** `2026-01-31T10:00:00.000` without a fraction of zeros, as canonical values are spelled. */
function isoFromMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const base = new Date(ms).toISOString().slice(0, 19);
  const fraction = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return fraction ? `${base}.${fraction}` : base;
}

function timeFromMicros(micros: number): string {
  const s = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return fraction ? `${hms}.${fraction}` : hms;
}

/** A datum avsc read with `schema` as a readable value (the inverse of `toAvroDatum`). */
export function fromAvroDatum(datum: unknown, schema: AvroSchema, named: Named = namesOf(schema)): unknown {
  const s = resolve(schema, named);
  if (datum === null || datum === undefined) return null;
  if (Array.isArray(s)) {
    // Unwrapped unions: the branch whose underlying type the datum has.
    const branch = (s as readonly AvroSchema[]).find((b) => fitsDatum(datum, resolveType(b, named)));
    return branch === undefined ? datum : fromAvroDatum(datum, branch, named);
  }
  const o = s as Record<string, unknown>;
  const logical = o['logicalType'];
  switch (String(o['type'])) {
    case 'int':
      return logical === 'date' ? new Date(Number(datum) * DAY_MS).toISOString().slice(0, 10) : logical === 'time-millis' ? timeFromMicros(Number(datum) * 1000) : datum;
    case 'long':
      if (logical === 'timestamp-millis' || logical === 'local-timestamp-millis') return isoFromMicros(Number(datum) * 1000);
      if (logical === 'timestamp-micros' || logical === 'local-timestamp-micros') return isoFromMicros(Number(datum));
      return logical === 'time-micros' ? timeFromMicros(Number(datum)) : datum;
    case 'bytes':
    case 'fixed':
      return logical === 'decimal' ? decimalString(datum as Buffer, Number(o['scale'] ?? 0)) : (datum as Buffer).toString('base64');
    case 'array':
      return (datum as unknown[]).map((v) => fromAvroDatum(v, o['items'] as AvroSchema, named));
    case 'map':
      return Object.fromEntries(Object.entries(datum as Record<string, unknown>).map(([k, v]) => [k, fromAvroDatum(v, o['values'] as AvroSchema, named)]));
    case 'record':
    case 'error': {
      const fields = (o['fields'] as { name: string; type: AvroSchema }[] | undefined) ?? [];
      const given = datum as Record<string, unknown>;
      return Object.fromEntries(fields.map((f) => [f.name, fromAvroDatum(given[f.name], f.type, named)]));
    }
    default:
      return datum;
  }
}

function fitsDatum(datum: unknown, type: string): boolean {
  switch (typeof datum) {
    case 'number':
      return ['int', 'long', 'float', 'double'].includes(type);
    case 'boolean':
      return type === 'boolean';
    case 'string':
      return type === 'string' || type === 'enum';
    default:
      if (Buffer.isBuffer(datum)) return type === 'bytes' || type === 'fixed';
      if (Array.isArray(datum)) return type === 'array';
      return type === 'record' || type === 'error' || type === 'map';
  }
}
