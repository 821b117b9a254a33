/**
 * Properties over generated input: whatever the names in `.pipe` files, the import paths and the output folder,
 * pipec writes nowhere but its build (the folder and the store beside it), deletes no file it did not write,
 * reads no file outside the project, and never fails with an internal error.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { checkOutFolder } from '../../../compiler/driver/out-folder.ts';
import { isSameOrInside, realPathOf } from '../../../compiler/driver/paths.ts';
import { loadProject } from '../../../compiler/driver/project.ts';
import { writeBuild } from '../../../compiler/driver/write-build.ts';
import { compileFiles, PRELUDE } from '../../helpers/check.ts';
import { EXAMPLES } from '../../helpers/examples.ts';

vi.setConfig({ testTimeout: 300_000 });

/** Every file under a folder (links not followed), with its contents. */
async function files(folder: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile()) out.set(full, await readFile(full, 'utf8'));
  }
  return out;
}

/** Characters that make names into paths, plus ordinary ones. */
const nameChar = fc.constantFrom('a', 'b', 'p', '_', '-', '.', '/', '\\', ' ', '%', ':', '€', '`', '\u0000', '\n');
const name = fc.oneof(
  fc.constantFrom('..', '.', 'manifest.json', '.pipec-build', '../../../x', 'x/../p', 'p', '/etc/x', 'connect', 'CON'),
  fc.array(nameChar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')),
  // Names every system takes, so that a good share of the runs write a build.
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/),
);
const quote = (n: string): string => `\`${n.replaceAll('`', '``')}\``;

let sandbox: string;
let project: string;
beforeAll(async () => {
  sandbox = await mkdtemp(path.join(tmpdir(), 'pipec-property-'));
  // Deep enough that a generated `..` never climbs out of the sandbox.
  project = path.join(sandbox, 'a', 'b', 'c', 'project');
  await mkdir(path.join(project, 'mydocs'), { recursive: true });
  await cp(path.join(EXAMPLES, 'pipec.yaml'), path.join(project, 'pipec.yaml'));
  await cp(path.join(EXAMPLES, 'schemas'), path.join(project, 'schemas'), { recursive: true });
  await cp(path.join(EXAMPLES, 'shared'), path.join(project, 'shared'), { recursive: true });
  await cp(path.join(EXAMPLES, 'payments_dedupe.pipe'), path.join(project, 'q.pipe'));
  await writeFile(path.join(project, 'mydocs', 'notes.txt'), 'keep me');
  await writeFile(path.join(sandbox, 'a', 'outside-secret.txt'), 'aws_secret_access_key = SECRETSECRET\n');
  await writeFile(path.join(sandbox, 'a', 'outside.pipe'), "source x from kafka topic 'payments' format avro;\n");
  await symlink(path.join(sandbox, 'a', 'outside.pipe'), path.join(project, 'shared', 'escape.pipe'));
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

describe('no write outside the build, no deletion of a file pipec did not write', () => {
  test('generated pipeline and stream names: artifacts stay inside the build, or the name is refused at its span', async () => {
    const out = path.join(sandbox, 'names-out');
    let compiled = 0;
    await fc.assert(
      fc.asyncProperty(name, name, async (pipeline, stream) => {
        const text = `pipeline ${quote(pipeline)} with (checkpoint = 10 s);\n${PRELUDE}\nstream ${quote(stream)} as select payment_id, amount from payments;\nsink ${quote(stream)} into postgres table 'public.t' via connection warehouse upsert key (payment_id);\nsink ${quote(stream)} into kafka topic 'o' format avro;\n`;
        const result = compileFiles({ 'p.pipe': text });
        if (!result.output) {
          expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          return;
        }
        compiled += 1;
        const before = await files(sandbox);
        const written = await writeBuild(out, result.output.artifacts);
        expect(written).toEqual({ ok: true });
        const after = await files(sandbox);
        for (const [file, contents] of before) if (!isSameOrInside(file, path.join(sandbox, '.names-out.pipec'))) expect(after.get(file)).toBe(contents);
        for (const file of after.keys()) if (!before.has(file)) expect(isSameOrInside(file, path.join(sandbox, '.names-out.pipec'))).toBe(true);
        // Every artifact is where the manifest says, inside the build.
        for (const a of result.output.artifacts) expect(await readFile(path.join(out, ...a.path.split('/')), 'utf8')).toBe(a.contents);
      }),
      { numRuns: 150 },
    );
    // The generator reaches builds, not only refusals.
    expect(compiled).toBeGreaterThan(10);
  });

  test('generated --out paths: the project and the user’s files survive, new files appear only in a build', async () => {
    const artifacts = [
      { path: 'manifest.json', contents: '{}' },
      { path: 'p/job.sql', contents: 'select 1' },
    ];
    const segment = fc.constantFrom('..', '.', 'build', 'out', 'q.pipe', 'shared', 'mydocs', 'pipec.yaml', 'schemas', 'new', 'notes.txt');
    const relative = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    await fc.assert(
      fc.asyncProperty(relative, async (rel) => {
        const out = path.resolve(project, rel);
        fc.pre(isSameOrInside(out, sandbox) && out !== sandbox);
        const before = await files(sandbox);
        const overlap = await checkOutFolder(out, { root: project, config: path.join(project, 'pipec.yaml'), sources: [path.join(project, 'q.pipe'), path.join(project, 'shared', 'sources.pipe')] }, (p) => p);
        const written = overlap ? undefined : await writeBuild(out, artifacts);
        const after = await files(sandbox);
        // Where the store really is: the folder above may be reached through a build's link.
        const store = path.join(await realPathOf(path.dirname(out)), `.${path.basename(out)}.pipec`);
        for (const [file, contents] of before) {
          // Only files of an earlier build of this same folder may go.
          if (isSameOrInside(file, store)) continue;
          expect({ file, contents: after.get(file) }).toEqual({ file, contents });
        }
        for (const file of after.keys()) if (!before.has(file)) expect({ file, inStore: isSameOrInside(file, store) }).toEqual({ file, inStore: true });
        if (written?.ok) expect(await readFile(path.join(out, 'p', 'job.sql'), 'utf8')).toBe('select 1');
      }),
      { numRuns: 150 },
    );
  });
});

describe('no read outside the project', () => {
  test('generated import paths: every file read lies inside the project, and nothing outside it is quoted', async () => {
    const segment = fc.constantFrom('..', '.', 'shared', 'sources.pipe', 'escape.pipe', 'outside.pipe', 'outside-secret.txt', 'dev', 'zero', 'q.pipe', 'a', '');
    const importPath = fc.oneof(
      fc.constantFrom('/dev/zero', '../../outside-secret.txt', '../../../outside.pipe', 'shared/escape.pipe', '/etc/passwd'),
      fc.array(segment, { minLength: 1, maxLength: 7 }).map((s) => s.join('/')),
    );
    const file = path.join(project, 'gen.pipe');
    await fc.assert(
      fc.asyncProperty(importPath, async (from) => {
        await writeFile(file, `import x from '${from.replaceAll("'", "''")}';\n`);
        const loaded = await loadProject({ paths: [file], config: undefined, env: undefined });
        for (const p of loaded.parsed) expect(isSameOrInside(path.resolve(p.source.path), project)).toBe(true);
        expect(JSON.stringify(loaded.diagnostics)).not.toContain('SECRETSECRET');
      }),
      { numRuns: 150 },
    );
  });
});
