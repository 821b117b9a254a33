#!/usr/bin/env node
// npm's bin entry: Node 22.18+ runs the TypeScript sources directly (type stripping).
import { runCli } from '../compiler/cli/main.ts';

runCli();
