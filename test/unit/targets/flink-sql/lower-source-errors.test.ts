/** `on error` of a source in the generated Flink SQL: the pipec-guard format of the runtime (targets/flink-sql/runtime/README.md). */
import { expect, test } from 'vitest';
import { compileFiles } from '../../../helpers/check.ts';

function artifact(path: string, source: string, stream = 'stream s as select payment_id, event_time from payments;'): string {
  const result = compileFiles({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${source}\n${stream}\nsink s into kafka topic 'o' format avro;` });
  const contents = result.output?.artifacts.find((a) => a.path === path)?.contents;
  if (!contents) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return contents;
}
const PAYMENTS = "source payments from kafka topic 'payments' format avro event time event_time watermark 5 s";

test('`on error fail`, the default, is the table as without it', () => {
  expect(artifact('p/job.sql', `${PAYMENTS} on error fail;`)).toBe(artifact('p/job.sql', `${PAYMENTS};`));
});

test('`on error skip` wraps the value format: its options move under the guard, declared NOT NULL columns are named', () => {
  const job = artifact('p/job.sql', `${PAYMENTS} on error skip;`);
  expect(job).toContain("  'value.format' = 'pipec-guard',\n");
  expect(job).toContain("  'value.pipec-guard.avro-confluent.subject' = 'payments-value',\n  'value.pipec-guard.avro-confluent.url' = '${pipec:registry.url}',\n  'value.pipec-guard.format' = 'avro-confluent',\n  'value.pipec-guard.not-null' = 'payment_id;loan_id;customer_id;amount;currency;status;event_time;created_micros',\n  'value.pipec-guard.on-error' = 'skip'\n");
  expect(job.slice(0, job.indexOf('CREATE TEMPORARY VIEW'))).not.toContain("'value.avro-confluent.");
  expect(job).toContain('CREATE TEMPORARY TABLE `payments` (\n  `payment_id` STRING NOT NULL,');
});

test('`on error dead letter`: a nullable guarded table, the source as the view of its decoded rows, one more INSERT into the topic', () => {
  const job = artifact('p/job.sql', `${PAYMENTS} on error dead letter 'payments.undecodable';`);
  expect(job).toContain('CREATE TEMPORARY TABLE `payments__guarded` (\n  `payment_id` STRING,\n');
  expect(job).toContain("  `pipec_error` STRING,\n  `pipec_raw_value` BYTES,\n  `pipec_raw_key` BYTES,\n  `pipec_topic` STRING METADATA FROM 'topic' VIRTUAL,\n");
  // The watermark as declared: the Kafka source passes over an undecodable record's NULL rowtime.
  expect(job).toContain("  `pipec_headers` MAP<STRING, BYTES> METADATA FROM 'headers' VIRTUAL,\n  WATERMARK FOR `event_time` AS `event_time` - INTERVAL '5' SECOND\n");
  expect(job).toContain("  'key.fields' = 'pipec_raw_key',\n  'key.format' = 'raw',\n");
  expect(job).toContain("  'value.pipec-guard.on-error' = 'dead-letter'\n");
  expect(job).toContain('  FROM `payments__guarded`\n  WHERE `pipec_error` IS NULL;');
  expect(job).toContain("CREATE TEMPORARY TABLE `payments__dead_letter` (\n  `key` BYTES,\n  `value` BYTES,\n  `headers` MAP<STRING, BYTES> METADATA FROM 'headers'\n)");
  expect(job).toContain("  'topic' = 'payments.undecodable',\n");
  expect(job).toContain("  INSERT INTO `payments__dead_letter` (`key`, `value`, `headers`)\n  SELECT\n    `pipec_raw_key`,\n    `pipec_raw_value`,\n    MAP_UNION(`pipec_headers`, MAP['pipec.error.topic', CAST(`pipec_topic` AS BYTES), ");
  expect(job).toContain("'pipec.error.message', CAST(`pipec_error` AS BYTES)])\n  FROM `payments__guarded`\n  WHERE `pipec_error` IS NOT NULL;");
});

test('a declared key is guarded too, and its error reaches the dead letter', () => {
  const job = artifact('p/job.sql', "source merchants from kafka topic 'merchants' format avro key format avro on error dead letter 'merchants.undecodable';", 'stream s as select * from merchants;');
  expect(job).toContain("  'key.fields' = 'merchant_id;pipec_key_error;pipec_raw_key',\n  'key.format' = 'pipec-guard',\n");
  expect(job).toContain("  'key.pipec-guard.error-column' = 'pipec_key_error',\n  'key.pipec-guard.format' = 'avro-confluent',\n");
  expect(job).toContain("  'key.pipec-guard.raw-column' = 'pipec_raw_key',\n  'key.pipec-guard.raw-fill' = 'always',\n");
  expect(job).toContain("  'value.pipec-guard.raw-fill' = 'always'\n");
  expect(job).toContain('  WHERE `pipec_error` IS NULL AND `pipec_key_error` IS NULL;');
  expect(job).toContain("CAST(COALESCE(`pipec_key_error`, `pipec_error`) AS BYTES)])\n  FROM `merchants__guarded`\n  WHERE `pipec_error` IS NOT NULL OR `pipec_key_error` IS NOT NULL;");
});

test('the dead-letter topic is in the plan and the manifest: the deployer creates it, and the job writes it', () => {
  const source = `${PAYMENTS} on error dead letter 'payments.undecodable';`;
  const plan = JSON.parse(artifact('p/plan.json', source)) as { sources: { onError?: unknown }[] };
  expect(plan.sources[0]?.onError).toEqual({ kind: 'dead-letter', topic: 'payments.undecodable', guardedTable: 'payments__guarded', deadLetterTable: 'payments__dead_letter' });
  const manifest = JSON.parse(artifact('manifest.json', source)) as { pipelines: { topics: { name: string }[]; job: { writes: string[]; dependsOn: string[] } }[] };
  expect(manifest.pipelines[0]?.topics.map((t) => t.name)).toEqual(['o', 'payments.undecodable']);
  expect(manifest.pipelines[0]?.job.writes).toEqual(['o', 'payments.undecodable']);
  expect(manifest.pipelines[0]?.job.dependsOn).toContain('topic:payments.undecodable');
});

test('`on error dead letter` on a source that reads the record\'s metadata: one column per metadata key, the position computed from the source\'s own', () => {
  // Flink refuses a table with two columns of one metadata key ("both from the same metadata key").
  const job = artifact('p/job.sql', `${PAYMENTS} metadata (kafka_ts from timestamp, part from partition, headers) on error dead letter 'payments.undecodable';`);
  const guarded = job.slice(job.indexOf('CREATE TEMPORARY TABLE `payments__guarded`'), job.indexOf('WATERMARK FOR'));
  for (const key of ['timestamp', 'partition', 'headers', 'topic', 'offset']) expect(guarded.split(`METADATA FROM '${key}'`).length - 1, key).toBe(1);
  expect(guarded).toContain('  `pipec_partition` AS `part`,\n');
  expect(guarded).toContain('  `pipec_timestamp` AS `kafka_ts`,\n');
  expect(guarded).toContain('  `pipec_headers` AS `headers`,\n');
  expect(guarded).toContain("  `pipec_topic` STRING METADATA FROM 'topic' VIRTUAL,\n");
});
