/**
 * `npm run bench [compile|feedback|registry|all]`: prints tables of medians and ratios. Timed work lives in
 * the bench files, never in tests. `feedback` needs Java and Maven (the Flink planner harness); `registry`
 * needs a running registry (`pipec local up`) and is not part of `all`.
 */
import { benchCompile } from './compile-bench.ts';
import { benchFeedback } from './feedback-bench.ts';
import { benchRegistry } from './registry-bench.ts';

const which = process.argv[2] ?? 'all';

if (which === 'compile' || which === 'all') {
  const rows = benchCompile();
  console.log('compile speed (median of 5 runs, one core)');
  console.table(rows.map((r) => ({
    pipelines: r.pipelines,
    lines: r.lines,
    'parse ms': r.parseMs.toFixed(1),
    'check ms': r.checkMs.toFixed(1),
    'generate ms': r.generateMs.toFixed(1),
    'parse lines/s': r.parseLinesPerSecond,
    'parse+check lines/s': r.totalLinesPerSecond,
    'peak RSS MB': r.peakRssMb,
    'errors (must be 0)': r.errors,
  })));
  if (rows.some((r) => r.errors > 0)) {
    console.error('the benchmark corpus does not check cleanly: the numbers above are not meaningful');
    process.exitCode = 1;
  }
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

if (!['compile', 'feedback', 'registry', 'all'].includes(which)) {
  console.error(`unknown benchmark "${which}"; available: compile, feedback, registry, all`);
  process.exitCode = 2;
}
