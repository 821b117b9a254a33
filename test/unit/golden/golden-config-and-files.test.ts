/**
 * Rendered diagnostics for what is wrong before any `.pipe` file is read: the project configuration, the
 * files themselves, the schema settings and the output folder. Each scenario sets up one situation and
 * states the codes it reports; the golden of a code, diagnostics/<code>.txt (read by a human before commit),
 * holds what every scenario reporting it renders, in scenario order. Temporary paths are shown as <tmp>.
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
import type { DiagnosticCode } from '../../../compiler/diagnostics/messages.ts';
import { renderHuman } from '../../../compiler/diagnostics/render.ts';
import type { SourceFile } from '../../../compiler/source/source.ts';
import { testConfig } from '../../helpers/check.ts';

const dir = path.join(import.meta.dirname, 'diagnostics');

/** What a scenario reported (one entry per source it parsed), with what its rendering needs: the source it points into and the temporary folder to hide. */
interface Reported {
  readonly diagnostics: readonly Diagnostic[];
  readonly source?: SourceFile;
  readonly tmp?: string;
}
interface Scenario {
  readonly name: string;
  readonly codes: readonly DiagnosticCode[];
  readonly run: () => Promise<readonly Reported[]>;
}

const renderOne = (d: Diagnostic, { source, tmp }: Reported): string => {
  const text = renderHuman(d, (p) => (source && p === source.path ? source : undefined));
  return tmp ? text.replaceAll(tmp, '<tmp>') : text;
};

const pipecYaml: Record<string, { code: DiagnosticCode; text: string }> = {
  'config-syntax': { code: 'config-syntax', text: 'project: demo\nkafka:\n  bootstrap_servers: [unclosed\n' },
  'config-invalid-unknown-key': { code: 'config-invalid', text: 'project: demo\nkafka:\n  bootstrap_server: localhost:9092\n' },
  'config-invalid-type': { code: 'config-invalid', text: "project: demo\nkafka:\n  bootstrap_servers: localhost:9092\n  default_partitions: 'three'\n" },
  'config-invalid-missing': { code: 'config-invalid', text: 'pipelines: .\n' },
  'config-invalid-connection': { code: 'config-invalid', text: 'project: demo\nconnections:\n  warehouse:\n    type: postgress\n    host: db\n' },
  'config-plaintext-secret': {
    code: 'config-plaintext-secret',
    text: 'project: demo\nconnections:\n  search:\n    type: elasticsearch\n    url: https://feed:hunter2@es.example.com:9200\nenvironments:\n  prod:\n    kafka:\n      bootstrap_servers: kafka:9093\n      properties:\n        ssl.keystore.password: changeit\n',
  },
};

const scenarios: readonly Scenario[] = [
  ...Object.entries(pipecYaml).map(([name, { code, text }]): Scenario => ({
    name,
    codes: code === 'config-plaintext-secret' ? [code, code] : [code],
    run: async () => {
      const source = { path: 'pipec.yaml', text };
      const result = parseConfig(source, undefined);
      expect(result.ok).toBe(false);
      return [{ diagnostics: result.diagnostics, source }];
    },
  })),
  {
    name: 'unknown-environment',
    codes: ['unknown-environment'],
    run: async () => {
      const source = { path: 'pipec.yaml', text: 'project: demo\nenvironments:\n  prod: {}\n  staging: {}\n' };
      return [{ diagnostics: parseConfig(source, 'prd').diagnostics, source }];
    },
  },
  {
    name: 'config-limit: an alias bomb, and nesting deeper than pipec reads (in flow and in block style)',
    codes: ['config-limit', 'config-limit', 'config-limit'],
    run: async () => {
      const laughs = ['project: demo', 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i <= 8; i++) laughs.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
      const bomb = { path: 'pipec.yaml', text: `${laughs.join('\n')}\n` };
      const deepFlow = { path: 'pipec.yaml', text: `project: demo\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n` };
      // 65 levels of block mappings: parses, but is past the limit.
      const deepBlock = { path: 'pipec.yaml', text: `project: demo\n${Array.from({ length: 66 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n` };
      // All three render against their own text: the diagnostics carry the source they point into.
      return [bomb, deepFlow, deepBlock].map((source) => ({ diagnostics: parseConfig(source, undefined).diagnostics, source }));
    },
  },
  {
    name: 'config-not-found',
    codes: ['config-not-found'],
    run: async () => {
      const tmp = await mkdtemp(path.join(tmpdir(), 'pipec-noconfig-'));
      const project = await loadProject({ paths: [], config: path.join(tmp, 'pipec.yaml'), env: undefined });
      return [{ diagnostics: project.diagnostics, tmp: path.relative(process.cwd(), tmp) }];
    },
  },
  {
    name: '.pipe files: missing, an empty folder, binary, too large',
    codes: ['file-unreadable', 'no-pipe-files', 'file-not-text', 'file-too-large'],
    run: async () => {
      const tmp = await mkdtemp(path.join(tmpdir(), 'pipec-files-'));
      await mkdir(path.join(tmp, 'empty'));
      await writeFile(path.join(tmp, 'binary.pipe'), Buffer.from([0x70, 0x69, 0x00, 0xff, 0xfe]));
      await writeFile(path.join(tmp, 'huge.pipe'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
      const found = await findPipeFiles([path.join(tmp, 'missing.pipe'), path.join(tmp, 'empty')], { root: tmp, realRoot: tmp });
      const read = await readPipeFiles([path.join(tmp, 'binary.pipe'), path.join(tmp, 'huge.pipe')], (p) => path.relative(tmp, p));
      return [{ diagnostics: [...found.diagnostics, ...read.diagnostics], tmp }];
    },
  },
  {
    name: 'paths and links: not a .pipe file, a link outside the project, a FIFO',
    codes: ['not-a-pipe-file', 'link-outside-project', 'file-unreadable'],
    run: async () => {
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
      return [{ diagnostics: [...found.diagnostics, ...read.diagnostics], tmp }];
    },
  },
  {
    name: 'registry-url-invalid: `registry.url` built from a variable that holds no URL',
    codes: ['registry-url-invalid'],
    run: async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'pipec-url-'));
      const config = { ...testConfig, root, registry: { url: '${env:PIPEC_TEST_SR_URL}', kind: 'apicurio' as const, timeout_ms: 1000, retries: 0, concurrency: 1, lockfile: 'pipec.lock', cache_dir: '.cache', default_compatibility: 'BACKWARD' as const } };
      process.env['PIPEC_TEST_SR_URL'] = 'registry.internal';
      try {
        const result = await resolveSchemas(config, [], { offline: false, frozen: false });
        expect(result.configurationError).toBe(true);
        return [{ diagnostics: result.diagnostics }];
      } finally {
        delete process.env['PIPEC_TEST_SR_URL'];
      }
    },
  },
  {
    name: 'lockfile-missing and registry-not-configured',
    codes: ['lockfile-missing', 'registry-not-configured'],
    run: async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'pipec-lock-'));
      const config = { ...testConfig, root };
      const frozen = await resolveSchemas(config, [], { offline: false, frozen: true });
      const pulled = await pullSchemas(config, []);
      return [{ diagnostics: [...frozen.diagnostics, ...pulled.diagnostics] }];
    },
  },
  {
    name: 'the output folder: not a build, overlapping the project, locked, unwritable, an empty build',
    codes: ['out-not-a-build', 'out-overlaps-project', 'out-locked', 'out-write-failed', 'empty-build'],
    run: async () => {
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
      return [{ diagnostics: results.flatMap((r) => (r === undefined ? [] : 'code' in r ? [r] : r.ok ? [] : [r.diagnostic])), tmp }];
    },
  },
];

/** Each scenario runs once; the golden of a code gathers from every scenario that reports it. */
const reported = new Map<string, Promise<readonly Reported[]>>();
const runOnce = (s: Scenario): Promise<readonly Reported[]> => {
  const known = reported.get(s.name);
  if (known) return known;
  const started = s.run();
  reported.set(s.name, started);
  return started;
};

describe('what is wrong before any .pipe file is read', () => {
  test.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_, s) => {
    const r = await runOnce(s);
    expect(r.flatMap((x) => x.diagnostics).map((d) => d.code)).toEqual(s.codes);
  });

  const codes = [...new Set(scenarios.flatMap((s) => s.codes))];
  test.each(codes)('golden of %s', async (code) => {
    const pieces: string[] = [];
    for (const s of scenarios.filter((x) => x.codes.includes(code))) {
      for (const r of await runOnce(s)) pieces.push(...r.diagnostics.filter((d) => d.code === code).map((d) => renderOne(d, r)));
    }
    expect(pieces).not.toEqual([]);
    await expect(`${pieces.join('\n\n')}\n`).toMatchFileSnapshot(path.join(dir, `${code}.txt`));
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
});
