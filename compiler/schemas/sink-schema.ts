/**
 * The schema pipec registers for a sink subject, generated from the sink's columns (pure).
 *
 * Every generator returns the schema text and `row`: the columns the sink table must declare, i.e. what
 * the same format maps the generated schema back to (map-schema.ts). For Avro this matters beyond tidiness:
 * with `'avro-confluent.schema'` pinned, Flink requires the table type to equal the schema's conversion.
 * A column the format cannot hold is an error naming the column and the cast that fixes it.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Span } from '../source/source.ts';
import type { RowField } from '../types/types.ts';
import { assertNever } from '../util/invariant.ts';
import type { SchemaType } from './catalog.ts';
import { mapSchema } from './map-schema.ts';
import type { ColumnProblem, GeneratedText } from './mapping.ts';
import { rowToAvro } from './row-to-avro.ts';
import { rowToJsonSchema } from './row-to-json-schema.ts';
import { rowToProtobuf } from './row-to-protobuf.ts';

export interface SinkSchemaRequest {
  readonly subject: string;
  readonly schemaType: SchemaType;
  readonly row: readonly RowField[];
  /** Avro namespace / Protobuf package, e.g. `shop.orders`; required for Avro and Protobuf. */
  readonly namespace: string;
  /** Avro record / Protobuf message / JSON Schema title, e.g. `EnrichedOrder`. */
  readonly name: string;
  readonly doc?: string | undefined;
  /** The sink declaration, for diagnostics. */
  readonly span?: Span | undefined;
  /** Where each output column is defined, so a diagnostic can point at it. */
  readonly columnSpans?: Readonly<Record<string, Span>> | undefined;
  /** Protobuf only: the subject's latest registered text, so field numbers stay stable across versions. */
  readonly previous?: string | undefined;
}

export type SinkSchemaResult =
  | { readonly ok: true; readonly schemaType: SchemaType; readonly schema: string; readonly row: readonly RowField[]; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function generateSinkSchema(request: SinkSchemaRequest): SinkSchemaResult {
  const generated = generate(request);
  if (!generated.ok) {
    return { ok: false, diagnostics: generated.problems.filter((p) => p.kind !== 'poison').map((p) => problemDiagnostic(request, p)) };
  }
  const mapped = mapSchema(request.schemaType, generated.schema, [], { subject: request.subject, span: request.span, generated: true });
  if (!mapped.ok) return { ok: false, diagnostics: mapped.diagnostics };
  return { ok: true, schemaType: request.schemaType, schema: generated.schema, row: mapped.row, diagnostics: mapped.diagnostics };
}

function generate(request: SinkSchemaRequest): GeneratedText {
  switch (request.schemaType) {
    case 'AVRO':
      return rowToAvro(request.row, { namespace: request.namespace, name: request.name, doc: request.doc });
    case 'JSON':
      return rowToJsonSchema(request.row, { namespace: request.namespace, name: request.name, doc: request.doc });
    case 'PROTOBUF':
      return rowToProtobuf(request.row, { namespace: request.namespace, name: request.name, doc: request.doc, previous: request.previous });
    default:
      return assertNever(request.schemaType, 'schema type');
  }
}

const FORMAT_NAMES: Readonly<Record<SchemaType, string>> = { AVRO: 'Avro (avro-confluent)', JSON: 'JSON Schema', PROTOBUF: 'Protobuf' };

function problemDiagnostic(request: SinkSchemaRequest, problem: ColumnProblem): Diagnostic {
  const top = problem.path[0] ?? '';
  const span = request.columnSpans?.[top] ?? request.span;
  const field = problem.path.join('.') || request.name;
  if (problem.kind === 'name') {
    return diagnostic('sink-name-invalid', { subject: request.subject, name: problem.path[problem.path.length - 1] ?? request.name, format: FORMAT_NAMES[request.schemaType], rule: problem.reason }, span);
  }
  return diagnostic(
    'sink-type-unsupported',
    { subject: request.subject, field, type: problem.type, format: FORMAT_NAMES[request.schemaType], reason: problem.reason, fix: problem.fix },
    span,
  );
}
