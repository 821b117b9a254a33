/**
 * The Flink job provider against the real local stack (SQL Gateway + Flink REST), called directly: create
 * from a compiled plan, a no-op (no call at all), a state-compatible upgrade (stop with savepoint, restore from
 * it), an incompatible change refused before anything is touched, a new plan that fails to start rolled back to
 * the previous one from the savepoint, delete with a savepoint.
 * The job is a datagen → group aggregate → blackhole job, so it keeps keyed state and needs no topic; the plan
 * the classifier judges comes from a `.pipe` snippet compiled twice.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { jobProvider } from '../../../deploy/providers.ts';
import type { JobInputs, JobOutputs } from '../../../deploy/impl/job.ts';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { planOf } from '../../helpers/check.ts';

const endpoints = inject('pipecLocal');
const flink = new FlinkRestClient(endpoints.flinkRestUrl);
const planDir = `/tmp/pipec-deploy-plans-${process.pid}`;
mkdirSync(planDir, { recursive: true });

const agg = (keys: string): string => `stream s as select ${keys}, count(*) as n from payments group by ${keys};\nsink s into kafka topic 'out' format avro upsert key (${keys});`;

/** compile-plan.json's statements for a job of this parallelism. */
const STATEMENTS = (parallelism: number): string[] => [
  "SET 'pipeline.name' = 'pipec-deploy-test'",
  `SET 'parallelism.default' = '${parallelism}'`,
  "SET 'execution.checkpointing.interval' = '2 s'",
  "CREATE TEMPORARY TABLE src (id BIGINT, k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.k.min' = '1', 'fields.k.max' = '5')",
  "CREATE TEMPORARY TABLE snk (k INT, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'blackhole')",
  "COMPILE PLAN '${pipec:flink.plan_path}' FOR STATEMENT SET\nBEGIN\n  INSERT INTO snk SELECT k, COUNT(*) FROM src GROUP BY k;\nEND",
];

function inputs(over: Partial<JobInputs> = {}): JobInputs {
  return {
    name: `deploytest${process.pid}`,
    sqlGatewayUrl: endpoints.sqlGatewayUrl,
    flinkRestUrl: endpoints.flinkRestUrl,
    flinkVersion: endpoints.flinkLine,
    jobName: 'pipec-deploy-test',
    statements: STATEMENTS(1),
    plan: planOf(agg('currency')),
    hash: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    placeholders: {},
    planDir: `file://${planDir}`,
    savepointDir: `file://${endpoints.savepointDir}`,
    allowStateReset: false,
    ...over,
  };
}

let current: JobOutputs | undefined;

afterAll(async () => {
  if (current) await flink.cancel(current.jobId).catch(() => undefined);
});

describe('Flink job provider', () => {
  test('create runs the compiled plan', { timeout: 240_000 }, async () => {
    const created = await jobProvider.create(inputs());
    current = created.outs as JobOutputs;
    expect(current.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(current.planPath).toBe(`file://${planDir}/deploytest${process.pid}-1111111111111111.json`);
    expect((await flink.job(current.jobId)).state).toBe('RUNNING');
  });

  test('the same inputs are no change (diff needs no server)', async () => {
    if (!current) throw new Error('create failed');
    expect((await jobProvider.diff?.(current.jobId, current, inputs()))?.changes).toBe(false);
    // Switching allowStateReset or the savepoint folder alone restarts nothing either.
    expect((await jobProvider.diff?.(current.jobId, current, inputs({ allowStateReset: true, savepointDir: 'file:///elsewhere' })))?.changes).toBe(false);
  });

  test('an incompatible change is refused before anything is touched, naming it', { timeout: 60_000 }, async () => {
    if (!current) throw new Error('create failed');
    const news = inputs({ plan: planOf(agg('currency, status')), hash: `sha256:${'2'.repeat(64)}` });
    const check = await jobProvider.check?.(current, news);
    expect(check?.failures?.[0]?.reason).toContain('group keys changed from (currency) to (currency, status)');
    await expect(jobProvider.update?.(current.jobId, current, news)).rejects.toThrow(/cannot keep the running job's state[\s\S]*view s: group keys changed/);
    expect((await flink.job(current.jobId)).state).toBe('RUNNING');
  });

  test('a compatible change stops with a savepoint and restores the new job from it', { timeout: 300_000 }, async () => {
    if (!current) throw new Error('create failed');
    // Wait for a checkpoint so the aggregate has state worth keeping.
    await new Promise((r) => setTimeout(r, 5000));
    const news = inputs({ statements: STATEMENTS(2), plan: planOf(agg('currency'), 'pipeline p with (checkpoint = 10 s, parallelism = 2);'), hash: `sha256:${'3'.repeat(64)}` });
    const diff = await jobProvider.diff?.(current.jobId, current, news);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const old = current.jobId;
    const updated = (await jobProvider.update?.(current.jobId, current, news))?.outs as JobOutputs;
    current = updated;
    expect(updated.jobId).not.toBe(old);
    expect(updated.stateVerdict).toBe('compatible');
    expect(updated.lastSavepoint).toMatch(/savepoint-/);
    expect(updated.restoredFrom).toBe(updated.lastSavepoint);
    expect(await flink.awaitJobState(old, ['FINISHED'], 30_000)).toBe('FINISHED');
    const restored = await flink.checkpoints(updated.jobId);
    expect(restored.latest.restored?.is_savepoint).toBe(true);
    expect(restored.latest.restored?.external_path).toBe(updated.lastSavepoint);
  });

  test('a new plan that does not start is rolled back: the previous plan runs again from the savepoint', { timeout: 300_000 }, async () => {
    if (!current) throw new Error('create failed');
    // A plan folder the gateway cannot write: COMPILE PLAN fails after the old job was stopped.
    const news = inputs({ statements: STATEMENTS(2), plan: planOf(agg('currency'), 'pipeline p with (checkpoint = 10 s, parallelism = 2);'), hash: `sha256:${'4'.repeat(64)}`, planDir: 'file:///proc/pipec-cannot-write-here' });
    const failure = await Promise.resolve(jobProvider.update?.(current.jobId, current, news)).then(() => undefined, (e: unknown) => e as Error);
    expect(failure?.message).toMatch(/the old job [0-9a-f]{32} was stopped with savepoint \S*savepoint-\S*, but the new one did not start/);
    const back = /Rolled back: the previous plan runs again from that savepoint as job ([0-9a-f]{32})\./.exec(failure?.message ?? '')?.[1];
    expect(back).toBeDefined();
    expect((await flink.job(back ?? '')).state).toBe('RUNNING');
    expect((await flink.checkpoints(back ?? '')).latest.restored?.is_savepoint).toBe(true);
    // Pulumi keeps the outputs it had (the stopped job's id); the deployer finds the running one by name.
    const { liveJob } = await import('../../../deploy/impl/job.ts');
    expect((await liveJob(current)).id).toBe(back);
  });

  test('delete stops the running job with a savepoint', { timeout: 300_000 }, async () => {
    if (!current) throw new Error('create failed');
    const { deleteJob, liveJob } = await import('../../../deploy/impl/job.ts');
    const live = (await liveJob(current)).id;
    expect((await flink.job(live)).state, `job ${live} before delete`).toBe('RUNNING');
    const savepoint = await deleteJob(current);
    expect(savepoint).toMatch(/savepoint-/);
    expect(await flink.awaitJobState(live, ['FINISHED'], 30_000)).toBe('FINISHED');
    current = undefined;
  });
});
