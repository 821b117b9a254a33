/**
 * The real-run check of sink rows against the schema pipec registers (test/conformance/fits-schema.ts), on
 * schemas pipec's own generators write: rows as the test runner collects them fit; a NULL where the schema has
 * none, a value of another kind, a decimal beyond its scale or precision, a missing or an extra field do not.
 */
import { describe, expect, test } from 'vitest';
import { rowToAvro } from '../../../compiler/schemas/row-to-avro.ts';
import { rowToJsonSchema } from '../../../compiler/schemas/row-to-json-schema.ts';
import type { CanonicalValue } from '../../../compiler/testing/values.ts';
import { t, type RowField } from '../../../compiler/types/types.ts';
import { misfits, type Registered } from '../../conformance/fits-schema.ts';

const ROW: readonly RowField[] = [
  { name: 'id', type: t.string(false) },
  { name: 'n', type: t.int(false) },
  { name: 'big', type: t.bigint() },
  { name: 'amount', type: t.decimal(6, 2, false) },
  { name: 'at', type: t.timestamp(3, false) },
  { name: 'day', type: t.date() },
  { name: 'tags', type: t.array(t.string(false)) },
  { name: 'attrs', type: t.map(t.string(false), t.double()) },
  { name: 'address', type: t.row([{ name: 'city', type: t.string() }, { name: 'zip', type: t.int(false) }], false) },
];

const GOOD: Record<string, CanonicalValue> = {
  id: 'p-1',
  n: 3,
  big: '9007199254740993',
  amount: '1234.50',
  at: '2026-03-01T09:00:05',
  day: null,
  tags: ['a', 'b'],
  attrs: { x: 1.5, y: null },
  address: { city: null, zip: 8000 },
};

function registered(schemaType: 'AVRO' | 'JSON'): Registered {
  const generated = schemaType === 'AVRO' ? rowToAvro(ROW, { namespace: 'test', name: 'S' }) : rowToJsonSchema(ROW, { namespace: 'test', name: 'S' });
  if (!generated.ok) throw new Error('the test row has no schema');
  return { schemaType, schema: generated.schema };
}

describe.each(['AVRO', 'JSON'] as const)('%s', (schemaType) => {
  const schema = registered(schemaType);

  test('a row of the sink\'s columns fits', () => {
    expect(misfits(GOOD, schema)).toEqual([]);
  });

  test.each([
    ['a NULL in a NOT NULL column', { ...GOOD, n: null }, 'n'],
    ['a NULL in a NOT NULL field of a record', { ...GOOD, address: { city: 'x', zip: null } }, 'address.zip'],
    ['a NULL element where elements are NOT NULL', { ...GOOD, tags: ['a', null] }, 'tags[1]'],
    ['a string for an int', { ...GOOD, n: '3' }, 'n'],
    ['a fraction for an int', { ...GOOD, n: 1.5 }, 'n'],
    ['an int beyond 32 bits', { ...GOOD, n: 2 ** 31 }, 'n'],
    ['a decimal with more digits after the point than the scale', { ...GOOD, amount: '1.234' }, 'amount'],
    ['a decimal with more digits before the point than the precision allows', { ...GOOD, amount: '12345.00' }, 'amount'],
    ['an instant for a local timestamp', { ...GOOD, at: '2026-03-01T09:00:05Z' }, 'at'],
    ['a number for a string in a map', { ...GOOD, attrs: { x: 'high' } }, 'attrs{x}'],
    ['an extra column', { ...GOOD, extra: 1 }, 'extra'],
  ])('%s does not', (_what, row, path) => {
    const problems = misfits(row, schema);
    expect(problems.length, problems.join('\n')).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^${path.replace(/[[\]{}.]/g, '\\$&')}: `));
  });

  test('a missing NOT NULL column does not', () => {
    const { n: _n, ...row } = GOOD;
    expect(misfits(row, schema).join('\n')).toMatch(/^n: missing/);
  });
});
