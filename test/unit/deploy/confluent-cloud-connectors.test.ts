/**
 * Self-managed connector configs of the build as fully managed Confluent Cloud connector configs: the
 * example project's three connectors, a MySQL CDC config, and what cannot be mapped.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { managedConnector, UnmappableConnector } from '../../../deploy/confluent-cloud/connectors.ts';
import type { Artifact } from '../../../targets/emit.ts';
import { compileExamples } from '../../helpers/examples.ts';

let artifacts: readonly Artifact[] = [];

function config(name: string): Record<string, string> {
  const a = artifacts.find((x) => x.path.endsWith(`/connect/${name}.json`));
  if (!a) throw new Error(`no connector ${name} in the examples build`);
  return JSON.parse(a.contents) as Record<string, string>;
}

beforeAll(async () => {
  const compiled = await compileExamples('1.20');
  artifacts = compiled.output?.artifacts ?? [];
}, 120_000);

describe('managedConnector', () => {
  test('the Debezium PostgreSQL source becomes PostgresCdcSourceV2 with the envelope kept and no worker settings', () => {
    const m = managedConnector('lendwell-default-loans_db', 'source', config('lendwell-default-loans_db'));
    expect(m.nonsensitive).toMatchObject({
      'connector.class': 'PostgresCdcSourceV2',
      name: 'lendwell-default-loans_db',
      'database.hostname': 'localhost',
      'database.port': '15432',
      'database.dbname': 'lending',
      'database.user': '${env:LOANS_DB_USER}',
      'topic.prefix': 'loans',
      'table.include.list': 'public.loans',
      'slot.name': 'pipec_lendwell_default_loans_db',
      'output.data.format': 'AVRO',
      'output.key.format': 'AVRO',
      'after.state.only': 'false',
    });
    expect(m.sensitive).toEqual({ 'database.password': '${env:LOANS_DB_PASSWORD}' });
    // Converters, the registry, topic creation and error logging are the service's.
    const keys = Object.keys(m.nonsensitive);
    expect(keys.filter((k) => /converter|apicurio|topic\.creation|errors\./.test(k))).toEqual([]);
  });

  test('the Debezium JDBC sink into PostgreSQL becomes PostgresSink, its URL split and keys renamed', () => {
    const m = managedConnector('lendwell-default-missed_payments-missed_per_hour_postgres', 'sink', config('lendwell-default-missed_payments-missed_per_hour_postgres'));
    expect(m.nonsensitive).toEqual({
      'connector.class': 'PostgresSink',
      name: 'lendwell-default-missed_payments-missed_per_hour_postgres',
      'tasks.max': '3',
      topics: 'lendwell.missed_payments.missed_per_hour',
      'connection.host': 'localhost',
      'connection.port': '15432',
      'db.name': 'warehouse',
      'connection.user': '${env:WAREHOUSE_USER}',
      'table.name.format': 'collections.missed_per_hour',
      'insert.mode': 'UPSERT',
      'delete.enabled': 'true',
      'pk.mode': 'record_key',
      'pk.fields': 'window_start,customer_id',
      'auto.create': 'true',
      'auto.evolve': 'true',
      'db.timezone': 'UTC',
      'errors.tolerance': 'all',
      'input.data.format': 'AVRO',
      'input.key.format': 'AVRO',
    });
    expect(m.sensitive).toEqual({ 'connection.password': '${env:WAREHOUSE_PASSWORD}' });
  });

  test('the Elasticsearch sink becomes ElasticsearchSink, keeping its transforms', () => {
    const m = managedConnector('lendwell-default-merchant_leaders-category_volume_elasticsearch', 'sink', config('lendwell-default-merchant_leaders-category_volume_elasticsearch'));
    expect(m.nonsensitive).toMatchObject({
      'connector.class': 'ElasticsearchSink',
      'connection.url': 'http://localhost:19200',
      'write.method': 'UPSERT',
      'behavior.on.null.values': 'delete',
      transforms: 'index,key',
      'transforms.index.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.index.replacement': 'category-volume',
      'input.data.format': 'AVRO',
    });
    expect(m.sensitive).toEqual({});
  });

  test('MySQL CDC: MySqlCdcSourceV2, without the schema history topic the service keeps itself', () => {
    const m = managedConnector('db', 'source', {
      'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
      name: 'db',
      'tasks.max': '1',
      'database.hostname': 'mysql',
      'database.port': '3306',
      'database.user': 'u',
      'database.password': '${env:P}',
      'database.server.id': '5401',
      'database.include.list': 'shop',
      'topic.prefix': 'shop',
      'table.include.list': 'shop.orders',
      'schema.history.internal.kafka.bootstrap.servers': '${pipec:kafka.bootstrap_servers}',
      'schema.history.internal.kafka.topic': '_pipec.db.schema-history',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    expect(m.nonsensitive['connector.class']).toBe('MySqlCdcSourceV2');
    expect(m.nonsensitive['output.data.format']).toBe('JSON');
    expect(Object.keys(m.nonsensitive).filter((k) => k.startsWith('schema.history'))).toEqual([]);
    expect(m.sensitive).toEqual({ 'database.password': '${env:P}' });
  });

  test('a secret placeholder goes to the sensitive part whatever its key', () => {
    const m = managedConnector('es', 'sink', { 'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector', name: 'es', topics: 't', 'connection.url': '${pipec:secret.es_url}' });
    expect(m.sensitive).toEqual({ 'connection.url': '${pipec:secret.es_url}' });
  });

  test('what cannot be mapped fails, naming the connector and what to do', () => {
    const s3 = { 'connector.class': 'io.confluent.connect.s3.S3SinkConnector', name: 'to-s3', topics: 't' };
    expect(() => managedConnector('to-s3', 'sink', s3)).toThrow(UnmappableConnector);
    expect(() => managedConnector('to-s3', 'sink', s3)).toThrow(/connector to-s3 cannot be deployed .*no mapping of io\.confluent\.connect\.s3\.S3SinkConnector.*connectors\.external/);
    const unknownKey = { ...config('lendwell-default-loans_db'), 'snapshot.fetch.size': '1000' };
    expect(() => managedConnector('db', 'source', unknownKey)).toThrow(/its config has snapshot\.fetch\.size, which pipec does not know for PostgresCdcSourceV2/);
    const withSchemas = { ...config('lendwell-default-loans_db'), 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'true' };
    expect(() => managedConnector('db', 'source', withSchemas)).toThrow(/JSON with embedded schemas/);
    const oracle = { 'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector', name: 'o', 'connection.url': 'jdbc:oracle:thin:@h:1521/x' };
    expect(() => managedConnector('o', 'sink', oracle)).toThrow(/neither PostgreSQL nor MySQL/);
  });
});
