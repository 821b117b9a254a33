/**
 * `npm run build` (and `prepack`): compiles what `pipec/deploy` and the `pipec` command need to JavaScript in
 * dist/ (tsconfig.build.json), because Node strips no types under node_modules. Then copies the files the
 * compiled code reads next to itself, at the same relative paths as in the sources.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

/** Read at run time relative to the module that reads them (templates.ts, local/versions.ts, local/jars.ts). */
const ASSETS = ['stdlib/connectors', 'local/pom.xml', 'local/launcher'];

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
