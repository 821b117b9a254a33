/**
 * Debezium JDBC sink into PostgreSQL or MySQL: upserts by the record key (the sink's `upsert key`, which Flink
 * writes as the Kafka key), deletes on tombstones, creates and evolves the table (`schema.evolution=basic`).
 */
import { z } from 'zod';
import type { Connection } from '../../compiler/config/schema.ts';
import { baseConfigSchema, secretRef } from './common.ts';
import { sinkExtra, type SinkInput } from './sink-common.ts';

export const jdbcSinkSchema = baseConfigSchema
  .extend({
    'connector.class': z.literal('io.debezium.connector.jdbc.JdbcSinkConnector'),
    topics: z.string().min(1),
    'connection.url': z.string().regex(/^jdbc:(postgresql|mysql):\/\/[^/]+\/.+$/),
    'connection.username': z.string().min(1),
    'connection.password': secretRef,
    'collection.name.format': z.string().min(1),
    'insert.mode': z.enum(['insert', 'upsert', 'update']),
    'delete.enabled': z.enum(['true', 'false']),
    'primary.key.mode': z.enum(['none', 'kafka', 'record_key', 'record_value']),
    'schema.evolution': z.enum(['none', 'basic']),
    'value.converter': z.string().min(1),
  })
  .catchall(z.string())
  .refine((c) => c['delete.enabled'] === 'false' || c['primary.key.mode'] === 'record_key', { message: '`delete.enabled` needs `primary.key.mode=record_key`' });

export type JdbcConnection = Extract<Connection, { type: 'postgres' | 'mysql' }>;

export function buildJdbcSink(input: SinkInput, connection: JdbcConnection) {
  const s = input.sink;
  const upsert = s.upsert && s.keyColumns.length > 0;
  return {
    layout: 'jdbc-sink',
    view: {
      name: input.name,
      tasksMax: String(input.tasksMax),
      topic: s.topic,
      url: `jdbc:${connection.type === 'postgres' ? 'postgresql' : 'mysql'}://${connection.host}:${connection.port}/${connection.database}`,
      user: connection.user,
      password: connection.password,
      table: s.object,
      insertMode: upsert ? 'upsert' : 'insert',
      deleteEnabled: String(upsert),
      primaryKeyMode: upsert ? 'record_key' : 'none',
      extra: { ...sinkExtra(input), ...(upsert ? { 'primary.key.fields': s.keyColumns.join(',') } : {}) },
    },
  };
}
