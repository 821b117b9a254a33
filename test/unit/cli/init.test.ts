/**
 * `pipec init` as a new user runs it: in an empty temporary folder, init, then check, compile and fmt --check of
 * what it wrote, all clean; and init never writes into an existing project.
 */
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { parse } from 'yaml';
import { pipec } from '../../helpers/run-pipec.ts';

vi.setConfig({ testTimeout: 60_000 });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-init-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

test('init → check → compile → fmt --check: a working project, first time', async () => {
  const init = await pipec(['init', 'my-shop'], work);
  expect(init.code).toBe(0);
  expect(init.stdout).toContain('created a pipec project in my-shop/');
  const check = await pipec(['check', 'my-shop'], work);
  expect(check).toMatchObject({ code: 0, stdout: 'checked 1 file, 1 pipeline: no errors\n', stderr: '' });
  const compile = await pipec(['compile', 'my-shop'], work);
  expect(compile.code).toBe(0);
  expect(compile.stdout).toMatch(/^compiled 1 pipeline into my-shop\/build\/ \(\d+ files\): no errors\n$/);
  expect(await readdir(path.join(work, 'my-shop', 'build', 'orders_per_minute'))).toContain('job.sql');
  expect(await pipec(['fmt', '--check'], path.join(work, 'my-shop'))).toMatchObject({ code: 0, stderr: '' });
  expect((await readFile(path.join(work, 'my-shop', 'pipec.yaml'), 'utf8'))).toContain('project: my-shop');
});

test('the CI workflow runs the checks with read-only permissions', async () => {
  const workflow = parse(await readFile(path.join(work, 'my-shop', '.github', 'workflows', 'pipec.yml'), 'utf8')) as { permissions: unknown; jobs: { check: { steps: { run?: string }[] } } };
  expect(workflow.permissions).toEqual({ contents: 'read' });
  const runs = workflow.jobs.check.steps.flatMap((s) => (s.run ? [s.run] : []));
  expect(runs.some((r) => / check --max-warnings 0$/.test(r))).toBe(true);
  expect(runs.some((r) => / fmt --check$/.test(r))).toBe(true);
});

test('init into an existing project writes nothing: exit 2, naming what exists', async () => {
  const project = path.join(work, 'existing');
  await mkdir(project);
  await writeFile(path.join(project, 'pipec.yaml'), 'project: mine\n');
  const r = await pipec(['init'], project);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('pipec: pipec.yaml exists already; init writes nothing into a project');
  expect(await readdir(project)).toEqual(['pipec.yaml']);
});
