/**
 * `npm run bench [compile]`: prints a table of medians. Timed work lives in the bench files, never in tests.
 */
import { benchCompile } from './compile-bench.ts';

const which = process.argv[2] ?? 'compile';

if (which === 'compile') {
  const rows = benchCompile();
  console.log('compile speed (median of 5 runs, one core)');
  console.table(rows.map((r) => ({
    pipelines: r.pipelines,
    lines: r.lines,
    'parse ms': r.parseMs.toFixed(1),
    'check ms': r.checkMs.toFixed(1),
    'parse lines/s': r.parseLinesPerSecond,
    'parse+check lines/s': r.totalLinesPerSecond,
    'peak RSS MB': r.peakRssMb,
    'errors (must be 0)': r.errors,
  })));
  if (rows.some((r) => r.errors > 0)) {
    console.error('the benchmark corpus does not check cleanly: the numbers above are not meaningful');
    process.exitCode = 1;
  }
} else {
  console.error(`unknown benchmark "${which}"; available: compile`);
  process.exitCode = 2;
}
