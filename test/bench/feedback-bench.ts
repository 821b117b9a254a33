/**
 * Feedback speed: how long CI waits for pipec's verdict on the examples (the installed `pipec check`, process
 * start to exit) against how long the real Flink planner takes to plan the same generated jobs (one JVM for all of
 * them, the planner harness), per Flink line. Medians; the ratio is the headline.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildPlannerHarness, runFlinkPlanner, type FlinkLine } from '../planner-check/index.ts';
import { compileExamples } from '../helpers/examples.ts';
import { runInstalled } from './installed.ts';
import { median } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const substitutions = { '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1', '${pipec:registry.url}': 'http://127.0.0.1:1' };

export interface FeedbackRow {
  readonly line: FlinkLine;
  readonly jobs: number;
  readonly pipecCheckMs: number;
  readonly flinkPlannerMs: number;
  readonly ratio: number;
}

export async function benchFeedback(runs = 5, lines: readonly FlinkLine[] = ['1.20', '2.2']): Promise<FeedbackRow[]> {
  // The installed command, after one untimed run (compile cache, file cache), as in the process bench.
  runInstalled(['check', 'examples'], ROOT);
  const pipec = median(Array.from({ length: runs }, () => runInstalled(['check', 'examples'], ROOT).ms));
  const rows: FeedbackRow[] = [];
  for (const line of lines) {
    const compiled = await compileExamples(line);
    const dir = await mkdtemp(path.join(tmpdir(), 'pipec-feedback-'));
    const files: string[] = [];
    for (const a of compiled.output?.artifacts ?? []) {
      if (!a.path.endsWith('/job.sql')) continue;
      const file = path.join(dir, a.path);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, a.contents);
      files.push(file);
    }
    await buildPlannerHarness(line);
    const walls: number[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const run = await runFlinkPlanner(files, line, { substitutions });
      if (run.results.some((r) => !r.ok)) throw new Error('the Flink planner rejected a generated job; run the integration tests');
      walls.push(run.jvmWallMs);
    }
    const flink = median(walls);
    rows.push({ line, jobs: files.length, pipecCheckMs: pipec, flinkPlannerMs: flink, ratio: flink / pipec });
  }
  return rows;
}
