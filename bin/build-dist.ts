/**
 * `npm run build` (and `prepack`): compiles what `pipec/deploy` and the `pipec` command need to JavaScript in
 * dist/ (tsconfig.build.json), because Node strips no types under node_modules. Then copies the files the
 * compiled code reads next to itself, at the same relative paths as in the sources. Last, bundles the command
 * into one minified ES module (dist/compiler/cli/pipec.js, plus the chunks its lazy imports load), which the
 * installed `pipec` runs: one file to read and compile instead of hundreds is most of its start-up.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

/**
 * Read at run time relative to the module that reads them (templates.ts, local/versions.ts, local/jars.ts, the
 * `pipec test` runner's Maven project, test-runner/index.ts, and the pipec Flink runtime's sources, which the
 * local stack and the runner compile).
 */
const ASSETS = ['stdlib/connectors', 'local/pom.xml', 'local/launcher', 'targets/flink-sql/test-runner/pom.xml', 'targets/flink-sql/test-runner/src', 'targets/flink-sql/runtime/src'];

// A clean folder, so a module deleted from the sources does not live on in the package.
rmSync(dist, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write(`build: tsc failed (exit ${r.status ?? r.signal ?? 'unknown'})\n`);
  process.exit(1);
}

for (const a of ASSETS) cpSync(path.join(root, a), path.join(dist, a), { recursive: true });

// compiler/cli/version.ts reads `../../package.json` from its own folder, which in dist/ is dist/package.json.
// The package's own manifest stays the one at the root; this one carries only what the compiled code reads
// (the version) and the module type of the .js files.
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
writeFileSync(path.join(dist, 'package.json'), `${JSON.stringify({ type: 'module', version: pkg.version }, null, 2)}\n`);

// The bundle lives next to main.js so that the paths its modules read relative to themselves (../../package.json,
// ../../stdlib/connectors) land on the same files in dist/ as they do for the compiled modules.
await build({
  entryPoints: { pipec: path.join(root, 'compiler/cli/main.ts') },
  outdir: path.join(dist, 'compiler', 'cli'),
  chunkNames: 'pipec-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.18',
  minify: true,
  legalComments: 'external',
  logLevel: 'warning',
  // Loaded only by the commands that talk to a server; kept as installed dependencies, never on the start-up path.
  external: ['axios', 'kafkajs', '@pulumi/*'],
  // `pipec local` and `pipec test` read their Maven projects next to their own modules: they run from the
  // compiled dist/compiler/cli/local/ and dist/compiler/cli/test.js.
  plugins: [
    {
      name: 'maven-projects-from-dist',
      setup(b) {
        b.onResolve({ filter: /(\/local\/cli|^\.\/test)\.ts$/ }, (args) => ({ path: args.path.replace(/\.ts$/, '.js'), external: true }));
      },
    },
  ],
  // The CommonJS dependencies (handlebars, avsc, protobufjs) call require() for Node's built-in modules.
  banner: { js: "import{createRequire as __pipecRequire}from'node:module';const require=__pipecRequire(import.meta.url);" },
});
