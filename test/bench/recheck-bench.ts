/**
 * Re-check after a one-line edit (what `pipec check --watch` does on a change), in one process: the
 * 1,000-pipeline corpus is checked once, then one line of one file changes and the repository is checked
 * again, re-parsing only that file (compiler/ast/parse-cache.ts). Against the same check from scratch.
 */
import { compileProgram } from '../../compiler/compile.ts';
import { hasErrors } from '../../compiler/diagnostics/diagnostic.ts';
import type { SourceFile } from '../../compiler/source/source.ts';
import { parse } from '../../compiler/ast/parse.ts';
import { createParseCache } from '../../compiler/ast/parse-cache.ts';
import { testConfig, staticSchemas } from '../helpers/check.ts';
import { corpus, corpusSchemas } from './corpus.ts';
import { median } from './stats.ts';

export interface RecheckRow {
  readonly pipelines: number;
  readonly runs: number;
  /** Parse through the cache (one file changed) and check everything, as `pipec check` does. */
  readonly recheckMs: number;
  /** The same check, every file parsed again. */
  readonly fullMs: number;
}

export function benchRecheck(pipelines = 1000, runs = 5): RecheckRow {
  const schemas = staticSchemas(corpusSchemas);
  const cache = createParseCache();
  let files: SourceFile[] = corpus(pipelines);
  const checkAll = (parseFile: (f: SourceFile) => ReturnType<typeof parse>): void => {
    const result = compileProgram(files.map(parseFile), testConfig, schemas, 'bench', { planFiles: false });
    if (hasErrors(result.diagnostics)) throw new Error('the edited corpus does not check cleanly');
  };
  checkAll(cache.parse);
  const recheck: number[] = [];
  const full: number[] = [];
  // One warm-up round, then `runs` timed ones; each edits a different pipeline's partition count.
  for (let run = 0; run <= runs; run++) {
    const target = `p${(run * 97) % pipelines}.pipe`;
    files = files.map((f) => (f.path === target ? { ...f, text: f.text.replace(/partitions \d+;/, `partitions ${4 + run};`) } : f));
    let t = performance.now();
    checkAll(cache.parse);
    const cached = performance.now() - t;
    t = performance.now();
    checkAll(parse);
    const scratch = performance.now() - t;
    if (run === 0) continue;
    recheck.push(cached);
    full.push(scratch);
  }
  return { pipelines, runs, recheckMs: median(recheck), fullMs: median(full) };
}
