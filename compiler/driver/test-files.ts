/**
 * Finding and reading pipeline test files (`*.test.yaml`; edge: file system). A folder is searched recursively,
 * skipping dot-folders, node_modules and build/, like `.pipe` files.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { wholeFile, type SourceFile } from '../source/source.ts';
import type { PipelinePlan } from '../plan/plan.ts';
import { checkTestFile, type ResolvedTest } from '../testing/check-tests.ts';
import { parseTestFile, TEST_FILE_SUFFIX } from '../testing/test-file.ts';

export async function readTestFiles(paths: readonly string[], displayPath: (absolute: string) => string): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    try {
      const info = await stat(p);
      if (info.isFile()) {
        if (p.endsWith(TEST_FILE_SUFFIX)) found.add(path.resolve(p));
      }
      else for (const f of await walk(p)) found.add(f);
    } catch (e) {
      diagnostics.push(diagnostic('file-unreadable', { path: displayPath(path.resolve(p)), reason: e instanceof Error ? e.message : String(e) }, wholeFile(displayPath(path.resolve(p)))));
    }
  }
  const files: SourceFile[] = [];
  for (const f of [...found].sort()) {
    try {
      files.push({ path: displayPath(f), text: await readFile(f, 'utf8') });
    } catch (e) {
      diagnostics.push(diagnostic('file-unreadable', { path: displayPath(f), reason: e instanceof Error ? e.message : String(e) }, wholeFile(displayPath(f))));
    }
  }
  return { files, diagnostics };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'build') continue;
    const full = path.resolve(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile() && e.name.endsWith(TEST_FILE_SUFFIX)) out.push(full);
  }
  return out;
}

/** Reads, parses and checks the test files under `paths` against the project's pipelines. */
export async function checkTestFiles(paths: readonly string[], pipelines: readonly PipelinePlan[], displayPath: (absolute: string) => string): Promise<{ tests: ResolvedTest[]; files: SourceFile[]; diagnostics: Diagnostic[] }> {
  const read = await readTestFiles(paths, displayPath);
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  const tests: ResolvedTest[] = [];
  for (const f of read.files) {
    const parsed = parseTestFile(f);
    const checked = checkTestFile(parsed.file, pipelines);
    diagnostics.push(...parsed.diagnostics, ...checked.diagnostics);
    tests.push(...checked.tests);
  }
  return { tests, files: read.files, diagnostics };
}
