/**
 * The pipeline test runner's JVM, from TypeScript (edge): built like the planner harness (Maven resolves the
 * Flink jars from Maven Central once, javac compiles TestRunner.java), started once per `pipec test` run, and
 * reused for every test: one test job at a time over standard input/output, one JSON line each way.
 *
 *   const session = await FlinkTestSession.start('1.20');
 *   const result = await session.run(job, 120_000);   // job: targets/flink-sql/test-job.ts
 *   await session.close();
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { buildMavenProject, type BuildOptions } from '../maven/build.ts';
import type { FlinkLine } from '../../../stdlib/flink-lines.ts';
import { PlannerHarnessError } from '../maven/errors.ts';
import type { TestJob } from '../test-job.ts';

export const TEST_RUNNER_DIR = dirname(fileURLToPath(import.meta.url));

/** The pipec runtime's function a job with `else fail` expectations calls, compiled into the runner. */
const RAISE_ERROR_SOURCE = join(TEST_RUNNER_DIR, '..', 'runtime', 'src', 'main', 'java', 'dev', 'pipec', 'flink', 'RaiseError.java');

/** A small heap is enough for test data; serial GC and C1 start fastest on few cores. */
export const TEST_RUNNER_JVM_OPTIONS: readonly string[] = ['-Xmx768m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss4m'];

const readySchema = z.object({ kind: z.literal('ready'), flinkVersion: z.string(), startupMs: z.number(), warmUpMs: z.number(), warmUpError: z.string().optional() });
const changeSchema = z.object({ kind: z.enum(['+I', '-U', '+U', '-D']), row: z.record(z.string(), z.unknown()) });
const resultSchema = z.object({
  kind: z.literal('result'),
  id: z.string(),
  ok: z.boolean(),
  sinks: z.record(z.string(), z.array(changeSchema)).optional(),
  error: z.string().optional(),
  statement: z.number().optional(),
  ms: z.number(),
});

export type RunnerChange = z.infer<typeof changeSchema>;
export type RunnerResult =
  | { readonly ok: true; readonly sinks: Readonly<Record<string, readonly RunnerChange[]>>; readonly ms: number }
  | { readonly ok: false; readonly error: string; readonly statement: number | undefined; readonly ms: number };

export interface SessionOptions extends BuildOptions {
  readonly jvmOptions?: readonly string[] | undefined;
  /** Aborting it while the JVM starts kills the JVM (the caller found it has nothing to run). */
  readonly signal?: AbortSignal | undefined;
}

export class FlinkTestSession {
  private readonly pending = new Map<string, (line: unknown) => void>();
  private nextId = 0;
  private stderr = '';
  private exited: string | undefined;

  private readonly child: ChildProcessWithoutNullStreams;
  private readonly tmp: string;
  readonly flinkVersion: string;
  readonly startupMs: number;

  private constructor(child: ChildProcessWithoutNullStreams, tmp: string, flinkVersion: string, startupMs: number) {
    this.child = child;
    this.tmp = tmp;
    this.flinkVersion = flinkVersion;
    this.startupMs = startupMs;
  }

  /** Builds the runner if needed and starts its JVM with a MiniCluster; resolves when the cluster is up. */
  static async start(line: FlinkLine, options: SessionOptions = {}): Promise<FlinkTestSession> {
    const build = await buildMavenProject(line, { dir: TEST_RUNNER_DIR, name: 'test runner', extraSources: [RAISE_ERROR_SOURCE] }, options);
    const tmp = mkdtempSync(join(tmpdir(), 'pipec-test-jvm-'));
    const args = [...(options.jvmOptions ?? TEST_RUNNER_JVM_OPTIONS), `-Djava.io.tmpdir=${tmp}`, '-Dorg.slf4j.simpleLogger.defaultLogLevel=error', '-cp', build.classpath.join(delimiter), 'dev.pipec.testrunner.TestRunner'];
    const child = spawn(build.java, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-20_000);
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    const stop = (): void => {
      child.kill('SIGKILL');
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    let ready: z.infer<typeof readySchema>;
    try {
      ready = await new Promise<z.infer<typeof readySchema>>((resolve, reject) => {
        child.once('error', (e) => reject(new PlannerHarnessError('java-missing', `could not start ${build.java}: ${e.message}`, 'install a JDK 17+ or set JAVA_HOME')));
        child.once('exit', (code) => reject(new PlannerHarnessError('jvm', options.signal?.aborted ? 'the Flink test runner was stopped while starting' : `the Flink test runner stopped while starting (exit ${String(code)})`, 'see detail (the JVM standard error)', stderr)));
        lines.once('line', (l) => {
          const parsed = readySchema.safeParse(safeJson(l));
          if (parsed.success && parsed.data.warmUpError !== undefined) reject(new PlannerHarnessError('jvm', `the Flink test runner's warm-up job failed: ${parsed.data.warmUpError}`, 'a runner bug: see detail (the JVM standard error)', stderr));
          else if (parsed.success) resolve(parsed.data);
          else reject(new PlannerHarnessError('output', 'the Flink test runner printed an unexpected first line', 'a library printed to the real standard output', l.slice(0, 2000)));
        });
      });
    } catch (e) {
      stop();
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
    child.removeAllListeners('exit');
    child.removeAllListeners('error');
    const session = new FlinkTestSession(child, tmp, ready.flinkVersion, ready.startupMs);
    session.stderr = stderr;
    child.stderr.on('data', (d: string) => {
      session.stderr = (session.stderr + d).slice(-20_000);
    });
    lines.on('line', (l) => session.onLine(l));
    child.on('exit', (code) => session.onExit(code));
    return session;
  }

  /** Runs one test job to its end (bounded inputs) and returns what each sink received, or why Flink refused or failed it. */
  run(job: TestJob, timeoutMs: number): Promise<RunnerResult> {
    if (this.exited !== undefined) return Promise.reject(new PlannerHarnessError('jvm', this.exited, 'see detail (the JVM standard error)', this.stderr));
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      this.pending.set(id, (raw) => {
        const parsed = resultSchema.safeParse(raw);
        if (!parsed.success) {
          reject(new PlannerHarnessError('output', `the Flink test runner answered unexpectedly: ${parsed.error.message}`, 'keep TestRunner.java and index.ts in step'));
          return;
        }
        const r = parsed.data;
        resolve(r.ok ? { ok: true, sinks: r.sinks ?? {}, ms: r.ms } : { ok: false, error: r.error ?? 'unknown error', statement: r.statement, ms: r.ms });
      });
      this.child.stdin.write(JSON.stringify({ id, settings: job.settings, statements: job.statements, run: job.run, sinks: job.sinks, timeoutMs }) + '\n');
    });
  }

  /** Stops the JVM (it closes the MiniCluster when its input ends) and removes its temporary folder. */
  async close(): Promise<void> {
    if (this.exited === undefined) {
      const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.stdin.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
      await done;
      clearTimeout(timer);
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }

  /** The JVM's resident memory in bytes (Linux), for reports. */
  residentBytes(): number | undefined {
    const pid = this.child.pid;
    if (pid === undefined) return undefined;
    try {
      const status = readProcStatus(pid);
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      return m?.[1] ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  private onLine(line: string): void {
    const raw = safeJson(line);
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : undefined;
    const handler = id === undefined ? undefined : this.pending.get(id);
    if (id !== undefined && handler) {
      this.pending.delete(id);
      handler(raw);
    }
  }

  private onExit(code: number | null): void {
    this.exited = `the Flink test runner stopped (exit ${String(code)})`;
    for (const [id, handler] of this.pending) {
      this.pending.delete(id);
      handler({ kind: 'result', id, ok: false, error: `${this.exited}\n${this.stderr.slice(-4000)}`, ms: 0 });
    }
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function readProcStatus(pid: number): string {
  return readFileSync(`/proc/${pid}/status`, 'utf8');
}
