import type { Span } from '../source/source.ts';
import { MESSAGES, type DiagnosticCode, type DiagnosticParams } from './messages.ts';

export type Severity = 'error' | 'warning' | 'info';

/** A finding about the user's input: data, rendered separately (render.ts). */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Absent only for findings about no particular place (e.g. an unreachable registry). */
  readonly span?: Span;
  /** Secondary places, e.g. "first declared here". */
  readonly labels: readonly { readonly span: Span; readonly message: string }[];
  readonly hints: readonly string[];
}

export interface DiagnosticOptions {
  readonly labels?: readonly { readonly span: Span; readonly message: string }[];
  /** Overrides the table's severity, e.g. a lint a project turned into an error. */
  readonly severity?: Severity;
}

export function diagnostic<C extends DiagnosticCode>(
  code: C,
  params: DiagnosticParams[C],
  span: Span | undefined,
  options: DiagnosticOptions = {},
): Diagnostic {
  const entry = MESSAGES[code];
  const hints = entry.hints?.(params) ?? [];
  return {
    code,
    severity: options.severity ?? entry.severity,
    message: entry.message(params),
    ...(span ? { span } : {}),
    labels: options.labels ?? [],
    hints: hints.filter((h): h is string => typeof h === 'string' && h.length > 0),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
