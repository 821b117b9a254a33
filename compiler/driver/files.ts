/**
 * Reading `.pipe` files (edge: file system). Every failure is a diagnostic: unreadable, not text, too large.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceFile } from '../source/source.ts';
import { reasonOf } from './fs-errors.ts';

/** Larger files are refused before lexing: a pipeline file of this size is a mistake, not a pipeline. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface ReadResult {
  readonly files: readonly SourceFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Finds `.pipe` files under the given paths (files or folders), sorted, skipping dot-folders and node_modules. */
export async function findPipeFiles(paths: readonly string[]): Promise<{ found: string[]; diagnostics: Diagnostic[] }> {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch (e) {
      diagnostics.push(diagnostic('file-unreadable', { path: p, reason: reasonOf(e) }, undefined));
      continue;
    }
    if (info.isFile()) {
      found.add(path.resolve(p));
      continue;
    }
    const before = found.size;
    for (const f of await walk(p)) found.add(f);
    if (found.size === before) diagnostics.push(diagnostic('no-pipe-files', { path: p }, undefined));
  }
  return { found: [...found].sort(), diagnostics };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'build') continue;
    const full = path.resolve(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile() && e.name.endsWith('.pipe')) out.push(full);
  }
  return out;
}

/** Reads files; `displayPath` turns an absolute path into the path shown to the user (relative to the project). */
export async function readPipeFiles(paths: readonly string[], displayPath: (absolute: string) => string): Promise<ReadResult> {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    const shown = displayPath(p);
    let bytes: Buffer;
    try {
      bytes = await readFile(p);
    } catch (e) {
      diagnostics.push(diagnostic('file-unreadable', { path: shown, reason: reasonOf(e) }, undefined));
      continue;
    }
    if (bytes.length > MAX_FILE_BYTES) {
      diagnostics.push(diagnostic('file-too-large', { path: shown, bytes: bytes.length, limit: MAX_FILE_BYTES }, undefined));
      continue;
    }
    const text = decodeText(bytes);
    if (text === undefined) {
      diagnostics.push(diagnostic('file-not-text', { path: shown }, undefined));
      continue;
    }
    files.push({ path: shown, text });
  }
  return { files, diagnostics };
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
