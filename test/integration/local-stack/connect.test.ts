/**
 * Kafka Connect with Debezium: validate and create a PostgreSQL CDC connector against the stack's PostgreSQL,
 * see it RUNNING, and see a row's insert arrive in Kafka as a change event.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ConnectClient } from '../../../clients/connect.ts';
import { consume, psql, unique } from './helpers.ts';

const endpoints = inject('pipecLocal');
const connect = new ConnectClient(endpoints.connectUrl);
const postgresSource = 'io.debezium.connector.postgresql.PostgresConnector';

const table = unique('smoke_orders');
const name = unique('smoke-pg');
const prefix = unique('smokecdc');

function sourceConfig(): Record<string, string> {
  const pg = endpoints.postgres;
  return {
    'connector.class': postgresSource,
    'tasks.max': '1',
    'database.hostname': pg.host,
    'database.port': String(pg.port),
    'database.user': pg.user,
    'database.password': pg.password,
    'database.dbname': pg.database,
    'topic.prefix': prefix,
    'table.include.list': `public.${table}`,
    'plugin.name': 'pgoutput',
    'slot.name': name.replace(/-/g, '_'),
    'publication.name': `${name.replace(/-/g, '_')}_pub`,
    'publication.autocreate.mode': 'filtered',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'false',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
  };
}

afterAll(async () => {
  await connect.deleteConnector(name).catch(() => false);
});

describe('local stack: Kafka Connect + Debezium', () => {
  it('has the Debezium PostgreSQL source and JDBC sink plugins', async () => {
    const classes = (await connect.plugins()).map((p) => p.class);
    expect(classes).toContain(postgresSource);
    expect(classes).toContain('io.debezium.connector.jdbc.JdbcSinkConnector');
    expect((await connect.info()).version).toMatch(/^4\./);
  });

  it('validates a config: errors for a bad one, none for a good one', async () => {
    const bad = await connect.validate(postgresSource, { name, ...sourceConfig(), 'database.port': 'not-a-port' });
    expect(bad.errorCount).toBeGreaterThan(0);
    expect(Object.keys(bad.errors)).toEqual(expect.arrayContaining(['database.port']));
    const good = await connect.validate(postgresSource, { name, ...sourceConfig() });
    expect(good.errors).toEqual({});
    expect(good.errorCount).toBe(0);
  });

  it('creates the CDC connector, runs it, and publishes a change event', async () => {
    await psql(endpoints, `CREATE TABLE ${table} (id INT PRIMARY KEY, item TEXT NOT NULL)`);
    await psql(endpoints, `INSERT INTO ${table} VALUES (1, 'snapshot row')`);
    const { created } = await connect.putConnector(name, sourceConfig());
    expect(created).toBe(true);
    const status = await connect.awaitRunning(name, 120_000);
    expect(status.connector.state).toBe('RUNNING');
    // A row written after the connector started comes through logical replication (op "c"), not the snapshot.
    await psql(endpoints, `INSERT INTO ${table} VALUES (2, 'streamed row')`);
    const records = await consume(endpoints, `${prefix}.public.${table}`, 2, { timeoutMs: 120_000 });
    const events = records.map((r) => JSON.parse(r.value ?? 'null') as { op: string; after: { id: number; item: string } });
    expect(events.map((e) => [e.op, e.after])).toEqual([
      ['r', { id: 1, item: 'snapshot row' }],
      ['c', { id: 2, item: 'streamed row' }],
    ]);
  });
});
