/**
 * Faults in the middle of `pulumi up`, on the real local stack: a small proxy in front of the real Connect, SQL
 * Gateway, Flink REST and registry answers with 5xx, stops answering (the client times out), or lets the first
 * calls through and then fails. Each deploy must fail naming the endpoint and the server's answer; each re-run
 * must converge to the declared state — checked in Kafka, Connect and Flink, not only in the error: the topic
 * exists, the connector runs once, exactly one job of the pipeline runs.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { PipelineStack } from '../../../deploy/stack.ts';
import { jobProvider } from '../../../deploy/providers.ts';
import type { JobOutputs } from '../../../deploy/impl/job.ts';
import { t } from '../../../compiler/types/types.ts';
import { ConnectClient } from '../../../clients/connect.ts';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import { staticSchemas } from '../../helpers/check.ts';
import { countingProxy, failAfter, type CountingProxy } from '../../helpers/counting-proxy.ts';
import { writeBuild } from '../../helpers/compile-project.ts';
import { InProcessEngine } from '../../helpers/in-process-engine.ts';
import { compileSnippet, connectSecretsFile, localProjectConfig } from '../kafka-connect/helpers.ts';
import { createTopics, psql, unique, withAdmin } from '../local-stack/helpers.ts';
import { localStackArgs } from './helpers.ts';

const endpoints = inject('pipecLocal');
const connect = new ConnectClient(endpoints.connectUrl);
const flink = new FlinkRestClient(endpoints.flinkRestUrl);
const registry = new SchemaRegistryClient(endpoints.schemaRegistryUrl);
const proxies: Record<'connect' | 'registry' | 'sqlGateway' | 'flinkRest', CountingProxy> = {} as never;
const stacks: InProcessEngine[] = [];

interface Scenario {
  readonly project: string;
  readonly pipeline: string;
  readonly input: string;
  readonly target: string;
  readonly buildDir: string;
  readonly engine: InProcessEngine;
  readonly deploy: () => ReturnType<InProcessEngine['up']>;
  /** What was declared: the sink topic, its subjects, the connector and the Flink job name. */
  readonly topic: string;
  readonly subjects: readonly string[];
  readonly connector: string;
  readonly jobName: string;
}

async function scenario(label: string): Promise<Scenario> {
  const project = unique(label);
  const pipeline = 'feed';
  const input = `${project}.in`;
  const target = unique('faults');
  const config = { ...localProjectConfig(endpoints, connectSecretsFile(endpoints), project), project };
  const schemas = staticSchemas({ [`${input}-value`]: [{ name: 'id', type: t.string(false) }, { name: 'amount', type: t.bigint(false) }] });
  const output = compileSnippet(
    {
      'feed.pipe': `pipeline ${pipeline} with (parallelism = 1);
source events from kafka topic '${input}' format json;
stream totals as select id, sum(amount) as total from events group by id;
sink totals into postgres table 'public.${target}' via connection dw upsert key (id);`,
    },
    config,
    schemas,
  );
  await createTopics(endpoints, [input]);
  const buildDir = await writeBuild(output.artifacts, `pipec-${project}-`);
  const engine = new InProcessEngine();
  stacks.push(engine);
  const p = output.manifest.pipelines[0];
  if (!p) throw new Error('no pipeline');
  const args = localStackArgs(endpoints, buildDir, {
    registry: { url: proxies.registry.url },
    connect: { url: proxies.connect.url },
    deleteOnDestroy: true,
  });
  const deploy = (): ReturnType<InProcessEngine['up']> => engine.up(() => new PipelineStack(project, { ...args, flink: { ...args.flink, sqlGatewayUrl: proxies.sqlGateway.url, restUrl: proxies.flinkRest.url } }));
  return {
    project,
    pipeline,
    input,
    target,
    buildDir,
    engine,
    deploy,
    topic: p.topics[0]?.name ?? '',
    subjects: p.subjects.map((s) => s.subject),
    connector: p.connectors[0]?.name ?? '',
    jobName: `${project}.it.${pipeline}`,
  };
}

/** The declared state, as Kafka, the registry, Connect and Flink report it. */
async function converged(s: Scenario): Promise<void> {
  expect(await withAdmin(endpoints, (admin) => admin.listTopics())).toContain(s.topic);
  const subjects = await registry.subjects();
  for (const subject of s.subjects) {
    expect(subjects).toContain(subject);
    expect((await registry.versions(subject)).length).toBe(1);
  }
  expect((await connect.connectors()).filter((c) => c === s.connector)).toEqual([s.connector]);
  const status = await connect.status(s.connector);
  expect([status.connector.state, ...status.tasks.map((t) => t.state)]).toEqual(['RUNNING', 'RUNNING']);
  const live = (await flink.jobs()).filter((j) => j.name === s.jobName && !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state));
  expect(live.map((j) => j.state)).toEqual(['RUNNING']);
}

const clear = (): void => {
  for (const p of Object.values(proxies)) p.setFault(undefined);
};

beforeAll(async () => {
  proxies.connect = await countingProxy(endpoints.connectUrl);
  proxies.registry = await countingProxy(endpoints.schemaRegistryUrl);
  proxies.sqlGateway = await countingProxy(endpoints.sqlGatewayUrl);
  proxies.flinkRest = await countingProxy(endpoints.flinkRestUrl);
});

afterAll(async () => {
  clear();
  for (const engine of stacks) await engine.destroy().catch(() => undefined);
  for (const p of Object.values(proxies)) await p.close();
});

describe('a deploy interrupted by a failing service, then run again', () => {
  test('Connect answers 500 on status after creating the connector: the error names the call and the answer; the re-run takes the connector as it is', { timeout: 300_000 }, async () => {
    const s = await scenario('fconnect');
    proxies.connect.setFault(({ method, path }) => (method === 'GET' && path.endsWith('/status') ? { status: 500, body: '{"error_code":500,"message":"Request timed out (injected)"}' } : undefined));
    await expect(s.deploy()).rejects.toThrow(new RegExp(`GET ${proxies.connect.url}/connectors/${s.connector}/status failed: HTTP 500: \\{"error_code":500,"message":"Request timed out \\(injected\\)"\\}`));
    // The PUT went through before the fault: the connector exists, not in the stack's state.
    expect(await connect.connectors()).toContain(s.connector);
    clear();
    proxies.connect.mutations.length = 0;
    await s.deploy();
    // Taken as it is: no second PUT of its config.
    expect(proxies.connect.mutations.filter((m) => m.startsWith(`PUT /connectors/${s.connector}/config`))).toEqual([]);
    await converged(s);
  });

  test('the registry fails after its first call: the error names the call and the answer; the re-run registers each subject once', { timeout: 300_000 }, async () => {
    const s = await scenario('fregistry');
    proxies.registry.setFault(failAfter(1));
    await expect(s.deploy()).rejects.toThrow(new RegExp(`${proxies.registry.url}/subjects/[^ ]+ failed: HTTP 503: \\{"error_code":503,"message":"service unavailable \\(injected\\)"\\}`));
    // Nothing after the subjects ran: no connector, no job.
    expect(await connect.connectors()).not.toContain(s.connector);
    expect((await flink.jobs()).filter((j) => j.name === s.jobName)).toEqual([]);
    clear();
    await s.deploy();
    await converged(s);
  });

  test('the registry stops answering: the deploy fails when the client times out, naming the call', { timeout: 300_000 }, async () => {
    const s = await scenario('fhang');
    proxies.registry.setFault(({ method }) => (method === 'POST' ? 'hang' : undefined));
    await expect(s.deploy()).rejects.toThrow(new RegExp(`POST ${proxies.registry.url}/subjects/[^ ]+/versions failed: ECONNABORTED`));
    clear();
    await s.deploy();
    await converged(s);
  });

  test('the SQL Gateway answers 500 while the job is compiled: the error names the call and the answer; the re-run starts exactly one job', { timeout: 300_000 }, async () => {
    const s = await scenario('fgateway');
    let statements = 0;
    proxies.sqlGateway.setFault(({ method, path }) => (method === 'POST' && path.endsWith('/statements') && ++statements === 3 ? { status: 500, body: '{"errors":["Internal server error (injected)"]}' } : undefined));
    await expect(s.deploy()).rejects.toThrow(new RegExp(`Flink SQL Gateway rejected the statement \\(POST ${proxies.sqlGateway.url}/v\\d/sessions/[^ ]+/statements, HTTP 500\\): Internal server error \\(injected\\)`));
    expect((await flink.jobs()).filter((j) => j.name === s.jobName && j.state === 'RUNNING')).toEqual([]);
    clear();
    await s.deploy();
    await converged(s);
  });

  test('Flink REST fails after the job was submitted (and the cancel too): the re-run takes the running job instead of starting a second', { timeout: 300_000 }, async () => {
    const s = await scenario('fflink');
    // The create submits the job through the gateway, then asks Flink REST whether it runs: that fails, and so
    // does cancelling the job it cannot confirm. The job runs on, outside the stack's state.
    proxies.flinkRest.setFault(({ path }) => (/^\/jobs\/[0-9a-f]{32}(\?|$)/.test(path) ? { status: 503, body: '{"errors":["Service temporarily unavailable (injected)"]}' } : undefined));
    await expect(s.deploy()).rejects.toThrow(new RegExp(`job ${s.pipeline}: Flink job [0-9a-f]{32} at ${proxies.flinkRest.url} did not say whether the job runs \\(.*\\), and cancelling it failed too \\(PATCH ${proxies.flinkRest.url}/jobs/[0-9a-f]{32} failed: HTTP 503: .*injected`));
    const left = (await flink.jobs()).filter((j) => j.name === s.jobName && j.state === 'RUNNING');
    expect(left.length).toBe(1);
    clear();
    await s.deploy();
    await converged(s);
    expect((s.engine.outputs(`${s.project}-job:${s.pipeline}`) as unknown as JobOutputs).jobId).toBe(left[0]?.jid);
  });

  test('a job of the pipeline\'s name that runs from another plan is refused, not run twice', { timeout: 300_000 }, async () => {
    const s = await scenario('ftwice');
    await s.deploy();
    const outs = s.engine.outputs(`${s.project}-job:${s.pipeline}`) as unknown as JobOutputs;
    // The stack's state is lost and the build changed (another plan hash): create is asked for a job that runs.
    const other = { ...outs, hash: `sha256:${'0'.repeat(64)}` };
    await expect(jobProvider.create(other)).rejects.toThrow(new RegExp(`job ${s.pipeline}: Flink job ${outs.jobId} \\(RUNNING\\) named '${s.jobName.replaceAll('.', '\\.')}' already runs at .* and is not in this stack's state; pipec does not start a second one`));
    // The same plan: taken as it is.
    expect((await jobProvider.create(outs)).outs).toMatchObject({ jobId: outs.jobId });
    await converged(s);
  });
});

afterAll(async () => {
  // The JDBC sinks' tables in the shared database.
  const tables = (await psql(endpoints, "SELECT string_agg(tablename, ',') FROM pg_tables WHERE tablename LIKE 'faults\\_%'").catch(() => '')).trim();
  for (const table of tables.split(',').filter((x) => x !== '')) await psql(endpoints, `DROP TABLE IF EXISTS public.${table}`).catch(() => undefined);
});
