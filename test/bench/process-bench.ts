/**
 * What a user waits for: the installed `pipec` as a process, start to exit (test/bench/installed.ts) —
 * `pipec --version`, `pipec check examples`, and `pipec check` / `pipec compile` on the generated corpora written
 * to disk (schemas from the local folder) — with the CPU time and peak RSS of the process. Medians of several
 * runs after one untimed run (which fills the compile cache and the OS file cache); the peak is the largest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCorpusProject } from './corpus.ts';
import { runInstalled, type ProcessRun } from './installed.ts';
import { median } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ProcessBenchRow {
  /** The exact command, as typed in `cwd`. */
  readonly command: string;
  /** Pipelines in the corpus (undefined for rows not on a corpus). */
  readonly pipelines: number | undefined;
  readonly ms: number;
  /** CPU time of the process (user + system, all threads): less sensitive than wall time to a busy machine. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
}

function measure(args: readonly string[], cwd: string, runs: number, pipelines?: number): ProcessBenchRow {
  runInstalled(args, cwd);
  const timed: ProcessRun[] = Array.from({ length: runs }, () => runInstalled(args, cwd));
  return {
    command: ['pipec', ...args].join(' '),
    pipelines,
    ms: median(timed.map((r) => r.ms)),
    cpuMs: median(timed.map((r) => r.cpuMs)),
    peakRssMb: Math.round(Math.max(...timed.map((r) => r.maxRssKb)) / 1024),
  };
}

export async function benchProcess(sizes: readonly number[] = [1, 10, 100, 1000], runs = 5): Promise<ProcessBenchRow[]> {
  return [measure(['--version'], ROOT, runs), measure(['check', 'examples'], ROOT, runs), ...(await benchCorpora(sizes, runs))];
}

/** `pipec check` and `pipec compile` on corpora of each size written to disk (`npm run bench large`: 10,000 pipelines). */
export async function benchCorpora(sizes: readonly number[], runs: number): Promise<ProcessBenchRow[]> {
  const rows: ProcessBenchRow[] = [];
  const root = await mkdtemp(path.join(tmpdir(), 'pipec-bench-process-'));
  try {
    for (const n of sizes) {
      const dir = path.join(root, `corpus-${n}`);
      await writeCorpusProject(dir, n);
      for (const command of ['check', 'compile'] as const) rows.push(measure([command], dir, runs, n));
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}
