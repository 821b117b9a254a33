/**
 * Every artifact of the example project, compared with its golden under examples/ here (read by a human
 * before commit): the Flink jobs, the compiled-plan inputs and the manifest.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTwoFilesPatch } from 'diff';
import { compileExamples } from '../../helpers/examples.ts';
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

  // compile-plan.sql is job.sql with its last statement turned into COMPILE PLAN: checked against job.sql
  // below instead of keeping a second, near-identical golden.
  for (const artifact of (result.output?.artifacts ?? []).filter((a) => !a.path.endsWith('/compile-plan.sql'))) {
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
