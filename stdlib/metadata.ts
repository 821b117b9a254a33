/**
 * Metadata columns a source may read (`metadata (kafka_ts from timestamp)`), as data: the pipec name, the
 * connector's metadata key and its Flink type. Kafka keys are from the Kafka connector's docs
 * ("Available Metadata"); Debezium keys from the debezium-json / debezium-avro-confluent format docs, which
 * the Kafka connector exposes with the `value.` prefix.
 */
import { t, type SqlType } from '../compiler/types/types.ts';

export interface MetadataField {
  /** The key in Flink's `METADATA FROM '…'`. */
  readonly key: string;
  readonly type: SqlType;
  /** Read-only metadata must be declared VIRTUAL in Flink DDL. */
  readonly readOnly: boolean;
}

export const KAFKA_METADATA: Readonly<Record<string, MetadataField>> = {
  topic: { key: 'topic', type: t.string(false), readOnly: true },
  partition: { key: 'partition', type: t.int(false), readOnly: true },
  headers: { key: 'headers', type: t.map(t.string(false), t.bytes(), false), readOnly: false },
  leader_epoch: { key: 'leader-epoch', type: t.int(), readOnly: true },
  offset: { key: 'offset', type: t.bigint(false), readOnly: true },
  timestamp: { key: 'timestamp', type: t.timestampLtz(3, false), readOnly: false },
  timestamp_type: { key: 'timestamp-type', type: t.string(false), readOnly: true },
};

export const DEBEZIUM_METADATA: Readonly<Record<string, MetadataField>> = {
  ...KAFKA_METADATA,
  source_timestamp: { key: 'value.source.timestamp', type: t.timestampLtz(3), readOnly: true },
  ingestion_timestamp: { key: 'value.ingestion-timestamp', type: t.timestampLtz(3), readOnly: true },
  source_database: { key: 'value.source.database', type: t.string(), readOnly: true },
  source_schema: { key: 'value.source.schema', type: t.string(), readOnly: true },
  source_table: { key: 'value.source.table', type: t.string(), readOnly: true },
};
