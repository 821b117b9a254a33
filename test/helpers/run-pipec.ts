/** The `pipec` command as users run it, for CLI tests: a real process, its exit code and output; and a scratch copy of the examples. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/pipec.js');

/** `as`: run as this user id (through setpriv), for what permissions do not stop root from doing. */
export async function pipec(args: readonly string[], cwd: string, env: Record<string, string> = {}, as?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = as === undefined ? [process.execPath, BIN, ...args] : ['setpriv', `--reuid=${as}`, `--regid=${as}`, '--clear-groups', process.execPath, BIN, ...args];
  try {
    const { stdout, stderr } = await run(command[0] ?? '', command.slice(1), { cwd, env: { ...process.env, GITHUB_ACTIONS: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** A temporary folder holding a copy of the example project under `examples/` (without build output). */
export async function copyExamples(prefix: string): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), prefix));
  await cp(path.join(ROOT, 'examples'), path.join(work, 'examples'), { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
  return work;
}
