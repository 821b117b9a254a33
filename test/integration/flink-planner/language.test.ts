/**
 * Language constructs that once compiled to SQL the real Flink planner refused (or accepted with the wrong
 * types), planned on both Flink lines: hopping and cumulative windows, outer joins of every kind, two rowtime
 * columns written into one sink (also one that Calcite's simplification keeps a rowtime: a CASE over one rowtime
 * column), an upsert key on a nullable column, a nullable record of NOT NULL fields written as Avro.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkWithFlinkPlanner } from '../../planner-check/index.ts';
import { compileFiles, configFor, PRELUDE, staticSchemas, testSchemas } from '../../helpers/check.ts';
import { t } from '../../../compiler/types/types.ts';

// The test world's microsecond column is a type Flink's Avro format cannot read (the Avro mapper never produces it).
const schemas = staticSchemas({
  ...testSchemas,
  'payments-value': (testSchemas['payments-value'] ?? []).filter((f) => f.name !== 'created_micros'),
  // A nullable record whose fields are not: Flink's planner holds the fields nullable.
  'profiles-value': [{ name: 'id', type: t.string(false) }, { name: 'home', type: t.row([{ name: 'city', type: t.string(false) }, { name: 'geo', type: t.row([{ name: 'lat', type: t.double(false) }], false) }], true) }],
});
const substitutions = { '${pipec:registry.url}': 'http://127.0.0.1:1', '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1' };

/** Each case: a stream `s` and its sink, and the changelog Flink must derive for the sink. */
const CASES: Readonly<Record<string, { body: string; changelog: string }>> = {
  hopping: {
    body: "stream s as select window_start, count(*) as n from payments window hopping(event_time, 1 h, 5 min) group by window_start;\nsink s into kafka topic 'o' format avro;",
    changelog: 'I',
  },
  long_durations: {
    body: "source slow from kafka topic 'payments' format avro event time event_time watermark 150 s;\nstream s as select window_start, count(*) as n from slow window hopping(event_time, 330 min, 110 min) group by window_start;\nsink s into kafka topic 'o' format avro;",
    changelog: 'I',
  },
  cumulative: {
    body: "stream s as select window_start, window_end, sum(amount) as volume from payments window cumulative(event_time, 1 h, 1 d) group by window_start, window_end;\nsink s into kafka topic 'o' format avro;",
    changelog: 'I',
  },
  left_regular_join: {
    body: "stream s as select p.payment_id, l.country from payments p left join logins l on p.customer_id = l.customer_id;\nsink s into kafka topic 'o' format avro upsert key (payment_id);",
    changelog: 'I,UB,UA,D',
  },
  left_interval_join: {
    body: "stream s as select p.payment_id, l.country from payments p left join logins l on p.customer_id = l.customer_id and l.event_time between p.event_time - interval 1 minute and p.event_time;\nsink s into kafka topic 'o' format avro;",
    changelog: 'I',
  },
  left_temporal_join: {
    body: "stream s as select p.payment_id, m.category from payments p left join merchants for system_time as of p.event_time m on p.customer_id = m.merchant_id;\nsink s into kafka topic 'o' format avro;",
    changelog: 'I',
  },
  nullable_upsert_key: {
    body: "stream s as select l.country, count(*) as n from payments p left join logins l on p.customer_id = l.customer_id group by l.country;\nsink s into kafka topic 'o' format avro upsert key (country);",
    changelog: 'I,UA,D',
  },
  nullable_record_into_avro: {
    body: "source profiles from kafka topic 'profiles' format avro;\nstream s as select id, home from profiles;\nsink s into kafka topic 'o' format avro;",
    changelog: 'I',
  },
  rowtime_through_case: {
    body: "stream s as select payment_id, event_time, case when amount > 0 then event_time else event_time end as also_at from payments;\nsink s into kafka topic 'o' format avro;",
    changelog: 'I',
  },
  two_rowtimes: {
    body: "stream s as select p.payment_id, p.event_time as paid_at, l.event_time as logged_in_at from payments p join logins l on p.customer_id = l.customer_id and l.event_time between p.event_time - interval 1 minute and p.event_time;\nsink s into kafka topic 'o' format avro;",
    changelog: 'I',
  },
};

describe.each(['1.20', '2.2'] as const)('Flink %s', (version) => {
  test('plans each construct with the changelog pipec derives', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), `pipec-language-${version}-`));
    const files: string[] = [];
    for (const [name, c] of Object.entries(CASES)) {
      const result = compileFiles({ [`${name}.pipe`]: `pipeline ${name} with (checkpoint = 10 s);\n${PRELUDE}\n${c.body}` }, schemas, configFor(version));
      const job = result.output?.artifacts.find((a) => a.path === `${name}/job.sql`)?.contents;
      expect(job, `${name}: ${result.diagnostics.map((d) => d.message).join('; ')}`).toBeDefined();
      const file = path.join(dir, name, 'job.sql');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, job ?? '');
      files.push(file);
    }
    const results = await checkWithFlinkPlanner(files, version, { substitutions });
    const outcome = Object.keys(CASES).map((name, i) => `${name}: ${results[i]?.ok ? results[i].sinks.map((s) => s.changelogMode).join(' ') : results[i]?.error?.message.split('\n')[0] ?? 'no result'}`);
    expect(outcome).toEqual(Object.entries(CASES).map(([name, c]) => `${name}: ${c.changelog}`));
    // The plan's and EXPLAIN's sink modes agree (EXPLAIN's Sink line names its target columns too).
    expect(results.flatMap((r) => r.warnings).filter((w) => w.includes('differ'))).toEqual([]);
  });
});
