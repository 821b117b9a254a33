/**
 * `<pipeline>/plan.json`: what an upgrade is compared against, so it changes only when the pipeline does.
 */
import { expect, test } from 'vitest';
import { compileFiles, PRELUDE } from '../../helpers/check.ts';

const BODY = "stream big as select payment_id, amount from payments where amount > 100;\nsink big into kafka topic 'out' format avro;";

function planJson(source: string): string {
  const result = compileFiles({ 'p.pipe': source });
  const plan = result.output?.artifacts.find((a) => a.path === 'p/plan.json')?.contents;
  if (plan === undefined) throw new Error(`no plan.json: ${result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
  return plan;
}

test('a comment that moves every statement leaves plan.json as it was (it holds no source offsets)', () => {
  const plain = planJson(`pipeline p with (checkpoint = 10 s);\n${PRELUDE}\n${BODY}`);
  const commented = planJson(`-- Large payments.\n-- Reviewed by risk.\npipeline p with (checkpoint = 10 s);\n${PRELUDE}\n${BODY}`);
  expect(commented).toBe(plain);
  expect(plain).not.toContain('"span"');
});

test('plan.json is one line of JSON with sorted keys', () => {
  const plan = planJson(`pipeline p with (checkpoint = 10 s);\n${PRELUDE}\n${BODY}`);
  expect(plan.endsWith('}\n')).toBe(true);
  expect(plan.trimEnd()).not.toContain('\n');
  expect(JSON.parse(plan)).toMatchObject({ name: 'p', sinks: [expect.objectContaining({ topic: 'out' })] });
});
