/** Schema references: from a schema's `references` list to the texts the mappers need, dependencies first. */
import type { RegisteredSchema, ResolvedReference } from './catalog.ts';

export function schemaKey(subject: string, version: number): string {
  return `${subject}\u0000${version}`;
}

/**
 * Every schema `root` references, directly or not, dependencies first (a depth-first post-order, which is
 * the order avsc and protobufjs need). References missing from `pool` are skipped: the resolver has already
 * reported them.
 */
export function referencesOf(root: RegisteredSchema, pool: readonly RegisteredSchema[]): ResolvedReference[] {
  const byKey = new Map(pool.map((s) => [schemaKey(s.subject, s.version), s] as const));
  const out: ResolvedReference[] = [];
  const done = new Set<string>();
  const visit = (schema: RegisteredSchema, stack: readonly string[]): void => {
    for (const ref of schema.references) {
      const key = schemaKey(ref.subject, ref.version);
      if (done.has(key) || stack.includes(key)) continue;
      const target = byKey.get(key);
      if (!target) continue;
      visit(target, [...stack, key]);
      if (done.has(key)) continue;
      done.add(key);
      out.push({ name: ref.name, subject: ref.subject, version: ref.version, schemaType: target.schemaType, schema: target.schema });
    }
  };
  visit(root, [schemaKey(root.subject, root.version)]);
  return out;
}
