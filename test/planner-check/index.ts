/**
 * The Flink planner harness, from TypeScript: plans generated job.sql files with the real Flink table planner
 * (1.20 or 2.2), without a cluster, Kafka or a schema registry. One JVM per call checks all the files.
 *
 *   const results = await checkWithFlinkPlanner(['build/orders/job.sql'], '2.2', { substitutions });
 *   for (const r of results) if (!r.ok) console.error(r.file, r.error?.line, r.error?.message);
 *
 * See README.md beside this file for what is checked and the differences between the Flink lines.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildMavenProject, type BuildOptions, type HarnessBuild } from '../../targets/flink-sql/maven/build.ts';
import { PlannerHarnessError } from '../../targets/flink-sql/maven/errors.ts';
import { DEFAULT_FLINK_LINE, type FlinkLine } from '../../stdlib/flink-lines.ts';
import { harnessLineSchema, type HarnessDone, type HarnessInfo, type PlannerResult, type SplitResult } from './output.ts';

export { unresolvedArtifact, type BuildOptions, type HarnessBuild } from '../../targets/flink-sql/maven/build.ts';
export { FLINK_LINE_NAMES, type FlinkLine } from '../../stdlib/flink-lines.ts';
export { PlannerHarnessError, isPlannerHarnessError, type PlannerHarnessErrorKind } from '../../targets/flink-sql/maven/errors.ts';
export type { HarnessDone, HarnessInfo, PlannerError, PlannerResult, PlannerSink, PlannerView, SplitResult, SplitStatement } from './output.ts';

export interface PlannerCheckOptions extends BuildOptions {
  /**
   * Placeholders to replace before planning, e.g. { '${pipec:registry.url}': 'http://127.0.0.1:1' }. Each is
   * replaced literally, longest first. Planning contacts neither Kafka nor the registry, so dummies do.
   */
  substitutions?: Readonly<Record<string, string>> | undefined;
  /** More class path entries for the planning JVM, e.g. compiled protobuf message classes. */
  extraClasspath?: readonly string[] | undefined;
  /** A SET key that no option of this Flink version declares: 'error' (default) fails the file, 'warn' only warns. */
  unknownSetKeys?: 'error' | 'warn' | undefined;
  /** JVM options for the planning JVM; default: a 1 GiB heap, serial GC and C1 only (fastest for short runs). */
  jvmOptions?: readonly string[] | undefined;
  /** Kill the planning JVM after this long; default 20 minutes. */
  timeoutMs?: number | undefined;
}

export interface PlannerRun {
  build: HarnessBuild;
  harness: HarnessInfo;
  /** One per input file, in input order; `file` is the path as given. */
  results: PlannerResult[];
  done: HarnessDone;
  /** Wall time of the planning JVM, from spawn to exit. */
  jvmWallMs: number;
}

/** The harness's Maven project (this folder). */
export const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));

/** Builds (or reuses) the harness for one Flink line. */
export function buildPlannerHarness(line: FlinkLine, options: BuildOptions = {}): Promise<HarnessBuild> {
  return buildMavenProject(line, { dir: HARNESS_DIR, name: 'planner harness' }, options);
}

export const DEFAULT_JVM_OPTIONS: readonly string[] = ['-Xmx1g', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss4m'];

interface JvmOutput {
  lines: unknown[];
  stderr: string;
  code: number | null;
  wallMs: number;
}

function runJvm(java: string, args: readonly string[], timeoutMs: number): Promise<JvmOutput> {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(java, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: unknown[] = [];
    let stderr = '';
    let badLine: string | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // A test that times out leaves its call pending: the JVM must not outlive the test process.
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
    });
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (l) => {
      if (l.trim() === '') return;
      try {
        lines.push(JSON.parse(l));
      } catch {
        badLine ??= l;
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      process.off('exit', killOnExit);
      reject(new PlannerHarnessError('java-missing', `could not start ${java}: ${e.message}`, 'install a JDK 17+ or pass javaHome'));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      process.off('exit', killOnExit);
      if (badLine !== undefined) {
        reject(new PlannerHarnessError('output', 'the planner harness printed a line that is not JSON', 'a library printed to the real standard output; PlannerCheck must route it to stderr', badLine.slice(0, 2000)));
        return;
      }
      resolvePromise({ lines, stderr, code, wallMs: Date.now() - started });
    });
  });
}

function tail(s: string, max = 4000): string {
  return s.length <= max ? s : `…${s.slice(s.length - max)}`;
}

function harnessArgs(build: HarnessBuild, opts: PlannerCheckOptions, tmp: string, rest: readonly string[]): string[] {
  const cp = [...build.classpath, ...(opts.extraClasspath ?? []).map((p) => resolve(p))].join(delimiter);
  const args = [...(opts.jvmOptions ?? DEFAULT_JVM_OPTIONS), `-Djava.io.tmpdir=${tmp}`, '-cp', cp, 'dev.pipec.plannercheck.PlannerCheck'];
  if (opts.substitutions && Object.keys(opts.substitutions).length > 0) {
    const f = join(tmp, 'substitutions.json');
    writeFileSync(f, JSON.stringify(opts.substitutions));
    args.push('--substitutions', f);
  }
  args.push('--unknown-set-keys', opts.unknownSetKeys ?? 'error', ...rest);
  return args;
}

/** Plans every file in one JVM for one Flink line, with the harness's own timing and version info. */
export async function runFlinkPlanner(files: readonly string[], version: FlinkLine, opts: PlannerCheckOptions = {}): Promise<PlannerRun> {
  const build = await buildPlannerHarness(version, opts);
  // The planner loader unpacks the planner jar into java.io.tmpdir: give each run its own, removed after.
  const tmp = mkdtempSync(join(tmpdir(), 'pipec-planner-'));
  try {
    const absolute = files.map((f) => resolve(f));
    const list = join(tmp, 'files.txt');
    writeFileSync(list, absolute.join('\n') + '\n');
    const out = await runJvm(build.java, harnessArgs(build, opts, tmp, ['--list', list]), opts.timeoutMs ?? 20 * 60_000);

    let harness: HarnessInfo | undefined;
    let done: HarnessDone | undefined;
    const byFile = new Map<string, PlannerResult>();
    for (const raw of out.lines) {
      const parsed = harnessLineSchema.safeParse(raw);
      if (!parsed.success) {
        throw new PlannerHarnessError('output', `the planner harness printed an unexpected line: ${parsed.error.message}`, 'keep output.ts and PlannerCheck.java in step', JSON.stringify(raw).slice(0, 2000));
      }
      const line = parsed.data;
      switch (line.kind) {
        case 'harness': {
          const { kind: _kind, ...info } = line;
          harness = info;
          break;
        }
        case 'file': {
          const { kind: _kind, ...result } = line;
          byFile.set(result.file, result);
          break;
        }
        case 'done': {
          const { kind: _kind, ...d } = line;
          done = d;
          break;
        }
        case 'split':
          break;
      }
    }
    if (!harness || !done || out.code !== 0) {
      throw new PlannerHarnessError(
        'jvm',
        `the Flink ${version} planner JVM stopped early (exit ${String(out.code)}) after ${byFile.size} of ${files.length} files`,
        'see detail (the JVM standard error); a crash here is a harness bug, not a rejected job',
        tail(out.stderr),
      );
    }
    const results = absolute.map((abs, i) => {
      const r = byFile.get(abs);
      if (!r) throw new PlannerHarnessError('output', `the planner harness gave no result for ${abs}`, 'a harness bug', tail(out.stderr));
      return { ...r, file: files[i] ?? abs };
    });
    return { build, harness, results, done, jvmWallMs: out.wallMs };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Plans each job.sql with the real Flink planner of `version` (1.20 or 2.2): its SET statements, DDL, then
 * StatementSet#compilePlan and EXPLAIN CHANGELOG_MODE, JSON_EXECUTION_PLAN of its statement set. Never runs a job.
 * Resolves with one result per file, in order; rejects only when the harness itself fails (PlannerHarnessError).
 */
export async function checkWithFlinkPlanner(files: readonly string[], version: FlinkLine, opts: PlannerCheckOptions = {}): Promise<PlannerResult[]> {
  return (await runFlinkPlanner(files, version, opts)).results;
}

/** Splits job.sql files into statements the way the harness does (no planning): for tests and tooling. */
export async function splitWithHarness(files: readonly string[], version: FlinkLine = DEFAULT_FLINK_LINE, opts: PlannerCheckOptions = {}): Promise<SplitResult[]> {
  const build = await buildPlannerHarness(version, opts);
  const tmp = mkdtempSync(join(tmpdir(), 'pipec-split-'));
  try {
    const absolute = files.map((f) => resolve(f));
    const out = await runJvm(build.java, harnessArgs(build, { ...opts, jvmOptions: ['-Xmx256m', '-XX:TieredStopAtLevel=1'] }, tmp, ['--split', ...absolute]), opts.timeoutMs ?? 5 * 60_000);
    if (out.code !== 0) {
      throw new PlannerHarnessError('jvm', `the harness failed to split (exit ${String(out.code)})`, 'see detail', tail(out.stderr));
    }
    const results: SplitResult[] = [];
    for (const raw of out.lines) {
      const line = harnessLineSchema.parse(raw);
      if (line.kind === 'split') {
        const { kind: _kind, ...r } = line;
        results.push(r);
      }
    }
    return results.map((r, i) => ({ ...r, file: files[i] ?? r.file }));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
