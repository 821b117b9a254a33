/**
 * Fingerprints for the lockfile and the schema cache: `sha256:<hex>` of a canonical text.
 *
 * Canonical text: Avro and JSON Schema are parsed and re-printed with sorted keys and no whitespace, so
 * formatting does not count but every attribute does (Avro's Parsing Canonical Form would drop
 * `logicalType`, `default` and `doc`, and a logical type change is a real change for Flink). Protobuf text is
 * compared with line endings and trailing blanks normalised. The references (name → subject@version) are
 * part of the input: the same text pointing at another version is another schema.
 */
import { createHash } from 'node:crypto';
import type { SchemaReference, SchemaType } from './catalog.ts';

export function canonicalSchema(schemaType: SchemaType, schema: string): string {
  switch (schemaType) {
    case 'AVRO':
    case 'JSON': {
      try {
        return stableStringify(JSON.parse(schema));
      } catch {
        return schema.trim();
      }
    }
    case 'PROTOBUF':
      return schema
        .replaceAll('\r\n', '\n')
        .split('\n')
        .map((line) => line.trimEnd())
        .join('\n')
        .trim();
  }
}

export function fingerprint(schemaType: SchemaType, schema: string, references: readonly SchemaReference[]): string {
  const refs = [...references]
    .map((r) => `${r.name}=${r.subject}@${r.version}`)
    .sort()
    .join('\n');
  const input = `${schemaType}\n${canonicalSchema(schemaType, schema)}\n${refs}`;
  return `sha256:${createHash('sha256').update(input, 'utf8').digest('hex')}`;
}

/** JSON with object keys sorted at every level; arrays keep their order. */
export function stableStringify(value: unknown): string {
  // Written with string appends rather than map/join: it hashes every manifest item of a compile.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + stableStringify(value[i]);
    return `${out}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    // The default sort orders by UTF-16 code units, as `<` does.
    const keys = Object.keys(record).sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) out += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${stableStringify(record[keys[i] ?? ''])}`;
    return `${out}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
