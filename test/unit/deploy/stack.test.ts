/**
 * The deployer's resource graph under Pulumi mocks (no engine, no CLI): the example project compiled in
 * memory, written to a temporary build folder, and deployed by PipelineStack.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, test } from 'vitest';
import { compileExamples } from '../../helpers/examples.ts';
import { writeBuild } from '../../helpers/compile-project.ts';
import { placeholdersIn } from '../../../stdlib/placeholders.ts';
import type { Manifest } from '../../../targets/manifest.ts';

interface Created {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const created: Created[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      created.push({ type: a.type, name: a.name, inputs: a.inputs as Record<string, unknown> });
      const inputs = a.inputs as Record<string, unknown>;
      const extra = a.type === 'pulumi-nodejs:dynamic/pipec:FlinkJob' ? { jobId: `job-${String(inputs['name'])}`, planPath: 'file:///plans/x.json' } : a.type === 'pulumi-nodejs:dynamic/pipec:Connector' ? { status: 'RUNNING', tasks: 1 } : {};
      return { id: `${a.name}_id`, state: { ...inputs, ...extra } };
    },
    call: (a) => a.inputs,
  },
  'pipec-test',
  'dev',
  false,
);

function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

let buildDir = '';
let manifest: Manifest;

beforeAll(async () => {
  const compiled = await compileExamples('1.20');
  if (!compiled.output) throw new Error(`examples do not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  manifest = compiled.output.manifest;
  buildDir = await writeBuild(compiled.output.artifacts, 'pipec-deploy-unit-');
}, 120_000);

describe('PipelineStack under mocks', () => {
  test('one resource per manifest item, in dependency order, with the manifest dependsOn', { timeout: 60_000 }, async () => {
    // Imported after setMocks, as Pulumi requires.
    const { PipelineStack } = await import('../../../deploy/index.ts');
    const placeholderNames = new Set<string>();
    for (const p of manifest.pipelines) for (const n of p.job.placeholders) placeholderNames.add(n);
    const values: Record<string, pulumi.Input<string>> = {};
    for (const n of placeholderNames) if (!['flink.plan_path', 'kafka.bootstrap_servers', 'registry.url'].includes(n)) values[n] = pulumi.secret(`value-of-${n}`);
    // Connector configs may use placeholders too.
    const stack = new PipelineStack('lendwell', {
      buildDir,
      kafka: { bootstrapServers: 'kafka:9092' },
      registry: { url: 'http://registry:8085/apis/ccompat/v7' },
      connect: { url: 'http://connect:8083' },
      flink: { sqlGatewayUrl: 'http://gateway:8083', restUrl: 'http://flink:8081', planDir: 'file:///plans', savepointDir: 'file:///savepoints' },
      values: { ...values, ...Object.fromEntries(connectorPlaceholders().map((n) => [n, pulumi.secret(`value-of-${n}`)])) },
    });
    const jobIds = await promiseOf(stack.jobIds);

    const ids = manifest.pipelines.flatMap((p) => [...p.topics, ...p.subjects, ...p.connectors, p.job].map((i) => i.id));
    const unique = [...new Set(ids)];
    expect([...stack.resources.keys()].sort()).toEqual(unique.sort());
    // One resource per item, plus one state guard per pipeline's job.
    const dynamic = created.filter((c) => c.type.startsWith('pulumi-nodejs:dynamic/pipec:'));
    expect(dynamic.length).toBe(unique.length + manifest.pipelines.length);
    const guards = dynamic.filter((c) => c.type === 'pulumi-nodejs:dynamic/pipec:JobStateGuard');
    expect(guards.map((g) => g.name).sort()).toEqual(manifest.pipelines.map((p) => `lendwell-state-guard:${p.name}`).sort());
    // The guards register before anything else, so a refused upgrade touches nothing.
    expect(dynamic.slice(0, guards.length).every((c) => c.type === 'pulumi-nodejs:dynamic/pipec:JobStateGuard')).toBe(true);
    for (const g of guards) expect(JSON.parse(String(g.inputs['plan']))).toMatchObject({ name: g.inputs['name'], sinks: expect.any(Array) });

    // Every dependency is created before what depends on it, and given as dependsOn.
    const order = [...stack.resources.keys()];
    for (const p of manifest.pipelines) {
      for (const item of [...p.subjects, ...p.connectors, p.job]) {
        const deps = stack.dependencies.get(item.id) ?? [];
        expect(deps).toEqual(item.dependsOn.filter((d) => unique.includes(d)));
        for (const d of deps) expect(order.indexOf(d)).toBeLessThan(order.indexOf(item.id));
      }
    }
    expect(Object.keys(jobIds).sort()).toEqual(manifest.pipelines.map((p) => p.name).sort());
    expect(jobIds['payments_dedupe']).toBe('job-payments_dedupe');
  });

  test('resource inputs: topics, subjects and jobs carry what the manifest says, placeholders filled', () => {
    const dedupe = manifest.pipelines.find((p) => p.name === 'payments_dedupe');
    if (!dedupe) throw new Error('no payments_dedupe');
    const topic = created.find((c) => c.name === 'lendwell-topic:payments.unique');
    expect(topic?.type).toBe('pulumi-nodejs:dynamic/pipec:KafkaTopic');
    expect(topic?.inputs).toMatchObject({ bootstrapServers: 'kafka:9092', name: 'payments.unique', partitions: dedupe.topics[0]?.partitions, configs: { 'cleanup.policy': 'compact' } });
    const subject = created.find((c) => c.name === 'lendwell-subject:payments.unique-value');
    expect(subject?.inputs).toMatchObject({ subject: 'payments.unique-value', schemaType: 'AVRO', registryUrl: 'http://registry:8085/apis/ccompat/v7' });
    const job = created.find((c) => c.name === 'lendwell-job:payments_dedupe');
    expect(job?.type).toBe('pulumi-nodejs:dynamic/pipec:FlinkJob');
    expect(job?.inputs).toMatchObject({ name: 'payments_dedupe', flinkVersion: '1.20', hash: dedupe.job.hash, planDir: 'file:///plans', allowStateReset: false });
    // Values pass through as Pulumi secrets (the mock sees the secret envelope) once any value is a secret.
    const placeholders = job?.inputs['placeholders'] as Record<string, unknown>;
    expect(placeholders[pulumi.runtime.specialSigKey]).toBe(pulumi.runtime.specialSecretSig);
    expect(placeholders['value']).toEqual({ 'kafka.bootstrap_servers': 'kafka:9092', 'registry.url': 'http://registry:8085/apis/ccompat/v7' });
    // compile-plan.json's statements, as the target printed them.
    expect(job?.inputs['jobName']).toBe('lendwell.default.payments_dedupe');
    expect((job?.inputs['statements'] as string[]).at(-1)).toMatch(/^COMPILE PLAN '\$\{pipec:flink\.plan_path\}' FOR STATEMENT SET\nBEGIN\n[\s\S]*\nEND$/);
    expect(JSON.parse(String(job?.inputs['plan'])).name).toBe('payments_dedupe');
    // The provider travels with the resource, serialized.
    expect(typeof job?.inputs['__provider']).toBe('string');
  });

  test('connectors get their config with placeholders filled', () => {
    const connectors = created.filter((c) => c.type === 'pulumi-nodejs:dynamic/pipec:Connector');
    // A CDC connector shared by several pipelines is deployed once.
    expect(connectors.length).toBe(new Set(manifest.pipelines.flatMap((p) => p.connectors.map((c) => c.id))).size);
    for (const c of connectors) {
      expect(c.inputs['connectUrl']).toBe('http://connect:8083');
      const config = c.inputs['config'] as Record<string, unknown>;
      const plain = config[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? config['value'] : config;
      expect(placeholdersIn(JSON.stringify(plain))).toEqual([]);
      expect(Object.keys(plain as object).length).toBeGreaterThan(0);
      expect(c.inputs['state']).toBe('RUNNING');
    }
  });

  test('a build asking for a value nobody gives is refused, naming it', async () => {
    const { PipelineStack } = await import('../../../deploy/index.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'pipec-deploy-unit-missing-'));
    const m = JSON.parse(JSON.stringify(manifest)) as Manifest;
    const first = m.pipelines[0];
    if (!first) throw new Error('no pipeline');
    m.pipelines = [{ ...first, connectors: [], job: { ...first.job, placeholders: [...first.job.placeholders, 'secret.db_password'] } }];
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    mkdirSync(path.join(dir, first.name));
    writeFileSync(path.join(dir, first.name, 'compile-plan.json'), JSON.stringify({ version: 1, jobName: 'x', statements: ['SELECT 1'] }));
    writeFileSync(path.join(dir, first.name, 'plan.json'), '{}');
    expect(() => new PipelineStack('x', { buildDir: dir, kafka: { bootstrapServers: 'k:1' }, registry: { url: 'http://r' }, flink: { sqlGatewayUrl: 'http://g', restUrl: 'http://f', planDir: 'file:///p' } })).toThrow(/needs \$\{pipec:secret\.db_password\}/);
  });

  test('a connector config with a placeholder nobody fills is refused before any resource is registered', async () => {
    const { PipelineStack } = await import('../../../deploy/index.ts');
    // Every value the jobs need, but not the Apicurio root the Avro converters of the connectors use.
    const values = Object.fromEntries([...new Set(manifest.pipelines.flatMap((p) => p.job.placeholders))].map((n) => [n, `value-of-${n}`]));
    expect(connectorPlaceholders()).toContain('registry.apicurio_url');
    const before = created.length;
    expect(() => new PipelineStack('unfilled', { buildDir, kafka: { bootstrapServers: 'k:1' }, registry: { url: 'http://r' }, connect: { url: 'http://c' }, flink: { sqlGatewayUrl: 'http://g', restUrl: 'http://f', planDir: 'file:///p' }, values })).toThrow(
      /nothing was deployed:\n {2}connector \S+ \(pipeline \w+\) needs \$\{pipec:registry\.apicurio_url\}: set PipelineStack's values\['registry\.apicurio_url'\]/,
    );
    // Only the component itself registered; no topic, subject, connector or job.
    expect(created.slice(before).filter((c) => c.type.startsWith('pulumi-nodejs:dynamic/'))).toEqual([]);
  });

  test('adopt and deleteOnDestroy reach the resources they name; names the build lacks are refused', async () => {
    const { PipelineStack } = await import('../../../deploy/index.ts');
    const values = Object.fromEntries([...new Set([...manifest.pipelines.flatMap((p) => p.job.placeholders), ...connectorPlaceholders()])].map((n) => [n, `value-of-${n}`]));
    const base = { buildDir, kafka: { bootstrapServers: 'k:1' }, registry: { url: 'http://r' }, connect: { url: 'http://c' }, flink: { sqlGatewayUrl: 'http://g', restUrl: 'http://f', planDir: 'file:///p' }, values, pipelines: ['payments_dedupe'] };
    const stack = new PipelineStack('owned', { ...base, adopt: { topics: ['payments.unique'] }, deleteOnDestroy: { subjects: ['payments.unique-value'] } });
    await promiseOf(stack.jobIds);
    const topic = created.find((c) => c.name === 'owned-topic:payments.unique');
    expect(topic?.inputs).toMatchObject({ adopt: true, deleteOnDestroy: false });
    const subject = created.find((c) => c.name === 'owned-subject:payments.unique-value');
    expect(subject?.inputs).toMatchObject({ adopt: false, deleteOnDestroy: true });
    expect(stack.keptOnDestroy).toEqual(['topic:payments.unique', 'subject:payments.unique-key']);
    expect(() => new PipelineStack('typo', { ...base, adopt: { topics: ['payments.uniq'] } })).toThrow('pipec deploy: not in the build: adopt.topics: payments.uniq');
  });
});

function connectorPlaceholders(): string[] {
  const out = new Set<string>();
  // Values the connectors use, read from their configs in the build.
  for (const p of manifest.pipelines) for (const c of p.connectors) for (const n of placeholdersIn(readFileSync(path.join(buildDir, c.config), 'utf8'))) out.add(n);
  return [...out];
}
