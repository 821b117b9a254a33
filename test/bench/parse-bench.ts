/**
 * Parse throughput in one process: lexing alone, and the whole front end (lex, parse, AST) as `pipec check`
 * runs it, on the 1,000-pipeline corpus, every parsed file kept (as a check keeps them, so garbage collection
 * pays for a full heap). Medians of several runs after a warm-up; CPU time is user + system of the process.
 */
import { parse } from '../../compiler/ast/parse.ts';
import { lex } from '../../grammar/lexer.ts';
import { corpus, lineCount } from './corpus.ts';
import { median } from './stats.ts';

export interface ParseBenchResult {
  readonly lines: number;
  readonly lexMs: number;
  readonly lexCpuMs: number;
  readonly parseMs: number;
  readonly parseCpuMs: number;
}

export function benchParse(pipelines = 1000, runs = 9): ParseBenchResult {
  const files = corpus(pipelines);
  const timed = (work: () => unknown): { ms: number; cpuMs: number } => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const kept = work();
    const ms = performance.now() - t0;
    const used = process.cpuUsage(c0);
    if (kept === undefined) throw new Error('nothing parsed');
    return { ms, cpuMs: (used.user + used.system) / 1000 };
  };
  const lexRuns: { ms: number; cpuMs: number }[] = [];
  const parseRuns: { ms: number; cpuMs: number }[] = [];
  for (let run = 0; run <= runs; run++) {
    const lexed = timed(() => files.map((f) => lex(f)));
    const parsed = timed(() => files.map((f) => parse(f)));
    if (run === 0) continue;
    lexRuns.push(lexed);
    parseRuns.push(parsed);
  }
  return {
    lines: lineCount(files),
    lexMs: median(lexRuns.map((r) => r.ms)),
    lexCpuMs: median(lexRuns.map((r) => r.cpuMs)),
    parseMs: median(parseRuns.map((r) => r.ms)),
    parseCpuMs: median(parseRuns.map((r) => r.cpuMs)),
  };
}
