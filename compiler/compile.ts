/**
 * The synchronous core: parsed files + config + schema snapshot → bound program, plan, artifacts and
 * diagnostics. No I/O here (the driver does it); identical input gives identical output.
 * `pipec check` runs all of it and writes nothing; `pipec compile` writes the artifacts as they are generated.
 */
import type { ParsedFile } from './ast/parse.ts';
import type { ResolvedConfig } from './config/schema.ts';
import { diagnostic, hasErrors, type Diagnostic } from './diagnostics/diagnostic.ts';
import { sortDiagnostics } from './diagnostics/order.ts';
import { MAX_AST_DEPTH, tooDeepNode } from './ast/depth.ts';
import { importOrder, resolveModules } from './project/modules.ts';
import { bind } from './semantic/bind.ts';
import type { BoundProgram } from './semantic/bound.ts';
import type { SchemaLookup } from './semantic/catalog.ts';
import type { SubjectRef } from './schemas/catalog.ts';
import { sinkSubject, sinkTopic, sourceSubjects, valueFormatOf, clauseOf } from './semantic/endpoints.ts';
import { check } from './check/index.ts';
import { lowerProgram } from './plan/lower.ts';
import type { Plan } from './plan/plan.ts';
import { collectEmit, emitStream, type EmitOptions, type EmitResult, type EmitStream } from '../targets/emit.ts';

export interface CheckResult {
  /** Undefined when the files do not parse: nothing past syntax is checked then. */
  readonly program: BoundProgram | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function checkProgram(parsed: readonly ParsedFile[], config: ResolvedConfig, schemas: SchemaLookup): CheckResult {
  const syntax = parsed.flatMap((p) => p.diagnostics);
  const order = importOrder(parsed.map((p) => p.ast));
  if (hasErrors(syntax)) return { program: undefined, diagnostics: sortDiagnostics(syntax, order) };
  // The parser and the formatter take chains of any length; the binder, the checks, lowering and the SQL
  // printer recurse per node, so a tree deeper than they are safe for stops here.
  const tooLong = parsed.flatMap((p) => {
    const deep = tooDeepNode(p.ast);
    return deep ? [diagnostic('expression-too-long', { limit: MAX_AST_DEPTH }, { ...deep.span, end: Math.min(deep.span.end, deep.span.start + 1) })] : [];
  });
  if (tooLong.length > 0) return { program: undefined, diagnostics: sortDiagnostics(tooLong, order) };
  const modules = resolveModules(parsed.map((p) => p.ast));
  const bound = bind({ project: config.project, environment: config.environment, modules, connections: config.connections, schemas, line: config.flink.version });
  const findings = check(bound.program);
  return { program: bound.program, diagnostics: sortDiagnostics([...syntax, ...modules.diagnostics, ...bound.diagnostics, ...findings], order) };
}

export interface CompileResult extends CheckResult {
  readonly plan: Plan | undefined;
  /** Present only when there are no errors. */
  readonly output: EmitResult | undefined;
}

/** A compile whose files are generated as they are read (EmitStream): what the driver writes or counts. */
export interface StreamingCompileResult extends CheckResult {
  readonly plan: Plan | undefined;
  /** Present only when there are no errors. */
  readonly output: EmitStream | undefined;
}

/** Check, lower to the plan and generate every artifact (code generation has findings of its own). */
export function compileProgram(parsed: readonly ParsedFile[], config: ResolvedConfig, schemas: SchemaLookup, generator: string, emitOptions: EmitOptions = {}): CompileResult {
  const compiled = compileStreaming(parsed, config, schemas, generator, emitOptions);
  return { ...compiled, output: compiled.output && collectEmit(compiled.output) };
}

/** compileProgram, with the artifacts left to generate as the caller reads them. */
export function compileStreaming(parsed: readonly ParsedFile[], config: ResolvedConfig, schemas: SchemaLookup, generator: string, emitOptions: EmitOptions = {}): StreamingCompileResult {
  const checked = checkProgram(parsed, config, schemas);
  // Lowering needs every source's columns: a schema that did not load (its resolver reported why) stops here.
  const schemasMissing = checked.program?.pipelines.some((p) => p.sources.some((s) => !s.schemaKnown)) ?? true;
  if (!checked.program || hasErrors(checked.diagnostics) || schemasMissing) return { ...checked, plan: undefined, output: undefined };
  const lowered = lowerProgram(checked.program, config, schemas);
  const emitted = emitStream(lowered.plan, config, generator, emitOptions);
  const diagnostics = sortDiagnostics([...checked.diagnostics, ...lowered.diagnostics, ...emitted.diagnostics], importOrder(parsed.map((p) => p.ast)));
  return { program: checked.program, plan: lowered.plan, output: hasErrors(diagnostics) ? undefined : emitted, diagnostics };
}

/** Every registry subject the program reads or writes, so the driver can resolve them all (once each) before checking. */
export function collectSubjects(parsed: readonly ParsedFile[], config: ResolvedConfig): SubjectRef[] {
  const refs: SubjectRef[] = [];
  for (const p of parsed) {
    const pipeline = p.ast.pipeline?.name.name;
    for (const st of p.ast.statements) {
      if (st.kind === 'SourceDecl') {
        const subjects = sourceSubjects(st, config.connections);
        if (subjects.value) refs.push({ ...subjects.value, purpose: 'read' });
        if (subjects.key) refs.push({ ...subjects.key, purpose: 'read' });
      } else if (st.kind === 'SinkDecl' && pipeline) {
        const format = valueFormatOf(st.clauses)?.format.name.toLowerCase() ?? 'avro';
        if (format === 'raw') continue;
        const topic = sinkTopic(st, config.project, pipeline);
        refs.push({ subject: sinkSubject(st, topic, 'value'), version: 'latest', span: st.endpoint.span, purpose: 'write' });
        if (clauseOf(st.clauses, 'KeyColumnsClause')) refs.push({ subject: sinkSubject(st, topic, 'key'), version: 'latest', span: st.endpoint.span, purpose: 'write' });
      }
    }
  }
  return refs;
}
