/**
 * Debezium MySQL CDC source: one connector per connection, like debezium-postgres.ts. Tables are
 * `<database>.<table>`; the schema history lives in a Kafka topic of its own.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Connection } from '../../compiler/config/schema.ts';
import { KAFKA_BOOTSTRAP_SERVERS } from '../../stdlib/placeholders.ts';
import { baseConfigSchema, secretRef } from './common.ts';
import { cdcExtra, messageKeyColumns, type CdcInput } from './debezium-postgres.ts';

export const debeziumMysqlSchema = baseConfigSchema
  .extend({
    'connector.class': z.literal('io.debezium.connector.mysql.MySqlConnector'),
    'tasks.max': z.literal('1'),
    'database.hostname': z.string().min(1),
    'database.port': z.string().regex(/^\d+$/),
    'database.user': z.string().min(1),
    'database.password': secretRef,
    'database.server.id': z.string().regex(/^[1-9]\d*$/),
    'database.include.list': z.string().min(1),
    'topic.prefix': z.string().regex(/^[A-Za-z0-9._-]+$/),
    'table.include.list': z.string().regex(/^[\w$]+\.[\w$]+(,[\w$]+\.[\w$]+)*$/),
    'message.key.columns': z.string().min(1),
    'snapshot.mode': z.enum(['initial', 'initial_only', 'when_needed', 'never', 'no_data', 'schema_only_recovery', 'recovery', 'configuration_based', 'custom', 'always']),
    'heartbeat.interval.ms': z.string().regex(/^\d+$/),
    'schema.history.internal.kafka.bootstrap.servers': z.string().min(1),
    'schema.history.internal.kafka.topic': z.string().min(1),
  })
  .catchall(z.string());

export type MysqlConnection = Extract<Connection, { type: 'mysql' }>;

/** A stable server id in 5400–6399 when the connection does not give one (each connector needs its own). */
function derivedServerId(name: string): number {
  return 5400 + (createHash('sha256').update(name).digest().readUInt32BE(0) % 1000);
}

export function buildDebeziumMysql(input: CdcInput, connection: MysqlConnection) {
  const tables = [...new Set(input.sources.map((s) => (s.table?.includes('.') ? s.table : `${connection.database}.${s.table ?? ''}`)))].sort();
  return {
    layout: 'debezium-mysql',
    view: {
      name: input.name,
      hostname: connection.host,
      port: String(connection.port),
      user: connection.user,
      password: connection.password,
      serverId: String(connection.server_id ?? derivedServerId(input.name)),
      databases: [...new Set(tables.map((t) => t.split('.')[0] ?? ''))].sort().join(','),
      topicPrefix: input.topicPrefix,
      tables: tables.join(','),
      keyColumns: messageKeyColumns(input.sources, connection.database),
      snapshotMode: 'initial',
      heartbeatMs: '10000',
      bootstrapServers: KAFKA_BOOTSTRAP_SERVERS,
      historyTopic: `_pipec.${input.name}.schema-history`,
      extra: cdcExtra(input.sources, input.registry),
    },
  };
}
