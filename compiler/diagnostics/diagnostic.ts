import type { Span } from '../source/source.ts';
import { MESSAGES, type DiagnosticCode, type DiagnosticParams } from './messages.ts';
import { shorten } from './user-text.ts';

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
  const shown = shortenNames(params);
  const hints = entry.hints?.(shown) ?? [];
  return {
    code,
    severity: options.severity ?? entry.severity,
    message: entry.message(shown),
    ...(span ? { span } : {}),
    labels: options.labels ?? [],
    hints: hints.filter((h): h is string => typeof h === 'string' && h.length > 0),
  };
}

/** Parameters that are pipec's or a server's sentences, shown whole; every other text parameter names something. */
const PROSE_PARAMS = new Set(['answer', 'change', 'context', 'detail', 'excerpt', 'expected', 'feature', 'fix', 'hint', 'issue', 'message', 'problem', 'reason', 'rule']);

/** Names (and lists of names) longer than a message can show are shortened (a 1 MiB identifier is not echoed). */
function shortenNames<P extends object>(params: P): P {
  const entries = Object.entries(params).map(([key, value]: [string, unknown]) => {
    if (PROSE_PARAMS.has(key)) return [key, value];
    if (typeof value === 'string') return [key, shorten(value)];
    if (Array.isArray(value)) return [key, value.map((v: unknown) => (typeof v === 'string' ? shorten(v) : v))];
    return [key, value];
  });
  // Same keys, same value types: only strings became shorter strings.
  return Object.fromEntries(entries) as P;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
