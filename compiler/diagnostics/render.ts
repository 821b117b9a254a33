/**
 * Diagnostics → text. Pure. Three renderings of the same data:
 * - human: `error[code]: message`, `--> file:line:col`, the source line with an underline, labels, hints;
 * - JSON: for editors and tools (`--format json`);
 * - GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`), so CI annotates the pull request.
 * User text (names, paths, source lines) never reaches a channel raw: control characters are escaped, so no line
 * of the output is one the user wrote (user-text.ts).
 */
import { lineColumnOf, lineText, type SourceFile, type Span } from '../source/source.ts';
import type { Diagnostic } from './diagnostic.ts';
import { escapeControls, pictureControls } from './user-text.ts';

export type SourceLookup = (path: string) => SourceFile | undefined;

const MAX_LINE_WIDTH = 120;

export function renderHuman(d: Diagnostic, sources: SourceLookup): string {
  const lines = [`${d.severity}[${d.code}]: ${escapeControls(d.message)}`];
  if (d.span) lines.push(...renderSpan(d.span, sources, ''));
  for (const label of d.labels) lines.push(...renderSpan(label.span, sources, escapeControls(label.message)));
  for (const hint of d.hints) lines.push(`  = help: ${escapeControls(hint)}`);
  return lines.join('\n');
}

function renderSpan(span: Span, sources: SourceLookup, label: string): string[] {
  const source = sources(span.file);
  const file = escapeControls(span.file);
  if (!source) return [`  --> ${file}${label ? `: ${label}` : ''}`];
  const start = lineColumnOf(source, span.start);
  const end = lineColumnOf(source, Math.max(span.start, span.end - 1));
  const gutter = String(start.line).length;
  const pad = ' '.repeat(gutter);
  const text = lineText(source, start.line);
  // Underline to the end of the span, or of the line when the span runs over several lines.
  const underlineEnd = end.line === start.line ? end.column + 1 : text.length + 1;
  const width = Math.max(1, underlineEnd - start.column);
  const { shown, offset } = clip(text, start.column - 1);
  const marker = `${' '.repeat(offset)}${'^'.repeat(Math.min(width, Math.max(1, shown.length - offset + 1)))}`;
  return [
    `${pad}--> ${file}:${start.line}:${start.column}${label ? `: ${label}` : ''}`,
    `${pad} |`,
    `${start.line} | ${shown}`,
    `${pad} | ${marker}`,
  ];
}

/** Long lines are cut around the span so the underline stays on screen. */
function clip(text: string, column: number): { shown: string; offset: number } {
  const expanded = pictureControls(text.replaceAll('\t', ' '));
  if (expanded.length <= MAX_LINE_WIDTH) return { shown: expanded, offset: column };
  const from = Math.max(0, Math.min(column - 20, expanded.length - MAX_LINE_WIDTH));
  const cut = expanded.slice(from, from + MAX_LINE_WIDTH);
  const prefix = from > 0 ? '…' : '';
  return { shown: `${prefix}${cut}${from + MAX_LINE_WIDTH < expanded.length ? '…' : ''}`, offset: column - from + prefix.length };
}

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  /** Absent only for findings about no file; a finding about a whole file is at line 1, column 1. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly hints: readonly string[];
  readonly labels: readonly { readonly file: string; readonly line: number; readonly column: number; readonly message: string }[];
}

export function toJson(d: Diagnostic, sources: SourceLookup): JsonDiagnostic {
  const where = d.span ? position(d.span, sources) : {};
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...where,
    hints: d.hints,
    labels: d.labels.map((l) => {
      const p = position(l.span, sources);
      return { file: l.span.file, line: p.line ?? 1, column: p.column ?? 1, message: l.message };
    }),
  };
}

function position(span: Span, sources: SourceLookup): Partial<JsonDiagnostic> {
  const source = sources(span.file);
  // A file whose text is not at hand (one pipec could not read) is still named; its start is 1:1 in any file.
  if (!source) return span.start === 0 ? { file: span.file, line: 1, column: 1 } : { file: span.file };
  const start = lineColumnOf(source, span.start);
  const end = lineColumnOf(source, Math.max(span.start, span.end));
  return { file: span.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#setting-an-error-message */
export function renderGithub(d: Diagnostic, sources: SourceLookup): string {
  const p = d.span ? position(d.span, sources) : {};
  const command = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const props = [
    p.file ? `file=${escapeProperty(escapeControls(p.file))}` : undefined,
    p.line ? `line=${p.line}` : undefined,
    p.column ? `col=${p.column}` : undefined,
    p.endLine ? `endLine=${p.endLine}` : undefined,
    p.endColumn ? `endColumn=${p.endColumn}` : undefined,
    `title=${escapeProperty(`pipec ${d.code}`)}`,
  ].filter((x): x is string => x !== undefined);
  // The message and hints are one line each (escaped); the line breaks between them are GitHub's `%0A`.
  const body = [d.message, ...d.hints.map((h) => `help: ${h}`)].map(escapeControls).join('\n');
  return `::${command} ${props.join(',')}::${escapeData(body)}`;
}

/** GitHub's escaping of a command's message and of its property values (actions/toolkit, `command.ts`). */
const escapeData = (s: string): string => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (s: string): string => escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

export function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
