import { expect, test } from 'vitest';
import { sinkKeyRule } from '../../../../compiler/check/rules/sink-key.ts';
import { checkPipeline, findings, runRule } from '../../../helpers/check.ts';

const perCustomer = 'stream s as select customer_id, count(*) as order_count from payments group by customer_id;\n';
const findingsOf = (body: string) => findings(checkPipeline(body)).filter((f) => f.code.startsWith('sink-key'));

test('an upsert sink keyed by the stream\'s key is fine, in any order or case of the columns', () => {
  expect(runRule(sinkKeyRule, `${perCustomer}sink s into kafka topic 'o' format avro upsert key (customer_id);`)).toEqual([]);
  const twoColumns = 'stream s as select customer_id, currency, count(*) as n from payments group by customer_id, currency;\n';
  expect(runRule(sinkKeyRule, `${twoColumns}sink s into postgres table 'public.s' via connection warehouse upsert key (CURRENCY, customer_id);`)).toEqual([]);
});

test('a sink keyed by another column than the stream\'s key is refused, at the key clause, naming the stream\'s key', () => {
  const result = checkPipeline(`${perCustomer}sink s into kafka topic 'o' format avro upsert key (order_count);`);
  expect(findingsOf(`${perCustomer}sink s into kafka topic 'o' format avro upsert key (order_count);`)).toEqual([{ code: 'sink-key-mismatch', line: 2, column: 41 }]);
  const d = result.diagnostics.find((x) => x.code === 'sink-key-mismatch');
  expect(d?.message).toBe("the sink's key (order_count) is not the key of `s` (customer_id): rows the stream keeps apart would overwrite each other in the sink, which upserts and deletes by its own key");
  expect(d?.hints).toEqual(["upsert by the stream's key: `upsert key (customer_id)`"]);
});

test('a key with a column more than the stream\'s key is refused too: an update of that column leaves the old row', () => {
  const result = checkPipeline(`${perCustomer}sink s into postgres table 'public.s' via connection warehouse upsert key (customer_id, order_count);`);
  expect(result.diagnostics.find((x) => x.code === 'sink-key-mismatch')?.message).toContain('an update that changes `order_count` writes a new row and leaves the old one behind');
});

test('a key of a CDC source or a dedupe is its primary key or dedupe key', () => {
  expect(runRule(sinkKeyRule, "sink loans into postgres table 'public.loans' via connection warehouse upsert key (customer_id);")).toMatchInlineSnapshot(`
    [
      {
        "at": "upsert key (customer_id)",
        "code": "sink-key-mismatch",
        "message": "the sink's key (customer_id) is not the key of \`loans\` (loan_id): rows the stream keeps apart would overwrite each other in the sink, which upserts and deletes by its own key",
      },
    ]
  `);
  expect(runRule(sinkKeyRule, "sink loans into postgres table 'public.loans' via connection warehouse upsert key (loan_id);")).toEqual([]);
  expect(runRule(sinkKeyRule, "stream d as dedupe payments by payment_id keep last;\nsink d into kafka topic 'o' format avro upsert key (customer_id);")).toMatchInlineSnapshot(`
    [
      {
        "at": "upsert key (customer_id)",
        "code": "sink-key-mismatch",
        "message": "the sink's key (customer_id) is not the key of \`d\` (payment_id): rows the stream keeps apart would overwrite each other in the sink, which upserts and deletes by its own key",
      },
    ]
  `);
});

test('an append-only stream may upsert by any key (latest row per key)', () => {
  expect(runRule(sinkKeyRule, "stream s as select * from payments;\nsink s into kafka topic 'o' format avro upsert key (customer_id);")).toEqual([]);
});

test('after a join, a union or a top-N the key is not derivable: a warning at the key clause', () => {
  const joined = "stream j as select p.payment_id, l.customer_id from payments p join loans l on p.loan_id = l.loan_id;\nsink j into kafka topic 'o' format avro upsert key (customer_id);";
  expect(findingsOf(joined)).toEqual([{ code: 'sink-key-not-unique', line: 2, column: 41 }]);
  expect(checkPipeline(joined).diagnostics.find((d) => d.code === 'sink-key-not-unique')?.severity).toBe('warning');
  expect(runRule(sinkKeyRule, "stream t as top 3 from payments per customer_id order by amount desc;\nsink t into kafka topic 'o' format avro upsert key (customer_id);")).toMatchInlineSnapshot(`
    [
      {
        "at": "upsert key (customer_id)",
        "code": "sink-key-not-unique",
        "message": "\`t\` is updating and, after a top-N, has no key pipec can derive, so nothing shows that (customer_id) identifies one of its rows; if it does not, rows would overwrite each other in the sink",
      },
    ]
  `);
  // A stream over the join loses it too.
  expect(runRule(sinkKeyRule, `${joined.split('\n')[0]}\nstream k as select * from j;\nsink k into kafka topic 'o' format avro upsert key (customer_id);`)).toMatchInlineSnapshot(`
    [
      {
        "at": "upsert key (customer_id)",
        "code": "sink-key-not-unique",
        "message": "\`k\` is updating and, after a join, has no key pipec can derive, so nothing shows that (customer_id) identifies one of its rows; if it does not, rows would overwrite each other in the sink",
      },
    ]
  `);
});

test('a keyless CDC source is its own error (cdc-needs-primary-key), not a key warning too', () => {
  expect(runRule(sinkKeyRule, "source l2 from postgres table 'public.loans' via connection loans_db format avro;\nstream s as select * from l2;\nsink s into kafka topic 'o' format avro upsert key (loan_id);")).toEqual([]);
});
