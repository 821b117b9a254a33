/**
 * Stable, reviewable JSON: keys sorted at every level, two-space indent, trailing newline; `undefined` fields
 * are left out. The output is byte for byte `JSON.stringify(value, sortKeysReplacer, 2)` for JSON-shaped data
 * (plain objects, arrays, strings, numbers, booleans, null, undefined, `toJSON`), written directly because a
 * replacer that copies every object made serializing the plan.json of 1,000 pipelines take about a second.
 */
export function stableJson(value: unknown): string {
  return `${write(value, '', '') ?? 'undefined'}\n`;
}

const INDENT = '  ';

/** Canonical array indices, which V8 enumerates first and in numeric order in any object. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;
const isArrayIndex = (key: string): boolean => ARRAY_INDEX.test(key) && Number(key) < 4294967295;

/** The JSON text of `value`, or undefined where JSON.stringify leaves a value out. */
function write(input: unknown, key: string, indent: string): string | undefined {
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
      return Array.isArray(value) ? writeArray(value, indent) : writeObject(value as Record<string, unknown>, indent);
  }
}

function writeArray(items: readonly unknown[], indent: string): string {
  if (items.length === 0) return '[]';
  const inner = indent + INDENT;
  let out = '[';
  for (let i = 0; i < items.length; i++) out += `${i === 0 ? '\n' : ',\n'}${inner}${write(items[i], String(i), inner) ?? 'null'}`;
  return `${out}\n${indent}]`;
}

function writeObject(record: Record<string, unknown>, indent: string): string {
  const inner = indent + INDENT;
  let out = '';
  for (const key of sortedKeys(record)) {
    const text = write(record[key], key, inner);
    if (text === undefined) continue;
    out += `${out === '' ? '\n' : ',\n'}${inner}${JSON.stringify(key)}: ${text}`;
  }
  return out === '' ? '{}' : `{${out}\n${indent}}`;
}

function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  if (!keys.some(isArrayIndex)) return keys;
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isArrayIndex(k))];
}
