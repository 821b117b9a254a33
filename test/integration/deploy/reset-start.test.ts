/**
 * Where a job started with empty state by `allowStateReset` reads from, on the local stack: a pipeline whose
 * source says `startup earliest` counts records per key; an aggregate is added (incompatible) and deployed with
 * a state reset. By default (`resetStart: 'committed-offsets'`) the new job goes on from the consumer group's
 * committed offsets, so its counts hold only the records produced after the reset; with `'startup'` it reads
 * the topic again from the beginning and counts every record.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, inject, test } from 'vitest';
import { createJob, updateJob, type JobOutputs } from '../../../deploy/impl/job.ts';
import type { ResetStart } from '../../../targets/flink-sql/reset-start.ts';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { createTopics, produce, unique } from '../local-stack/helpers.ts';
import { awaitCommitted, compile, finalRows, jobInputs, names, records } from '../upgrades/engine-truth.ts';

const endpoints = inject('pipecLocal');
const flink = new FlinkRestClient(endpoints.flinkRestUrl);

const program = (aggregates: string) => (n: { pipeline: string; input: string; out: string }): string => `pipeline ${n.pipeline} with (parallelism = 1, checkpoint = 1 s);
source events from kafka topic '${n.input}' format json startup earliest;
stream totals as select k, ${aggregates} from events group by k;
sink totals into kafka topic '${n.out}.totals' format json upsert key (k);
`;

/** Runs 60 records through the first version, resets to the second, runs 60 more; the final count per key. */
async function countsAfterReset(resetStart: ResetStart): Promise<Map<string, number>> {
  const id = unique('reset');
  const n = names(id, id);
  const planDir = `${endpoints.dir}/data/reset-plans`;
  mkdirSync(planDir, { recursive: true });
  const a = compile(program('count(*) as n'), n);
  const b = compile(program('count(*) as n, sum(amount) as total'), n);
  await createTopics(endpoints, [n.input, ...a.sinkTopics]);
  await produce(endpoints, n.input, records(1, 60));
  let running: JobOutputs | undefined;
  try {
    running = await createJob(jobInputs(endpoints, a, planDir));
    await awaitCommitted(endpoints, running.jobId, a, 60, 0);
    running = await updateJob(running, { ...jobInputs(endpoints, b, planDir), allowStateReset: true, resetStart });
    expect(running.stateVerdict).toBe('incompatible');
    expect(running.restoredFrom).toBeUndefined();
    await produce(endpoints, n.input, records(61, 120));
    await awaitCommitted(endpoints, running.jobId, b, 120, 0);
  } finally {
    if (running) await flink.cancel(running.jobId).catch(() => undefined);
  }
  const rows = (await finalRows(endpoints, a.sinkTopics)).get(a.sinkTopics[0] ?? '') ?? new Map<string, string>();
  return new Map([...rows].map(([key, row]) => [key, (JSON.parse(row) as { n: number }).n]));
}

// Records 1–60 and 61–120 each hold 12 records of every key k0–k4.
const counts = (n: number): Map<string, number> => new Map(['k0', 'k1', 'k2', 'k3', 'k4'].map((k) => [JSON.stringify({ k }), n]));

describe('a state reset', () => {
  test('goes on from the committed offsets by default: the new job counts only what came after', { timeout: 300_000 }, async () => {
    expect(await countsAfterReset('committed-offsets')).toEqual(counts(12));
  });

  test("with resetStart 'startup', a `startup earliest` source reads its topic again", { timeout: 300_000 }, async () => {
    expect(await countsAfterReset('startup')).toEqual(counts(24));
  });
});
