/**
 * Flink through the SQL Gateway: a SQL job reads one Kafka topic and writes another; it is stopped with a
 * savepoint (Flink REST) and started again from it (SET 'execution.state-recovery.path'), which Flink reports
 * as restored and which resumes at the saved Kafka offsets (no record is processed twice).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { SqlGatewayClient } from '../../../clients/sql-gateway.ts';
import { consume, createTopics, produce, unique } from './helpers.ts';

const endpoints = inject('pipecLocal');
const gateway = new SqlGatewayClient(endpoints.sqlGatewayUrl);
const flink = new FlinkRestClient(endpoints.flinkRestUrl);

const input = unique('smoke-flink-in');
const output = unique('smoke-flink-out');
let session = '';
const jobs: string[] = [];

const ddl = [
  `CREATE TABLE payments (id BIGINT, amount INT) WITH (
     'connector' = 'kafka', 'topic' = '${input}', 'properties.bootstrap.servers' = '${endpoints.kafkaBootstrap}',
     'properties.group.id' = '${unique('smoke-flink')}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json')`,
  `CREATE TABLE doubled (id BIGINT, doubled INT) WITH (
     'connector' = 'kafka', 'topic' = '${output}', 'properties.bootstrap.servers' = '${endpoints.kafkaBootstrap}', 'format' = 'json')`,
];
const insert = 'INSERT INTO doubled SELECT id, amount * 2 FROM payments';

function payments(ids: number[]): { value: string }[] {
  return ids.map((id) => ({ value: JSON.stringify({ id, amount: id * 10 }) }));
}

beforeAll(async () => {
  await createTopics(endpoints, [input, output]);
  session = await gateway.openSession({ 'pipeline.name': 'pipec-smoke' });
  for (const statement of ddl) await gateway.execute(session, statement);
});

afterAll(async () => {
  for (const job of jobs) await flink.cancel(job).catch(() => undefined);
  if (session) await gateway.closeSession(session).catch(() => undefined);
});

describe('local stack: Flink + SQL Gateway', () => {
  it(`serves Flink ${endpoints.flinkLine} on both APIs`, async () => {
    expect((await gateway.info()).version.startsWith(endpoints.flinkLine)).toBe(true);
    const overview = await flink.overview();
    expect(overview.taskmanagers).toBe(1);
    expect(overview['flink-version'].startsWith(endpoints.flinkLine)).toBe(true);
  });

  it('runs a SQL job from topic to topic, stops it with a savepoint and restores it', async () => {
    const first = await gateway.executeInsert(session, insert);
    jobs.push(first);
    await flink.awaitJobState(first, ['RUNNING']);
    await produce(endpoints, input, payments([1, 2, 3]));
    const before = await consume(endpoints, output, 3, { timeoutMs: 120_000 });
    expect(before.map((r) => JSON.parse(r.value ?? '')).sort((a: { id: number }, b: { id: number }) => a.id - b.id)).toEqual([
      { id: 1, doubled: 20 },
      { id: 2, doubled: 40 },
      { id: 3, doubled: 60 },
    ]);

    const trigger = await flink.stopWithSavepoint(first, { targetDirectory: `file://${endpoints.savepointDir}` });
    const savepoint = await flink.awaitSavepoint(first, trigger);
    expect(savepoint).toContain(endpoints.savepointDir);
    expect(await flink.awaitJobState(first, ['FINISHED'])).toBe('FINISHED');

    // Records written while the job is down must be picked up after the restore, and only those.
    await produce(endpoints, input, payments([4, 5]));
    await gateway.execute(session, `SET 'execution.state-recovery.path' = '${savepoint}'`);
    const second = await gateway.executeInsert(session, insert);
    jobs.push(second);
    expect(second).not.toBe(first);
    await flink.awaitJobState(second, ['RUNNING']);
    const checkpoints = await flink.checkpoints(second);
    expect(checkpoints.latest.restored).toMatchObject({ is_savepoint: true });
    expect(checkpoints.latest.restored?.external_path).toContain(savepoint.replace(/^file:/, ''));

    const after = await consume(endpoints, output, 5, { timeoutMs: 120_000 });
    expect(after.map((r) => (JSON.parse(r.value ?? '') as { id: number }).id).sort()).toEqual([1, 2, 3, 4, 5]);
    await gateway.execute(session, `RESET 'execution.state-recovery.path'`);
  });
});
