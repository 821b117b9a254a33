/**
 * Refs → Catalog, on top of any SchemaStore (registry, folder, cache). The only async step between the
 * parser and the checker: it fetches what the program names, follows schema references, maps every
 * subject to Flink columns, and returns a plain snapshot plus diagnostics at the refs' spans.
 *
 * - read refs: the version asked for (or `latest`), its references recursively, then the mapping;
 * - write refs (sinks): every registered version and the compatibility level, for sink-compatibility
 *   checks; a subject that does not exist yet is fine (the first registration creates it);
 * - a failure about the connection (registry down, 401, 500, timeout, malformed body) is reported once,
 *   not once per subject; "unknown subject" gets did-you-mean candidates from one `GET /subjects`.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import type { Span } from '../source/source.ts';
import {
  compareSubjectVersion,
  DEFAULT_COMPATIBILITY,
  type Catalog,
  type CatalogSubject,
  type CompatibilityLevel,
  type RegisteredSchema,
  type ResolveResult,
  type SchemaSource,
  type SinkSubject,
  type SubjectRef,
} from './catalog.ts';
import { fingerprint } from './fingerprint.ts';
import { mapSchema } from './map-schema.ts';
import { referencesOf, schemaKey } from './references.ts';
import { failureDiagnostic, isConnectionFailure, type SchemaStore, type StoreFailure } from './store.ts';

export interface ResolveOptions {
  /** When neither the subject nor the registry has a level. */
  readonly defaultCompatibility?: CompatibilityLevel | undefined;
}

export function createSchemaSource(store: SchemaStore, options: ResolveOptions = {}): SchemaSource & { readonly store: SchemaStore } {
  return { store, resolve: (refs) => resolveCatalog(store, refs, options) };
}

export async function resolveCatalog(store: SchemaStore, refs: readonly SubjectRef[], options: ResolveOptions = {}): Promise<ResolveResult> {
  const diagnostics: Diagnostic[] = [];
  const connectionReported = new Set<string>();
  const loading = new Map<string, Promise<RegisteredSchema | undefined>>();
  const pool = new Map<string, RegisteredSchema>();

  const report = async (failure: StoreFailure, subject: string, version: number | 'latest' | undefined, span: Span | undefined): Promise<void> => {
    if (isConnectionFailure(failure)) {
      const key = `${failure.kind}|${'status' in failure ? failure.status : ''}`;
      if (connectionReported.has(key)) return;
      connectionReported.add(key);
    }
    let candidates: readonly string[] = [];
    let available: readonly number[] = [];
    if (failure.kind === 'not-found' && failure.what === 'subject') {
      const all = await store.listSubjects();
      candidates = all.ok ? suggestionList(subject, all.value) : [];
    } else if (failure.kind === 'not-found' && failure.what === 'version') {
      const versions = await store.listVersions(subject);
      available = versions.ok ? versions.value : [];
    }
    diagnostics.push(failureDiagnostic(failure, { subject, version, candidates, available }, store.auth, span));
  };

  /** Fetches a pinned version once, with everything it references; undefined when something failed. */
  const load = (subject: string, version: number, span: Span | undefined, chain: readonly string[]): Promise<RegisteredSchema | undefined> => {
    const key = schemaKey(subject, version);
    const existing = loading.get(key);
    if (existing) return existing;
    const promise = (async () => {
      const result = await store.getVersion(subject, version);
      if (!result.ok) {
        await report(result.failure, subject, version, span);
        return undefined;
      }
      return (await loadReferences(result.value, span, [...chain, key])) ? result.value : undefined;
    })();
    loading.set(key, promise);
    return promise;
  };

  const loadReferences = async (schema: RegisteredSchema, span: Span | undefined, chain: readonly string[]): Promise<boolean> => {
    pool.set(schemaKey(schema.subject, schema.version), schema);
    const results = await Promise.all(
      schema.references.map((ref) => (chain.includes(schemaKey(ref.subject, ref.version)) ? Promise.resolve(true) : load(ref.subject, ref.version, span, chain).then((r) => r !== undefined))),
    );
    return results.every(Boolean);
  };

  const latest: Record<string, number> = {};
  const subjects: CatalogSubject[] = [];
  const sinks: SinkSubject[] = [];

  const resolveRead = async (ref: SubjectRef): Promise<void> => {
    const result = await store.getVersion(ref.subject, ref.version);
    if (!result.ok) return report(result.failure, ref.subject, ref.version, ref.span);
    const schema = result.value;
    if (ref.version === 'latest') latest[ref.subject] = schema.version;
    const key = schemaKey(schema.subject, schema.version);
    if (!loading.has(key)) loading.set(key, Promise.resolve(schema));
    if (!(await loadReferences(schema, ref.span, [key]))) return;
    const mapped = mapSchema(schema.schemaType, schema.schema, referencesOf(schema, [...pool.values()]), { subject: ref.subject, span: ref.span });
    diagnostics.push(...mapped.diagnostics);
    if (!mapped.ok) return;
    if (subjects.some((s) => s.subject === schema.subject && s.version === schema.version)) return;
    subjects.push({
      ...schema,
      fingerprint: fingerprint(schema.schemaType, schema.schema, schema.references),
      row: mapped.row,
      ...(mapped.recordName === undefined ? {} : { recordName: mapped.recordName }),
      ...(mapped.flinkSchema === undefined ? {} : { flinkSchema: mapped.flinkSchema }),
      ...(mapped.notes.length === 0 ? {} : { notes: mapped.notes }),
    });
  };

  const resolveWrite = async (ref: SubjectRef): Promise<void> => {
    const listed = await store.listVersions(ref.subject);
    if (!listed.ok && listed.failure.kind !== 'not-found') return report(listed.failure, ref.subject, undefined, ref.span);
    const numbers = listed.ok ? listed.value : [];
    const versions = await Promise.all(numbers.map((v) => load(ref.subject, v, ref.span, [])));
    if (versions.some((v) => v === undefined)) return;
    const level = await store.getCompatibility(ref.subject);
    if (!level.ok) return report(level.failure, ref.subject, undefined, ref.span);
    const present = versions.filter((v): v is RegisteredSchema => v !== undefined).sort(compareSubjectVersion);
    const referenced = [...new Map(present.flatMap((v) => referencesOf(v, [...pool.values()])).map((r) => [schemaKey(r.subject, r.version), pool.get(schemaKey(r.subject, r.version))] as const)).values()].filter(
      (s): s is RegisteredSchema => s !== undefined,
    );
    sinks.push({
      subject: ref.subject,
      exists: present.length > 0,
      compatibility: level.value ?? options.defaultCompatibility ?? DEFAULT_COMPATIBILITY,
      versions: present,
      referenced: referenced.sort(compareSubjectVersion),
    });
  };

  const reads = uniqueBy(refs.filter((r) => r.purpose !== 'write'), (r) => `${r.subject}\u0000${r.version}`);
  const writes = uniqueBy(refs.filter((r) => r.purpose === 'write'), (r) => r.subject);
  await Promise.all([...reads.map(resolveRead), ...writes.map(resolveWrite)]);

  const inSubjects = new Set(subjects.map((s) => schemaKey(s.subject, s.version)));
  const referenced = [...pool.values()]
    .filter((s) => !inSubjects.has(schemaKey(s.subject, s.version)) && !sinks.some((k) => k.subject === s.subject))
    .map((s) => ({ ...s, fingerprint: fingerprint(s.schemaType, s.schema, s.references) }))
    .sort(compareSubjectVersion);
  const catalog: Catalog = {
    format: 1,
    source: store.location,
    subjects: subjects.sort(compareSubjectVersion),
    latest: Object.fromEntries(Object.entries(latest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    referenced,
    sinks: sinks.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0)),
  };
  return { catalog, diagnostics };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
