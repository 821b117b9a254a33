/**
 * `pipec check --watch` as users run it: a real process that checks, then checks again when a file changes,
 * printing the new diagnostics, until it is interrupted.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';

// A Node process and a few checks of the examples; seconds on a loaded 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'bin/pipec.js');

let child: ChildProcessWithoutNullStreams | undefined;
let work: string | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  if (work) await rm(work, { recursive: true, force: true });
});

/** Everything the process printed so far, both streams, and a way to wait for a pattern to appear after an offset. */
function output(p: ChildProcessWithoutNullStreams): { text: () => string; waitFor: (pattern: RegExp, from: number) => Promise<number> } {
  let text = '';
  const listeners = new Set<() => void>();
  const add = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  p.stdout.on('data', add);
  p.stderr.on('data', add);
  return {
    text: () => text,
    waitFor: (pattern, from) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const m = pattern.exec(text.slice(from));
          if (m) {
            listeners.delete(check);
            resolve(from + m.index + m[0].length);
          }
        };
        p.once('exit', (code) => reject(new Error(`pipec exited (${String(code)}) before printing ${pattern}:\n${text}`)));
        listeners.add(check);
        check();
      }),
  };
}

test('check --watch reports an error introduced by an edit, then its fix, and exits on SIGINT', async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-watch-'));
  await cp(path.join(ROOT, 'examples'), path.join(work, 'examples'), { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
  const file = path.join(work, 'examples/payments_dedupe.pipe');
  const original = await readFile(file, 'utf8');

  child = spawn(process.execPath, [BIN, 'check', '--watch', 'examples'], { cwd: work, env: { ...process.env, GITHUB_ACTIONS: '' } });
  const out = output(child);
  let at = await out.waitFor(/checked 9 files, 8 pipelines: no errors\n/, 0);
  at = await out.waitFor(/watching for changes/, at);

  // A one-line edit: a column the stream does not have.
  await writeFile(file, original.replace('by payment_id keep first', 'by paymnet_id keep first'));
  at = await out.waitFor(/changed: examples\/payments_dedupe\.pipe; checking again/, at);
  at = await out.waitFor(/error\[unknown-column\][^\n]*paymnet_id[\s\S]*?--> examples\/payments_dedupe\.pipe:10:/, at);
  // Each run ends with its own summary, counting its own diagnostics only.
  at = await out.waitFor(/\n1 error, 0 warnings\n/, at);

  await writeFile(file, original);
  await out.waitFor(/checked 9 files, 8 pipelines: no errors\n/, at);

  const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  // The last check was clean.
  expect(await exited).toBe(0);
  expect(out.text()).not.toMatch(/internal error|\n\s+at .*\(/);
});

test('--watch with another command is a usage error: an option compile does not know', async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-watch-'));
  child = spawn(process.execPath, [BIN, 'compile', '--watch'], { cwd: work });
  const out = output(child);
  const code = await new Promise<number | null>((resolve) => child?.once('exit', (c) => resolve(c)));
  expect(code).toBe(2);
  expect(out.text()).toContain("pipec: unknown option '--watch'\nRun `pipec compile --help` for usage.");
});
