/**
 * Rendered diagnostics for what is wrong before any `.pipe` file is read: the project configuration and
 * the files themselves. Goldens under config/ (read by a human before commit); temporary paths are shown
 * as <tmp>.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../compiler/config/load.ts';
import { findPipeFiles, MAX_FILE_BYTES, readPipeFiles } from '../../../compiler/driver/files.ts';
import { checkOutFolder } from '../../../compiler/driver/out-folder.ts';
import { writeBuild } from '../../../compiler/driver/write-build.ts';
import { diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { loadProject } from '../../../compiler/driver/project.ts';
import { pullSchemas, resolveSchemas } from '../../../compiler/driver/schemas.ts';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { renderHuman } from '../../../compiler/diagnostics/render.ts';
import type { SourceFile } from '../../../compiler/source/source.ts';
import { testConfig } from '../../helpers/check.ts';

const dir = path.join(import.meta.dirname, 'config');
const render = (diagnostics: readonly Diagnostic[], source?: SourceFile, tmp?: string): string => {
  const text = diagnostics.map((d) => renderHuman(d, (p) => (source && p === source.path ? source : undefined))).join('\n\n');
  return `${tmp ? text.replaceAll(tmp, '<tmp>') : text}\n`;
};

describe('pipec.yaml', () => {
  const cases: Record<string, string> = {
    'config-syntax': 'project: demo\nkafka:\n  bootstrap_servers: [unclosed\n',
    'config-invalid-unknown-key': 'project: demo\nkafka:\n  bootstrap_server: localhost:9092\n',
    'config-invalid-type': "project: demo\nkafka:\n  bootstrap_servers: localhost:9092\n  default_partitions: 'three'\n",
    'config-invalid-missing': 'pipelines: .\n',
    'config-invalid-connection': 'project: demo\nconnections:\n  warehouse:\n    type: postgress\n    host: db\n',
    'config-plaintext-secret': 'project: demo\nconnections:\n  search:\n    type: elasticsearch\n    url: https://feed:hunter2@es.example.com:9200\nenvironments:\n  prod:\n    kafka:\n      bootstrap_servers: kafka:9093\n      properties:\n        ssl.keystore.password: changeit\n',
  };
  test.each(Object.keys(cases))('%s', async (name) => {
    const source = { path: 'pipec.yaml', text: cases[name] ?? '' };
    const result = parseConfig(source, undefined);
    expect(result.ok).toBe(false);
    await expect(render(result.diagnostics, source)).toMatchFileSnapshot(path.join(dir, `${name}.txt`));
  });

  test('unknown-environment', async () => {
    const source = { path: 'pipec.yaml', text: 'project: demo\nenvironments:\n  prod: {}\n  staging: {}\n' };
    const result = parseConfig(source, 'prd');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-environment']);
    await expect(render(result.diagnostics, source)).toMatchFileSnapshot(path.join(dir, 'unknown-environment.txt'));
  });

  test('config-limit: an alias bomb and nesting deeper than pipec reads', async () => {
    const laughs = ['project: demo', 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 8; i++) laughs.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    const bomb = { path: 'pipec.yaml', text: `${laughs.join('\n')}\n` };
    const deepFlow = { path: 'pipec.yaml', text: `project: demo\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n` };
    // 65 levels of block mappings: parses, but is past the limit.
    const deepBlock = { path: 'pipec.yaml', text: `project: demo\n${Array.from({ length: 66 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n` };
    const results = [bomb, deepFlow, deepBlock].map((source) => ({ source, result: parseConfig(source, undefined) }));
    for (const { result } of results) expect(result.diagnostics.map((d) => d.code)).toEqual(['config-limit']);
    await expect(results.map(({ source, result }) => render(result.diagnostics, source)).join('\n')).toMatchFileSnapshot(path.join(dir, 'config-limit.txt'));
  });

  test('--env looks up environments by own name only', () => {
    const source = { path: 'pipec.yaml', text: 'project: demo\nenvironments:\n  prod: {}\n' };
    for (const env of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const result = parseConfig(source, env);
      expect(result.ok).toBe(false);
      expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-environment']);
    }
    expect(parseConfig(source, 'prod').ok).toBe(true);
  });

  test('config-not-found', async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'pipec-noconfig-'));
    const project = await loadProject({ paths: [], config: path.join(tmp, 'pipec.yaml'), env: undefined });
    expect(project.diagnostics.map((d) => d.code)).toEqual(['config-not-found']);
    await expect(render(project.diagnostics, undefined, path.relative(process.cwd(), tmp))).toMatchFileSnapshot(path.join(dir, 'config-not-found.txt'));
  });
});

describe('.pipe files', () => {
  test('file-unreadable, no-pipe-files, file-not-text, file-too-large', async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'pipec-files-'));
    await mkdir(path.join(tmp, 'empty'));
    await writeFile(path.join(tmp, 'binary.pipe'), Buffer.from([0x70, 0x69, 0x00, 0xff, 0xfe]));
    await writeFile(path.join(tmp, 'huge.pipe'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
    const found = await findPipeFiles([path.join(tmp, 'missing.pipe'), path.join(tmp, 'empty')], { root: tmp, realRoot: tmp });
    const read = await readPipeFiles([path.join(tmp, 'binary.pipe'), path.join(tmp, 'huge.pipe')], (p) => path.relative(tmp, p));
    const diagnostics = [...found.diagnostics, ...read.diagnostics];
    expect(diagnostics.map((d) => d.code)).toEqual(['file-unreadable', 'no-pipe-files', 'file-not-text', 'file-too-large']);
    await expect(render(diagnostics, undefined, tmp)).toMatchFileSnapshot(path.join(dir, 'files.txt'));
  });
});

describe('paths and links', () => {
  test('not-a-pipe-file, link-outside-project, and a FIFO', async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'pipec-links-'));
    const project = path.join(tmp, 'project');
    await mkdir(path.join(project, 'linked'), { recursive: true });
    await writeFile(path.join(tmp, 'outside.pipe'), 'pipeline outside;\n');
    await writeFile(path.join(project, 'notes.txt'), 'secret');
    await symlink(path.join(tmp, 'outside.pipe'), path.join(project, 'linked', 'outside.pipe'));
    execFileSync('mkfifo', [path.join(project, 'fifo.pipe')]);
    const shown = (p: string): string => path.relative(tmp, p);
    const found = await findPipeFiles([path.join(project, 'notes.txt'), path.join(project, 'linked')], { root: project, realRoot: project });
    const read = await readPipeFiles([path.join(project, 'fifo.pipe')], shown);
    const diagnostics = [...found.diagnostics, ...read.diagnostics];
    expect(diagnostics.map((d) => d.code)).toEqual(['not-a-pipe-file', 'link-outside-project', 'file-unreadable']);
    await expect(render(diagnostics, undefined, tmp)).toMatchFileSnapshot(path.join(dir, 'paths-and-links.txt'));
  });
});

describe('schemas', () => {
  test('registry-url-invalid: `registry.url` built from a variable that holds no URL', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pipec-url-'));
    const config = { ...testConfig, root, registry: { url: '${env:PIPEC_TEST_SR_URL}', kind: 'apicurio' as const, timeout_ms: 1000, retries: 0, concurrency: 1, lockfile: 'pipec.lock', cache_dir: '.cache', default_compatibility: 'BACKWARD' as const } };
    process.env['PIPEC_TEST_SR_URL'] = 'registry.internal';
    try {
      const result = await resolveSchemas(config, [], { offline: false, frozen: false });
      expect(result.configurationError).toBe(true);
      expect(result.diagnostics.map((d) => d.code)).toEqual(['registry-url-invalid']);
      await expect(render(result.diagnostics)).toMatchFileSnapshot(path.join(dir, 'registry-url-invalid.txt'));
    } finally {
      delete process.env['PIPEC_TEST_SR_URL'];
    }
  });

  test('lockfile-missing and registry-not-configured', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pipec-lock-'));
    const config = { ...testConfig, root };
    const frozen = await resolveSchemas(config, [], { offline: false, frozen: true });
    const pulled = await pullSchemas(config, []);
    const diagnostics = [...frozen.diagnostics, ...pulled.diagnostics];
    expect(diagnostics.map((d) => d.code)).toEqual(['lockfile-missing', 'registry-not-configured']);
    await expect(render(diagnostics)).toMatchFileSnapshot(path.join(dir, 'schemas.txt'));
  });
});

describe('the output folder', () => {
  test('out-not-a-build, out-overlaps-project, out-locked, out-write-failed, empty-build', async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'pipec-out-'));
    const shown = (p: string): string => path.relative(tmp, p) || '.';
    await mkdir(path.join(tmp, 'mydocs'));
    await writeFile(path.join(tmp, 'mydocs', 'notes.txt'), 'keep me');
    await writeFile(path.join(tmp, 'not-a-folder'), '');
    await mkdir(path.join(tmp, '.locked.pipec'));
    await writeFile(path.join(tmp, '.locked.pipec', 'lock'), JSON.stringify({ pid: 4242, host: 'ci-runner-7', token: 'other' }));
    const results = [
      await writeBuild(path.join(tmp, 'mydocs'), [], { shown }),
      await checkOutFolder(path.join(tmp, 'src'), { root: tmp, config: path.join(tmp, 'pipec.yaml'), sources: [path.join(tmp, 'src', 'a.pipe')] }, shown),
      await writeBuild(path.join(tmp, 'locked'), [], { shown, lockTimeoutMs: 0 }),
      await writeBuild(path.join(tmp, 'not-a-folder', 'build'), [], { shown }),
      diagnostic('empty-build', { path: 'build' }, undefined),
    ];
    const diagnostics = results.flatMap((r) => (r === undefined ? [] : 'code' in r ? [r] : r.ok ? [] : [r.diagnostic]));
    expect(diagnostics.map((d) => d.code)).toEqual(['out-not-a-build', 'out-overlaps-project', 'out-locked', 'out-write-failed', 'empty-build']);
    await expect(render(diagnostics, undefined, tmp)).toMatchFileSnapshot(path.join(dir, 'out-folder.txt'));
  });
});
