/**
 * Loading a project (edge: files): find pipec.yaml, read it, read the `.pipe` files asked for and every file
 * they import, parse them. Returns data for the pure core (compile.ts) and a source lookup for rendering.
 */
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { parse, type ParsedFile } from '../ast/parse.ts';
import { CONFIG_FILE, loadConfig } from '../config/load.ts';
import type { ResolvedConfig } from '../config/schema.ts';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceLookup } from '../diagnostics/render.ts';
import { importOrder, resolveImportPath } from '../project/modules.ts';
import type { SourceFile } from '../source/source.ts';
import { findPipeFiles, readPipeFiles } from './files.ts';
import { isSameOrInside, realPathOf } from './paths.ts';

export interface ProjectOptions {
  readonly paths: readonly string[];
  readonly config: string | undefined;
  readonly env: string | undefined;
  /** How a file is parsed; watch mode passes a parse cache (compiler/ast/parse-cache.ts) to re-parse only what changed. */
  readonly parse?: ((source: SourceFile) => ParsedFile) | undefined;
  /** Without a pipec.yaml, read the paths given (default: the working folder) as they are (pipec fmt). */
  readonly configOptional?: boolean | undefined;
}

export interface LoadedProject {
  readonly config: ResolvedConfig | undefined;
  /** The configuration file read (absolute), when one was found. */
  readonly configFile?: string | undefined;
  readonly parsed: readonly ParsedFile[];
  readonly sources: SourceLookup;
  /** The `.pipe` files read, every imported file before its importers: the order diagnostics are shown in. */
  readonly fileOrder: readonly string[];
  /** Diagnostics of loading: configuration, unreadable files. Syntax errors are in `parsed`. */
  readonly diagnostics: readonly Diagnostic[];
  /** The paths given cannot be read as sources (missing, unreadable, not .pipe files): a usage error. */
  readonly pathsUnusable?: boolean;
}

/** Paths shown to users are relative to the working directory, with `/`, as CI annotations expect. */
export const displayPath = (absolute: string): string => path.relative(process.cwd(), absolute).split(path.sep).join('/') || '.';

/**
 * How a source file of the project is named, in messages and to the compiler: the way from the working folder to
 * the project root, then the path inside the project. Imports are resolved on these names (modules.ts), so they
 * resolve alike whichever folder pipec runs in (`cd shared && pipec check ..` names `shared/sources.pipe`
 * `../shared/sources.pipe`, which is where `../missed_payments.pipe` imports it from). Files outside the project
 * are named relative to the working folder.
 */
export const sourcePathIn =
  (root: string) =>
  (absolute: string): string => {
    const inside = path.relative(root, absolute);
    if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) return displayPath(absolute);
    return path.join(path.relative(process.cwd(), root), inside).split(path.sep).join('/') || '.';
  };

/** A shown path (relative to the working directory) as artifacts name it: relative to the project root. */
export const projectPath =
  (root: string) =>
  (shown: string): string =>
    path.relative(root, path.resolve(shown)).split(path.sep).join('/');

/**
 * Only `.pipe` files inside the project (symbolic links resolved) are read for an import: anything else stays
 * unread, so its lines never appear in a message, and the import is reported as not found (modules.ts).
 */
async function isImportable(target: string, realRoot: string): Promise<boolean> {
  if (!target.endsWith('.pipe')) return false;
  try {
    return isSameOrInside(await realpath(target), realRoot);
  } catch {
    return false;
  }
}

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
    if (options.configOptional) {
      const roots = (options.paths.length > 0 ? options.paths : ['.']).map((p) => path.resolve(p));
      return { config: undefined, ...(await readSources(process.cwd(), roots, options, files)), sources };
    }
    return { config: undefined, parsed: [], sources, fileOrder: [], diagnostics: [diagnostic('config-not-found', { path: `${displayPath(path.resolve(looked))} or any folder above it` }, undefined)] };
  }
  const loaded = await loadConfig(configPath, options.env, displayPath(configPath));
  if (loaded.source) files.set(loaded.source.path, loaded.source);
  if (!loaded.ok) return { config: undefined, configFile: configPath, parsed: [], sources, fileOrder: [], diagnostics: loaded.diagnostics };
  const config = loaded.config;
  const roots = options.paths.length > 0 ? options.paths.map((p) => path.resolve(p)) : [path.resolve(config.root, config.pipelines)];
  return { config, configFile: configPath, ...(await readSources(config.root, roots, options, files)), sources };
}

/** Reads and parses the `.pipe` files under `roots` and every file they import from inside `projectRoot`. */
async function readSources(projectRoot: string, roots: readonly string[], options: ProjectOptions, files: Map<string, SourceFile>): Promise<Pick<LoadedProject, 'parsed' | 'fileOrder' | 'diagnostics' | 'pathsUnusable'>> {
  const root = await realPathOf(projectRoot);
  const found = await findPipeFiles(roots.map(displayPath), { root: projectRoot, realRoot: root });
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const parsed = new Map<string, ParsedFile>();
  const shown = sourcePathIn(projectRoot);
  let pending = found.found;
  while (pending.length > 0) {
    const read = await readPipeFiles(pending, shown);
    diagnostics.push(...read.diagnostics);
    const next = new Set<string>();
    for (const file of read.files) {
      files.set(file.path, file);
      const p = (options.parse ?? parse)(file);
      parsed.set(file.path, p);
      for (const st of p.ast.statements) {
        if (st.kind !== 'ImportDecl') continue;
        const target = resolveImportPath(file.path, st.from.value);
        if (!parsed.has(target) && (await isImportable(target, root))) next.add(path.resolve(target));
      }
    }
    pending = [...next].filter((p) => !parsed.has(shown(p)));
  }
  const ordered = [...parsed.values()].sort((a, b) => (a.source.path < b.source.path ? -1 : 1));
  return { parsed: ordered, fileOrder: importOrder(ordered.map((p) => p.ast)), diagnostics, pathsUnusable: hasErrors(found.diagnostics) };
}
