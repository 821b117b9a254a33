/** Queries in the generated Flink SQL: window arguments, outer-join nullability, rowtime columns written to a sink. */
import { expect, test } from 'vitest';
import { compileFiles, PRELUDE } from '../../../helpers/check.ts';

function artifact(path: string, stream: string, sink = "sink s into kafka topic 'o' format avro;"): string {
  const result = compileFiles({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${PRELUDE}\n${stream}\n${sink}` });
  const contents = result.output?.artifacts.find((a) => a.path === path)?.contents;
  if (!contents) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return contents;
}

const jobSql = (stream: string, sink?: string): string => artifact('p/job.sql', stream, sink);

test('hopping(time, size, slide) is HOP with the slide before the size', () => {
  const job = jobSql('stream s as select window_start, count(*) as n from payments window hopping(event_time, 1 h, 5 min) group by window_start;');
  expect(job).toContain("HOP(TABLE `payments`, DESCRIPTOR(`event_time`), INTERVAL '5' MINUTE, INTERVAL '1' HOUR)");
});

test('cumulative(time, step, max) is CUMULATE with the step before the max size', () => {
  const job = jobSql('stream s as select window_start, count(*) as n from payments window cumulative(event_time, 1 h, 1 d) group by window_start;');
  expect(job).toContain("CUMULATE(TABLE `payments`, DESCRIPTOR(`event_time`), INTERVAL '1' HOUR, INTERVAL '1' DAY)");
});

test('a LEFT JOIN writes the right side as nullable columns: sink DDL and registered Avro schema', () => {
  const stream = 'stream s as select p.payment_id, l.country from payments p left join logins l on p.customer_id = l.customer_id and l.event_time between p.event_time - interval 1 minute and p.event_time;';
  const job = jobSql(stream);
  expect(job).toContain('`payment_id` STRING NOT NULL,\n  `country` STRING\n)');
  const plan = JSON.parse(artifact('p/plan.json', stream)) as { sinks: { value: { registers: { schema: string } } }[] };
  const registered = JSON.parse(plan.sinks[0]?.value.registers.schema ?? '{}') as { fields: { name: string; type: unknown }[] };
  expect(registered.fields.map((f) => [f.name, f.type])).toEqual([['payment_id', 'string'], ['country', ['null', 'string']]]);
});

test('with no rowtime kept, a millisecond timestamp is still cast: Calcite turns nullif(ts, ts) of a NOT NULL rowtime into a NULL rowtime', () => {
  const job = jobSql('stream s as select payment_id, nullif(event_time, event_time) as never_at from payments;');
  expect(job).toContain('SELECT `payment_id`, CAST(`never_at` AS TIMESTAMP(3)) AS `never_at`\n  FROM `s`;');
});

test('a nullable rowtime is never the one a sink keeps (Flink sets the record timestamp from it and fails on a NULL)', () => {
  const job = jobSql('stream s as select p.payment_id, l.event_time as logged_in_at, p.event_time as paid_at from payments p left join logins l on p.customer_id = l.customer_id and l.event_time between p.event_time - interval 1 minute and p.event_time;');
  expect(job).toContain('SELECT\n    `payment_id`,\n    CAST(`logged_in_at` AS TIMESTAMP(3)) AS `logged_in_at`,\n    `paid_at`\n  FROM `s`;');
});

test('beside a rowtime, every other millisecond timestamp is written cast: Calcite may keep an expression over the rowtime one', () => {
  const job = jobSql('stream s as select payment_id, event_time, case when amount > 0 then event_time else event_time end as also_at from payments;');
  expect(job).toContain('SELECT `payment_id`, `event_time`, CAST(`also_at` AS TIMESTAMP(3)) AS `also_at`\n  FROM `s`;');
});

test('of two rowtime columns written into one sink, the first stays a rowtime and the second is written as a plain timestamp', () => {
  const job = jobSql('stream s as select p.payment_id, p.event_time as paid_at, l.event_time as logged_in_at from payments p join logins l on p.customer_id = l.customer_id and l.event_time between p.event_time - interval 1 minute and p.event_time;');
  expect(job).toContain('SELECT\n    `payment_id`,\n    `paid_at`,\n    CAST(`logged_in_at` AS TIMESTAMP(3)) AS `logged_in_at`\n  FROM `s`;');
});

test('an upsert key on a nullable column is NOT NULL in the sink table and both registered schemas, as Flink makes primary key columns', () => {
  const stream = 'stream s as select l.country, count(*) as n from payments p left join logins l on p.customer_id = l.customer_id group by l.country;';
  const sink = "sink s into kafka topic 'o' format avro upsert key (country);";
  expect(jobSql(stream, sink)).toContain('`country` STRING NOT NULL,\n  `n` BIGINT NOT NULL,\n  PRIMARY KEY (`country`) NOT ENFORCED');
  const plan = JSON.parse(artifact('p/plan.json', stream, sink)) as { sinks: { key: { registers: { schema: string } }; value: { registers: { schema: string } } }[] };
  const fields = (schema: string | undefined) => (JSON.parse(schema ?? '{}') as { fields: { name: string; type: unknown }[] }).fields.map((f) => [f.name, f.type]);
  expect(fields(plan.sinks[0]?.key.registers.schema)).toEqual([['country', 'string']]);
  expect(fields(plan.sinks[0]?.value.registers.schema)).toEqual([['country', 'string'], ['n', 'long']]);
});

test('a duration of 100 or more of its unit names its precision (Flink reads two leading digits by default)', () => {
  const job = jobSql("source slow from kafka topic 'payments' format avro event time event_time watermark 150 s;\nstream s as select window_start, count(*) as n from slow window hopping(event_time, 330 min, 110 min) group by window_start;");
  expect(job).toContain("WATERMARK FOR `event_time` AS `event_time` - INTERVAL '150' SECOND(3)");
  expect(job).toContain("HOP(TABLE `slow`, DESCRIPTOR(`event_time`), INTERVAL '110' MINUTE(3), INTERVAL '330' MINUTE(3))");
  expect(jobSql('stream s as select window_start, count(*) as n from payments window tumbling(event_time, 90 min) group by window_start;')).toContain("INTERVAL '90' MINUTE");
});

test('IF casts its first branch to the type of both branches (Flink 1.20 types IF as its first branch)', () => {
  const job = jobSql("stream s as select if(amount > 10, timestamp '2026-01-01 00:00:00', event_time) as at, if(amount > 10, event_time, event_time) as same from payments;");
  expect(job).toContain("IF(`payments`.`amount` > 10, CAST(TIMESTAMP '2026-01-01 00:00:00' AS TIMESTAMP(3)), `payments`.`event_time`) AS `at`");
  expect(job).toContain("IF(`payments`.`amount` > 10, `payments`.`event_time`, `payments`.`event_time`) AS `same`");
});

test("to_date with a format is NULL unless UNIX_TIMESTAMP parses the text (Flink's TO_DATE answers +1705471-09-27 for text that does not parse)", () => {
  const job = jobSql("stream s as select to_date(payment_id, 'yyyyMMdd') as day, to_date(payment_id) as plain from payments;");
  expect(job).toMatch(/CASE\s+WHEN UNIX_TIMESTAMP\(`payments`\.`payment_id`, 'yyyyMMdd'\) > -9223372036854775807 THEN TO_DATE\(`payments`\.`payment_id`, 'yyyyMMdd'\)\s+END AS `day`/);
  expect(job).toContain('TO_DATE(`payments`.`payment_id`) AS `plain`');
});
