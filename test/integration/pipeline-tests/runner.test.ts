/**
 * The pipeline test runner on a real Flink (one MiniCluster JVM for the file): wrong, missing and extra rows
 * give the right diff; updating results compare as final state or as the exact changelog; and breaking one
 * operator of an example makes that example's test fail with a diff that names the change.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runOne } from '../../../compiler/cli/test.ts';
import type { ResolvedConfig } from '../../../compiler/config/schema.ts';
import type { PipelinePlan } from '../../../compiler/plan/plan.ts';
import { checkTestFile } from '../../../compiler/testing/check-tests.ts';
import { passed, renderHumanResult, type TestResult } from '../../../compiler/testing/report.ts';
import { parseTestFile } from '../../../compiler/testing/test-file.ts';
import { FlinkTestSession } from '../../../targets/flink-sql/test-runner/index.ts';
import { compileProject } from '../../helpers/compile-project.ts';
import { compileExamples, EXAMPLES } from '../../helpers/examples.ts';

let session: FlinkTestSession;
let config: ResolvedConfig;
let pipelines: readonly PipelinePlan[];
let work: string;

beforeAll(async () => {
  const compiled = await compileExamples('1.20');
  config = compiled.config;
  pipelines = compiled.plan?.pipelines ?? [];
  session = await FlinkTestSession.start('1.20');
  work = await mkdtemp(path.join(tmpdir(), 'pipec-runner-test-'));
});

afterAll(async () => {
  await session.close();
  await rm(work, { recursive: true, force: true });
});

let runs = 0;
async function runFile(text: string, against: readonly PipelinePlan[] = pipelines): Promise<TestResult[]> {
  const parsed = parseTestFile({ path: 'tests/t.test.yaml', text });
  const checked = checkTestFile(parsed.file, against);
  expect([...parsed.diagnostics, ...checked.diagnostics].map((d) => d.message)).toEqual([]);
  const out: TestResult[] = [];
  for (const t of checked.tests) out.push(await runOne(session, t, path.join(work, String(runs++)), config));
  return out;
}

const exampleTests = (name: string): Promise<string> => readFile(path.join(EXAMPLES, 'tests', `${name}.test.yaml`), 'utf8');
const exampleNames = async (): Promise<string[]> => (await readdir(path.join(EXAMPLES, 'tests'))).filter((f) => f.endsWith('.test.yaml')).map((f) => f.replace('.test.yaml', '')).sort();

const PER_MINUTE = `pipeline: payments_per_minute
defaults:
  payments: { loan_id: L-1, customer_id: C-1, installment: 1, currency: EUR, status: PAID, due_at: '2026-03-01T00:00:00' }
tests:
  - name: one window
    given:
      payments:
        - { payment_id: P-1, amount: '10.00', event_time: '2026-03-01T09:00:05' }
        - { payment_id: P-2, amount: '5.00', event_time: '2026-03-01T09:00:15' }
    expect:
      volume:
`;
const WINDOW_ROW = "{ window_start: '2026-03-01T09:00:00', window_end: '2026-03-01T09:01:00', currency: EUR, status: PAID, payments: 2, total_amount: '15.00', largest_amount: '10.00' }";

describe('append results: rows in any order', () => {
  test('the right rows pass', async () => {
    const [r] = await runFile(`${PER_MINUTE}        - ${WINDOW_ROW}\n`);
    expect(r && passed(r)).toBe(true);
  });

  test('a wrong expected row shows as missing and the actual one as extra', async () => {
    const [r] = await runFile(`${PER_MINUTE}        - ${WINDOW_ROW.replace('payments: 2', 'payments: 3')}\n`);
    expect(r?.kind).toBe('ran');
    if (r?.kind !== 'ran') return;
    expect(r.sinks[0]?.diff.map((d) => d.kind)).toEqual(['missing', 'extra']);
    expect(renderHumanResult(r, 'tests/t.test.yaml:5:5')).toContain('- missing  { window_start: 2026-03-01T09:00:00, window_end: 2026-03-01T09:01:00, currency: EUR, status: PAID, payments: 3');
  });

  test('a missing row', async () => {
    const [r] = await runFile(`${PER_MINUTE}        - ${WINDOW_ROW}\n        - ${WINDOW_ROW.replace(/09:00:00/, '09:05:00').replace('09:01:00', '09:06:00')}\n`);
    expect(r?.kind === 'ran' && r.sinks[0]?.diff.map((d) => d.kind)).toEqual(['missing']);
  });

  test('an extra row', async () => {
    const [r] = await runFile(`${PER_MINUTE}        []\n`.replace('      volume:\n        []', '      volume: []'));
    expect(r?.kind === 'ran' && r.sinks[0]?.diff.map((d) => d.kind)).toEqual(['extra']);
  });
});

describe('updating results', () => {
  const DEDUPE = `pipeline: payments_dedupe
defaults:
  payments: { loan_id: L-1, customer_id: C-1, installment: 1, amount: '1.00', currency: EUR, status: PAID, due_at: '2026-03-01T00:00:00' }
tests:
  - name: a late duplicate with an earlier time
    given:
      payments:
        - { payment_id: P-1, event_time: '2026-03-01T09:00:10', status: LATE }
        - { payment_id: P-1, event_time: '2026-03-01T09:00:08' }
    expect:
      unique_payments:
`;
  const row = (status: string, time: string): string => `{ payment_id: P-1, loan_id: L-1, customer_id: C-1, installment: 1, amount: '1.00', currency: EUR, status: ${status}, due_at: '2026-03-01T00:00:00', event_time: '2026-03-01T09:00:${time}', retry_of: null }`;

  test('compared as the final row per upsert key', async () => {
    const [good] = await runFile(`${DEDUPE}        - ${row('PAID', '08')}\n`);
    expect(good && passed(good)).toBe(true);
    const [stale] = await runFile(`${DEDUPE}        - ${row('LATE', '10')}\n`);
    expect(stale?.kind === 'ran' && stale.sinks[0]?.diff).toEqual([
      { kind: 'changed', key: '(P-1)', columns: [{ column: 'status', expected: 'LATE', actual: 'PAID' }, { column: 'event_time', expected: '2026-03-01T09:00:10', actual: '2026-03-01T09:00:08' }] },
    ]);
  });

  // The exact changelog is Flink 1.20's: 2.2 emits only the final +I for this input, which is why the final
  // state is the default comparison.
  test('compared as the exact changelog', async () => {
    const [good] = await runFile(`${DEDUPE}        changelog:\n          - +I: ${row('LATE', '10')}\n          - +U: ${row('PAID', '08')}\n`);
    expect(good && passed(good)).toBe(true);
    const [onlyInsert] = await runFile(`${DEDUPE}        changelog:\n          - +I: ${row('PAID', '08')}\n`);
    expect(onlyInsert?.kind === 'ran' && onlyInsert.sinks[0]?.diff.map((d) => (d.kind === 'change' ? [d.index, d.expected?.kind, d.actual?.kind] : d.kind))).toEqual([
      [0, '+I', '+I'],
      [1, undefined, '+U'],
    ]);
  });
});

describe('the example tests pass, and catch a broken operator', () => {
  test('pipec test examples: every example test passes', async () => {
    const names = await exampleNames();
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) {
      const results = await runFile(await exampleTests(name));
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) expect(passed(r), renderHumanResult(r, name)).toBe(true);
    }
  });

  async function mutated(file: string, from: string, to: string): Promise<readonly PipelinePlan[]> {
    const original = await readFile(path.join(EXAMPLES, file), 'utf8');
    expect(original).toContain(from);
    const { result } = await compileProject({ [file]: original.replace(from, to) });
    return result.plan?.pipelines ?? [];
  }

  test('dedupe `keep first` → `keep last`: the first-event test fails on the kept row', async () => {
    const results = await runFile(await exampleTests('payments_dedupe'), await mutated('payments_dedupe.pipe', 'keep first', 'keep last'));
    const first = results[0];
    expect(first?.kind === 'ran' && first.sinks[0]?.diff).toEqual([
      { kind: 'changed', key: '(P-1)', columns: [{ column: 'status', expected: 'PAID', actual: 'LATE' }, { column: 'event_time', expected: '2026-03-01T09:00:00', actual: '2026-03-01T09:00:30' }] },
    ]);
  });

  test('window 1 min → 2 min: the per-minute counts fail', async () => {
    const results = await runFile(await exampleTests('payments_per_minute'), await mutated('payments_per_minute.pipe', 'tumbling(event_time, 1 min)', 'tumbling(event_time, 2 min)'));
    expect(results.map((r) => passed(r))).toEqual([false, false]);
    const text = results[0] ? renderHumanResult(results[0], 'x') : '';
    expect(text).toContain('+ extra    { window_start: 2026-03-01T09:00:00, window_end: 2026-03-01T09:02:00, currency: EUR, status: PAID, payments: 3');
  });

  test('a watermark delay of 60 s instead of 5 s: the late record counts, and the late-record test fails', async () => {
    const shared = await readFile(path.join(EXAMPLES, 'shared/sources.pipe'), 'utf8');
    expect(shared).toContain('event time event_time watermark 5 s');
    const { result } = await compileProject({
      'shared/sources.pipe': shared.replace('event time event_time watermark 5 s', 'event time event_time watermark 60 s'),
      'payments_per_minute.pipe': await readFile(path.join(EXAMPLES, 'payments_per_minute.pipe'), 'utf8'),
    });
    const results = await runFile(await exampleTests('payments_per_minute'), result.plan?.pipelines ?? []);
    expect(results.map((r) => passed(r))).toEqual([true, false]);
    const late = results[1];
    expect(late?.kind === 'ran' && late.sinks[0]?.diff.filter((d) => d.kind === 'extra').map((d) => d.kind === 'extra' && d.row['payments'])).toEqual([3]);
  });

  test('temporal join on the wrong key: the join test fails', async () => {
    const results = await runFile(await exampleTests('missed_payments'), await mutated('missed_payments.pipe', 'on p.loan_id = l.loan_id', 'on p.customer_id = l.loan_id'));
    expect(results.map((r) => passed(r))).toEqual([false, false]);
  });
});

describe('Flink 2.2', () => {
  test('the example tests pass on Flink 2.2 as well', async () => {
    const compiled = await compileExamples('2.2');
    const session22 = await FlinkTestSession.start('2.2');
    try {
      expect(session22.flinkVersion).toMatch(/^2\.2\./);
      for (const name of await exampleNames()) {
        const parsed = parseTestFile({ path: `${name}.test.yaml`, text: await exampleTests(name) });
        const checked = checkTestFile(parsed.file, compiled.plan?.pipelines ?? []);
        expect(checked.tests.length).toBeGreaterThan(0);
        for (const t of checked.tests) {
          const r = await runOne(session22, t, path.join(work, String(runs++)), compiled.config);
          expect(passed(r), renderHumanResult(r, name)).toBe(true);
        }
      }
    } finally {
      await session22.close();
    }
  });
});

describe('values of every kind a test can spell', () => {
  const SCHEMA = JSON.stringify({
    type: 'record',
    name: 'Reading',
    namespace: 'test',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'big', type: 'long' },
      { name: 'ratio', type: 'float' },
      { name: 'score', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 3 } },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'counts', type: { type: 'map', values: 'int' } },
      { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: ['null', 'string'], default: null }] } },
      { name: 'note', type: ['null', 'string'], default: null },
      { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    ],
  });
  const PIPE = `pipeline readings;
source readings from kafka topic 'readings' format avro event time ts watermark 0 s;
stream copied as select * from readings;
sink copied into kafka topic 'readings.copy' format avro;
`;
  const RECORD = "{ id: R-1, big: 9007199254740993, ratio: 0.1, score: 2.5, ok: true, price: '12.345', day: '2026-02-28', tags: [a, b], counts: { x: 1, y: 2 }, address: { city: Berlin, zip: null }, note: null, ts: '2026-03-01T09:00:00.123' }";

  test('go through Flink and compare equal to how they were written', async () => {
    const { result } = await compileProject({ 'readings.pipe': PIPE, 'schemas/readings-value.avsc': SCHEMA });
    const file = `pipeline: readings\ntests:\n  - name: identity\n    given:\n      readings:\n        - ${RECORD}\n    expect:\n      copied:\n        - ${RECORD.replace("'12.345'", '12.345').replace('0.1,', "'0.1',")}\n`;
    const [r] = await runFile(file, result.plan?.pipelines ?? []);
    expect(r && passed(r), r ? renderHumanResult(r, 'readings') : '').toBe(true);
  });
});

describe('an `else fail` expectation (the pipec runtime function, compiled into the runner)', () => {
  const PIPE = `pipeline checked_fail with (checkpoint = 10 s);
import payments from 'shared/sources.pipe';
stream checked as select payment_id, amount from payments
  expect positive_amount: amount > 0 else fail;
sink checked into kafka topic 'payments.checked' format avro;
`;
  const TESTS = `pipeline: checked_fail
defaults:
  payments: { loan_id: L-1, customer_id: C-1, installment: 1, currency: EUR, status: PAID, due_at: '2026-03-01T00:00:00', event_time: '2026-03-01T09:00:00' }
tests:
  - name: rows that meet it pass through
    given:
      payments:
        - { payment_id: P-1, amount: '10.00' }
    expect:
      checked:
        - { payment_id: P-1, amount: '10.00' }
  - name: a row that breaks it fails the job, naming the expectation
    given:
      payments:
        - { payment_id: P-2, amount: '-1.00' }
    expect:
      checked: []
`;

  test('passes rows that meet it and fails the job on one that does not', async () => {
    const { result } = await compileProject({ 'checked_fail.pipe': PIPE });
    const [good, bad] = await runFile(TESTS, result.plan?.pipelines ?? []);
    expect(good && passed(good), good ? renderHumanResult(good, 'checked_fail') : '').toBe(true);
    expect(bad?.kind).toBe('error');
    expect(bad?.kind === 'error' && bad.error).toContain('pipec: a row of stream checked does not meet expectation positive_amount');
  });
});
