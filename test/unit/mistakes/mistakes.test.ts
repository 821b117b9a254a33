/**
 * The corpus of common mistakes (corpus.ts): each must show exactly its expected diagnostics, in order,
 * and exit as expected — one root cause, one diagnostic.
 */
import { describe, expect, test } from 'vitest';
import { MISTAKES } from './corpus.ts';
import { runMistake } from './run.ts';

describe('common mistakes: exactly the diagnostics of the cause', () => {
  test.each(MISTAKES.map((m) => [m.name, m] as const))('%s', async (_name, mistake) => {
    const result = await runMistake(mistake);
    expect(result.shown).toEqual(mistake.expected);
    expect(result.exit).toBe(mistake.exit);
  });

  test('the logical-type warning of a CDC column names the column as the pipeline reads it, and its fix compiles', async () => {
    const warned = MISTAKES.find((m) => m.name.startsWith('a CDC column holding microseconds, selected'));
    const fixed = MISTAKES.find((m) => m.name.startsWith('a CDC column holding microseconds, converted'));
    if (!warned || !fixed) throw new Error('corpus cases missing');
    const [warning] = (await runMistake(warned)).diagnostics;
    expect(warning?.message).toContain('field `opened_at` of `loans.public.loans-value`');
    expect(warning?.hints[0]).toBe('derive a timestamp in the pipeline: TO_TIMESTAMP_LTZ(opened_at / 1000, 3)');
    expect(fixed.files['p.pipe']).toContain('to_timestamp_ltz(opened_at / 1000, 3)');
  });

  test('the corpus has at least 30 mistakes with distinct names', () => {
    expect(MISTAKES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(MISTAKES.map((m) => m.name)).size).toBe(MISTAKES.length);
  });
});
