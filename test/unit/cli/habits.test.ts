/**
 * The command line as people expect one to behave: did-you-mean, per-command help, one JSON document per run,
 * --quiet and --verbose, colour only on request or on a terminal, and stdout agreeing with stderr.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { pipec, ROOT } from '../../helpers/run-pipec.ts';

vi.setConfig({ testTimeout: 60_000 });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-habits-'));
  await cp(path.join(ROOT, 'examples'), path.join(work, 'warned'), { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
  // One warning: a suppression that silences nothing.
  const shared = path.join(work, 'warned', 'shared', 'sources.pipe');
  await writeFile(shared, `-- pipec: allow sink-key-not-unique because nothing here has that warning\n${await readFile(shared, 'utf8')}`);
  await cp(path.join(work, 'warned'), path.join(work, 'broken'), { recursive: true });
  await writeFile(path.join(work, 'broken', 'bad.pipe'), "pipeline bad;\nimport payments from 'shared/sources.pipe';\nstream s as select amout from payments;\nsink s into kafka topic 'x' format avro;\n");
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const ESC = '\u001b[';

describe('mistyped commands and options', () => {
  test('a mistyped command: did you mean, exit 2, where to look', async () => {
    const r = await pipec(['chek', 'warned'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("pipec: unknown command 'chek'\n(Did you mean check?)\nRun `pipec --help` for usage.\n");
  });

  test("a mistyped option: did you mean, and the command's own help to look at", async () => {
    const r = await pipec(['check', 'warned', '--frmat', 'json'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("pipec: unknown option '--frmat'\n(Did you mean --format?)\nRun `pipec check --help` for usage.\n");
  });

  test('a value out of its choices names them', async () => {
    const r = await pipec(['explain', 'x.pipe', '--format', 'xml'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Allowed choices are human, json, github.');
  });

  test('each command has its own --help, on stdout, exit 0', async () => {
    const r = await pipec(['compile', '--help'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: pipec compile \[options\] \[paths\.\.\.\]/);
    expect(r.stdout).toContain('--allow-empty');
    expect(r.stdout).not.toContain('--watch');
  });
});

describe('one JSON document', () => {
  test('explain --format json: the pipelines and the diagnostics, nothing else on stdout', async () => {
    const r = await pipec(['explain', 'warned/missed_payments.pipe', '--format', 'json'], work);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string }[]; pipelines: { name: string; sources: { name: string; columns: { name: string; type: string }[] }[] }[]; summary: { errors: number; warnings: number } };
    expect(doc.pipelines.map((p) => p.name)).toEqual(['missed_payments']);
    expect(doc.pipelines[0]?.sources[0]?.columns[0]).toEqual({ name: 'payment_id', type: 'STRING NOT NULL' });
    expect(doc.summary).toEqual({ errors: 0, warnings: 1 });
  });

  test('explain --format json with errors: still one document, no human text', async () => {
    const r = await pipec(['explain', 'broken/bad.pipe', '--format', 'json'], work);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string }[] };
    expect(doc.diagnostics.map((d) => d.code)).toContain('unknown-column');
  });

  test('compile --format json: one document, the result line on stderr', async () => {
    const r = await pipec(['compile', 'warned', '--out', 'out-json', '--format', 'json'], work);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ summary: { errors: 0, warnings: 1 } });
    expect(r.stderr).toMatch(/^compiled 8 pipelines into out-json\/ \(\d+ files\): no errors, 1 warning\n$/);
  });

  test('diff --format json: the item list in the same document as the diagnostics', async () => {
    expect((await pipec(['compile', 'warned', '--out', 'previous'], work)).code).toBe(0);
    const r = await pipec(['diff', '--previous', 'previous', 'warned', '--format', 'json'], work);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { items: { id: string; change: string }[]; summary: { warnings: number } };
    expect(doc.items.length).toBeGreaterThan(7);
    expect(new Set(doc.items.map((i) => i.change))).toEqual(new Set(['unchanged']));
    expect(doc.summary.warnings).toBe(1);
  });
});

describe('what is printed where', () => {
  test('stdout and stderr agree: the warning on stderr, counted in the last line', async () => {
    const r = await pipec(['check', 'warned'], work);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning[suppression-unused]');
    expect(r.stdout).toBe('checked 9 files, 8 pipelines: no errors, 1 warning\n');
  });

  test('a failed run ends with its summary on stderr', async () => {
    const r = await pipec(['check', 'broken'], work);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('1 error, 0 warnings');
    expect(r.stdout).toBe('');
  });

  test('--quiet: errors only', async () => {
    const clean = await pipec(['check', 'warned', '--quiet'], work);
    expect(clean).toEqual({ code: 0, stdout: '', stderr: '' });
    const failed = await pipec(['check', 'broken', '-q'], work);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error[unknown-column]');
    expect(failed.stdout).toBe('');
  });

  test('--verbose: the project, its files and the time taken, on stderr', async () => {
    const r = await pipec(['check', 'warned', '--verbose'], work);
    expect(r.stderr).toContain('project warned (warned/pipec.yaml): 9 .pipe files');
    expect(r.stderr).toMatch(/checked in \d+ ms/);
    expect(r.stdout).toBe('checked 9 files, 8 pipelines: no errors, 1 warning\n');
  });

  test('colour: off when not a terminal, on with --color or FORCE_COLOR, off again with NO_COLOR or --no-color', async () => {
    expect((await pipec(['check', 'broken'], work)).stderr).not.toContain(ESC);
    const forced = await pipec(['check', 'broken'], work, { FORCE_COLOR: '1' });
    expect(forced.stderr).toContain(`${ESC}1m${ESC}31merror[unknown-column]`);
    expect((await pipec(['check', 'broken', '--color'], work)).stderr).toContain(ESC);
    expect((await pipec(['check', 'broken'], work, { FORCE_COLOR: '1', NO_COLOR: '1' })).stderr).not.toContain(ESC);
    expect((await pipec(['check', 'broken', '--no-color'], work, { FORCE_COLOR: '1' })).stderr).not.toContain(ESC);
  });
});
