/**
 * The schema layer's data: what a schema source returns and what the checker reads.
 * Everything here is plain JSON-able data (no Map, no class), so a catalog can be cached, printed with
 * `pipec debug catalog` and loaded from a YAML fixture in tests.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Span } from '../source/source.ts';
import type { RowField } from '../types/types.ts';
import type { FieldNote } from './mapping.ts';
import type { CompatibilityLevel, SchemaReference, SchemaType } from '../../clients/schema-registry-api.ts';

export { COMPATIBILITY_LEVELS, SCHEMA_TYPES, type CompatibilityLevel, type SchemaReference, type SchemaType } from '../../clients/schema-registry-api.ts';

/** Confluent's default when neither the subject nor the registry sets a level. */
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

/** One subject version as a registry (or the local folder) holds it. */
export interface RegisteredSchema {
  readonly subject: string;
  readonly version: number;
  /** The registry's global schema id; null for schemas read from the local folder. */
  readonly id: number | null;
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

/** A referenced schema with its text, as the mappers need it. */
export interface ResolvedReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
  readonly schemaType: SchemaType;
  readonly schema: string;
}

/** What a `.pipe` file asks for. `purpose: 'write'` marks a sink subject: its history and level are fetched too. */
export interface SubjectRef {
  readonly subject: string;
  readonly version: number | 'latest';
  readonly span?: Span | undefined;
  readonly purpose?: 'read' | 'write' | undefined;
}

/** A subject a pipeline reads, mapped to Flink columns. */
export interface CatalogSubject extends RegisteredSchema {
  /** `sha256:<hex>` of the canonical schema and its references (see fingerprint.ts). */
  readonly fingerprint: string;
  /** The columns Flink's format yields for this schema (docs/types.md). */
  readonly row: readonly RowField[];
  /** Avro record full name or Protobuf message full name; JSON Schema `title`. */
  readonly recordName?: string;
  /**
   * Avro only: the reader schema to pin with `'avro-confluent.schema'`. It is self-contained (references
   * inlined), leaves out the fields Flink cannot read, and `row` is exactly what Flink derives from it.
   */
  readonly flinkSchema?: string;
  /** Fields read as something else than the schema says, reported where a pipeline selects them. */
  readonly notes?: readonly FieldNote[];
}

/** A subject a pipeline writes: every registered version and the level new versions must satisfy. */
export interface SinkSubject {
  readonly subject: string;
  readonly exists: boolean;
  readonly compatibility: CompatibilityLevel;
  /** Ascending by version; empty when the subject does not exist yet. */
  readonly versions: readonly RegisteredSchema[];
  /** Every schema the versions reference, so compatibility checks can resolve them. */
  readonly referenced: readonly RegisteredSchema[];
}

export interface Catalog {
  readonly format: 1;
  /** Where it came from, for messages: the registry URL or `folder <path>`. */
  readonly source: string;
  /** Sorted by subject, then version. */
  readonly subjects: readonly CatalogSubject[];
  /** What `latest` meant in this run: subject → version. */
  readonly latest: Readonly<Record<string, number>>;
  /** Schemas reached only through references; sorted. Recorded in the lockfile and written by `schemas pull`. */
  readonly referenced: readonly (RegisteredSchema & { readonly fingerprint: string })[];
  readonly sinks: readonly SinkSubject[];
}

export interface ResolveResult {
  readonly catalog: Catalog;
  readonly diagnostics: readonly Diagnostic[];
}

/** Every schema source (registry, local folder, lockfile-pinned, cached) offers this one call. */
export interface SchemaSource {
  resolve(refs: readonly SubjectRef[]): Promise<ResolveResult>;
}

export function emptyCatalog(source: string): Catalog {
  return { format: 1, source, subjects: [], latest: {}, referenced: [], sinks: [] };
}

/** The entry for a ref; `latest` goes through the catalog's `latest` table. */
export function findSubject(catalog: Catalog, subject: string, version: number | 'latest'): CatalogSubject | undefined {
  const wanted = version === 'latest' ? catalog.latest[subject] : version;
  if (wanted === undefined) return undefined;
  return catalog.subjects.find((s) => s.subject === subject && s.version === wanted);
}

export function findSink(catalog: Catalog, subject: string): SinkSubject | undefined {
  return catalog.sinks.find((s) => s.subject === subject);
}

export function compareSubjectVersion(a: { subject: string; version: number }, b: { subject: string; version: number }): number {
  if (a.subject !== b.subject) return a.subject < b.subject ? -1 : 1;
  return a.version - b.version;
}

export function refLabel(subject: string, version: number | 'latest'): string {
  return version === 'latest' ? `${subject} (latest)` : `${subject} version ${version}`;
}
