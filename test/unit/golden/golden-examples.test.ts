/**
 * Every artifact of the example project, compared with its golden under examples/ here (read by a human
 * before commit): the Flink jobs, the compiled-plan inputs and the manifest.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileExamples } from '../../helpers/examples.ts';
import { compilePlanArtifactSchema } from '../../../targets/flink-sql/compile-plan-artifact.ts';

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

describe('Flink 2.2', async () => {
  const v120 = await compileExamples('1.20');
  const v22 = await compileExamples('2.2');

  test('generates the same SQL as 1.20 today (a dialect difference must turn this into a diff golden)', () => {
    const sql = (r: typeof v120) => (r.output?.artifacts ?? []).filter((a) => a.path.endsWith('.sql'));
    expect(sql(v22)).toEqual(sql(v120));
  });

  test('the manifest records the Flink line', () => {
    expect(v22.output?.manifest.pipelines.map((p) => p.job.flinkVersion)).toEqual(v22.output?.manifest.pipelines.map(() => '2.2'));
  });
});

test('compiling twice gives byte-identical artifacts', async () => {
  const a = await compileExamples('1.20');
  const b = await compileExamples('1.20');
  expect(b.output?.artifacts).toEqual(a.output?.artifacts);
});
