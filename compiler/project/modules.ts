/**
 * Files and imports: which declarations each file can see. Pure: takes parsed files, returns the module
 * table and diagnostics (unknown files and names, cycles, duplicates). Import paths are relative to the
 * importing file and written with `/`.
 */
import path from 'node:path/posix';
import type * as A from '../ast/nodes.ts';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';

export type Declaration = A.SourceDecl | A.StreamDecl | A.SinkDecl;

/** A declaration and the file it is declared in (its identity across imports). */
export interface DeclRef {
  readonly file: string;
  readonly decl: A.SourceDecl | A.StreamDecl;
}

export interface Module {
  readonly file: A.PipeFile;
  /** Sources and streams visible by name in this file: its own and imported ones. */
  readonly scope: ReadonlyMap<string, DeclRef>;
  /** Names whose import failed (already reported): references to them are not reported again. */
  readonly unresolvedImports: ReadonlySet<string>;
}

export interface ModuleTable {
  readonly modules: ReadonlyMap<string, Module>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Names are case-insensitive, as in Flink SQL's default identifier handling for lookups. */
export const nameKey = (name: string): string => name.toLowerCase();

export function resolveModules(files: readonly A.PipeFile[]): ModuleTable {
  const diagnostics: Diagnostic[] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const own = new Map<string, Map<string, DeclRef>>();

  for (const file of files) {
    const declared = new Map<string, DeclRef>();
    const sinks = new Set<string>();
    for (const st of file.statements) {
      if (st.kind === 'ImportDecl') continue;
      if (st.kind === 'SinkDecl') {
        // A sink is named after what it writes; two sinks of one stream are fine, one name per endpoint object.
        const id = `${nameKey(st.name.name)}\u0000${st.endpoint.system.name}\u0000${st.endpoint.object.value}`;
        if (sinks.has(id)) diagnostics.push(diagnostic('duplicate-declaration', { name: st.name.name }, st.name.span));
        sinks.add(id);
        continue;
      }
      const key = nameKey(st.name.name);
      const previous = declared.get(key);
      if (previous) {
        diagnostics.push(diagnostic('duplicate-declaration', { name: st.name.name }, st.name.span, { labels: [{ span: previous.decl.name.span, message: 'first declared here' }] }));
        continue;
      }
      declared.set(key, { file: file.path, decl: st });
    }
    own.set(file.path, declared);
  }

  const modules = new Map<string, Module>();
  for (const file of files) {
    const scope = new Map(own.get(file.path));
    const unresolvedImports = new Set<string>();
    for (const st of file.statements) {
      if (st.kind !== 'ImportDecl') continue;
      const target = resolveImportPath(file.path, st.from.value);
      const targetFile = byPath.get(target);
      if (!targetFile) {
        diagnostics.push(diagnostic('import-not-found', { path: st.from.value }, st.from.span));
        for (const name of st.names) unresolvedImports.add(nameKey(name.name));
        continue;
      }
      const exported = own.get(target) ?? new Map<string, DeclRef>();
      for (const name of st.names) {
        const ref = exported.get(nameKey(name.name));
        if (!ref) {
          const candidates = suggestionList(name.name, [...exported.values()].map((r) => r.decl.name.name));
          diagnostics.push(diagnostic('import-unknown-name', { name: name.name, path: st.from.value, candidates }, name.span));
          unresolvedImports.add(nameKey(name.name));
          continue;
        }
        const clash = scope.get(nameKey(name.name));
        if (clash && clash !== ref) {
          diagnostics.push(diagnostic('duplicate-declaration', { name: name.name }, name.span, { labels: [{ span: clash.decl.name.span, message: 'also declared here' }] }));
          continue;
        }
        scope.set(nameKey(name.name), ref);
      }
    }
    modules.set(file.path, { file, scope, unresolvedImports });
  }

  diagnostics.push(...findImportCycles(files, byPath));
  return { modules, diagnostics };
}

/** The files' paths, every imported file before the files that import it (cycles broken where met), else by path. */
export function importOrder(files: readonly A.PipeFile[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (file: A.PipeFile): void => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    for (const st of file.statements) {
      const imported = st.kind === 'ImportDecl' ? byPath.get(resolveImportPath(file.path, st.from.value)) : undefined;
      if (imported) visit(imported);
    }
    order.push(file.path);
  };
  [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).forEach(visit);
  return order;
}

export function resolveImportPath(fromFile: string, importPath: string): string {
  return path.normalize(path.join(path.dirname(fromFile), importPath));
}

function findImportCycles(files: readonly A.PipeFile[], byPath: ReadonlyMap<string, A.PipeFile>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (file: A.PipeFile): void => {
    state.set(file.path, 'visiting');
    stack.push(file.path);
    for (const st of file.statements) {
      if (st.kind !== 'ImportDecl') continue;
      const target = resolveImportPath(file.path, st.from.value);
      const next = byPath.get(target);
      if (!next) continue;
      if (state.get(target) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(target)), target];
        const id = [...cycle].sort().join('|');
        if (!reported.has(id)) {
          reported.add(id);
          diagnostics.push(diagnostic('import-cycle', { cycle }, st.from.span));
        }
      } else if (!state.has(target)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file.path, 'done');
  };
  for (const f of files) if (!state.has(f.path)) visit(f);
  return diagnostics;
}
