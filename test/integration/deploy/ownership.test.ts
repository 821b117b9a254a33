/**
 * Ownership of what exists before pipec, on the real local stack: a topic, subject or connector that exists and
 * is not in the stack's state is refused unless adopted; adopting applies only what the build declares; destroy
 * keeps topics (with their records) and subjects unless the user opted in to deleting them.
 */
import { afterAll, describe, expect, inject, test, vi } from 'vitest';
import type { Admin } from 'kafkajs';
import { PipelineStack, type PipelineStackArgs } from '../../../deploy/stack.ts';
import { connectorProvider, subjectProvider, topicProvider } from '../../../deploy/providers.ts';
import type { SubjectInputs, SubjectOutputs } from '../../../deploy/impl/subject.ts';
import type { ConnectorInputs, ConnectorOutputs } from '../../../deploy/impl/connector.ts';
import type { TopicInputs, TopicOutputs } from '../../../deploy/impl/topic.ts';
import { t } from '../../../compiler/types/types.ts';
import { ConnectClient } from '../../../clients/connect.ts';
import { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import { staticSchemas, testConfig } from '../../helpers/check.ts';
import { countingProxy } from '../../helpers/counting-proxy.ts';
import { writeBuild } from '../../helpers/compile-project.ts';
import { InProcessEngine } from '../../helpers/in-process-engine.ts';
import { compileSnippet } from '../kafka-connect/helpers.ts';
import { createTopics, produce, unique, withAdmin } from '../local-stack/helpers.ts';
import { localStackArgs } from './helpers.ts';

const endpoints = inject('pipecLocal');
const name = unique('owned');
const topics = { input: `${name}.in`, output: `${name}.out` };
const engine = new InProcessEngine();
/** What the team set on its topic before pipec: none of it is declared by the pipeline. */
const theirs = { 'retention.ms': '123456789', 'cleanup.policy': 'compact,delete', 'max.message.bytes': '2097152' };

async function buildDir(): Promise<string> {
  const schemas = staticSchemas({ [`${topics.input}-value`]: [{ name: 'id', type: t.string(false) }, { name: 'amount', type: t.bigint(false) }] });
  const output = compileSnippet(
    {
      'owned.pipe': `pipeline ${name} with (parallelism = 1);
source events from kafka topic '${topics.input}' format json;
stream big as select id, amount from events where amount > 10;
sink big into kafka topic '${topics.output}' format json;`,
    },
    testConfig,
    schemas,
  );
  return writeBuild(output.artifacts, `pipec-${name}-`);
}

const deploy = (dir: string, over: Partial<PipelineStackArgs> = {}): ReturnType<InProcessEngine['up']> => engine.up(() => new PipelineStack(name, localStackArgs(endpoints, dir, over)));

async function topicConfigs(admin: Admin, topic: string): Promise<Record<string, string>> {
  const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: Object.keys(theirs) }] });
  return Object.fromEntries((res.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
}

async function recordCount(topic: string): Promise<number> {
  return withAdmin(endpoints, async (admin) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0));
}

const topicExists = async (topic: string): Promise<boolean> => (await withAdmin(endpoints, (admin) => admin.listTopics())).includes(topic);

afterAll(async () => {
  await engine.destroy().catch(() => undefined);
  await withAdmin(endpoints, (admin) => admin.deleteTopics({ topics: Object.values(topics) })).catch(() => undefined);
});

describe('a topic that existed before pipec', () => {
  let dir = '';

  test('deploy refuses it, naming it, and leaves it and its records alone', { timeout: 300_000 }, async () => {
    dir = await buildDir();
    await createTopics(endpoints, [topics.input]);
    await withAdmin(endpoints, (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.output, numPartitions: 1, replicationFactor: 1, configEntries: Object.entries(theirs).map(([n, value]) => ({ name: n, value })) }] }));
    await produce(endpoints, topics.output, [{ key: 'a', value: 'a' }, { key: 'b', value: 'b' }, { key: 'c', value: 'c' }]);

    await expect(deploy(dir)).rejects.toThrow(new RegExp(`topic ${topics.output.replace('.', '\\.')} already exists and is not in this stack's state.*adopt: \\{ topics: \\['${topics.output.replace('.', '\\.')}'\\] \\}`));
    expect(await recordCount(topics.output)).toBe(3);
    expect(await withAdmin(endpoints, (admin) => topicConfigs(admin, topics.output))).toEqual(theirs);
    // The job depends on its topic: it never started.
    expect(engine.outputs(`${name}-job:${name}`)).toBeUndefined();
  });

  test('adopted: the deploy succeeds and the settings the pipeline does not declare stay as they were', { timeout: 300_000 }, async () => {
    const steps = await deploy(dir, { adopt: { topics: [topics.output] } });
    expect(steps.find((s) => s.name === `${name}-topic:${topics.output}`)?.op).toBe('create');
    expect(engine.outputs(`${name}-job:${name}`)?.['jobId']).toEqual(expect.any(String));
    expect(await withAdmin(endpoints, (admin) => topicConfigs(admin, topics.output))).toEqual(theirs);
    expect(await recordCount(topics.output)).toBe(3);
  });

  test('destroy keeps the topic and its records, and says so', { timeout: 300_000 }, async () => {
    const log = vi.spyOn(console, 'log');
    try {
      const steps = await engine.destroy();
      expect(steps.find((s) => s.name === `${name}-topic:${topics.output}`)?.op).toBe('delete');
      expect(log.mock.calls.map((c) => String(c[0]))).toContain(`pipec: topic ${topics.output} kept with its records (topics are deleted only with PipelineStack's \`deleteOnDestroy\`); it is no longer in this stack's state, so a later deploy must adopt it`);
    } finally {
      log.mockRestore();
    }
    expect(await topicExists(topics.output)).toBe(true);
    expect(await recordCount(topics.output)).toBeGreaterThanOrEqual(3);
    expect(await withAdmin(endpoints, (admin) => topicConfigs(admin, topics.output))).toEqual(theirs);
  });

  test('with the opt-in, destroy deletes it', { timeout: 300_000 }, async () => {
    // The subject pipec registered for the topic was kept by the destroy too: it is adopted back as well.
    await deploy(dir, { adopt: { topics: [topics.output], subjects: [`${topics.output}-value`] }, deleteOnDestroy: true });
    await engine.destroy();
    expect(await topicExists(topics.output)).toBe(false);
    expect(await new SchemaRegistryClient(endpoints.schemaRegistryUrl).subjects()).not.toContain(`${topics.output}-value`);
  });
});

describe('the topic provider', () => {
  test('a topic Kafka refuses to create is named with Kafka\'s reason', async () => {
    const inputs: TopicInputs = { bootstrapServers: endpoints.kafkaBootstrap, name: `${name}.three`, partitions: 1, replication: 3, configs: {} };
    // The local stack has one broker.
    await expect(topicProvider.create(inputs)).rejects.toThrow(`Kafka refused to create topic ${name}.three (INVALID_REPLICATION_FACTOR: `);
  });

  test('an adopted topic gets the configs it declares; a config it no longer declares returns to the default, the others stay', async () => {
    const topic = `${name}.cfg`;
    await withAdmin(endpoints, (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '123456789' }, { name: 'cleanup.policy', value: 'compact,delete' }] }] }));
    const inputs: TopicInputs = { bootstrapServers: endpoints.kafkaBootstrap, name: topic, partitions: 2, replication: 1, configs: { 'max.message.bytes': '2097152' }, adopt: true, deleteOnDestroy: true };
    const created = await topicProvider.create(inputs);
    const outs = created.outs as TopicOutputs;
    expect(await withAdmin(endpoints, (admin) => topicConfigs(admin, topic))).toEqual(theirs);
    const updated = (await topicProvider.update?.(created.id, outs, { ...inputs, configs: { 'retention.ms': '1000000' } }))?.outs as TopicOutputs;
    expect(await withAdmin(endpoints, (admin) => topicConfigs(admin, topic))).toEqual({ 'retention.ms': '1000000', 'cleanup.policy': 'compact,delete', 'max.message.bytes': '1048588' });
    await topicProvider.delete?.(created.id, updated);
    expect(await topicExists(topic)).toBe(false);
  });
});

describe('a subject that existed before pipec', () => {
  const schema = (fields: string): string => `{"type":"record","name":"Owned","namespace":"pipec.test","fields":[${fields}]}`;

  test('refused unless adopted; destroy keeps it unless opted in', async () => {
    const registry = new SchemaRegistryClient(endpoints.schemaRegistryUrl);
    const subject = `${name}.sub-value`;
    await registry.register(subject, { schema: schema('{"name":"id","type":"string"}'), schemaType: 'AVRO' });
    const inputs: SubjectInputs = { registryUrl: endpoints.schemaRegistryUrl, subject, schemaType: 'AVRO', schema: schema('{"name":"id","type":"string"},{"name":"note","type":["null","string"],"default":null}'), permanentDelete: true };
    await expect(subjectProvider.create(inputs)).rejects.toThrow(`subject ${subject} already exists (version 1) and is not in this stack's state`);
    expect((await registry.version(subject, 'latest')).version).toBe(1);

    const adopted = await subjectProvider.create({ ...inputs, adopt: true });
    const outs = adopted.outs as SubjectOutputs;
    expect(outs.version).toBe(2);
    await subjectProvider.delete?.(adopted.id, outs);
    expect(await registry.subjects()).toContain(subject);

    const optIn = { ...inputs, adopt: true, deleteOnDestroy: true };
    expect((await subjectProvider.diff?.(adopted.id, outs, optIn))?.changes).toBe(true);
    const updated = (await subjectProvider.update?.(adopted.id, outs, optIn))?.outs as SubjectOutputs;
    await subjectProvider.delete?.(adopted.id, updated);
    expect(await registry.subjects()).not.toContain(subject);
  });
});

describe('a connector that existed before pipec', () => {
  test('another config is refused unless adopted; the same config (an interrupted create) is taken as is', { timeout: 180_000 }, async () => {
    const pg = endpoints.postgres;
    const connector = `${name}-sink`;
    const config: Record<string, string> = {
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      'tasks.max': '1',
      topics: topics.input,
      'connection.url': pg.jdbcUrl,
      'connection.username': pg.user,
      'connection.password': pg.password,
      'insert.mode': 'insert',
      'schema.evolution': 'basic',
    };
    const connect = new ConnectClient(endpoints.connectUrl);
    const proxy = await countingProxy(endpoints.connectUrl);
    try {
      await connect.putConnector(connector, { ...config, 'tasks.max': '2' });
      const inputs: ConnectorInputs = { connectUrl: proxy.url, name: connector, config, state: 'RUNNING' };
      await expect(connectorProvider.create(inputs)).rejects.toThrow(`connector ${connector} already exists at ${proxy.url} with another config and is not in this stack's state`);
      expect((await connect.connectorConfig(connector))['tasks.max']).toBe('2');
      expect(proxy.mutations).toEqual([]);

      const adopted = await connectorProvider.create({ ...inputs, adopt: true });
      expect((adopted.outs as ConnectorOutputs).status).toBe('RUNNING');
      expect((await connect.connectorConfig(connector))['tasks.max']).toBe('1');

      // What a create interrupted after its PUT leaves: the same connector, the same config. Taken without a PUT.
      proxy.mutations.length = 0;
      const again = await connectorProvider.create(inputs);
      expect((again.outs as ConnectorOutputs).status).toBe('RUNNING');
      expect(proxy.mutations.filter((m) => m.includes('/config'))).toEqual([]);
    } finally {
      await connect.deleteConnector(connector);
      await proxy.close();
    }
  });
});
