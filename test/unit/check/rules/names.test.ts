import { expect, test } from 'vitest';
import { nameProblem, namesRule } from '../../../../compiler/check/rules/names.ts';
import { runRule } from '../../../helpers/check.ts';

test('ordinary and unicode names are fine', () => {
  expect(nameProblem('payment_id')).toBeUndefined();
  expect(nameProblem('Zahlungsbetrag_€')).toBeUndefined();
  expect(nameProblem('a'.repeat(256))).toBeUndefined();
});

test('names Flink refuses are reported', () => {
  expect(nameProblem('   ')).toMatch(/white space/);
  expect(nameProblem('a'.repeat(257))).toMatch(/257 characters/);
  expect(nameProblem('a\nb')).toMatch(/line break/);
  // What the SQL printer cannot quote is reported here, not as an internal error there.
  expect(nameProblem('a\u2028b')).toMatch(/line break/);
  expect(nameProblem('a\ud800b')).toMatch(/lone surrogate/);
});

test('a stream column named with a line break is reported', () => {
  expect(runRule(namesRule, "stream s as select amount as `a\nb` from payments;\nsink s into kafka topic 'o' format avro;")).toMatchInlineSnapshot(`
    [
      {
        "at": "\`a
    b\`",
        "code": "invalid-name",
        "message": "Flink cannot use the name "a\\nb": it contains a line break, another control character or a lone surrogate",
      },
    ]
  `);
});

test('a stream named with a line separator is reported, not an internal error', () => {
  expect(runRule(namesRule, "stream `a\u2028b` as select amount from payments;\nsink `a\u2028b` into kafka topic 'o' format avro;")).toMatchInlineSnapshot(`
    [
      {
        "at": "\`a b\`",
        "code": "invalid-name",
        "message": "Flink cannot use the name "a b": it contains a line break, another control character or a lone surrogate",
      },
    ]
  `);
});

test('a subquery column and a union branch column named only white space are reported, not an internal error', () => {
  const body = [
    'stream s as select q.amount from (select amount, amount * 2 as `   ` from payments) q;',
    "sink s into kafka topic 'o' format avro;",
    "stream u as select amount from payments union all select amount as ` ` from payments;",
    "sink u into kafka topic 'u' format avro;",
  ].join('\n');
  expect(runRule(namesRule, body).map((f) => [f.code, f.at])).toEqual([
    ['invalid-name', '`   `'],
    ['invalid-name', '` `'],
  ]);
});
