/**
 * The `pipec` command as users run it: a real process, exit codes, output formats, and what is written.
 */
import { cp, mkdtemp, readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { copyExamples, pipec } from '../../helpers/run-pipec.ts';

// Each case starts a Node process; on a loaded 2-core machine that takes seconds, not milliseconds.
vi.setConfig({ testTimeout: 60_000 });

let work: string;
beforeAll(async () => {
  work = await copyExamples('pipec-cli-');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('pipec check', () => {
  test('the examples check cleanly: exit 0', async () => {
    const r = await pipec(['check', 'examples'], work);
    expect(r.stdout).toMatch(/checked 9 files, 8 pipelines: no errors/);
    expect(r.code).toBe(0);
  });

  test('an error in a .pipe file: exit 1, with file, line, column, underline and hint, no stack trace', async () => {
    const project = path.join(work, 'broken');
    await cp(path.join(work, 'examples'), project, { recursive: true });
    await writeFile(path.join(project, 'bad.pipe'), "pipeline bad;\nimport payments from 'shared/sources.pipe';\nstream s as select amout from payments;\nsink s into kafka topic 'x' format avro;\n");
    const r = await pipec(['check', 'broken'], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[unknown-column]: `payments` has no column `amout`');
    expect(r.stderr).toContain('--> broken/bad.pipe:3:20');
    expect(r.stderr).toContain('= help: did you mean `amount`?');
    expect(r.stderr).not.toMatch(/\n\s+at .*\(/);
  });

  test('--format json prints one JSON document on stdout', async () => {
    const r = await pipec(['check', 'broken', '--format', 'json'], work);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; file: string; line: number; column: number }[]; summary: { errors: number } };
    expect(doc.diagnostics[0]).toMatchObject({ code: 'unknown-column', file: 'broken/bad.pipe', line: 3, column: 20 });
    expect(doc.summary.errors).toBe(1);
  });

  test('the example workflow\'s check on a machine without the production registry or lock: exactly the one real error', async () => {
    const r = await pipec(['check', 'examples', '--env', 'prod', '--frozen', '--format', 'json'], work);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; severity: string }[] };
    expect(doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['lockfile-missing']);
    expect(r.code).toBe(1);
  });

  test('a registry on a closed port: the registry-unreachable error naming the URL, exit 1, and JSON that parses', async () => {
    const project = path.join(work, 'no-registry');
    await cp(path.join(work, 'examples'), project, { recursive: true });
    await writeFile(path.join(project, 'pipec.yaml'), `${await readFile(path.join(project, 'pipec.yaml'), 'utf8')}\nregistry:\n  url: http://127.0.0.1:9\n  retries: 0\n`);
    const r = await pipec(['check', 'no-registry', '--format', 'json'], work);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; message: string }[] };
    expect(new Set(doc.diagnostics.map((d) => d.code))).toEqual(new Set(['registry-unreachable']));
    expect(doc.diagnostics[0]?.message).toContain('http://127.0.0.1:9/');
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal');
  });

  test('under GitHub Actions, errors become workflow annotations', async () => {
    const r = await pipec(['check', 'broken'], work, { GITHUB_ACTIONS: 'true' });
    expect(r.stdout).toContain('::error file=broken/bad.pipe,line=3,col=20,');
  });

  test('--format github: a name with a line break and `::error …` is no workflow command on stdout or stderr', async () => {
    const project = path.join(work, 'injected');
    await cp(path.join(work, 'examples'), project, { recursive: true });
    await writeFile(path.join(project, 'evil.pipe'), "pipeline evil;\nimport payments from 'shared/sources.pipe';\nstream s as select amount from `x\n::error file=evil.pipe,line=1::owned`;\nsink s into kafka topic 'x' format avro;\n");
    const r = await pipec(['check', 'injected', '--format', 'github'], work);
    expect(r.code).toBe(1);
    const commands = (text: string) => text.split(/\r?\n/).filter((l) => l.trimStart().startsWith('::'));
    // pipec's own annotations only (the examples' schema warning is one of them).
    const stdout = commands(r.stdout);
    expect(stdout.every((l) => /^::(error|warning) file=injected\/[a-z_/]+\.pipe,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=pipec [a-z-]+::/.test(l))).toBe(true);
    expect(stdout.filter((l) => l.includes('unknown-relation'))).toHaveLength(1);
    expect(commands(r.stderr)).toEqual([]);
  });

  test('no pipec.yaml: exit 2 and what to do', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'pipec-empty-'));
    await writeFile(path.join(empty, 'a.pipe'), 'pipeline a;\n');
    const r = await pipec(['check', '.'], empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[config-not-found]');
    expect(r.stderr).toContain('create pipec.yaml');
  });

  test('malformed pipec.yaml: exit 2, pointing at the YAML line', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'pipec-yaml-'));
    await writeFile(path.join(project, 'pipec.yaml'), 'project: demo\nkafka:\n  bootstrap_servers: [unclosed\n');
    const r = await pipec(['check', '.'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[config-syntax\]/);
    expect(r.stderr).toMatch(/--> pipec\.yaml:\d+:\d+/);
  });

  test('an unknown key in pipec.yaml is named, with the closest known one', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'pipec-yaml-'));
    await writeFile(path.join(project, 'pipec.yaml'), 'project: demo\nkafka:\n  bootstrap_server: localhost:9092\n');
    const r = await pipec(['check', '.'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown setting `bootstrap_server` (did you mean `bootstrap_servers`?)');
    expect(r.stderr).toContain('--> pipec.yaml:3:3');
  });

  test('--env with a name every object has (`constructor`, `__proto__`) is an unknown environment: exit 2', async () => {
    for (const env of ['constructor', '__proto__']) {
      const r = await pipec(['check', 'examples', '--env', env], work);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error[unknown-environment]: no environment \`${env}\` in pipec.yaml`);
    }
  });

  test('registry settings that cannot be resolved are configuration errors: exit 2, and nothing else is reported', async () => {
    const project = path.join(work, 'registry-config');
    await cp(path.join(work, 'examples'), project, { recursive: true });
    const yaml = await readFile(path.join(project, 'pipec.yaml'), 'utf8');
    await writeFile(path.join(project, 'pipec.yaml'), `${yaml}\nregistry:\n  url: \${env:SR_URL}\n  auth: { type: bearer, token: '\${env:SR_TOKEN}' }\n  ca_file: missing-ca.pem\n`);
    const r = await pipec(['check', 'registry-config'], work, { SR_URL: 'http://127.0.0.1:9', SR_TOKEN: '' });
    expect(r.code).toBe(2);
    expect([...r.stderr.matchAll(/error\[([a-z-]+)\]/g)].map((m) => m[1])).toEqual(['registry-ca-unreadable', 'registry-secret-missing']);
  });

  test('usage errors: exit 2', async () => {
    expect((await pipec(['frobnicate'], work)).code).toBe(2);
    expect((await pipec(['check', '--format', 'xml'], work)).code).toBe(2);
    expect((await pipec(['--version'], work)).stdout).toMatch(/^pipec \d+\.\d+\.\d+/);
  });
});

describe('pipec fmt', () => {
  test('--check passes on the examples, which are kept formatted', async () => {
    const r = await pipec(['fmt', '--check', 'examples'], work);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  test('--check names an unformatted file and exits 1; fmt then rewrites it, keeping its comment', async () => {
    const project = path.join(work, 'messy');
    await cp(path.join(work, 'examples'), project, { recursive: true });
    await writeFile(path.join(project, 'messy.pipe'), "PIPELINE   messy WITH (checkpoint=30 s);  -- keep me\nimport payments from 'shared/sources.pipe';\nstream s as SELECT payment_id FROM payments;\nsink s into kafka topic 'x' format avro;\n");
    const check = await pipec(['fmt', '--check', 'messy'], work);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('not formatted: messy/messy.pipe');
    expect((await pipec(['fmt', 'messy'], work)).code).toBe(0);
    const text = await readFile(path.join(project, 'messy.pipe'), 'utf8');
    expect(text).toContain('-- keep me');
    expect(text).toContain('stream s as select payment_id from payments;');
    expect((await pipec(['fmt', '--check', 'messy'], work)).code).toBe(0);
  });
});

describe('pipec compile', () => {
  test('writes job.sql, compile-plan.sql and plan.json per pipeline and one manifest', async () => {
    const r = await pipec(['compile', 'examples', '--out', 'out'], work);
    expect(r.code).toBe(0);
    const entries = (await readdir(path.join(work, 'out'), { recursive: true })).map(String).sort();
    expect(entries).toContain('manifest.json');
    expect(entries).toContain(path.join('payments_dedupe', 'job.sql'));
    expect(entries).toContain(path.join('payments_dedupe', 'compile-plan.sql'));
    expect(entries).toContain(path.join('payments_dedupe', 'plan.json'));
  });

  test('a failing compile leaves the previous build as it was', async () => {
    const before = await readFile(path.join(work, 'out', 'manifest.json'), 'utf8');
    const r = await pipec(['compile', 'broken', '--out', 'out'], work);
    expect(r.code).toBe(1);
    expect(await readFile(path.join(work, 'out', 'manifest.json'), 'utf8')).toBe(before);
    expect((await readdir(work)).filter((f) => f.includes('staging'))).toEqual([]);
  });
});
