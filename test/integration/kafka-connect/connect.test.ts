/**
 * Generated connector configs on the real Kafka Connect worker of the local stack:
 * - every connector of every example validates without errors (`PUT /connector-plugins/{class}/config/validate`);
 * - a generated Debezium PostgreSQL source streams inserts, updates and deletes of a table into Kafka, in the
 *   Confluent wire format whose schema ids resolve through the registry's Confluent-compatible API (what
 *   Flink's `debezium-avro-confluent` format reads);
 * - a generated JDBC sink upserts an Avro topic (written in the wire format Flink's `avro-confluent` writes)
 *   into a PostgreSQL table and deletes rows on tombstones.
 */
import avro from 'avsc';
import { Partitioners } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ConnectClient } from '../../../clients/connect.ts';
import type { ResolvedConfig } from '../../../compiler/config/schema.ts';
import { staticSchemas } from '../../helpers/check.ts';
import { t } from '../../../compiler/types/types.ts';
import { consumeRecords, createTopics, kafka, psql, unique } from '../local-stack/helpers.ts';
import { compileExamplesFor, compileSnippet, connectSecretsFile, connectorConfigs, decodeConfluent, deployable, encodeConfluent, localProjectConfig, registerSchema } from './helpers.ts';

const endpoints = inject('pipecLocal');
const connect = new ConnectClient(endpoints.connectUrl);
const created: string[] = [];

/** Plugins this stack cannot have (not on Maven Central): their configs are checked by zod and golden tests. */
const UNAVAILABLE = new Set(['io.confluent.connect.elasticsearch.ElasticsearchSinkConnector', 'io.confluent.connect.s3.S3SinkConnector', 'io.aiven.kafka.connect.opensearch.OpensearchSinkConnector', 'io.debezium.connector.mysql.MySqlConnector']);

afterAll(async () => {
  for (const name of created) await connect.deleteConnector(name).catch(() => false);
});

const secretsFile = connectSecretsFile(endpoints);
const projectConfig = (prefix: string): ResolvedConfig => localProjectConfig(endpoints, secretsFile, prefix);

describe('every connector of every example validates on the worker', async () => {
  const output = await compileExamplesFor(endpoints, secretsFile);
  const configs = connectorConfigs(output);
  const installed = new Set((await connect.plugins()).map((p) => p.class));

  it('the examples have a CDC source, a JDBC sink and an Elasticsearch sink', () => {
    expect([...new Set(configs.map((c) => c.config['connector.class']))].sort()).toEqual([
      'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
      'io.debezium.connector.jdbc.JdbcSinkConnector',
      'io.debezium.connector.postgresql.PostgresConnector',
    ]);
  });

  for (const { path: file, config } of configs) {
    const cls = config['connector.class'] ?? '';
    it.skipIf(UNAVAILABLE.has(cls))(`${file} (${cls})`, async () => {
      expect(installed).toContain(cls);
      const result = await connect.validate(cls, deployable(config, endpoints));
      expect(result.errors).toEqual({});
      expect(result.errorCount).toBe(0);
    });
  }

  it('only plugins that cannot be had here are skipped', () => {
    const skipped = configs.map((c) => c.config['connector.class'] ?? '').filter((c) => !installed.has(c));
    expect(skipped.every((c) => UNAVAILABLE.has(c))).toBe(true);
  });
});

describe('a generated Debezium PostgreSQL source', () => {
  const table = unique('kc_loans');
  const prefix = unique('kccdc');
  const topic = `${prefix}.public.${table}`;

  it('streams inserts, updates and deletes into Kafka in the Confluent wire format', async () => {
    await psql(endpoints, `CREATE TABLE ${table} (loan_id TEXT PRIMARY KEY, principal NUMERIC(12,2) NOT NULL, status TEXT NOT NULL)`);
    await psql(endpoints, `INSERT INTO ${table} VALUES ('L1', 100.50, 'OPEN')`);
    const row = [{ name: 'loan_id', type: t.string(false) }, { name: 'principal', type: t.decimal(12, 2, false) }, { name: 'status', type: t.string(false) }];
    const schemas = staticSchemas({ [`${topic}-value`]: [{ name: 'before', type: t.row(row) }, { name: 'after', type: t.row(row) }, { name: 'op', type: t.string(false) }] });
    const output = compileSnippet(
      {
        'cdc.pipe': `pipeline cdc_live with (checkpoint = 10 s);
source loans from postgres table 'public.${table}' via connection src_db format avro primary key (loan_id);
sink loans into kafka topic '${prefix}.out' format avro upsert key (loan_id);`,
      },
      projectConfig(prefix),
      schemas,
    );
    const [cdc] = connectorConfigs(output);
    expect(cdc?.config['connector.class']).toBe('io.debezium.connector.postgresql.PostgresConnector');
    expect(output.manifest.pipelines[0]?.job.dependsOn).toContain(`connector:${cdc?.config['name']}`);
    const config = deployable(cdc?.config ?? {}, endpoints);
    const name = config['name'] ?? '';
    created.push(name);
    expect((await connect.validate(config['connector.class'] ?? '', config)).errors).toEqual({});
    await connect.putConnector(name, config);
    expect((await connect.awaitRunning(name, 120_000)).connector.state).toBe('RUNNING');

    await psql(endpoints, `INSERT INTO ${table} VALUES ('L2', 250.00, 'OPEN')`);
    await psql(endpoints, `UPDATE ${table} SET status = 'CLOSED' WHERE loan_id = 'L1'`);
    await psql(endpoints, `DELETE FROM ${table} WHERE loan_id = 'L2'`);

    // snapshot r(L1), c(L2), u(L1), d(L2) and the tombstone after the delete.
    const records = await rawRecords(topic, 5);
    const events = [];
    for (const r of records) {
      if (r.value === null) {
        events.push({ op: 'tombstone', key: r.key ? ((await decodeConfluent(endpoints, r.key)).value as { loan_id: string }).loan_id : undefined });
        continue;
      }
      const { value } = await decodeConfluent(endpoints, r.value);
      const e = value as { op: string; before: { loan_id: string; status: string } | null; after: { loan_id: string; status: string } | null };
      events.push({ op: e.op, id: (e.after ?? e.before)?.loan_id, status: e.after?.status ?? null });
    }
    expect(events).toEqual([
      { op: 'r', id: 'L1', status: 'OPEN' },
      { op: 'c', id: 'L2', status: 'OPEN' },
      { op: 'u', id: 'L1', status: 'CLOSED' },
      { op: 'd', id: 'L2', status: null },
      { op: 'tombstone', key: 'L2' },
    ]);
    // The registry has the subject Flink's table names (`value.debezium-avro-confluent.subject`).
    const subjects = (await (await fetch(`${endpoints.schemaRegistryUrl}/subjects`)).json()) as string[];
    expect(subjects).toContain(`${topic}-value`);
    await connect.deleteConnector(name);
  });
});

describe('a generated Debezium JDBC sink', () => {
  const table = unique('kc_items');
  const source = unique('kc_items_src');
  const pipelineName = unique('jdbc_live');

  it('upserts a topic written in the Flink avro-confluent wire format into PostgreSQL and deletes on tombstones', async () => {
    const schemas = staticSchemas({
      [`${source}-value`]: [{ name: 'item_id', type: t.string(false) }, { name: 'qty', type: t.int(false) }, { name: 'note', type: t.string(true) }],
    });
    const output = compileSnippet(
      {
        'sink.pipe': `pipeline ${pipelineName} with (checkpoint = 10 s);
source items from kafka topic '${source}' format avro;
sink items into postgres table 'public.${table}' via connection dw upsert key (item_id);`,
      },
      projectConfig('unused'),
      schemas,
    );
    const [sinkConfig] = connectorConfigs(output);
    expect(sinkConfig?.config['connector.class']).toBe('io.debezium.connector.jdbc.JdbcSinkConnector');
    const pipeline = output.manifest.pipelines[0];
    const topic = sinkConfig?.config['topics'] ?? '';
    // What the deployer does before the connector: create the topic and register the subjects…
    const plan = JSON.parse(output.artifacts.find((a) => a.path.endsWith('/plan.json'))?.contents ?? '{}') as { sinks: { key: { subject: string; registers: { schema: string } }; value: { subject: string; registers: { schema: string } } }[] };
    const sink = plan.sinks[0];
    if (!sink) throw new Error('no sink in the plan');
    expect(pipeline?.connectors[0]?.dependsOn).toEqual([`subject:${sink.key.subject}`, `subject:${sink.value.subject}`, `topic:${topic}`]);
    await createTopics(endpoints, [topic]);
    const keyId = await registerSchema(endpoints, sink.key.subject, sink.key.registers.schema);
    const valueId = await registerSchema(endpoints, sink.value.subject, sink.value.registers.schema);
    // …and what the Flink job's upsert-kafka table writes: Confluent-framed Avro keys and values, tombstones for deletes.
    const keyType = avro.Type.forSchema(JSON.parse(sink.key.registers.schema) as avro.Schema, { wrapUnions: false });
    const valueType = avro.Type.forSchema(JSON.parse(sink.value.registers.schema) as avro.Schema, { wrapUnions: false });
    const record = (id: string, qty: number, note: string | null) => ({ key: encodeConfluent(keyId, keyType, { item_id: id }), value: encodeConfluent(valueId, valueType, { item_id: id, qty, note }) });
    const producer = kafka(endpoints).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages: [record('A', 1, 'first'), record('B', 2, null), record('A', 5, 'updated'), record('C', 7, 'kept'), { key: encodeConfluent(keyId, keyType, { item_id: 'B' }), value: null }] });
    await producer.disconnect();

    const config = deployable(sinkConfig?.config ?? {}, endpoints);
    const name = config['name'] ?? '';
    created.push(name);
    expect((await connect.validate(config['connector.class'] ?? '', config)).errors).toEqual({});
    await connect.putConnector(name, config);
    expect((await connect.awaitRunning(name, 120_000)).connector.state).toBe('RUNNING');

    const deadline = Date.now() + 120_000;
    let rows = '';
    while (Date.now() < deadline) {
      rows = await psql(endpoints, `SELECT CASE WHEN to_regclass('public.${table}') IS NULL THEN '' ELSE (SELECT coalesce(string_agg(item_id || '|' || qty || '|' || coalesce(note, '-'), ',' ORDER BY item_id), '') FROM public.${table}) END`).catch(() => '');
      if (rows.trim() === 'A|5|updated,C|7|kept') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(rows.trim()).toBe('A|5|updated,C|7|kept');
    const status = await connect.status(name);
    expect(status.tasks.map((x) => x.state)).toEqual(['RUNNING']);
    await connect.deleteConnector(name);
  });
});

async function rawRecords(topic: string, count: number): Promise<{ key: Buffer | null; value: Buffer | null }[]> {
  const records = await consumeRecords(endpoints, topic, { timeoutMs: 120_000, until: (r) => r.length >= count, describe: () => `expected ${count}` });
  return records.map((m) => ({ key: m.key, value: m.value }));
}
