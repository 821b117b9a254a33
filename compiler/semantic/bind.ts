/**
 * ASTs + config + schema snapshot → BoundProgram. Pure. Each source and stream is bound once, in the file
 * that declares it, however many pipelines import it, so its findings are reported once.
 */
import type * as A from '../ast/nodes.ts';
import type { Connection } from '../config/schema.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { nameKey, type DeclRef, type ModuleTable } from '../project/modules.ts';
import { bindExpectations } from './bind-expectations.ts';
import type { BoundLibrary, BoundPipeline, BoundProgram, BoundSink, BoundSource, BoundStream, RelationSource } from './bound.ts';
import type { SchemaLookup } from './catalog.ts';
import { bindQuery, type RelationResolver, type ResolvedRelation } from './bind-query.ts';
import { bindSettings, bindSink, bindSource } from './bind-decls.ts';
import { Reporter } from './context.ts';
import type { FlinkLine } from '../../stdlib/flink-lines.ts';

export interface BindInput {
  readonly project: string;
  readonly environment: string;
  readonly modules: ModuleTable;
  /** The targeted Flink line: which functions exist, which changelog semantics apply. */
  readonly line: FlinkLine;
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
      result = bindSource(ref.decl, input.connections, input.schemas, input.line, r);
    } else {
      const query = bindQuery(ref.decl.query, resolverFor(ref.file), r);
      const expectations = bindExpectations(ref.decl, query.output, input.line, r);
      result = { kind: 'stream', name: ref.decl.name.name, decl: ref.decl, query, expectations, type: query.output };
    }
    bound.set(ref.decl, result);
    return result;
  };

  const resolverFor = (file: string): RelationResolver => ({
    line: input.line,
    resolve(name: A.Ident): ResolvedRelation | undefined {
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
      return { source: { kind: decl.kind, name: decl.name }, type: decl.type, notes: decl.kind === 'source' ? decl.columnNotes : [] };
    },
  });

  // Bind every declaration (library files included), so mistakes in unused declarations are found too.
  for (const module of input.modules.modules.values()) {
    for (const st of module.file.statements) {
      if (st.kind === 'SourceDecl' || st.kind === 'StreamDecl') bindDecl({ file: module.file.path, decl: st });
    }
  }

  const pipelines: BoundPipeline[] = [];
  const libraries: BoundLibrary[] = [];
  for (const module of input.modules.modules.values()) {
    const file = module.file;
    const sinkDecls = file.statements.filter((s): s is A.SinkDecl => s.kind === 'SinkDecl');
    if (!file.pipeline) {
      for (const sink of sinkDecls) r.report('sink-outside-pipeline', {}, sink.span);
      const own = file.statements.flatMap((st) => {
        const decl = st.kind === 'SourceDecl' || st.kind === 'StreamDecl' ? bound.get(st) : undefined;
        return decl && decl !== 'binding' ? [decl] : [];
      });
      libraries.push({ file: file.path, sources: own.filter((d): d is BoundSource => d.kind === 'source'), streams: own.filter((d): d is BoundStream => d.kind === 'stream') });
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
      nameSpan: file.pipeline.name.span,
    });
  }
  const names = new Map<string, BoundPipeline>();
  for (const p of pipelines) {
    const other = names.get(nameKey(p.name));
    if (other) r.report('duplicate-pipeline', { name: p.name }, p.span, { labels: [{ span: other.span, message: 'also declared here' }] });
    names.set(nameKey(p.name), p);
  }
  pipelines.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  libraries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { program: { project: input.project, environment: input.environment, pipelines, libraries }, diagnostics: r.diagnostics };
}

/**
 * The sources and streams a pipeline's sinks read, directly or through other streams, in dependency order.
 * Depth-first with an explicit stack: a chain of thousands of streams, each reading the one before, must not
 * overflow the call stack.
 */
function reachableDecls(sinks: readonly BoundSink[], modules: ModuleTable, bound: ReadonlyMap<A.SourceDecl | A.StreamDecl, Bound | 'binding'>): Bound[] {
  type Work = { readonly kind: 'source'; readonly source: RelationSource; readonly file: string } | { readonly kind: 'query'; readonly query: BoundStream['query']; readonly file: string } | { readonly kind: 'emit'; readonly decl: Bound };
  const order: Bound[] = [];
  const seen = new Set<Bound>();
  // Pushed in reverse, so that inputs are visited in the order they are written, each before what reads it.
  const stack: Work[] = [...sinks].reverse().map((sink): Work => ({ kind: 'source', source: sink.input, file: sink.decl.span.file }));
  for (let work = stack.pop(); work; work = stack.pop()) {
    switch (work.kind) {
      case 'emit':
        order.push(work.decl);
        break;
      case 'source': {
        const { source, file } = work;
        if (source.kind === 'subquery') {
          stack.push({ kind: 'query', query: source.query, file });
          break;
        }
        // Names resolve in the scope of the file that mentions them (a stream of an imported file sees that file's imports).
        const ref = modules.modules.get(file)?.scope.get(nameKey(source.name));
        const decl = ref ? bound.get(ref.decl) : undefined;
        if (!ref || !decl || decl === 'binding' || seen.has(decl)) break;
        seen.add(decl);
        stack.push({ kind: 'emit', decl });
        if (decl.kind === 'stream') stack.push({ kind: 'query', query: decl.query, file: ref.file });
        break;
      }
      case 'query':
        stack.push(...queryInputs(work.query, work.file).reverse());
        break;
    }
  }
  return order;
}

function queryInputs(q: BoundStream['query'], file: string): { readonly kind: 'source'; readonly source: RelationSource; readonly file: string }[] | { readonly kind: 'query'; readonly query: BoundStream['query']; readonly file: string }[] {
  switch (q.kind) {
    case 'select': return q.inputs.filter((i) => i.relation.kind === 'subquery' || i.relation.name).map((i) => ({ kind: 'source' as const, source: i.relation, file }));
    case 'union': return q.inputs.map((i) => ({ kind: 'query' as const, query: i, file }));
    case 'dedupe': case 'top': return [{ kind: 'source' as const, source: q.input, file }];
    case 'error': return [];
  }
}
