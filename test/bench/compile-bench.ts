/**
 * Compile speed: parse and check throughput (lines/s) on generated corpora of 1, 10, 100 and 1,000
 * pipelines, with peak memory. Medians of several runs; every phase timed separately.
 */
import { parse } from '../../grammar/index.ts';
import { checkProgram, compileProgram } from '../../compiler/compile.ts';
import { testConfig, staticSchemas } from '../helpers/check.ts';
import { corpus, corpusSchemas, lineCount } from './corpus.ts';
import { median } from './stats.ts';

export interface CompileBenchRow {
  readonly pipelines: number;
  readonly lines: number;
  readonly parseMs: number;
  readonly checkMs: number;
  /** Lowering to the plan and generating every artifact (Flink SQL, manifest), after checking. */
  readonly generateMs: number;
  readonly parseLinesPerSecond: number;
  readonly totalLinesPerSecond: number;
  readonly peakRssMb: number;
  readonly errors: number;
}


export function benchCompile(sizes: readonly number[] = [1, 10, 100, 1000], runs = 5): CompileBenchRow[] {
  const rows: CompileBenchRow[] = [];
  const schemas = staticSchemas(corpusSchemas);
  let peak = process.memoryUsage().rss;
  for (const n of sizes) {
    const files = corpus(n);
    const lines = lineCount(files);
    const parseTimes: number[] = [];
    const checkTimes: number[] = [];
    const generateTimes: number[] = [];
    let errors = 0;
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      const parsed = files.map((f) => parse(f));
      const t1 = performance.now();
      checkProgram(parsed, testConfig, schemas);
      const t2 = performance.now();
      const result = compileProgram(parsed, testConfig, schemas, 'bench');
      const t3 = performance.now();
      parseTimes.push(t1 - t0);
      checkTimes.push(t2 - t1);
      // compileProgram checks again before generating; what it adds is the generation.
      generateTimes.push(Math.max(0, t3 - t2 - (t2 - t1)));
      errors = result.diagnostics.filter((d) => d.severity === 'error').length + (result.output ? 0 : 1);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const parseMs = median(parseTimes);
    const checkMs = median(checkTimes);
    rows.push({
      pipelines: n,
      lines,
      parseMs,
      checkMs,
      generateMs: median(generateTimes),
      parseLinesPerSecond: Math.round(lines / (parseMs / 1000)),
      totalLinesPerSecond: Math.round(lines / ((parseMs + checkMs) / 1000)),
      peakRssMb: Math.round(peak / 1024 / 1024),
      errors,
    });
  }
  return rows;
}
