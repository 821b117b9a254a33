/**
 * Compile speed in one process: lines/s of parse, check, lower and emit, each timed on its own, on generated
 * corpora of 1, 10, 100 and 1,000 pipelines. Medians of several runs; the first run of each size warms up.
 */
import { parse } from '../../compiler/ast/parse.ts';
import { checkProgram } from '../../compiler/compile.ts';
import { hasErrors } from '../../compiler/diagnostics/diagnostic.ts';
import { lowerProgram } from '../../compiler/plan/lower.ts';
import { emit } from '../../targets/emit.ts';
import { testConfig, staticSchemas } from '../helpers/check.ts';
import { corpus, corpusSchemas, lineCount } from './corpus.ts';
import { median } from './stats.ts';

export interface CompileBenchRow {
  readonly pipelines: number;
  readonly lines: number;
  /** Lex, parse and build the AST of every file. */
  readonly parseMs: number;
  /** Modules, bind and the check rules. */
  readonly checkMs: number;
  /** Bound program → plan, with the sink schemas generated and mapped back. */
  readonly lowerMs: number;
  /** Plan → every artifact: Flink SQL, connector configs, plan.json, manifest.json. */
  readonly emitMs: number;
  /** All four phases: the in-process cost of `pipec compile` without reading and writing files. */
  readonly totalMs: number;
  /** CPU time (user + system, all threads) of parse + check and of all four phases: less sensitive than wall time to other processes on a busy machine. */
  readonly parseCheckCpuMs: number;
  readonly totalCpuMs: number;
  /** Errors in the corpus (must be 0, or the numbers time error paths). */
  readonly errors: number;
}

export const linesPerSecond = (lines: number, ms: number): number => Math.round(lines / (ms / 1000));

export function benchCompile(sizes: readonly number[] = [1, 10, 100, 1000], runs = 5): CompileBenchRow[] {
  const rows: CompileBenchRow[] = [];
  const schemas = staticSchemas(corpusSchemas);
  for (const n of sizes) {
    const files = corpus(n);
    const times = { parse: [] as number[], check: [] as number[], lower: [] as number[], emit: [] as number[], total: [] as number[], parseCheckCpu: [] as number[], totalCpu: [] as number[] };
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let errors = 0;
    for (let run = 0; run <= runs; run++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const parsed = files.map((f) => parse(f));
      const t1 = performance.now();
      const checked = checkProgram(parsed, testConfig, schemas);
      const t2 = performance.now();
      const parseCheckCpu = cpuMs(c0);
      if (!checked.program) throw new Error('the benchmark corpus does not parse');
      const lowered = lowerProgram(checked.program, testConfig, schemas);
      const t3 = performance.now();
      const emitted = emit(lowered.plan, testConfig, 'bench');
      const t4 = performance.now();
      const totalCpu = cpuMs(c0);
      errors = [...checked.diagnostics, ...lowered.diagnostics, ...emitted.diagnostics].filter((d) => d.severity === 'error').length;
      if (hasErrors(checked.diagnostics)) errors = Math.max(errors, 1);
      if (run === 0) continue;
      times.parse.push(t1 - t0);
      times.check.push(t2 - t1);
      times.lower.push(t3 - t2);
      times.emit.push(t4 - t3);
      times.total.push(t4 - t0);
      times.parseCheckCpu.push(parseCheckCpu);
      times.totalCpu.push(totalCpu);
    }
    rows.push({
      pipelines: n,
      lines: lineCount(files),
      parseMs: median(times.parse),
      checkMs: median(times.check),
      lowerMs: median(times.lower),
      emitMs: median(times.emit),
      totalMs: median(times.total),
      parseCheckCpuMs: median(times.parseCheckCpu),
      totalCpuMs: median(times.totalCpu),
      errors,
    });
  }
  return rows;
}
