/**
 * Reading `.pipe` files (edge: file system). Every failure is a diagnostic: unreadable, not text, too large.
 */
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from '../config/load.ts';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { wholeFile, type SourceFile } from '../source/source.ts';
import { reasonOf } from './fs-errors.ts';
import { isSameOrInside } from './paths.ts';
import { BUILD_MARKER } from './write-build.ts';

/** Larger files are refused before lexing: a pipeline file of this size is a mistake, not a pipeline. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface ReadResult {
  readonly files: readonly SourceFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Finds `.pipe` files under the given paths (files or folders), sorted, skipping dot-folders, node_modules,
 * builds and nested projects (a folder below the one given that has its own pipec.yaml). Symbolic links are followed when they lead inside the project and reported when they lead out of it or
 * nowhere, never skipped in silence. A file inside the project is named by where it really is (so a linked file's
 * imports are relative to the file itself) under the project's path as given, and read once however often reached.
 */
export async function findPipeFiles(paths: readonly string[], project: { readonly root: string; readonly realRoot: string }): Promise<{ found: string[]; diagnostics: Diagnostic[] }> {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const add = (file: string, real: string): void => {
    found.add(isSameOrInside(real, project.realRoot) ? path.join(project.root, path.relative(project.realRoot, real)) : file);
  };
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch (e) {
      diagnostics.push(diagnostic('file-unreadable', { path: p, reason: reasonOf(e) }, wholeFile(p)));
      continue;
    }
    if (info.isFile()) {
      if (p.endsWith('.pipe')) add(path.resolve(p), await realpath(p));
      else diagnostics.push(diagnostic('not-a-pipe-file', { path: p }, wholeFile(p)));
      continue;
    }
    if (!info.isDirectory()) {
      diagnostics.push(diagnostic('file-unreadable', { path: p, reason: 'it is neither a regular file nor a folder' }, wholeFile(p)));
      continue;
    }
    const before = { files: found.size, diagnostics: diagnostics.length };
    await walk(p, { root: project.realRoot, visited: new Set(), add, diagnostics }, true);
    if (found.size === before.files && !hasErrors(diagnostics.slice(before.diagnostics))) diagnostics.push(diagnostic('no-pipe-files', { path: p }, undefined));
  }
  return { found: [...found].sort(), diagnostics };
}

interface Walk {
  readonly root: string;
  /** Real paths of the folders walked: a link back up is walked once. */
  readonly visited: Set<string>;
  readonly add: (file: string, real: string) => void;
  readonly diagnostics: Diagnostic[];
}

/** `dir` is shown as given (relative to the working folder); entries under it are shown the same way. */
async function walk(dir: string, w: Walk, given = false): Promise<void> {
  let entries;
  try {
    const real = await realpath(dir);
    if (w.visited.has(real)) return;
    w.visited.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    w.diagnostics.push(diagnostic('file-unreadable', { path: dir, reason: reasonOf(e) }, undefined));
    return;
  }
  // A build folder holds no sources, and may be large.
  if (entries.some((e) => e.name === BUILD_MARKER)) return;
  // Another project's files are checked with its own pipec.yaml, not this one's.
  if (!given && entries.some((e) => e.name === CONFIG_FILE)) return;
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'build') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(full, w);
    else if (e.isFile() && e.name.endsWith('.pipe')) w.add(path.resolve(full), await realpath(full));
    else if (e.isSymbolicLink()) await followLink(full, e.name.endsWith('.pipe'), w);
    else if (!e.isFile() && e.name.endsWith('.pipe')) w.diagnostics.push(diagnostic('file-unreadable', { path: full, reason: 'it is not a regular file' }, wholeFile(full)));
  }
}

async function followLink(link: string, named: boolean, w: Walk): Promise<void> {
  let real;
  let info;
  try {
    real = await realpath(link);
    info = await stat(real);
  } catch (e) {
    if (named) w.diagnostics.push(diagnostic('file-unreadable', { path: link, reason: `it is a symbolic link that leads nowhere (${reasonOf(e)})` }, wholeFile(link)));
    return;
  }
  if (!info.isDirectory() && !named) return;
  if (!info.isDirectory() && !info.isFile()) {
    w.diagnostics.push(diagnostic('file-unreadable', { path: link, reason: 'it is not a regular file' }, wholeFile(link)));
    return;
  }
  if (!isSameOrInside(real, w.root)) {
    w.diagnostics.push(diagnostic('link-outside-project', { path: link }, wholeFile(link)));
    return;
  }
  if (info.isDirectory()) await walk(link, w);
  else w.add(path.resolve(link), real);
}

/** Reads files; `displayPath` turns an absolute path into the path shown to the user (relative to the project). */
export async function readPipeFiles(paths: readonly string[], displayPath: (absolute: string) => string): Promise<ReadResult> {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    const shown = displayPath(p);
    const read = await readBounded(p);
    switch (read.kind) {
      case 'failed':
        diagnostics.push(diagnostic('file-unreadable', { path: shown, reason: read.reason }, wholeFile(shown)));
        continue;
      case 'too-large':
        diagnostics.push(diagnostic('file-too-large', { path: shown, bytes: read.bytes, limit: MAX_FILE_BYTES }, wholeFile(shown)));
        continue;
      case 'read': {
        const text = decodeText(read.bytes);
        if (text === undefined) diagnostics.push(diagnostic('file-not-text', { path: shown }, wholeFile(shown)));
        else files.push({ path: shown, text });
      }
    }
  }
  return { files, diagnostics };
}

type Bounded = { readonly kind: 'read'; readonly bytes: Buffer } | { readonly kind: 'too-large'; readonly bytes: number } | { readonly kind: 'failed'; readonly reason: string };

/**
 * A regular file's bytes, at most MAX_FILE_BYTES of them. Opened without blocking (a FIFO would otherwise wait
 * for a writer forever) and judged by the open file itself, so a device (`/dev/zero`) or a FIFO is refused
 * before a byte is read, and a file that grows while it is read is cut off at the limit.
 */
async function readBounded(file: string): Promise<Bounded> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { kind: 'failed', reason: reasonOf(e) };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: 'failed', reason: 'it is a folder' };
    if (!info.isFile()) return { kind: 'failed', reason: 'it is not a regular file' };
    if (info.size > MAX_FILE_BYTES) return { kind: 'too-large', bytes: info.size };
    // Room for the size the file has now and one byte more, to notice a file that grew.
    let buffer = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_FILE_BYTES) return { kind: 'too-large', bytes: length };
        buffer = Buffer.concat([buffer, Buffer.allocUnsafe(Math.min(buffer.length, MAX_FILE_BYTES + 1 - buffer.length))]);
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return length > MAX_FILE_BYTES ? { kind: 'too-large', bytes: length } : { kind: 'read', bytes: buffer.subarray(0, length) };
  } catch (e) {
    return { kind: 'failed', reason: reasonOf(e) };
  } finally {
    await handle.close();
  }
}

/** UTF-8 without NUL bytes, or undefined. A leading byte-order mark is dropped. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}
