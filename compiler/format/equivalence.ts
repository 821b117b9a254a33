/**
 * Whether two parses of a file say the same thing, whatever their layout: equal ASTs ignoring spans and
 * identifier quoting (the formatter quotes a name only when it must), and the same comments in the same
 * order. The formatter's safety net and its tests use this.
 */
import type { ParsedFile } from '../ast/parse.ts';

/** Keys that carry layout, not meaning. */
const LAYOUT_KEYS: ReadonlySet<string> = new Set(['span', 'quoted']);

/** A description of the first difference, or undefined when the two files are equivalent. */
export function differenceModuloLayout(a: ParsedFile, b: ParsedFile): string | undefined {
  const commentsA = commentTexts(a);
  const commentsB = commentTexts(b);
  if (commentsA.length !== commentsB.length) return `${commentsA.length} comments became ${commentsB.length}`;
  const changed = commentsA.findIndex((c, i) => c !== commentsB[i]);
  if (changed >= 0) return `comment ${changed + 1} changed: ${JSON.stringify(commentsA[changed])} → ${JSON.stringify(commentsB[changed])}`;
  return astDifference(a.ast, b.ast);
}

export function commentTexts(parsed: ParsedFile): string[] {
  return parsed.comments.map((c) => (c.image.startsWith('--') ? c.image.replace(/\r$/, '') : c.image));
}

/**
 * Structural comparison with an explicit stack: a generated file can hold a left-deep chain of thousands
 * of operators, deeper than recursion allows.
 */
export function astDifference(a: unknown, b: unknown): string | undefined {
  const stack: { a: unknown; b: unknown; path: string }[] = [{ a, b, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { a: x, b: y, path } = item;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return `${path || '(root)'}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return `${path}: array ≠ object`;
    const keysX = Object.keys(x).filter((k) => !LAYOUT_KEYS.has(k) && (x as Record<string, unknown>)[k] !== undefined);
    const keysY = Object.keys(y).filter((k) => !LAYOUT_KEYS.has(k) && (y as Record<string, unknown>)[k] !== undefined);
    if (keysX.length !== keysY.length) return `${path}: keys ${keysX.join(',')} ≠ ${keysY.join(',')}`;
    for (const k of keysX) {
      if (!Object.hasOwn(y, k)) return `${path}.${k}: missing`;
      stack.push({ a: (x as Record<string, unknown>)[k], b: (y as Record<string, unknown>)[k], path: `${path}.${k}` });
    }
  }
  return undefined;
}
