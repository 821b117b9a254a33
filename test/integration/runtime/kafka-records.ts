/** Binary Kafka records for the runtime tests: produce with headers, read every record of a topic as bytes. */
import type { IHeaders } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { LocalEndpoints } from '../../../local/endpoints.ts';
import { kafka, unique } from '../local-stack/helpers.ts';

export interface RawRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly offset: number;
}

export async function produceRaw(endpoints: LocalEndpoints, topic: string, records: readonly { key: Buffer | null; value: Buffer; headers?: Record<string, string> }[]): Promise<void> {
  const producer = kafka(endpoints).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ?? {} })) });
  } finally {
    await producer.disconnect();
  }
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : String(v ?? '')]));
}

/** Reads the topic from its beginning until `count` records arrived; fails after `timeoutMs`. */
export async function consumeRaw(endpoints: LocalEndpoints, topic: string, count: number, timeoutMs = 120_000): Promise<RawRecord[]> {
  const consumer = kafka(endpoints).consumer({ groupId: unique('runtime-reader'), sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const records: RawRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${records.length} of ${count} records from ${topic} within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          records.push({ key: message.key, value: message.value, headers: headerText(message.headers), offset: Number(message.offset) });
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}
