/**
 * The escape hatch: any Kafka Connect sink class (`into connector '<class>'`) with the connection's properties
 * and the sink's `with (…)` properties, or a project's own layout (`into connector 'template:<name>'`, from
 * `connectors/<name>.hbs`), which gets the same view and is validated like every other config.
 */
import { z } from 'zod';
import type { Connection } from '../../compiler/config/schema.ts';
import { baseConfigSchema } from './common.ts';
import { deadLetterTopic } from '../../compiler/semantic/endpoints.ts';
import { sinkExtra, userOptions, type SinkInput } from './sink-common.ts';

export const genericSinkSchema = baseConfigSchema.extend({ topics: z.string().min(1) }).catchall(z.string());

export type GenericConnection = Extract<Connection, { type: 'connector' }>;

export const TEMPLATE_PREFIX = 'template:';

export function buildGenericSink(input: SinkInput, connection: GenericConnection) {
  return {
    layout: 'generic',
    view: {
      name: input.name,
      tasksMax: String(input.tasksMax),
      topic: input.sink.topic,
      connectorClass: input.sink.object,
      extra: { ...sinkExtra(input), ...connection.properties },
    },
  };
}

/** What a project's own layout can use. */
export function templateView(input: SinkInput, connection: GenericConnection) {
  const s = input.sink;
  return {
    name: input.name,
    tasksMax: String(input.tasksMax),
    topic: s.topic,
    keyColumns: s.keyColumns.join(','),
    upsert: s.upsert,
    columns: s.columns.map((c) => c.name),
    deadLetterTopic: deadLetterTopic(s.topic),
    connection: connection.properties,
    options: userOptions(s.options),
    extra: sinkExtra(input),
  };
}
