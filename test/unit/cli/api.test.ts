/**
 * The programmatic API (`import … from 'pipec'`): the commands' JSON documents as values, nothing printed.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { check, compile, explain } from '../../../compiler/api.ts';
import { ROOT } from '../../helpers/run-pipec.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-api-'));
  await cp(path.join(ROOT, 'examples'), path.join(work, 'examples'), { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

test('check, compile and explain return what --format json prints, and print nothing', async () => {
  const stdout = vi.spyOn(process.stdout, 'write');
  const stderr = vi.spyOn(process.stderr, 'write');
  const checked = await check({ paths: [path.join(work, 'examples')] });
  expect(checked).toMatchObject({ exitCode: 0, diagnostics: [], checked: { files: 9, pipelines: 8 }, summary: { errors: 0, warnings: 0 } });
  const built = await compile({ paths: [path.join(work, 'examples')], out: path.join(work, 'out') });
  expect(built).toMatchObject({ exitCode: 0, build: { pipelines: 8 } });
  const explained = await explain(path.join(work, 'examples', 'shared', 'sources.pipe'));
  expect(explained.exitCode).toBe(0);
  expect(explained.libraries?.[0]?.sources.map((s) => s.name)).toContain('payments');
  const missing = await check({ paths: [path.join(work, 'nowhere.pipe')], config: path.join(work, 'examples', 'pipec.yaml') });
  expect(missing.exitCode).toBe(2);
  expect(missing.diagnostics.map((d) => d.code)).toEqual(['file-unreadable']);
  expect(stdout).not.toHaveBeenCalled();
  expect(stderr).not.toHaveBeenCalled();
}, 60_000);
