/**
 * An on-disk cache of pinned subject versions in front of another store (edge: file I/O).
 *
 * A registry never changes what a subject version holds (a deleted version number is not reused), so a
 * pinned version fetched once can be served from disk. Together with the lockfile, which turns `latest`
 * into pinned versions, a warm cache resolves a whole project without a single request. `latest`, version
 * lists, levels and subject lists always go to the inner store. Entries are kept per registry URL, and
 * `--frozen` still compares fingerprints, so a registry that did reuse a version number is caught there.
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

export function createCachedStore(inner: SchemaStore, cacheDir: string): CachedStore {
  const dir = path.join(cacheDir, createHash('sha256').update(inner.location).digest('hex').slice(0, 16));
  let hits = 0;
  const fileOf = (subject: string, version: number): string => path.join(dir, subjectFileName(subject), `${version}.json`);
  return {
    location: inner.location,
    auth: inner.auth,
    async getVersion(subject, version) {
      if (version === 'latest') return inner.getVersion(subject, version);
      const file = fileOf(subject, version);
      try {
        const parsed = entrySchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
        if (parsed.success && parsed.data.subject === subject && parsed.data.version === version) {
          hits++;
          return fetched(parsed.data);
        }
      } catch {
        // A miss or a damaged entry: fetch and rewrite it.
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
