/**
 * Every diagnostic pipec can report: its stable code, default severity, message and hints.
 * This is the only place message text lives. The table is total over `DiagnosticParams`, so a code
 * without a message does not compile. Codes are never renamed; docs/diagnostics.md lists them.
 */
import type { Severity } from './diagnostic.ts';
import { didYouMean } from './suggest.ts';

export interface DiagnosticParams {
  // ── input files ────────────────────────────────────────────────────────────────────────────────
  'file-unreadable': { path: string; reason: string };
  'file-not-text': { path: string };
  'file-too-large': { path: string; bytes: number; limit: number };
  'no-pipe-files': { path: string };

  // ── lexing and parsing ─────────────────────────────────────────────────────────────────────────
  'unexpected-character': { character: string };
  'unterminated-string': Record<string, never>;
  'unterminated-comment': Record<string, never>;
  'unterminated-identifier': Record<string, never>;
  'syntax-error': { expected: readonly string[]; found: string; suggestion?: string | undefined };
  'nesting-too-deep': { limit: number };
  'invalid-number': { text: string; expected: string };
  'unknown-duration-unit': { unit: string; candidates: readonly string[] };
  'unknown-interval-unit': { unit: string; candidates: readonly string[] };
  'invalid-setting-value': { found: string };

  // ── declarations and imports ───────────────────────────────────────────────────────────────────
  'duplicate-declaration': { name: string };
  'duplicate-pipeline': { name: string };
  'pipeline-header-misplaced': Record<string, never>;
  'import-not-found': { path: string };
  'import-unknown-name': { name: string; path: string; candidates: readonly string[] };
  'import-cycle': { cycle: readonly string[] };
  'unknown-setting': { setting: string; candidates: readonly string[] };
  'invalid-setting': { setting: string; expected: string };
  'duplicate-setting': { setting: string };
  'unknown-connection': { name: string; candidates: readonly string[] };

  // ── project configuration ──────────────────────────────────────────────────────────────────────
  'config-not-found': { path: string };
  'config-syntax': { message: string };
  'config-invalid': { path: string; issue: string };
  'unknown-environment': { env: string; candidates: readonly string[] };
}

export type DiagnosticCode = keyof DiagnosticParams;

export interface MessageEntry<P> {
  readonly severity: Severity;
  /** One sentence in the user's words: what is wrong. */
  readonly message: (params: P) => string;
  /** How to fix it; undefined entries are dropped. */
  readonly hints?: (params: P) => readonly (string | undefined)[];
}

const q = (s: string): string => `\`${s}\``;

export const MESSAGES: { readonly [C in DiagnosticCode]: MessageEntry<DiagnosticParams[C]> } = {
  'file-unreadable': {
    severity: 'error',
    message: (p) => `cannot read ${p.path}: ${p.reason}`,
  },
  'file-not-text': {
    severity: 'error',
    message: (p) => `${p.path} is not a text file (it contains NUL bytes or invalid UTF-8)`,
    hints: () => ['.pipe files are UTF-8 text; check that the right file was named'],
  },
  'file-too-large': {
    severity: 'error',
    message: (p) => `${p.path} is ${p.bytes} bytes, more than the ${p.limit}-byte limit for one .pipe file`,
    hints: () => ['split the pipeline into several files and `import` the shared declarations'],
  },
  'no-pipe-files': {
    severity: 'error',
    message: (p) => `no .pipe files found under ${p.path}`,
    hints: () => ['name a .pipe file or a folder that contains some'],
  },

  'unexpected-character': {
    severity: 'error',
    message: (p) => `unexpected character ${JSON.stringify(p.character)}`,
    hints: (p) => [p.character === '"' ? 'string literals use single quotes: \'text\'; backquotes quote identifiers: `name`' : undefined],
  },
  'unterminated-string': {
    severity: 'error',
    message: () => 'this string literal is never closed',
    hints: () => ["close it with a single quote `'`; write a quote inside a string as two quotes: 'it''s'"],
  },
  'unterminated-comment': {
    severity: 'error',
    message: () => 'this block comment is never closed',
    hints: () => ['close it with `*/`'],
  },
  'unterminated-identifier': {
    severity: 'error',
    message: () => 'this quoted identifier is never closed',
    hints: () => ['close it with a backquote; write a backquote inside a name as two backquotes'],
  },
  'syntax-error': {
    severity: 'error',
    message: (p) => `expected ${formatExpected(p.expected)}, found ${p.found}`,
    hints: (p) => [p.suggestion ? `did you mean ${q(p.suggestion)}?` : undefined],
  },
  'nesting-too-deep': {
    severity: 'error',
    message: (p) => `expressions are nested more than ${p.limit} levels deep`,
    hints: () => ['split the expression into several derived streams or columns'],
  },
  'invalid-number': {
    severity: 'error',
    message: (p) => `expected ${p.expected}, found ${p.text}`,
  },
  'unknown-duration-unit': {
    severity: 'error',
    message: (p) => `unknown duration unit ${q(p.unit)}`,
    hints: (p) => [didYouMean(p.candidates), 'durations are written like `500 ms`, `30 s`, `5 min`, `2 h`, `7 d`'],
  },
  'unknown-interval-unit': {
    severity: 'error',
    message: (p) => `unknown interval unit ${q(p.unit)}`,
    hints: (p) => [didYouMean(p.candidates), "intervals are written like `interval '5' minute` or `interval 2 hours`"],
  },
  'invalid-setting-value': {
    severity: 'error',
    message: (p) => `a setting's value cannot be ${q(p.found)}`,
    hints: () => ["values are numbers, strings, durations, names, true/false, or secret('name')"],
  },

  'duplicate-declaration': {
    severity: 'error',
    message: (p) => `${q(p.name)} is declared more than once`,
    hints: () => ['give each source, stream and sink its own name'],
  },
  'duplicate-pipeline': {
    severity: 'error',
    message: (p) => `pipeline ${q(p.name)} is declared in more than one file`,
    hints: () => ['pipeline names become Flink job and connector names, so they must be unique in a project'],
  },
  'pipeline-header-misplaced': {
    severity: 'error',
    message: () => 'a file has at most one `pipeline` header, and it comes first',
    hints: () => ['move the header to the top of the file, or split the file into one file per pipeline'],
  },
  'import-not-found': {
    severity: 'error',
    message: (p) => `cannot find the imported file ${q(p.path)}`,
    hints: () => ['import paths are relative to the importing file'],
  },
  'import-unknown-name': {
    severity: 'error',
    message: (p) => `${q(p.path)} declares no source or stream named ${q(p.name)}`,
    hints: (p) => [didYouMean(p.candidates)],
  },
  'import-cycle': {
    severity: 'error',
    message: (p) => `imports form a cycle: ${p.cycle.join(' → ')}`,
    hints: () => ['move the shared declarations into a file that imports nothing'],
  },
  'unknown-setting': {
    severity: 'error',
    message: (p) => `unknown setting ${q(p.setting)}`,
    hints: (p) => [didYouMean(p.candidates)],
  },
  'invalid-setting': {
    severity: 'error',
    message: (p) => `setting ${q(p.setting)} expects ${p.expected}`,
  },
  'duplicate-setting': {
    severity: 'error',
    message: (p) => `setting ${q(p.setting)} is given more than once`,
  },
  'unknown-connection': {
    severity: 'error',
    message: (p) => `no connection named ${q(p.name)} in pipec.yaml`,
    hints: (p) => [didYouMean(p.candidates), 'declare it under `connections:` in pipec.yaml'],
  },

  'config-not-found': {
    severity: 'error',
    message: (p) => `no project configuration at ${p.path}`,
    hints: () => ['create pipec.yaml at the project root (see docs/config.md), or pass --config <file>'],
  },
  'config-syntax': {
    severity: 'error',
    message: (p) => `pipec.yaml is not valid YAML: ${p.message}`,
  },
  'config-invalid': {
    severity: 'error',
    message: (p) => (p.path ? `${q(p.path)}: ${p.issue}` : p.issue),
  },
  'unknown-environment': {
    severity: 'error',
    message: (p) => `no environment ${q(p.env)} in pipec.yaml`,
    hints: (p) => [didYouMean(p.candidates), 'environments are declared under `environments:`'],
  },
};

function formatExpected(expected: readonly string[]): string {
  if (expected.length === 0) return 'something else';
  if (expected.length === 1) return expected[0] ?? '';
  if (expected.length <= 6) return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
  return `${expected.slice(0, 5).join(', ')} or one of ${expected.length - 5} more`;
}
