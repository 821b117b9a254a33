/**
 * `pipec completion bash|zsh`: scripts made from the program's commands and options, which the shells accept, and
 * which complete what `--help` lists.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { pipec } from '../../helpers/run-pipec.ts';

vi.setConfig({ testTimeout: 60_000 });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-completion-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** What bash completes for the words typed (the last one being completed), with the script loaded. */
async function bashCompletes(typed: readonly string[]): Promise<string[]> {
  const script = path.join(work, 'pipec.bash');
  await writeFile(script, (await pipec(['completion', 'bash'], work)).stdout);
  const words = typed.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words}); COMP_CWORD=${typed.length - 1}; _pipec; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: work, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

test('bash: commands, then each command its own options and subcommands', async () => {
  expect(await bashCompletes(['pipec', 'c'])).toEqual(['check', 'compile', 'completion']);
  expect(await bashCompletes(['pipec', 'compile', '--a'])).toEqual(['--allow-empty']);
  expect(await bashCompletes(['pipec', 'check', '--w'])).toEqual(['--watch']);
  expect(await bashCompletes(['pipec', 'schemas', 'p'])).toEqual(['pull']);
  expect(await bashCompletes(['pipec', 'schemas', 'pull', '--fo'])).toEqual(['--format']);
  expect(await bashCompletes(['pipec', 'local', 'st'])).toEqual(['status']);
  expect((await bashCompletes(['pipec', 'local', 'd'])).sort()).toEqual(['deploy', 'down']);
  expect(await bashCompletes(['pipec', 'local', 'tail', '--fr'])).toEqual(['--from-beginning']);
});

test('zsh: the script parses', async () => {
  const r = await pipec(['completion', 'zsh'], work);
  expect(r.code).toBe(0);
  expect(r.stdout.startsWith('#compdef pipec\n')).toBe(true);
  const zsh = spawnSync('zsh', ['-n', '-c', r.stdout], { encoding: 'utf8' });
  if (zsh.error) return; // no zsh on this machine: the bash test covers the table both scripts share
  expect(zsh.stderr).toBe('');
});

test('an unknown shell: exit 2 with the choices', async () => {
  const r = await pipec(['completion', 'fish'], work);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('Allowed choices are bash, zsh.');
});
