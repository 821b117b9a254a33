/**
 * An on-disk cache of pinned subject versions in front of another store (edge: file I/O).
 *
 * A registry never changes what a subject version holds (a deleted version number is not reused), so a
 * pinned version fetched once can be served from disk. Together with the lockfile, which turns `latest`
 * into pinned versions, a warm cache resolves a whole project without a single request. `latest`, version
 * lists, levels and subject lists always go to the inner store. Entries are kept per registry URL.
 * A registry that did reuse a version number (deleted, then registered other content) would be hidden by a
 * warm cache, so `--frozen` opens it with `refresh`: every version is fetched, compared with the lock, and
 * written back, which also corrects the cache for the runs after it.
 *
 *   <cache_dir>/<sha256(registry url) prefix>/<subject file name>/<version>.json
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SCHEMA_TYPES } from './catalog.ts';
import { subjectFileName } from './local-folder.ts';
import { fetched, type SchemaStore } from './store.ts';

const entrySchema = z.object({
  subject: z.string(),
  version: z.number().int().positive(),
  id: z.number().int().nullable(),
  schemaType: z.enum(SCHEMA_TYPES),
  schema: z.string(),
  references: z.array(z.object({ name: z.string(), subject: z.string(), version: z.number().int() })),
});

export interface CachedStore extends SchemaStore {
  /** Versions served from disk in this run. */
  hits(): number;
}

export interface CacheOptions {
  /** Fetch every version from the inner store and rewrite its entry, never reading one. */
  readonly refresh?: boolean | undefined;
}

export function createCachedStore(inner: SchemaStore, cacheDir: string, options: CacheOptions = {}): CachedStore {
  const dir = path.join(cacheDir, createHash('sha256').update(inner.location).digest('hex').slice(0, 16));
  let hits = 0;
  const fileOf = (subject: string, version: number): string => path.join(dir, subjectFileName(subject), `${version}.json`);
  return {
    location: inner.location,
    auth: inner.auth,
    async getVersion(subject, version) {
      if (version === 'latest') return inner.getVersion(subject, version);
      const file = fileOf(subject, version);
      const cached = options.refresh ? undefined : await readEntry(file, subject, version);
      if (cached) {
        hits++;
        return fetched(cached);
      }
      const result = await inner.getVersion(subject, version);
      if (result.ok) {
        const tmp = `${file}.${process.pid}.tmp`;
        try {
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(tmp, JSON.stringify(result.value), 'utf8');
          await rename(tmp, file);
        } catch {
          // The cache is an optimisation; failing to fill it is not an error.
        }
      }
      return result;
    },
    listVersions: (subject) => inner.listVersions(subject),
    getCompatibility: (subject) => inner.getCompatibility(subject),
    listSubjects: () => inner.listSubjects(),
    hits: () => hits,
  };
}

/** The cached entry, or undefined for a miss or a damaged entry (which is then fetched and rewritten). */
async function readEntry(file: string, subject: string, version: number): Promise<z.infer<typeof entrySchema> | undefined> {
  try {
    const parsed = entrySchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success && parsed.data.subject === subject && parsed.data.version === version ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
