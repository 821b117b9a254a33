/**
 * The truth of one upgrade pair, from the real Flink of the local stack, through the deployer's own path
 * (compile-plan.sql, the compiled plan with pipec's plan ids matched against the deployed one, EXECUTE PLAN from
 * the savepoint, the "stable" rule):
 * 1. A runs on records R1; once its consumer group has committed all of them (a checkpoint completed, so the
 *    upsert sinks flushed), it is stopped with a savepoint.
 * 2. B starts from that savepoint (state of what B lacks is dropped unless the verdict is plain compatible) —
 *    or fails to: the truth is then "restore fails".
 * 3. R2 (touching every key, and moving event time past the windows R1 opened) is fed; once B has committed it
 *    and flushed what its watermark fired, B is cancelled.
 * 4. B from scratch (its own job, group and sink topics) runs beside 1–3 from the start and is judged, the same
 *    way, once it has committed R1 + R2.
 * 5. The final row per key of every sink A and B share, restored and from scratch, is read (one consumer).
 * Same final rows: "same results"; else "different results" (sinks B adds start empty by design, so they are
 * not compared). Every phase's time is recorded, so a run can say where a pair's time goes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { awaitStable, planPathFor, startJob, stopWithSavepoint, type JobInputs } from '../../../deploy/impl/job.ts';
import { classify, type Classification } from '../../../compiler/upgrade/classify.ts';
import { decodePlanFile } from '../../../compiler/plan/plan-file.ts';
import { t } from '../../../compiler/types/types.ts';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import type { LocalEndpoints } from '../../../local/endpoints.ts';
import { assertNever } from '../../../compiler/util/invariant.ts';
import { fillPlaceholders } from '../../../stdlib/placeholders.ts';
import { compilePlanArtifactSchema, type CompilePlanArtifact } from '../../../targets/flink-sql/compile-plan-artifact.ts';
import { staticSchemas, testConfig } from '../../helpers/check.ts';
import { compileSnippet } from '../kafka-connect/helpers.ts';
import { createTopics, produce, readTopicsToEnd, unique, withAdmin } from '../local-stack/helpers.ts';
import type { Names, Pair, Program } from './pairs.ts';

/**
 * `timing-dependent`: the restore gave different results, but so does B upgraded to itself (B restored from its
 * own savepoint against B from scratch, see `judge`): B's answer is not a function of its input, so the
 * difference says nothing about the upgrade.
 */
export type Truth = Observed | { readonly kind: 'timing-dependent'; readonly diff: string; readonly unchanged: string };

/** What one run of a pair shows. */
type Observed = { readonly kind: 'restore-fails'; readonly why: string } | { readonly kind: 'same' } | { readonly kind: 'different'; readonly diff: string };

export interface Outcome {
  readonly truth: Truth;
  readonly classification: Classification;
  readonly a: string;
  readonly b: string;
  readonly phases: Phases;
}

const R1 = 60;
const R2 = 60;

/**
 * Record `seq`: keys k0–k4, categories c0–c2, amounts spread over 0–99; R2 touches every key and category. The
 * record key is {"k": …}, which a keyed (upsert) source reads and the others ignore.
 */
export function records(from: number, to: number): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (let seq = from; seq <= to; seq += 1) out.push({ key: JSON.stringify({ k: `k${seq % 5}` }), value: JSON.stringify({ seq, k: `k${seq % 5}`, cat: `c${seq % 3}`, amount: (seq * 37) % 100 }) });
  return out;
}

/** A pipeline's names: `id` for the pipeline and its sink topics, reading `inputId`'s topic. */
export function names(id: string, inputId: string): Names {
  return { pipeline: id, input: `${inputId}.in`, out: id, group: `${testConfig.project}.${testConfig.environment}.${id}` };
}

export interface Compiled {
  readonly names: Names;
  readonly text: string;
  readonly sql: string;
  readonly compilePlan: CompilePlanArtifact;
  readonly plan: string;
  readonly sinkTopics: readonly string[];
}

export function compile(program: Program, names: Names): Compiled {
  const text = program(names);
  const schemas = staticSchemas({ [`${names.input}-key`]: [{ name: 'k', type: t.string(false) }], [`${names.input}-value`]: [{ name: 'seq', type: t.bigint(false) }, { name: 'k', type: t.string(false) }, { name: 'cat', type: t.string(false) }, { name: 'amount', type: t.bigint(false) }] });
  const output = compileSnippet({ 'p.pipe': text }, testConfig, schemas);
  const file = (suffix: string): string => {
    const a = output.artifacts.find((x) => x.path === `${names.pipeline}/${suffix}`);
    if (!a) throw new Error(`no ${suffix} for ${names.pipeline}`);
    return a.contents;
  };
  const sinkTopics = [...text.matchAll(/into kafka topic '([^']+)'/g)].map((m) => m[1] ?? '');
  return { names, text, sql: file('compile-plan.sql'), compilePlan: compilePlanArtifactSchema.parse(JSON.parse(file('compile-plan.json'))), plan: file('plan.json'), sinkTopics };
}

export function jobInputs(endpoints: LocalEndpoints, c: Compiled, planDir: string): JobInputs {
  return {
    name: c.names.pipeline,
    sqlGatewayUrl: endpoints.sqlGatewayUrl,
    flinkRestUrl: endpoints.flinkRestUrl,
    flinkVersion: endpoints.flinkLine,
    jobName: c.compilePlan.jobName,
    statements: c.compilePlan.statements.map((s) => fillPlaceholders(s, { 'kafka.bootstrap_servers': endpoints.kafkaBootstrap }, 'sql-string')),
    plan: c.plan,
    hash: `sha256:${createHash('sha256').update(c.sql).digest('hex')}`,
    placeholders: {},
    planDir: `file://${planDir}`,
    savepointDir: `file://${endpoints.savepointDir}`,
    stableTimeoutSeconds: 60,
  };
}

/**
 * Waits until the job's consumer group has committed `count` input records (Flink commits on checkpoints, after
 * the sinks flushed what those records produced), and then for `after` more completed checkpoints.
 */
export async function awaitCommitted(endpoints: LocalEndpoints, jobId: string, c: Compiled, count: number, after: number): Promise<void> {
  const flink = new FlinkRestClient(endpoints.flinkRestUrl);
  const groupId = c.names.group;
  const deadline = Date.now() + 90_000;
  let committedAt: number | undefined;
  await withAdmin(endpoints, async (admin) => {
    for (;;) {
      const completed = (await flink.checkpoints(jobId)).counts.completed;
      if (committedAt === undefined) {
        const offsets = await admin.fetchOffsets({ groupId, topics: [c.names.input] });
        const committed = offsets.flatMap((o) => o.partitions).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
        if (committed >= count) committedAt = completed;
      }
      if (committedAt !== undefined && completed >= committedAt + after) return;
      if (Date.now() > deadline) throw new Error(`group ${groupId} did not commit ${count} records of ${c.names.input} and ${after} checkpoints after within 90 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
}

/**
 * Checkpoints to wait for after the commit before B's results are final: the watermark of the last records is
 * emitted periodically, maybe after the checkpoint that committed them, and the windows and joins it fires are
 * flushed to the sinks only by a later one. Without event time every result is flushed by the committing one.
 */
const settleCheckpoints = (c: Compiled): number => (/ event time /.test(c.text) ? 2 : 0);

/**
 * The last row per key of each sink topic. A key whose last record is a tombstone has no row, like a key never
 * written: whether a retracted row was written first and then deleted depends on timing, not on state.
 */
export async function finalRows(endpoints: LocalEndpoints, topics: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const read = await readTopicsToEnd(endpoints, topics, 60_000);
  return new Map(
    topics.map((topic) => {
      const rows = new Map<string, string>();
      for (const r of read.get(topic) ?? []) {
        if (r.value === undefined) rows.delete(r.key ?? '');
        else rows.set(r.key ?? '', JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(r.value) as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))));
      }
      return [topic, rows];
    }),
  );
}

function difference(restored: ReadonlyMap<string, string>, scratch: ReadonlyMap<string, string>): string | undefined {
  const keys = [...new Set([...restored.keys(), ...scratch.keys()])].sort();
  const diffs = keys.filter((k) => restored.get(k) !== scratch.get(k)).map((k) => `${k}: restored ${restored.get(k) ?? '(none)'}, from scratch ${scratch.get(k) ?? '(none)'}`);
  return diffs.length > 0 ? diffs.join('; ') : undefined;
}

/**
 * Topics created one pair after the other: kafkajs' wait for the new topics' leaders fails ("This server does not
 * host this topic-partition") when another admin creates topics at the same moment.
 */
let creating: Promise<unknown> = Promise.resolve();
function createTopicsInTurn(endpoints: LocalEndpoints, topics: string[]): Promise<void> {
  const mine = creating.then(() => createTopics(endpoints, topics));
  creating = mine.catch(() => undefined);
  return mine;
}

/** Milliseconds spent per phase of one pair, summed where a phase runs more than once. */
export type Phases = Record<string, number>;

async function timed<T>(phases: Phases, phase: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await f();
  } finally {
    phases[phase] = (phases[phase] ?? 0) + Date.now() - t0;
  }
}

/** How often B is upgraded to itself before its answer counts as a function of its input. */
const UNCHANGED_TRIES = 5;

/**
 * The truth of a pair. Where the restore gave different results and the verdict let the upgrade through, B is
 * then upgraded to itself, up to UNCHANGED_TRIES times: if that too answers differently once, the program's
 * results depend on timing (e.g. an event-time join whose inputs wake from idleness at different moments: the
 * side that wakes first moves the watermark past rows of the other side still on their way), restored or not,
 * and the pair says nothing about state. Otherwise the difference stands: an unsafe verdict.
 */
export async function judge(endpoints: LocalEndpoints, pair: Pair): Promise<Outcome> {
  const outcome = await engineTruth(endpoints, pair);
  if (outcome.truth.kind !== 'different' || outcome.classification.verdict === 'incompatible') return outcome;
  const phases: Phases = { ...outcome.phases };
  for (let i = 0; i < UNCHANGED_TRIES; i += 1) {
    const unchanged = await engineTruth(endpoints, { name: `${pair.name} (B upgraded to itself)`, a: pair.b, b: pair.b });
    for (const [phase, ms] of Object.entries(unchanged.phases)) phases[`${phase} (unchanged)`] = (phases[`${phase} (unchanged)`] ?? 0) + ms;
    switch (unchanged.truth.kind) {
      case 'same':
        continue;
      case 'different':
        return { ...outcome, phases, truth: { kind: 'timing-dependent', diff: outcome.truth.diff, unchanged: unchanged.truth.diff } };
      case 'restore-fails':
        throw new Error(`${pair.name}: B upgraded to itself: the restore fails: ${unchanged.truth.why}`);
      default:
        return assertNever(unchanged.truth);
    }
  }
  return { ...outcome, phases };
}

/**
 * A → B runs restored while B from scratch runs beside it, as its own job: it reads the same input topic with its
 * own group into its own sink topics, and is only judged once all records are in.
 */
export async function engineTruth(endpoints: LocalEndpoints, pair: Pair): Promise<Outcome & { readonly truth: Observed }> {
  const flink = new FlinkRestClient(endpoints.flinkRestUrl);
  const id = unique('up');
  const planDir = `${endpoints.dir}/data/upgrade-plans`;
  mkdirSync(planDir, { recursive: true });
  const deployedNames = names(id, id);
  const a = compile(pair.a, deployedNames);
  const b = compile(pair.b, deployedNames);
  const scratch = compile(pair.b, names(`${id}s`, id));
  const classification = classify(decodePlanFile(a.plan, 'plan.json of A'), decodePlanFile(b.plan, 'plan.json of B'));
  const phases: Phases = {};
  const outcome = (truth: Observed): Outcome & { readonly truth: Observed } => ({ truth, classification, a: a.text, b: b.text, phases });
  await timed(phases, 'topics and R1', async () => {
    await createTopicsInTurn(endpoints, [...new Set([deployedNames.input, ...a.sinkTopics, ...b.sinkTopics, ...scratch.sinkTopics])]);
    await produce(endpoints, deployedNames.input, records(1, R1));
  });

  let produced: () => void = () => undefined;
  const r2Produced = new Promise<void>((resolve) => (produced = resolve));
  const inS = jobInputs(endpoints, scratch, planDir);
  // Set once R2 is in and B runs restored: only then is B from scratch judged.
  let judged = false;
  const fromScratch = (async (): Promise<void> => {
    const jobS = (await timed(phases, 'start S', () => startJob(inS, undefined))).jobId;
    try {
      await timed(phases, 'S stable', () => awaitStable(inS, jobS));
      await r2Produced;
      if (!judged) return;
      await timed(phases, 'S committed', () => awaitCommitted(endpoints, jobS, scratch, R1 + R2, settleCheckpoints(scratch)));
    } finally {
      await flink.cancel(jobS).catch(() => undefined);
    }
  })();
  // Settled at once, so an early failure of B from scratch is not an unhandled rejection while A runs.
  const scratchDone = fromScratch.then(
    () => undefined,
    (e: unknown) => e,
  );
  try {
    const inA = jobInputs(endpoints, a, planDir);
    const jobA = (await timed(phases, 'start A', () => startJob(inA, undefined))).jobId;
    await timed(phases, 'A stable', () => awaitStable(inA, jobA));
    // Once A has committed R1 its state holds all of it; what its watermark would fire later, B's timers fire.
    await timed(phases, 'A committed', () => awaitCommitted(endpoints, jobA, a, R1, 0));
    const savepoint = await timed(phases, 'stop A with savepoint', () => stopWithSavepoint(inA, jobA));
    if (!savepoint) throw new Error(`job ${jobA} gave no savepoint`);

    const inB = jobInputs(endpoints, b, planDir);
    let jobB: string | undefined;
    try {
      const started = (await timed(phases, 'start B', () => startJob(inB, { path: savepoint, dropState: classification.verdict !== 'compatible' }, planPathFor(inA)))).jobId;
      jobB = started;
      await timed(phases, 'B stable', () => awaitStable(inB, started));
    } catch (e) {
      if (jobB) await flink.cancel(jobB).catch(() => undefined);
      return outcome({ kind: 'restore-fails', why: (e as Error).message.split('\n')[0] ?? '' });
    }
    await timed(phases, 'R2', () => produce(endpoints, deployedNames.input, records(R1 + 1, R1 + R2)));
    judged = true;
    produced();
    try {
      await timed(phases, 'B committed', () => awaitCommitted(endpoints, jobB, b, R1 + R2, settleCheckpoints(b)));
    } catch (e) {
      // A restore can pass the stable rule and fail on the first records that meet the restored state.
      const failures = await flink.failures(jobB);
      if (failures.count === 0) throw e;
      return outcome({ kind: 'restore-fails', why: `failed ${failures.count} times after the restore, first with: ${failures.firstCause ?? 'no details'}` });
    } finally {
      await flink.cancel(jobB).catch(() => undefined);
    }
    const scratchFailure = await scratchDone;
    if (scratchFailure !== undefined) throw scratchFailure;

    const shared = a.sinkTopics.filter((topic) => b.sinkTopics.includes(topic));
    const scratchTopic = (topic: string): string => topic.replace(`${id}.`, `${id}s.`);
    const rows = await timed(phases, 'read sinks', () => finalRows(endpoints, [...shared, ...shared.map(scratchTopic)]));
    const diffs = shared.flatMap((topic) => {
      const d = difference(rows.get(topic) ?? new Map(), rows.get(scratchTopic(topic)) ?? new Map());
      return d ? [`${topic}: ${d}`] : [];
    });
    return outcome(diffs.length > 0 ? { kind: 'different', diff: diffs.join('\n') } : { kind: 'same' });
  } finally {
    produced();
    await scratchDone;
  }
}
