/**
 * Schemas for a compile (edge: registry, files): resolve every subject the program reads or writes, once
 * each, from the registry (cached, pinned to pipec.lock) or from the local schema folder; check the lock
 * with --frozen; keep the lock current.
 */
import type { ResolvedConfig } from '../config/schema.ts';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import {
  checkFrozen,
  emptyCatalog,
  lockFromCatalog,
  openSchemaSource,
  pullSchemas as pullToFolder,
  readLock,
  registryConfigSchema,
  renderLock,
  resolveRegistryConfig,
  writeLock,
  type Catalog,
  type CatalogSubject,
  type SinkSubject,
  type ResolvedRegistryConfig,
  type SubjectRef,
} from '../schemas/index.ts';
import type { SchemaLookup } from '../semantic/catalog.ts';

export interface SchemaOptions {
  /** Read the local schema folder even when a registry is configured. */
  readonly offline: boolean;
  /** Fail when the registry no longer matches pipec.lock (CI). */
  readonly frozen: boolean;
}

export interface ResolvedSchemas {
  readonly catalog: Catalog;
  readonly lookup: SchemaLookup;
  readonly diagnostics: readonly Diagnostic[];
  /** The registry settings could not be resolved (a missing variable, an unreadable CA file): a configuration error. */
  readonly configurationError: boolean;
}

export function lookupOf(catalog: Catalog): SchemaLookup {
  // Indexed once: the checker and lowering look up every source and sink subject, and findSubject / findSink
  // scan the catalog, which made a repository with thousands of sinks quadratic. Same answers (first match).
  const subjects = new Map<string, CatalogSubject>();
  for (const s of catalog.subjects) if (!subjects.has(`${s.subject}\u0000${s.version}`)) subjects.set(`${s.subject}\u0000${s.version}`, s);
  const sinks = new Map<string, SinkSubject>();
  for (const s of catalog.sinks) if (!sinks.has(s.subject)) sinks.set(s.subject, s);
  return {
    get: (subject, version) => {
      const wanted = version === 'latest' ? catalog.latest[subject] : version;
      return wanted === undefined ? undefined : subjects.get(`${subject}\u0000${wanted}`);
    },
    sink: (subject) => sinks.get(subject),
  };
}

async function registryConfig(config: ResolvedConfig): Promise<{ ok: true; registry: ResolvedRegistryConfig } | { ok: false; diagnostics: readonly Diagnostic[] }> {
  const resolved = await resolveRegistryConfig(config.registry ?? registryConfigSchema.parse({}), { root: config.root, env: process.env, defaultFolder: config.schemas });
  return resolved.ok ? { ok: true, registry: resolved.config } : { ok: false, diagnostics: resolved.diagnostics };
}

export async function resolveSchemas(config: ResolvedConfig, refs: readonly SubjectRef[], options: SchemaOptions): Promise<ResolvedSchemas> {
  const failed = (diagnostics: readonly Diagnostic[], configurationError = false): ResolvedSchemas => {
    const catalog = emptyCatalog('none');
    return { catalog, lookup: lookupOf(catalog), diagnostics, configurationError };
  };
  const reg = await registryConfig(config);
  if (!reg.ok) return failed(reg.diagnostics, true);
  const usesRegistry = reg.registry.url !== undefined && !options.offline;
  const lockRead = await readLock(reg.registry.lockfile);
  if (!lockRead.ok) return failed(lockRead.diagnostics);
  const lock = lockRead.lock;
  if (options.frozen && !lock) {
    return failed([diagnostic('lockfile-missing', { path: 'pipec.lock' }, undefined)]);
  }
  // --frozen must see the registry as it is now, pinned versions included (a version number can be reused with
  // other content); otherwise `latest` is pinned to the lock and pinned versions come from the cache.
  const { source } = openSchemaSource(reg.registry, { offline: options.offline, lock: options.frozen || !usesRegistry ? undefined : lock, cache: options.frozen ? 'refresh' : true });
  const resolved = await source.resolve(refs);
  const diagnostics: Diagnostic[] = [...resolved.diagnostics];
  if (options.frozen && lock) diagnostics.push(...checkFrozen(resolved.catalog, lock, refs));
  if (usesRegistry && !options.frozen && !hasErrors(diagnostics)) {
    const next = lockFromCatalog(resolved.catalog);
    if (!lock || renderLock(lock) !== renderLock(next)) diagnostics.push(...(await writeLock(reg.registry.lockfile, next)));
  }
  return { catalog: resolved.catalog, lookup: lookupOf(resolved.catalog), diagnostics, configurationError: false };
}

export async function pullSchemas(config: ResolvedConfig, refs: readonly SubjectRef[]): Promise<{ written: readonly string[]; diagnostics: readonly Diagnostic[]; configurationError: boolean }> {
  const reg = await registryConfig(config);
  if (!reg.ok) return { written: [], diagnostics: reg.diagnostics, configurationError: true };
  if (reg.registry.url === undefined) return { written: [], diagnostics: [diagnostic('registry-not-configured', {}, undefined)], configurationError: true };
  const { source } = openSchemaSource(reg.registry, { cache: false });
  const resolved = await source.resolve(refs);
  if (hasErrors(resolved.diagnostics)) return { written: [], diagnostics: resolved.diagnostics, configurationError: false };
  const pulled = await pullToFolder(resolved.catalog, reg.registry.folder);
  return { written: pulled.written, diagnostics: [...resolved.diagnostics, ...pulled.diagnostics], configurationError: false };
}
