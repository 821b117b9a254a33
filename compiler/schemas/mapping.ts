/**
 * What the three schema mappers share: their result type and the diagnostics context.
 * A mapper is pure: schema text (plus the texts of its references) in, Flink columns and diagnostics out.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Span } from '../source/source.ts';
import type { RowField } from '../types/types.ts';

export interface MappingContext {
  /** Named in every diagnostic. */
  readonly subject: string;
  /** The `.pipe` reference that needed the schema, if any. */
  readonly span?: Span | undefined;
  /**
   * The schema is pipec's own output (sink-schema.ts), mapped back only to learn the columns Flink derives.
   * The Avro mapper then skips avsc's validation, which generates code for every type and was most of the
   * time of compiling many sinks: row-to-avro.ts emits only valid and unique names and null defaults on
   * null-first unions, and the sink-schema round-trip property test checks every generated schema with avsc.
   */
  readonly generated?: boolean;
}

/**
 * A field Flink's format reads as something else than its schema says (a logical type it ignores). Not a
 * finding of the schema itself: the binder reports it where a pipeline selects the column (semantic/bind-query.ts).
 */
export interface FieldNote {
  /** The field's path in the row (`['before', 'opened_at']`). */
  readonly path: readonly string[];
  readonly logicalType: string;
  readonly flinkType: string;
  readonly reason: string;
  /** The conversion that derives the intended value in the pipeline, if there is one. */
  readonly fix: 'micros-to-timestamp' | 'local-millis-to-timestamp' | undefined;
}

export type MappingResult =
  | {
      readonly ok: true;
      readonly row: readonly RowField[];
      readonly recordName?: string;
      /** Avro only; see CatalogSubject.flinkSchema. */
      readonly flinkSchema?: string;
      /** Warnings only. */
      readonly diagnostics: readonly Diagnostic[];
      readonly notes: readonly FieldNote[];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** A dotted field path for messages: `total.amount`, `lines[].sku`, `attributes{}`. */
export function fieldPath(path: readonly string[]): string {
  return path.reduce((acc, part) => (part.startsWith('[') || part.startsWith('{') || acc === '' ? `${acc}${part}` : `${acc}.${part}`), '');
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A column a sink-schema generator cannot write; sink-schema.ts turns it into a diagnostic at the column. */
export interface ColumnProblem {
  readonly path: readonly string[];
  readonly type: string;
  readonly reason: string;
  readonly fix?: string | undefined;
  /** `poison`: a column whose type is ERROR, already reported where it failed; fails silently. */
  readonly kind: 'type' | 'name' | 'poison';
}

export type GeneratedText = { readonly ok: true; readonly schema: string } | { readonly ok: false; readonly problems: readonly ColumnProblem[] };

export interface GenerateOptions {
  readonly namespace: string;
  readonly name: string;
  readonly doc?: string | undefined;
}
