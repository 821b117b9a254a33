/**
 * Files as a user meets them: `fmt --check` outside any project shows the diff; `explain` of a library file (no
 * pipeline header) shows what it declares; a nested pipec.yaml is another project, not part of this one.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { pipec, ROOT } from '../../helpers/run-pipec.ts';

vi.setConfig({ testTimeout: 60_000 });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-projectless-'));
  await cp(path.join(ROOT, 'examples'), path.join(work, 'examples'), { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const MESSY = "pipeline p;\nsource o from kafka topic 'o' format avro;\nstream s as select   a,b from o;\n";

test('fmt --check without a pipec.yaml: the diff on stdout, exit 1, the file unchanged', async () => {
  const folder = path.join(work, 'loose');
  await mkdir(folder);
  await writeFile(path.join(folder, 'messy.pipe'), MESSY);
  const r = await pipec(['fmt', '--check'], folder);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe(
    [
      '--- messy.pipe',
      '+++ messy.pipe',
      '@@ -1,3 +1,6 @@',
      ' pipeline p;',
      "-source o from kafka topic 'o' format avro;",
      '-stream s as select   a,b from o;',
      '+',
      "+source o from kafka topic 'o'",
      '+  format avro;',
      '+',
      '+stream s as select a, b from o;',
      'not formatted: messy.pipe',
      '1 file not formatted; `pipec fmt` formats it',
      '',
    ].join('\n'),
  );
  expect(await readFile(path.join(folder, 'messy.pipe'), 'utf8')).toBe(MESSY);
  // And formats it, still without a project.
  expect((await pipec(['fmt', 'messy.pipe'], folder)).code).toBe(0);
  expect((await pipec(['fmt', '--check'], folder)).code).toBe(0);
});

test('explain of a library file: its sources with their columns', async () => {
  const r = await pipec(['explain', 'examples/shared/sources.pipe'], work);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^library examples\/shared\/sources\.pipe {2}\(no pipeline: sources and streams to import\)\n\n {2}source payments {2}← kafka topic payments\n {4}changelog: append-only\n {4}payment_id {3}STRING NOT NULL\n/);
  const json = JSON.parse((await pipec(['explain', 'examples/shared/sources.pipe', '--format', 'json'], work)).stdout) as { pipelines: unknown[]; libraries: { file: string; sources: { name: string }[] }[] };
  expect(json.pipelines).toEqual([]);
  expect(json.libraries.map((l) => l.file)).toEqual(['examples/shared/sources.pipe']);
  expect(json.libraries[0]?.sources.map((s) => s.name)).toContain('payments');
});

test('check does not walk into a nested project (a folder with its own pipec.yaml)', async () => {
  const nested = path.join(work, 'examples', 'team-b');
  await mkdir(nested);
  await writeFile(path.join(nested, 'pipec.yaml'), 'project: team-b\n');
  // Wrong for the outer project (its schemas know no `orders` topic), right or wrong only by team-b's own config.
  await writeFile(path.join(nested, 'orders.pipe'), "pipeline orders;\nsource o from kafka topic 'orders' format avro;\nsink o into kafka topic 'x' format avro;\n");
  const outer = await pipec(['check', 'examples'], work);
  expect(outer.stdout).toBe('checked 9 files, 8 pipelines: no errors\n');
  expect(outer.code).toBe(0);
  const inner = await pipec(['check', 'examples/team-b'], work);
  expect(inner.stderr).toContain('--> examples/team-b/orders.pipe');
});
