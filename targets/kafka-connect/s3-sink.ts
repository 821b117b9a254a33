/**
 * S3 sink with Confluent's S3SinkConnector keys: objects under `<path>/<topic>/year=…/month=…/day=…/hour=…/`
 * of the connection's bucket, by record time, `flush.size` records per object (option `flush.size`).
 */
import { z } from 'zod';
import type { Connection } from '../../compiler/config/schema.ts';
import { baseConfigSchema, secretRef } from './common.ts';
import { sinkExtra, type SinkInput } from './sink-common.ts';

export const s3SinkSchema = baseConfigSchema
  .extend({
    'connector.class': z.literal('io.confluent.connect.s3.S3SinkConnector'),
    topics: z.string().min(1),
    'storage.class': z.literal('io.confluent.connect.s3.storage.S3Storage'),
    's3.bucket.name': z.string().min(1),
    's3.region': z.string().min(1),
    'topics.dir': z.string().min(1),
    'format.class': z.enum(['io.confluent.connect.s3.format.avro.AvroFormat', 'io.confluent.connect.s3.format.json.JsonFormat', 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat']),
    'flush.size': z.string().regex(/^[1-9]\d*$/),
    'rotate.interval.ms': z.string().regex(/^\d+$/),
    'partitioner.class': z.string().min(1),
    'aws.access.key.id': secretRef.optional(),
    'aws.secret.access.key': secretRef.optional(),
    'store.url': z.url().optional(),
  })
  .catchall(z.string());

export type S3Connection = Extract<Connection, { type: 's3' }>;

export function buildS3Sink(input: SinkInput, connection: S3Connection) {
  const s = input.sink;
  const formatClass = s.value.format === 'avro' ? 'io.confluent.connect.s3.format.avro.AvroFormat' : s.value.format === 'json' ? 'io.confluent.connect.s3.format.json.JsonFormat' : 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat';
  const credentials: Record<string, string> = {
    ...(connection.access_key_id ? { 'aws.access.key.id': connection.access_key_id } : {}),
    ...(connection.secret_access_key ? { 'aws.secret.access.key': connection.secret_access_key } : {}),
    ...(connection.endpoint ? { 'store.url': connection.endpoint } : {}),
  };
  return {
    layout: 's3-sink',
    view: {
      name: input.name,
      tasksMax: String(input.tasksMax),
      topic: s.topic,
      bucket: connection.bucket,
      region: connection.region,
      path: s.object.replace(/^\/+|\/+$/g, '') || 'topics',
      formatClass,
      flushSize: '1000',
      rotateMs: '600000',
      extra: { ...sinkExtra(input), ...credentials },
    },
  };
}
