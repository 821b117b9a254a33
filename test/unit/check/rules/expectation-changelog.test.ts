import { expect, test } from 'vitest';
import { expectationChangelogRule } from '../../../../compiler/check/rules/expectation-changelog.ts';
import { checkPipeline, findings, runRule } from '../../../helpers/check.ts';

const totals = 'stream s as select customer_id, sum(amount) as total from payments group by customer_id';

test('an append-only stream sends rejected rows to a dead-letter topic', () => {
  expect(runRule(expectationChangelogRule, "stream s as select * from payments expect positive: amount > 0 else dead letter 'payments.rejected';\nsink s into kafka topic 'o';")).toEqual([]);
});

test('an updating stream cannot: its retractions would leave rejected rows on the topic', () => {
  const body = `${totals}\n  expect positive: total > 0 else dead letter 'totals.rejected';\nsink s into kafka topic 'o' upsert key (customer_id);`;
  expect(runRule(expectationChangelogRule, body)).toMatchInlineSnapshot(`
    [
      {
        "at": "'totals.rejected'",
        "code": "dead-letter-from-updating-stream",
        "message": "expectation \`positive\` cannot send rows to a dead-letter topic: stream \`s\` is updating",
      },
    ]
  `);
  const result = checkPipeline(body);
  expect(result.diagnostics.find((d) => d.code === 'dead-letter-from-updating-stream')?.message).toBe('expectation `positive` cannot send rows to a dead-letter topic: stream `s` is updating');
  // At the topic the rows would go to: line 2, column 47 of the body (its string).
  expect(findings(result).filter((f) => f.code === 'dead-letter-from-updating-stream')).toEqual([{ code: 'dead-letter-from-updating-stream', line: 2, column: 47 }]);
});

test('an updating stream may drop or fail on rows that do not meet an expectation', () => {
  for (const otherwise of ['drop', 'fail']) {
    expect(runRule(expectationChangelogRule, `${totals}\n  expect positive: total > 0 else ${otherwise};\nsink s into kafka topic 'o' upsert key (customer_id);`)).toEqual([]);
  }
});
