/**
 * The Confluent Schema Registry REST API's vocabulary, shared by the compiler's registry store
 * (compiler/schemas/http-registry.ts) and the deployer's client (schema-registry.ts): schema types,
 * compatibility levels, references, and the answers both read. No HTTP here, so the compiler loads no HTTP
 * library to name a type.
 */
import { z } from 'zod';

export const SCHEMA_TYPES = ['AVRO', 'JSON', 'PROTOBUF'] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** A schema reference as the registry states it: `name` is how the schema refers to it (import path, `$ref`, Avro full name). */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

export const referenceResponse = z.object({ name: z.string(), subject: z.string(), version: z.number().int() });

/** `GET /subjects/{s}/versions/{n|latest}`: an absent `schemaType` means AVRO, absent `references` none. */
export const subjectVersionResponse = z.object({
  subject: z.string(),
  version: z.number().int().positive(),
  id: z.number().int(),
  schema: z.string(),
  schemaType: z.enum(SCHEMA_TYPES).optional(),
  references: z.array(referenceResponse).optional(),
});

/** `POST /compatibility/subjects/{s}/versions/{v}?verbose=true`. */
export const compatibilityResponse = z.object({ is_compatible: z.boolean(), messages: z.array(z.unknown()).optional() });
