/**
 * Warnings a team manages: levels from pipec.yaml (`rules: { <code>: off | warning | error }`) and inline
 * suppressions with a reason, on the line before a statement or within it (covering the whole statement), or on
 * the line of the warning or the line before it:
 *   -- pipec: allow sink-key-not-unique because payment_id is unique per customer in this topic
 * Only warnings can be suppressed or given a level; errors stay errors. A suppression without a reason, for an
 * unknown code or for an error is itself an error; one that no warning used is reported (when the run had no
 * errors, so that every phase had its say). Pure: diagnostics and the parsed files' comments in, what to show out.
 */
import type { IToken } from 'chevrotain';
import { lineColumnOf, type SourceFile, type Span } from '../source/source.ts';
import { diagnostic, hasErrors, type Diagnostic } from './diagnostic.ts';
import { MESSAGES, type DiagnosticCode } from './messages.ts';
import { suggestionList } from './suggest.ts';

/** A warning's level in a project (`rules:`); `off` hides it, `error` fails the check on it. */
export const RULE_LEVELS = ['off', 'warning', 'error'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export interface CommentedFile {
  readonly source: SourceFile;
  readonly comments: readonly IToken[];
  readonly ast: { readonly statements: readonly { readonly span: Span }[] };
}

interface Suppression {
  readonly file: string;
  /** The lines it covers: its own, the next, and the whole statement that starts on the next or holds the comment. */
  readonly lines: { readonly first: number; readonly last: number };
  readonly code: DiagnosticCode;
  readonly span: Span;
}

const DIRECTIVE = /^--\s*pipec\s*:\s*(.*)$/i;
const ALLOW = /^allow\s+([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)(?:\s+because\s+(.*))?$/i;

const isCode = (code: string): code is DiagnosticCode => Object.hasOwn(MESSAGES, code);

function readSuppressions(files: readonly CommentedFile[]): { suppressions: Suppression[]; problems: Diagnostic[] } {
  const suppressions: Suppression[] = [];
  const problems: Diagnostic[] = [];
  for (const { source, comments, ast } of files) {
    const lineOf = (offset: number): number => lineColumnOf(source, offset).line;
    const statements = ast.statements.map((st) => ({ first: lineOf(st.span.start), last: lineOf(Math.max(st.span.start, st.span.end - 1)) }));
    for (const comment of comments) {
      const directive = DIRECTIVE.exec(comment.image.trim());
      if (!directive) continue;
      const span = { file: source.path, start: comment.startOffset, end: comment.startOffset + comment.image.trimEnd().length };
      const invalid = (problem: string, candidates: readonly string[] = []): void => {
        problems.push(diagnostic('suppression-invalid', { problem, candidates }, span));
      };
      const allow = ALLOW.exec((directive[1] ?? '').trim());
      if (!allow) {
        invalid('a `pipec:` comment reads `allow <code> because <reason>`');
        continue;
      }
      if (!allow[2]?.trim()) {
        invalid('it gives no reason (`because …`): say why the warning does not apply, for the next reader');
        continue;
      }
      const line = lineOf(comment.startOffset);
      const statement = statements.find((st) => st.first === line + 1 || (st.first <= line && line <= st.last));
      const lines = { first: Math.min(line, statement?.first ?? line), last: Math.max(line + 1, statement?.last ?? line) };
      for (const code of (allow[1] ?? '').split(',').map((c) => c.trim().toLowerCase())) {
        if (!isCode(code)) invalid(`no diagnostic has the code \`${code}\``, suggestionList(code, Object.keys(MESSAGES)));
        else if (MESSAGES[code].severity === 'error') invalid(`\`${code}\` is an error (what Flink or the sinks need), and only warnings can be allowed`);
        else suppressions.push({ file: source.path, lines, code, span });
      }
    }
  }
  return { suppressions, problems };
}

/** The diagnostics to show after the project's rule levels and the files' suppressions. */
export function manageWarnings(diagnostics: readonly Diagnostic[], files: readonly CommentedFile[], rules: Readonly<Record<string, RuleLevel>>): Diagnostic[] {
  const { suppressions, problems } = readSuppressions(files);
  const sources = new Map(files.map((f) => [f.source.path, f.source]));
  const used = new Set<Suppression>();
  const shown: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.severity !== 'error') {
      const source = d.span ? sources.get(d.span.file) : undefined;
      const line = source && d.span ? lineColumnOf(source, d.span.start).line : undefined;
      const allowed = suppressions.find((s) => s.code === d.code && s.file === d.span?.file && line !== undefined && s.lines.first <= line && line <= s.lines.last);
      if (allowed) {
        used.add(allowed);
        continue;
      }
    }
    const level = d.severity === 'warning' ? rules[d.code] : undefined;
    if (level === 'off') continue;
    shown.push(level === 'error' ? { ...d, severity: 'error' } : d);
  }
  shown.push(...problems);
  if (!hasErrors(shown)) {
    for (const s of suppressions) if (!used.has(s)) shown.push(diagnostic('suppression-unused', { code: s.code }, s.span));
  }
  return shown;
}
