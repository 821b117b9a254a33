/**
 * The real Flink planner (1.20 and 2.2) accepts every job pipec generates for the examples — `job.sql` and
 * `compile-plan.sql` — and derives for every sink the changelog mode pipec inferred: pipec's append-only
 * means Flink's `I`; pipec's updating means Flink emits updates or deletes.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkWithFlinkPlanner } from '../../planner-check/index.ts';
import { compileExamples } from '../../helpers/examples.ts';
import { runtimeClasspath } from '../../helpers/runtime-classpath.ts';
import { registryConfigSchema } from '../../../compiler/schemas/config.ts';

const substitutions = {
  '${pipec:registry.url}': 'http://127.0.0.1:1',
  '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1',
  '${pipec:flink.plan_path}': 'file:///tmp/pipec-planner-check-unused.json',
};

describe.each(['1.20', '2.2'] as const)('Flink %s', (version) => {
  test('plans every generated job and agrees on every sink\'s changelog mode', async () => {
    const compiled = await compileExamples(version);
    expect(compiled.output, compiled.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
    const dir = await mkdtemp(path.join(tmpdir(), `pipec-examples-${version}-`));
    const files: string[] = [];
    for (const a of compiled.output?.artifacts ?? []) {
      if (!a.path.endsWith('.sql')) continue;
      const file = path.join(dir, a.path);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, a.contents);
      files.push(file);
    }
    expect(files.length).toBe(2 * (compiled.plan?.pipelines.filter((p) => p.sinks.length > 0).length ?? 0));
    // payments_quality reads through the pipec runtime's pipec-guard format.
    const results = await checkWithFlinkPlanner(files, version, { substitutions, extraClasspath: await runtimeClasspath(version) });
    const rejected = results.filter((r) => !r.ok).map((r) => `${path.relative(dir, r.file)}: ${r.error?.message ?? ''}`);
    expect(rejected).toEqual([]);

    const expected: string[] = [];
    const actual: string[] = [];
    for (const p of compiled.plan?.pipelines ?? []) {
      const result = results.find((r) => r.file === path.join(dir, p.name, 'job.sql'));
      for (const sink of p.sinks) {
        const flink = result?.sinks.find((s) => s.table === sink.table)?.changelogMode ?? 'missing';
        expected.push(`${p.name}.${sink.table}: ${sink.changelog.kind}`);
        actual.push(`${p.name}.${sink.table}: ${flink === 'I' ? 'append' : flink === 'missing' ? 'missing' : 'updating'}`);
      }
    }
    expect(actual).toEqual(expected);
  });

  test('with registry basic auth, the jobs\' registry formats carry options Flink knows', async () => {
    const registry = registryConfigSchema.parse({ kind: 'confluent', auth: { type: 'basic', username: 'ci', password: 'ci' } });
    const compiled = await compileExamples(version, (c) => ({ ...c, registry }));
    const dir = await mkdtemp(path.join(tmpdir(), `pipec-examples-auth-${version}-`));
    const files: string[] = [];
    for (const a of compiled.output?.artifacts ?? []) {
      if (!a.path.endsWith('/job.sql') || !a.contents.includes('basic-auth.user-info')) continue;
      const file = path.join(dir, a.path);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, a.contents);
      files.push(file);
    }
    // Avro sources and sinks, CDC (debezium-avro-confluent) included.
    expect(files.length).toBeGreaterThan(3);
    const results = await checkWithFlinkPlanner(files, version, { substitutions: { ...substitutions, '${pipec:registry.user_info}': 'ci:ci' }, extraClasspath: await runtimeClasspath(version) });
    expect(results.filter((r) => !r.ok).map((r) => `${path.relative(dir, r.file)}: ${r.error?.message ?? ''}`)).toEqual([]);
  });
});
