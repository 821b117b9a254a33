/**
 * The pipec Flink runtime on the real engine (targets/flink-sql/runtime/README.md, SQL written by hand to that
 * contract): an Avro topic where every 100th record cannot be decoded — random bytes, a Confluent frame with an
 * unknown schema id, a record of another registered schema — read by `pipec-guard` sources.
 * - dead-letter: the job keeps running, every good record reaches the output once, every bad one the dead-letter
 *   topic with its original key, value and headers plus its position and error;
 * - skip: the bad ones are dropped and counted in the source's pipecRecordsSkipped metric;
 * - fail: Flink's own error without the guard, and PIPEC_RAISE_ERROR naming the record's position with it.
 */
import { randomBytes } from 'node:crypto';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FlinkRestClient } from '../../../local/clients/flink-rest.ts';
import { SchemaRegistryClient } from '../../../local/clients/schema-registry.ts';
import { SqlGatewayClient } from '../../../local/clients/sql-gateway.ts';
import { consume, createTopics, unique } from '../local-stack/helpers.ts';
import { deadLetterInsert, deadLetterSink, GUARD_METADATA_COLUMNS, jobCounter, until } from './contract-sql.ts';
import { consumeRaw, produceRaw } from './kafka-records.ts';

const endpoints = inject('pipecLocal');
const gateway = new SqlGatewayClient(endpoints.sqlGatewayUrl);
const flink = new FlinkRestClient(endpoints.flinkRestUrl);
const registry = new SchemaRegistryClient(endpoints.schemaRegistryUrl);

const RECORDS = 1000;
const input = unique('guard-in');
const jobs: string[] = [];
let session = '';

const orderSchema: avro.Schema = { type: 'record', name: 'Order', namespace: 'test', fields: [{ name: 'id', type: 'long' }, { name: 'amount', type: 'double' }] };
const otherSchema: avro.Schema = { type: 'record', name: 'Other', namespace: 'test', fields: [{ name: 'label', type: 'string' }] };

function frame(schemaId: number, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(schemaId, 1);
  return Buffer.concat([head, body]);
}

interface Produced {
  readonly offset: number;
  readonly key: Buffer;
  readonly value: Buffer;
  readonly bad: boolean;
}

/** Offsets 99, 199, …: garbage of three kinds in turn; every other record a valid Order with id = offset. */
function records(orderId: number, otherId: number): Produced[] {
  const order = avro.Type.forSchema(orderSchema);
  const other = avro.Type.forSchema(otherSchema);
  return Array.from({ length: RECORDS }, (_, offset): Produced => {
    const key = Buffer.from(`k${offset}`);
    if (offset % 100 !== 99) return { offset, key, value: frame(orderId, order.toBuffer({ id: offset, amount: offset / 2 })), bad: false };
    const kind = Math.floor(offset / 100) % 3;
    const value = kind === 0 ? randomBytes(37) : kind === 1 ? frame(987_654, order.toBuffer({ id: offset, amount: 1 })) : frame(otherId, other.toBuffer({ label: 'not an order' }));
    return { offset, key, value, bad: true };
  });
}

const kafkaOptions = `'properties.bootstrap.servers' = '${endpoints.kafkaBootstrap}'`;

/**
 * A guarded source per the contract (README §2), under its own name and consumer group. The Avro fields are not
 * nullable, so the columns would be NOT NULL: the guard gets them as `not-null` and decodes them strictly.
 */
function guardedSource(name: string, onError: 'fail' | 'skip' | 'dead-letter'): string {
  return `CREATE TEMPORARY TABLE \`${name}\` (
    \`id\` BIGINT,
    \`amount\` DOUBLE,
    \`pipec_error\` STRING,
    \`pipec_raw_value\` BYTES,
    \`pipec_raw_key\` BYTES,
    ${GUARD_METADATA_COLUMNS}
  ) WITH (
    'connector' = 'kafka', 'topic' = '${input}', ${kafkaOptions},
    'properties.group.id' = '${unique(name)}', 'scan.startup.mode' = 'earliest-offset',
    'key.format' = 'raw', 'key.fields' = 'pipec_raw_key', 'value.fields-include' = 'EXCEPT_KEY',
    'value.format' = 'pipec-guard', 'value.pipec-guard.format' = 'avro-confluent', 'value.pipec-guard.on-error' = '${onError}',
    'value.pipec-guard.not-null' = 'id;amount', 'value.pipec-guard.avro-confluent.url' = '${endpoints.schemaRegistryUrl}'
  )`;
}

function jsonSink(name: string, topic: string): string {
  return `CREATE TEMPORARY TABLE \`${name}\` (\`id\` BIGINT, \`amount\` DOUBLE) WITH ('connector' = 'kafka', 'topic' = '${topic}', ${kafkaOptions}, 'format' = 'json')`;
}

let produced: Produced[] = [];
let producedAt = 0;
const good = (): Produced[] => produced.filter((r) => !r.bad);
const bad = (): Produced[] => produced.filter((r) => r.bad);

beforeAll(async () => {
  await createTopics(endpoints, [input]);
  const orderId = await registry.register(`${input}-value`, { schema: JSON.stringify(orderSchema) });
  const otherId = await registry.register(unique('guard-other-value'), { schema: JSON.stringify(otherSchema) });
  produced = records(orderId, otherId);
  producedAt = Date.now();
  await produceRaw(endpoints, input, produced.map((r) => ({ key: r.key, value: r.value, headers: { trace: `t${r.offset}` } })));
  session = await gateway.openSession({ 'pipeline.name': 'pipec-runtime-guard' });
  await gateway.execute(session, "SET 'restart-strategy.type' = 'none'");
  await gateway.execute(session, "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS `PIPEC_RAISE_ERROR` AS 'dev.pipec.flink.RaiseError' LANGUAGE JAVA");
});

afterAll(async () => {
  for (const job of jobs) await flink.cancel(job).catch(() => undefined);
  if (session) await gateway.closeSession(session).catch(() => undefined);
});

describe(`pipec-guard on Flink ${endpoints.flinkLine}`, () => {
  it('dead-letter: good records reach the output once, bad ones the dead-letter topic with position and error; the job keeps running', async () => {
    const output = unique('guard-out');
    const dlq = unique('guard-dlq');
    await createTopics(endpoints, [output, dlq]);
    for (const s of [guardedSource('orders_dl', 'dead-letter'), jsonSink('out_dl', output), deadLetterSink('orders_dlq', dlq, kafkaOptions)]) await gateway.execute(session, s);
    const job = await gateway.executeInsert(
      session,
      `EXECUTE STATEMENT SET BEGIN
         INSERT INTO \`out_dl\` SELECT \`id\`, \`amount\` FROM \`orders_dl\` WHERE \`pipec_error\` IS NULL;
         ${deadLetterInsert('orders_dlq', 'orders_dl')};
       END`,
    );
    jobs.push(job);

    const out = await consume(endpoints, output, good().length, { timeoutMs: 180_000 });
    const ids = out.map((r) => (JSON.parse(r.value ?? '') as { id: number }).id).sort((a, b) => a - b);
    expect(ids).toEqual(good().map((r) => r.offset));
    expect(out.map((r) => JSON.parse(r.value ?? '') as unknown)).toContainEqual({ id: 2, amount: 1 });

    const letters = (await consumeRaw(endpoints, dlq, bad().length)).sort((a, b) => Number(a.headers['pipec.error.offset']) - Number(b.headers['pipec.error.offset']));
    expect(letters.map((l) => Number(l.headers['pipec.error.offset']))).toEqual(bad().map((r) => r.offset));
    for (const [i, l] of letters.entries()) {
      const original = bad()[i];
      expect(l.key?.equals(original?.key ?? Buffer.alloc(0))).toBe(true);
      expect(l.value?.equals(original?.value ?? Buffer.alloc(0))).toBe(true);
      expect(l.headers).toMatchObject({ trace: `t${original?.offset}`, 'pipec.error.topic': input, 'pipec.error.partition': '0' });
      expect(l.headers['pipec.error.message']).toMatch(/Failed to deserialize Avro record/);
      // Epoch seconds of the original record, produced during this run.
      expect(Number(l.headers['pipec.error.timestamp'])).toBeGreaterThanOrEqual(Math.floor(producedAt / 1000) - 1);
      expect(Number(l.headers['pipec.error.timestamp'])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    }
    // The three kinds of garbage, each with its own cause.
    expect(letters[1]?.headers['pipec.error.message']).toMatch(/987654/);

    expect((await flink.job(job)).state).toBe('RUNNING');
    expect(await until('dead-letter counter', 60_000, () => jobCounter(endpoints.flinkRestUrl, job, 'pipecRecordsDeadLettered'))).toBe(bad().length);
    expect(await jobCounter(endpoints.flinkRestUrl, job, 'pipecRecordsSkipped')).toBe(0);
  });

  it('skip: bad records are dropped and counted in pipecRecordsSkipped', async () => {
    const output = unique('guard-skip-out');
    await createTopics(endpoints, [output]);
    for (const s of [guardedSource('orders_skip', 'skip'), jsonSink('out_skip', output)]) await gateway.execute(session, s);
    const job = await gateway.executeInsert(session, 'INSERT INTO `out_skip` SELECT `id`, `amount` FROM `orders_skip`');
    jobs.push(job);
    const out = await consume(endpoints, output, good().length, { timeoutMs: 180_000 });
    expect(out.map((r) => (JSON.parse(r.value ?? '') as { id: number }).id).sort((a, b) => a - b)).toEqual(good().map((r) => r.offset));
    expect(await until('skip counter', 60_000, async () => ((await jobCounter(endpoints.flinkRestUrl, job, 'pipecRecordsSkipped')) === bad().length ? bad().length : undefined))).toBe(bad().length);
    expect((await flink.job(job)).state).toBe('RUNNING');
  });

  it("fail: without the guard and with it in fail mode Flink's error names no position; PIPEC_RAISE_ERROR over a dead-letter guard names topic, partition and offset", async () => {
    await gateway.execute(
      session,
      `CREATE TEMPORARY TABLE \`orders_plain\` (\`id\` BIGINT, \`amount\` DOUBLE) WITH (
         'connector' = 'kafka', 'topic' = '${input}', ${kafkaOptions}, 'properties.group.id' = '${unique('plain')}',
         'scan.startup.mode' = 'earliest-offset', 'value.format' = 'avro-confluent', 'value.avro-confluent.url' = '${endpoints.schemaRegistryUrl}')`,
    );
    await gateway.execute(session, guardedSource('orders_fail', 'dead-letter'));
    await gateway.execute(session, "CREATE TEMPORARY TABLE `nowhere` (`id` BIGINT, `amount` DOUBLE) WITH ('connector' = 'blackhole')");

    const plain = await gateway.executeInsert(session, 'INSERT INTO `nowhere` SELECT `id`, `amount` FROM `orders_plain`');
    jobs.push(plain);
    await flink.awaitJobState(plain, ['FAILED'], 120_000);
    const plainHistory = JSON.stringify(await (await fetch(`${endpoints.flinkRestUrl}/jobs/${plain}/exceptions`)).json());
    expect(plainHistory).toContain('Failed to deserialize consumer record');
    expect(plainHistory).not.toContain(`${input}-0@99`);

    // The guard in fail mode fails like the plain format, with the inner format's error.
    await gateway.execute(session, guardedSource('orders_guard_fail', 'fail'));
    const guardFail = await gateway.executeInsert(session, 'INSERT INTO `nowhere` SELECT `id`, `amount` FROM `orders_guard_fail` WHERE `pipec_error` IS NULL');
    jobs.push(guardFail);
    await flink.awaitJobState(guardFail, ['FAILED'], 120_000);
    expect(JSON.stringify(await (await fetch(`${endpoints.flinkRestUrl}/jobs/${guardFail}/exceptions`)).json())).toContain('Failed to deserialize Avro record');

    const raised = await gateway.executeInsert(
      session,
      `INSERT INTO \`nowhere\` SELECT \`id\`, \`amount\` FROM \`orders_fail\`
       WHERE \`pipec_error\` IS NULL OR PIPEC_RAISE_ERROR(CONCAT('cannot decode the record at ', \`pipec_topic\`, '-',
         CAST(\`pipec_partition\` AS STRING), '@', CAST(\`pipec_offset\` AS STRING), ': ', \`pipec_error\`))`,
    );
    jobs.push(raised);
    await flink.awaitJobState(raised, ['FAILED'], 120_000);
    expect(await flink.failureCause(raised)).toMatch(new RegExp(`PipecError: cannot decode the record at ${input}-0@99: .*Failed to deserialize Avro record`));
  });
});
