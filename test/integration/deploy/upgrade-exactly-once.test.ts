/**
 * A stateful job upgraded by the deployer while records flow, on the real local stack. Records with sequence
 * numbers are produced without pause while `pulumi up` creates the pipeline and then upgrades it (more
 * parallelism and a new stateless sink, declared first so the compiled plan lists it before the aggregate): the
 * job is stopped with a savepoint and the new plan restored from it.
 * Afterwards, read committed:
 * - the exactly-once append sink holds every produced record exactly once (none lost, none duplicated);
 * - the exactly-once upsert sink's final count and sum per key equal what was produced — the aggregate's state
 *   crossed the upgrade (a restart from empty state would undercount, a replay without state overcount).
 * Then an incompatible change is refused with the job untouched, and `destroy` removes the job (savepoint),
 * the topics and the subjects.
 */
import { afterAll, describe, expect, inject, test } from 'vitest';
import { PipelineStack } from '../../../deploy/stack.ts';
import type { JobOutputs } from '../../../deploy/impl/job.ts';
import { t } from '../../../compiler/types/types.ts';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { staticSchemas, testConfig } from '../../helpers/check.ts';
import { InProcessEngine, type Step } from '../../helpers/in-process-engine.ts';
import { compileSnippet } from '../kafka-connect/helpers.ts';
import { consume, createTopics, unique, withAdmin, type Consumed } from '../local-stack/helpers.ts';
import { localStackArgs, startProducing } from './helpers.ts';
import { writeBuild } from '../../helpers/compile-project.ts';

const endpoints = inject('pipecLocal');
const flink = new FlinkRestClient(endpoints.flinkRestUrl);
const name = unique('eo');
const topics = { input: `${name}.in`, totals: `${name}.totals`, copied: `${name}.copied`, big: `${name}.big` };
const engine = new InProcessEngine();

function build(settings: string, extra = '', groupBy = 'k'): Promise<string> {
  const schemas = staticSchemas({ [`${topics.input}-value`]: [{ name: 'seq', type: t.bigint(false) }, { name: 'k', type: t.string(false) }, { name: 'amount', type: t.bigint(false) }] });
  const output = compileSnippet(
    {
      'eo.pipe': `pipeline ${name} with (${settings}, delivery = exactly_once);
source events from kafka topic '${topics.input}' format json;
${extra}
stream totals as select ${groupBy}, count(*) as n, sum(amount) as total from events group by ${groupBy};
sink totals into kafka topic '${topics.totals}' format json upsert key (${groupBy});
stream copied as select seq, k, amount from events;
sink copied into kafka topic '${topics.copied}' format json;`,
    },
    testConfig,
    schemas,
  );
  return writeBuild(output.artifacts, `pipec-${name}-`);
}

const deploy = (buildDir: string): Promise<Step[]> => engine.up(() => new PipelineStack(name, localStackArgs(endpoints, buildDir, { deleteOnDestroy: true })));
const jobOf = (): JobOutputs => engine.outputs(`${name}-job:${name}`) as unknown as JobOutputs;


afterAll(async () => {
  await engine.destroy().catch(() => undefined);
});

describe('a stateful job upgraded while records flow', () => {
  let produced = 0;

  test('create, then upgrade with a savepoint under load', { timeout: 600_000 }, async () => {
    await createTopics(endpoints, [topics.input]);
    const producing = startProducing(endpoints, topics.input, (seq) => ({ key: `k${seq % 5}`, value: JSON.stringify({ seq, k: `k${seq % 5}`, amount: seq % 1000 }) }));
    try {
      const first = await deploy(await build('parallelism = 1, checkpoint = 2 s'));
      expect(first.filter((s) => s.op === 'create').map((s) => s.type.replace(/^.*:/, '')).sort()).toEqual(['FlinkJob', 'JobStateGuard', 'KafkaTopic', 'KafkaTopic', 'RegistrySubject', 'RegistrySubject', 'RegistrySubject']);
      const v1 = jobOf();
      expect((await flink.job(v1.jobId)).state).toBe('RUNNING');
      // Let the aggregate build state and a few checkpoints complete before the upgrade.
      await new Promise((r) => setTimeout(r, 8000));

      const second = await deploy(await build('parallelism = 2, checkpoint = 2 s', `stream big as select seq, amount from events where amount >= 900;\nsink big into kafka topic '${topics.big}' format json;`));
      expect(second.find((s) => s.name === `${name}-job:${name}`)?.op).toBe('update');
      expect(second.filter((s) => s.op === 'create').map((s) => s.name).sort()).toEqual([`${name}-subject:${topics.big}-value`, `${name}-topic:${topics.big}`]);
      const v2 = jobOf();
      expect(v2.jobId).not.toBe(v1.jobId);
      expect(v2.stateVerdict).toBe('compatible');
      expect(v2.lastSavepoint).toMatch(/savepoint-/);
      expect(v2.restoredFrom).toBe(v2.lastSavepoint);
      expect((await flink.checkpoints(v2.jobId)).latest.restored?.external_path).toBe(v2.lastSavepoint);
      await new Promise((r) => setTimeout(r, 5000));
    } finally {
      produced = await producing.stop();
    }
    expect(produced).toBeGreaterThan(300);
  });

  test('the append sink holds every record exactly once', { timeout: 180_000 }, async () => {
    const records = await consume(endpoints, topics.copied, produced, { timeoutMs: 150_000 });
    const seqs = records.map((r) => (JSON.parse(r.value ?? '{}') as { seq: number }).seq).sort((a, b) => a - b);
    expect(seqs.length).toBe(produced);
    expect(new Set(seqs).size).toBe(produced);
    expect(seqs[0]).toBe(1);
    expect(seqs.at(-1)).toBe(produced);
  });

  test('the upsert sink ends at the counts and sums of everything produced', { timeout: 180_000 }, async () => {
    const expected = new Map<string, { n: number; total: number }>();
    for (let seq = 1; seq <= produced; seq += 1) {
      const e = expected.get(`k${seq % 5}`) ?? { n: 0, total: 0 };
      expected.set(`k${seq % 5}`, { n: e.n + 1, total: e.total + (seq % 1000) });
    }
    const latest = (records: Consumed[]): Map<string, { n: number; total: number }> => {
      const m = new Map<string, { n: number; total: number }>();
      for (const r of records) if (r.value) {
        const v = JSON.parse(r.value) as { k: string; n: number; total: number };
        m.set(v.k, { n: v.n, total: v.total });
      }
      return m;
    };
    const done = (records: Consumed[]): boolean => [...expected].every(([k, e]) => latest(records).get(k)?.n === e.n);
    // Read until every key shows its final count; a timeout fails with the records seen.
    const records = await consume(endpoints, topics.totals, 0, { timeoutMs: 150_000, until: done });
    expect(Object.fromEntries(latest(records))).toEqual(Object.fromEntries(expected));
  });

  test('an incompatible change is refused and the running job is left as it was', { timeout: 120_000 }, async () => {
    const running = jobOf();
    const versions = async (): Promise<unknown> => (await fetch(`${endpoints.schemaRegistryUrl}/subjects/${topics.totals}-key/versions`)).json();
    const before = await versions();
    // New group keys mean a new key schema too: the guard refuses before the subject is touched.
    await expect(deploy(await build('parallelism = 2, checkpoint = 2 s', '', 'k, amount'))).rejects.toThrow(/view totals: group keys changed from \(k\) to \(k, amount\)/);
    expect(await versions()).toEqual(before);
    expect(jobOf().jobId).toBe(running.jobId);
    expect((await flink.job(running.jobId)).state).toBe('RUNNING');
  });

  test('destroy stops the job with a savepoint and removes topics and subjects (deleteOnDestroy)', { timeout: 300_000 }, async () => {
    const jobId = jobOf().jobId;
    const steps = await engine.destroy();
    expect(steps.every((s) => s.op === 'delete')).toBe(true);
    // Dependents first: the job goes before the topics it writes, the guard last.
    expect(steps[0]?.type).toBe('pulumi-nodejs:dynamic/pipec:FlinkJob');
    expect(steps.at(-1)?.type).toBe('pulumi-nodejs:dynamic/pipec:JobStateGuard');
    expect(await flink.awaitJobState(jobId, ['FINISHED'], 60_000)).toBe('FINISHED');
    const left = await withAdmin(endpoints, (admin) => admin.listTopics());
    expect(left.filter((x) => x.startsWith(`${name}.`) && x !== topics.input)).toEqual([]);
    const subjects = (await (await fetch(`${endpoints.schemaRegistryUrl}/subjects`)).json()) as string[];
    expect(subjects.filter((s) => s.startsWith(`${name}.`))).toEqual([]);
  });
});
