/**
 * `pipec compile` writes only where it may replace everything: never over the user's files, the project, its
 * configuration or a source; an empty result is refused unless asked for; concurrent compiles take turns.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { pipec } from '../../helpers/run-pipec.ts';
import { EXAMPLES } from '../../helpers/examples.ts';

vi.setConfig({ testTimeout: 120_000 });

/** A project: the examples' configuration, schemas and shared sources, one pipeline, and a file of the user's. */
let project: string;
beforeEach(async () => {
  project = path.join(await mkdtemp(path.join(tmpdir(), 'pipec-out-')), 'project');
  await mkdir(project);
  await cp(path.join(EXAMPLES, 'pipec.yaml'), path.join(project, 'pipec.yaml'));
  await cp(path.join(EXAMPLES, 'schemas'), path.join(project, 'schemas'), { recursive: true });
  await cp(path.join(EXAMPLES, 'shared'), path.join(project, 'shared'), { recursive: true });
  await cp(path.join(EXAMPLES, 'payments_dedupe.pipe'), path.join(project, 'q.pipe'));
  await writeFile(path.join(project, 'README.md'), 'my project\n');
});
afterEach(async () => {
  await rm(path.dirname(project), { recursive: true, force: true });
});

/** Every file of the project with its contents: what must survive a refused compile. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(folder, path.join(entry.parentPath, entry.name))] = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

describe('pipec compile --out', () => {
  test('a folder of the user’s files is refused (exit 2), naming it; nothing in it is touched', async () => {
    await mkdir(path.join(project, 'mydocs'));
    await writeFile(path.join(project, 'mydocs', 'notes.txt'), 'keep me');
    const r = await pipec(['compile', '.', '--out', 'mydocs'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[out-not-a-build]: pipec will not write the build into mydocs: it holds notes.txt, which pipec did not write');
    expect(r.stderr).toContain('choose another folder with --out');
    expect(await readdir(path.join(project, 'mydocs'))).toEqual(['notes.txt']);
  });

  test.each([
    ['--out .', ['--out', '.'], 'the project in .'],
    ['--out at the project’s parent', ['--out', '..'], 'the project in .'],
    ['--out onto a source file', ['--out', 'q.pipe'], 'the source file q.pipe'],
    ['--out onto a folder of sources', ['--out', 'shared'], 'the source file shared/sources.pipe'],
    ['--out onto the configuration', ['--out', 'pipec.yaml'], 'the configuration pipec.yaml'],
  ])('%s is refused (exit 2) and the project is left as it was', async (_name, args, replaces) => {
    const before = await snapshot(path.dirname(project));
    const r = await pipec(['compile', '.', ...args], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[out-overlaps-project]: the output folder ${args[1]} would replace ${replaces}`);
    expect(await snapshot(path.dirname(project))).toEqual(before);
    expect((await stat(path.join(project, 'q.pipe'))).isFile()).toBe(true);
  });

  test('`out: .` in pipec.yaml is refused the same way', async () => {
    await writeFile(path.join(project, 'pipec.yaml'), `${await readFile(path.join(project, 'pipec.yaml'), 'utf8')}\nout: .\n`);
    const before = await snapshot(project);
    const r = await pipec(['compile', '.'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[out-overlaps-project]: the output folder . would replace the project in .');
    expect(await snapshot(project)).toEqual(before);
  });

  test('a compile that yields no pipeline is an error (exit 1) unless --allow-empty', async () => {
    const empty = path.join(project, 'only-sources');
    await mkdir(empty);
    await cp(path.join(project, 'shared', 'sources.pipe'), path.join(empty, 'sources.pipe'));
    const r = await pipec(['compile', 'only-sources', '--out', 'build'], project);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[empty-build]: the compile produced no pipeline');
    expect(await readdir(project)).not.toContain('build');
    const allowed = await pipec(['compile', 'only-sources', '--out', 'build', '--allow-empty'], project);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(await readFile(path.join(project, 'build', 'manifest.json'), 'utf8'))).toMatchObject({ pipelines: [] });
  });

  test('compiles into one folder at the same time take turns: every one succeeds, the build is complete', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => pipec(['compile', '.', '--out', 'build'], project)));
    expect(runs.map((r) => [r.code, r.stderr.includes('internal error')])).toEqual([[0, false], [0, false], [0, false]]);
    expect((await readdir(path.join(project, 'build'))).sort()).toEqual(['.pipec-build', 'manifest.json', 'payments_dedupe']);
    expect((await readdir(project)).filter((f) => f.startsWith('.'))).toEqual(['.build.pipec']);
  });
});

describe('pipeline names as paths', () => {
  test.each(['..', '../../../x', 'x/../p', 'manifest.json'])('pipeline `%s`: exit 1 at the name, nothing written anywhere', async (name) => {
    const text = await readFile(path.join(project, 'q.pipe'), 'utf8');
    await writeFile(path.join(project, 'q.pipe'), text.replace('pipeline payments_dedupe', `pipeline \`${name}\``));
    // Beside it a pipeline `p`, which `x/../p` would have overwritten.
    await writeFile(path.join(project, 'p.pipe'), text.replace('pipeline payments_dedupe', 'pipeline p').replaceAll("'payments-deduped'", "'payments-deduped-p'"));
    const before = await snapshot(path.dirname(project));
    const r = await pipec(['compile', '.', '--out', 'build'], project);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error[invalid-pipeline-name]: the pipeline name ${JSON.stringify(name)} cannot name its folder in the build`);
    expect(r.stderr).toContain('--> q.pipe:');
    expect(await snapshot(path.dirname(project))).toEqual(before);
  });
});
