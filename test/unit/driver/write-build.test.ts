/**
 * Writing the build folder: only into a folder pipec may replace, atomically at every step (a process killed
 * after any step leaves the old or the new complete build), one writer at a time, and nothing left behind.
 */
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BUILD_MARKER, writeBuild, type WriteStep } from '../../../compiler/driver/write-build.ts';
import type { Artifact } from '../../../targets/emit.ts';

vi.setConfig({ testTimeout: 120_000 });

const run = promisify(execFile);
const CHILD = path.resolve(import.meta.dirname, '../../helpers/write-build-child.ts');

const build = (tag: string, pipelines: readonly string[]): Artifact[] => [
  { path: 'manifest.json', contents: JSON.stringify({ tag, pipelines }) },
  ...pipelines.flatMap((p) => [
    { path: `${p}/job.sql`, contents: `-- ${tag} ${p}\n` },
    { path: `${p}/connect/${p}-prod-sink.json`, contents: `{"tag":"${tag}"}` },
  ]),
];
const OLD = build('old', ['a', 'b']);
const NEW = build('new', ['a', 'c', 'd']);

/** The files under a folder (following the build link), by path, with their contents; the marker left out. */
async function contents(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === BUILD_MARKER) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(folder, full).split(path.sep).join('/')] = await readFile(full, 'utf8');
  }
  return out;
}
const asFiles = (artifacts: readonly Artifact[]): Record<string, string> => Object.fromEntries(artifacts.map((a) => [a.path, a.contents]));

let parent: string;
let out: string;
beforeEach(async () => {
  parent = await mkdtemp(path.join(tmpdir(), 'pipec-write-'));
  out = path.join(parent, 'build');
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
  await rm(`${parent}-artifacts.json`, { force: true });
});

describe('where a build may be written', () => {
  test('an absent folder, then its own build again: the path is a link to a marked version', async () => {
    expect(await writeBuild(out, OLD)).toEqual({ ok: true });
    expect(await writeBuild(out, NEW)).toEqual({ ok: true });
    expect(await contents(out)).toEqual(asFiles(NEW));
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(out, BUILD_MARKER), 'utf8')).toContain('pipec compile');
    // One version in the store, nothing else beside the build.
    expect((await readdir(parent)).sort()).toEqual(['.build.pipec', 'build']);
    expect(await readdir(path.join(parent, '.build.pipec'))).toEqual([path.basename(await readlink(out))]);
  });

  test('an empty folder becomes the build', async () => {
    await mkdir(out);
    expect(await writeBuild(out, NEW)).toEqual({ ok: true });
    expect(await contents(out)).toEqual(asFiles(NEW));
  });

  test('a folder marked as a build (a copy of one) is replaced', async () => {
    await mkdir(path.join(out, 'a'), { recursive: true });
    await writeFile(path.join(out, BUILD_MARKER), '');
    await writeFile(path.join(out, 'a', 'job.sql'), 'old');
    expect(await writeBuild(out, NEW)).toEqual({ ok: true });
    expect(await contents(out)).toEqual(asFiles(NEW));
  });

  test('a folder holding anything else is refused and left as it was', async () => {
    await mkdir(out);
    await writeFile(path.join(out, 'notes.txt'), 'my notes');
    const result = await writeBuild(out, NEW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostic).toMatchObject({ code: 'out-not-a-build', message: `pipec will not write the build into ${out}: it holds notes.txt, which pipec did not write` });
    expect(await readdir(out)).toEqual(['notes.txt']);
  });

  test('a build of an older pipec, without the marker, is refused with how to go on', async () => {
    await mkdir(out);
    await writeFile(path.join(out, 'manifest.json'), JSON.stringify({ generator: 'pipec 0.1.0', pipelines: [] }));
    const result = await writeBuild(out, NEW);
    expect(result).toMatchObject({ ok: false, diagnostic: { code: 'out-not-a-build', message: `pipec will not write the build into ${out}: it has no .pipec-build marker, which builds of older pipec versions lack; delete it once and compile again` } });
    expect(await readdir(out)).toEqual(['manifest.json']);
  });

  test('a file, or a symbolic link pipec did not make, is refused', async () => {
    await writeFile(out, 'pipeline q;\n');
    expect(await writeBuild(out, NEW)).toMatchObject({ ok: false, diagnostic: { code: 'out-not-a-build', message: expect.stringContaining('it is a file, not a folder') } });
    expect(await readFile(out, 'utf8')).toBe('pipeline q;\n');
    const other = path.join(parent, 'elsewhere');
    await mkdir(other);
    await symlink(other, path.join(parent, 'linked'));
    expect(await writeBuild(path.join(parent, 'linked'), NEW)).toMatchObject({ ok: false, diagnostic: { code: 'out-not-a-build', message: expect.stringContaining('symbolic link') } });
  });

  test('an artifact path that would leave the build is a pipec bug, caught before the build is replaced', async () => {
    for (const bad of ['../x/job.sql', 'a/../../x', '/etc/x', '.', BUILD_MARKER, 'a//b']) {
      await expect(writeBuild(out, [...NEW, { path: bad, contents: '' }])).rejects.toThrow(/would leave the build folder/);
    }
    expect(await readdir(parent)).toEqual(['.build.pipec']);
  });

  test('files generated as they are read are each read once and all written, however many writers run', async () => {
    const pipelines = Array.from({ length: 40 }, (_, i) => `p${i}`);
    const reads: string[] = [];
    function* generated(): Generator<Artifact, void, undefined> {
      for (const a of build('gen', pipelines)) {
        reads.push(a.path);
        yield a;
      }
    }
    expect(await writeBuild(out, generated())).toEqual({ ok: true });
    expect(await contents(out)).toEqual(asFiles(build('gen', pipelines)));
    expect(reads).toEqual(build('gen', pipelines).map((a) => a.path));
  });
});

describe('concurrent and interrupted writes', () => {
  test('concurrent writes into one folder are serialized: all succeed, one complete build remains', async () => {
    const builds = Array.from({ length: 6 }, (_, i) => build(`run${i}`, ['a', `p${i}`]));
    const results = await Promise.all(builds.map((b) => writeBuild(out, b)));
    expect(results).toEqual(builds.map(() => ({ ok: true })));
    const final = await contents(out);
    expect(builds.map(asFiles)).toContainEqual(final);
    expect(await readdir(path.join(parent, '.build.pipec'))).toEqual([path.basename(await readlink(out))]);
  });

  test('a lock held by a live process is waited for, then reported', async () => {
    await mkdir(path.join(parent, '.build.pipec'));
    // This process is alive; the lock is not its own write's.
    await writeFile(path.join(parent, '.build.pipec', 'lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), token: 'other' }));
    const result = await writeBuild(out, NEW, { lockTimeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, diagnostic: { code: 'out-locked', message: expect.stringContaining(`another pipec (pid ${process.pid}`) } });
  });

  const STEPS: readonly WriteStep[] = ['locked', 'cleaned', 'written', 'linked', 'swapped', 'removed-old'];
  const artifactsFile = async (artifacts: readonly Artifact[]): Promise<string> => {
    const file = `${parent}-artifacts.json`;
    await writeFile(file, JSON.stringify(artifacts));
    return file;
  };
  const child = async (artifacts: readonly Artifact[], killAfter: number): Promise<{ signal: string | undefined; steps: string[] }> => {
    try {
      const r = await run(process.execPath, [CHILD, out, await artifactsFile(artifacts), String(killAfter)]);
      return { signal: undefined, steps: r.stdout.trim().split('\n') };
    } catch (e) {
      const err = e as { signal?: string; stdout?: string; stderr?: string };
      if (err.signal !== 'SIGKILL') throw new Error(`the writer failed: ${err.stderr ?? ''}`);
      return { signal: err.signal, steps: (err.stdout ?? '').trim().split('\n') };
    }
  };

  test.each(STEPS.map((s, i) => [s, i + 1] as const))('killed after "%s" over a previous build: the old or the new build is complete, and the next write cleans up', async (step, n) => {
    await writeBuild(out, OLD);
    const killed = await child(NEW, n);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.steps.at(-1)).toBe(step);
    const after = await contents(out);
    expect([asFiles(OLD), asFiles(NEW)]).toContainEqual(after);
    // Swapped means the new build is in place; before that the old one still is.
    expect(after).toEqual(STEPS.indexOf(step) >= STEPS.indexOf('swapped') ? asFiles(NEW) : asFiles(OLD));
    // The next write breaks the dead writer's lock and removes what it left.
    expect(await writeBuild(out, OLD, { lockTimeoutMs: 5_000 })).toEqual({ ok: true });
    expect(await contents(out)).toEqual(asFiles(OLD));
    expect((await readdir(parent)).sort()).toEqual(['.build.pipec', 'build']);
    expect(await readdir(path.join(parent, '.build.pipec'))).toEqual([path.basename(await readlink(out))]);
  });

  test.each([
    ['emptied', 'an empty folder'],
    ['moved-aside', 'a folder marked as a build'],
  ] as const)('killed after "%s" (replacing %s): nothing but the replaced folder is gone, and the next write succeeds', async (step, _replacing) => {
    await mkdir(out);
    if (step === 'moved-aside') await writeFile(path.join(out, BUILD_MARKER), '');
    const killed = await child(NEW, 5);
    expect(killed.steps.at(-1)).toBe(step);
    expect(await writeBuild(out, NEW)).toEqual({ ok: true });
    expect(await contents(out)).toEqual(asFiles(NEW));
    expect((await readdir(parent)).sort()).toEqual(['.build.pipec', 'build']);
  });
});
