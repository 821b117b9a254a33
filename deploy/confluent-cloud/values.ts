/**
 * The references in a build's connector configs, filled with the values a Confluent Cloud deploy is given: a
 * managed connector has no config providers, so `${env:LOANS_DB_PASSWORD}` (which a self-managed worker
 * resolves) is filled from the value named `env:LOANS_DB_PASSWORD`, and `${pipec:NAME}` from `NAME`, as in
 * the self-managed flavour. Pure.
 */
const REFERENCE = /\$\{((?:env|file|dir):[^}]+|pipec:[A-Za-z0-9_.\-]+)\}/g;

/** The value names a text needs: `env:NAME` for a config-provider reference, `NAME` for `${pipec:NAME}`. */
export function referencesIn(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((m) => valueName(m[1] ?? '')))].sort();
}

/** Replaces every reference that has a value; others stay as they are (the caller reports them first). */
export function fillReferences(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(REFERENCE, (whole, ref: string) => values[valueName(ref)] ?? whole);
}

function valueName(ref: string): string {
  return ref.startsWith('pipec:') ? ref.slice('pipec:'.length) : ref;
}
