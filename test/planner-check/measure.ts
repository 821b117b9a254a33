/**
 * Measures the Flink planner harness: JVM start-up and planning time per file, per Flink line. For the
 * "pipec vs Flink planner feedback speed" benchmark; the numbers in README.md come from here.
 *
 *   bin/with-node node test/planner-check/measure.ts [--runs N] [--lines 1.20,2.2] [--jvm "-Xmx1g ..."] [job.sql ...]
 *
 * Default files: the accepted fixtures, test/integration/flink-planner/fixtures/ok-*.sql. Per run and line it
 * starts one JVM for all files (batch) and one JVM for a single typical file (cold single-file feedback):
 * ok-avro-upsert-aggregate.sql when it is among the files, else the first.
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FLINK_LINE_NAMES, type FlinkLine } from '../../stdlib/flink-lines.ts';
import { DEFAULT_JVM_OPTIONS, HARNESS_DIR, buildPlannerHarness, runFlinkPlanner } from './index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '3' }, lines: { type: 'string' }, jvm: { type: 'string' } },
});
const runs = Number(values.runs);
const lines = (values.lines?.split(',') ?? [...FLINK_LINE_NAMES]).filter((l): l is FlinkLine => (FLINK_LINE_NAMES as readonly string[]).includes(l));
const jvmOptions = values.jvm !== undefined ? values.jvm.split(/\s+/).filter((s) => s.length > 0) : [...DEFAULT_JVM_OPTIONS];
const fixtures = resolve(HARNESS_DIR, '../integration/flink-planner/fixtures');
const files =
  positionals.length > 0
    ? positionals.map((p) => resolve(p))
    : readdirSync(fixtures)
        .filter((f) => f.startsWith('ok-') && f.endsWith('.sql'))
        .sort()
        .map((f) => join(fixtures, f));
const singleFile = files.find((f) => f.endsWith('/ok-avro-upsert-aggregate.sql')) ?? files[0] ?? '';
const substitutions = { '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1', '${pipec:registry.url}': 'http://127.0.0.1:1' };

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const rows: string[] = [];
console.log(`files: ${files.length}, runs: ${runs}, JVM options: ${jvmOptions.join(' ')}, load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const line of lines) {
  await buildPlannerHarness(line);
  const batchWall: number[] = [];
  const startup: number[] = [];
  const first: number[] = [];
  const warm: number[] = [];
  const singleWall: number[] = [];
  let version = '';
  for (let i = 0; i < runs; i++) {
    const run = await runFlinkPlanner(files, line, { substitutions, jvmOptions });
    version = run.harness.flinkVersion;
    const failed = run.results.filter((r) => !r.ok);
    if (failed.length > 0) throw new Error(`not all files planned: ${failed.map((r) => r.file).join(', ')}`);
    batchWall.push(run.jvmWallMs);
    startup.push(run.harness.jvmStartupMs);
    first.push(run.results[0]?.timeMs ?? NaN);
    warm.push(median(run.results.slice(1).map((r) => r.timeMs)));
    const single = await runFlinkPlanner([singleFile], line, { substitutions, jvmOptions });
    singleWall.push(single.jvmWallMs);
  }
  rows.push(
    `| ${version} | ${median(startup)} | ${median(first)} | ${median(warm)} | ${median(batchWall)} | ${(median(batchWall) / files.length).toFixed(0)} | ${median(singleWall)} |`,
  );
  console.log(`Flink ${version}: startup ${startup.join('/')} ms, first file ${first.join('/')} ms, warm median ${warm.join('/')} ms, batch wall ${batchWall.join('/')} ms, single-file wall ${singleWall.join('/')} ms`);
}
console.log('');
console.log(`| Flink | JVM start → ready (ms) | first file (ms) | later files, median (ms) | ${files.length} files, JVM wall (ms) | per file incl. JVM (ms) | 1 file, JVM wall (ms) |`);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`\nmedians of ${runs} runs; load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
