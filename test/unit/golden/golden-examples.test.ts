/**
 * Every artifact of the example project, compared with its golden under examples/ here (read by a human
 * before commit): the Flink jobs, the compiled-plan inputs and the manifest.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTwoFilesPatch } from 'diff';
import { compileExamples } from '../../helpers/examples.ts';
import { compilePlanArtifactSchema } from '../../../targets/flink-sql/compile-plan-artifact.ts';
import { FLINK_LINE_NAMES, type FlinkLine } from '../../../stdlib/flink-lines.ts';

const dir = path.join(import.meta.dirname, 'examples');

/** plan.json is written on one line; its golden is the same JSON indented, so a person can read and review it. */
const readable = (file: string, contents: string): string => (file.endsWith('/plan.json') ? `${JSON.stringify(JSON.parse(contents), null, 2)}\n` : contents);

describe('example artifacts (Flink 1.20)', async () => {
  const result = await compileExamples('1.20');

  test('the examples compile without errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    expect(result.output).toBeDefined();
  });

  // compile-plan.sql is job.sql with its last statement turned into COMPILE PLAN, and compile-plan.json is
  // compile-plan.sql statement by statement: both checked below instead of keeping near-identical goldens.
  for (const artifact of (result.output?.artifacts ?? []).filter((a) => !a.path.endsWith('/compile-plan.sql') && !a.path.endsWith('/compile-plan.json'))) {
    test(artifact.path, async () => {
      await expect(readable(artifact.path, artifact.contents)).toMatchFileSnapshot(path.join(dir, artifact.path));
    });
  }

  test('compile-plan.sql is job.sql whose statement set becomes COMPILE PLAN', () => {
    const artifacts = new Map((result.output?.artifacts ?? []).map((a) => [a.path, a.contents]));
    const jobs = [...artifacts.keys()].filter((p) => p.endsWith('/job.sql'));
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const jobSql = artifacts.get(job) ?? '';
      const planSql = artifacts.get(job.replace(/job\.sql$/, 'compile-plan.sql')) ?? '';
      expect(jobSql).toContain('EXECUTE STATEMENT SET\nBEGIN');
      expect(planSql).toBe(jobSql.replace('EXECUTE STATEMENT SET\nBEGIN', "COMPILE PLAN '${pipec:flink.plan_path}' FOR STATEMENT SET\nBEGIN"));
    }
  });

  test('compile-plan.json is compile-plan.sql statement by statement, without comments or final semicolons', () => {
    const artifacts = new Map((result.output?.artifacts ?? []).map((a) => [a.path, a.contents]));
    const scripts = [...artifacts.keys()].filter((p) => p.endsWith('/compile-plan.sql'));
    expect(scripts.length).toBeGreaterThan(0);
    const lines = (text: string): string => text.split('\n').filter((l) => l !== '' && !l.startsWith('--')).join('\n');
    for (const script of scripts) {
      const statements = compilePlanArtifactSchema.parse(JSON.parse(artifacts.get(script.replace(/\.sql$/, '.json')) ?? 'null'));
      expect(lines(statements.statements.map((s) => `${s};`).join('\n')), script).toBe(lines(artifacts.get(script) ?? ''));
      expect(statements.statements.every((s) => !s.endsWith(';')), script).toBe(true);
      expect(statements.statements[0], script).toBe(`SET 'pipeline.name' = '${statements.jobName}'`);
      expect(statements.jobName).toBe(`lendwell.default.${script.split('/')[0] ?? ''}`);
    }
  });
});

/** Every artifact that differs between two lines' builds of the examples, as a unified diff (none: nothing). */
function crossVersionDiff(older: Awaited<ReturnType<typeof compileExamples>>, newer: Awaited<ReturnType<typeof compileExamples>>, names: readonly [FlinkLine, FlinkLine]): string {
  const files = (r: typeof older) => new Map((r.output?.artifacts ?? []).map((a) => [a.path, readable(a.path, a.contents)]));
  const [a, b] = [files(older), files(newer)];
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((p) => createTwoFilesPatch(a.has(p) ? p : '/dev/null', b.has(p) ? p : '/dev/null', a.get(p) ?? '', b.get(p) ?? '', `Flink ${names[0]}`, `Flink ${names[1]}`))
    .join('');
}

describe('each Flink line against the one before it', () => {
  for (const [older, newer] of FLINK_LINE_NAMES.slice(1).map((line, i) => [FLINK_LINE_NAMES[i] ?? line, line] as const)) {
    test(`${older} → ${newer}: every difference in the examples' artifacts`, async () => {
      const [before, after] = [await compileExamples(older), await compileExamples(newer)];
      expect(after.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)).toEqual([]);
      await expect(crossVersionDiff(before, after, [older, newer])).toMatchFileSnapshot(path.join(import.meta.dirname, 'cross-version', `${older}-to-${newer}.diff`));
    });
  }
});

test('compiling twice gives byte-identical artifacts', async () => {
  const a = await compileExamples('1.20');
  const b = await compileExamples('1.20');
  expect(b.output?.artifacts).toEqual(a.output?.artifacts);
});
