/**
 * The README's command table and options paragraph say what `pipec --help` says: every command has a row, every
 * row is a command, and every option the README names is one `--help` lists (for that row's command).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type { Command } from 'commander';
import { program } from '../../../compiler/cli/main.ts';
import { LOCAL_COMMANDS } from '../../../local/cli-words.ts';
import { usage as localUsage } from '../../../compiler/cli/local/cli.ts';
import { ROOT } from '../../helpers/run-pipec.ts';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 1));
const rows = section.split('\n').filter((l) => l.startsWith('| `pipec '));
const root = program(() => undefined);

/** The commands `pipec --help` lists, and the options each one's `--help` lists. */
const helpCommands = (): string[] => [...root.helpInformation().matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1] ?? '').filter((c) => !['pipec'].includes(c));
const helpFlags = (command: Command): string[] => [...command.helpInformation().matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
const flagsIn = (text: string): string[] => [...text.matchAll(/`[^`]*?(--[a-z][a-z-]*)/g)].map((m) => m[1] ?? '');
const byName = (name: string): Command | undefined => root.commands.find((c) => c.name() === name);

test('every command in `pipec --help` has a README row, and every row is a command', () => {
  const documented = new Set(rows.map((r) => /^\| `pipec ([a-z]+)/.exec(r)?.[1]));
  const listed = helpCommands();
  expect(listed.length).toBeGreaterThan(4);
  expect([...documented].sort()).toEqual([...new Set(listed)].sort());
});

test("each option a README row names is one its command's --help lists", () => {
  for (const row of rows) {
    const name = /^\| `pipec ([a-z]+)/.exec(row)?.[1] ?? '';
    if (name === 'local') continue; // `pipec local` parses its own options (its usage: `pipec local --help`)
    const command = byName(name);
    expect(command, name).toBeDefined();
    const flags = new Set(helpFlags(command!));
    for (const flag of flagsIn(row)) expect(flags, `${name} ${flag}`).toContain(flag);
  }
});

test('each option of the paragraph under the table is one some command lists', () => {
  const paragraph = section.slice(section.indexOf('Options:'));
  const all = new Set(root.commands.flatMap(helpFlags));
  const named = flagsIn(paragraph);
  expect(named.length).toBeGreaterThan(5);
  for (const flag of named) expect(all, flag).toContain(flag);
});

test("the `pipec local` rows name every command of `pipec local --help`, and only options it lists", () => {
  const local = rows.filter((r) => r.startsWith('| `pipec local '));
  const named = new Set(local.flatMap((r) => [.../^\| `pipec local ([^`]*)`/.exec(r)?.[1]?.matchAll(/[a-z]+/g) ?? []].map((m) => m[0])));
  for (const command of LOCAL_COMMANDS) {
    expect(named, command).toContain(command);
    expect(localUsage).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  }
  const flags = new Set([...localUsage.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]));
  for (const flag of local.flatMap(flagsIn)) expect(flags, flag).toContain(flag);
});
