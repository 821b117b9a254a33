/** Comparing expected and actual sink rows, and the reports made of the result (pure; no Flink). */
import { describe, expect, test } from 'vitest';
import type { SinkPlan } from '../../../compiler/plan/plan.ts';
import type { CanonicalRow, ResolvedExpectation } from '../../../compiler/testing/check-tests.ts';
import { compareSink, finalState, type ActualChange } from '../../../compiler/testing/compare.ts';
import { githubAnnotation, junitXml, renderHumanResult, type TestResult } from '../../../compiler/testing/report.ts';
import { t } from '../../../compiler/types/types.ts';

const sink = (upsert: boolean): SinkPlan =>
  ({
    table: 'open_loans_kafka',
    input: 'open_loans',
    columns: [
      { name: 'loan_id', type: t.string(false) },
      { name: 'status', type: t.string(false) },
    ],
    keyColumns: upsert ? ['loan_id'] : [],
    upsert,
  }) as unknown as SinkPlan;

const row = (loan_id: string, status: string): CanonicalRow => ({ loan_id, status });
const change = (kind: ActualChange['kind'], r: CanonicalRow): ActualChange => ({ kind, row: r });
const expectRows = (s: SinkPlan, rows: CanonicalRow[]): ResolvedExpectation => ({ sink: s, span: { file: 'x.test.yaml', start: 0, end: 1 }, expected: { mode: 'rows', rows } });

describe('final state of an upsert sink', () => {
  test('+I/+U set the key, -D and a -U without a following +U remove it (an upsert topic writes a tombstone)', () => {
    const changes = [change('+I', row('L-1', 'ACTIVE')), change('+I', row('L-2', 'ACTIVE')), change('-U', row('L-1', 'ACTIVE')), change('+U', row('L-1', 'LATE')), change('-U', row('L-2', 'ACTIVE')), change('+I', row('L-3', 'ACTIVE')), change('-D', row('L-3', 'ACTIVE'))];
    expect(finalState(sink(true), changes)).toEqual([row('L-1', 'LATE')]);
  });

  test('a changed column is reported per key, a missing key and an extra key as such', () => {
    const outcome = compareSink(expectRows(sink(true), [row('L-1', 'ACTIVE'), row('L-9', 'ACTIVE')]), [change('+I', row('L-1', 'LATE')), change('+I', row('L-2', 'ACTIVE'))]);
    expect(outcome.passed).toBe(false);
    expect(outcome.diff).toEqual([
      { kind: 'changed', key: '(L-1)', columns: [{ column: 'status', expected: 'ACTIVE', actual: 'LATE' }] },
      { kind: 'missing', key: '(L-9)', row: row('L-9', 'ACTIVE') },
      { kind: 'extra', key: '(L-2)', row: row('L-2', 'ACTIVE') },
    ]);
  });
});

describe('rows of an append sink', () => {
  test('compare as a multiset: order does not matter, duplicates do', () => {
    const actual = [change('+I', row('L-2', 'A')), change('+I', row('L-1', 'A')), change('+I', row('L-1', 'A'))];
    expect(compareSink(expectRows(sink(false), [row('L-1', 'A'), row('L-1', 'A'), row('L-2', 'A')]), actual).passed).toBe(true);
    expect(compareSink(expectRows(sink(false), [row('L-1', 'A'), row('L-2', 'A')]), actual).diff).toEqual([{ kind: 'extra', key: undefined, row: row('L-1', 'A') }]);
  });
});

describe('reports', () => {
  const failing: TestResult = {
    kind: 'ran',
    file: 'tests/loans.test.yaml',
    name: 'closed <loans> & "others"',
    span: { file: 'tests/loans.test.yaml', start: 0, end: 1 },
    ms: 1234,
    sinks: [compareSink(expectRows(sink(true), [row('L-1', 'ACTIVE')]), [change('+I', row('L-1', 'LATE'))])],
  };

  test('human: FAIL with the diff under the test', () => {
    expect(renderHumanResult(failing, 'tests/loans.test.yaml:8:5')).toBe(
      'FAIL  tests/loans.test.yaml:8:5  closed <loans> & "others"  (1.2 s)\n      open_loans (final row per key (loan_id)):\n        ~ changed  (L-1): status expected ACTIVE, got LATE',
    );
  });

  test('JUnit XML escapes names and carries the diff', () => {
    const xml = junitXml([failing]);
    expect(xml).toContain('<testcase classname="tests/loans.test.yaml" name="closed &lt;loans&gt; &amp; &quot;others&quot;" time="1.234">');
    expect(xml).toContain('<failure message="rows differ">open_loans (final row per key (loan_id)):\n  ~ changed  (L-1): status expected ACTIVE, got LATE</failure>');
  });

  test('a GitHub annotation on the test line, newlines escaped', () => {
    expect(githubAnnotation(failing, 8, 5)).toBe('::error file=tests/loans.test.yaml,line=8,col=5,title=pipec test::test "closed <loans> & "others"" failed%0Aopen_loans (final row per key (loan_id)):%0A  ~ changed  (L-1): status expected ACTIVE, got LATE');
  });
});
