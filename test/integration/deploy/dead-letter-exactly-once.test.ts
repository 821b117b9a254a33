/**
 * Bad records under exactly-once, across restarts, on the real local stack. A pipeline compiled from the language
 * (`on error dead letter` on its source, `expect … else dead letter` and `expect … else fail` on its stream,
 * `delivery = exactly_once`) runs while records flow — some undecodable, some breaking an expectation — and is:
 * 1. failed by one record (the `else fail` expectation holds again once that record is 10 s old) and restarted by
 *    Flink from its last checkpoint;
 * 2. upgraded (stopped with a savepoint, the new plan restored from it);
 * 3. upgraded again after a deploy that died between the stop with a savepoint and the start of the new plan (the
 *    next deploy starts from that savepoint).
 * Afterwards, read committed, each of the three outputs holds exactly its records, each once: the good rows in the
 * sink, the undecodable bytes in the source's dead-letter topic, the rejected rows in the expectation's. A record
 * lost or written twice around a restart would show in one of them.
 */
import { afterAll, describe, expect, inject, test } from 'vitest';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { t } from '../../../compiler/types/types.ts';
import type { JobOutputs } from '../../../deploy/impl/job.ts';
import { PipelineStack } from '../../../deploy/stack.ts';
import { staticSchemas, testConfig } from '../../helpers/check.ts';
import { writeBuild } from '../../helpers/compile-project.ts';
import { InProcessEngine } from '../../helpers/in-process-engine.ts';
import { compileSnippet, decodeConfluent } from '../kafka-connect/helpers.ts';
import { createTopics, unique } from '../local-stack/helpers.ts';
import { consumeRaw } from '../runtime/kafka-records.ts';
import { until } from '../runtime/contract-sql.ts';
import { localStackArgs, startProducing } from './helpers.ts';

const endpoints = inject('pipecLocal');
const flink = new FlinkRestClient(endpoints.flinkRestUrl);
const name = unique('dl_eo');
const topics = { input: `${name}.in`, out: `${name}.out`, undecodable: `${name}.undecodable`, rejected: `${name}.rejected` };
const engine = new InProcessEngine();

/** What record `seq` is: every 7th is not JSON, every 11th of the others has amount 0 (breaks `positive`). */
type Kind = 'good' | 'undecodable' | 'rejected';
const kindOf = (seq: number): Kind => (seq % 7 === 0 ? 'undecodable' : seq % 11 === 0 ? 'rejected' : 'good');
/**
 * The one good record marked `boom` fails the job (`else fail`) until it is 10 s old (past any lag of the first read
 * on a loaded machine): Flink restarts the job from its last checkpoint until the record passes.
 */
let boomAt: number | undefined;
const valueOf = (seq: number): string =>
  kindOf(seq) === 'undecodable' ? `{"seq": ${seq}, "amount": ` : JSON.stringify({ seq, amount: kindOf(seq) === 'rejected' ? 0 : seq, boom: seq === boomAt });

function build(parallelism: number): Promise<string> {
  const schemas = staticSchemas({ [`${topics.input}-value`]: [{ name: 'seq', type: t.bigint(false) }, { name: 'amount', type: t.bigint(false) }, { name: 'boom', type: t.boolean(false) }] });
  const output = compileSnippet(
    {
      'dl.pipe': `pipeline ${name} with (parallelism = ${parallelism}, checkpoint = 2 s, delivery = exactly_once);
source events from kafka topic '${topics.input}' format json
  metadata (produced_at from timestamp)
  on error dead letter '${topics.undecodable}';
stream checked as select seq, amount, boom and now() < produced_at + interval '10' second as failing from events
  expect positive: amount > 0 else dead letter '${topics.rejected}'
  expect no_boom: not failing else fail;
sink checked into kafka topic '${topics.out}' format json;`,
    },
    testConfig,
    schemas,
  );
  return writeBuild(output.artifacts, `pipec-${name}-`);
}

const deploy = async (buildDir: string): Promise<JobOutputs> => {
  await engine.up(() => new PipelineStack(name, localStackArgs(endpoints, buildDir, { deleteOnDestroy: true })));
  return engine.outputs(`${name}-job:${name}`) as unknown as JobOutputs;
};


const seqsOf = (kind: Kind, last: number): number[] => Array.from({ length: last }, (_, i) => i + 1).filter((s) => kindOf(s) === kind);
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

afterAll(async () => {
  await engine.destroy().catch(() => undefined);
});

describe('dead-letter outputs under exactly-once, across upgrades', () => {
  let produced = 0;

  test('create, upgrade, and finish an interrupted upgrade while good and bad records flow', { timeout: 600_000 }, async () => {
    await createTopics(endpoints, [topics.input]);
    const producing = startProducing(endpoints, topics.input, (seq) => ({ key: String(seq), value: valueOf(seq) }));
    try {
      const v1 = await deploy(await build(1));
      expect((await flink.job(v1.jobId)).state).toBe('RUNNING');
      // Let a few checkpoints commit transactions on all three outputs, then fail the job on a record.
      await new Promise((r) => setTimeout(r, 8000));
      boomAt = producing.next() + 20;
      if (kindOf(boomAt) !== 'good') boomAt += 1;
      if (kindOf(boomAt) !== 'good') boomAt += 1;
      const boomSetAt = Date.now();
      const restored = await until('a restart from a checkpoint', 120_000, async () => (await flink.checkpoints(v1.jobId)).latest.restored ?? undefined);
      expect(restored.is_savepoint).toBe(false);
      await until('the job running past the failing record', 120_000, async () => (Date.now() > boomSetAt + 15_000 && (await flink.job(v1.jobId)).state === 'RUNNING' ? true : undefined));
      await new Promise((r) => setTimeout(r, 3000));
      const v2 = await deploy(await build(2));
      expect(v2.jobId).not.toBe(v1.jobId);
      expect(v2.stateVerdict).toBe('compatible');
      expect(v2.restoredFrom).toBe(v2.lastSavepoint);
      await new Promise((r) => setTimeout(r, 5000));

      // A deploy that stopped the job with a savepoint and then died: the next deploy starts from that savepoint.
      const stopped = await flink.awaitSavepoint(v2.jobId, await flink.stopWithSavepoint(v2.jobId, { targetDirectory: `file://${endpoints.savepointDir}` }));
      await flink.awaitJobState(v2.jobId, ['FINISHED'], 60_000);
      const v3 = await deploy(await build(1));
      expect(v3.jobId).not.toBe(v2.jobId);
      expect(v3.lastSavepoint).toBe(stopped);
      expect(v3.restoredFrom).toBe(stopped);
      expect((await flink.checkpoints(v3.jobId)).latest.restored?.external_path).toBe(stopped);
      await new Promise((r) => setTimeout(r, 5000));
    } finally {
      produced = await producing.stop();
    }
    expect(seqsOf('undecodable', produced).length).toBeGreaterThan(30);
    expect(seqsOf('rejected', produced).length).toBeGreaterThan(30);
  });

  test('the sink holds every good record exactly once', { timeout: 180_000 }, async () => {
    const want = seqsOf('good', produced);
    const got = (await consumeRaw(endpoints, topics.out, want.length, 150_000)).map((r) => (JSON.parse(r.value?.toString() ?? '{}') as { seq: number }).seq);
    expect(sorted(got)).toEqual(want);
  });

  test("the source's dead-letter topic holds every undecodable record exactly once, as it was produced", { timeout: 180_000 }, async () => {
    const want = seqsOf('undecodable', produced);
    const letters = await consumeRaw(endpoints, topics.undecodable, want.length, 150_000);
    const got = letters.map((l) => Number(l.key?.toString()));
    expect(sorted(got)).toEqual(want);
    for (const l of letters) expect(l.value?.toString()).toBe(valueOf(Number(l.key?.toString())));
    expect(new Set(letters.map((l) => l.headers['pipec.error.topic']))).toEqual(new Set([topics.input]));
  });

  test("the expectation's dead-letter topic holds every rejected row exactly once, named by the expectation", { timeout: 180_000 }, async () => {
    const want = seqsOf('rejected', produced);
    const rows = await Promise.all((await consumeRaw(endpoints, topics.rejected, want.length, 150_000)).map(async (r) => (await decodeConfluent(endpoints, r.value ?? Buffer.alloc(0))).value as { pipec_expectation: string; seq: bigint | number; amount: bigint | number }));
    expect(sorted(rows.map((r) => Number(r.seq)))).toEqual(want);
    expect(new Set(rows.map((r) => `${r.pipec_expectation}:${Number(r.amount)}`))).toEqual(new Set(['positive:0']));
  });
});
