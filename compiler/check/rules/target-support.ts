/**
 * What the Flink target cannot run, judged over the bound program: so it is reported in the same run as every
 * other finding (lowering runs only on a program without errors). Flink reads and writes Protobuf only through
 * compiled Java message classes, not the registry's wire format, so no job can read or write a topic in it:
 *   source payments from kafka topic 'payments' format protobuf;
 * One finding per declaration (a source imported by several pipelines is judged once), at its format clause.
 * Code: unsupported-by-target.
 */
import type * as A from '../../ast/nodes.ts';
import type { SchemaBinding } from '../../semantic/bound.ts';
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
    for (const p of program.pipelines) {
      for (const s of p.sources) judge(s.decl, [s.value, s.key]);
      for (const s of p.sinks) judge(s.decl, [s.value, s.key]);
    }
  },
};
