/**
 * Test values in one canonical spelling per column type, so a value a user wrote in a test file and the value a
 * Flink job produced compare equal exactly when they are the same SQL value: `12.5`, `'12.50'` and Flink's
 * `12.50` are one DECIMAL(12, 2); `2026-01-01 10:00` and `2026-01-01T10:00:00.000` one TIMESTAMP(3).
 * The canonical form is also what the test runner's JSON sources read (Flink's JSON formats, ISO-8601 timestamps).
 */
import { formatType, type SqlType } from '../types/types.ts';

export type CanonicalValue = string | number | boolean | null | readonly CanonicalValue[] | { readonly [field: string]: CanonicalValue };

export type Canonicalized = { readonly ok: true; readonly value: CanonicalValue } | { readonly ok: false; readonly expected: string };

const fail = (expected: string): Canonicalized => ({ ok: false, expected });
const ok = (value: CanonicalValue): Canonicalized => ({ ok: true, value });

const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  TINYINT: [-128n, 127n],
  SMALLINT: [-32768n, 32767n],
  INT: [-2147483648n, 2147483647n],
  BIGINT: [-9223372036854775808n, 9223372036854775807n],
};

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** `value` as a value of `type`, canonical; or what was expected instead. */
export function canonicalize(given: unknown, type: SqlType): Canonicalized {
  // YAML integers arrive as BigInt; as a number they are exact up to 2^53, and text beyond.
  const value = typeof given === 'bigint' ? (given >= BigInt(Number.MIN_SAFE_INTEGER) && given <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(given) : given.toString()) : given;
  if (value === null || value === undefined) return type.nullable ? ok(null) : fail(`a value (the column is ${formatType(type)})`);
  switch (type.kind) {
    case 'BOOLEAN':
      return typeof value === 'boolean' ? ok(value) : fail('true or false');
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT': {
      const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? value.trim() : undefined;
      const [low, high] = INTEGER_RANGES[type.kind] ?? [0n, 0n];
      if (text === undefined || BigInt(text) < low || BigInt(text) > high) return fail(`an integer from ${low} to ${high}`);
      const n = BigInt(text);
      return ok(n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(n) ? ok(n) : fail('a number');
    }
    case 'DECIMAL':
      return decimal(value, type.precision, type.scale);
    case 'CHAR':
    case 'VARCHAR':
      return typeof value === 'string' ? ok(value) : typeof value === 'number' || typeof value === 'boolean' ? ok(String(value)) : fail('a string');
    case 'BINARY':
    case 'VARBINARY':
      return typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? ok(Buffer.from(value, 'base64').toString('base64')) : fail('base64 text');
    case 'DATE':
      return typeof value === 'string' && DATE.test(value) && validDate(value) ? ok(value) : fail("a date such as '2026-01-31'");
    case 'TIME': {
      const m = typeof value === 'string' ? TIME.exec(value) : null;
      return m ? ok(`${m[1]}:${m[2]}:${m[3] ?? '00'}${fraction(m[4])}`) : fail("a time such as '13:45:00'");
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      const m = typeof value === 'string' ? TIMESTAMP.exec(value.trim()) : null;
      if (!m || !validDate(m[1] ?? '')) return fail(`an ISO timestamp such as '2026-01-31T13:45:00'${type.kind === 'TIMESTAMP_LTZ' ? " (UTC; a trailing 'Z' is optional)" : ''}`);
      const text = `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${fraction(m[5])}`;
      return ok(type.kind === 'TIMESTAMP_LTZ' ? `${text}Z` : text);
    }
    case 'ARRAY': {
      if (!Array.isArray(value)) return fail('a list');
      const out: CanonicalValue[] = [];
      for (const element of value as unknown[]) {
        const c = canonicalize(element, type.element);
        if (!c.ok) return fail(`a list of ${formatType(type.element)}`);
        out.push(c.value);
      }
      return ok(out);
    }
    case 'MAP': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail('a mapping');
      const out: Record<string, CanonicalValue> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const c = canonicalize(v, type.value);
        if (!c.ok) return fail(`a mapping to ${formatType(type.value)}`);
        out[k] = c.value;
      }
      return ok(out);
    }
    case 'ROW': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail(`a record with fields ${type.fields.map((f) => f.name).join(', ')}`);
      const given = value as Record<string, unknown>;
      const unknown = Object.keys(given).find((k) => !type.fields.some((f) => f.name === k));
      if (unknown !== undefined) return fail(`a record with fields ${type.fields.map((f) => f.name).join(', ')} (not ${unknown})`);
      const out: Record<string, CanonicalValue> = {};
      for (const f of type.fields) {
        const c = canonicalize(given[f.name], f.type);
        if (!c.ok) return fail(`field ${f.name} to be ${c.expected}`);
        out[f.name] = c.value;
      }
      return ok(out);
    }
    case 'MULTISET':
    case 'INTERVAL':
    case 'NULL':
    case 'ERROR':
      return fail(`a type tests cannot spell (${formatType(type)})`);
  }
}

function decimal(value: unknown, precision: number, scale: number): Canonicalized {
  const expected = `a decimal with at most ${precision - scale} digit${precision - scale === 1 ? '' : 's'} before the point and ${scale} after`;
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const m = text === undefined || /e/i.test(text) ? null : DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return fail(expected);
  const whole = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const frac = m[3] ?? '';
  if (frac.replace(/0+$/, '').length > scale || (whole === '0' ? 0 : whole.length) > precision - scale) return fail(expected);
  const sign = m[1] === '-' && /[1-9]/.test(whole + frac) ? '-' : '';
  return ok(scale === 0 ? `${sign}${whole}` : `${sign}${whole}.${frac.padEnd(scale, '0').slice(0, scale)}`);
}

function fraction(digits: string | undefined): string {
  const trimmed = (digits ?? '').replace(/0+$/, '');
  return trimmed === '' ? '' : `.${trimmed}`;
}

function validDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** A canonical value as one line of text for diffs: strings quoted only when needed. */
export function showValue(value: CanonicalValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
