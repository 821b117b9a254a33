/**
 * Schema Registry subjects (Confluent API): register the schema unless the latest version already is it,
 * and set the subject's compatibility level when the manifest names one.
 */
import { canonicalSchema } from '../../compiler/schemas/fingerprint.ts';
import type { CompatibilityLevel, SchemaType } from '../../local/clients/schema-registry.ts';

export interface SubjectInputs {
  /** The Confluent API root; basic auth goes in the URL's user info (a Pulumi secret then). */
  readonly registryUrl: string;
  readonly subject: string;
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly compatibility?: CompatibilityLevel | undefined;
  /** Hard-delete the subject on destroy (default: soft delete, the registry keeps the versions). */
  readonly permanentDelete?: boolean | undefined;
}

export interface SubjectOutputs extends SubjectInputs {
  readonly schemaId: number;
  readonly version: number;
}

async function client(url: string) {
  const { SchemaRegistryClient } = await import('../../local/clients/schema-registry.ts');
  return new SchemaRegistryClient(url);
}

async function latest(c: Awaited<ReturnType<typeof client>>, subject: string) {
  const { registryErrorCode } = await import('../../local/clients/schema-registry.ts');
  try {
    return await c.version(subject, 'latest');
  } catch (e) {
    if (registryErrorCode(e) === 40401 || registryErrorCode(e) === 40402) return undefined;
    throw e;
  }
}

export function sameSchema(a: { schemaType: SchemaType; schema: string }, b: { schemaType: SchemaType; schema: string }): boolean {
  return a.schemaType === b.schemaType && canonicalSchema(a.schemaType, a.schema) === canonicalSchema(b.schemaType, b.schema);
}

export async function applySubject(inputs: SubjectInputs, previous?: SubjectOutputs): Promise<SubjectOutputs> {
  const c = await client(inputs.registryUrl);
  let current = await latest(c, inputs.subject);
  if (inputs.compatibility && inputs.compatibility !== previous?.compatibility) {
    // Set before registering, so the new version is checked against the level the user asked for.
    await c.setCompatibility(inputs.compatibility, inputs.subject);
  }
  if (!current || !sameSchema(current, inputs)) {
    await c.register(inputs.subject, { schema: inputs.schema, schemaType: inputs.schemaType });
    current = await latest(c, inputs.subject);
    if (!current) throw new Error(`${inputs.registryUrl}: subject ${inputs.subject} has no version right after registering one`);
  }
  return { ...inputs, schemaId: current.id, version: current.version };
}

export async function deleteSubject(props: SubjectOutputs): Promise<void> {
  const c = await client(props.registryUrl);
  if (!(await latest(c, props.subject))) return;
  await c.deleteSubject(props.subject, props.permanentDelete ?? false);
}
