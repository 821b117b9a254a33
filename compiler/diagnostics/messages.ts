/**
 * Every diagnostic pipec can report: its stable code, default severity, message and hints.
 * This is the only place message text lives. The table is total over `DiagnosticParams`, so a code
 * without a message does not compile. Codes are never renamed; each has a rendered example under test/unit/golden/.
 */
import type { Severity } from './diagnostic.ts';
import { didYouMean } from './suggest.ts';

/** A credential written inside a value, whatever its key (stdlib/credentials.ts finds them). */
export type CredentialInValue = 'url-userinfo' | 'auth-scheme' | 'assignment';
/** What a plaintext credential was found as: under a credential key, or inside a value. */
export type PlaintextCredential = 'credential-key' | CredentialInValue;

export interface DiagnosticParams {
  // ── input files ────────────────────────────────────────────────────────────────────────────────
  'file-unreadable': { path: string; reason: string };
  'file-not-text': { path: string };
  'file-too-large': { path: string; bytes: number; limit: number };
  'no-pipe-files': { path: string };
  'not-a-pipe-file': { path: string };
  'link-outside-project': { path: string };

  // ── lexing and parsing ─────────────────────────────────────────────────────────────────────────
  'unexpected-character': { character: string };
  'unterminated-string': Record<string, never>;
  'unterminated-comment': Record<string, never>;
  'unterminated-identifier': Record<string, never>;
  'syntax-error': { expected: readonly string[]; found: string; suggestion?: string | undefined };
  'missing-semicolon': { next: string };
  'missing-for-system-time': Record<string, never>;
  'nesting-too-deep': { limit: number };
  'expression-too-long': { limit: number };
  'invalid-number': { text: string; expected: string };
  'out-of-range': { what: string; found: string; range: string; hint?: string | undefined };
  'unknown-duration-unit': { unit: string; candidates: readonly string[] };
  'unknown-interval-unit': { unit: string; candidates: readonly string[] };
  'invalid-setting-value': { found: string };
  'placeholder-in-text': Record<string, never>;
  'invalid-secret-name': { name: string };

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

  // ── names, types and expressions ───────────────────────────────────────────────────────────────
  'unknown-relation': { name: string; candidates: readonly string[] };
  'unknown-column': { column: string; relation: string; candidates: readonly string[] };
  'ambiguous-column': { column: string; inputs: readonly string[] };
  'unknown-field': { field: string; candidates: readonly string[] };
  'not-a-row': { field: string; type: string };
  'not-indexable': { type: string };
  'unknown-function': { name: string; candidates: readonly string[]; instead: string | undefined };
  'no-matching-overload': { name: string; found: readonly string[]; expected: readonly string[]; detail: string | undefined };
  'aggregate-not-allowed': { name: string; clause: string };
  'nested-aggregate': { name: string };
  'operator-type-mismatch': { operator: string; left: string | undefined; right: string; hint?: string | undefined };
  'expected-boolean': { context: string; found: string };
  'incompatible-branches': { context: string; types: readonly string[] };
  'unknown-type': { type: string; problem: string; candidates: readonly string[] };
  'invalid-cast': { from: string; to: string; hint: string | undefined };
  'duplicate-alias': { alias: string };
  'duplicate-column': { column: string };
  'invalid-name': { name: string; problem: string };
  'invalid-pipeline-name': { name: string; problem: string };
  'unnamed-column': Record<string, never>;
  'recursive-stream': { name: string };

  // ── queries ────────────────────────────────────────────────────────────────────────────────────
  'unknown-window': { name: string; candidates: readonly string[] };
  'window-arguments': { name: string; expected: string };
  'window-needs-time-attribute': { column: string; type: string };
  'window-not-grouped': Record<string, never>;
  'session-window-keys': { grouped: readonly string[]; keys: readonly string[] };
  'session-window-top-n': Record<string, never>;
  'window-aggregate-function': { name: string; window: string };
  'not-grouped': { column: string };
  'not-unnestable': { type: string };
  'unnest-column-count': { expected: number; found: number };
  'union-column-count': { expected: number; found: number };
  'dedupe-needs-time-attribute': { relation: string; column: string | undefined };
  'order-by-column': Record<string, never>;
  'join-key-type-mismatch': { left: string; right: string; leftType: string; rightType: string };
  'temporal-join-needs-versioned-table': { relation: string; missing: string };
  'temporal-join-time': { found: string };
  'rowtime-type-mismatch': { join: string; left: string; right: string };
  'updating-input': { operation: string; relation: string };

  // ── sources, sinks and pipelines ───────────────────────────────────────────────────────────────
  'unknown-system': { system: string; role: 'source' | 'sink'; candidates: readonly string[] };
  'endpoint-kind': { system: string; expected: string | undefined; found: string | undefined };
  'clause-not-allowed': { clause: string; declaration: string };
  'duplicate-clause': { clause: string };
  'unknown-disposal': { found: string; of: string; allowed: readonly string[] };
  'duplicate-expectation': { name: string; stream: string };
  'dead-letter-from-updating-stream': { expectation: string; stream: string };
  'on-error-changelog-source': { source: string; disposal: string };
  'unknown-format': { format: string; candidates: readonly string[] };
  'connection-required': { system: string };
  'connection-type-mismatch': { name: string; type: string; system: string };
  'cdc-format': { format: string };
  'cdc-needs-primary-key': { table: string };
  'unknown-metadata': { field: string; candidates: readonly string[] };
  'event-time-type': { column: string; type: string };
  'sink-outside-pipeline': Record<string, never>;
  'pipeline-without-sink': { name: string };
  'updating-into-append-sink': { sink: string; stream: string; suggestedKey: readonly string[] | undefined };
  'sink-needs-key': { sink: string; system: string };
  'sink-key-mismatch': { stream: string; sinkKey: readonly string[]; streamKey: readonly string[] };
  'sink-key-not-unique': { stream: string; sinkKey: readonly string[]; cause: string };
  'exactly-once-needs-checkpoint': Record<string, never>;
  'plaintext-secret': { key: string; found: PlaintextCredential };
  'invalid-external-name': { kind: string; name: string; problem: string; madeOf: string | undefined };
  'topic-mixes-period-underscore': { topic: string };

  // ── code generation ────────────────────────────────────────────────────────────────────────────
  'unsupported-key-layout': { source: string; shared: readonly string[] };
  'unsupported-by-target': { target: string; feature: string; hint: string | undefined };

  // ── kafka connect ──────────────────────────────────────────────────────────────────────────────
  'connect-plaintext-secret': { connector: string; key: string; found: PlaintextCredential };
  'connect-template-not-found': { template: string; candidates: readonly string[] };
  'connect-template-invalid': { template: string; problem: string };
  'connect-config-invalid': { connector: string; key: string; problem: string };
  'cdc-mixed-formats': { connection: string; formats: readonly string[] };

  // ── upgrades and deploys ─────────────────────────────────────────────────────────────────────────
  // (compiler/upgrade: a new build compared with the previous one, `pipec diff --previous`.)
  'upgrade-state-incompatible': { pipeline: string; subject: string; change: string };
  'upgrade-state-dropped': { pipeline: string; subject: string; change: string };

  // ── project configuration ──────────────────────────────────────────────────────────────────────

  'config-not-found': { path: string };
  'suppression-invalid': { problem: string; candidates: readonly string[] };
  'suppression-unused': { code: string };
  'config-syntax': { message: string };
  'config-invalid': { path: string; issue: string; hint?: string | undefined };
  'config-plaintext-secret': { path: string; found: PlaintextCredential };
  'config-limit': { issue: string; hint: string };
  'unknown-environment': { env: string; candidates: readonly string[] };
  'lockfile-missing': { path: string };
  'registry-not-configured': Record<string, never>;

  // ── pipeline tests (*.test.yaml) ───────────────────────────────────────────────────────────────
  'test-syntax': { message: string };
  'test-invalid': { problem: string; hint: string | undefined };
  'test-unknown-pipeline': { name: string; candidates: readonly string[] };
  'test-unknown-endpoint': { role: 'source' | 'sink'; name: string; pipeline: string; candidates: readonly string[] };
  'test-missing-column': { column: string; relation: string; type: string };
  'test-value-type': { column: string; type: string; expected: string };

  // ── the output folder ──────────────────────────────────────────────────────────────────────────
  'out-not-a-build': { path: string; found: string };
  'out-overlaps-project': { path: string; replaces: string };
  'out-locked': { path: string; holder: string; lock: string; waitedSeconds: number };
  'out-write-failed': { path: string; reason: string };
  'empty-build': { path: string };

  // ── schemas and the registry ───────────────────────────────────────────────────────────────────
  // (compiler/schemas; `answer` is the server's reply as shown to the user: `error_code` and `message`.)
  'schema-invalid': { subject: string; schemaType: string; reason: string };
  'schema-not-a-record': { subject: string; schemaType: string; found: string };
  'schema-no-columns': { subject: string };
  'schema-recursive': { subject: string; typeName: string; path: string };
  'schema-reference-missing': { subject: string; reference: string; candidates: readonly string[] };
  'schema-field-unsupported': { subject: string; field: string; sourceType: string; reason: string };
  /** `field`: the column (or field) as the pipeline writes it, e.g. `l.opened_at`. */
  'schema-logical-type-ignored': { subject: string; field: string; logicalType: string; flinkType: string; reason: string; fix: 'micros-to-timestamp' | 'local-millis-to-timestamp' | undefined };
  'protobuf-message-not-found': { subject: string; message: string; candidates: readonly string[] };
  'registry-unreachable': { url: string; reason: string; attempts: number };
  'registry-timeout': { url: string; timeoutMs: number; attempts: number; elapsedMs: number };
  'registry-response-too-large': { url: string; limitBytes: number };
  'registry-auth-failed': { url: string; status: number; answer: string; auth: 'none' | 'basic' | 'bearer' };
  'registry-request-failed': { url: string; status: number; answer: string; attempts: number };
  'registry-malformed-response': { url: string; status: number; issue: string; excerpt: string };
  'unknown-subject': { subject: string; url: string; answer: string; candidates: readonly string[] };
  'unknown-subject-version': { subject: string; version: string; url: string; answer: string; available: readonly number[] };
  'registry-secret-missing': { name: string; setting: string };
  'registry-ca-unreadable': { path: string; reason: string };
  'registry-url-invalid': { setting: string };
  'local-schema-not-found': { subject: string; folder: string; candidates: readonly string[] };
  'local-schema-ambiguous': { subject: string; files: readonly string[] };
  'local-schema-version-mismatch': { subject: string; wanted: number; found: number; file: string };
  'local-meta-invalid': { path: string; issue: string };
  'lockfile-invalid': { path: string; issue: string };
  'lock-subject-missing': { subject: string; lockfile: string };
  'lock-version-drift': { subject: string; locked: number; current: number; lockfile: string };
  'lock-fingerprint-drift': { subject: string; version: number; lockfile: string };
  'schemas-write-failed': { path: string; reason: string };
  'sink-type-unsupported': { subject: string; field: string; type: string; format: string; reason: string; fix: string | undefined };
  'sink-name-invalid': { subject: string; name: string; format: string; rule: string };
  'sink-schema-type-changed': { subject: string; registered: string; generated: string };
  'sink-schema-incompatible': { subject: string; level: string; version: number; path: string; problem: string; rule: string };
  'sink-schema-rejected-by-registry': { subject: string; level: string; url: string; answer: string };
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

/** What a plaintext credential was found as (stdlib/credentials.ts). */
function credentialFound(found: PlaintextCredential): string {
  switch (found) {
    case 'credential-key': return 'a credential';
    case 'url-userinfo': return 'a password in a URL (`user:password@host`)';
    case 'auth-scheme': return 'an authorization token (`Bearer …`, `Basic …`)';
    case 'assignment': return 'a password (`password=…`)';
  }
}

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
  'not-a-pipe-file': {
    severity: 'error',
    message: (p) => `${p.path} is not a .pipe file, so pipec does not read it`,
    hints: () => ['name .pipe files, or folders that contain some'],
  },
  'link-outside-project': {
    severity: 'error',
    message: (p) => `${p.path} is a symbolic link to a place outside the project, so pipec does not read it`,
    hints: () => ['pipec reads .pipe files inside the project (the folder of pipec.yaml), following links only within it; copy the file into the project instead'],
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
  'missing-semicolon': {
    severity: 'error',
    message: () => 'missing `;` at the end of this statement',
    hints: (p) => [`every statement ends with \`;\`; the next one (${p.next}) starts on a later line`],
  },
  'missing-for-system-time': {
    severity: 'error',
    message: () => 'expected `for system_time as of`, found `as of`',
    hints: () => ['a temporal join reads: join <table> for system_time as of <time column> <alias> on <condition>'],
  },
  'nesting-too-deep': {
    severity: 'error',
    message: (p) => `expressions are nested more than ${p.limit} levels deep`,
    hints: () => ['split the expression into several derived streams or columns'],
  },
  'expression-too-long': {
    severity: 'error',
    message: (p) => `this expression chains more than ${p.limit} operators`,
    hints: () => ['split it into several columns or derived streams; for many alternatives of one column, `x in (…)` takes any number of values'],
  },
  'invalid-number': {
    severity: 'error',
    message: (p) => `expected ${p.expected}, found ${p.text}`,
  },
  'out-of-range': {
    severity: 'error',
    message: (p) => `${p.what} must be ${p.range}, not ${q(p.found)}`,
    hints: (p) => [p.hint],
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
  'placeholder-in-text': {
    severity: 'error',
    message: () => '`${pipec:…}` is reserved for the values a deploy fills in; a string or a name cannot contain it',
    hints: () => ["for a secret, write secret('name') as a `with (…)` value", "for the text itself in data, split it: '$' || '{pipec:…}'"],
  },
  'invalid-secret-name': {
    severity: 'error',
    message: (p) => `${q(p.name)} is not a secret name: lowercase letters, digits and \`-\`, starting with a letter, at most 64 characters`,
    hints: () => ["e.g. secret('warehouse-password'); the Connect worker reads it from PIPEC_SECRET_WAREHOUSE_PASSWORD"],
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
    hints: () => ['import paths are relative to the importing file and name a .pipe file inside the project (the folder of pipec.yaml; symbolic links are followed only within it)'],
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

  'unknown-relation': {
    severity: 'error',
    message: (p) => `no source or stream named ${q(p.name)}`,
    hints: (p) => [didYouMean(p.candidates), 'declare it in this file, or `import` it from the file that declares it'],
  },
  'unknown-column': {
    severity: 'error',
    message: (p) => `${p.relation ? `${q(p.relation)} has no column` : 'no column'} ${q(p.column)}`,
    hints: (p) => [didYouMean(p.candidates)],
  },
  'ambiguous-column': {
    severity: 'error',
    message: (p) => `column ${q(p.column)} is in more than one input (${p.inputs.map(q).join(', ')})`,
    hints: (p) => [`qualify it, e.g. ${q(`${p.inputs[0] ?? 'alias'}.${p.column}`)}`],
  },
  'unknown-field': {
    severity: 'error',
    message: (p) => `the row has no field ${q(p.field)}`,
    hints: (p) => [didYouMean(p.candidates)],
  },
  'not-a-row': {
    severity: 'error',
    message: (p) => `cannot read field ${q(p.field)} of a value of type ${p.type}`,
    hints: () => ['only ROW values have fields'],
  },
  'not-indexable': {
    severity: 'error',
    message: (p) => `cannot index a value of type ${p.type}`,
    hints: () => ['`[…]` reads an ARRAY element (from 1) or a MAP value'],
  },
  'unknown-function': {
    severity: 'error',
    message: (p) => `unknown function ${q(p.name)}`,
    hints: (p) => [p.instead, p.instead ? undefined : didYouMean(p.candidates), 'docs/functions.md lists every function pipec knows'],
  },
  'no-matching-overload': {
    severity: 'error',
    message: (p) => `${q(p.name)} cannot be called with (${p.found.join(', ')})`,
    hints: (p) => [p.detail, p.expected.length > 0 ? `it takes ${p.expected.join(' or ')}` : undefined],
  },
  'aggregate-not-allowed': {
    severity: 'error',
    message: (p) => `aggregate function ${q(p.name)} is not allowed in ${p.clause}`,
    hints: (p) => [p.clause === 'WHERE' ? 'filter on aggregates with HAVING' : undefined],
  },
  'nested-aggregate': {
    severity: 'error',
    message: (p) => `aggregate functions cannot be nested inside ${q(p.name)}`,
    hints: () => ['aggregate in one stream, then aggregate its result in another'],
  },
  'operator-type-mismatch': {
    severity: 'error',
    message: (p) => (p.left === undefined ? `${q(p.operator)} cannot be applied to ${p.right}` : `${q(p.operator)} cannot be applied to ${p.left} and ${p.right}`),
    hints: (p) => [p.hint ?? 'CAST one side to the other\'s type'],
  },
  'expected-boolean': {
    severity: 'error',
    message: (p) => `${p.context} needs a BOOLEAN, found ${p.found}`,
  },
  'incompatible-branches': {
    severity: 'error',
    message: (p) => `the types of ${p.context} have no common type: ${p.types.join(', ')}`,
    hints: () => ['CAST the branches to one type'],
  },
  'unknown-type': {
    severity: 'error',
    message: (p) => `invalid type in CAST: ${p.problem}`,
    hints: (p) => [didYouMean(p.candidates)],
  },
  'invalid-cast': {
    severity: 'error',
    message: (p) => `cannot CAST ${p.from} to ${p.to}`,
    hints: (p) => [p.hint],
  },
  'duplicate-alias': {
    severity: 'error',
    message: (p) => `two inputs of this query are named ${q(p.alias)}`,
    hints: () => ['give one of them an alias: `join payments p2 on …`'],
  },
  'invalid-name': {
    severity: 'error',
    message: (p) => `Flink cannot use the name ${JSON.stringify(p.name)}: ${p.problem}`,
    hints: () => ['rename it with `as new_name` (or rename the declaration)'],
  },
  'invalid-pipeline-name': {
    severity: 'error',
    message: (p) => `the pipeline name ${JSON.stringify(p.name)} cannot name its folder in the build: ${p.problem}`,
    hints: () => ['a pipeline name is ASCII letters, digits, `_` and `-` (not first), at most 100 characters: it names the folder of the pipeline in the build, its Flink job and its connectors'],
  },
  'duplicate-column': {
    severity: 'error',
    message: (p) => `column ${q(p.column)} appears more than once in the result`,
    hints: () => ['rename one with `as new_name`'],
  },
  'unnamed-column': {
    severity: 'error',
    message: () => 'this computed column has no name',
    hints: () => ['name it with `as name`: its name becomes a field of the output schema'],
  },
  'recursive-stream': {
    severity: 'error',
    message: (p) => `stream ${q(p.name)} reads from itself`,
    hints: () => ['streams form a pipeline from sources to sinks; recursion is not supported'],
  },

  'unknown-window': {
    severity: 'error',
    message: (p) => `unknown window ${q(p.name)}`,
    hints: (p) => [didYouMean(p.candidates), 'windows are `tumbling`, `hopping`, `cumulative` and `session`'],
  },
  'window-arguments': {
    severity: 'error',
    message: (p) => `wrong arguments for window ${q(p.name)}`,
    hints: (p) => [`write ${q(p.expected)}, with durations such as \`1 min\``],
  },
  'window-needs-time-attribute': {
    severity: 'error',
    message: (p) => `windows need a time attribute, but ${q(p.column)} is a plain ${p.type}`,
    hints: () => ['declare the source\'s `event time <column> watermark <delay>` (or `processing time <column>`); time attributes do not survive regular joins and group aggregations'],
  },
  'window-not-grouped': {
    severity: 'error',
    message: () => 'an aggregation over a window must group by `window_start` or `window_end`',
    hints: () => ['add `window_start` to GROUP BY; pipec adds `window_end` for you'],
  },
  'window-aggregate-function': {
    severity: 'error',
    message: (p) => `${q(p.name)} cannot aggregate a ${p.window} window: Flink ${p.window === 'session' ? 'merges sessions' : 'combines the window from shared slices'} and cannot merge ${q(p.name)}`,
    hints: () => ['use a tumbling window, or an aggregate Flink can merge, such as `min` or `max`'],
  },
  'session-window-keys': {
    severity: 'error',
    message: (p) => `a session window aggregation must group by the session's keys (${p.keys.length === 0 ? 'none' : p.keys.map(q).join(', ')}), besides \`window_start\` and \`window_end\``,
    hints: (p) => [
      p.grouped.some((g) => g.toLowerCase() === 'window_time') ? 'leave `window_time` out of GROUP BY; select it as max(window_time) if you need it' : undefined,
      `list the keys in the window, \`session(time, gap${p.grouped.filter((g) => g.toLowerCase() !== 'window_time').map((g) => `, ${g}`).join('')})\`, and group by the same columns: Flink keeps one session per key`,
    ],
  },
  'session-window-top-n': {
    severity: 'error',
    message: () => 'a top-N per window ranks tumbling, hopping and cumulative windows; Flink does not support it over session windows',
    hints: () => [
      'rank a tumbling, hopping or cumulative window instead',
      'or partition the top-N by other columns than `window_start`/`window_end`: a continuous, updating top-N',
    ],
  },
  'not-grouped': {
    severity: 'error',
    message: (p) => `${q(p.column)} is neither grouped nor aggregated`,
    hints: (p) => [`add ${q(p.column)} to GROUP BY, or aggregate it, e.g. \`max(${p.column})\``],
  },
  'not-unnestable': {
    severity: 'error',
    message: (p) => `cannot unnest a value of type ${p.type}`,
    hints: () => ['UNNEST takes an ARRAY, MULTISET or MAP'],
  },
  'unnest-column-count': {
    severity: 'error',
    message: (p) => `the unnested value has ${p.expected} column(s), but ${p.found} name(s) are given`,
  },
  'union-column-count': {
    severity: 'error',
    message: (p) => `UNION ALL inputs must have the same number of columns: expected ${p.expected}, found ${p.found}`,
  },
  'dedupe-needs-time-attribute': {
    severity: 'error',
    message: (p) => (p.column ? `dedupe orders rows by a time attribute, but ${q(p.column)} is not one` : `${q(p.relation)} has no time attribute to dedupe by`),
    hints: () => ['declare `event time <column> watermark <delay>` or `processing time <column>` on the source'],
  },
  'order-by-column': {
    severity: 'error',
    message: () => 'top-N orders by columns of its input',
    hints: () => ['compute the value in a stream first, then order by that column'],
  },
  'join-key-type-mismatch': {
    severity: 'error',
    message: (p) => `join keys ${q(p.left)} (${p.leftType}) and ${q(p.right)} (${p.rightType}) have incompatible types`,
    hints: () => ['CAST one key to the other\'s type; keys of different types never match'],
  },
  'temporal-join-needs-versioned-table': {
    severity: 'error',
    message: (p) => `${q(p.relation)} cannot be joined \`for system_time as of\`: it has no ${p.missing}`,
    hints: () => ['a versioned table is a source with a `primary key` and an `event time` (a changelog topic or a CDC table)'],
  },
  'temporal-join-time': {
    severity: 'error',
    message: (p) => `\`for system_time as of\` needs the left input's time attribute, found ${p.found}`,
  },
  'rowtime-type-mismatch': {
    severity: 'error',
    message: (p) => `${p.join} needs both event times of one type, but they are ${p.left} and ${p.right}`,
    hints: () => ['declare one source\'s event time as a computed column of the other type, e.g. `event time ts = cast(event_time as timestamp(3))`'],
  },
  'updating-input': {
    severity: 'error',
    message: (p) => `${p.operation} needs an append-only input, but ${q(p.relation)} is updating`,
    hints: () => ['updates come from group aggregations, left joins, dedupe by event time, top-N and CDC sources'],
  },

  'unknown-system': {
    severity: 'error',
    message: (p) => `a ${p.role} cannot ${p.role === 'source' ? 'read from' : 'write into'} ${q(p.system)}`,
    hints: (p) => [didYouMean(p.candidates)],
  },
  'endpoint-kind': {
    severity: 'error',
    message: (p) => (p.expected ? `${q(p.system)} is followed by ${q(p.expected)}, found ${p.found ? q(p.found) : 'nothing'}` : `${q(p.system)} takes no object kind, found ${q(p.found ?? '')}`),
    hints: (p) => [p.expected ? `write \`${p.system} ${p.expected} '…'\`` : `write \`${p.system} '…'\``],
  },
  'clause-not-allowed': {
    severity: 'error',
    message: (p) => `\`${p.clause}\` is not allowed on ${p.declaration}`,
  },
  'duplicate-clause': {
    severity: 'error',
    message: (p) => `\`${p.clause}\` is given more than once`,
  },
  'unknown-disposal': {
    severity: 'error',
    message: (p) => `${q(p.found)} is not something ${p.of} can do with a rejected record`,
    hints: (p) => [`write one of ${p.allowed.map((a) => `\`${a}\``).join(', ')}`],
  },
  'duplicate-expectation': {
    severity: 'error',
    message: (p) => `stream ${q(p.stream)} has two expectations named ${q(p.name)}`,
    hints: () => ['each expectation names the rows it rejects (on the dead-letter topic, and in a failed job\'s message): give each its own name'],
  },
  'dead-letter-from-updating-stream': {
    severity: 'error',
    message: (p) => `expectation ${q(p.expectation)} cannot send rows to a dead-letter topic: stream ${q(p.stream)} is updating`,
    hints: () => [
      'an updating stream also retracts and updates rows; a dead-letter topic is append-only, so a retracted row would stay there as if it were still rejected',
      'use `else drop` or `else fail`, or put the expectation on the append-only stream the updating one is computed from',
    ],
  },
  'on-error-changelog-source': {
    severity: 'error',
    message: (p) => `source ${q(p.source)} is a changelog: it cannot \`${p.disposal}\` a record it cannot decode`,
    hints: () => [
      'a changelog\'s record is an update or delete of its key\'s row; without it that row would stay stale, so an undecodable one fails the job (`on error fail`, the default)',
      '`on error skip` and `on error dead letter` are for append-only Kafka topics (no `primary key`, not a CDC table)',
    ],
  },
  'unknown-format': {
    severity: 'error',
    message: (p) => `unknown format ${q(p.format)}`,
    hints: (p) => [didYouMean(p.candidates), 'formats are `avro`, `json`, `protobuf` and `raw`'],
  },
  'connection-required': {
    severity: 'error',
    message: (p) => `${q(p.system)} needs a connection`,
    hints: (p) => [`add \`via connection <name>\` naming a ${p.system} connection of pipec.yaml`],
  },
  'connection-type-mismatch': {
    severity: 'error',
    message: (p) => `connection ${q(p.name)} is of type ${p.type}, but a ${p.system} endpoint needs a ${p.system} connection`,
  },
  'cdc-format': {
    severity: 'error',
    message: (p) => `change data capture reads Debezium events as avro or json, not ${q(p.format)}`,
  },
  'cdc-needs-primary-key': {
    severity: 'error',
    message: (p) => `the CDC source of ${q(p.table)} needs its primary key`,
    hints: () => ['add `primary key (<columns>)`: Flink keys the changelog by it'],
  },
  'unknown-metadata': {
    severity: 'error',
    message: (p) => `unknown metadata field ${q(p.field)}`,
    hints: (p) => [didYouMean(p.candidates)],
  },
  'event-time-type': {
    severity: 'error',
    message: (p) => `event time ${q(p.column)} must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), but it is ${p.type}`,
    hints: (p) => [`compute it: \`event time ${p.column}_ms = cast(${p.column} as timestamp(3))\` or use to_timestamp_ltz(millis, 3)`],
  },
  'sink-outside-pipeline': {
    severity: 'error',
    message: () => 'sinks belong to a pipeline, and this file has no `pipeline` header',
    hints: () => ['start the file with `pipeline <name>;`, or move the sink into a pipeline file'],
  },
  'pipeline-without-sink': {
    severity: 'warning',
    message: (p) => `pipeline ${q(p.name)} has no sink, so it produces nothing`,
  },
  'updating-into-append-sink': {
    severity: 'error',
    message: (p) => `${q(p.stream)} is updating (it changes rows it has already emitted), but the sink writes append-only`,
    hints: (p) => [p.suggestedKey && p.suggestedKey.length > 0 ? `write it as an upsert: \`upsert key (${p.suggestedKey.join(', ')})\`` : 'write it as an upsert with `upsert key (<columns>)`, or make the stream append-only'],
  },
  'sink-needs-key': {
    severity: 'error',
    message: (p) => `this ${p.system} sink writes updates, so it needs the key to upsert by`,
    hints: () => ['add `upsert key (<columns>)`'],
  },
  'sink-key-mismatch': {
    severity: 'error',
    message: (p) =>
      `the sink's key (${p.sinkKey.join(', ')}) is not the key of ${q(p.stream)} (${p.streamKey.join(', ')}): ` +
      (p.streamKey.every((k) => p.sinkKey.some((s) => s.toLowerCase() === k.toLowerCase()))
        ? `with more columns than the stream's key, an update that changes ${p.sinkKey.filter((s) => !p.streamKey.some((k) => k.toLowerCase() === s.toLowerCase())).map(q).join(', ')} writes a new row and leaves the old one behind`
        : `rows the stream keeps apart would overwrite each other in the sink, which upserts and deletes by its own key`),
    hints: (p) => [`upsert by the stream's key: \`upsert key (${p.streamKey.join(', ')})\``],
  },
  'sink-key-not-unique': {
    severity: 'warning',
    message: (p) => `${q(p.stream)} is updating and, after ${p.cause}, has no key pipec can derive, so nothing shows that (${p.sinkKey.join(', ')}) identifies one of its rows; if it does not, rows would overwrite each other in the sink`,
    hints: () => [
      'make the key explicit upstream, e.g. a group by or `dedupe … by <key>` on the stream the sink reads',
      'or, if the key is unique, say why on the line before the sink: -- pipec: allow sink-key-not-unique because <reason>',
    ],
  },
  'exactly-once-needs-checkpoint': {
    severity: 'error',
    message: () => 'exactly-once delivery commits on checkpoints, but this pipeline sets no checkpoint interval',
    hints: () => ['add `checkpoint = 30 s` (or another interval) to the pipeline\'s `with (…)`'],
  },
  'plaintext-secret': {
    severity: 'error',
    message: (p) => `${q(p.key)} holds ${credentialFound(p.found)} as plaintext; it would be written into the generated job or connector`,
    hints: () => ["write secret('name') instead: the deployer supplies the value, which never enters an artifact"],
  },
  'invalid-external-name': {
    severity: 'error',
    message: (p) => `${q(p.name)} is not a valid ${p.kind}: ${p.problem}`,
    hints: (p) => [p.madeOf ? `pipec names it ${q(p.madeOf)}; rename what it is made of` : undefined, 'docs/language.md lists the rules of every external name'],
  },
  'topic-mixes-period-underscore': {
    severity: 'warning',
    message: (p) => `topic ${q(p.topic)} mixes \`.\` and \`_\`; Kafka maps both to \`_\` in metric names, so it can collide with another topic there`,
    hints: () => ['use either `.` or `_` in topic names, not both'],
  },

  'unsupported-key-layout': {
    severity: 'error',
    message: (p) => `the key of ${q(p.source)} shares some but not all of its fields with the value (${p.shared.map(q).join(', ')})`,
    hints: () => ['Flink reads key fields either all from the value or none from it; make the key schema a subset of the value schema, or disjoint from it'],
  },
  'unsupported-by-target': {
    severity: 'error',
    message: (p) => `${p.target} cannot run this: ${p.feature}`,
    hints: (p) => [p.hint],
  },

  // ── kafka connect ──
  'connect-plaintext-secret': {
    severity: 'error',
    message: (p) => `connector \`${p.connector}\` would get ${credentialFound(p.found)} as plaintext in \`${p.key}\`; a secret never goes into a connector config`,
    hints: () => ['in pipec.yaml or a connector layout (connectors/*.hbs) write a reference the Connect worker resolves: `${env:NAME}` or `${file:/path/to/file.properties:key}`', "in a `.pipe` file use `secret('name')` (the worker reads it from the environment variable PIPEC_SECRET_<NAME>)"],
  },
  'connect-template-not-found': {
    severity: 'error',
    message: (p) => `no connector template \`${p.template}\`: pipec looks for connectors/${p.template}.hbs next to pipec.yaml`,
    hints: (p) => [didYouMean(p.candidates) ?? 'the project has no connectors/*.hbs close to that name'],
  },
  'connect-template-invalid': {
    severity: 'error',
    message: (p) => `connector template \`${p.template}\` does not give a connector config: ${p.problem}`,
    hints: () => ['a template lays out one JSON object of string values; write each value as {{json value}}'],
  },
  'connect-config-invalid': {
    severity: 'error',
    message: (p) => `connector \`${p.connector}\` would get an invalid config${p.key ? ` at \`${p.key}\`` : ''}: ${p.problem}`,
    hints: () => ['check the `with (…)` properties of the declaration and the template, if the sink uses one'],
  },
  'cdc-mixed-formats': {
    severity: 'error',
    message: (p) => `CDC sources through connection \`${p.connection}\` use different formats (${p.formats.join(', ')}); they share one Debezium connector, which writes one format`,
    hints: () => ['give every CDC source of the connection the same `format`, or capture them through two connections with different `topic_prefix`es'],
  },

  'upgrade-state-incompatible': {
    severity: 'error',
    message: (p) => `the running job of pipeline \`${p.pipeline}\` cannot keep its state across this change: ${p.subject}: ${p.change}`,
    hints: () => ['keep the stateful part as it is and add the change as a new stream and sink, or deploy with a state reset (`pipec diff --allow-state-reset`, `allowStateReset` in the deployer): the job then starts from empty state'],
  },
  'upgrade-state-dropped': {
    severity: 'warning',
    message: (p) => `the upgrade of pipeline \`${p.pipeline}\` drops state: ${p.subject}: ${p.change}`,
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
    hints: (p) => [p.hint],
  },
  'config-plaintext-secret': {
    severity: 'error',
    message: (p) => `${q(p.path)} holds ${credentialFound(p.found)} as plaintext`,
    hints: () => ['write a reference that is resolved at deploy time: `${env:NAME}` or `${file:/path/to/file.properties:key}`', 'pipec.yaml is committed with the project; a credential in it is a leaked credential'],
  },
  'suppression-invalid': {
    severity: 'error',
    message: (p) => `this suppression has no effect: ${p.problem}`,
    hints: (p) => [didYouMean(p.candidates), 'write: -- pipec: allow <warning code> because <why it does not apply here>'],
  },
  'suppression-unused': {
    severity: 'warning',
    message: (p) => `nothing here reports ${q(p.code)} any more: the suppression is unused`,
    hints: () => ['remove it (a suppression applies to the statement after or around it, and to a warning on its own line or the next)'],
  },
  'config-limit': {
    severity: 'error',
    message: (p) => `pipec.yaml ${p.issue}`,
    hints: (p) => [p.hint],
  },
  'test-syntax': {
    severity: 'error',
    message: (p) => `the test file is not valid YAML: ${p.message}`,
  },
  'test-invalid': {
    severity: 'error',
    message: (p) => p.problem,
    hints: (p) => [p.hint ?? 'docs/testing.md describes the test file format'],
  },
  'test-unknown-pipeline': {
    severity: 'error',
    message: (p) => `no pipeline ${q(p.name)} in the project`,
    hints: (p) => [didYouMean(p.candidates)],
  },
  'test-unknown-endpoint': {
    severity: 'error',
    message: (p) => `pipeline ${q(p.pipeline)} has no ${p.role} ${q(p.name)}`,
    hints: (p) => [didYouMean(p.candidates), p.role === 'source' ? 'given records belong to the sources the pipeline reads' : 'expected rows belong to a stream the pipeline writes to a sink'],
  },
  'test-missing-column': {
    severity: 'error',
    message: (p) => `${q(p.column)} of ${q(p.relation)} is missing, and it is ${p.type}`,
    hints: () => ['give every column a value (null for nullable ones is implied); `defaults:` sets values shared by all records of a source'],
  },
  'test-value-type': {
    severity: 'error',
    message: (p) => `${q(p.column)} is ${p.type}, so its value must be ${p.expected}`,
  },
  'lockfile-missing': {
    severity: 'error',
    message: (p) => `--frozen needs ${p.path}, and there is none`,
    hints: () => ['run `pipec compile` once without --frozen against the registry, and commit the pipec.lock it writes'],
  },
  'registry-not-configured': {
    severity: 'error',
    message: () => 'no schema registry is configured',
    hints: () => ['set `registry.url` in pipec.yaml'],
  },
  'unknown-environment': {
    severity: 'error',
    message: (p) => `no environment ${q(p.env)} in pipec.yaml`,
    hints: (p) => [didYouMean(p.candidates), 'environments are declared under `environments:`'],
  },

  'out-not-a-build': {
    severity: 'error',
    message: (p) => `pipec will not write the build into ${p.path}: ${p.found}`,
    hints: () => [
      'pipec writes only into a folder that is absent, empty, or a build it wrote itself (marked by a `.pipec-build` file), because a build replaces everything in its folder',
      'choose another folder with --out (or `out:` in pipec.yaml), or move this one away',
    ],
  },
  'out-overlaps-project': {
    severity: 'error',
    message: (p) => `the output folder ${p.path} would replace ${p.replaces}`,
    hints: () => ['a build needs a folder of its own inside the project, e.g. `--out build`'],
  },
  'out-locked': {
    severity: 'error',
    message: (p) => `another pipec (${p.holder}) is writing ${p.path}; waited ${p.waitedSeconds} s for it to finish`,
    hints: (p) => [`if no pipec is running, delete ${p.lock}`],
  },
  'out-write-failed': {
    severity: 'error',
    message: (p) => `cannot write the build into ${p.path}: ${p.reason}`,
    hints: () => ['the previous build, if there was one, is still in place'],
  },
  'empty-build': {
    severity: 'error',
    message: (p) => `the compile produced no pipeline with a job (a pipeline without sinks has none), so ${p.path} would hold an empty build`,
    hints: () => ['pass --allow-empty to write an empty build on purpose'],
  },

  // ── schemas and the registry ───────────────────────────────────────────────────────────────────
  'schema-invalid': {
    severity: 'error',
    message: (p) => `the ${p.schemaType} schema of subject ${q(p.subject)} is not valid: ${p.reason}`,
    hints: () => ['fix the schema in the registry (or the local schema folder); pipec reads it as the registry stores it'],
  },
  'schema-not-a-record': {
    severity: 'error',
    message: (p) => `subject ${q(p.subject)} holds ${p.found}, but Flink reads a topic's value as a row, which needs ${recordWord(p.schemaType)}`,
    hints: (p) => [p.schemaType === 'AVRO' ? 'for plain keys (a string or a number) use the `raw` key format instead of a registry subject' : undefined],
  },
  'schema-no-columns': {
    severity: 'error',
    message: (p) => `none of the fields of subject ${q(p.subject)} can be read by Flink, so it yields no columns`,
    hints: () => ['the warnings above say why each field was left out'],
  },
  'schema-recursive': {
    severity: 'error',
    message: (p) => `subject ${q(p.subject)} is recursive: ${q(p.typeName)} contains itself at ${q(p.path)}`,
    hints: () => ['Flink rows have a fixed depth, so no Flink format can read a recursive type; publish a non-recursive view of the data (e.g. flatten the tree into a parent id column)'],
  },
  'schema-reference-missing': {
    severity: 'error',
    message: (p) => `subject ${q(p.subject)} uses ${q(p.reference)}, which none of its schema references provides`,
    hints: (p) => [
      didYouMean(p.candidates),
      'register the schema with a `references` entry whose `name` is exactly what the schema uses (in the local folder: list it under `references:` in <subject>.meta.yaml)',
    ],
  },
  'schema-field-unsupported': {
    severity: 'warning',
    message: (p) => `field ${q(p.field)} of ${q(p.subject)} (${p.sourceType}) is left out of the columns: ${p.reason}`,
    hints: () => ['the other columns are read as usual; referring to this one reports an unknown column'],
  },
  'schema-logical-type-ignored': {
    severity: 'warning',
    message: (p) => `field ${q(p.field)} of ${q(p.subject)} is read as ${p.flinkType}, not as its logical type ${q(p.logicalType)}: ${p.reason}`,
    hints: (p) => [
      p.fix === 'micros-to-timestamp' ? `derive a timestamp in the pipeline: TO_TIMESTAMP_LTZ(${p.field} / 1000, 3)` : undefined,
      p.fix === 'local-millis-to-timestamp' ? `derive a timestamp in the pipeline: CAST(TO_TIMESTAMP_LTZ(${p.field}, 3) AS TIMESTAMP(3)), with table.local-time-zone = 'UTC'` : undefined,
      `or, if the number is what you want, say so on the line before: -- pipec: allow schema-logical-type-ignored because <reason>`,
    ],
  },
  'protobuf-message-not-found': {
    severity: 'error',
    message: (p) => `subject ${q(p.subject)} declares no message ${q(p.message)}`,
    hints: (p) => [didYouMean(p.candidates), 'the `// pipec:message <Name>` comment names the message to read; without it pipec reads the first message of the file'],
  },
  'registry-unreachable': {
    severity: 'error',
    message: (p) => `cannot reach the schema registry at ${p.url}: ${p.reason}${tries(p.attempts)}`,
    hints: () => ['check `registry.url` in pipec.yaml and that the registry is running (`pipec local status` for the local stack)', 'to work offline, leave out `registry.url` and read schemas from the local folder (`pipec schemas pull` fills it)'],
  },
  'registry-timeout': {
    severity: 'error',
    message: (p) => `the schema registry did not answer ${p.url} in full within ${p.timeoutMs} ms${p.attempts > 1 ? ` on any of ${p.attempts} attempts (${seconds(p.elapsedMs)} in all, backoff included)` : ` (${seconds(p.elapsedMs)})`}`,
    hints: () => ['raise `registry.timeout_ms` in pipec.yaml if the registry is slow but healthy; it bounds each attempt, body included, and `registry.retries` sets how many attempts follow the first'],
  },
  'registry-response-too-large': {
    severity: 'error',
    message: (p) => `the schema registry's answer to ${p.url} is larger than ${p.limitBytes / (1024 * 1024)} MiB, more than any schema; pipec stopped reading it`,
    hints: () => ['check that `registry.url` points at the Confluent-compatible API of a schema registry, not at a proxy or a file server'],
  },
  'registry-auth-failed': {
    severity: 'error',
    message: (p) => `the schema registry refused ${p.url} (HTTP ${p.status}${p.status === 401 ? ' Unauthorized' : p.status === 403 ? ' Forbidden' : ''}): ${p.answer}`,
    hints: (p) => [
      p.auth === 'none'
        ? 'the registry wants credentials: set `registry.auth` in pipec.yaml (type: basic with username/password, or type: bearer with token), with values like `${env:SR_PASSWORD}`'
        : p.status === 403
          ? `the ${p.auth} credentials were accepted but may not read this subject; ask for read access to it`
          : `check the ${p.auth} credentials in \`registry.auth\` and the environment variables they name`,
    ],
  },
  'registry-request-failed': {
    severity: 'error',
    message: (p) => `the schema registry answered ${p.url} with HTTP ${p.status}${tries(p.attempts)}: ${p.answer}`,
    hints: (p) => [p.status >= 500 ? 'this is a server-side error; pipec retried with backoff, so check the registry\'s logs' : undefined],
  },
  'registry-malformed-response': {
    severity: 'error',
    message: (p) => `the schema registry answered ${p.url} (HTTP ${p.status}) with a body pipec cannot read: ${p.issue}`,
    hints: (p) => [p.excerpt ? `the body starts with: ${p.excerpt}` : undefined, 'check that `registry.url` points at the Confluent-compatible API (for Apicurio: …/apis/ccompat/v7), not at a proxy or a web page'],
  },
  'unknown-subject': {
    severity: 'error',
    message: (p) => `the schema registry has no subject ${q(p.subject)} (${p.url}: ${p.answer})`,
    hints: (p) => [didYouMean(p.candidates), 'with the default TopicNameStrategy the value subject of topic `t` is `t-value` and the key subject `t-key`'],
  },
  'unknown-subject-version': {
    severity: 'error',
    message: (p) => `subject ${q(p.subject)} has no version ${p.version} (${p.url}: ${p.answer})`,
    hints: (p) => [p.available.length > 0 ? `its versions are ${formatVersions(p.available)}` : undefined],
  },
  'registry-secret-missing': {
    severity: 'error',
    message: (p) => `\`${p.setting}\` refers to the environment variable ${q(p.name)}, which is not set`,
    hints: () => ['set it in the environment that runs pipec (CI secrets, a .env loader); pipec never prints its value'],
  },
  'registry-ca-unreadable': {
    severity: 'error',
    message: (p) => `cannot read the registry CA certificate ${p.path}: ${p.reason}`,
    hints: () => ['`registry.ca_file` is a PEM file, relative to pipec.yaml'],
  },
  'registry-url-invalid': {
    severity: 'error',
    message: (p) => `\`${p.setting}\` is not an http(s) URL once its environment variables are filled in`,
    hints: () => ['the variables must hold the whole URL or its parts, e.g. `${env:SR_URL}` = `https://registry.example.com/apis/ccompat/v7`; pipec never prints their values'],
  },
  'local-schema-not-found': {
    severity: 'error',
    message: (p) => `no schema for subject ${q(p.subject)} in ${p.folder}`,
    hints: (p) => [didYouMean(p.candidates), `the local folder holds <subject>.avsc, <subject>.json or <subject>.proto; \`pipec schemas pull\` copies them from the registry`],
  },
  'local-schema-ambiguous': {
    severity: 'error',
    message: (p) => `subject ${q(p.subject)} has more than one schema file: ${p.files.join(', ')}`,
    hints: () => ['keep exactly one of <subject>.avsc, <subject>.json and <subject>.proto'],
  },
  'local-schema-version-mismatch': {
    severity: 'error',
    message: (p) => `the pipeline asks for version ${p.wanted} of ${q(p.subject)}, but ${p.file} holds version ${p.found}`,
    hints: () => ['the local folder keeps one version per subject: pull the wanted version, or refer to `latest`'],
  },
  'local-meta-invalid': {
    severity: 'error',
    message: (p) => `${p.path} is not valid: ${p.issue}`,
    hints: () => ['see docs/schemas.md for the fields of <subject>.meta.yaml'],
  },
  'lockfile-invalid': {
    severity: 'error',
    message: (p) => `${p.path} is not a valid pipec lockfile: ${p.issue}`,
    hints: () => ['delete it and run `pipec compile` (without --frozen) to write a fresh one'],
  },
  'lock-subject-missing': {
    severity: 'error',
    message: (p) => `subject ${q(p.subject)} is not in ${p.lockfile}`,
    hints: () => ['run `pipec compile` without --frozen to lock it, and commit the lockfile'],
  },
  'lock-version-drift': {
    severity: 'error',
    message: (p) => `${p.lockfile} pins ${q(p.subject)} at version ${p.locked}, but the registry's latest is now version ${p.current}`,
    hints: () => ['review the new version, then run `pipec compile` without --frozen to update the lockfile'],
  },
  'lock-fingerprint-drift': {
    severity: 'error',
    message: (p) => `version ${p.version} of ${q(p.subject)} is not the schema ${p.lockfile} recorded (its fingerprint or id changed)`,
    hints: () => ['a subject version was deleted and registered again with other content; find out why before updating the lockfile'],
  },
  'schemas-write-failed': {
    severity: 'error',
    message: (p) => `cannot write ${p.path}: ${p.reason}`,
  },
  'sink-type-unsupported': {
    severity: 'error',
    message: (p) => `column ${q(p.field)} of type ${p.type} cannot be written to ${q(p.subject)} as ${p.format}: ${p.reason}`,
    hints: (p) => [p.fix],
  },
  'sink-name-invalid': {
    severity: 'error',
    message: (p) => `${q(p.name)} is not a valid ${p.format} name for ${q(p.subject)}: ${p.rule}`,
    hints: () => ['rename the column with `AS` in the pipeline'],
  },
  'sink-schema-type-changed': {
    severity: 'error',
    message: (p) => `subject ${q(p.subject)} holds ${p.registered} schemas, but the sink writes ${p.generated}`,
    hints: () => ['a subject keeps one schema type for life: write to a new topic, or use the subject\'s format'],
  },
  'sink-schema-incompatible': {
    severity: 'error',
    message: (p) => `the schema pipec would register for ${q(p.subject)} breaks ${p.level} compatibility with version ${p.version}: ${p.problem}`,
    hints: (p) => [p.rule],
  },
  'sink-schema-rejected-by-registry': {
    severity: 'error',
    message: (p) => `the schema registry says the schema pipec would register for ${q(p.subject)} is not ${p.level} compatible (${p.url}: ${p.answer})`,
  },
};

function formatExpected(expected: readonly string[]): string {
  if (expected.length === 0) return 'something else';
  if (expected.length === 1) return expected[0] ?? '';
  if (expected.length <= 6) return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
  return `${expected.slice(0, 5).join(', ')} or one of ${expected.length - 5} more`;
}

// ── schemas and the registry ── (helpers)
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function tries(attempts: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts)` : '';
}

function recordWord(schemaType: string): string {
  return schemaType === 'AVRO' ? 'an Avro record' : schemaType === 'PROTOBUF' ? 'a Protobuf message' : 'a JSON object with `properties`';
}

function formatVersions(versions: readonly number[]): string {
  if (versions.length <= 8) return versions.join(', ');
  return `${versions.slice(0, 3).join(', ')} … ${versions.slice(-3).join(', ')}`;
}
