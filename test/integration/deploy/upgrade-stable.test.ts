/**
 * Upgrades that must prove themselves, on the real local stack (SQL Gateway + Flink REST + Kafka), through the
 * job provider. The job counts rows per key from a datagen source into an upsert-kafka topic; while its state
 * carries over, each key's count only grows in the topic — a count that falls back means the state was lost.
 * - A look-alike aggregate (same plan shape over the same source) added next to the deployed one: the deployed
 *   aggregate keeps its plan id, so the savepoint maps and its counts go on.
 * - A new plan Flink accepts and runs, whose restore then fails in the tasks (the aggregates reordered: the
 *   accumulator row has another shape): the job reaches RUNNING and restart-loops. The deployer does not count
 *   it as started; it cancels it and brings the previous plan back from the same savepoint, with its state.
 * The plans the classifier judges come from `.pipe` snippets (here: compatible), so the second case is the
 * deployer's safety net for a change the classifier lets through.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { jobProvider } from '../../../deploy/providers.ts';
import { liveJob, type JobInputs, type JobOutputs } from '../../../deploy/impl/job.ts';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { planOf } from '../../helpers/check.ts';
import { consume, createTopics, unique, type Consumed } from '../local-stack/helpers.ts';

const endpoints = inject('pipecLocal');
const flink = new FlinkRestClient(endpoints.flinkRestUrl);
const name = unique('stable');
const topic = `${name}.counts`;
const planDir = `/tmp/pipec-upgrade-plans-${process.pid}`;
mkdirSync(planDir, { recursive: true });

const agg = (stream: string, topicName: string): string => `stream ${stream} as select currency, count(*) as n from payments group by currency;\nsink ${stream} into kafka topic '${topicName}' format avro upsert key (currency);`;

/**
 * `counts` (the deployed aggregate); `extra` adds a look-alike (the same plan shape over the same source, but
 * not the same query, which Flink would share); `reordered` lists the aggregates of `counts` the other way round.
 */
function statements(options: { extra?: boolean; reordered?: boolean } = {}): string[] {
  const counts = options.reordered
    ? 'INSERT INTO counts SELECT k, n, longest FROM (SELECT k, MAX(s) AS longest, COUNT(*) AS n FROM src GROUP BY k)'
    : 'INSERT INTO counts SELECT k, COUNT(*) AS n, MAX(s) AS longest FROM src GROUP BY k';
  return [
    `SET 'pipeline.name' = '${name}'`,
    "SET 'parallelism.default' = '1'",
    "SET 'execution.checkpointing.interval' = '2 s'",
    "CREATE TEMPORARY TABLE src (k INT, s STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '50', 'fields.k.min' = '1', 'fields.k.max' = '3', 'fields.s.length' = '4')",
    `CREATE TEMPORARY TABLE counts (k INT, n BIGINT, longest STRING, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${endpoints.kafkaBootstrap}', 'key.format' = 'json', 'value.format' = 'json')`,
    "CREATE TEMPORARY TABLE twin (k INT, n BIGINT, longest STRING, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'blackhole')",
    `COMPILE PLAN '\${pipec:flink.plan_path}' FOR STATEMENT SET\nBEGIN\n  ${counts};${options.extra ? '\n  INSERT INTO twin SELECT k, COUNT(*) AS n, MIN(s) AS longest FROM src GROUP BY k;' : ''}\nEND`,
  ];
}

function inputs(hashDigit: string, over: Partial<JobInputs> = {}): JobInputs {
  return {
    name,
    sqlGatewayUrl: endpoints.sqlGatewayUrl,
    flinkRestUrl: endpoints.flinkRestUrl,
    flinkVersion: endpoints.flinkLine,
    jobName: name,
    statements: statements(),
    plan: planOf(agg('counts', 'counts')),
    hash: `sha256:${hashDigit.repeat(64)}`,
    placeholders: {},
    planDir: `file://${planDir}`,
    savepointDir: `file://${endpoints.savepointDir}`,
    stableTimeoutSeconds: 90,
    ...over,
  };
}

/** Each key's counts in the order the topic holds them. */
function countsByKey(records: readonly Consumed[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of records) {
    if (!r.value) continue;
    const v = JSON.parse(r.value) as { k: number; n: number };
    out.set(v.k, [...(out.get(v.k) ?? []), v.n]);
  }
  return out;
}

/** Reads the topic until every key's count passes `above`; returns the counts per key. */
async function countsBeyond(above: ReadonlyMap<number, number>): Promise<Map<number, number[]>> {
  const passed = (records: Consumed[]): boolean => {
    const now = countsByKey(records);
    return [1, 2, 3].every((k) => (now.get(k)?.at(-1) ?? 0) > (above.get(k) ?? 0));
  };
  return countsByKey(await consume(endpoints, topic, 0, { timeoutMs: 120_000, until: passed }));
}

const last = (counts: ReadonlyMap<number, number[]>): Map<number, number> => new Map([...counts].map(([k, ns]) => [k, ns.at(-1) ?? 0]));

/** Every key's counts never fall back: the aggregate's state was never lost. */
function expectStateKept(counts: ReadonlyMap<number, number[]>): void {
  for (const [k, ns] of counts) {
    const fell = ns.findIndex((n, i) => i > 0 && n < (ns[i - 1] ?? 0));
    expect(fell, `key ${k}: count fell from ${ns[fell - 1]} to ${ns[fell]} (of ${ns.length} updates)`).toBe(-1);
  }
}

let current: JobOutputs | undefined;

afterAll(async () => {
  if (current) await flink.cancel((await liveJob(current)).id).catch(() => undefined);
});

describe('an upgrade counts only once the new job is stable', () => {
  test('create waits until the job runs stably', { timeout: 240_000 }, async () => {
    await createTopics(endpoints, [topic]);
    current = (await jobProvider.create(inputs('1'))).outs as JobOutputs;
    expect((await flink.job(current.jobId)).state).toBe('RUNNING');
    // Stable means a checkpoint has completed.
    expect((await flink.checkpoints(current.jobId)).counts.completed).toBeGreaterThan(0);
    expect((await countsBeyond(new Map())).size).toBe(3);
  });

  test('a look-alike aggregate added next to the deployed one: the deployed one keeps its state', { timeout: 300_000 }, async () => {
    if (!current) throw new Error('create failed');
    const before = last(await countsBeyond(new Map()));
    const news = inputs('2', { statements: statements({ extra: true }), plan: planOf(`${agg('counts', 'counts')}\n${agg('twin', 'twin')}`) });
    const updated = (await jobProvider.update?.(current.jobId, current, news))?.outs as JobOutputs;
    current = updated;
    expect(updated.stateVerdict).toBe('compatible');
    expect(updated.restoredFrom).toBe(updated.lastSavepoint);
    expect((await flink.checkpoints(updated.jobId)).latest.restored?.external_path).toBe(updated.lastSavepoint);
    const after = await countsBeyond(before);
    expectStateKept(after);
  });

  test('a new plan that fails after RUNNING is cancelled and the previous plan comes back from the savepoint with its state', { timeout: 400_000 }, async () => {
    if (!current) throw new Error('look-alike upgrade failed');
    const before = last(await countsBeyond(new Map()));
    const news = inputs('3', { statements: statements({ extra: true, reordered: true }), plan: planOf(`${agg('counts', 'counts')}\n${agg('twin', 'twin')}`, 'pipeline p with (checkpoint = 10 s, parallelism = 1);') });
    const failure = await Promise.resolve(jobProvider.update?.(current.jobId, current, news)).then(() => undefined, (e: unknown) => e as Error);
    expect(failure?.message).toMatch(/the old job [0-9a-f]{32} was stopped with savepoint \S*savepoint-\S*, but the new one did not start and run stably: job \S+: Flink job [0-9a-f]{32} at \S+ failed \d+ times after it started \(now \w+\), first with: .*StateMigrationException/);
    expect(failure?.message).toMatch(/so it was cancelled/);
    const newJob = /Flink job ([0-9a-f]{32}) at/.exec(failure?.message ?? '')?.[1] ?? '';
    expect(['CANCELED', 'FAILED']).toContain((await flink.job(newJob)).state);
    const back = /Rolled back: the previous plan runs again from that savepoint as job ([0-9a-f]{32})\./.exec(failure?.message ?? '')?.[1] ?? '';
    expect((await flink.job(back)).state).toBe('RUNNING');
    const restored = (await flink.checkpoints(back)).latest.restored;
    expect(restored?.is_savepoint).toBe(true);
    expect(failure?.message).toContain(restored?.external_path ?? 'no restore');
    expect((await liveJob(current)).id).toBe(back);
    const after = await countsBeyond(before);
    expectStateKept(after);
  });
});
