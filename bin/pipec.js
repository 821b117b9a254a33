#!/usr/bin/env node
// npm's bin entry: Node 22.18+ runs the TypeScript sources directly (type stripping).
import '../compiler/cli/main.ts';
