/**
 * Flink SQL type names as written in CAST / TRY_CAST (`DECIMAL(10, 2)`, `ARRAY<STRING NOT NULL>`,
 * `ROW<id BIGINT, tags MAP<STRING, STRING>>`) → SqlType, with Flink's defaults and ranges.
 *
 * Spellings and defaults are those of Flink SQL (docs `dev/table/types.md`; the planner's FlinkTypeSystem
 * for the SQL-only defaults): INT = INTEGER; DECIMAL = DEC = NUMERIC, default (10, 0); REAL = FLOAT (Flink's
 * FLOAT is 4-byte); CHAR and BINARY default to length 1; VARCHAR and VARBINARY without a length are unbounded
 * (FlinkTypeSystem's default precision for them is Integer.MAX_VALUE, i.e. STRING and BYTES); TIME defaults to
 * precision 0 and is only supported with precision 0 by the planner; TIMESTAMP and TIMESTAMP_LTZ default to
 * precision 6 ("timestamp with microseconds", FlinkTypeSystem) and range over 0..9.
 * Multi-word spellings (DOUBLE PRECISION, TIMESTAMP WITH LOCAL TIME ZONE, INTERVAL … TO …) cannot be written
 * in .pipe's grammar; their one-word forms are offered instead.
 */
import { suggestionList } from '../diagnostics/suggest.ts';
import type { RowField, SqlType } from './types.ts';

/**
 * A type reference as the parser produces it. The AST's `TypeRef` fits as it is (its `params` are number
 * literals with a `value`, its `fieldNames` identifiers with a `name`); plain numbers and strings work too.
 */
export interface TypeNameInput {
  /** Case-insensitive. */
  readonly name: string;
  readonly params: readonly (number | { readonly value: number })[];
  readonly elements: readonly TypeNameInput[];
  readonly fieldNames: readonly (string | { readonly name: string })[];
  readonly notNull: boolean;
}

export type ParsedType =
  | { readonly ok: true; readonly type: SqlType }
  | { readonly ok: false; readonly problem: string; readonly candidates: string[] };

const MAX_LENGTH = 2_147_483_647;
const MAX_PRECISION = 38;
const MAX_TIME_PRECISION = 9;

/** The type names Flink SQL knows, in one word. */
export const TYPE_NAMES: readonly string[] = [
  'BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'INTEGER', 'BIGINT', 'FLOAT', 'REAL', 'DOUBLE', 'DECIMAL', 'DEC', 'NUMERIC',
  'CHAR', 'VARCHAR', 'STRING', 'BINARY', 'VARBINARY', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ',
  'ARRAY', 'MULTISET', 'MAP', 'ROW',
];

/** Names from other SQL dialects, Avro, Protobuf and JSON Schema, and the Flink type users mean by them. */
const FOREIGN_NAMES: Readonly<Record<string, string>> = {
  BOOL: 'BOOLEAN', BIT: 'BOOLEAN', BYTE: 'TINYINT', SHORT: 'SMALLINT', INT8: 'TINYINT', INT16: 'SMALLINT', INT32: 'INT',
  INT64: 'BIGINT', LONG: 'BIGINT', FLOAT32: 'FLOAT', FLOAT64: 'DOUBLE', NUMBER: 'DECIMAL', TEXT: 'STRING', UUID: 'STRING',
  JSON: 'STRING', NVARCHAR: 'VARCHAR', BLOB: 'BYTES', BYTEA: 'BYTES', DATETIME: 'TIMESTAMP', TIMESTAMPTZ: 'TIMESTAMP_LTZ',
  TIMESTAMP_TZ: 'TIMESTAMP_LTZ', LIST: 'ARRAY', STRUCT: 'ROW', RECORD: 'ROW', OBJECT: 'ROW',
};

/** Why a recognisable name cannot be used, with what to write instead. */
const UNSUPPORTED: Readonly<Record<string, { problem: string; candidates: string[] }>> = {
  INTERVAL: { problem: 'interval types cannot be written in a cast; use an interval literal such as `interval 5 minute`', candidates: [] },
  NULL: { problem: 'NULL is not a type to cast to; `cast(null as <type>)` gives a typed NULL', candidates: [] },
  RAW: { problem: 'RAW types cannot be written in .pipe', candidates: [] },
  VARIANT: { problem: 'VARIANT is not supported by the Flink versions pipec targets', candidates: ['STRING'] },
};

export function parseTypeName(ref: TypeNameInput): ParsedType {
  const name = ref.name.toUpperCase();
  const params = ref.params.map((p) => (typeof p === 'number' ? p : p.value));
  const nullable = !ref.notNull;
  const fail = (problem: string, candidates: string[] = []): ParsedType => ({ ok: false, problem, candidates });
  const ok = (type: SqlType): ParsedType => ({ ok: true, type });
  const bad = params.find((p) => !Number.isInteger(p));
  if (bad !== undefined) return fail(`${name} takes whole-number parameters, found ${bad}`);
  const noParams = (type: SqlType): ParsedType => (params.length > 0 ? fail(`${name} takes no parameters`) : ok(type));
  if (!['ARRAY', 'MULTISET', 'MAP', 'ROW'].includes(name) && ref.elements.length > 0) return fail(`${name} takes no element types`);

  switch (name) {
    case 'BOOLEAN': return noParams({ kind: 'BOOLEAN', nullable });
    case 'TINYINT': return noParams({ kind: 'TINYINT', nullable });
    case 'SMALLINT': return noParams({ kind: 'SMALLINT', nullable });
    case 'INT': case 'INTEGER': return noParams({ kind: 'INT', nullable });
    case 'BIGINT': return noParams({ kind: 'BIGINT', nullable });
    case 'FLOAT': case 'REAL': return noParams({ kind: 'FLOAT', nullable });
    case 'DOUBLE': return noParams({ kind: 'DOUBLE', nullable });
    case 'DATE': return noParams({ kind: 'DATE', nullable });
    case 'STRING': return noParams({ kind: 'VARCHAR', length: undefined, nullable });
    case 'BYTES': return noParams({ kind: 'VARBINARY', length: undefined, nullable });
    case 'DECIMAL': case 'DEC': case 'NUMERIC': {
      if (params.length > 2) return fail(`${name} takes a precision and a scale, found ${params.length} parameters`);
      const [precision = 10, scale = 0] = params;
      if (precision < 1 || precision > MAX_PRECISION) return fail(`${name} precision must be between 1 and ${MAX_PRECISION}, found ${precision}`);
      if (scale < 0 || scale > precision) return fail(`${name} scale must be between 0 and the precision (${precision}), found ${scale}`);
      return ok({ kind: 'DECIMAL', precision, scale, nullable });
    }
    case 'CHAR': case 'VARCHAR': case 'BINARY': case 'VARBINARY': {
      if (params.length > 1) return fail(`${name} takes one length, found ${params.length} parameters`);
      const [length] = params;
      if (length !== undefined && (length < 1 || length > MAX_LENGTH)) return fail(`${name} length must be between 1 and ${MAX_LENGTH}, found ${length}`);
      switch (name) {
        case 'CHAR': return ok({ kind: 'CHAR', length: length ?? 1, nullable });
        case 'BINARY': return ok({ kind: 'BINARY', length: length ?? 1, nullable });
        case 'VARCHAR': return ok({ kind: 'VARCHAR', length: length === MAX_LENGTH ? undefined : length, nullable });
        case 'VARBINARY': return ok({ kind: 'VARBINARY', length: length === MAX_LENGTH ? undefined : length, nullable });
      }
      break;
    }
    case 'TIME': {
      if (params.length > 1) return fail(`TIME takes one precision, found ${params.length} parameters`);
      const [precision = 0] = params;
      // Flink's planner supports TIME only with precision 0 (docs: "Supports only a precision of 0").
      if (precision !== 0) return fail(`TIME supports only precision 0 in Flink, found ${precision}`, ['TIME', 'TIMESTAMP']);
      return ok({ kind: 'TIME', precision, nullable });
    }
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': {
      if (params.length > 1) return fail(`${name} takes one precision, found ${params.length} parameters`);
      const [precision = 6] = params;
      if (precision < 0 || precision > MAX_TIME_PRECISION) return fail(`${name} precision must be between 0 and ${MAX_TIME_PRECISION}, found ${precision}`);
      return ok(name === 'TIMESTAMP' ? { kind: 'TIMESTAMP', precision, nullable } : { kind: 'TIMESTAMP_LTZ', precision, nullable });
    }
    case 'ARRAY': case 'MULTISET': {
      if (params.length > 0) return fail(`${name} takes no parameters`);
      const [element] = ref.elements;
      if (element === undefined || ref.elements.length !== 1) return fail(`${name} takes one element type, as in ${name}<STRING>`);
      const parsed = nested(element, `${name} element`);
      if (!parsed.ok) return parsed;
      return ok(name === 'ARRAY' ? { kind: 'ARRAY', element: parsed.type, nullable } : { kind: 'MULTISET', element: parsed.type, nullable });
    }
    case 'MAP': {
      const [key, value] = ref.elements;
      if (params.length > 0) return fail('MAP takes no parameters');
      if (key === undefined || value === undefined || ref.elements.length !== 2) return fail('MAP takes a key type and a value type, as in MAP<STRING, INT>');
      const k = nested(key, 'MAP key');
      if (!k.ok) return k;
      const v = nested(value, 'MAP value');
      if (!v.ok) return v;
      return ok({ kind: 'MAP', key: k.type, value: v.type, nullable });
    }
    case 'ROW': {
      if (params.length > 0) return fail('ROW takes no parameters');
      const names = ref.fieldNames.map((n) => (typeof n === 'string' ? n : n.name));
      if (names.length === 0 || names.length !== ref.elements.length) return fail('ROW takes named fields, as in ROW<id BIGINT, name STRING>');
      const seen = new Set<string>();
      const fields: RowField[] = [];
      for (const [i, fieldName] of names.entries()) {
        // pipec resolves names case-insensitively, so `a` and `A` would be ambiguous.
        if (seen.has(fieldName.toLowerCase())) return fail(`ROW field names must be unique, \`${fieldName}\` appears twice`);
        seen.add(fieldName.toLowerCase());
        const element = ref.elements[i];
        if (element === undefined) return fail('ROW takes named fields, as in ROW<id BIGINT, name STRING>');
        const parsed = nested(element, `ROW field \`${fieldName}\``);
        if (!parsed.ok) return parsed;
        fields.push({ name: fieldName, type: parsed.type });
      }
      return ok({ kind: 'ROW', fields, nullable });
    }
  }
  const unsupported = UNSUPPORTED[name];
  if (unsupported) return fail(unsupported.problem, unsupported.candidates);
  const foreign = FOREIGN_NAMES[name];
  const candidates = foreign ? [foreign] : suggestionList(name, TYPE_NAMES);
  return fail(`\`${ref.name}\` is not a Flink SQL type`, candidates);
}

function nested(ref: TypeNameInput, where: string): ParsedType {
  const parsed = parseTypeName(ref);
  return parsed.ok ? parsed : { ok: false, problem: `in the ${where}: ${parsed.problem}`, candidates: parsed.candidates };
}
