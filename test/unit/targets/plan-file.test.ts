/**
 * `<pipeline>/plan.json`: what an upgrade is compared against, so it changes only when the pipeline does, and
 * what pipec reads back only through its decoder, which refuses a file of another format version.
 */
import { describe, expect, test } from 'vitest';
import { decodePlanFile, planFileOf, PLAN_FILE_VERSION } from '../../../compiler/plan/plan-file.ts';
import type { PipelinePlan } from '../../../compiler/plan/plan.ts';
import { compactStableJson } from '../../../targets/stable-json.ts';
import { compileFiles, PRELUDE } from '../../helpers/check.ts';
import { compileExamples } from '../../helpers/examples.ts';

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

describe('decodePlanFile', async () => {
  const examples = await compileExamples('1.20');
  const planFiles = (examples.output?.artifacts ?? []).filter((a) => a.path.endsWith('/plan.json'));
  const spanless = (p: PipelinePlan): unknown => JSON.parse(compactStableJson(p, ['span']));

  test('every example plan comes back from its plan.json as it was, spans aside, and writes the same file again', () => {
    expect(planFiles.length).toBe(examples.plan?.pipelines.length);
    for (const file of planFiles) {
      const decoded = decodePlanFile(file.contents, file.path);
      const original = examples.plan?.pipelines.find((p) => p.name === decoded.name);
      expect(original, file.path).toBeDefined();
      if (original) expect(spanless(decoded), file.path).toEqual(spanless(original));
      expect(compactStableJson(planFileOf(decoded), ['span']), file.path).toBe(file.contents);
      expect(JSON.parse(file.contents)).toMatchObject({ formatVersion: PLAN_FILE_VERSION });
    }
  });

  const [first] = planFiles;
  const withVersion = (version: unknown): string => JSON.stringify({ ...(JSON.parse(first?.contents ?? '{}') as object), formatVersion: version });

  test('a plan.json of another format version is refused, naming the file, both versions and what to do', () => {
    expect(() => decodePlanFile(withVersion(PLAN_FILE_VERSION + 1), 'old-build/p/plan.json')).toThrow(
      `old-build/p/plan.json has format version ${PLAN_FILE_VERSION + 1}; this pipec reads plan format version ${PLAN_FILE_VERSION}: rebuild it with this pipec (pipec compile)`,
    );
    const { formatVersion: _v, ...unversioned } = JSON.parse(first?.contents ?? '{}') as Record<string, unknown>;
    expect(() => decodePlanFile(JSON.stringify(unversioned), 'p/plan.json', 'deploy with the old pipec')).toThrow(
      `p/plan.json has no format version (it was written by a pipec from before plan files had one); this pipec reads plan format version ${PLAN_FILE_VERSION}: deploy with the old pipec`,
    );
  });

  test('a malformed plan.json is refused with where it is wrong', () => {
    const plan = JSON.parse(first?.contents ?? '{}') as { sinks: { columns: { type: { kind: string } }[] }[] };
    const column = plan.sinks[0]?.columns[0];
    if (column) column.type.kind = 'VARCHAR2';
    expect(() => decodePlanFile(JSON.stringify(plan), 'p/plan.json')).toThrow(/^p\/plan\.json is not a valid plan of format version 1 at sinks\.0\.columns\.0\.type\.kind: .*; rebuild it with this pipec/);
    expect(() => decodePlanFile(JSON.stringify({ ...(JSON.parse(first?.contents ?? '{}') as object), extra: 1 }), 'p/plan.json')).toThrow(/p\/plan\.json is not a valid plan of format version 1: unknown field `extra`/);
    expect(() => decodePlanFile('{"formatVersion":1,', 'p/plan.json')).toThrow(/^p\/plan\.json is not a pipec plan file: .*JSON/);
    expect(() => decodePlanFile('[1]', 'p/plan.json')).toThrow('p/plan.json is not a pipec plan file: it is not a JSON object; rebuild it with this pipec (pipec compile)');
    expect(() => decodePlanFile(withVersion(PLAN_FILE_VERSION), 'p/plan.json')).not.toThrow();
  });
});
