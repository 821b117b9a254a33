/**
 * Findings about a whole file (not text, too large, unreadable) name the file in every rendering: a `file` with
 * line 1, column 1 in JSON and in GitHub annotations, a `-->` line in human output.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { MAX_FILE_BYTES, readPipeFiles } from '../../../compiler/driver/files.ts';
import { renderGithub, renderHuman, toJson } from '../../../compiler/diagnostics/render.ts';

const noSources = (): undefined => undefined;

test('file-not-text and file-too-large carry their file at 1:1 in JSON, GitHub and human output', async () => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'pipec-whole-file-'));
  await writeFile(path.join(tmp, 'binary.pipe'), Buffer.from([0x70, 0x69, 0x00, 0xff, 0xfe]));
  await writeFile(path.join(tmp, 'huge.pipe'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
  const read = await readPipeFiles([path.join(tmp, 'binary.pipe'), path.join(tmp, 'huge.pipe')], (p) => path.relative(tmp, p));
  expect(read.diagnostics.map((d) => d.code)).toEqual(['file-not-text', 'file-too-large']);
  const [notText, tooLarge] = read.diagnostics;
  if (!notText || !tooLarge) throw new Error('two diagnostics expected');

  expect(toJson(notText, noSources)).toMatchObject({ code: 'file-not-text', file: 'binary.pipe', line: 1, column: 1 });
  expect(toJson(tooLarge, noSources)).toMatchObject({ code: 'file-too-large', file: 'huge.pipe', line: 1, column: 1 });
  expect(renderGithub(notText, noSources)).toMatch(/^::error file=binary\.pipe,line=1,col=1,title=pipec file-not-text::/);
  expect(renderHuman(notText, noSources).split('\n')[1]).toBe('  --> binary.pipe');
});

test('a span that does not start the file is not placed at 1:1 when the file is not at hand', () => {
  const d = { code: 'file-not-text' as const, severity: 'error' as const, message: 'm', span: { file: 'a.pipe', start: 5, end: 6 }, labels: [], hints: [] };
  expect(toJson(d, noSources)).toEqual({ code: 'file-not-text', severity: 'error', message: 'm', file: 'a.pipe', hints: [], labels: [] });
});
