/** `pipec local`'s own argument parsing: the usage on request, usage errors with exit 2. No stack is started. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, expect, test, vi } from 'vitest';
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
  const none = await pipec(['local'], work);
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/^pipec local: missing command\n/);
});
