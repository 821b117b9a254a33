/**
 * What a command prints, for the chosen output format (edge: stdout/stderr).
 * - human: diagnostics on stderr, result lines on stdout (a successful run's last line counts its warnings); the
 *   summary of a failed run last on stderr.
 * - github: workflow annotations on stdout, the readable form on stderr.
 * - json: stdout carries exactly one JSON document, written by `finish()` (diagnostics, summary and the command's
 *   result); progress lines go to stderr.
 */
import { renderGithub, renderHuman, summary, toJson, type JsonDiagnostic, type SourceLookup } from '../diagnostics/render.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../diagnostics/order.ts';
import { escapeControls } from '../diagnostics/user-text.ts';
import { style as makeStyle, type Style } from './style.ts';

export type OutputFormat = 'human' | 'json' | 'github';

/** Where diagnostics point: the files' text (for excerpts) and the `.pipe` files in import order (imported first). */
export interface DiagnosticContext {
  readonly sources: SourceLookup;
  readonly fileOrder: readonly string[];
}

export interface PrinterOptions {
  /** Errors only: no warnings, no result or progress lines. */
  readonly quiet?: boolean | undefined;
  /** Also what the command did (configuration, files, timings), on stderr. */
  readonly verbose?: boolean | undefined;
  readonly color?: boolean | undefined;
}

export interface Printer {
  diagnostics(diagnostics: readonly Diagnostic[], context: DiagnosticContext): void;
  /** A result or progress line; paths and names in it are the user's, so control characters in it are escaped. */
  info(line: string): void;
  /** The command's own output (explain's text); the JSON document carries it as a `result` instead. */
  text(text: string): void;
  /** A unified diff (fmt --check), its added and removed lines coloured; not part of the JSON document. */
  patch(diff: string): void;
  /** A line only `--verbose` shows. */
  detail(line: string): void;
  /** A field of the JSON document (e.g. explain's pipelines, diff's items); ignored by the other formats. */
  result(key: string, value: unknown): void;
  /** "no errors" or "no errors, 2 warnings": the tail of a successful command's last line. */
  clean(): string;
  /** Ends the output of a run: the summary of a failed human run, or the JSON document. */
  finish(): void;
  /** The JSON document so far: diagnostics (in JSON form), the command's results, the summary. */
  document(): CommandDocument;
}

/** What `--format json` prints, and what the programmatic API returns. */
export interface CommandDocument {
  readonly diagnostics: readonly JsonDiagnostic[];
  readonly summary: { readonly errors: number; readonly warnings: number };
  readonly [result: string]: unknown;
}

export function printer(format: OutputFormat, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr, options: PrinterOptions = {}): Printer {
  const seen: Diagnostic[] = [];
  const results: Record<string, unknown> = {};
  const paint: Style = makeStyle(options.color ?? false);
  const keep = (d: Diagnostic): boolean => !options.quiet || d.severity === 'error';
  return {
    diagnostics(diagnostics, { sources, fileOrder }) {
      const sorted = sortDiagnostics(diagnostics, fileOrder).filter(keep);
      switch (format) {
        case 'json':
          seen.push(...sorted);
          results['diagnostics'] = [...((results['diagnostics'] as unknown[] | undefined) ?? []), ...sorted.map((d) => toJson(d, sources))];
          return;
        case 'github':
          // Annotations for the pull request, plus the readable form for the log.
          for (const d of sorted) out.write(`${renderGithub(d, sources)}\n`);
          for (const d of sorted) err.write(`${colorize(renderHuman(d, sources), paint)}\n\n`);
          seen.push(...sorted);
          return;
        case 'human':
          for (const d of sorted) err.write(`${colorize(renderHuman(d, sources), paint)}\n\n`);
          seen.push(...sorted);
          return;
      }
    },
    info(line) {
      if (options.quiet) return;
      (format === 'json' ? err : out).write(`${escapeControls(line)}\n`);
    },
    text(text) {
      if (format !== 'json') out.write(text);
    },
    patch(diff) {
      if (format === 'json') return;
      // Line by line: the source's control characters escaped, then pipec's own colours added.
      const lines = diff.replace(/\n$/, '').split('\n').map(escapeControls);
      const painted = lines.map((l) => (l.startsWith('+') && !l.startsWith('+++') ? paint('green', l) : l.startsWith('-') && !l.startsWith('---') ? paint('red', l) : l.startsWith('@@') ? paint('cyan', l) : l));
      out.write(`${painted.join('\n')}\n`);
    },
    detail(line) {
      if (options.verbose) err.write(`${paint('dim', escapeControls(line))}\n`);
    },
    result(key, value) {
      results[key] = value;
    },
    document() {
      return { diagnostics: [], ...results, summary: counts(seen) };
    },
    clean() {
      const warnings = seen.filter((d) => d.severity === 'warning').length;
      return warnings === 0 ? 'no errors' : `no errors, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    },
    finish() {
      if (format === 'json') {
        out.write(`${JSON.stringify(this.document(), null, 2)}\n`);
      } else if (seen.some((d) => d.severity === 'error')) {
        err.write(`${paint(['bold', 'red'], summary(seen))}\n`);
      }
      // The next run (check --watch) starts afresh.
      seen.length = 0;
      for (const key of Object.keys(results)) delete results[key];
    },
  };
}

/** The severity heading and the help lines of a rendered diagnostic, coloured. */
function colorize(text: string, paint: Style): string {
  return text
    .replace(/^(error|warning|note|info)(\[[^\]\n]*\])?/, (_all: string, severity: string, code: string | undefined) => paint(['bold', severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : 'cyan'], `${severity}${code ?? ''}`))
    .replace(/^(\s*= help:)/gm, (h: string) => paint('cyan', h));
}

function counts(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  return { errors: diagnostics.filter((d) => d.severity === 'error').length, warnings: diagnostics.filter((d) => d.severity === 'warning').length };
}
