/** Where a path lies relative to another (lexically: resolve symbolic links first where they matter). */
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** `inner` is `outer` itself or lies inside it. */
export function isSameOrInside(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** `inner` lies inside `outer` (and is not `outer` itself). */
export function isInside(inner: string, outer: string): boolean {
  return inner !== outer && path.relative(outer, inner) !== '' && isSameOrInside(inner, outer);
}

/** The path with every symbolic link resolved, also when its last parts do not exist yet. */
export async function realPathOf(p: string): Promise<string> {
  const absolute = path.resolve(p);
  const missing: string[] = [];
  for (let at = absolute; ; at = path.dirname(at)) {
    try {
      return path.join(await realpath(at), ...missing.reverse());
    } catch {
      if (path.dirname(at) === at) return absolute;
      missing.push(path.basename(at));
    }
  }
}
