/**
 * The schema layer's public API (docs/schemas.md, docs/types.md).
 *
 * Driver (async edge):   resolveRegistryConfig → openSchemaSource → source.resolve(refs) → Catalog
 *                        readLock / writeLock / checkFrozen / pullSchemas
 * Checker (pure, sync):  findSubject / findSink, generateSinkSchema, checkSinkCompatibility
 */
import type { SchemaSource } from './catalog.ts';
import { createCachedStore } from './cache.ts';
import type { ResolvedRegistryConfig } from './config.ts';
import { createHttpRegistry } from './http-registry.ts';
import { createFolderStore } from './local-folder.ts';
import { createLockedSource, type Lockfile } from './lockfile.ts';
import { createSchemaSource } from './resolve.ts';
import type { SchemaStore } from './store.ts';

export * from './catalog.ts';
export { mapSchema } from './map-schema.ts';
export type { FieldNote, MappingContext, MappingResult } from './mapping.ts';
export { avroToRow } from './avro-to-row.ts';
export { jsonSchemaToRow, JSON_FORMAT_OPTIONS } from './json-schema-to-row.ts';
export { protobufToRow } from './protobuf-to-row.ts';
export { generateSinkSchema, type SinkSchemaRequest, type SinkSchemaResult } from './sink-schema.ts';
export { checkSinkCompatibility, compatibilityFindings, type CandidateSchema } from './compatibility.ts';
export { checkCompatibilityOnline } from './compatibility-online.ts';
export { registryConfigSchema, resolveRegistryConfig, secret, redactUrl, type RegistryConfig, type ResolvedRegistryConfig, type Secret } from './config.ts';
export { createHttpRegistry, type HttpRegistry, type HttpRegistryOptions, type SchemaPayload } from './http-registry.ts';
export { createFolderStore, subjectFileName } from './local-folder.ts';
export { createCachedStore } from './cache.ts';
export { createSchemaSource, resolveCatalog } from './resolve.ts';
export { checkFrozen, createLockedSource, lockFromCatalog, parseLock, pinToLock, readLock, renderLock, writeLock, type Lockfile } from './lockfile.ts';
export { pullSchemas, pullFiles } from './pull.ts';
export { fingerprint } from './fingerprint.ts';
export type { SchemaStore, StoreFailure } from './store.ts';

export interface OpenOptions {
  /** Read the local folder even when a registry URL is configured (`--offline`). */
  readonly offline?: boolean | undefined;
  /** A lockfile to pin `latest` to (not with `--frozen`, which must see the registry as it is). */
  readonly lock?: Lockfile | undefined;
  /** Serve pinned versions from `cacheDir` (default true for a registry); `refresh`: fetch them all and rewrite the cache (`--frozen`). */
  readonly cache?: boolean | 'refresh' | undefined;
}

/** The source a compile resolves with: registry (cached) or folder, pinned to the lock if given. */
export function openSchemaSource(config: ResolvedRegistryConfig, options: OpenOptions = {}): { readonly source: SchemaSource; readonly store: SchemaStore } {
  let store: SchemaStore;
  if (config.url === undefined || options.offline === true) {
    store = createFolderStore(config.folder, { defaultCompatibility: config.defaultCompatibility });
  } else {
    const http = createHttpRegistry({ url: config.url, auth: config.auth, ca: config.ca, timeoutMs: config.timeoutMs, retries: config.retries, concurrency: config.concurrency });
    store = options.cache === false ? http : createCachedStore(http, config.cacheDir, { refresh: options.cache === 'refresh' });
  }
  const plain = createSchemaSource(store, { defaultCompatibility: config.defaultCompatibility });
  return { store, source: options.lock ? createLockedSource(plain, options.lock) : plain };
}
