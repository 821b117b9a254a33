/**
 * What the targets (Flink SQL, Kafka Connect) cannot run, judged over the bound program: so it is reported in
 * the same run as every other finding (lowering runs only on a program without errors). Flink reads and writes Protobuf only through
 * compiled Java message classes, not the registry's wire format, so no job can read or write a topic in it:
 *   source payments from kafka topic 'payments' format protobuf;
 * Flink reads a topic's key fields either all from the value or none from it, so a key schema that shares
 * some but not all of its fields with the value's cannot be read (a key `{id, region}` over a value with `id`).
 * The CDC sources of one connection share one Debezium connector, which writes one format, so they cannot mix
 * `avro` and `json` (judged over the pipelines that run, those with a sink, as the connectors are emitted).
 * One finding of each per declaration (a source imported by several pipelines is judged once).
 * Codes: unsupported-by-target (at the format clause), unsupported-key-layout, cdc-mixed-formats.
 */
import type * as A from '../../ast/nodes.ts';
import type { BoundProgram, BoundSource, SchemaBinding } from '../../semantic/bound.ts';
import type { Reporter } from '../../semantic/context.ts';
import { keyFormatOf, valueFormatOf } from '../../semantic/endpoints.ts';
import type { Rule } from '../rule.ts';

const PROTOBUF = {
  target: 'Flink SQL',
  feature: "the protobuf format (Flink reads Protobuf only through compiled Java message classes, not the registry's wire format)",
  hint: 'use avro or json for topics Flink reads or writes',
};

export const targetSupportRule: Rule = {
  name: 'target-support',
  check(program, r) {
    const seen = new Set<A.SourceDecl | A.SinkDecl>();
    const judge = (decl: A.SourceDecl | A.SinkDecl, bindings: readonly (SchemaBinding | undefined)[]): void => {
      if (seen.has(decl) || !bindings.some((b) => b?.format === 'protobuf')) return;
      seen.add(decl);
      const clause = [valueFormatOf(decl.clauses), keyFormatOf(decl.clauses)].find((c) => c?.format.name.toLowerCase() === 'protobuf');
      r.report('unsupported-by-target', PROTOBUF, clause?.span ?? decl.span);
    };
    const layoutSeen = new Set<A.SourceDecl>();
    for (const p of program.pipelines) {
      for (const s of p.sources) {
        judge(s.decl, [s.value, s.key]);
        // Key columns come from the key schema: when it did not load there are none, and nothing to judge.
        const shared = s.keyColumns.filter((k) => s.valueColumns.includes(k));
        if (!s.key || layoutSeen.has(s.decl) || shared.length === 0 || shared.length === s.keyColumns.length) continue;
        layoutSeen.add(s.decl);
        r.report('unsupported-key-layout', { source: s.name, shared }, s.decl.span);
      }
      for (const s of p.sinks) judge(s.decl, [s.value, s.key]);
    }
    mixedCdcFormats(program, r);
  },
};

function mixedCdcFormats(program: BoundProgram, r: Reporter): void {
  const byConnection = new Map<string, BoundSource[]>();
  for (const p of program.pipelines) {
    if (p.sinks.length === 0) continue;
    for (const s of p.sources) {
      if (s.system === 'kafka' || s.connection === undefined) continue;
      byConnection.set(s.connection, [...(byConnection.get(s.connection) ?? []), s]);
    }
  }
  for (const [connection, sources] of byConnection) {
    const first = sources[0];
    const other = sources.find((s) => s.value.format !== first?.value.format);
    if (!first || !other) continue;
    const formats = [...new Set(sources.map((s) => s.value.format))].sort();
    r.report('cdc-mixed-formats', { connection, formats }, other.decl.span);
  }
}
