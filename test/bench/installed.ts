/**
 * pipec as users run it: the bundle of `npm run build` (dist/compiler/cli/pipec.js, what the package's bin
 * loads) with Node's compile cache on, as bin/pipec.js turns it on. From a checkout bin/pipec.js runs the
 * TypeScript sources instead, which is the development path, not the one to measure.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUNDLE = path.join(ROOT, 'dist/compiler/cli/pipec.js');
/** Reports the process's peak resident set (KiB) and CPU time (µs, user + system) on stderr as it exits. */
const REPORT = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\npipec-bench maxrss=' + u.maxRSS + ' cpu=' + (u.userCPUTime + u.systemCPUTime) + '\\n')})`;

let built = false;
let cacheDir: string | undefined;

/** Builds dist/ once per bench run (tsc and the bundle), so the bench measures the sources as they are. */
function ensureBuilt(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/build-dist.ts')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${String(r.status)})`);
  built = true;
}

export interface ProcessRun {
  readonly ms: number;
  /** User + system CPU of the process, all threads. */
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

/** Runs the built `pipec <args>` in `cwd`, start to exit; a non-zero exit is an error (not a measurement). */
export function runInstalled(args: readonly string[], cwd: string): ProcessRun {
  ensureBuilt();
  cacheDir ??= mkdtempSync(path.join(tmpdir(), 'pipec-bench-cache-'));
  const start = performance.now();
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, ['--import', REPORT, BUNDLE, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_COMPILE_CACHE: cacheDir },
  });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`pipec ${args.join(' ')} exited with ${String(result.status)} in ${cwd}:\n${result.stderr}`);
  const report = /pipec-bench maxrss=(\d+) cpu=(\d+)/.exec(result.stderr);
  return { ms, cpuMs: Number(report?.[2] ?? Number.NaN) / 1000, maxRssKb: Number(report?.[1] ?? Number.NaN) };
}
