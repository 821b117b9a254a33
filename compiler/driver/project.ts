/**
 * Loading a project (edge: files): find pipec.yaml, read it, read the `.pipe` files asked for and every file
 * they import, parse them. Returns data for the pure core (compile.ts) and a source lookup for rendering.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse, type ParsedFile } from '../../grammar/index.ts';
import { CONFIG_FILE, loadConfig } from '../config/load.ts';
import type { ResolvedConfig } from '../config/schema.ts';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceLookup } from '../diagnostics/render.ts';
import { importOrder, resolveImportPath } from '../project/modules.ts';
import type { SourceFile } from '../source/source.ts';
import { findPipeFiles, readPipeFiles } from './files.ts';

export interface ProjectOptions {
  readonly paths: readonly string[];
  readonly config: string | undefined;
  readonly env: string | undefined;
  /** How a file is parsed; watch mode passes a parse cache (grammar/parse-cache.ts) to re-parse only what changed. */
  readonly parse?: ((source: SourceFile) => ParsedFile) | undefined;
}

export interface LoadedProject {
  readonly config: ResolvedConfig | undefined;
  readonly parsed: readonly ParsedFile[];
  readonly sources: SourceLookup;
  /** The `.pipe` files read, every imported file before its importers: the order diagnostics are shown in. */
  readonly fileOrder: readonly string[];
  /** Diagnostics of loading: configuration, unreadable files. Syntax errors are in `parsed`. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Paths shown to users are relative to the working directory, with `/`, as CI annotations expect. */
export const displayPath = (absolute: string): string => path.relative(process.cwd(), absolute).split(path.sep).join('/') || '.';

/** A shown path (relative to the working directory) as artifacts name it: relative to the project root. */
export const projectPath =
  (root: string) =>
  (shown: string): string =>
    path.relative(root, path.resolve(shown)).split(path.sep).join('/');

export function findConfig(options: ProjectOptions): string | undefined {
  if (options.config) return path.resolve(options.config);
  const start = path.resolve(options.paths[0] ?? '.');
  let dir = existsSync(start) && !start.endsWith('.pipe') ? start : path.dirname(start);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function loadProject(options: ProjectOptions): Promise<LoadedProject> {
  const files = new Map<string, SourceFile>();
  const sources: SourceLookup = (p) => files.get(p);
  const configPath = findConfig(options);
  if (!configPath) {
    const looked = options.paths[0] ?? '.';
    return { config: undefined, parsed: [], sources, fileOrder: [], diagnostics: [diagnostic('config-not-found', { path: `${displayPath(path.resolve(looked))} or any folder above it` }, undefined)] };
  }
  const loaded = await loadConfig(configPath, options.env, displayPath(configPath));
  if (loaded.source) files.set(loaded.source.path, loaded.source);
  if (!loaded.ok) return { config: undefined, parsed: [], sources, fileOrder: [], diagnostics: loaded.diagnostics };
  const config = loaded.config;

  const roots = options.paths.length > 0 ? options.paths.map((p) => path.resolve(p)) : [path.resolve(config.root, config.pipelines)];
  const found = await findPipeFiles(roots.map(displayPath));
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const parsed = new Map<string, ParsedFile>();
  let pending = found.found;
  // Read the files asked for, then whatever they import that is not loaded yet, until nothing is missing.
  while (pending.length > 0) {
    const read = await readPipeFiles(pending, displayPath);
    diagnostics.push(...read.diagnostics);
    const next = new Set<string>();
    for (const file of read.files) {
      files.set(file.path, file);
      const p = (options.parse ?? parse)(file);
      parsed.set(file.path, p);
      for (const st of p.ast.statements) {
        if (st.kind !== 'ImportDecl') continue;
        const target = resolveImportPath(file.path, st.from.value);
        if (!parsed.has(target) && existsSync(target)) next.add(path.resolve(target));
      }
    }
    pending = [...next].filter((p) => !parsed.has(displayPath(p)));
  }
  const ordered = [...parsed.values()].sort((a, b) => (a.source.path < b.source.path ? -1 : 1));
  return { config, parsed: ordered, sources, fileOrder: importOrder(ordered.map((p) => p.ast)), diagnostics };
}
