import { expect, test } from 'vitest';
import { timeAttributeTypesRule } from '../../../../compiler/check/rules/time-attribute-types.ts';
import { runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro;";
const ltzLogins = "source logins_ltz from kafka topic 'logins' format avro metadata (kafka_ts from timestamp) event time kafka_ts watermark 5 s;\n";

test('an interval join of two TIMESTAMP(3) event times is fine', () => {
  expect(runRule(timeAttributeTypesRule, `stream s as select p.payment_id from payments p join logins l on p.customer_id = l.customer_id and p.event_time between l.event_time and l.event_time + interval 1 hour;${sink}`)).toEqual([]);
});

test('an interval join of TIMESTAMP(3) and TIMESTAMP_LTZ(3) event times is refused', () => {
  expect(runRule(timeAttributeTypesRule, `${ltzLogins}stream s as select p.payment_id from payments p join logins_ltz l on p.customer_id = l.customer_id and p.event_time between cast(l.kafka_ts as timestamp(3)) and cast(l.kafka_ts as timestamp(3)) + interval 1 hour and l.kafka_ts <= p.event_time;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "p.customer_id = l.customer_id and p.event_time between cast(l.kafka_ts as timestamp(3)) and cast(l.kafka_ts as timestamp(3)) + interval 1 hour and l.kafka_ts <= p.event_time",
        "code": "rowtime-type-mismatch",
        "message": "an interval join needs both event times of one type, but they are TIMESTAMP(3) NOT NULL and TIMESTAMP_LTZ(3) NOT NULL",
      },
    ]
  `);
});

test('a temporal join as of a TIMESTAMP(3) against a TIMESTAMP_LTZ(3) versioned table is refused', () => {
  expect(runRule(timeAttributeTypesRule, `source m2 from kafka topic 'merchants' format avro primary key (merchant_id) metadata (kafka_ts from timestamp) event time kafka_ts watermark 0 s;\nstream s as select p.payment_id, m.category from payments p join m2 for system_time as of p.event_time m on p.customer_id = m.merchant_id;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "p.event_time",
        "code": "rowtime-type-mismatch",
        "message": "a temporal join needs both event times of one type, but they are TIMESTAMP(3) NOT NULL and TIMESTAMP_LTZ(3) NOT NULL",
      },
    ]
  `);
});
