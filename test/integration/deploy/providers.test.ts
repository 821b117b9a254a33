/**
 * The deployer's dynamic providers against the real local stack, called directly (no Pulumi engine): create,
 * a no-op update (diff says nothing changed, and no mutating call reaches a server), a change, delete.
 * HTTP calls are counted by a small proxy in front of Connect and the registry; Kafka admin calls by the
 * topic implementation's own log.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { connectorProvider, subjectProvider, topicProvider } from '../../../deploy/providers.ts';
import { kafkaMutations, type TopicInputs, type TopicOutputs } from '../../../deploy/impl/topic.ts';
import type { SubjectInputs, SubjectOutputs } from '../../../deploy/impl/subject.ts';
import type { ConnectorInputs, ConnectorOutputs } from '../../../deploy/impl/connector.ts';
import { ConnectClient } from '../../../clients/connect.ts';
import { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import { countingProxy, type CountingProxy } from '../../helpers/counting-proxy.ts';

const endpoints = inject('pipecLocal');
const unique = `deploy${Date.now().toString(36)}`;
let connect: CountingProxy;
let registry: CountingProxy;

beforeAll(async () => {
  connect = await countingProxy(endpoints.connectUrl);
  registry = await countingProxy(endpoints.schemaRegistryUrl);
});
afterAll(async () => {
  await connect.close();
  await registry.close();
});

describe('topic provider', () => {
  test('twenty topics created at once all get leaders (a first deploy of many pipelines)', { timeout: 120_000 }, async () => {
    const many = Array.from({ length: 20 }, (_, i): TopicInputs => ({ bootstrapServers: endpoints.kafkaBootstrap, name: `${unique}.many${i}`, partitions: 3, replication: 1, configs: {}, deleteOnDestroy: true }));
    const created = await Promise.all(many.map((t) => topicProvider.create(t)));
    expect(created.map((c) => (c.outs as TopicOutputs).actualPartitions)).toEqual(many.map(() => 3));
    await Promise.all(created.map((c) => topicProvider.delete?.(c.id, c.outs as TopicOutputs)));
  });

  test('create, no-op, change, delete', async () => {
    const inputs: TopicInputs = { bootstrapServers: endpoints.kafkaBootstrap, name: `${unique}.topic`, partitions: 1, replication: 1, configs: { 'retention.ms': '3600000' }, deleteOnDestroy: true };
    const created = await topicProvider.create(inputs);
    const outs = created.outs as TopicOutputs;
    expect(outs.actualPartitions).toBe(1);
    const before = kafkaMutations.length;
    // No-op: the same declaration (server defaults never enter the comparison).
    expect((await topicProvider.diff?.(created.id, outs, { ...inputs }))?.changes).toBe(false);
    expect(kafkaMutations.length).toBe(before);
    // Change: more partitions, another retention.
    const news = { ...inputs, partitions: 3, configs: { 'retention.ms': '7200000' } };
    const diff = await topicProvider.diff?.(created.id, outs, news);
    expect(diff?.changes).toBe(true);
    expect(diff?.replaces).toEqual([]);
    const updated = (await topicProvider.update?.(created.id, outs, news))?.outs as TopicOutputs;
    expect(updated.actualPartitions).toBe(3);
    expect(kafkaMutations.slice(before)).toEqual([`createPartitions ${inputs.name}`, `alterConfigs ${inputs.name}`]);
    // Fewer partitions is refused with the reason.
    await expect(topicProvider.update?.(created.id, updated, { ...news, partitions: 2 })).rejects.toThrow(/cannot reduce partitions \(3 → 2\)/);
    await topicProvider.delete?.(created.id, updated);
    expect(kafkaMutations.at(-1)).toBe(`deleteTopics ${inputs.name}`);
  });
});

describe('subject provider', () => {
  const schema = (fields: string): string => `{"type":"record","name":"Deployed","namespace":"pipec.test","fields":[${fields}]}`;

  test('create, no-op, change, delete', async () => {
    const inputs: SubjectInputs = { registryUrl: registry.url, subject: `${unique}-value`, schemaType: 'AVRO', schema: schema('{"name":"id","type":"string"}'), compatibility: 'BACKWARD', permanentDelete: true, deleteOnDestroy: true };
    const created = await subjectProvider.create(inputs);
    const outs = created.outs as SubjectOutputs;
    expect(outs.version).toBe(1);
    registry.mutations.length = 0;
    // The same schema spelled differently is no change.
    const respelled = { ...inputs, schema: JSON.stringify(JSON.parse(inputs.schema), null, 2) };
    expect((await subjectProvider.diff?.(created.id, outs, respelled))?.changes).toBe(false);
    // Applying the same schema again makes no mutating call either (the latest version already is it).
    await subjectProvider.update?.(created.id, outs, respelled);
    expect(registry.mutations).toEqual([]);
    const news = { ...inputs, schema: schema('{"name":"id","type":"string"},{"name":"note","type":["null","string"],"default":null}') };
    expect((await subjectProvider.diff?.(created.id, outs, news))?.changes).toBe(true);
    const updated = (await subjectProvider.update?.(created.id, outs, news))?.outs as SubjectOutputs;
    expect(updated.version).toBe(2);
    await subjectProvider.delete?.(created.id, updated);
    expect(await new SchemaRegistryClient(endpoints.schemaRegistryUrl).subjects()).not.toContain(inputs.subject);
  });
});

describe('connector provider', () => {
  test('create, no-op, config change, pause, delete', async () => {
    // The Debezium JDBC sink of the local stack, writing to its PostgreSQL; it idles until records arrive.
    const pg = endpoints.postgres;
    const config: Record<string, string> = {
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      'tasks.max': '1',
      topics: `${unique}.rows`,
      'connection.url': pg.jdbcUrl,
      'connection.username': pg.user,
      'connection.password': pg.password,
      'insert.mode': 'insert',
      'schema.evolution': 'basic',
    };
    const inputs: ConnectorInputs = { connectUrl: connect.url, name: `${unique}-sink`, config, state: 'RUNNING' };
    const created = await connectorProvider.create(inputs);
    const outs = created.outs as ConnectorOutputs;
    expect(outs.status).toBe('RUNNING');
    connect.mutations.length = 0;
    expect((await connectorProvider.diff?.(created.id, outs, { ...inputs, config: { ...config } }))?.changes).toBe(false);
    expect(connect.mutations).toEqual([]);
    // A config change is a PUT of the new config, not a replacement.
    const changed = { ...inputs, config: { ...config, 'tasks.max': '2' } };
    const diff = await connectorProvider.diff?.(created.id, outs, changed);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = (await connectorProvider.update?.(created.id, outs, changed))?.outs as ConnectorOutputs;
    expect(connect.mutations).toEqual([`PUT /connectors/${inputs.name}/config`]);
    expect((await new ConnectClient(endpoints.connectUrl).connectorConfig(inputs.name))['tasks.max']).toBe('2');
    // Pause: only the state changes.
    connect.mutations.length = 0;
    const paused = (await connectorProvider.update?.(created.id, updated, { ...changed, state: 'PAUSED' }))?.outs as ConnectorOutputs;
    expect(paused.status).toBe('PAUSED');
    expect(connect.mutations).toEqual([`PUT /connectors/${inputs.name}/pause`]);
    await connectorProvider.delete?.(created.id, paused);
    expect(await new ConnectClient(endpoints.connectUrl).connectors()).not.toContain(inputs.name);
  });
});
