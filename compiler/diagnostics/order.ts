/**
 * Diagnostics in the order of their causes: what is wrong with the project's configuration and files first,
 * then with its schemas, then syntax, then the program, where an imported file comes before the files that
 * import it (its mistakes are the likelier cause of theirs); within one file, by position.
 */
import type { Diagnostic } from './diagnostic.ts';
import type { DiagnosticCode } from './messages.ts';

type Stage = 'configuration' | 'schemas' | 'syntax' | 'program';

const STAGES: readonly Stage[] = ['configuration', 'schemas', 'syntax', 'program'];

const CONFIGURATION: readonly DiagnosticCode[] = [
  'config-not-found', 'config-syntax', 'config-invalid', 'unknown-environment', 'lockfile-missing', 'lockfile-invalid',
  'registry-not-configured', 'registry-secret-missing', 'registry-ca-unreadable',
  'file-unreadable', 'file-not-text', 'file-too-large', 'no-pipe-files',
];

const SCHEMAS: readonly DiagnosticCode[] = [
  'schema-invalid', 'schema-not-a-record', 'schema-no-columns', 'schema-recursive', 'schema-reference-missing',
  'schema-field-unsupported', 'protobuf-message-not-found', 'registry-unreachable',
  'registry-timeout', 'registry-auth-failed', 'registry-request-failed', 'registry-malformed-response', 'unknown-subject',
  'unknown-subject-version', 'local-schema-not-found', 'local-schema-ambiguous', 'local-schema-version-mismatch',
  'local-meta-invalid', 'lock-subject-missing', 'lock-version-drift', 'lock-fingerprint-drift', 'schemas-write-failed',
];

const SYNTAX: readonly DiagnosticCode[] = [
  'unexpected-character', 'unterminated-string', 'unterminated-comment', 'unterminated-identifier', 'syntax-error', 'missing-semicolon', 'missing-for-system-time',
  'nesting-too-deep', 'invalid-number', 'unknown-duration-unit', 'unknown-interval-unit', 'invalid-setting-value',
];

const STAGE_OF: ReadonlyMap<DiagnosticCode, Stage> = new Map([
  ...CONFIGURATION.map((c) => [c, 'configuration'] as const),
  ...SCHEMAS.map((c) => [c, 'schemas'] as const),
  ...SYNTAX.map((c) => [c, 'syntax'] as const),
]);

const stageRank = (d: Diagnostic): number => STAGES.indexOf(STAGE_OF.get(d.code) ?? 'program');

/**
 * Stable order for output. `fileOrder` lists the `.pipe` files with every imported file before its importers
 * (project/modules.ts `importOrder`); files not in it (pipec.yaml, schema files) come first, by path.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[], fileOrder: readonly string[] = []): Diagnostic[] {
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  const fileRank = (d: Diagnostic): number => (d.span ? (rank.get(d.span.file) ?? -1) : -2);
  return [...diagnostics].sort((a, b) => {
    const stage = stageRank(a) - stageRank(b);
    if (stage !== 0) return stage;
    const file = fileRank(a) - fileRank(b);
    if (file !== 0) return file;
    const fa = a.span?.file ?? '';
    const fb = b.span?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const sa = a.span?.start ?? -1;
    const sb = b.span?.start ?? -1;
    if (sa !== sb) return sa - sb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
