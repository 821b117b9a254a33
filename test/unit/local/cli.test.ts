/** `pipec local`'s own argument parsing: the usage on request, usage errors with exit 2. No stack is started. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { LOCAL_OPTIONS } from '../../../local/cli-words.ts';
import { parseArgs, usage } from '../../../compiler/cli/local/cli.ts';
import { pipec } from '../../helpers/run-pipec.ts';

vi.setConfig({ testTimeout: 60_000 });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-local-cli-'));
});

test.each([['--help'], ['-h'], ['help']])('pipec local %s prints the usage on stdout and exits 0', async (flag) => {
  const r = await pipec(['local', flag], work);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^usage: pipec local <command>/);
  expect(r.stdout).toContain('deploy [paths…]');
  expect(r.stderr).toBe('');
});

test('a command with --help prints the usage and exits 0', async () => {
  const r = await pipec(['local', 'status', '--help'], work);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^usage: pipec local <command>/);
});

test('an unknown command or none: exit 2, the reason, then the usage on stderr', async () => {
  const unknown = await pipec(['local', 'upp'], work);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/^pipec local: unknown command: upp\n\nusage: pipec local/);
  const injected = await pipec(['local', 'status', 'x\n::error::owned\u001b[31m'], work);
  expect(injected.code).toBe(2);
  expect(injected.stderr).toMatch(/^pipec local: unexpected argument: x\\n::error::owned\\x1b\[31m\n/);
  const none = await pipec(['local'], work);
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/^pipec local: missing command\n/);
});

describe('parseArgs', () => {
  test('each option the usage lists is one the parser takes, and the other way round', () => {
    for (const flag of LOCAL_OPTIONS) expect(usage).toContain(flag);
    const listed = [...new Set([...usage.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))];
    expect(listed.sort()).toEqual([...LOCAL_OPTIONS].sort());
  });

  test('deploy, produce and tail take their arguments and options', () => {
    expect(parseArgs(['deploy', 'pipelines', '--env', 'dev', '--allow-state-reset'])).toMatchObject({ command: 'deploy', positionals: ['pipelines'], env: 'dev', allowStateReset: true, resetStart: 'committed-offsets' });
    expect(parseArgs(['deploy', '--allow-state-reset', '--reset-start', 'startup'])).toMatchObject({ allowStateReset: true, resetStart: 'startup' });
    expect(parseArgs(['produce', 'orders', '-'])).toMatchObject({ command: 'produce', positionals: ['orders', '-'] });
    expect(parseArgs(['tail', 'per_minute', '--from-beginning', '--max=3'])).toMatchObject({ command: 'tail', positionals: ['per_minute'], fromBeginning: true, max: 3 });
  });

  test('what does not fit a command is a usage error that says why', () => {
    expect(parseArgs(['produce'])).toBe('produce needs a source name or topic, then a file or - (default: stdin)');
    expect(parseArgs(['tail', 'a', 'b'])).toBe('unexpected argument: b');
    expect(parseArgs(['tail', 'a', '--max', '0'])).toBe('--max takes a positive number');
    expect(parseArgs(['deploy', '--max', '3'])).toBe('--max only applies to tail');
    expect(parseArgs(['deploy', '--reset-start', 'earliest'])).toBe('--reset-start takes committed-offsets or startup');
    expect(parseArgs(['status', '--flink', '2.2'])).toBe('--flink only applies to up');
  });
});
