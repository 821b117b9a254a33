/**
 * `pipec test` as users run it: a real process on a copy of the examples, with its exit codes, its JSON output,
 * JUnit XML, and --update writing what the sink received into the expect block.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { copyExamples, pipec } from '../../helpers/run-pipec.ts';

let work: string;
beforeAll(async () => {
  work = await copyExamples('pipec-test-cli-');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const FILE = 'examples/tests/payments_per_minute.test.yaml';

test('a wrong expectation: exit 1, a JSON diff, JUnit XML, and --update writes the actual rows', async () => {
  const file = path.join(work, FILE);
  const original = await readFile(file, 'utf8');
  await writeFile(file, original.replace("total_amount: '35.50'", "total_amount: '35.00'"));

  // As people read it: the failing test's diff on lines of their own, under its FAIL line.
  const human = await pipec(['test', FILE], work);
  expect(human.code).toBe(1);
  expect(human.stdout).toMatch(/^FAIL {2}examples\/tests\/payments_per_minute\.test\.yaml:\d+:\d+ .*\n {6}volume \(rows, in any order\):\n {8}- missing {2}\{ window_start/m);
  expect(human.stdout).not.toContain('\\n');

  const r = await pipec(['test', FILE, '--format', 'json', '--junit', 'results.xml', '--update'], work);
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout) as { diagnostics: { code: string }[]; results: { name: string; passed: boolean; sinks?: { diff: { kind: string }[] }[] }[]; tests: { passed: number; failed: number } };
  expect(report.tests).toEqual({ passed: 1, failed: 1 });
  // The examples' one warning (schema-logical-type-ignored) is suppressed in their source, with its reason.
  expect(report.diagnostics.map((d) => d.code)).toEqual([]);
  expect(report.results[0]?.sinks?.[0]?.diff.map((d) => d.kind)).toEqual(['missing', 'extra']);
  expect(await readFile(path.join(work, 'results.xml'), 'utf8')).toContain('<testsuite name="examples/tests/payments_per_minute.test.yaml" tests="2" failures="1" errors="0"');

  const updated = await readFile(file, 'utf8');
  expect(updated).toContain("currency: EUR, status: PAID, payments: 2, total_amount: '35.50', largest_amount: '25.50' }");
  expect(updated).toContain('# the watermark is now 09:00:58'); // comments are kept
  const again = await pipec(['test', FILE], work);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('2 passed, 0 failed');
});

test('a misspelled column in a test: exit 1 with the diagnostic at its line, and no test runs', async () => {
  const file = path.join(work, 'examples/tests/payments_dedupe.test.yaml');
  const original = await readFile(file, 'utf8');
  await writeFile(file, original.replace('- { payment_id: P-2,', '- { payment_idd: P-2,'));
  const r = await pipec(['test', 'examples/tests/payments_dedupe.test.yaml'], work);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('error[unknown-column]: `payments` has no column `payment_idd`');
  expect(r.stderr).toContain('--> examples/tests/payments_dedupe.test.yaml:13:13');
  expect(r.stdout).not.toMatch(/running \d+ tests?/);
  const check = await pipec(['check', 'examples'], work);
  expect(check.code).toBe(1);
  expect(check.stderr).toContain('error[unknown-column]');
  await writeFile(file, original);
});

test('a filter that matches nothing is a usage error', async () => {
  const r = await pipec(['test', 'examples', '--filter', 'no such test'], work);
  expect(r.code).toBe(2);
});
