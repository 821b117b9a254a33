/**
 * What a user waits for: `pipec check` and `pipec compile` as processes, start to exit, on the generated corpora
 * written to disk (schemas from the local folder), with the CPU time and peak RSS of the process. Medians of
 * several runs; the peak is the largest of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCorpusProject } from './corpus.ts';
import { median } from './stats.ts';

const PIPEC = path.resolve(import.meta.dirname, '../../bin/pipec.js');
/** Reports the process's peak resident set (KiB) and CPU time (µs, user + system) on stderr as it exits. */
const REPORT = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\npipec-bench maxrss=' + u.maxRSS + ' cpu=' + (u.userCPUTime + u.systemCPUTime) + '\\n')})`;

export interface ProcessBenchRow {
  readonly pipelines: number;
  readonly command: 'check' | 'compile';
  readonly ms: number;
  /** CPU time of the process (user + system, all threads): less sensitive than wall time to a busy machine. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
}

function run(command: string, cwd: string): { ms: number; cpuMs: number; maxRssKb: number } {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', REPORT, PIPEC, command], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  // A corpus that fails to check is not a measurement.
  if (result.status !== 0) throw new Error(`pipec ${command} exited with ${String(result.status)} in ${cwd}:\n${result.stderr}`);
  const report = /pipec-bench maxrss=(\d+) cpu=(\d+)/.exec(result.stderr);
  return { ms, cpuMs: Number(report?.[2] ?? Number.NaN) / 1000, maxRssKb: Number(report?.[1] ?? Number.NaN) };
}

export async function benchProcess(sizes: readonly number[] = [1, 10, 100, 1000], runs = 5): Promise<ProcessBenchRow[]> {
  const rows: ProcessBenchRow[] = [];
  const root = await mkdtemp(path.join(tmpdir(), 'pipec-bench-process-'));
  try {
    for (const n of sizes) {
      const dir = path.join(root, `corpus-${n}`);
      await writeCorpusProject(dir, n);
      for (const command of ['check', 'compile'] as const) {
        // One untimed run fills Node's compile cache (and the OS file cache), as any second run of pipec finds them.
        run(command, dir);
        const timed = Array.from({ length: runs }, () => run(command, dir));
        rows.push({
          pipelines: n,
          command,
          ms: median(timed.map((r) => r.ms)),
          cpuMs: median(timed.map((r) => r.cpuMs)),
          peakRssMb: Math.round(Math.max(...timed.map((r) => r.maxRssKb)) / 1024),
        });
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}
