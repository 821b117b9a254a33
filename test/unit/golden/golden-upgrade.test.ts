/**
 * `pipec diff` as users see it: an upgrade that changes a window aggregation's group key cannot keep the
 * job's state (error), one that removes a stateful stream drops that state (warning). The rendered
 * diagnostics are compared with goldens under upgrade/ (read by a human before commit).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

async function pipec(args: readonly string[], cwd: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [path.join(ROOT, 'bin/pipec.js'), ...args], { cwd, env: { ...process.env, GITHUB_ACTIONS: '' } });
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { code: err.code ?? -1, stderr: err.stderr ?? '' };
  }
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer contains the text this test edits`);
  await writeFile(file, text.replace(from, to));
}

test('upgrade-state-incompatible and upgrade-state-dropped', async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'pipec-upgrade-'));
  await cp(path.join(ROOT, 'examples'), path.join(work, 'examples'), { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
  expect((await pipec(['compile', 'examples', '--out', 'previous'], work)).code).toBe(0);

  // A group key removed from a window aggregation: its state no longer fits.
  await edit(path.join(work, 'examples/payments_per_minute.pipe'), '    status,\n', '');
  await edit(path.join(work, 'examples/payments_per_minute.pipe'), 'group by window_start, window_end, currency, status;', 'group by window_start, window_end, currency;');
  // A stateful stream and its sink removed: its state is dropped, the rest carries over.
  const leaders = path.join(work, 'examples/merchant_leaders.pipe');
  const text = await readFile(leaders, 'utf8');
  await writeFile(leaders, text.replace(/stream category_volume as[\s\S]*?;\n\n/, '').replace(/\nsink category_volume into[\s\S]*?;\n/, '\n'));

  const diff = await pipec(['diff', '--previous', 'previous', 'examples'], work);
  expect(diff.code).toBe(1);
  const findings = diff.stderr.split('\n\n').filter((block) => /^(error|warning)\[upgrade-/.test(block.trim())).join('\n\n');
  expect(findings).toContain('error[upgrade-state-incompatible]');
  expect(findings).toContain('warning[upgrade-state-dropped]');
  await expect(`${findings.trim()}\n`).toMatchFileSnapshot(path.join(import.meta.dirname, 'upgrade', 'diff.txt'));
}, 120_000);
