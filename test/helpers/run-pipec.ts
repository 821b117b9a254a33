/** The `pipec` command as users run it, for CLI tests: a real process, its exit code and output; and a scratch copy of the examples. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/pipec.js');

export async function pipec(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, GITHUB_ACTIONS: '', ...env } });
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
