/** Runs the `pipec` command as users do: a real Node process, its exit code and both output streams. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/pipec.js');

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
