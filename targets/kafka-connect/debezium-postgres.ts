/**
 * Debezium PostgreSQL CDC source: one connector per connection, capturing every table that CDC sources read
 * through it (Debezium's `topic.prefix` names one database server, so two connectors must not share it).
 * Topics are `<topic_prefix>.<schema>.<table>`, the value in the format the Flink job reads
 * (`debezium-avro-confluent` or `debezium-json` with schemas).
 */
import { z } from 'zod';
import type { Connection } from '../../compiler/config/schema.ts';
import type { SourcePlan } from '../../compiler/plan/plan.ts';
import { baseConfigSchema, converter, pgIdentifier, secretRef, sourceErrorHandling, type RegistryFlavour } from './common.ts';

export const debeziumPostgresSchema = baseConfigSchema
  .extend({
    'connector.class': z.literal('io.debezium.connector.postgresql.PostgresConnector'),
    'tasks.max': z.literal('1'),
    'database.hostname': z.string().min(1),
    'database.port': z.string().regex(/^\d+$/),
    'database.user': z.string().min(1),
    'database.password': secretRef,
    'database.dbname': z.string().min(1),
    'topic.prefix': z.string().regex(/^[A-Za-z0-9._-]+$/),
    'table.include.list': z.string().regex(/^[\w$]+\.[\w$]+(,[\w$]+\.[\w$]+)*$/),
    'message.key.columns': z.string().min(1),
    'replica.identity.autoset.values': z.string().regex(/^[\w$]+\.[\w$]+:FULL(,[\w$]+\.[\w$]+:FULL)*$/),
    'plugin.name': z.literal('pgoutput'),
    'slot.name': z.string().regex(/^[a-z0-9_]{1,63}$/),
    'publication.name': z.string().regex(/^[a-z0-9_]{1,63}$/),
    'publication.autocreate.mode': z.enum(['filtered', 'all_tables', 'disabled', 'no_tables']),
    'snapshot.mode': z.enum(['initial', 'always', 'initial_only', 'no_data', 'never', 'when_needed', 'configuration_based', 'custom']),
    'heartbeat.interval.ms': z.string().regex(/^\d+$/),
    'value.converter': z.string().min(1),
    'key.converter': z.string().min(1),
  })
  .catchall(z.string());

export type PgConnection = Extract<Connection, { type: 'postgres' }>;

export interface CdcInput {
  readonly name: string;
  readonly project: string;
  readonly environment: string;
  readonly connectionName: string;
  readonly sources: readonly SourcePlan[];
  readonly topicPrefix: string;
  readonly registry: RegistryFlavour;
}

/** `public.loans` for `loans` or `public.loans`. */
export function qualifiedTable(table: string, defaultSchema: string): string {
  return table.includes('.') ? table : `${defaultSchema}.${table}`;
}

/** Debezium's key columns: `<schema>.<table>:<col>,<col>;…` — the record key is the declared primary key. */
export function messageKeyColumns(sources: readonly SourcePlan[], defaultSchema: string): string {
  return sources.map((s) => `${qualifiedTable(s.table ?? '', defaultSchema)}:${s.primaryKey.join(',')}`).join(';');
}

/** Properties both Debezium sources share: converters, error handling, Avro-safe names and times. */
export function cdcExtra(sources: readonly SourcePlan[], registry: RegistryFlavour): Record<string, string> {
  const format = sources[0]?.value.format;
  return {
    ...converter('key', format, 'source', registry),
    ...converter('value', format, 'source', registry),
    ...sourceErrorHandling(),
    // Flink reads TIMESTAMP/DATE/TIME columns as Avro/Connect logical types, not Debezium's own int64 micros.
    'time.precision.mode': 'connect',
    'decimal.handling.mode': 'precise',
    ...(format === 'avro' ? { 'schema.name.adjustment.mode': 'avro', 'field.name.adjustment.mode': 'avro' } : {}),
    // Topics are created by the worker (the Flink job only reads them).
    'topic.creation.default.replication.factor': '-1',
    'topic.creation.default.partitions': '-1',
  };
}

export function buildDebeziumPostgres(input: CdcInput, connection: PgConnection) {
  const slot = pgIdentifier('pipec', input.project, input.environment, input.connectionName);
  const tables = [...new Set(input.sources.map((s) => qualifiedTable(s.table ?? '', 'public')))].sort();
  return {
    layout: 'debezium-postgres',
    view: {
      name: input.name,
      hostname: connection.host,
      port: String(connection.port),
      user: connection.user,
      password: connection.password,
      database: connection.database,
      topicPrefix: input.topicPrefix,
      tables: tables.join(','),
      // Flink's Debezium formats turn an UPDATE into a retraction of the `before` row, which PostgreSQL sends
      // only under REPLICA IDENTITY FULL: without it the job fails on the first update. Debezium sets it on
      // start (the connector's user must own the tables).
      replicaIdentity: tables.map((t) => `${t}:FULL`).join(','),
      keyColumns: messageKeyColumns(input.sources, 'public'),
      slot,
      publication: slot,
      snapshotMode: 'initial',
      heartbeatMs: '10000',
      extra: cdcExtra(input.sources, input.registry),
    },
  };
}
