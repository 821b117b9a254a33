/**
 * ASTs + config + schema snapshot → BoundProgram. Pure. Each source and stream is bound once, in the file
 * that declares it, however many pipelines import it, so its findings are reported once.
 */
import type * as A from '../ast/nodes.ts';
import type { Connection } from '../config/schema.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { nameKey, type DeclRef, type ModuleTable } from '../project/modules.ts';
import type { BoundPipeline, BoundProgram, BoundSink, BoundSource, BoundStream, RelationSource, RelationType } from './bound.ts';
import type { SchemaLookup } from './catalog.ts';
import { bindQuery, type RelationResolver } from './bind-query.ts';
import { bindSettings, bindSink, bindSource } from './bind-decls.ts';
import { Reporter } from './context.ts';
import type { EngineSemantics } from './engine.ts';

export interface BindInput {
  readonly modules: ModuleTable;
  readonly engine: EngineSemantics;
  readonly connections: Readonly<Record<string, Connection>>;
  readonly schemas: SchemaLookup;
}

export interface BindResult {
  readonly program: BoundProgram;
  readonly diagnostics: readonly Diagnostic[];
}

type Bound = BoundSource | BoundStream;

export function bind(input: BindInput): BindResult {
  const r = new Reporter();
  const bound = new Map<A.SourceDecl | A.StreamDecl, Bound | 'binding'>();

  const bindDecl = (ref: DeclRef): Bound | undefined => {
    const existing = bound.get(ref.decl);
    if (existing === 'binding') {
      r.report('recursive-stream', { name: ref.decl.name.name }, ref.decl.name.span);
      return undefined;
    }
    if (existing) return existing;
    bound.set(ref.decl, 'binding');
    let result: Bound;
    if (ref.decl.kind === 'SourceDecl') {
      result = bindSource(ref.decl, input.connections, input.schemas, input.engine.version, r);
    } else {
      const query = bindQuery(ref.decl.query, resolverFor(ref.file), r);
      result = { kind: 'stream', name: ref.decl.name.name, decl: ref.decl, query, type: query.output };
    }
    bound.set(ref.decl, result);
    return result;
  };

  const resolverFor = (file: string): RelationResolver => ({
    engine: input.engine,
    resolve(name: A.Ident): { source: RelationSource; type: RelationType } | undefined {
      const module = input.modules.modules.get(file);
      const scope = module?.scope;
      const ref = scope?.get(nameKey(name.name));
      if (!ref && module?.unresolvedImports.has(nameKey(name.name))) return undefined;
      if (!ref) {
        r.report('unknown-relation', { name: name.name, candidates: suggestionList(name.name, [...(scope?.values() ?? [])].map((d) => d.decl.name.name)) }, name.span);
        return undefined;
      }
      const decl = bindDecl(ref);
      if (!decl) return undefined;
      return { source: { kind: decl.kind, name: decl.name }, type: decl.type };
    },
  });

  // Bind every declaration (library files included), so mistakes in unused declarations are found too.
  for (const module of input.modules.modules.values()) {
    for (const st of module.file.statements) {
      if (st.kind === 'SourceDecl' || st.kind === 'StreamDecl') bindDecl({ file: module.file.path, decl: st });
    }
  }

  const pipelines: BoundPipeline[] = [];
  for (const module of input.modules.modules.values()) {
    const file = module.file;
    const sinkDecls = file.statements.filter((s): s is A.SinkDecl => s.kind === 'SinkDecl');
    if (!file.pipeline) {
      for (const sink of sinkDecls) r.report('sink-outside-pipeline', {}, sink.span);
      continue;
    }
    const resolver = resolverFor(file.path);
    const sinks = sinkDecls.map((d) => bindSink(d, input.connections, resolver, r)).filter((s): s is BoundSink => s !== undefined);
    if (sinkDecls.length === 0) r.report('pipeline-without-sink', { name: file.pipeline.name.name }, file.pipeline.name.span);
    const reachable = reachableDecls(sinks, input.modules, bound);
    pipelines.push({
      name: file.pipeline.name.name,
      file: file.path,
      owner: file.pipeline.owner?.value,
      description: file.pipeline.description?.value,
      settings: bindSettings(file.pipeline, r),
      sources: reachable.filter((d): d is BoundSource => d.kind === 'source'),
      streams: reachable.filter((d): d is BoundStream => d.kind === 'stream'),
      sinks,
      span: file.pipeline.span,
    });
  }
  const names = new Map<string, BoundPipeline>();
  for (const p of pipelines) {
    const other = names.get(nameKey(p.name));
    if (other) r.report('duplicate-pipeline', { name: p.name }, p.span, { labels: [{ span: other.span, message: 'also declared here' }] });
    names.set(nameKey(p.name), p);
  }
  pipelines.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { program: { pipelines }, diagnostics: r.diagnostics };
}

/** The sources and streams a pipeline's sinks read, directly or through other streams, in dependency order. */
function reachableDecls(sinks: readonly BoundSink[], modules: ModuleTable, bound: ReadonlyMap<A.SourceDecl | A.StreamDecl, Bound | 'binding'>): Bound[] {
  const order: Bound[] = [];
  const seen = new Set<Bound>();
  // Names resolve in the scope of the file that mentions them (a stream of an imported file sees that file's imports).
  const visitSource = (source: RelationSource, file: string): void => {
    if (source.kind === 'subquery') {
      visitQueryInputs(source.query, file);
      return;
    }
    const ref = modules.modules.get(file)?.scope.get(nameKey(source.name));
    const decl = ref ? bound.get(ref.decl) : undefined;
    if (!ref || !decl || decl === 'binding' || seen.has(decl)) return;
    seen.add(decl);
    if (decl.kind === 'stream') visitQueryInputs(decl.query, ref.file);
    order.push(decl);
  };
  const visitQueryInputs = (q: BoundStream['query'], file: string): void => {
    switch (q.kind) {
      case 'select': q.inputs.forEach((i) => { if (i.relation.kind === 'subquery' || i.relation.name) visitSource(i.relation, file); }); break;
      case 'union': q.inputs.forEach((i) => visitQueryInputs(i, file)); break;
      case 'dedupe': case 'top': visitSource(q.input, file); break;
      case 'error': break;
    }
  };
  for (const sink of sinks) visitSource(sink.input, sink.decl.span.file);
  return order;
}
