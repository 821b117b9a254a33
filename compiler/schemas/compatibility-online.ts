/**
 * The registry's own verdict on a sink schema, before registering it (edge: network). Optional: the local
 * check (compatibility.ts) names fields and rules; this asks the registry that will have the last word,
 * with `POST /compatibility/subjects/{s}/versions[/latest]?verbose=true` (all versions for _TRANSITIVE
 * levels). Apicurio 3.3.3 answers without `messages`, and fails (500/422) on schemas with references, so a
 * failed request is reported as such and the local findings remain the explanation.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Span } from '../source/source.ts';
import type { SinkSubject } from './catalog.ts';
import type { CandidateSchema } from './compatibility.ts';
import type { HttpRegistry } from './http-registry.ts';
import { failureDiagnostic } from './store.ts';

export async function checkCompatibilityOnline(registry: HttpRegistry, sink: SinkSubject, candidate: CandidateSchema, span?: Span): Promise<Diagnostic[]> {
  if (!sink.exists || sink.compatibility === 'NONE') return [];
  const transitive = sink.compatibility.endsWith('_TRANSITIVE');
  const version = transitive ? 'all' : 'latest';
  const result = await registry.testCompatibility(sink.subject, { schemaType: candidate.schemaType, schema: candidate.schema, references: candidate.references?.map((r) => ({ name: r.name, subject: r.subject, version: r.version })) }, version);
  if (!result.ok) return [failureDiagnostic(result.failure, { subject: sink.subject }, registry.auth, span)];
  if (result.value.compatible) return [];
  const path = `/compatibility/subjects/${encodeURIComponent(sink.subject)}/versions${transitive ? '' : '/latest'}?verbose=true`;
  const answer = result.value.messages.length > 0 ? result.value.messages.join('; ') : 'is_compatible: false';
  return [diagnostic('sink-schema-rejected-by-registry', { subject: sink.subject, level: sink.compatibility, url: `${registry.location}${path}`, answer }, span)];
}
