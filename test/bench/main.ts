/**
 * `npm run bench [compile|parse|feedback|large|registry|jobs|deploy|guard|all]`: prints tables of medians and ratios. Timed work lives in
 * the bench files, never in tests. `feedback` needs Java and Maven (the Flink planner harness); `registry`
 * needs a running registry (`pipec local up`) and is not part of `all`; `jobs` runs generated jobs on the
 * local stack (started if none runs; see test/bench/jobs/stack.ts) and is not part of `all` either; `deploy`
 * measures the deployer on the local stack (the same way) and is not part of `all`; `guard` measures the pipec-guard
 * format against the plain one on the local stack (the same way) and is not part of `all`; `large [n]` runs `pipec
 * check` and `pipec compile` once on 10,000 (or n) pipelines and fails above 2 GB peak RSS (minutes; not part of `all`).
 */
import { benchCompile, linesPerSecond } from './compile-bench.ts';
import { benchParse } from './parse-bench.ts';
import { benchCorpora, benchProcess, type ProcessBenchRow } from './process-bench.ts';
import { benchRecheck } from './recheck-bench.ts';
import { benchFeedback } from './feedback-bench.ts';
import { benchRegistry } from './registry-bench.ts';

const which = process.argv[2] ?? 'all';

/** `npm run bench large`: the largest repository pipec is sized for, and the memory it must fit in. */
const LARGE_CORPUS = 10_000;
const LARGE_RSS_BUDGET_MB = 2048;

function printProcessRows(rows: readonly ProcessBenchRow[]): void {
  console.table(rows.map((r) => ({
    command: r.command,
    pipelines: r.pipelines ?? '',
    ms: r.ms.toFixed(0),
    'CPU ms': r.cpuMs.toFixed(0),
    'ms per pipeline': r.pipelines === undefined ? '' : (r.ms / r.pipelines).toFixed(2),
    'peak RSS MB': r.peakRssMb,
  })));
}

if (which === 'compile' || which === 'all') {
  const rows = benchCompile();
  console.log('compile speed in one process (median of 5 runs after a warm-up run, one core)');
  console.table(rows.map((r) => ({
    pipelines: r.pipelines,
    lines: r.lines,
    'parse ms': r.parseMs.toFixed(1),
    'check ms': r.checkMs.toFixed(1),
    'lower ms': r.lowerMs.toFixed(1),
    'emit ms': r.emitMs.toFixed(1),
    'total ms': r.totalMs.toFixed(1),
    'parse lines/s': linesPerSecond(r.lines, r.parseMs),
    'check lines/s': linesPerSecond(r.lines, r.checkMs),
    'lower lines/s': linesPerSecond(r.lines, r.lowerMs),
    'emit lines/s': linesPerSecond(r.lines, r.emitMs),
    'parse+check lines/s': linesPerSecond(r.lines, r.parseMs + r.checkMs),
    'parse+check lines/s (CPU)': linesPerSecond(r.lines, r.parseCheckCpuMs),
    'total CPU ms': r.totalCpuMs.toFixed(1),
    'ms per pipeline': (r.totalMs / r.pipelines).toFixed(2),
    'errors (must be 0)': r.errors,
  })));
  if (rows.some((r) => r.errors > 0)) {
    console.error('the benchmark corpus does not check cleanly: the numbers above are not meaningful');
    process.exitCode = 1;
  }
  const recheck = benchRecheck();
  console.log(`re-check after a one-line edit, ${recheck.pipelines} pipelines (median of ${recheck.runs}): ${recheck.recheckMs.toFixed(1)} ms with the parse cache, ${recheck.fullMs.toFixed(1)} ms from scratch`);
  const processes = await benchProcess();
  console.log('pipec as installed (the bundle, compile cache on), start to exit: median of 5 after one untimed run; the largest peak RSS of the 5');
  printProcessRows(processes);
}

if (which === 'large') {
  const pipelines = Number(process.argv[3] ?? LARGE_CORPUS);
  const rows = await benchCorpora([pipelines], 1);
  console.log(`pipec as installed on ${pipelines.toLocaleString('en')} pipelines: one run after one untimed run; budget ${LARGE_RSS_BUDGET_MB} MB peak RSS`);
  printProcessRows(rows);
  const over = rows.filter((r) => r.peakRssMb > LARGE_RSS_BUDGET_MB);
  if (over.length > 0) {
    console.error(`over the memory budget: ${over.map((r) => `${r.command} ${r.peakRssMb} MB`).join(', ')}`);
    process.exitCode = 1;
  }
}

if (which === 'parse' || which === 'all') {
  const r = benchParse();
  console.log(`parse, 1,000 pipelines (${r.lines} lines), every file kept; median of 9 runs after a warm-up`);
  console.table([
    { phase: 'lex', ms: r.lexMs.toFixed(1), 'CPU ms': r.lexCpuMs.toFixed(1), 'lines/s': linesPerSecond(r.lines, r.lexMs), 'lines/s (CPU)': linesPerSecond(r.lines, r.lexCpuMs) },
    { phase: 'lex + parse + AST', ms: r.parseMs.toFixed(1), 'CPU ms': r.parseCpuMs.toFixed(1), 'lines/s': linesPerSecond(r.lines, r.parseMs), 'lines/s (CPU)': linesPerSecond(r.lines, r.parseCpuMs) },
  ]);
}

if (which === 'feedback' || which === 'all') {
  const rows = await benchFeedback();
  console.log('feedback speed: pipec check of the examples (process start to exit) vs the Flink planner on the generated jobs (one JVM)');
  console.table(rows.map((r) => ({
    flink: r.line,
    jobs: r.jobs,
    'pipec check ms': r.pipecCheckMs.toFixed(0),
    'Flink planner ms': r.flinkPlannerMs.toFixed(0),
    'pipec is faster by': `${r.ratio.toFixed(1)}×`,
  })));
}

if (which === 'registry') {
  const rows = await benchRegistry();
  console.log('registry: resolving 500 subjects');
  console.table(rows.map((r) => ({ run: r.run, subjects: r.subjects, requests: r.requests, 'time ms': r.ms.toFixed(0) })));
}

if (which === 'jobs') {
  // Loaded only here: it pulls in the local stack API and Kafka clients the other benchmarks do not need.
  const { benchJobs } = await import('./jobs-bench.ts');
  const { printJobsBench } = await import('./jobs/report.ts');
  const result = await benchJobs();
  printJobsBench(result);
  if (result.problems.length > 0) process.exitCode = 1;
}

if (which === 'deploy') {
  // Loaded only here, like `jobs`: the deployer, Pulumi and the local stack API.
  const { benchDeploy, printDeployBench } = await import('./deploy-bench.ts');
  const result = await benchDeploy();
  printDeployBench(result);
  if (result.problems.length > 0) process.exitCode = 1;
}

if (which === 'guard') {
  // Loaded only here, like `jobs`: the local stack API and Kafka clients.
  const { benchGuard, printGuardBench } = await import('./guard-bench.ts');
  printGuardBench(await benchGuard());
}

if (!['compile', 'parse', 'feedback', 'large', 'registry', 'jobs', 'deploy', 'guard', 'all'].includes(which)) {
  console.error(`unknown benchmark "${which}"; available: compile, parse, feedback, large, registry, jobs, deploy, guard, all`);
  process.exitCode = 2;
}
