import { expect, test } from 'vitest';
import { temporalJoinRule } from '../../../../compiler/check/rules/temporal-join.ts';
import { runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro;";

test('a versioned table (primary key and event time) can be joined as of the left event time', () => {
  expect(runRule(temporalJoinRule, `stream s as select p.payment_id, m.category from payments p join merchants for system_time as of p.event_time m on p.customer_id = m.merchant_id;${sink}`)).toEqual([]);
});

test('an append-only topic is not a versioned table', () => {
  expect(runRule(temporalJoinRule, `stream s as select p.payment_id from payments p join logins for system_time as of p.event_time l on p.customer_id = l.customer_id;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "logins",
        "code": "temporal-join-needs-versioned-table",
        "message": "\`l\` cannot be joined \`for system_time as of\`: it has no primary key",
      },
    ]
  `);
});

test('as of takes the time attribute of the left input', () => {
  expect(runRule(temporalJoinRule, `stream s as select p.payment_id from payments p join merchants for system_time as of p.amount m on p.customer_id = m.merchant_id;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "p.amount",
        "code": "temporal-join-time",
        "message": "\`for system_time as of\` needs the left input's time attribute, found DECIMAL(12, 2) NOT NULL",
      },
    ]
  `);
});
