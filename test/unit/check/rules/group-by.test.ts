import { expect, test } from 'vitest';
import { groupByRule } from '../../../../compiler/check/rules/group-by.ts';
import { runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro upsert key (customer_id);";

test('grouped and aggregated columns are valid', () => {
  expect(runRule(groupByRule, `stream s as select customer_id, count(*) as n, sum(amount) as total from payments group by customer_id;${sink}`)).toEqual([]);
});

test('an expression over grouped columns is valid', () => {
  expect(runRule(groupByRule, `stream s as select customer_id, upper(customer_id) as c, count(*) as n from payments group by customer_id;${sink}`)).toEqual([]);
});

test('a column neither grouped nor aggregated is reported', () => {
  expect(runRule(groupByRule, `stream s as select customer_id, currency, count(*) as n from payments group by customer_id;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "currency",
        "code": "not-grouped",
        "message": "\`currency\` is neither grouped nor aggregated",
      },
    ]
  `);
});

test('HAVING is checked too', () => {
  expect(runRule(groupByRule, `stream s as select customer_id, count(*) as n from payments group by customer_id having currency = 'EUR';${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "currency",
        "code": "not-grouped",
        "message": "\`currency\` is neither grouped nor aggregated",
      },
    ]
  `);
});
