#!/usr/bin/env node
// npm's bin entry. In a checkout, Node 22.18+ runs the TypeScript sources directly (type stripping). An installed
// package ships no sources (Node strips no types under node_modules) and runs the bundled build in dist/
// (bin/build-dist.ts).
// The version check comes first and uses nothing newer than old Node: on Node 20 the compiled build would fail
// deep inside with an unhelpful "is not a function".
import { existsSync } from 'node:fs';
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `pipec: needs Node.js 22.18 or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      '  hint: install a current Node.js (https://nodejs.org), or from a checkout run bin/pipec, which installs Node 24 itself.\n',
  );
  process.exit(2);
}

// V8's code cache for everything loaded from here on, kept in the OS temp folder: the next run skips compiling
// the bundle. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();
const source = new URL('../compiler/cli/main.ts', import.meta.url);
const entry = existsSync(source) ? source : new URL('../dist/compiler/cli/pipec.js', import.meta.url);
const { runCli } = await import(entry.href);

runCli();
