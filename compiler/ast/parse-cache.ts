/**
 * Parsing once per file content, for re-checks in watch mode: a file whose text has not changed since it was
 * last parsed gets its previous ParsedFile back. That is exact, not a heuristic: parsing depends on nothing
 * but the file's path and text, and a ParsedFile is never mutated.
 */
import type { SourceFile } from '../source/source.ts';
import { parse, type ParsedFile } from './parse.ts';

export interface ParseCache {
  parse(source: SourceFile): ParsedFile;
  /** Files parsed and files served from the cache, since the cache was made. */
  stats(): { readonly parsed: number; readonly reused: number };
}

export function createParseCache(): ParseCache {
  const byPath = new Map<string, ParsedFile>();
  let parsed = 0;
  let reused = 0;
  return {
    parse(source) {
      const cached = byPath.get(source.path);
      // Comparing the texts costs less than hashing them, and cannot collide.
      if (cached !== undefined && cached.source.text === source.text) {
        reused++;
        return cached;
      }
      const fresh = parse(source);
      byPath.set(source.path, fresh);
      parsed++;
      return fresh;
    },
    stats: () => ({ parsed, reused }),
  };
}
