/**
 * Test files are checked against the pipelines they test (at `pipec check` time): names, columns and value
 * types, each with a diagnostic at the test file's line. Goldens, named by code in golden/diagnostics/, show them as
 * users see them; `unknown-column`, which a `.pipe` file reports too, has its test-file golden as
 * unknown-column.test-file.txt.
 */
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { renderHuman } from '../../../compiler/diagnostics/render.ts';
import type { PipelinePlan } from '../../../compiler/plan/plan.ts';
import { checkTestFile } from '../../../compiler/testing/check-tests.ts';
import { parseTestFile } from '../../../compiler/testing/test-file.ts';
import { canonicalize } from '../../../compiler/testing/values.ts';
import { t } from '../../../compiler/types/types.ts';
import { compileExamples } from '../../helpers/examples.ts';

const GOLDEN = path.resolve(import.meta.dirname, '../golden/diagnostics');
let pipelines: readonly PipelinePlan[] = [];

beforeAll(async () => {
  const compiled = await compileExamples('1.20');
  pipelines = compiled.plan?.pipelines ?? [];
});

const HEADER = `pipeline: payments_dedupe
defaults:
  payments: { loan_id: L-1, customer_id: C-1, installment: 1, amount: '49.90', currency: EUR, status: PAID, due_at: '2026-03-01T00:00:00' }
tests:
`;
const ROW = "{ payment_id: P-1, loan_id: L-1, customer_id: C-1, installment: 1, amount: '49.90', currency: EUR, status: PAID, due_at: '2026-03-01T00:00:00', event_time: '2026-03-01T09:00:00', retry_of: null }";

function check(text: string): { diagnostics: Diagnostic[]; rendered: string; tests: number } {
  const source = { path: 'tests/x.test.yaml', text };
  const parsed = parseTestFile(source);
  const checked = checkTestFile(parsed.file, pipelines);
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  return { diagnostics, rendered: `${diagnostics.map((d) => renderHuman(d, (p) => (p === source.path ? source : undefined))).join('\n\n')}\n`, tests: checked.tests.length };
}

describe('test files are checked against the pipeline', () => {
  test('a correct file checks clean and resolves its tests', () => {
    const r = check(`${HEADER}  - name: ok\n    given:\n      payments:\n        - { payment_id: P-1, event_time: '2026-03-01T09:00:00' }\n    expect:\n      unique_payments:\n        - ${ROW}\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.tests).toBe(1);
  });

  const cases: Record<string, string> = {
    'unknown-column': `${HEADER}  - name: misspelled\n    given:\n      payments:\n        - { payment_idd: P-1, payment_id: P-1, event_time: '2026-03-01T09:00:00' }\n    expect:\n      unique_payments: []\n`,
    'test-value-type': `${HEADER}  - name: wrong type\n    given:\n      payments: []\n    expect:\n      unique_payments:\n        - ${ROW.replace("amount: '49.90'", 'amount: forty')}\n`,
    'test-missing-column': `${HEADER}  - name: missing\n    given:\n      payments:\n        - { event_time: '2026-03-01T09:00:00' }\n    expect:\n      unique_payments: []\n`,
    'test-unknown-endpoint': `${HEADER}  - name: wrong names\n    given:\n      paymnts: []\n    expect:\n      unique_payment: []\n`,
    'test-unknown-pipeline': `pipeline: payments_dedup\ntests: []\n`,
    'test-invalid': `${HEADER}  - name: no expectation\n    given:\n      payments: []\n    expected:\n      unique_payments: []\n`,
    'test-syntax': `pipeline: payments_dedupe\ntests:\n  - name: [unclosed\n`,
  };
  test.each(Object.keys(cases))('%s', async (code) => {
    const r = check(cases[code] ?? '');
    expect(r.diagnostics.map((d) => d.code)).toContain(code);
    const golden = code === 'unknown-column' ? `${code}.test-file.txt` : `${code}.txt`;
    await expect(r.rendered).toMatchFileSnapshot(path.join(GOLDEN, golden));
  });
});

describe('canonical values', () => {
  test('decimals, timestamps and integers compare by value, not spelling', () => {
    expect(canonicalize(12.5, t.decimal(12, 2))).toEqual({ ok: true, value: '12.50' });
    expect(canonicalize('012.5', t.decimal(12, 2))).toEqual({ ok: true, value: '12.50' });
    expect(canonicalize('2026-01-01 10:00', t.timestamp(3))).toEqual({ ok: true, value: '2026-01-01T10:00:00' });
    expect(canonicalize('2026-01-01T10:00:00.500', t.timestamp(3))).toEqual({ ok: true, value: '2026-01-01T10:00:00.5' });
    expect(canonicalize('2026-01-01T10:00:00', t.timestampLtz(3))).toEqual({ ok: true, value: '2026-01-01T10:00:00Z' });
    expect(canonicalize('7', t.bigint())).toEqual({ ok: true, value: 7 });
  });
  test('values that do not fit are refused', () => {
    expect(canonicalize('1.234', t.decimal(12, 2)).ok).toBe(false);
    expect(canonicalize(300, t.tinyint()).ok).toBe(false);
    expect(canonicalize('2026-02-30T00:00:00', t.timestamp(3)).ok).toBe(false);
    expect(canonicalize(null, t.string(false)).ok).toBe(false);
  });
});
