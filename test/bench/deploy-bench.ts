/**
 * Deploy cost (`npm run bench deploy`): wall time, HTTP requests per service and Kafka admin mutations of a
 * first deploy, a no-op deploy (the same build again), a one-pipeline change (one job's checkpoint interval:
 * stopped with a savepoint and restored) and a destroy, for builds of 1 and 20 pipelines, on the local stack.
 *
 * The component runs through the real providers with the in-process engine (test/helpers/in-process-engine.ts),
 * not the Pulumi CLI, which cannot run here: the numbers are the providers' calls and time, without the Pulumi
 * engine's own overhead (but with the in-process engine's 250 ms settle wait per registration wave). Every
 * REST service is reached through a counting proxy; Kafka admin mutations are the deployer's own log of them.
 * Each run uses fresh names (topics, subjects, jobs), so no run sees what an earlier one left.
 *
 * Environment: PIPEC_BENCH_DEPLOY_RUNS (default 3), PIPEC_BENCH_DEPLOY_SIZES (default 1,20); the stack as in
 * jobs/stack.ts (PIPEC_LOCAL_EXTERNAL=1 to use a running one, PIPEC_LOCAL_CONFIG for its pipec.yaml).
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { JobOutputs } from '../../deploy/impl/job.ts';
import { kafkaMutations } from '../../deploy/impl/topic.ts';
import { PipelineStack, type PipelineStackArgs } from '../../deploy/stack.ts';
import { FlinkRestClient } from '../../clients/flink-rest.ts';
import type { LocalEndpoints } from '../../local/endpoints.ts';
import { countingProxy, type CountingProxy } from '../helpers/counting-proxy.ts';
import { InProcessEngine, type Step, type StepOp } from '../helpers/in-process-engine.ts';
import { apicurioUrl } from '../integration/kafka-connect/helpers.ts';
import { createSourceTopics, deployCorpus, removeCorpusTopics, writeDeployBuild, type DeployCorpus } from './deploy-corpus.ts';
import { acquireStack } from './jobs/stack.ts';
import { median } from './stats.ts';

export const SERVICES = ['registry', 'connect', 'sqlGateway', 'flinkRest'] as const;
export type Service = (typeof SERVICES)[number];
export const SCENARIOS = ['first deploy', 'no-op deploy', 'one-pipeline change', 'destroy'] as const;
export type Scenario = (typeof SCENARIOS)[number];
export const STEP_OPS: readonly StepOp[] = ['create', 'update', 'replace', 'same', 'delete'];

interface Calls {
  readonly total: number;
  readonly mutating: number;
}

interface Sample {
  readonly ms: number;
  readonly calls: Readonly<Record<Service, Calls>>;
  readonly kafka: number;
  readonly steps: Readonly<Record<StepOp, number>>;
  readonly load1: number;
  /** Rounds that failed and were run again (as a user re-runs `pulumi up`), within the time measured. */
  readonly failedRounds: number;
}

export interface DeployBenchRow {
  readonly pipelines: number;
  readonly scenario: Scenario;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Medians per service over the runs. */
  readonly calls: Readonly<Record<Service, Calls>>;
  readonly kafkaMutations: number;
  /** Steps by op (medians; the same in every run when the deployer is deterministic). */
  readonly steps: Readonly<Record<StepOp, number>>;
  readonly medianLoad1: number;
  /** Failed rounds summed over the runs. */
  readonly failedRounds: number;
}

export interface DeployBenchResult {
  readonly rows: readonly DeployBenchRow[];
  /** One round of the in-process engine with nothing to do: its settle wait, the floor under every number. */
  readonly emptyRoundMs: number;
  readonly flinkVersion: string;
  readonly load: { readonly before: readonly number[]; readonly after: readonly number[] };
  readonly problems: readonly string[];
  /** Why rounds failed before a re-run succeeded (first line of each error). */
  readonly retries: readonly string[];
}

type Proxies = Readonly<Record<Service, CountingProxy>>;

function stackArgs(endpoints: LocalEndpoints, proxies: Proxies, buildDir: string): PipelineStackArgs {
  const planDir = path.join(endpoints.dir, 'data', 'deploy-plans');
  return {
    buildDir,
    kafka: { bootstrapServers: endpoints.kafkaBootstrap },
    registry: { url: proxies.registry.url },
    connect: { url: proxies.connect.url },
    flink: { sqlGatewayUrl: proxies.sqlGateway.url, restUrl: proxies.flinkRest.url, planDir: `file://${planDir}`, savepointDir: `file://${endpoints.savepointDir}` },
    values: { 'registry.apicurio_url': apicurioUrl(endpoints) },
    // The destroy round measures deleting everything, topics and subjects included.
    deleteOnDestroy: true,
  };
}

/** A failed round is run again up to this many times before the run is given up. */
const MAX_RETRIES = 2;

/**
 * Times one round (re-run after a failure, as a user would re-run `pulumi up`; the steps returned are the
 * successful round's) and counts what it called.
 */
async function measure(proxies: Proxies, retries: string[], round: () => Promise<Step[]>): Promise<{ sample: Sample; steps: Step[] }> {
  const before = Object.fromEntries(SERVICES.map((s) => [s, { total: proxies[s].requests.length, mutating: proxies[s].mutations.length }])) as Record<Service, Calls>;
  const kafka0 = kafkaMutations.length;
  const load1 = loadavg()[0] ?? 0;
  const t0 = performance.now();
  let failedRounds = 0;
  let steps: Step[] | undefined;
  while (steps === undefined) {
    try {
      steps = await round();
    } catch (e) {
      failedRounds += 1;
      retries.push(((e as Error).message.split('\n')[0] ?? '').slice(0, 300));
      if (failedRounds > MAX_RETRIES) throw e;
    }
  }
  const ms = performance.now() - t0;
  const calls = Object.fromEntries(SERVICES.map((s) => [s, { total: proxies[s].requests.length - before[s].total, mutating: proxies[s].mutations.length - before[s].mutating }])) as Record<Service, Calls>;
  const byOp = Object.fromEntries(STEP_OPS.map((op) => [op, steps.filter((x) => x.op === op).length])) as Record<StepOp, number>;
  return { sample: { ms, calls, kafka: kafkaMutations.length - kafka0, steps: byOp, load1, failedRounds }, steps };
}

const kindOf = (s: Step): string => s.type.replace(/^.*:/, '');

/** One run for one size: first deploy, no-op, change, destroy; checks what each must have done. */
async function runOnce(endpoints: LocalEndpoints, proxies: Proxies, corpus: DeployCorpus, stackName: string, problems: string[], retries: string[]): Promise<Partial<Record<Scenario, Sample>>> {
  const n = corpus.pipelines.length;
  const flink = new FlinkRestClient(endpoints.flinkRestUrl);
  const engine = new InProcessEngine();
  const builds = await Promise.all([writeDeployBuild(corpus, 10), writeDeployBuild(corpus, 12)]);
  const [initial, changed] = builds as [string, string];
  const deploy = (dir: string): Promise<Step[]> => engine.up(() => new PipelineStack(stackName, stackArgs(endpoints, proxies, dir)));
  const jobOf = (p: string): JobOutputs | undefined => engine.outputs(`${stackName}-job:${p}`) as JobOutputs | undefined;
  const problem = (scenario: Scenario, what: string): void => void problems.push(`${n} pipelines, ${scenario}: ${what}`);
  const out: Partial<Record<Scenario, Sample>> = {};
  let at: Scenario = 'first deploy';
  await createSourceTopics(endpoints, corpus);
  // Set before the first round: a round that fails halfway leaves resources to destroy.
  let deployed = true;
  try {
    const first = await measure(proxies, retries, () => deploy(initial));
    out['first deploy'] = first.sample;
    // After a failed round, what it created is "same" in the re-run.
    const created = first.sample.steps.create + (first.sample.failedRounds > 0 ? first.sample.steps.same : 0);
    if (created !== 5 * n || first.steps.length !== 5 * n) problem('first deploy', `expected ${5 * n} creates, got ${JSON.stringify(first.sample.steps)}`);
    const jobIds = corpus.pipelines.map((p) => jobOf(p)?.jobId ?? '');
    const states = await Promise.all(jobIds.map((id) => (id ? flink.job(id).then((j) => j.state) : Promise.resolve('MISSING'))));
    if (states.some((s) => s !== 'RUNNING')) problem('first deploy', `jobs not RUNNING: ${states.join(', ')}`);

    at = 'no-op deploy';
    const noop = await measure(proxies, retries, () => deploy(initial));
    out['no-op deploy'] = noop.sample;
    const mutating = SERVICES.reduce((a, s) => a + noop.sample.calls[s].mutating, 0) + noop.sample.kafka;
    if (mutating !== 0) problem('no-op deploy', `${mutating} mutating calls (must be 0)`);
    if (noop.sample.steps.same !== 5 * n) problem('no-op deploy', `expected ${5 * n} unchanged, got ${JSON.stringify(noop.sample.steps)}`);

    at = 'one-pipeline change';
    const change = await measure(proxies, retries, () => deploy(changed));
    out['one-pipeline change'] = change.sample;
    const first0 = corpus.pipelines[0] ?? '';
    const updated = change.steps.filter((s) => s.op !== 'same').map((s) => `${s.op} ${kindOf(s)} ${s.name.replace(`${stackName}-`, '')}`).sort();
    const expected = [`update FlinkJob job:${first0}`, `update JobStateGuard state-guard:${first0}`];
    if (JSON.stringify(updated) !== JSON.stringify(expected)) problem('one-pipeline change', `steps other than "same": ${updated.join('; ')}`);
    const job = jobOf(first0);
    if (!job || job.jobId === jobIds[0] || !job.lastSavepoint || job.restoredFrom !== job.lastSavepoint) problem('one-pipeline change', `job ${first0} was not restored from its stop savepoint (${JSON.stringify({ jobId: job?.jobId, restoredFrom: job?.restoredFrom, lastSavepoint: job?.lastSavepoint })})`);
    const others = corpus.pipelines.slice(1).filter((p, i) => jobOf(p)?.jobId !== jobIds[i + 1]);
    if (others.length > 0) problem('one-pipeline change', `other jobs restarted: ${others.join(', ')}`);

    at = 'destroy';
    const finalIds = corpus.pipelines.map((p) => jobOf(p)?.jobId ?? '');
    const destroy = await measure(proxies, retries, () => engine.destroy());
    deployed = false;
    out.destroy = destroy.sample;
    if (destroy.sample.steps.delete !== 5 * n || destroy.steps.length !== 5 * n) problem('destroy', `expected ${5 * n} deletes, got ${JSON.stringify(destroy.sample.steps)}`);
    const after = await Promise.all(finalIds.map((id) => flink.job(id).then((j) => j.state, () => 'GONE')));
    if (after.some((s) => s !== 'FINISHED')) problem('destroy', `jobs not FINISHED: ${after.join(', ')}`);
  } catch (e) {
    problem(at, `failed: ${(e as Error).message.slice(0, 2000)}`);
  } finally {
    // A failed run must not leave jobs holding slots for the next one.
    if (deployed) await engine.destroy().catch((e: unknown) => problems.push(`cleanup destroy failed: ${(e as Error).message.slice(0, 500)}`));
    // The next run starts on a broker that has finished these deletions; sink topics still there fail the run.
    await removeCorpusTopics(endpoints, corpus).catch((e: unknown) => problems.push(`${n} pipelines, destroy: ${(e as Error).message}`));
    for (const dir of builds) rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

function summarize(pipelines: number, scenario: Scenario, samples: readonly Sample[]): DeployBenchRow {
  const ms = samples.map((s) => s.ms);
  return {
    pipelines,
    scenario,
    runs: samples.length,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    calls: Object.fromEntries(SERVICES.map((s) => [s, { total: median(samples.map((x) => x.calls[s].total)), mutating: median(samples.map((x) => x.calls[s].mutating)) }])) as Record<Service, Calls>,
    kafkaMutations: median(samples.map((s) => s.kafka)),
    steps: Object.fromEntries(STEP_OPS.map((op) => [op, median(samples.map((s) => s.steps[op]))])) as Record<StepOp, number>,
    medianLoad1: median(samples.map((s) => s.load1)),
    failedRounds: samples.reduce((a, s) => a + s.failedRounds, 0),
  };
}

function positiveInts(text: string | undefined, fallback: readonly number[]): number[] {
  if (!text) return [...fallback];
  const xs = text.split(',').map((x) => Number(x.trim()));
  if (xs.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`expected positive integers separated by commas, got "${text}"`);
  return xs;
}

export async function benchDeploy(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<DeployBenchResult> {
  const runs = positiveInts(process.env['PIPEC_BENCH_DEPLOY_RUNS'], [3])[0] ?? 3;
  const sizes = positiveInts(process.env['PIPEC_BENCH_DEPLOY_SIZES'], [1, 20]);
  const stack = await acquireStack(log);
  const { endpoints } = stack;
  const proxies: Proxies = {
    registry: await countingProxy(endpoints.schemaRegistryUrl),
    connect: await countingProxy(endpoints.connectUrl),
    sqlGateway: await countingProxy(endpoints.sqlGatewayUrl),
    flinkRest: await countingProxy(endpoints.flinkRestUrl),
  };
  const loadBefore = loadavg();
  const problems: string[] = [];
  const retries: string[] = [];
  const samples = new Map<string, Sample[]>();
  const tag = Date.now().toString(36);
  try {
    const empty: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const t0 = performance.now();
      await new InProcessEngine().up(() => undefined);
      empty.push(performance.now() - t0);
    }
    // Sizes interleaved within each run, so that load on the machine spreads over all of them.
    for (let run = 1; run <= runs; run += 1) {
      for (const n of sizes) {
        const corpus = deployCorpus(`bd${tag}_n${n}_r${run}`, n);
        const got = await runOnce(endpoints, proxies, corpus, `bd${run}n${n}`, problems, retries);
        for (const [scenario, sample] of Object.entries(got)) {
          samples.set(`${n}/${scenario}`, [...(samples.get(`${n}/${scenario}`) ?? []), sample]);
          log(`[deploy] ${n} pipelines, run ${run}: ${scenario} ${(sample.ms / 1000).toFixed(2)} s (load ${sample.load1.toFixed(1)}${sample.failedRounds > 0 ? `, ${sample.failedRounds} failed round(s) re-run` : ''})`);
        }
      }
    }
    const rows = sizes.flatMap((n) => SCENARIOS.flatMap((sc) => {
      const xs = samples.get(`${n}/${sc}`) ?? [];
      return xs.length > 0 ? [summarize(n, sc, xs)] : [];
    }));
    return { rows, emptyRoundMs: median(empty), flinkVersion: endpoints.flinkLine, load: { before: loadBefore, after: loadavg() }, problems, retries };
  } finally {
    for (const p of Object.values(proxies)) await p.close();
    await stack.release();
  }
}

export function printDeployBench(r: DeployBenchResult): void {
  const firstMs = (n: number): number => r.rows.find((x) => x.pipelines === n && x.scenario === 'first deploy')?.medianMs ?? Number.NaN;
  const oneMs = (sc: Scenario): number => r.rows.find((x) => x.pipelines === 1 && x.scenario === sc)?.medianMs ?? Number.NaN;
  const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
  console.log(`deploy: in-process engine over the real providers, Flink ${r.flinkVersion}; requests total/mutating (medians); load average before ${r.load.before.map((x) => x.toFixed(2)).join(' ')}, after ${r.load.after.map((x) => x.toFixed(2)).join(' ')}`);
  console.table(r.rows.map((x) => ({
    pipelines: x.pipelines,
    scenario: x.scenario,
    runs: x.runs,
    'median s': (x.medianMs / 1000).toFixed(2),
    'min–max s': `${(x.minMs / 1000).toFixed(2)}–${(x.maxMs / 1000).toFixed(2)}`,
    'vs first deploy': ratio(x.medianMs / firstMs(x.pipelines)),
    'vs 1 pipeline': ratio(x.medianMs / oneMs(x.scenario)),
    registry: `${x.calls.registry.total}/${x.calls.registry.mutating}`,
    connect: `${x.calls.connect.total}/${x.calls.connect.mutating}`,
    'sql gateway': `${x.calls.sqlGateway.total}/${x.calls.sqlGateway.mutating}`,
    'flink rest': `${x.calls.flinkRest.total}/${x.calls.flinkRest.mutating}`,
    'kafka mutations': x.kafkaMutations,
    steps: STEP_OPS.filter((op) => x.steps[op] > 0).map((op) => `${op} ${x.steps[op]}`).join(', '),
    'failed rounds': x.failedRounds,
    'load 1m': x.medianLoad1.toFixed(1),
  })));
  console.log(`an empty round of the in-process engine (its settle wait alone): ${r.emptyRoundMs.toFixed(0)} ms`);
  for (const x of r.retries) console.log(`re-run after a failed round: ${x}`);
  for (const p of r.problems) console.error(`problem: ${p}`);
}
