/**
 * A deploy succeeds only when what it created runs, on the real local stack: a JDBC sink whose PostgreSQL schema
 * does not exist starts, fails on the first record already in its topic, and the deploy fails naming the
 * connector, the task's root cause and what it most likely means (Debezium reports only "Could not find table" in
 * the task's trace; the database's "schema … does not exist" is only in the worker's log).
 */
import { afterAll, describe, expect, inject, test } from 'vitest';
import { connectorProvider } from '../../../deploy/providers.ts';
import type { ConnectorInputs } from '../../../deploy/impl/connector.ts';
import { ConnectClient } from '../../../clients/connect.ts';
import { createTopics, produce, unique, withAdmin } from '../local-stack/helpers.ts';

const endpoints = inject('pipecLocal');
const name = unique('running');
const topic = `${name}.rows`;
const connect = new ConnectClient(endpoints.connectUrl);

afterAll(async () => {
  await connect.deleteConnector(`${name}-sink`).catch(() => undefined);
  await withAdmin(endpoints, (admin) => admin.deleteTopics({ topics: [topic] })).catch(() => undefined);
});

describe('a sink whose target schema does not exist', () => {
  test('the deploy fails naming the connector, the root cause and the missing schema', { timeout: 180_000 }, async () => {
    await createTopics(endpoints, [topic]);
    const record = { schema: { type: 'struct', optional: false, fields: [{ field: 'id', type: 'string', optional: false }] }, payload: { id: 'a' } };
    await produce(endpoints, topic, [{ value: JSON.stringify(record) }]);
    const pg = endpoints.postgres;
    const inputs: ConnectorInputs = {
      connectUrl: endpoints.connectUrl,
      name: `${name}-sink`,
      state: 'RUNNING',
      config: {
        'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
        'tasks.max': '1',
        topics: topic,
        'connection.url': pg.jdbcUrl,
        'connection.username': pg.user,
        'connection.password': pg.password,
        'insert.mode': 'insert',
        'primary.key.mode': 'none',
        'schema.evolution': 'basic',
        'collection.name.format': `analytics_${name}.rows`,
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'true',
        'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      },
    };
    await expect(connectorProvider.create(inputs)).rejects.toThrow(
      new RegExp(`^connector ${name}-sink at .*: task 0 FAILED: java\\.sql\\.SQLException: Could not find table: analytics_${name}\\.rows \\(reported as: .*\\); the sink could not create table analytics_${name}\\.rows: .*schema "analytics_${name}" does not exist \\(CREATE SCHEMA analytics_${name}\\)`),
    );
  });
});
