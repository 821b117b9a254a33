/**
 * A record's own entry, or undefined. Names from user input (`--env constructor`, `via connection toString`)
 * must not find what every object inherits.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
