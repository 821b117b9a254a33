/**
 * What a run wrote, reduced to a row count and an order-independent checksum, so the generated and the
 * hand-written job (and the variants of one pipeline) can be shown to produce the same result.
 *
 * Rows are decoded with their writer schema (from the registry, by the id in each record) and compared as
 * values, so two jobs whose sink schemas differ only in record names still compare equal. An append topic's
 * result is the multiset of its rows; an upsert topic's is its final table: the last value per key, a null
 * value deleting the key.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import avro from 'avsc';
import type { Kafka } from 'kafkajs';
import type { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import type { SinkTopic } from './prepare.ts';

export interface TopicResult {
  /** Rows in the result (final table rows for an upsert topic). */
  readonly rows: number;
  /** Records in the topic (every change for an upsert topic). */
  readonly records: number;
  /** Sum of the rows' SHA-256 prefixes modulo 2^64, in hex: equal multisets give equal sums. */
  readonly checksum: string;
}

/** JSON with sorted keys and bytes as hex, so equal values print equally. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (o['type'] === 'Buffer' && Array.isArray(o['data'])) return Buffer.from(o['data'] as number[]).toString('hex');
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return v;
  });
}

export class OutputReader {
  private readonly types = new Map<number, avro.Type>();
  private readonly kafka: Kafka;
  private readonly registry: SchemaRegistryClient;

  constructor(kafka: Kafka, registry: SchemaRegistryClient) {
    this.kafka = kafka;
    this.registry = registry;
  }

  private async decode(framed: Buffer): Promise<string> {
    if (framed.length < 5 || framed.readUInt8(0) !== 0) return framed.toString('hex'); // not Avro: raw bytes
    const id = framed.readUInt32BE(1);
    let type = this.types.get(id);
    if (!type) {
      type = avro.Type.forSchema(JSON.parse((await this.registry.schemaById(id)).schema) as avro.Schema);
      this.types.set(id, type);
    }
    return canonical(type.fromBuffer(framed.subarray(5)));
  }

  /**
   * Reads the whole topic. The job that wrote it has finished (its transactions are committed), so the
   * topic no longer changes: read until every partition reached the end offset it had when reading began.
   */
  async read(sink: SinkTopic, dumpFile?: string): Promise<TopicResult> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = new Map<number, bigint>();
    try {
      for (const p of await admin.fetchTopicOffsets(sink.topic)) ends.set(p.partition, BigInt(p.high));
    } finally {
      await admin.disconnect();
    }
    const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
    const rows: string[] = [];
    const table = new Map<string, string>();
    let records = 0;
    if (pending.size > 0) {
      const consumer = this.kafka.consumer({ groupId: `bench-reader-${sink.topic}`, maxBytes: 64 << 20 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: sink.topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${sink.topic}: not read to its end within 5 min (${records} records)`)), 5 * 60_000);
          consumer
            .run({
              eachBatch: async ({ batch }) => {
                for (const m of batch.messages) {
                  records++;
                  const value = m.value ? await this.decode(m.value) : undefined;
                  if (!sink.upsert) rows.push(value ?? 'null');
                  else {
                    const key = m.key ? await this.decode(m.key) : 'null';
                    if (value === undefined) table.delete(key);
                    else table.set(key, value);
                  }
                }
                // A transactional topic ends with a commit marker, which is never delivered: its data ends one offset earlier.
                const next = BigInt(batch.lastOffset()) + 1n;
                if (next >= (ends.get(batch.partition) ?? 0n) - (sink.transactional ? 1n : 0n)) pending.delete(batch.partition);
                if (pending.size === 0) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
    }
    const result = sink.upsert ? [...table].map(([k, v]) => `${k}=${v}`) : rows;
    if (dumpFile) writeFileSync(dumpFile, `${[...result].sort().join('\n')}\n`);
    let sum = 0n;
    for (const row of result) sum = (sum + createHash('sha256').update(row).digest().readBigUInt64BE(0)) & 0xffff_ffff_ffff_ffffn;
    return { rows: result.length, records, checksum: sum.toString(16).padStart(16, '0') };
  }
}
