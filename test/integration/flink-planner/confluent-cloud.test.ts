/**
 * The Confluent Cloud form of every example job (confluent-cloud.json) plans with the real Flink planner, on
 * stand-ins for the topics' tables. Confluent Cloud itself cannot run here: this checks pipec's SQL — the
 * topic names, the views as WITH items (also as window and temporal-join inputs), the raw-key projection, the
 * ALTER TABLE statements and the time attributes and keys they give — not Confluent's table inference.
 *
 * A stand-in is what Confluent infers from a topic's subjects (create-table docs, "Inferred tables"): the
 * job.sql table of the source or sink, named by its topic, without what the ALTER TABLE statements add
 * (metadata and computed columns, the watermark, a CDC table's primary key), with a raw key as the `key`
 * bytes column, and with Confluent's `$rowtime` column and its default watermark. `SET (…)` changes name Confluent-only options (`avro-debezium-registry`) and are left out:
 * the stand-in already has the format they set.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { PipelinePlan } from '../../../compiler/plan/plan.ts';
import { confluentCloudArtifactSchema, statementText, type ConfluentCloudArtifact } from '../../../targets/flink-sql/confluent-cloud-artifact.ts';
import { lowerPipelineToFlink, withoutSourceGuards } from '../../../targets/flink-sql/lower.ts';
import { checkWithFlinkPlanner } from '../../planner-check/index.ts';
import { printScript } from '../../../targets/flink-sql/print.ts';
import type * as S from '../../../targets/flink-sql/sql-ast.ts';
import { compileExamples } from '../../helpers/examples.ts';

const substitutions = { '${pipec:registry.url}': 'http://127.0.0.1:1', '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1' };

function standIns(p: PipelinePlan): S.SqlStatement[] {
  // Confluent Cloud's tables handle undecodable records themselves: the stand-ins are the unguarded tables.
  const job = lowerPipelineToFlink(withoutSourceGuards(p), { project: 'lendwell', environment: 'default', kafkaProperties: [], registryBasicAuth: false });
  const tables = new Map(job.setup.flatMap((s) => (s.kind === 'create-table' ? [[s.name, s] as const] : [])));
  const out: S.SqlStatement[] = [];
  for (const s of p.sources) {
    const t = tables.get(s.name);
    if (!t) throw new Error(`no table for source ${s.name}`);
    const rawKey = s.key?.format === 'raw' ? s.key.columns[0] : undefined;
    const columns = t.columns.flatMap((c): S.TableColumn[] => {
      if (c.kind !== 'physical') return [];
      return c.name === rawKey ? [{ kind: 'physical', name: 'key', type: 'BYTES' }] : [c];
    });
    const options = rawKey ? { ...t.options, 'key.fields': 'key' } : t.options;
    // Every Confluent table has the system column `$rowtime` (the record timestamp) with a default watermark,
    // which MODIFY WATERMARK replaces.
    columns.push({ kind: 'metadata', name: '$rowtime', type: 'TIMESTAMP_LTZ(3) NOT NULL', key: 'timestamp', virtual: true });
    const watermark = { column: '$rowtime', expression: { kind: 'column', qualifier: undefined, name: '$rowtime' } } as const;
    out.push({ ...t, temporary: false, name: s.topic, columns, watermark, primaryKey: s.system === 'kafka' ? t.primaryKey : [], options });
  }
  for (const s of p.sinks) {
    const t = tables.get(s.table);
    if (!t) throw new Error(`no table for sink ${s.table}`);
    out.push({ ...t, temporary: false, name: s.topic });
  }
  return out;
}

function script(p: PipelinePlan, artifact: ConfluentCloudArtifact): string {
  // Options and error handling are Confluent's table options, which the open-source Kafka connector does not take.
  const changes = artifact.tableChanges.filter((c) => c.target !== 'options' && c.target !== 'error handling').map((c) => statementText(c.statement));
  return [printScript(standIns(p)), ...changes, statementText(artifact.statement)].join('\n\n') + '\n';
}

describe.each(['1.20', '2.2'] as const)('Flink %s', (version) => {
  test('plans the Confluent Cloud statement of every example it can deploy, with the sinks\' changelog modes', async () => {
    const compiled = await compileExamples(version);
    const plan = compiled.plan;
    expect(plan, compiled.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
    const dir = await mkdtemp(path.join(tmpdir(), `pipec-cc-${version}-`));
    const files = new Map<string, PipelinePlan>();
    for (const a of compiled.output?.artifacts ?? []) {
      if (!a.path.endsWith('/confluent-cloud.json')) continue;
      const artifact = confluentCloudArtifactSchema.parse(JSON.parse(a.contents));
      if (artifact.unsupported.length > 0) continue;
      const p = plan?.pipelines.find((x) => x.name === artifact.pipeline);
      if (!p) throw new Error(`no plan for ${artifact.pipeline}`);
      const file = path.join(dir, `${p.name}.sql`);
      await writeFile(file, script(p, artifact));
      files.set(file, p);
    }
    // Every example but fraud_login_country, whose JSON source Confluent Cloud cannot read as compiled.
    expect([...files.values()].map((p) => p.name).sort()).toEqual(['loans_changelog', 'merchant_leaders', 'missed_payments', 'payments_dedupe', 'payments_enriched', 'payments_per_minute', 'payments_quality']);
    const results = await checkWithFlinkPlanner([...files.keys()], version, { substitutions });
    expect(results.filter((r) => !r.ok).map((r) => `${path.basename(r.file)}: ${r.error?.message ?? ''}`)).toEqual([]);

    const expected: string[] = [];
    const actual: string[] = [];
    for (const r of results) {
      const p = files.get(r.file);
      for (const sink of p?.sinks ?? []) {
        const mode = r.sinks.find((s) => s.table === sink.topic)?.changelogMode ?? 'missing';
        expected.push(`${p?.name}.${sink.topic}: ${sink.changelog.kind}`);
        actual.push(`${p?.name}.${sink.topic}: ${mode === 'I' ? 'append' : mode === 'missing' ? 'missing' : 'updating'}`);
      }
    }
    expect(actual).toEqual(expected);
  });
});
