/**
 * `pipec.lock`: what each subject resolved to, so builds are repeatable and drift is visible in review.
 *
 *   lockfileVersion: 1
 *   subjects:
 *     orders-value: { version: 3, id: 12, schemaType: AVRO, fingerprint: "sha256:…" }
 *
 * - `pipec compile` reads the lock and resolves `latest` refs at their locked versions
 *   (createLockedSource): with a warm schema cache (cache.ts) that is no request at all. Subjects not in the
 *   lock resolve as usual, and the lock is rewritten with them.
 * - `pipec compile --frozen` resolves against the registry as it is now and fails on any difference
 *   (checkFrozen): a subject missing from the lock, a newer latest version, or a locked version whose
 *   content (fingerprint or id) changed.
 * Sink subjects are not locked: their latest version moves whenever a pipeline registers a new schema.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeTextAtomic } from '../util/write-atomic.ts';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { describeIssue, issueSentence } from '../diagnostics/validation-issues.ts';
import { wholeFile } from '../source/source.ts';
import { SCHEMA_TYPES, type Catalog, type SchemaSource, type SubjectRef } from './catalog.ts';

const lockEntrySchema = z
  .object({
    version: z.number().int().positive(),
    id: z.number().int().nullable(),
    schemaType: z.enum(SCHEMA_TYPES),
    fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  })
  .strict();

export const lockfileSchema = z
  .object({
    lockfileVersion: z.literal(1),
    subjects: z.record(z.string(), lockEntrySchema),
  })
  .strict();

export type LockEntry = z.infer<typeof lockEntrySchema>;
export type Lockfile = z.infer<typeof lockfileSchema>;

const HEADER = '# pipec.lock: the schema versions this project compiles against. Written by pipec; commit it.\n';

/** Every subject read, directly or through references, at the version this catalog resolved. */
export function lockFromCatalog(catalog: Catalog): Lockfile {
  const entries: [string, LockEntry][] = [];
  for (const s of [...catalog.subjects, ...catalog.referenced]) {
    const entry: LockEntry = { version: s.version, id: s.id, schemaType: s.schemaType, fingerprint: s.fingerprint };
    const existing = entries.find(([subject]) => subject === s.subject);
    // One entry per subject: what `latest` meant wins, else the highest version used.
    if (existing === undefined) entries.push([s.subject, entry]);
    else if (catalog.latest[s.subject] === s.version || (catalog.latest[s.subject] === undefined && s.version > existing[1].version)) existing[1] = entry;
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { lockfileVersion: 1, subjects: Object.fromEntries(entries) };
}

export function renderLock(lock: Lockfile): string {
  return HEADER + stringifyYaml(lock, { lineWidth: 0 });
}

export type ParseLockResult = { readonly ok: true; readonly lock: Lockfile } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function parseLock(text: string, displayPath: string): ParseLockResult {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return { ok: false, diagnostics: [diagnostic('lockfile-invalid', { path: displayPath, issue: e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e) }, wholeFile(displayPath))] };
  }
  const parsed = lockfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const described = issue ? issueSentence(describeIssue(issue, raw, { noun: 'field' })) : 'unexpected shape';
    return { ok: false, diagnostics: [diagnostic('lockfile-invalid', { path: displayPath, issue: described }, wholeFile(displayPath))] };
  }
  return { ok: true, lock: parsed.data };
}

/** Edge. A missing lockfile is not an error: `lock` is undefined. */
export async function readLock(file: string, displayPath = path.basename(file)): Promise<{ readonly ok: true; readonly lock: Lockfile | undefined } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, lock: undefined };
    return { ok: false, diagnostics: [diagnostic('file-unreadable', { path: displayPath, reason: e instanceof Error ? e.message : String(e) }, undefined)] };
  }
  return parseLock(text, displayPath);
}

/** Edge. Atomic: written to a temporary file, then renamed over the old one. */
export async function writeLock(file: string, lock: Lockfile): Promise<readonly Diagnostic[]> {
  return writeFileAtomic(file, renderLock(lock));
}

export async function writeFileAtomic(file: string, text: string): Promise<readonly Diagnostic[]> {
  try {
    await writeTextAtomic(file, text);
    return [];
  } catch (e) {
    return [diagnostic('schemas-write-failed', { path: file, reason: e instanceof Error ? e.message : String(e) }, undefined)];
  }
}

/**
 * `--frozen`: the catalog resolved against the registry *now* must match the lock. One diagnostic per
 * drifted subject, at the span of a ref that uses it.
 */
export function checkFrozen(catalog: Catalog, lock: Lockfile, refs: readonly SubjectRef[], lockfileName = 'pipec.lock'): Diagnostic[] {
  const spanOf = (subject: string): SubjectRef['span'] => refs.find((r) => r.subject === subject && r.purpose !== 'write')?.span;
  const all = [...catalog.subjects, ...catalog.referenced];
  const out: Diagnostic[] = [];
  for (const subject of [...new Set(all.map((s) => s.subject))].sort()) {
    const locked = lock.subjects[subject];
    if (!locked) {
      out.push(diagnostic('lock-subject-missing', { subject, lockfile: lockfileName }, spanOf(subject)));
      continue;
    }
    // Only `latest` can move; a pinned version (in a ref or a schema reference) is what it says.
    const latest = catalog.latest[subject];
    if (latest !== undefined && latest !== locked.version) {
      out.push(diagnostic('lock-version-drift', { subject, locked: locked.version, current: latest, lockfile: lockfileName }, spanOf(subject)));
      continue;
    }
    const same = all.find((s) => s.subject === subject && s.version === locked.version);
    if (same && (same.fingerprint !== locked.fingerprint || (locked.id !== null && same.id !== null && same.id !== locked.id))) {
      out.push(diagnostic('lock-fingerprint-drift', { subject, version: locked.version, lockfile: lockfileName }, spanOf(subject)));
    }
  }
  return out;
}

/** Refs with `latest` replaced by the locked version, where the lock has the subject. */
export function pinToLock(refs: readonly SubjectRef[], lock: Lockfile): SubjectRef[] {
  return refs.map((r) => {
    const locked = lock.subjects[r.subject];
    return r.version === 'latest' && r.purpose !== 'write' && locked ? { ...r, version: locked.version } : r;
  });
}

/**
 * A source that reads `latest` as "the locked version": no latest lookups for locked subjects. The catalog
 * it returns still answers `findSubject(catalog, s, 'latest')` with the locked version.
 */
export function createLockedSource(inner: SchemaSource, lock: Lockfile): SchemaSource {
  return {
    async resolve(refs) {
      const pinned = pinToLock(refs, lock);
      const result = await inner.resolve(pinned);
      const latest: Record<string, number> = { ...result.catalog.latest };
      refs.forEach((r, i) => {
        const p = pinned[i];
        if (r.version === 'latest' && p && p.version !== 'latest' && result.catalog.subjects.some((s) => s.subject === r.subject && s.version === p.version)) latest[r.subject] = p.version;
      });
      const sorted = Object.fromEntries(Object.entries(latest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      return { ...result, catalog: { ...result.catalog, latest: sorted } };
    },
  };
}
