/**
 * `pipec fmt`: a file's AST printed in the canonical style, every comment kept.
 * AST → document (print-file.ts) → comments attached (comments.ts) → laid out in WIDTH columns (doc.ts).
 * Formatting is idempotent, and the output parses to the same AST (modulo spans) with the same comments;
 * `formatSource` checks that on every run, so a formatter bug can never rewrite a file into another program.
 */
import { parse, type ParsedFile } from '../ast/parse.ts';
import type { SourceFile } from '../source/source.ts';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { InternalCompilerError, invariant } from '../util/invariant.ts';
import { attachComments } from './comments.ts';
import { propagateBreaks, render } from './doc.ts';
import { differenceModuloLayout } from './equivalence.ts';
import { printFile } from './print-file.ts';

/** Columns per line; a line is longer only when one name, string or expression cannot be broken. */
export const WIDTH = 100;

/** Formats a file that parsed without errors (a file with syntax errors has no AST worth printing). */
export function format(parsed: ParsedFile): string {
  invariant(!hasErrors(parsed.diagnostics), `format() needs a file without syntax errors; report the diagnostics of ${parsed.source.path} instead`);
  const { doc, trailingDoc } = attachComments(printFile(parsed.ast), parsed.comments, parsed.source.text);
  const text = render(propagateBreaks([doc, trailingDoc]), WIDTH);
  return text.length === 0 ? '' : `${text}\n`;
}

export type FormatResult =
  | { readonly ok: true; readonly text: string; readonly changed: boolean }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Parses, formats and verifies one file; syntax errors come back as diagnostics, for the CLI to report. */
export function formatSource(source: SourceFile): FormatResult {
  const parsed = parse(source);
  if (hasErrors(parsed.diagnostics)) return { ok: false, diagnostics: parsed.diagnostics };
  const text = format(parsed);
  const reparsed = parse({ path: source.path, text });
  const difference = hasErrors(reparsed.diagnostics)
    ? `the output does not parse: ${reparsed.diagnostics[0]?.message ?? ''}`
    : differenceModuloLayout(parsed, reparsed);
  if (difference !== undefined) throw new InternalCompilerError(`formatting ${source.path} would change it: ${difference}`);
  return { ok: true, text, changed: text !== source.text };
}
