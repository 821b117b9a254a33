import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableStringify } from '../../../compiler/schemas/fingerprint.ts';
import { compactStableJson, stableJson } from '../../../targets/stable-json.ts';

/** The definition stableJson is written to match: JSON.stringify with a replacer that sorts every object's keys. */
function reference(value: unknown, indent = 2): string {
  const sortKeys = (_key: string, v: unknown): unknown => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const record = v as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(record).sort()) sorted[k] = record[k];
    return sorted;
  };
  return `${JSON.stringify(value, sortKeys, indent)}\n`;
}

// JSON values plus what JSON leaves out or rewrites: undefined fields and items, non-finite numbers, -0.
const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '2', '10', '01', '-1', '4294967294', '4294967295', 'a', 'B', '_'));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key.filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 5 })),
}));

describe('stableJson', () => {
  it('is JSON.stringify with sorted keys and a two-space indent', () => {
    fc.assert(fc.property(value, (v) => stableJson(v) === reference(v)), { numRuns: 2000 });
  });

  it('compactStableJson is the same without whitespace', () => {
    fc.assert(fc.property(value, (v) => compactStableJson(v) === reference(v, 0)), { numRuns: 2000 });
    expect(compactStableJson({ b: [1, { d: 2, c: undefined }], a: {} })).toBe('{"a":{},"b":[1,{"d":2}]}\n');
  });

  it('compactStableJson leaves out the named fields at every level', () => {
    expect(compactStableJson({ span: 1, a: [{ span: { x: 1 }, b: 2 }], c: { span: null } }, ['span'])).toBe('{"a":[{"b":2}],"c":{}}\n');
  });

  it('orders array-index keys numerically first, as objects enumerate them', () => {
    expect(stableJson({ b: 1, 10: 2, a: 3, 2: 4 })).toBe('{\n  "2": 4,\n  "10": 2,\n  "a": 3,\n  "b": 1\n}\n');
  });

  it('leaves out undefined fields, writes null for undefined items and calls toJSON', () => {
    const at = new Date(Date.UTC(2024, 0, 2));
    expect(stableJson({ z: undefined, at, list: [undefined, Number.NaN, -0], empty: {}, none: [] })).toBe(reference({ z: undefined, at, list: [undefined, Number.NaN, -0], empty: {}, none: [] }));
    expect(stableJson({ at })).toContain('"at": "2024-01-02T00:00:00.000Z"');
  });
});

/** stableStringify as first written (entries sorted with `<`, mapped and joined): hashes must not change. */
function referenceCompact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceCompact).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCompact(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

describe('stableStringify (content hashes)', () => {
  it('is unchanged from its first definition', () => {
    fc.assert(fc.property(value, (v) => stableStringify(v) === referenceCompact(v)), { numRuns: 2000 });
    expect(stableStringify({ b: [1, undefined], a: { d: 'x', c: null } })).toBe('{"a":{"c":null,"d":"x"},"b":[1,null]}');
  });
});
