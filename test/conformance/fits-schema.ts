/**
 * Does a row a sink received fit the schema pipec registers for that sink? Rows come as the test runner collects
 * them (CollectFunction.java: decimals, temporals and bytes as text, big integers as text), schemas as pipec
 * registers them (row-to-avro.ts, row-to-json-schema.ts). A NULL where the schema has no null, a value of
 * another kind, a decimal with more digits than the schema's precision or scale, a missing or an extra field:
 * each is a problem, named by its path. Pure.
 */
import type { CanonicalValue } from '../../compiler/testing/values.ts';

export interface Registered {
  readonly schemaType: 'AVRO' | 'JSON' | 'PROTOBUF';
  readonly schema: string;
}

/** What about `value` does not fit `registered` (empty when it fits); PROTOBUF is not checked. */
export function misfits(value: CanonicalValue, registered: Registered): string[] {
  const problems: string[] = [];
  const schema = JSON.parse(registered.schema) as unknown;
  if (registered.schemaType === 'AVRO') avro(value, schema, '', problems, new Map(), '');
  else if (registered.schemaType === 'JSON') json(value, schema as JsonSchema, '', problems);
  return problems;
}

// ── Avro ───────────────────────────────────────────────────────────────────────────────────────────

type Named = Map<string, unknown>;
const INT32: readonly [number, number] = [-(2 ** 31), 2 ** 31 - 1];
const DECIMAL_TEXT = /^-?(\d+)(?:\.(\d+))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const LOCAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const show = (v: CanonicalValue): string => JSON.stringify(v);
const at = (path: string): string => path || '(the record)';

function avro(value: CanonicalValue, schema: unknown, path: string, problems: string[], named: Named, namespace: string): void {
  const fail = (what: string): void => {
    problems.push(`${at(path)}: ${show(value)} is not ${what}`);
  };
  if (Array.isArray(schema)) {
    if (value === null) {
      if (!schema.includes('null')) fail(`in ${JSON.stringify(schema)} (no null)`);
      return;
    }
    const branches = schema.filter((b) => b !== 'null');
    // The first branch the value fits; if none does, the problems of the first non-null one.
    for (const branch of branches) {
      const own: string[] = [];
      avro(value, branch, path, own, named, namespace);
      if (own.length === 0) return;
    }
    avro(value, branches[0], path, problems, named, namespace);
    return;
  }
  if (typeof schema === 'string') {
    const known = named.get(schema) ?? named.get(`${namespace}.${schema}`);
    if (known !== undefined) {
      avro(value, known, path, problems, named, namespace);
      return;
    }
    primitive(value, schema, undefined, fail);
    return;
  }
  if (typeof schema !== 'object' || schema === null) {
    fail(`of the schema ${JSON.stringify(schema)}`);
    return;
  }
  const s = schema as Record<string, unknown>;
  const type = s['type'];
  if (value === null) {
    fail(`a ${JSON.stringify(type)} (the schema has no null here)`);
    return;
  }
  switch (type) {
    case 'record': {
      const ns = typeof s['namespace'] === 'string' ? s['namespace'] : namespace;
      const name = String(s['name']);
      named.set(name.includes('.') ? name : ns ? `${ns}.${name}` : name, schema);
      named.set(name, schema);
      if (typeof value !== 'object' || Array.isArray(value)) return fail('a record');
      const fields = (s['fields'] as { name: string; type: unknown }[] | undefined) ?? [];
      const record = value as Record<string, CanonicalValue>;
      for (const f of fields) {
        if (!(f.name in record)) problems.push(`${path}${path ? '.' : ''}${f.name}: missing (the schema has it)`);
        else avro(record[f.name] ?? null, f.type, `${path}${path ? '.' : ''}${f.name}`, problems, named, ns);
      }
      for (const k of Object.keys(record)) if (!fields.some((f) => f.name === k)) problems.push(`${path}${path ? '.' : ''}${k}: not in the schema`);
      return;
    }
    case 'enum': {
      const ns = typeof s['namespace'] === 'string' ? s['namespace'] : namespace;
      named.set(String(s['name']), schema);
      named.set(`${ns}.${String(s['name'])}`, schema);
      const symbols = (s['symbols'] as string[] | undefined) ?? [];
      if (typeof value !== 'string' || !symbols.includes(value)) fail(`one of ${symbols.join(', ')}`);
      return;
    }
    case 'fixed':
      named.set(String(s['name']), schema);
      primitive(value, 'bytes', s, fail);
      return;
    case 'array':
      if (!Array.isArray(value)) return fail('an array');
      value.forEach((e: CanonicalValue, i: number) => avro(e, s['items'], `${path}[${i}]`, problems, named, namespace));
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return fail('a map');
      for (const [k, v] of Object.entries(value as Record<string, CanonicalValue>)) avro(v, s['values'], `${path}{${k}}`, problems, named, namespace);
      return;
    default:
      if (typeof type === 'string') primitive(value, type, s, fail);
      else avro(value, type, path, problems, named, namespace);
  }
}

/** A primitive Avro type, with its logical type (`logical`: the schema object, if any). */
function primitive(value: CanonicalValue, type: string, logical: Record<string, unknown> | undefined, fail: (what: string) => void): void {
  const logicalType = logical?.['logicalType'];
  if (value === null) return type === 'null' ? undefined : fail(`a ${type} (the schema has no null here)`);
  switch (logicalType) {
    case 'decimal':
      return decimal(value, Number(logical?.['precision']), Number(logical?.['scale'] ?? 0), fail);
    case 'date':
      return typeof value === 'string' && DATE.test(value) ? undefined : fail('a date');
    case 'time-millis':
    case 'time-micros':
      return typeof value === 'string' && TIME.test(value) ? undefined : fail('a time of day');
    case 'timestamp-millis':
    case 'timestamp-micros':
    case 'local-timestamp-millis':
    case 'local-timestamp-micros':
      // Flink's avro format writes TIMESTAMP (a local date-time) as timestamp-*; it cannot write TIMESTAMP_LTZ.
      return typeof value === 'string' && LOCAL_TIMESTAMP.test(value) ? undefined : fail(`a timestamp without a time zone (${String(logicalType)})`);
    default:
  }
  switch (type) {
    case 'null':
      return fail('null');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : fail('a boolean');
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT32[0] && value <= INT32[1] ? undefined : fail('an int');
    case 'long':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value)) ? undefined : fail('a long');
    case 'float':
    case 'double':
      return typeof value === 'number' || (typeof value === 'string' && /^(-?Infinity|NaN)$/.test(value)) ? undefined : fail(`a ${type}`);
    case 'string':
      return typeof value === 'string' ? undefined : fail('a string');
    case 'bytes':
      return typeof value === 'string' && BASE64.test(value) ? undefined : fail('bytes (base64)');
    default:
      return fail(`of the Avro type ${type}`);
  }
}

function decimal(value: CanonicalValue, precision: number, scale: number, fail: (what: string) => void): void {
  const m = typeof value === 'string' ? DECIMAL_TEXT.exec(value) : null;
  if (!m) return fail(`a decimal(${precision}, ${scale})`);
  const whole = (m[1] ?? '').replace(/^0+/, '');
  const fraction = m[2] ?? '';
  if (fraction.length > scale || whole.length > precision - scale) fail(`a decimal(${precision}, ${scale})`);
}

// ── JSON Schema (the subset pipec registers) ───────────────────────────────────────────────────────

interface JsonSchema {
  readonly type?: string;
  readonly oneOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly format?: string;
  readonly contentEncoding?: string;
  readonly 'connect.type'?: string;
  readonly 'connect.parameters'?: Readonly<Record<string, string>>;
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = { int8: [-128, 127], int16: [-32768, 32767], int32: INT32 };

function json(value: CanonicalValue, schema: JsonSchema, path: string, problems: string[]): void {
  const fail = (what: string): void => {
    problems.push(`${at(path)}: ${show(value)} is not ${what}`);
  };
  const misfitsOf = (branch: JsonSchema): string[] => {
    const own: string[] = [];
    json(value, branch, path, own);
    return own;
  };
  if (schema.oneOf) {
    // pipec's nullable values are `oneOf: [{"type": "null"}, T]`: a NULL fits the first, anything else T.
    const branches = schema.oneOf.filter((b) => (value === null) === (b.type === 'null'));
    if (branches.length === 0) return fail(`of ${JSON.stringify(schema.oneOf.map((b) => b.type))}`);
    if (branches.some((b) => misfitsOf(b).length === 0)) return;
    problems.push(...misfitsOf(branches[0] ?? {}));
    return;
  }
  switch (schema.type) {
    case 'null':
      return value === null ? undefined : fail('null');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : fail('a boolean');
    case 'integer': {
      const range = INTEGER_RANGES[schema['connect.type'] ?? ''];
      if (typeof value === 'string' && /^-?\d+$/.test(value) && range === undefined) return;
      return typeof value === 'number' && Number.isInteger(value) && (range === undefined || (value >= range[0] && value <= range[1])) ? undefined : fail(`an integer (${schema['connect.type'] ?? 'any'})`);
    }
    case 'number': {
      // Flink's json format writes a DECIMAL as a number; the runner collects it as its exact text.
      const parameters = schema['connect.parameters'];
      if (parameters && typeof value === 'string') return decimal(value, Number(parameters['connect.decimal.precision']), Number(parameters['scale']), fail);
      return typeof value === 'number' || (typeof value === 'string' && /^(-?Infinity|NaN)$/.test(value)) ? undefined : fail('a number');
    }
    case 'string': {
      if (typeof value !== 'string') return fail('a string');
      const format = schema.format;
      if (format === 'date' && !DATE.test(value)) fail('a date');
      if (format === 'time' && !TIME.test(value)) fail('a time of day');
      if (format === 'date-time' && !INSTANT.test(value)) fail('an instant (date-time)');
      if (format !== undefined && !['date', 'time', 'date-time'].includes(format) && !LOCAL_TIMESTAMP.test(value)) fail(`a local date-time (${format})`);
      if (schema.contentEncoding === 'base64' && !BASE64.test(value)) fail('base64');
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return fail('an array');
      if (schema.items) for (const [i, e] of (value as CanonicalValue[]).entries()) json(e, schema.items, `${path}[${i}]`, problems);
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('an object');
      const record = value as Record<string, CanonicalValue>;
      const properties = schema.properties ?? {};
      for (const name of schema.required ?? []) if (!(name in record) || record[name] === null) problems.push(`${path}${path ? '.' : ''}${name}: ${name in record ? 'null' : 'missing'}, but required`);
      for (const [k, v] of Object.entries(record)) {
        const own = properties[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        const sub = schema.properties ? `${path}${path ? '.' : ''}${k}` : `${path}{${k}}`;
        if (own) json(v, own, sub, problems);
        else if (schema.additionalProperties === false) problems.push(`${sub}: not in the schema`);
      }
      return;
    }
    default:
      fail(`of the JSON Schema type ${String(schema.type)}`);
  }
}
