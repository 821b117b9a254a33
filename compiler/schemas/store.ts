/**
 * Raw access to where schemas live, one subject version at a time. The HTTP registry, the local folder and
 * the on-disk cache implement it; resolve.ts turns refs into a Catalog on top of any of them.
 * Failures are values, turned into diagnostics by `failureDiagnostic` with the span of the ref that needed
 * the request.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Span } from '../source/source.ts';
import { assertNever } from '../util/invariant.ts';
import type { CompatibilityLevel, RegisteredSchema } from './catalog.ts';

export type StoreFailure =
  /** HTTP 404: no such subject (40401) or version (40402). */
  | { readonly kind: 'not-found'; readonly what: 'subject' | 'version'; readonly url: string; readonly answer: string }
  | { readonly kind: 'auth'; readonly url: string; readonly status: number; readonly answer: string }
  | { readonly kind: 'http'; readonly url: string; readonly status: number; readonly answer: string; readonly attempts: number }
  /** No complete answer within `timeoutMs` on any attempt; `elapsedMs` is the whole wait, backoff included. */
  | { readonly kind: 'timeout'; readonly url: string; readonly timeoutMs: number; readonly attempts: number; readonly elapsedMs: number }
  | { readonly kind: 'too-large'; readonly url: string; readonly limitBytes: number }
  | { readonly kind: 'network'; readonly url: string; readonly reason: string; readonly attempts: number }
  | { readonly kind: 'malformed'; readonly url: string; readonly status: number; readonly issue: string; readonly excerpt: string }
  | { readonly kind: 'local-missing'; readonly folder: string; readonly candidates: readonly string[] }
  | { readonly kind: 'local-ambiguous'; readonly files: readonly string[] }
  | { readonly kind: 'local-version'; readonly wanted: number; readonly found: number; readonly file: string }
  | { readonly kind: 'local-invalid'; readonly path: string; readonly issue: string }
  | { readonly kind: 'io'; readonly path: string; readonly reason: string };

export type Fetched<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: StoreFailure };

export interface SchemaStore {
  /** For messages: the registry URL, or `folder <path>`. */
  readonly location: string;
  /** How auth is configured, for the hint on a 401. */
  readonly auth: 'none' | 'basic' | 'bearer';
  getVersion(subject: string, version: number | 'latest'): Promise<Fetched<RegisteredSchema>>;
  /** Ascending; `not-found` when the subject does not exist. */
  listVersions(subject: string): Promise<Fetched<readonly number[]>>;
  /** The subject's level, else the registry's global one, else undefined. */
  getCompatibility(subject: string): Promise<Fetched<CompatibilityLevel | undefined>>;
  listSubjects(): Promise<Fetched<readonly string[]>>;
}

export function fetched<T>(value: T): Fetched<T> {
  return { ok: true, value };
}

export function failed<T>(failure: StoreFailure): Fetched<T> {
  return { ok: false, failure };
}

/** The diagnostic for a failed request made for `subject` (and `version`, when one was asked for). */
export function failureDiagnostic(
  failure: StoreFailure,
  request: { readonly subject: string; readonly version?: number | 'latest' | undefined; readonly candidates?: readonly string[]; readonly available?: readonly number[] },
  auth: SchemaStore['auth'],
  span: Span | undefined,
): Diagnostic {
  switch (failure.kind) {
    case 'not-found':
      return failure.what === 'version' && request.version !== undefined
        ? diagnostic('unknown-subject-version', { subject: request.subject, version: String(request.version), url: failure.url, answer: failure.answer, available: request.available ?? [] }, span)
        : diagnostic('unknown-subject', { subject: request.subject, url: failure.url, answer: failure.answer, candidates: request.candidates ?? [] }, span);
    case 'auth':
      return diagnostic('registry-auth-failed', { url: failure.url, status: failure.status, answer: failure.answer, auth }, span);
    case 'http':
      return diagnostic('registry-request-failed', { url: failure.url, status: failure.status, answer: failure.answer, attempts: failure.attempts }, span);
    case 'timeout':
      return diagnostic('registry-timeout', { url: failure.url, timeoutMs: failure.timeoutMs, attempts: failure.attempts, elapsedMs: failure.elapsedMs }, span);
    case 'too-large':
      return diagnostic('registry-response-too-large', { url: failure.url, limitBytes: failure.limitBytes }, span);
    case 'network':
      return diagnostic('registry-unreachable', { url: failure.url, reason: failure.reason, attempts: failure.attempts }, span);
    case 'malformed':
      return diagnostic('registry-malformed-response', { url: failure.url, status: failure.status, issue: failure.issue, excerpt: failure.excerpt }, span);
    case 'local-missing':
      return diagnostic('local-schema-not-found', { subject: request.subject, folder: failure.folder, candidates: failure.candidates }, span);
    case 'local-ambiguous':
      return diagnostic('local-schema-ambiguous', { subject: request.subject, files: failure.files }, span);
    case 'local-version':
      return diagnostic('local-schema-version-mismatch', { subject: request.subject, wanted: failure.wanted, found: failure.found, file: failure.file }, span);
    case 'local-invalid':
      return diagnostic('local-meta-invalid', { path: failure.path, issue: failure.issue }, span);
    case 'io':
      return diagnostic('file-unreadable', { path: failure.path, reason: failure.reason }, span);
    default:
      return assertNever(failure, 'store failure');
  }
}

/** Failures that are about the connection, not the subject: reported once per run, not once per subject. */
export function isConnectionFailure(failure: StoreFailure): boolean {
  return failure.kind === 'auth' || failure.kind === 'http' || failure.kind === 'timeout' || failure.kind === 'network' || failure.kind === 'malformed' || failure.kind === 'too-large';
}
