/**
 * pipec-guard on a JSON topic with a declared key, both guarded (targets/flink-sql/runtime/README.md §2): a
 * truncated value, a truncated key, a value lacking a NOT NULL column, a key whose NOT NULL id is null and a
 * record without a key all reach the dead-letter topic with their original bytes; the inner format's own options
 * pass through the guard; a watermark on a column that is NULL in the bad rows keeps the job running.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FlinkRestClient } from '../../../local/clients/flink-rest.ts';
import { SqlGatewayClient } from '../../../local/clients/sql-gateway.ts';
import { consume, createTopics, unique } from '../local-stack/helpers.ts';
import { deadLetterInsert, deadLetterSink, GUARD_METADATA_COLUMNS, jobCounter, until } from './contract-sql.ts';
import { consumeRaw, produceRaw } from './kafka-records.ts';

const endpoints = inject('pipecLocal');
const gateway = new SqlGatewayClient(endpoints.sqlGatewayUrl);
const flink = new FlinkRestClient(endpoints.flinkRestUrl);
const kafkaOptions = `'properties.bootstrap.servers' = '${endpoints.kafkaBootstrap}'`;

const RECORDS = 300;
/** The bad records by offset, with what is wrong and what the error says. */
const BAD: Readonly<Record<number, { key: Buffer | null; value: Buffer; error: RegExp }>> = {
  50: { key: Buffer.from('{"id": 50}'), value: Buffer.from('{"amount": 1'), error: /^IOException: Failed to deserialize JSON/ },
  100: { key: Buffer.from('{"id": '), value: Buffer.from('{"amount": 1, "at_ms": 1}'), error: /^IOException: Failed to deserialize JSON/ },
  150: { key: Buffer.from('{"id": 150}'), value: Buffer.from('{"at_ms": 5}'), error: /column amount is NULL, and the source declares it NOT NULL/ },
  200: { key: Buffer.from('{"id": null}'), value: Buffer.from('{"amount": 1, "at_ms": 1}'), error: /column id is NULL, and the source declares it NOT NULL/ },
  250: { key: null, value: Buffer.from('{"amount": 1, "at_ms": 1}'), error: /the record's bytes are NULL, and the source declares id NOT NULL/ },
};
const input = unique('guard-key-in');
let session = '';
const jobs: string[] = [];

function record(offset: number): { key: Buffer | null; value: Buffer } {
  return BAD[offset] ?? { key: Buffer.from(JSON.stringify({ id: offset })), value: Buffer.from(JSON.stringify({ amount: offset / 2, at_ms: 1_700_000_000_000 + offset })) };
}

beforeAll(async () => {
  await createTopics(endpoints, [input]);
  await produceRaw(endpoints, input, Array.from({ length: RECORDS }, (_, offset) => record(offset)));
  session = await gateway.openSession({ 'pipeline.name': 'pipec-runtime-guard-key' });
});

afterAll(async () => {
  for (const job of jobs) await flink.cancel(job).catch(() => undefined);
  if (session) await gateway.closeSession(session).catch(() => undefined);
});

describe(`pipec-guard with a guarded key on Flink ${endpoints.flinkLine}`, () => {
  it('dead-letters bad keys and values with their bytes; good rows pass once under a watermark', async () => {
    const output = unique('guard-key-out');
    const dlq = unique('guard-key-dlq');
    await createTopics(endpoints, [output, dlq]);
    await gateway.execute(
      session,
      `CREATE TEMPORARY TABLE \`orders\` (
        \`id\` BIGINT,
        \`amount\` DOUBLE,
        \`at_ms\` BIGINT,
        \`pipec_key_error\` STRING,
        \`pipec_raw_key\` BYTES,
        \`pipec_error\` STRING,
        \`pipec_raw_value\` BYTES,
        ${GUARD_METADATA_COLUMNS},
        \`ts\` AS TO_TIMESTAMP_LTZ(\`at_ms\`, 3),
        WATERMARK FOR \`ts\` AS \`ts\` - INTERVAL '1' SECOND
      ) WITH (
        'connector' = 'kafka', 'topic' = '${input}', ${kafkaOptions},
        'properties.group.id' = '${unique('guard-key')}', 'scan.startup.mode' = 'earliest-offset',
        'key.format' = 'pipec-guard', 'key.pipec-guard.format' = 'json', 'key.pipec-guard.on-error' = 'dead-letter',
        'key.pipec-guard.error-column' = 'pipec_key_error', 'key.pipec-guard.raw-column' = 'pipec_raw_key',
        'key.pipec-guard.raw-fill' = 'always', 'key.pipec-guard.not-null' = 'id',
        'key.fields' = 'id;pipec_key_error;pipec_raw_key', 'value.fields-include' = 'EXCEPT_KEY',
        'value.format' = 'pipec-guard', 'value.pipec-guard.format' = 'json', 'value.pipec-guard.on-error' = 'dead-letter',
        'value.pipec-guard.raw-fill' = 'always', 'value.pipec-guard.not-null' = 'amount',
        'value.pipec-guard.json.fail-on-missing-field' = 'false', 'value.pipec-guard.json.ignore-parse-errors' = 'false'
      )`,
    );
    await gateway.execute(session, `CREATE TEMPORARY TABLE \`out\` (\`id\` BIGINT, \`amount\` DOUBLE, \`ts\` TIMESTAMP_LTZ(3)) WITH ('connector' = 'kafka', 'topic' = '${output}', ${kafkaOptions}, 'format' = 'json')`);
    await gateway.execute(session, deadLetterSink('orders_dlq', dlq, kafkaOptions));
    const job = await gateway.executeInsert(
      session,
      `EXECUTE STATEMENT SET BEGIN
         INSERT INTO \`out\` SELECT \`id\`, \`amount\`, \`ts\` FROM \`orders\` WHERE \`pipec_key_error\` IS NULL AND \`pipec_error\` IS NULL;
         ${deadLetterInsert('orders_dlq', 'orders', 'COALESCE(`pipec_key_error`, `pipec_error`)', '`pipec_key_error` IS NOT NULL OR `pipec_error` IS NOT NULL')};
       END`,
    );
    jobs.push(job);

    const goodOffsets = Array.from({ length: RECORDS }, (_, o) => o).filter((o) => BAD[o] === undefined);
    const out = await consume(endpoints, output, goodOffsets.length, { timeoutMs: 180_000 });
    expect(out.map((r) => (JSON.parse(r.value ?? '') as { id: number }).id).sort((a, b) => a - b)).toEqual(goodOffsets);
    expect(out.map((r) => JSON.parse(r.value ?? '') as { id: number; amount: number }).find((r) => r.id === 7)).toMatchObject({ id: 7, amount: 3.5 });

    const letters = await consumeRaw(endpoints, dlq, Object.keys(BAD).length);
    const byOffset = new Map(letters.map((l) => [Number(l.headers['pipec.error.offset']), l]));
    expect([...byOffset.keys()].sort((a, b) => a - b)).toEqual(Object.keys(BAD).map(Number));
    for (const [offset, bad] of Object.entries(BAD)) {
      const letter = byOffset.get(Number(offset));
      expect(letter?.key === null ? null : letter?.key.toString()).toBe(bad.key === null ? null : bad.key.toString());
      expect(letter?.value?.toString()).toBe(bad.value.toString());
      expect(letter?.headers['pipec.error.message']).toMatch(bad.error);
    }
    expect(await until('dead-letter counters', 60_000, async () => ((await jobCounter(endpoints.flinkRestUrl, job, 'pipecRecordsDeadLettered')) === Object.keys(BAD).length ? true : undefined))).toBe(true);
    expect((await flink.job(job)).state).toBe('RUNNING');
  });
});
