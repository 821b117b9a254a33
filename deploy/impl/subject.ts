/**
 * Schema Registry subjects (Confluent API): register the schema unless the latest version already is it,
 * and set the subject's compatibility level when the manifest names one.
 *
 * Ownership: a subject with versions that is not in the stack's state is refused unless adopted — except one whose
 * latest version is the declared schema, which is what an interrupted register of this deploy leaves (the request
 * reached the registry, its answer did not come back); destroy keeps a subject (its versions are what the topic's
 * records are read with) unless the user opted in to deleting it.
 */
import { canonicalSchema } from '../../compiler/schemas/fingerprint.ts';
import type { CompatibilityLevel, SchemaType } from '../../clients/schema-registry-api.ts';

export interface SubjectInputs {
  /** The Confluent API root; basic auth goes in the URL's user info (a Pulumi secret then). */
  readonly registryUrl: string;
  readonly subject: string;
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly compatibility?: CompatibilityLevel | undefined;
  /** With `deleteOnDestroy`: hard-delete (default: soft delete, the registry keeps the versions). */
  readonly permanentDelete?: boolean | undefined;
  /** Take over the subject when it already has versions (the schema is registered as a new version if it differs). */
  readonly adopt?: boolean | undefined;
  /** Delete the subject on destroy (default: keep it). */
  readonly deleteOnDestroy?: boolean | undefined;
}

export interface SubjectOutputs extends SubjectInputs {
  readonly schemaId: number;
  readonly version: number;
}

async function client(url: string) {
  const { SchemaRegistryClient } = await import('../../clients/schema-registry.ts');
  return new SchemaRegistryClient(url);
}

async function latest(c: Awaited<ReturnType<typeof client>>, subject: string) {
  const { registryErrorCode } = await import('../../clients/schema-registry.ts');
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
  if (current && !previous && !inputs.adopt && !sameSchema(current, inputs)) {
    throw new Error(
      `subject ${inputs.subject} already exists (version ${current.version}) and is not in this stack's state: pipec does not take over a subject it did not register. ` +
        `Adopt it explicitly (PipelineStack's \`adopt: { subjects: ['${inputs.subject}'] }\`) or choose another topic name`,
    );
  }
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
  if (!props.deleteOnDestroy) {
    console.log(`pipec: subject ${props.subject} kept with its versions (subjects are deleted only with PipelineStack's \`deleteOnDestroy\`); it is no longer in this stack's state, so a later deploy must adopt it`);
    return;
  }
  const c = await client(props.registryUrl);
  if (!(await latest(c, props.subject))) return;
  await c.deleteSubject(props.subject, props.permanentDelete ?? false);
}
