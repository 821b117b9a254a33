/**
 * Elasticsearch (Confluent's ElasticsearchSinkConnector keys) and OpenSearch (Aiven's OpensearchSinkConnector,
 * a fork with the same keys but `index.write.method`) sinks. The index is the sink's object (a RegexRouter
 * renames the topic to it); with an upsert key, the document id is the key (one key column: extracted from
 * the key record) and tombstones delete the document.
 */
import { z } from 'zod';
import type { Connection } from '../../compiler/config/schema.ts';
import { baseConfigSchema, secretRef } from './common.ts';
import { sinkExtra, type SinkInput } from './sink-common.ts';

const searchFields = {
  topics: z.string().min(1),
  'connection.url': z.url(),
  'connection.username': z.string().min(1).optional(),
  'connection.password': secretRef.optional(),
  'key.ignore': z.enum(['true', 'false']),
  'schema.ignore': z.enum(['true', 'false']),
  'behavior.on.null.values': z.enum(['ignore', 'delete', 'fail']),
  transforms: z.string().min(1),
  'transforms.index.type': z.literal('org.apache.kafka.connect.transforms.RegexRouter'),
  'transforms.index.regex': z.string().min(1),
  // Elasticsearch index names: lowercase, no `\ / * ? " < > | , #` or spaces, not starting with `-_+`.
  'transforms.index.replacement': z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a lowercase index name'),
};

export const elasticsearchSinkSchema = baseConfigSchema
  .extend({ 'connector.class': z.literal('io.confluent.connect.elasticsearch.ElasticsearchSinkConnector'), ...searchFields, 'write.method': z.enum(['insert', 'upsert']) })
  .catchall(z.string());

export const opensearchSinkSchema = baseConfigSchema
  .extend({ 'connector.class': z.literal('io.aiven.kafka.connect.opensearch.OpensearchSinkConnector'), ...searchFields, 'index.write.method': z.enum(['insert', 'upsert']) })
  .catchall(z.string());

export type SearchConnection = Extract<Connection, { type: 'elasticsearch' | 'opensearch' }>;

export function buildSearchSink(input: SinkInput, connection: SearchConnection) {
  const s = input.sink;
  const keyed = s.upsert && s.keyColumns.length > 0;
  const single = keyed && s.keyColumns.length === 1 ? s.keyColumns[0] : undefined;
  const keyTransform: Record<string, string> = single ? { 'transforms.key.type': 'org.apache.kafka.connect.transforms.ExtractField$Key', 'transforms.key.field': single } : {};
  const auth: Record<string, string> = {
    ...(connection.user ? { 'connection.username': connection.user } : {}),
    ...(connection.password ? { 'connection.password': connection.password } : {}),
  };
  return {
    layout: connection.type === 'elasticsearch' ? 'elasticsearch-sink' : 'opensearch-sink',
    view: {
      name: input.name,
      tasksMax: String(input.tasksMax),
      topic: s.topic,
      url: connection.url,
      keyIgnore: String(!keyed),
      writeMethod: keyed ? 'upsert' : 'insert',
      transforms: single ? 'index,key' : 'index',
      index: s.object,
      extra: { ...sinkExtra(input), ...keyTransform, ...auth },
    },
  };
}
