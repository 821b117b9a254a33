/**
 * Kafka records → readable rows for `pipec local tail`. A value in the Confluent wire format (magic byte 0, schema
 * id) is decoded with the registry's schema of that id (Avro; JSON Schema's payload is JSON), any other value as
 * JSON, else as text. When the topic is a sink or source of the deployed build, each column is spelled as in test
 * files (its canonical value for the column's type), so a tailed row can be pasted into an `expect:` block.
 */
import avro from 'avsc';
import { stringify } from 'yaml';
import { canonicalize } from '../../testing/values.ts';
import type { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import type { IncomingRecord } from '../../../local/kafka-client.ts';
import { fromAvroDatum, type AvroSchema } from './avro-values.ts';
import type { TopicShape } from './targets.ts';

export type Decoder = (bytes: Buffer | null) => Promise<unknown>;

export function createDecoder(registry: SchemaRegistryClient): Decoder {
  const writers = new Map<number, Promise<(payload: Buffer) => unknown>>();
  const writer = (id: number): Promise<(payload: Buffer) => unknown> => {
    let w = writers.get(id);
    if (!w) {
      w = registry.schemaById(id).then((s) => {
        if (s.schemaType !== 'AVRO') return (payload: Buffer) => parseText(payload);
        const schema = JSON.parse(s.schema) as AvroSchema;
        const type = avro.Type.forSchema(schema as avro.Schema);
        return (payload: Buffer) => fromAvroDatum(type.fromBuffer(payload), schema);
      });
      writers.set(id, w);
    }
    return w;
  };
  return async (bytes) => {
    if (bytes === null) return null;
    if (bytes.length >= 5 && bytes[0] === 0) return (await writer(bytes.readUInt32BE(1)))(bytes.subarray(5));
    return parseText(bytes);
  };
}

function parseText(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A decoded value with each known column in its canonical spelling, in the columns' order. */
export function readableRow(value: unknown, shape: TopicShape | undefined): unknown {
  if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const given = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const c of shape.valueColumns) {
    if (!(c.name in given)) continue;
    const v = canonicalize(given[c.name], c.type);
    out[c.name] = v.ok ? v.value : given[c.name];
  }
  for (const [k, v] of Object.entries(given)) if (!(k in out)) out[k] = v;
  return out;
}

/** One line per record, as a test file's row: `- { window_start: 2026-01-01T10:00:00, orders: 2 }`. */
export function rowLine(row: unknown, key: unknown, record: Pick<IncomingRecord, 'value'>): string {
  const flow = (v: unknown): string => stringify(v, { collectionStyle: 'flow', lineWidth: 0, singleQuote: true }).trimEnd();
  if (record.value === null) return `- null  # deleted: key ${flow(key)}`;
  return `- ${flow(row)}`;
}
