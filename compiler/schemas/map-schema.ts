/** One entry point for the three mappers (docs/types.md documents each). */
import { assertNever } from '../util/invariant.ts';
import { avroToRow } from './avro-to-row.ts';
import type { ResolvedReference, SchemaType } from './catalog.ts';
import { jsonSchemaToRow } from './json-schema-to-row.ts';
import type { MappingContext, MappingResult } from './mapping.ts';
import { protobufToRow } from './protobuf-to-row.ts';

export function mapSchema(schemaType: SchemaType, schema: string, references: readonly ResolvedReference[], ctx: MappingContext): MappingResult {
  switch (schemaType) {
    case 'AVRO':
      return avroToRow(schema, references, ctx);
    case 'JSON':
      return jsonSchemaToRow(schema, references, ctx);
    case 'PROTOBUF':
      return protobufToRow(schema, references, ctx);
    default:
      return assertNever(schemaType, 'schema type');
  }
}
