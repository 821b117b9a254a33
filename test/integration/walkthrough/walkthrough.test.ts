/**
 * docs/local-stack.md, "From init to output": its shell block runs as written — `pipec init`, then `pipec local
 * up`, `deploy`, `produce`, `tail`, `down` — and what `tail` printed holds every row of the block after it. The
 * test owns the stack's whole life (the walkthrough starts and stops it), so it runs in its own vitest project,
 * without the integration setup's shared stack. With PIPEC_LOCAL_CONFIG, every `pipec local` command gets
 * `--config` with that file (ports, folder), and nothing else of the commands changes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT } from '../../helpers/run-pipec.ts';

const SECTION = '## From init to output';

/** The fenced blocks of one language in the doc's section. */
async function blocks(language: string): Promise<string[]> {
  const doc = await readFile(path.join(ROOT, 'docs/local-stack.md'), 'utf8');
  const start = doc.indexOf(`\n${SECTION}\n`);
  expect(start, `docs/local-stack.md has a section "${SECTION}"`).toBeGreaterThan(0);
  const end = doc.indexOf('\n## ', start + SECTION.length + 2);
  const section = doc.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1] ?? '');
}

let work: string;
let bin: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-walkthrough-'));
  bin = path.join(work, 'bin');
  await mkdir(bin);
  // `pipec` as the walkthrough types it: this checkout's, pointed at the test's stack for `pipec local`.
  const shim = path.join(bin, 'pipec');
  await writeFile(
    shim,
    `#!/usr/bin/env bash
if [ "$1" = local ] && [ -n "\${PIPEC_LOCAL_CONFIG:-}" ]; then exec ${JSON.stringify(path.join(ROOT, 'bin/pipec'))} "$@" --config "$PIPEC_LOCAL_CONFIG"; fi
exec ${JSON.stringify(path.join(ROOT, 'bin/pipec'))} "$@"
`,
  );
  await chmod(shim, 0o755);
});

afterAll(async () => {
  // A walkthrough that failed half-way leaves the stack running: stop it (nothing to stop after its own `down`).
  spawnSync(path.join(bin, 'pipec'), ['local', 'down'], { cwd: path.join(work, 'shop'), env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` }, stdio: 'ignore' });
  await rm(work, { recursive: true, force: true });
});

function runScript(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, GITHUB_ACTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the walkthrough runs as documented and tail prints the derived rows', { timeout: 900_000 }, async () => {
  const [script] = await blocks('sh');
  const [expected] = await blocks('text');
  expect(script).toMatch(/^pipec init /);
  expect(script).toContain('pipec local deploy');
  expect(script).toMatch(/pipec local down\n$/);
  const rows = (expected ?? '').split('\n').filter((l) => l.startsWith('- '));
  expect(rows.length).toBeGreaterThan(0);

  const r = await runScript(script ?? '');
  const shown = `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  expect(r.code, shown).toBe(0);
  const printed = r.stdout.split('\n');
  for (const row of rows) expect(printed, shown).toContain(row);
  // The deploy created what the build has, and the stack is stopped at the end.
  expect(r.stdout, shown).toMatch(/^ {2}created +job orders_per_minute$/m);
  expect(r.stdout, shown).toMatch(/^produced 4 records to topic orders /m);
});

test('a second deploy changes nothing and says so; errors say what to do', { timeout: 900_000 }, async () => {
  const env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, GITHUB_ACTIONS: '' };
  const run = (args: string[], input?: string) => spawnSync(path.join(bin, 'pipec'), args, { cwd: path.join(work, 'shop'), env, encoding: 'utf8', input });
  // The walkthrough stopped the stack: every loop command says so.
  const stopped = run(['local', 'deploy']);
  expect(stopped.status).toBe(1);
  expect(stopped.stderr).toMatch(/^pipec local: the local stack is not running \(folder .*\)\n {2}hint: start it with `pipec local up`\n$/);
  const up = run(['local', 'up']);
  expect(up.status, `${up.stdout}\n${up.stderr}`).toBe(0);
  try {
    const first = run(['local', 'deploy']);
    expect(first.status, first.stderr).toBe(0);
    const second = run(['local', 'deploy']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^ {2}unchanged job orders_per_minute$/m);
    expect(second.stdout).toMatch(/^nothing changed: 3 items already deployed as built$/m);
    expect(second.stdout).not.toMatch(/^ {2}(created|updated)/m);

    const unknown = run(['local', 'produce', 'payments', '-'], '- { id: 1 }\n');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('pipec local: no Kafka source or source topic payments in the deployed build (sources: orders (topic orders))');
    const misfit = run(['local', 'produce', 'orders', '-'], "- { order_id: o-9, customer_id: c-9, amount: ten, currency: EUR, ordered_at: '2026-01-01T10:00:00' }\n");
    expect(misfit.status).toBe(1);
    expect(misfit.stderr).toContain('record 1: column amount (DECIMAL(12, 2) NOT NULL): expected a decimal');
    expect(misfit.stderr).not.toMatch(/\n\s+at /);
    const noTopic = run(['local', 'tail', 'nowhere', '--max', '1']);
    expect(noTopic.status).toBe(1);
    expect(noTopic.stderr).toContain('pipec local: no topic nowhere on the local stack (the deployed sinks: per_minute (topic orders.per-minute))');
  } finally {
    run(['local', 'down']);
  }
});
