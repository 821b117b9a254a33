/**
 * The synchronous core: parsed files + config + schema snapshot → bound, checked program and diagnostics.
 * No I/O here (the driver does it); identical input gives identical output.
 */
import type { ParsedFile } from '../grammar/index.ts';
import type { ResolvedConfig } from './config/schema.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.ts';
import { resolveModules } from './project/modules.ts';
import { bind } from './semantic/bind.ts';
import type { BoundProgram } from './semantic/bound.ts';
import type { SchemaLookup } from './semantic/catalog.ts';
import type { SubjectRef } from './schemas/catalog.ts';
import { sourceSubjects } from './semantic/endpoints.ts';
import { check } from './check/index.ts';

export interface CheckResult {
  /** Undefined when the files do not parse: nothing past syntax is checked then. */
  readonly program: BoundProgram | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function checkProgram(parsed: readonly ParsedFile[], config: ResolvedConfig, schemas: SchemaLookup): CheckResult {
  const syntax = parsed.flatMap((p) => p.diagnostics);
  if (hasErrors(syntax)) return { program: undefined, diagnostics: sortDiagnostics(syntax) };
  const modules = resolveModules(parsed.map((p) => p.ast));
  const bound = bind({ modules, connections: config.connections, schemas });
  const findings = check(bound.program);
  return { program: bound.program, diagnostics: sortDiagnostics([...syntax, ...modules.diagnostics, ...bound.diagnostics, ...findings]) };
}

/** Every registry subject the program reads, so the driver can resolve them all (once each) before checking. */
export function collectSubjects(parsed: readonly ParsedFile[], config: ResolvedConfig): SubjectRef[] {
  const refs: SubjectRef[] = [];
  for (const p of parsed) {
    for (const st of p.ast.statements) {
      if (st.kind !== 'SourceDecl') continue;
      const subjects = sourceSubjects(st, config.connections);
      if (subjects.value) refs.push(subjects.value);
      if (subjects.key) refs.push(subjects.key);
    }
  }
  return refs;
}
