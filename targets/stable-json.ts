/**
 * Stable, reviewable JSON: keys sorted at every level, two-space indent, trailing newline; `undefined` fields
 * are left out. The output is byte for byte `JSON.stringify(value, sortKeysReplacer, 2)` for JSON-shaped data
 * (plain objects, arrays, strings, numbers, booleans, null, undefined, `toJSON`), written directly because a
 * replacer that copies every object made serializing the plan.json of 1,000 pipelines take about a second.
 */
export function stableJson(value: unknown): string {
  return `${write(value, '', '', PRETTY) ?? 'undefined'}\n`;
}

/**
 * The same with no whitespace but the trailing newline (`JSON.stringify(value, sortKeysReplacer)`): for files
 * that tools read and people rarely do, where the indent was half the bytes. Fields named in `omit` are left
 * out at every level.
 */
export function compactStableJson(value: unknown, omit: readonly string[] = []): string {
  return `${write(value, '', '', omit.length === 0 ? COMPACT : { ...COMPACT, omit: new Set(omit) }) ?? 'undefined'}\n`;
}

interface Layout {
  /** Added per level of nesting. */
  readonly indent: string;
  /** Before each item and the closing bracket. */
  readonly newline: string;
  /** Between a key and its value. */
  readonly colon: string;
  /** Fields left out wherever they are. */
  readonly omit?: ReadonlySet<string>;
}

const PRETTY: Layout = { indent: '  ', newline: '\n', colon: ': ' };
const COMPACT: Layout = { indent: '', newline: '', colon: ':' };

/** Canonical array indices, which V8 enumerates first and in numeric order in any object. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;
const isArrayIndex = (key: string): boolean => ARRAY_INDEX.test(key) && Number(key) < 4294967295;

/** The JSON text of `value`, or undefined where JSON.stringify leaves a value out. */
function write(input: unknown, key: string, indent: string, layout: Layout): string | undefined {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value, indent, layout) : writeObject(value as Record<string, unknown>, indent, layout);
  }
}

function writeArray(items: readonly unknown[], indent: string, layout: Layout): string {
  if (items.length === 0) return '[]';
  const inner = indent + layout.indent;
  const before = layout.newline + inner;
  let out = '[';
  for (let i = 0; i < items.length; i++) out += `${i === 0 ? before : `,${before}`}${write(items[i], String(i), inner, layout) ?? 'null'}`;
  return `${out}${layout.newline}${indent}]`;
}

function writeObject(record: Record<string, unknown>, indent: string, layout: Layout): string {
  const inner = indent + layout.indent;
  const before = layout.newline + inner;
  let out = '';
  for (const key of sortedKeys(record)) {
    if (layout.omit?.has(key)) continue;
    const text = write(record[key], key, inner, layout);
    if (text === undefined) continue;
    out += `${out === '' ? before : `,${before}`}${JSON.stringify(key)}${layout.colon}${text}`;
  }
  return out === '' ? '{}' : `{${out}${layout.newline}${indent}}`;
}

function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  if (!keys.some(isArrayIndex)) return keys;
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isArrayIndex(k))];
}
