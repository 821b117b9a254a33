/**
 * Flink jobs through the SQL Gateway, from compiled plans. Create: run the job's compile-plan.json statements
 * (placeholders filled) in a fresh session, which writes the compiled plan, then `EXECUTE PLAN` it; what the
 * deployer adds is built as Flink SQL trees and printed by the target (targets/flink-sql/print.ts). Update: judge the change
 * with pipec's state classifier; if state carries over, stop the old job with a savepoint and start the new
 * plan from it, else refuse (naming the change) unless a state reset is allowed. Delete: stop with a savepoint.
 * A started job counts only once it is stable (see `awaitStable`); an upgrade that is not is rolled back to the
 * previous plan from the same savepoint.
 */
import type { Classification } from '../../compiler/upgrade/classify.ts';
import type { FlinkRestClient } from '../../clients/flink-rest.ts';
import type { ResetStart } from '../../targets/flink-sql/reset-start.ts';

export interface JobInputs {
  readonly name: string;
  readonly sqlGatewayUrl: string;
  readonly flinkRestUrl: string;
  readonly flinkVersion: string;
  /** The Flink job's name (`pipeline.name`), by which a running job of this pipeline is found. */
  readonly jobName: string;
  /** compile-plan.json's statements as built, with `${pipec:…}` placeholders: sent one by one, in order. */
  readonly statements: readonly string[];
  /** plan.json as built: what an upgrade is classified against. */
  readonly plan: string;
  /** The manifest hash of the job. */
  readonly hash: string;
  /** Values of the placeholders (secrets among them); `flink.plan_path` is set by the deployer. */
  readonly placeholders: Readonly<Record<string, string>>;
  /** Folder URI the gateway writes compiled plans to, e.g. file:///var/flink/plans. */
  readonly planDir: string;
  /** Savepoint folder URI; absent: the cluster's `execution.checkpointing.savepoint-dir`. */
  readonly savepointDir?: string | undefined;
  /** Allow an upgrade that cannot keep state to start the new job from empty state. */
  readonly allowStateReset?: boolean | undefined;
  /**
   * Where a job that starts with empty state on an upgrade reads its append sources from: the consumer group's
   * committed offsets, where the previous job stopped (default), or each source's `startup`.
   */
  readonly resetStart?: ResetStart | undefined;
  /** How long a started job has to become stable before it counts as failed (default 300 s). */
  readonly stableTimeoutSeconds?: number | undefined;
  /** Path or URL (readable by the SQL Gateway) of the pipec Flink runtime jar; absent: Flink's lib/ has it. */
  readonly runtimeJar?: string | undefined;
}

export interface JobOutputs extends JobInputs {
  readonly jobId: string;
  readonly planPath: string;
  /** The savepoint the running job was started from (upgrades), if any. */
  readonly restoredFrom?: string | undefined;
  /** The savepoint the previous job was stopped with at the last upgrade. */
  readonly lastSavepoint?: string | undefined;
  readonly stateVerdict?: string | undefined;
}

export class StateResetRefused extends Error {
  readonly classification: Classification;
  constructor(name: string, classification: Classification) {
    const reasons = classification.changes.filter((c) => c.verdict === 'incompatible').map((c) => `  - ${c.subject}: ${c.change}`);
    super(`job ${name}: the change cannot keep the running job's state, so it was not deployed:\n${reasons.join('\n')}\nKeep the stateful part as it is, or set allowStateReset to start the new job from empty state.`);
    this.name = 'StateResetRefused';
    this.classification = classification;
  }
}

export function planPathFor(inputs: Pick<JobInputs, 'planDir' | 'name' | 'hash'>): string {
  return `${inputs.planDir.replace(/\/+$/, '')}/${inputs.name}-${inputs.hash.replace(/^sha256:/, '').slice(0, 16)}.json`;
}

/**
 * Compiles and starts the job. `deployedPlanPath` is the compiled plan the running job was started from: the new
 * plan's node ids are matched against it (compiled-plan.ts), so the state of each operator finds its operator.
 * `reset` says where a job that replaces a running one with empty state reads its sources from.
 */
export async function startJob(inputs: JobInputs, restore: { path: string; dropState: boolean } | undefined, deployedPlanPath?: string, reset?: ResetStart): Promise<{ jobId: string; planPath: string }> {
  const { SqlGatewayClient } = await import('../../clients/sql-gateway.ts');
  const { fillPlaceholders, placeholdersIn } = await import('../../stdlib/placeholders.ts');
  const { printExecutable: sql } = await import('../../targets/flink-sql/print.ts');
  const { FLINK_LINES, flinkLineSchema } = await import('../../stdlib/flink-lines.ts');
  const { runtimeJarStatements } = await import('./runtime-jar.ts');
  const { resetStartStatements } = await import('../../targets/flink-sql/reset-start.ts');
  const { decodePlanFile } = await import('../../compiler/plan/plan-file.ts');
  const { stateRecoveryPath } = FLINK_LINES[flinkLineSchema.parse(inputs.flinkVersion)].configKeys;
  const planPath = planPathFor(inputs);
  const values = { ...inputs.placeholders, 'flink.plan_path': planPath };
  const statements = inputs.statements.map((s) => fillPlaceholders(s, values, 'sql-string'));
  const missing = [...new Set(statements.flatMap(placeholdersIn))];
  if (missing.length > 0) throw new Error(`job ${inputs.name}: no value for placeholder${missing.length > 1 ? 's' : ''} ${missing.map((m) => `\${pipec:${m}}`).join(', ')}`);
  // Read before compiling: a rollback compiles the deployed plan again, to the same path.
  const deployed = deployedPlanPath === undefined ? undefined : await readLocalPlan(deployedPlanPath);
  const gateway = new SqlGatewayClient(inputs.sqlGatewayUrl);
  const session = await gateway.openSession({}, `pipec-deploy-${inputs.name}`);
  try {
    await gateway.execute(session, sql({ kind: 'set', key: 'table.plan.force-recompile', value: 'true' }));
    for (const addJar of runtimeJarStatements(statements, inputs.runtimeJar)) await gateway.execute(session, sql(addJar));
    for (const statement of statements) await gateway.execute(session, statement);
    await stabilizePlanIds(planPath, deployed);
    if (reset !== undefined) for (const statement of resetStartStatements(decodePlanFile(inputs.plan, `the plan.json of job ${inputs.name}`), reset)) await gateway.execute(session, sql(statement));
    if (restore) {
      await gateway.execute(session, sql({ kind: 'set', key: stateRecoveryPath, value: restore.path }));
      if (restore.dropState) await gateway.execute(session, sql({ kind: 'set', key: 'execution.state-recovery.ignore-unclaimed-state', value: 'true' }));
    }
    const jobId = await gateway.executeInsert(session, sql({ kind: 'execute-plan', path: planPath }));
    return { jobId, planPath };
  } finally {
    await gateway.closeSession(session).catch(() => undefined);
  }
}

async function localFile(planPath: string): Promise<string | undefined> {
  if (!planPath.startsWith('file:')) return undefined;
  const { fileURLToPath } = await import('node:url');
  return fileURLToPath(planPath.replace(/^file:(?!\/\/)/, 'file://'));
}

/** A compiled plan the deployer wrote before, if it is on this machine and still there. */
async function readLocalPlan(planPath: string): Promise<string | undefined> {
  const file = await localFile(planPath);
  if (file === undefined) return undefined;
  const { readFile } = await import('node:fs/promises');
  return readFile(file, 'utf8').catch(() => undefined);
}

/**
 * Renumbers the compiled plan's nodes (see compiled-plan.ts), against the deployed plan when there is one, where
 * the deployer can reach the file: a file:// plan folder on this machine. Elsewhere (s3://, hdfs://) ids stay as
 * the gateway wrote them, and a restore after the gateway compiled other plans fails with "Cannot map
 * checkpoint/savepoint state" instead.
 */
async function stabilizePlanIds(planPath: string, deployed: string | undefined): Promise<void> {
  const file = await localFile(planPath);
  if (file === undefined) return;
  const { readFile, writeFile } = await import('node:fs/promises');
  const { renumberPlanNodes } = await import('./compiled-plan.ts');
  await writeFile(file, renumberPlanNodes(await readFile(file, 'utf8'), deployed));
}

const TERMINAL: readonly string[] = ['FINISHED', 'CANCELED', 'FAILED'];
const DEFAULT_STABLE_SECONDS = 300;
/** Without periodic checkpoints, how long every task must run with no failure to count as stable. */
const QUIET_MS = 5000;
/**
 * Failures a starting job may recover from (a source topic a connector has not created yet): more, and it is
 * failing for good — a restore that does not fit fails on every restart.
 */
const MAX_FAILURES = 3;

type Stability = { readonly kind: 'stable' } | { readonly kind: 'waiting'; readonly for: string } | { readonly kind: 'failed'; readonly why: string };

/**
 * One look at a started job. Stable: RUNNING, every task RUNNING (state is restored before a task runs), and a
 * checkpoint completed after the last failure, if any — so the restored state was written out again. A restore
 * that fails restarts the job, which may look RUNNING in between; it fails again on every restart, so a job that
 * failed `MAX_FAILURES` times is judged failed. A job without periodic checkpoints cannot show one: there, every
 * task running for a quiet moment with no failure stands in.
 */
async function stability(flink: FlinkRestClient, jobId: string, runningSince: { at?: number | undefined; failures?: number | undefined }): Promise<Stability> {
  const job = await flink.job(jobId);
  const failures = await flink.failures(jobId);
  if (failures.count >= MAX_FAILURES) return { kind: 'failed', why: `failed ${failures.count} times after it started (now ${job.state}), first with: ${failures.firstCause ?? 'no details'}` };
  if (job.state !== 'RUNNING') {
    return TERMINAL.includes(job.state) ? { kind: 'failed', why: `is ${job.state}` } : { kind: 'waiting', for: `the job is ${job.state}` };
  }
  const vertices = job.vertices ?? [];
  const pending = vertices.filter((v) => v.status !== 'RUNNING');
  if (pending.length > 0) {
    runningSince.at = undefined;
    return { kind: 'waiting', for: `${pending.length} of ${vertices.length} operators are not running yet (${pending.map((v) => `${v.name.slice(0, 60)}: ${v.status}`).join('; ')})` };
  }
  runningSince.at ??= Date.now();
  const recovering = failures.count > 0 ? ` (recovering from: ${failures.firstCause ?? 'a failure'})` : '';
  if (await flink.checkpointing(jobId)) {
    const completed = (await flink.checkpoints(jobId)).latest.completed;
    const afterFailure = completed !== undefined && completed !== null && (failures.lastAt === undefined || (completed.latest_ack_timestamp ?? 0) > failures.lastAt);
    return afterFailure ? { kind: 'stable' } : { kind: 'waiting', for: `all tasks run; no checkpoint has completed yet${recovering}` };
  }
  if (runningSince.failures !== failures.count) {
    runningSince.failures = failures.count;
    runningSince.at = Date.now();
  }
  return Date.now() - runningSince.at >= QUIET_MS ? { kind: 'stable' } : { kind: 'waiting', for: `all tasks run; the job takes no checkpoints, so it must run a moment without failing${recovering}` };
}

/**
 * Waits for the started job to become stable (see `stability`) within the job's stable timeout. One that does
 * not is cancelled — Pulumi records nothing of a failed step, so it would run on unmanaged — and the error says
 * what Flink reported.
 */
export async function awaitStable(inputs: JobInputs, jobId: string): Promise<void> {
  const { FlinkRestClient } = await import('../../clients/flink-rest.ts');
  const flink = new FlinkRestClient(inputs.flinkRestUrl);
  const seconds = inputs.stableTimeoutSeconds ?? DEFAULT_STABLE_SECONDS;
  const deadline = Date.now() + seconds * 1000;
  const runningSince: { at?: number | undefined; failures?: number | undefined } = {};
  let problem: string | undefined;
  // A blip of the REST API is waited out; one that lasts is no answer at all, and the job is not judged stable.
  let unanswered = 0;
  while (problem === undefined) {
    const now = await stability(flink, jobId, runningSince).then(
      (s) => ((unanswered = 0), s),
      (e: unknown): Stability => ((unanswered += 1), { kind: 'waiting', for: `Flink did not answer: ${(e as Error).message}` }),
    );
    if (now.kind === 'stable') return;
    if (now.kind === 'failed') problem = now.why;
    else if (unanswered >= MAX_UNANSWERED) problem = `did not say whether the job runs (${now.for})`;
    else if (Date.now() > deadline) problem = `did not become stable within ${seconds} s (last seen: ${now.for})`;
    else await new Promise((r) => setTimeout(r, 1000));
  }
  const cancelled = await flink.cancel(jobId).then(
    async () => {
      await flink.awaitJobState(jobId, TERMINAL, 120_000).catch(() => undefined);
      return 'so it was cancelled';
    },
    (c: unknown) => `and cancelling it failed too (${(c as Error).message}), so it may still run (the next deploy takes it if it runs this build's plan)`,
  );
  throw new Error(`job ${inputs.name}: Flink job ${jobId} at ${inputs.flinkRestUrl} ${problem}, ${cancelled}`);
}

/** Consecutive unanswered status requests (one a second) after which a starting job counts as unwatchable. */
const MAX_UNANSWERED = 10;

/**
 * Stops the job with a savepoint and returns its location. A job that is not RUNNING cannot take one: it is
 * cancelled (unless already over) and the answer is undefined.
 */
export async function stopWithSavepoint(inputs: Pick<JobInputs, 'flinkRestUrl' | 'savepointDir' | 'name'>, jobId: string): Promise<string | undefined> {
  const { FlinkRestClient } = await import('../../clients/flink-rest.ts');
  const { HttpError } = await import('../../clients/http.ts');
  const flink = new FlinkRestClient(inputs.flinkRestUrl);
  let state: string;
  try {
    state = (await flink.job(jobId)).state;
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return undefined;
    throw e;
  }
  if (state !== 'RUNNING') {
    // Restarting, failing, created…: no savepoint is possible. Cancel it so it does not run on unmanaged.
    if (!TERMINAL.includes(state)) {
      await flink.cancel(jobId);
      await flink.awaitJobState(jobId, TERMINAL, 120_000);
    }
    return undefined;
  }
  // Right after a (re)start the job is RUNNING while its tasks still deploy, and a savepoint is refused with
  // "Not all required tasks are currently running": try again for a while.
  let location: string | undefined;
  for (let attempt = 1; location === undefined; attempt += 1) {
    const trigger = await flink.stopWithSavepoint(jobId, inputs.savepointDir ? { targetDirectory: inputs.savepointDir } : {});
    try {
      location = await flink.awaitSavepoint(jobId, trigger, 300_000);
    } catch (e) {
      const transient = /not being executed at the moment|Not all required tasks/i.test((e as Error).message);
      if (!transient || attempt >= 30) throw new Error(`job ${inputs.name}: stop with savepoint at ${inputs.flinkRestUrl} failed: ${(e as Error).message}`, { cause: e });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  // The savepoint completes before the job has finished; wait, so its slots are free for the next one.
  await flink.awaitJobState(jobId, ['FINISHED', 'CANCELED'], 120_000);
  return location;
}

/**
 * A job of this pipeline's name that already runs although the stack has none recorded: what a create leaves when
 * it submitted the job and then lost Flink's answer, or another stack deploying the same project and environment.
 * Taken as it is when it runs from this very build's compiled plan (the plan file of this hash exists, so an
 * earlier attempt of this deploy compiled and started it); refused otherwise — never a second running job.
 */
async function leftoverJob(inputs: JobInputs): Promise<JobOutputs | undefined> {
  const { FlinkRestClient } = await import('../../clients/flink-rest.ts');
  const name = inputs.jobName;
  const live = (await new FlinkRestClient(inputs.flinkRestUrl).jobs()).filter((j) => j.name === name && !TERMINAL.includes(j.state));
  const [only] = live;
  if (!only) return undefined;
  const planPath = planPathFor(inputs);
  const { existsSync } = await import('node:fs');
  const planFile = await localFile(planPath);
  if (live.length === 1 && only.state === 'RUNNING' && planFile !== undefined && existsSync(planFile)) {
    console.log(`pipec: job ${inputs.name}: Flink job ${only.jid} already runs this build's plan (left by an interrupted deploy); taken as it is`);
    return { ...inputs, jobId: only.jid, planPath };
  }
  throw new Error(
    `job ${inputs.name}: Flink job${live.length > 1 ? 's' : ''} ${live.map((j) => `${j.jid} (${j.state})`).join(', ')} named '${name}' already run${live.length > 1 ? '' : 's'} at ${inputs.flinkRestUrl} and ${live.length > 1 ? 'are' : 'is'} not in this stack's state; pipec does not start a second one. ` +
      'Stop it with a savepoint (POST /jobs/<id>/stop) and deploy again, or cancel it',
  );
}

export async function createJob(inputs: JobInputs): Promise<JobOutputs> {
  const leftover = await leftoverJob(inputs);
  if (leftover) return leftover;
  const { jobId, planPath } = await startJob(inputs, undefined);
  await awaitStable(inputs, jobId);
  return { ...inputs, jobId, planPath };
}

/** What to do when the deployed plan.json is of a format this pipec does not read: its state cannot be judged. */
const DEPLOYED_PLAN_REMEDY = 'deploy this change with the pipec that deployed the job, or set allowStateReset to start the new job from empty state';

export async function classifyJobChange(olds: Pick<JobOutputs, 'name' | 'plan' | 'flinkVersion'>, news: Pick<JobInputs, 'name' | 'plan' | 'flinkVersion'>): Promise<Classification> {
  const { classify } = await import('../../compiler/upgrade/classify.ts');
  const { decodePlanFile } = await import('../../compiler/plan/plan-file.ts');
  const previous = decodePlanFile(olds.plan, `the plan.json job ${olds.name} was deployed with (in the stack's state)`, DEPLOYED_PLAN_REMEDY);
  const next = decodePlanFile(news.plan, `the plan.json of job ${news.name} in the build`);
  return classify(previous, next, { previousFlinkVersion: olds.flinkVersion, nextFlinkVersion: news.flinkVersion });
}

/**
 * The job this resource runs now: the recorded id while that job is alive, else the one RUNNING job of the
 * same name — a rollback after a failed upgrade, or an operator, restarted it under a new id.
 */
export async function liveJob(props: Pick<JobOutputs, 'jobId' | 'flinkRestUrl' | 'jobName'>): Promise<{ readonly id: string; readonly state: string }> {
  const { FlinkRestClient } = await import('../../clients/flink-rest.ts');
  const flink = new FlinkRestClient(props.flinkRestUrl);
  const state = await flink.job(props.jobId).then((j) => j.state, () => 'GONE');
  if (!TERMINAL.includes(state) && state !== 'GONE') return { id: props.jobId, state };
  const running = (await flink.jobs()).filter((j) => j.name === props.jobName && j.state === 'RUNNING');
  return running.length === 1 && running[0] ? { id: running[0].jid, state: 'RUNNING' } : { id: props.jobId, state };
}

export async function updateJob(olds: JobOutputs, news: JobInputs): Promise<JobOutputs> {
  const verdict = await classifyJobChange(olds, news);
  if (verdict.verdict === 'incompatible' && !news.allowStateReset) throw new StateResetRefused(news.name, verdict);
  const { id: oldJobId, state } = await liveJob(olds);
  // An earlier deploy of this change stopped the job with a savepoint and ended before starting the new one.
  const interrupted = state === 'FINISHED' ? await finalSavepoint(news, oldJobId) : undefined;
  if (verdict.verdict !== 'incompatible' && !news.allowStateReset && state !== 'RUNNING' && interrupted === undefined) {
    throw new Error(`job ${news.name}: the running job ${oldJobId} is ${state} at ${news.flinkRestUrl}, so no savepoint can carry its state to the new plan; bring it back to RUNNING, or set allowStateReset to start the new job from empty state`);
  }
  if (interrupted !== undefined) console.log(`pipec: job ${news.name}: Flink job ${oldJobId} was stopped with savepoint ${interrupted} by an interrupted deploy; the new plan starts from it`);
  const savepoint = interrupted ?? (await stopWithSavepoint(news, oldJobId));
  const restore = verdict.verdict === 'incompatible' || !savepoint ? undefined : { path: savepoint, dropState: verdict.verdict === 'compatible-dropping-state' };
  try {
    const { jobId, planPath } = await startJob(news, restore, olds.planPath, restore === undefined ? (news.resetStart ?? 'committed-offsets') : undefined);
    await awaitStable(news, jobId);
    return { ...news, jobId, planPath, restoredFrom: restore?.path, lastSavepoint: savepoint, stateVerdict: verdict.verdict };
  } catch (e) {
    const failure = `job ${news.name}: the old job ${oldJobId} was stopped${savepoint ? ` with savepoint ${savepoint}` : ''}, but the new one did not start and run stably: ${(e as Error).message}`;
    if (!savepoint) throw new Error(failure, { cause: e });
    // Put the previous plan back from the savepoint just taken, so the pipeline keeps running while the
    // change is fixed; the next deploy finds it by name. Its ids are matched against its own compiled plan.
    let back: string;
    try {
      back = (await startJob(olds, { path: savepoint, dropState: false }, olds.planPath)).jobId;
      await awaitStable(olds, back);
    } catch (rollback) {
      throw new Error(`${failure}\nRolling back to the previous plan from that savepoint failed too: ${(rollback as Error).message}`, { cause: e });
    }
    throw new Error(`${failure}\nRolled back: the previous plan runs again from that savepoint as job ${back}.`, { cause: e });
  }
}

/**
 * The savepoint a FINISHED job was stopped with: its last completed checkpoint, when that is a savepoint. A
 * streaming job only finishes by a stop with a savepoint, which is then the last thing it took.
 */
async function finalSavepoint(inputs: Pick<JobInputs, 'flinkRestUrl'>, jobId: string): Promise<string | undefined> {
  const { FlinkRestClient } = await import('../../clients/flink-rest.ts');
  const { latest } = await new FlinkRestClient(inputs.flinkRestUrl).checkpoints(jobId);
  const last = latest.savepoint;
  if (!last?.external_path || (latest.completed && latest.completed.id > last.id)) return undefined;
  return last.external_path;
}

export async function deleteJob(props: JobOutputs): Promise<string | undefined> {
  const jobId = (await liveJob(props)).id;
  const savepoint = await stopWithSavepoint(props, jobId);
  // Pulumi keeps no outputs of a deleted resource: the log is where the path is reported.
  if (savepoint) console.log(`pipec: job ${props.name} (${jobId}) stopped with savepoint ${savepoint}`);
  return savepoint;
}
