#!/usr/bin/env node
// npm's bin entry. In a checkout, Node 22.18+ runs the TypeScript sources directly (type stripping). An installed
// package ships no sources (Node strips no types under node_modules) and runs the compiled build in dist/.
import { existsSync } from 'node:fs';

const source = new URL('../compiler/cli/main.ts', import.meta.url);
const entry = existsSync(source) ? source : new URL('../dist/compiler/cli/main.js', import.meta.url);
const { runCli } = await import(entry.href);

runCli();
