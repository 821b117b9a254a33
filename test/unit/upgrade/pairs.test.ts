import { describe, expect, test } from 'vitest';
import { classify } from '../../../compiler/upgrade/classify.ts';
import { decodePlanFile } from '../../../compiler/plan/plan-file.ts';
import { compile, names } from '../../integration/upgrades/engine-truth.ts';
import { upgradePairs } from '../../integration/upgrades/pairs.ts';

// The conformance run on Flink takes minutes per batch: a pair that does not compile, or a mutation that changes
// nothing, should fail here first.
describe('generated upgrade pairs', () => {
  const pairs = upgradePairs();

  test('at least 200, each named once', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    expect(new Set(pairs.map((p) => p.name)).size).toBe(pairs.length);
  });

  test.each(pairs.map((pair) => ({ name: pair.name, pair })))('$name compiles, and only an unchanged pair is unchanged', ({ pair }) => {
    const a = compile(pair.a, names('up_p', 'up_p'));
    const b = compile(pair.b, names('up_p', 'up_p'));
    expect(a.text === b.text).toBe(pair.name.endsWith(': nothing changed'));
    expect(classify(decodePlanFile(a.plan, 'A'), decodePlanFile(b.plan, 'B')).verdict).toMatch(/^(compatible|compatible-dropping-state|incompatible)$/);
  });
});
