/**
 * Sink schema compatibility: is the schema pipec would register for a sink subject acceptable under the
 * subject's compatibility level, against its registered versions? (pure; the snapshot holds the history)
 *
 * - BACKWARD: consumers using the new schema read data written with the latest version
 *   (reader = new, writer = latest); FORWARD: consumers on the latest version read new data
 *   (reader = latest, writer = new); FULL: both; the _TRANSITIVE forms check every version; NONE: nothing.
 * - Avro, JSON Schema and Protobuf are all checked locally (avro-compatibility.ts, json-schema-
 *   compatibility.ts, protobuf-compatibility.ts), so every problem names the field and the rule. The
 *   registry checks again when the schema is registered; `checkCompatibilityOnline` (http-registry.ts)
 *   asks it beforehand where its endpoint works.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Span } from '../source/source.ts';
import { assertNever } from '../util/invariant.ts';
import { avroReadProblems, type AvroProblem } from './avro-compatibility.ts';
import type { CompatibilityLevel, RegisteredSchema, ResolvedReference, SchemaType, SinkSubject } from './catalog.ts';
import { jsonAcceptProblems, type JsonProblem } from './json-schema-compatibility.ts';
import { protobufProblems, type ProtobufProblem } from './protobuf-compatibility.ts';
import { referencesOf } from './references.ts';

export interface CandidateSchema {
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references?: readonly ResolvedReference[] | undefined;
}

type Direction = 'backward' | 'forward';

/** One way a new schema breaks a level against one version, phrased for people. */
export interface CompatibilityFinding {
  readonly direction: Direction;
  readonly version: number;
  readonly path: string;
  readonly problem: string;
  readonly rule: string;
  /** Identifies the same problem across versions (transitive levels report it once). */
  readonly key: string;
}

export function checkSinkCompatibility(sink: SinkSubject, candidate: CandidateSchema, span?: Span): Diagnostic[] {
  const latest = sink.versions[sink.versions.length - 1];
  if (!latest || sink.compatibility === 'NONE') return [];
  if (latest.schemaType !== candidate.schemaType) {
    return [diagnostic('sink-schema-type-changed', { subject: sink.subject, registered: latest.schemaType, generated: candidate.schemaType }, span)];
  }
  return compatibilityFindings(sink, candidate).map((f) =>
    diagnostic('sink-schema-incompatible', { subject: sink.subject, level: sink.compatibility, version: f.version, path: f.path || '(record)', problem: f.problem, rule: f.rule }, span),
  );
}

/** The findings behind checkSinkCompatibility, newest version first, each problem once. */
export function compatibilityFindings(sink: SinkSubject, candidate: CandidateSchema): CompatibilityFinding[] {
  const plan = levelPlan(sink.compatibility);
  const versions = [...(plan.transitive ? sink.versions : sink.versions.slice(-1))].reverse();
  const findings: CompatibilityFinding[] = [];
  const seen = new Set<string>();
  for (const version of versions) {
    if (version.schemaType !== candidate.schemaType) continue;
    for (const direction of plan.directions) {
      for (const finding of findingsAgainst(version, sink.referenced, candidate, direction)) {
        if (seen.has(finding.key)) continue;
        seen.add(finding.key);
        findings.push(finding);
      }
    }
  }
  return findings;
}

export function levelPlan(level: CompatibilityLevel): { directions: readonly Direction[]; transitive: boolean } {
  switch (level) {
    case 'NONE':
      return { directions: [], transitive: false };
    case 'BACKWARD':
      return { directions: ['backward'], transitive: false };
    case 'BACKWARD_TRANSITIVE':
      return { directions: ['backward'], transitive: true };
    case 'FORWARD':
      return { directions: ['forward'], transitive: false };
    case 'FORWARD_TRANSITIVE':
      return { directions: ['forward'], transitive: true };
    case 'FULL':
      return { directions: ['backward', 'forward'], transitive: false };
    case 'FULL_TRANSITIVE':
      return { directions: ['backward', 'forward'], transitive: true };
    default:
      return assertNever(level, 'compatibility level');
  }
}

function findingsAgainst(
  version: RegisteredSchema,
  pool: readonly RegisteredSchema[],
  candidate: CandidateSchema,
  direction: Direction,
): CompatibilityFinding[] {
  const old: { schema: string; references: readonly ResolvedReference[] } = { schema: version.schema, references: referencesOf(version, pool) };
  const next: { schema: string; references: readonly ResolvedReference[] } = { schema: candidate.schema, references: candidate.references ?? [] };
  const v = version.version;
  // Rules are phrased by direction; the diagnostic's message names the subject's level itself.
  const levelName = direction === 'backward' ? 'BACKWARD' : 'FORWARD';
  switch (candidate.schemaType) {
    case 'AVRO': {
      const texts = (s: typeof old): { schema: string; references: string[] } => ({ schema: s.schema, references: s.references.map((r) => r.schema) });
      const problems = direction === 'backward' ? avroReadProblems(texts(next), texts(old)) : avroReadProblems(texts(old), texts(next));
      return problems.map((p) => ({ ...phraseAvro(p, direction, v, levelName), direction, version: v, path: p.path, key: `${direction}|${p.kind}|${p.path}|${p.reader}|${p.writer}` }));
    }
    case 'JSON': {
      const problems = direction === 'backward' ? jsonAcceptProblems(next, old) : jsonAcceptProblems(old, next);
      return problems.map((p) => ({ ...phraseJson(p, direction, v, levelName), direction, version: v, path: p.path, key: `${direction}|${p.kind}|${p.path}|${p.reader}|${p.writer}` }));
    }
    case 'PROTOBUF':
      // Protobuf's rules are symmetric: one comparison serves both directions (the key has no direction).
      return protobufProblems(old, next).map((p) => ({ ...phraseProtobuf(p, v), direction, version: v, path: p.path, key: `${p.kind}|${p.path}|${p.before}|${p.after}` }));
    default:
      return assertNever(candidate.schemaType, 'schema type');
  }
}

// ── phrasing ─────────────────────────────────────────────────────────────────────────────────────────

const quote = (s: string): string => `\`${s}\``;
const what = (path: string): string => (path === '' ? 'the record' : `field ${quote(path)}`);

function phraseAvro(p: AvroProblem, direction: Direction, v: number, level: string): { problem: string; rule: string } {
  const backward = direction === 'backward';
  const oldType = backward ? p.writer : p.reader;
  const newType = backward ? p.reader : p.writer;
  const who = backward
    ? `${level}: consumers using the new schema must read data written with version ${v}`
    : `${level}: consumers still using version ${v} must read data written with the new schema`;
  switch (p.kind) {
    case 'field-without-default':
      return backward
        ? { problem: `${what(p.path)} was added without a default`, rule: `${who}, which has no ${quote(p.path)}; make the column nullable (pipec writes nullable fields with "default": null)` }
        : { problem: `${what(p.path)} was removed, and version ${v} gives it no default`, rule: `${who}, which lacks ${quote(p.path)}; keep the column` };
    case 'type-mismatch':
      return {
        problem: `${what(p.path)} changed type from ${oldType} to ${newType}`,
        rule: `${who}, and Avro cannot read ${backward ? oldType : newType} as ${backward ? newType : oldType} (it promotes only int → long → float → double and string ↔ bytes)`,
      };
    case 'name-mismatch':
      return { problem: `${what(p.path)}: ${oldType} was renamed to ${newType}`, rule: `${who}, and Avro resolves records, enums and fixed types by name; keep the name or list the old one in "aliases"` };
    case 'missing-enum-symbols': {
      const symbols = (p.symbols ?? []).join(', ');
      return backward
        ? { problem: `${what(p.path)} (${newType}) lost the symbols ${symbols}`, rule: `${who}, which may hold them, and the new enum has no default symbol` }
        : { problem: `${what(p.path)} (${newType}) gained the symbols ${symbols}`, rule: `${who}, and readers fail on symbols they do not know unless the enum has a "default"` };
    }
    case 'fixed-size-mismatch':
      return { problem: `${what(p.path)} changed size from ${oldType} to ${newType}`, rule: `${who}, and Avro reads fixed values only at their own size` };
    case 'missing-union-branch':
      if (p.writer === 'null') {
        return backward
          ? { problem: `${what(p.path)} is no longer nullable`, rule: `${who}, which may hold null in ${quote(p.path)}; keep the column nullable` }
          : { problem: `${what(p.path)} became nullable`, rule: `${who}, which cannot read null in ${quote(p.path)}; keep it NOT NULL (e.g. with COALESCE) or relax the subject's level` };
      }
      return backward
        ? { problem: `${what(p.path)} no longer accepts ${p.writer}`, rule: `${who}, which may hold ${p.writer} there` }
        : { problem: `${what(p.path)} now also accepts ${p.writer}`, rule: `${who}, which cannot read ${p.writer} there` };
    default:
      return assertNever(p.kind, 'Avro problem');
  }
}

function phraseJson(p: JsonProblem, direction: Direction, v: number, level: string): { problem: string; rule: string } {
  const backward = direction === 'backward';
  const oldText = backward ? p.writer : p.reader;
  const newText = backward ? p.reader : p.writer;
  const who = backward
    ? `${level}: the new schema must accept every document valid under version ${v}`
    : `${level}: version ${v} must accept every document valid under the new schema`;
  const property = (path: string): string => `property ${quote(path)}`;
  switch (p.kind) {
    case 'type-narrowed':
      return { problem: `${what(p.path)} changed from ${oldText} to ${newText}`, rule: `${who}; a type may widen (integer → number), not narrow` };
    case 'null-removed':
      return backward
        ? { problem: `${what(p.path)} no longer accepts null`, rule: `${who}, and those may hold null; keep the column nullable` }
        : { problem: `${what(p.path)} now accepts null`, rule: `${who}, and version ${v} rejects null there` };
    case 'property-added-to-open-object':
      return backward
        ? { problem: `${property(p.path)} was added to an object that allows additional properties`, rule: `${who}, and those may already hold ${quote(p.path)} with any value; declare the object closed (pipec writes "additionalProperties": false)` }
        : { problem: `${property(p.path)} was removed from an object that allows additional properties`, rule: `${who}, and new documents may hold anything under ${quote(p.path)}` };
    case 'property-removed-from-closed-object':
      return backward
        ? { problem: `${property(p.path)} was removed from a closed object`, rule: `${who}, and those hold ${quote(p.path)}, which the new schema forbids; keep the column` }
        : { problem: `${property(p.path)} was added to an object version ${v} closes`, rule: `${who}, and version ${v} forbids properties it does not declare` };
    case 'required-added':
      return backward
        ? { problem: `${property(p.path)} became required`, rule: `${who}, and those may lack it; make the column nullable` }
        : { problem: `${property(p.path)} is no longer required`, rule: `${who}, and version ${v} requires it` };
    case 'object-closed':
      return backward
        ? { problem: `${what(p.path)} no longer allows additional properties`, rule: `${who}, and those may carry properties the new schema does not declare` }
        : { problem: `${what(p.path)} now allows additional properties`, rule: `${who}, and version ${v} forbids them` };
    case 'enum-narrowed':
      return backward
        ? { problem: `${what(p.path)} lost enum values`, rule: `${who}, and those may hold the removed values` }
        : { problem: `${what(p.path)} gained enum values`, rule: `${who}, and version ${v} rejects the new values` };
    case 'unresolved':
      return { problem: `a $ref cannot be resolved (${p.reader || p.writer})`, rule: 'register the referenced schemas with the subject' };
    default:
      return assertNever(p.kind, 'JSON Schema problem');
  }
}

function phraseProtobuf(p: ProtobufProblem, v: number): { problem: string; rule: string } {
  const decode = `consumers of version ${v} and of the new schema decode the same bytes by field number`;
  switch (p.kind) {
    case 'package-changed':
      return { problem: `the package changed from ${p.before} to ${p.after}`, rule: `${decode}, and message types are identified by their full name; keep the package` };
    case 'message-removed':
      return { problem: `message ${p.before} is no longer the subject's message (now ${p.after})`, rule: `${decode} of ${p.before}; keep the message name` };
    case 'field-kind-changed':
    case 'field-scalar-changed':
    case 'field-type-changed':
    case 'field-label-changed':
      return {
        problem: `${what(p.path)} changed from ${p.before} to ${p.after}`,
        rule: `${decode}; a number keeps a wire-compatible type (int32/uint32/int64/uint64/bool, sint32/sint64, fixed32/sfixed32, fixed64/sfixed64, string/bytes); rename the column so it gets a new number`,
      };
    case 'field-moved-to-oneof':
      return { problem: `${what(p.path)} moved into an existing oneof`, rule: `${decode}, and a value set in both places would be lost` };
    case 'required-field-changed':
      return { problem: `${what(p.path)} changed from ${p.before} to ${p.after}`, rule: `${decode}, and proto2 required fields may be neither added nor removed` };
    case 'unparsable':
      return { problem: `a schema cannot be parsed: ${p.before || p.after}`, rule: 'fix the registered schema' };
    default:
      return assertNever(p.kind, 'Protobuf problem');
  }
}
