/**
 * The Confluent Cloud flavour's resource graph under Pulumi mocks (no engine, no CLI; the bridged provider
 * cannot run here, so these tests are what there is): the example project, and small projects before and
 * after a change, compiled to build folders and deployed by ConfluentCloudPipelineStack.
 */
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../../targets/manifest.ts';
import { compileExamples } from '../../helpers/examples.ts';
import { compileProject, writeBuild } from '../../helpers/compile-project.ts';
import type * as StackModule from '../../../deploy/confluent-cloud/stack.ts';

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
      return { id: `${a.name}_id`, state: a.inputs as Record<string, unknown> };
    },
    call: (a) => a.inputs,
  },
  'pipec-test',
  'dev',
  false,
);

const TYPES = {
  topic: 'confluentcloud:index/kafkaTopic:KafkaTopic',
  subject: 'confluentcloud:index/schema:Schema',
  subjectConfig: 'confluentcloud:index/subjectConfig:SubjectConfig',
  connector: 'confluentcloud:index/connector:Connector',
  statement: 'confluentcloud:index/flinkStatement:FlinkStatement',
} as const;

const secretSig = pulumi.runtime.specialSecretSig;
const isSecret = (v: unknown): boolean => typeof v === 'object' && v !== null && (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === secretSig;
const reveal = (v: unknown): unknown => (isSecret(v) ? (v as { value: unknown }).value : v);

let Stack: typeof StackModule.ConfluentCloudPipelineStack;
let examplesDir = '';
let manifest: Manifest;
/** Every example but fraud_login_country, whose JSON source Confluent Cloud cannot read as compiled. */
let deployable: string[] = [];

const key = (name: string) => ({ key: `${name}-key`, secret: pulumi.secret(`${name}-secret`) });

function args(buildDir: string, extra: Partial<StackModule.ConfluentCloudPipelineStackArgs> = {}): StackModule.ConfluentCloudPipelineStackArgs {
  return {
    buildDir,
    organizationId: 'org-1',
    environmentId: 'env-abc123',
    kafka: { clusterId: 'lkc-abc123', restEndpoint: 'https://pkc-1.confluent.cloud:443', credentials: key('kafka') },
    schemaRegistry: { clusterId: 'lsrc-abc123', restEndpoint: 'https://psrc-1.confluent.cloud', credentials: key('registry') },
    flink: { computePoolId: 'lfcp-abc123', principalId: 'sa-abc123', restEndpoint: 'https://flink.us-east-1.aws.confluent.cloud', credentials: key('flink'), catalog: 'lendwell-prod', database: 'cluster-0' },
    connectors: { kafkaAuth: { serviceAccountId: 'sa-connect' } },
    values: {
      'env:LOANS_DB_USER': 'loans',
      'env:LOANS_DB_PASSWORD': pulumi.secret('loans-password'),
      'env:WAREHOUSE_USER': 'warehouse',
      'env:WAREHOUSE_PASSWORD': pulumi.secret('warehouse-password'),
    },
    ...extra,
  };
}

/** Resources the mock saw for one stack (its children are named `<stack name>-…`). */
function of(stack: string, type?: string): Created[] {
  return created.filter((c) => c.name.startsWith(`${stack}-`) && (type === undefined || c.type === type));
}

/** Waits until the mock has seen every resource the stack registered (registration is asynchronous). */
async function settled(stack: StackModule.ConfluentCloudPipelineStack): Promise<void> {
  await new Promise<void>((resolve) => pulumi.all([...stack.resources.values()].map((r) => r.urn)).apply(() => resolve()));
  await new Promise<void>((resolve) => pulumi.all([...stack.tableStatements.values()].map((r) => r.urn)).apply(() => resolve()));
}

const BIG = (threshold: number): string => `pipeline payments_big
  owner 'payments-data'
  with (parallelism = 1, checkpoint = 30 s);

import payments from 'shared/sources.pipe';

stream big as
  select payment_id, loan_id, amount, event_time
  from payments
  where amount > ${threshold};

sink big into kafka topic 'payments.big'
  format avro;
`;

const PER_MINUTE = (minutes: number): string => `pipeline payments_per_minute
  owner 'payments-data'
  with (parallelism = 2, checkpoint = 1 min, state_ttl = 1 h);

import payments from 'shared/sources.pipe';

stream volume as
  select window_start, window_end, currency, count(*) as payments, sum(amount) as total_amount
  from payments window tumbling(event_time, ${minutes} min)
  group by window_start, window_end, currency;

sink volume into kafka topic 'payments.volume-per-minute'
  format avro
  partitions 3;
`;

/** v1; v2 changes the stateless pipeline only; v3 changes the stateful one only. */
const builds = { v1: '', v2: '', v3: '' };

beforeAll(async () => {
  const compiled = await compileExamples('1.20');
  if (!compiled.output) throw new Error(`examples do not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  manifest = compiled.output.manifest;
  examplesDir = await writeBuild(compiled.output.artifacts, 'pipec-cc-examples-');
  deployable = manifest.pipelines.map((p) => p.name).filter((n) => n !== 'fraud_login_country');
  builds.v1 = (await compileProject({ 'payments_big.pipe': BIG(100), 'payments_per_minute.pipe': PER_MINUTE(1) })).buildDir;
  builds.v2 = (await compileProject({ 'payments_big.pipe': BIG(500), 'payments_per_minute.pipe': PER_MINUTE(1) })).buildDir;
  builds.v3 = (await compileProject({ 'payments_big.pipe': BIG(100), 'payments_per_minute.pipe': PER_MINUTE(2) })).buildDir;
  // Imported after setMocks, as Pulumi requires.
  Stack = (await import('../../../deploy/confluent-cloud/stack.ts')).ConfluentCloudPipelineStack;
}, 120_000);

describe('the examples build on Confluent Cloud', () => {
  test('one resource per manifest item, of the right type, in dependency order, with the manifest\'s dependsOn', { timeout: 60_000 }, async () => {
    const stack = new Stack('ex', args(examplesDir, { pipelines: deployable }));
    await settled(stack);
    const pipelines = manifest.pipelines.filter((p) => deployable.includes(p.name));
    const items = new Map(pipelines.flatMap((p) => [...p.topics, ...p.subjects, ...p.connectors, p.job]).map((i) => [i.id, i]));
    expect([...stack.resources.keys()].sort()).toEqual([...items.keys()].sort());

    const kinds = { topic: TYPES.topic, subject: TYPES.subject, connector: TYPES.connector, job: TYPES.statement } as const;
    for (const [id] of items) {
      const kind = id.slice(0, id.indexOf(':')) as keyof typeof kinds;
      const seen = of('ex').filter((c) => c.name === `ex-${id}` || (kind === 'job' && c.type === TYPES.statement && c.name === `ex-statement:${stack.statementNames[id.slice(4)] ?? ''}`));
      expect(seen.map((c) => c.type), id).toEqual([kinds[kind]]);
    }
    // Every item once: a CDC connector read by three pipelines, the payments watermark read by four.
    expect(of('ex', TYPES.topic).length).toBe([...items.keys()].filter((i) => i.startsWith('topic:')).length);
    expect(of('ex', TYPES.subject).length).toBe([...items.keys()].filter((i) => i.startsWith('subject:')).length);
    expect(of('ex', TYPES.connector).map((c) => c.name).sort()).toEqual(['ex-connector:lendwell-default-loans_db', 'ex-connector:lendwell-default-merchant_leaders-category_volume_elasticsearch', 'ex-connector:lendwell-default-missed_payments-missed_per_hour_postgres']);
    const tableStatements = of('ex', TYPES.statement).filter((c) => c.name.startsWith('ex-table:'));
    expect(tableStatements.length).toBe(stack.tableStatements.size);
    const alters = tableStatements.map((c) => String(c.inputs['statement']));
    expect(alters.filter((s) => s.startsWith('ALTER TABLE `payments` MODIFY WATERMARK'))).toHaveLength(1);
    expect(new Set(alters).size).toBe(alters.length);
    expect(of('ex', TYPES.statement).length).toBe(deployable.length + stack.tableStatements.size);

    // A job's statement is registered after the ALTER TABLE statements it needs (it depends on them).
    const { readConfluentCloudBuild } = await import('../../../deploy/confluent-cloud/build.ts');
    const index = (n: string): number => created.findIndex((c) => c.type === TYPES.statement && c.inputs['statementName'] === n && c.name.startsWith('ex-'));
    for (const job of readConfluentCloudBuild(examplesDir, deployable).jobs.values()) {
      expect(job.tableChanges.length).toBeGreaterThan(0);
      for (const c of job.tableChanges) {
        expect(index(c.name), `${job.pipeline}: ${c.statement}`).toBeGreaterThanOrEqual(0);
        expect(index(c.name), `${job.pipeline}: ${c.statement}`).toBeLessThan(index(job.name));
      }
    }

    // Dependencies come first (construction order) and are what the manifest says.
    const order = [...stack.resources.keys()];
    for (const [id, item] of items) {
      const deps = stack.dependencies.get(id) ?? [];
      expect(deps).toEqual(('dependsOn' in item ? item.dependsOn : []).filter((d) => items.has(d)));
      for (const d of deps) expect(order.indexOf(d)).toBeLessThan(order.indexOf(id));
    }
  });

  test('inputs: topics, schemas, connectors and statements carry the build, with secrets kept secret', async () => {
    const dedupe = manifest.pipelines.find((p) => p.name === 'payments_dedupe');
    if (!dedupe) throw new Error('no payments_dedupe');
    const topic = of('ex').find((c) => c.name === 'ex-topic:payments.unique');
    expect(topic?.inputs).toMatchObject({ topicName: 'payments.unique', partitionsCount: dedupe.topics[0]?.partitions, config: { 'cleanup.policy': 'compact' }, kafkaCluster: { id: 'lkc-abc123' }, restEndpoint: 'https://pkc-1.confluent.cloud:443' });
    expect(isSecret(topic?.inputs['credentials'])).toBe(true);
    const schema = of('ex').find((c) => c.name === 'ex-subject:payments.unique-value');
    expect(schema?.inputs).toMatchObject({ subjectName: 'payments.unique-value', format: 'AVRO', schemaRegistryCluster: { id: 'lsrc-abc123' } });
    expect(JSON.parse(String(schema?.inputs['schema']))).toEqual(JSON.parse(dedupe.subjects.find((s) => s.subject === 'payments.unique-value')?.schema ?? 'null'));
    expect(isSecret(schema?.inputs['credentials'])).toBe(true);

    const statement = of('ex', TYPES.statement).find((c) => String(c.inputs['statement']).includes('INSERT INTO `payments.unique`'));
    expect(statement?.inputs).toMatchObject({
      organization: { id: 'org-1' },
      environment: { id: 'env-abc123' },
      computePool: { id: 'lfcp-abc123' },
      principal: { id: 'sa-abc123' },
      restEndpoint: 'https://flink.us-east-1.aws.confluent.cloud',
      properties: { 'sql.current-catalog': 'lendwell-prod', 'sql.current-database': 'cluster-0', 'sql.state-ttl': '172800000 ms' },
      stopped: false,
    });
    expect(String(statement?.inputs['statement'])).toMatch(/^EXECUTE STATEMENT SET\nBEGIN\n/);
    expect(isSecret(statement?.inputs['credentials'])).toBe(true);
    expect((statement?.inputs['properties'] as Record<string, string>)['sql.tables.initial-offset-from']).toBeUndefined();

    const cdc = of('ex').find((c) => c.name === 'ex-connector:lendwell-default-loans_db');
    expect(cdc?.inputs).toMatchObject({ environment: { id: 'env-abc123' }, kafkaCluster: { id: 'lkc-abc123' }, status: 'RUNNING' });
    expect(reveal(cdc?.inputs['configNonsensitive'])).toMatchObject({ 'connector.class': 'PostgresCdcSourceV2', 'database.user': 'loans', 'output.data.format': 'AVRO', 'after.state.only': 'false', 'kafka.auth.mode': 'SERVICE_ACCOUNT', 'kafka.service.account.id': 'sa-connect' });
    // The password is filled in, and only in the sensitive part, which is secret.
    expect(isSecret(cdc?.inputs['configSensitive'])).toBe(true);
    expect(reveal(cdc?.inputs['configSensitive'])).toEqual({ 'database.password': 'loans-password' });
    expect(JSON.stringify(reveal(cdc?.inputs['configNonsensitive']))).not.toContain('password');
    const jdbc = of('ex').find((c) => c.name === 'ex-connector:lendwell-default-missed_payments-missed_per_hour_postgres');
    expect(reveal(jdbc?.inputs['configNonsensitive'])).toMatchObject({ 'connector.class': 'PostgresSink', 'connection.host': 'localhost', 'db.name': 'warehouse', 'connection.user': 'warehouse', 'pk.mode': 'record_key', 'insert.mode': 'UPSERT', 'input.data.format': 'AVRO' });
  });

  test('statement names are valid, deterministic, and differ per pipeline', async () => {
    const { STATEMENT_NAME, MAX_STATEMENT_NAME } = await import('../../../deploy/confluent-cloud/statement-name.ts');
    const a = new Stack('names-a', args(examplesDir, { pipelines: deployable }));
    const b = new Stack('names-b', args(examplesDir, { pipelines: deployable }));
    const names = Object.values(a.statementNames);
    expect(Object.keys(a.statementNames).sort()).toEqual([...deployable].sort());
    expect(new Set(names).size).toBe(names.length);
    for (const n of [...names, ...a.tableStatements.keys()]) {
      expect(n).toMatch(STATEMENT_NAME);
      expect(n.length).toBeLessThanOrEqual(MAX_STATEMENT_NAME);
    }
    expect(b.statementNames).toEqual(a.statementNames);
    expect([...b.tableStatements.keys()]).toEqual([...a.tableStatements.keys()]);
    expect(a.statementNames['payments_enriched']).toMatch(/^lendwell-default-payments-enriched-[0-9a-f]{12}$/);
    await settled(a);
    await settled(b);
  });

  test('a pipeline Confluent Cloud cannot run is refused, naming it and why', () => {
    expect(() => new Stack('refused-unsupported', args(examplesDir))).toThrow(/fraud_login_country:\n\s+- source customer_logins: the json format/);
  });

  test('a build compiled without flink.confluent_cloud has no Confluent Cloud jobs, and says how to get them', async () => {
    const { buildDir } = await compileProject({ 'payments_big.pipe': BIG(100) }, (yaml) => yaml.replace(/^\s*confluent_cloud: true\n/m, ''));
    expect(() => new Stack('refused-no-cc', args(buildDir))).toThrow(/payments_big\/confluent-cloud\.json .*set `confluent_cloud: true` in the flink section of pipec\.yaml/);
  });

  test('a connector needs the values of its references', () => {
    const { values: _values, ...rest } = args(examplesDir, { pipelines: ['loans_changelog'] });
    expect(() => new Stack('refused-values', rest)).toThrow(/connector lendwell-default-loans_db needs env:LOANS_DB_PASSWORD, env:LOANS_DB_USER/);
  });
});

describe('changes between builds', () => {
  test('an unchanged job keeps its statement: same name, nothing stopped, no carry-over', async () => {
    const fresh = new Stack('fresh', args(builds.v1));
    const again = new Stack('again', args(builds.v1, { previousBuildDir: builds.v1 }));
    await settled(again);
    expect(again.statementNames).toEqual(fresh.statementNames);
    expect(again.upgrades).toEqual({ payments_big: 'unchanged', payments_per_minute: 'unchanged' });
    const statements = of('again', TYPES.statement).filter((c) => c.name.startsWith('again-statement:'));
    expect(statements.map((c) => c.inputs['statementName']).sort()).toEqual(Object.values(fresh.statementNames).sort());
    for (const s of statements) expect(s.inputs['stopped']).toBe(false);
    await settled(fresh);
  });

  test('a stateless change: the new statement takes over the old one\'s offsets, and the old one is stopped', async () => {
    const before = new Stack('v1', args(builds.v1));
    const stack = new Stack('v2', args(builds.v2, { previousBuildDir: builds.v1 }));
    await settled(stack);
    const oldName = before.statementNames['payments_big'];
    const newName = stack.statementNames['payments_big'];
    expect(newName).not.toBe(oldName);
    expect(stack.upgrades).toEqual({ payments_big: 'carry-over', payments_per_minute: 'unchanged' });
    expect(stack.carriedOverFrom).toEqual({ payments_big: oldName });

    const statements = of('v2', TYPES.statement).filter((c) => c.name.startsWith('v2-statement:'));
    const next = statements.find((c) => c.inputs['statementName'] === newName);
    const old = statements.find((c) => c.inputs['statementName'] === oldName);
    expect((next?.inputs['properties'] as Record<string, string>)['sql.tables.initial-offset-from']).toBe(oldName);
    expect(next?.inputs['stopped']).toBe(false);
    expect(String(next?.inputs['statement'])).toContain('> 500');
    // The old statement is declared exactly as it was created, now stopped.
    expect(old?.inputs['stopped']).toBe(true);
    expect(String(old?.inputs['statement'])).toContain('> 100');
    const created1 = of('v1', TYPES.statement).find((c) => c.inputs['statementName'] === oldName);
    expect(old?.inputs['statement']).toBe(created1?.inputs['statement']);
    expect(old?.inputs['properties']).toEqual(created1?.inputs['properties']);
    // The old statement is registered before the new one, which depends on it.
    expect(created.indexOf(old as Created)).toBeLessThan(created.indexOf(next as Created));
    expect(statements.filter((c) => c.inputs['statementName'] === stack.statementNames['payments_per_minute'])).toHaveLength(1);
  });

  test('a stateful change is refused, naming the pipeline and its state', () => {
    let error: unknown;
    try {
      new Stack('refused-stateful', args(builds.v3, { previousBuildDir: builds.v1 }));
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).toBe('StatefulChangeRefused');
    expect((error as Error).message).toMatch(/pipeline payments_per_minute changed, and its job keeps state/);
    expect((error as Error).message).toMatch(/view volume has a tumbling window/);
  });

  test('a stateful change with allowStateReset: a new statement from scratch, the old one stopped', async () => {
    const stack = new Stack('v3-reset', args(builds.v3, { previousBuildDir: builds.v1, allowStateReset: true }));
    await settled(stack);
    expect(stack.upgrades).toEqual({ payments_big: 'unchanged', payments_per_minute: 'reset' });
    expect(stack.carriedOverFrom).toEqual({});
    const statements = of('v3-reset', TYPES.statement).filter((c) => c.name.startsWith('v3-reset-statement:'));
    const next = statements.find((c) => c.inputs['statementName'] === stack.statementNames['payments_per_minute']);
    expect(next?.inputs['stopped']).toBe(false);
    expect((next?.inputs['properties'] as Record<string, string>)['sql.tables.initial-offset-from']).toBeUndefined();
    const stopped = statements.filter((c) => c.inputs['stopped'] === true);
    expect(stopped).toHaveLength(1);
    expect(String(stopped[0]?.inputs['statement'])).toContain("INTERVAL '1' MINUTE");
  });

  test('two pipelines declaring one topic\'s watermark differently are refused', async () => {
    const source = (delay: number): string => `source payments from kafka topic 'payments'\n  format avro\n  event time event_time watermark ${delay} s;\n`;
    const pipe = (name: string, delay: number): string => `pipeline ${name}\n  owner 'x';\n\n${source(delay)}\nstream out as select payment_id, amount from payments;\n\nsink out into kafka topic '${name}.out'\n  format avro;\n`;
    const { buildDir } = await compileProject({ 'a.pipe': pipe('a', 5), 'b.pipe': pipe('b', 10) });
    expect(() => new Stack('refused-conflict', args(buildDir))).toThrow(/pipelines a and b change the watermark of topic payments's table differently/);
  });
});

describe('refusals', () => {
  test('a refused stack registered none of its resources (checked once later registrations have arrived)', async () => {
    const stack = new Stack('last', args(builds.v1));
    await settled(stack);
    expect(of('last', TYPES.statement).length).toBeGreaterThan(0);
    // Each refused stack registered at most itself (the component), nothing under it.
    const refused = ['refused-unsupported', 'refused-no-cc', 'refused-values', 'refused-stateful', 'refused-conflict'];
    expect(refused.flatMap((n) => of(n)).map((c) => c.name)).toEqual([]);
  });
});
