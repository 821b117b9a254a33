/**
 * Sources that skip or dead-letter what they cannot decode, and streams with expectations, planned by the real
 * Flink planner of both lines with the pipec runtime on the class path: the guarded tables, the views of
 * decoded rows, the dead-letter INSERTs and PIPEC_RAISE_ERROR are accepted, and every dead-letter sink is
 * append-only (`I`), as a dead-letter topic must be.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkWithFlinkPlanner } from '../../planner-check/index.ts';
import { compileFiles, configFor, staticSchemas, testSchemas } from '../../helpers/check.ts';
import { runtimeClasspath } from '../../helpers/runtime-classpath.ts';

const substitutions = { '${pipec:registry.url}': 'http://127.0.0.1:1', '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1' };

/** The test world, without its TIMESTAMP(6) column, which the Avro format Flink derives from a row type cannot hold. */
const SCHEMAS = { ...testSchemas, 'payments-value': (testSchemas['payments-value'] ?? []).filter((f) => f.name !== 'created_micros') };

const PROGRAM = `pipeline guarded with (checkpoint = 10 s, delivery = exactly_once);
source payments from kafka topic 'payments' format avro event time event_time watermark 5 s on error dead letter 'payments.undecodable';
source logins from kafka topic 'logins' format avro event time event_time watermark 5 s on error skip;
source merchants from kafka topic 'merchants' format avro key format avro on error dead letter 'merchants.undecodable';
stream checked as select p.payment_id, p.amount, p.currency, p.event_time, l.country
  from payments p join logins l on p.customer_id = l.customer_id and l.event_time between p.event_time - interval 1 minute and p.event_time
  expect positive: amount > 0 else dead letter 'payments.rejected'
  expect known_currency: currency in ('EUR', 'USD') else dead letter 'payments.rejected'
  expect bounded: amount < 1000000 else fail
  expect has_country: country <> '';
stream totals as select currency, sum(amount) as total from checked group by currency
  expect not_negative: total >= 0 else fail;
stream categories as select merchant_id, category from merchants expect named: category <> '' else dead letter 'merchants.rejected';
sink checked into kafka topic 'checked' format avro;
sink totals into kafka topic 'totals' format avro upsert key (currency);
sink categories into kafka topic 'categories' format avro;
`;

describe.each(['1.20', '2.2'] as const)('Flink %s', (version) => {
  test('plans guarded sources and expectations; dead-letter sinks are append-only', async () => {
    const compiled = compileFiles({ 'guarded.pipe': PROGRAM }, staticSchemas(SCHEMAS), configFor(version));
    expect(compiled.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    const job = compiled.output?.artifacts.find((a) => a.path === 'guarded/job.sql')?.contents ?? '';
    expect(job).toContain("'value.format' = 'pipec-guard'");
    const file = path.join(await mkdtemp(path.join(tmpdir(), `pipec-guarded-${version}-`)), 'job.sql');
    await writeFile(file, job);
    const [result] = await checkWithFlinkPlanner([file], version, { substitutions, extraClasspath: await runtimeClasspath(version) });
    expect(result?.error?.message).toBeUndefined();
    expect(result?.ok).toBe(true);
    const modes = Object.fromEntries((result?.sinks ?? []).map((s) => [s.table, s.changelogMode]));
    expect(modes).toMatchObject({ checked_topic: 'I', checked_rejected_topic: 'I', categories_rejected_topic: 'I', payments__dead_letter: 'I', merchants__dead_letter: 'I' });
    expect(modes['totals_topic']).not.toBe('I');
  });
});
