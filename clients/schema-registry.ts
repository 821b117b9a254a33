/**
 * Confluent Schema Registry REST client (served locally by Apicurio at /apis/ccompat/v7). Follows Confluent's
 * conventions: schemaType is absent for AVRO, references absent when empty.
 */
import { z } from 'zod';
import { HttpError, RestClient } from './http.ts';
import { SCHEMA_TYPES, compatibilityResponse, referenceResponse, subjectVersionResponse, type CompatibilityLevel, type SchemaReference, type SchemaType } from './schema-registry-api.ts';

const schemaByIdSchema = z.object({ schema: z.string(), schemaType: z.enum(SCHEMA_TYPES).optional(), references: z.array(referenceResponse).optional() });
const configSchema = z.object({ compatibilityLevel: z.string().optional(), compatibility: z.string().optional() });

export type SubjectVersion = z.infer<typeof subjectVersionResponse> & { schemaType: SchemaType };

export interface SchemaInput {
  schema: string;
  /** Default AVRO (and then left out of the request, as Confluent clients do). */
  schemaType?: SchemaType;
  references?: readonly SchemaReference[];
}

function body(input: SchemaInput): Record<string, unknown> {
  return {
    schema: input.schema,
    ...(input.schemaType && input.schemaType !== 'AVRO' ? { schemaType: input.schemaType } : {}),
    ...(input.references && input.references.length > 0 ? { references: input.references } : {}),
  };
}

/** Confluent's error code (e.g. 40401 subject not found) from an HttpError, if the answer carried one. */
export function registryErrorCode(e: unknown): number | undefined {
  if (!(e instanceof HttpError) || !e.body) return undefined;
  try {
    const code = (JSON.parse(e.body) as { error_code?: unknown }).error_code;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

export class SchemaRegistryClient extends RestClient {
  /** baseUrl is the Confluent API root, e.g. http://127.0.0.1:18085/apis/ccompat/v7. */
  constructor(baseUrl: string, options: { timeoutMs?: number } = {}) {
    super(baseUrl, { timeoutMs: options.timeoutMs ?? 30_000, headers: { Accept: 'application/vnd.schemaregistry.v1+json, application/json' } });
  }

  subjects(): Promise<string[]> {
    return this.http.get('/subjects', z.array(z.string()));
  }

  /** Registers (or finds) the schema under the subject; returns its global id. */
  async register(subject: string, input: SchemaInput): Promise<number> {
    const res = await this.http.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { body: body(input), schema: z.object({ id: z.number() }) });
    return res.data.id;
  }

  async version(subject: string, version: number | 'latest' = 'latest'): Promise<SubjectVersion> {
    const v = await this.http.get(`/subjects/${encodeURIComponent(subject)}/versions/${version}`, subjectVersionResponse);
    return { ...v, schemaType: v.schemaType ?? 'AVRO' };
  }

  async versions(subject: string): Promise<number[]> {
    return this.http.get(`/subjects/${encodeURIComponent(subject)}/versions`, z.array(z.number()));
  }

  async schemaById(id: number): Promise<z.infer<typeof schemaByIdSchema> & { schemaType: SchemaType }> {
    const s = await this.http.get(`/schemas/ids/${id}`, schemaByIdSchema);
    return { ...s, schemaType: s.schemaType ?? 'AVRO' };
  }

  /** The compatibility level of a subject, or the global one without a subject. */
  async compatibility(subject?: string): Promise<string> {
    const c = await this.http.get(subject ? `/config/${encodeURIComponent(subject)}` : '/config', configSchema);
    return c.compatibilityLevel ?? c.compatibility ?? 'NONE';
  }

  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    await this.http.request('PUT', subject ? `/config/${encodeURIComponent(subject)}` : '/config', { body: { compatibility: level } });
  }

  async checkCompatibility(subject: string, input: SchemaInput, version: number | 'latest' = 'latest'): Promise<{ compatible: boolean; messages: string[] }> {
    const res = await this.http.request('POST', `/compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}`, { body: body(input), query: { verbose: true }, schema: compatibilityResponse });
    return { compatible: res.data.is_compatible, messages: (res.data.messages ?? []).map(String) };
  }

  /** Deletes a subject (soft, then hard when permanent); returns the versions deleted. */
  async deleteSubject(subject: string, permanent = false): Promise<number[]> {
    const versions = (await this.http.request('DELETE', `/subjects/${encodeURIComponent(subject)}`, { schema: z.array(z.number()) })).data;
    if (permanent) await this.http.request('DELETE', `/subjects/${encodeURIComponent(subject)}`, { query: { permanent: true } });
    return versions;
  }
}
