import { expect, test } from 'vitest';
import { joinKeysRule } from '../../../../compiler/check/rules/join-keys.ts';
import { runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro;";

test('join keys of one type are fine', () => {
  expect(runRule(joinKeysRule, `stream s as select p.payment_id from payments p join logins l on p.customer_id = l.customer_id and p.event_time between l.event_time and l.event_time + interval 1 hour;${sink}`)).toEqual([]);
});

test('join keys of incompatible types are reported', () => {
  expect(runRule(joinKeysRule, `stream s as select p.payment_id from payments p join logins l on p.created_micros = l.customer_id and p.event_time between l.event_time and l.event_time + interval 1 hour;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "p.created_micros = l.customer_id",
        "code": "join-key-type-mismatch",
        "message": "join keys \`created_micros\` (TIMESTAMP(6) NOT NULL) and \`customer_id\` (STRING NOT NULL) have incompatible types",
      },
    ]
  `);
});

test('keys that do not compare at all are left to the binder (operator-type-mismatch), not reported twice', () => {
  expect(runRule(joinKeysRule, `stream s as select p.payment_id from payments p join logins l on p.amount = l.customer_id and p.event_time between l.event_time and l.event_time + interval 1 hour;${sink}`)).toEqual([]);
});
