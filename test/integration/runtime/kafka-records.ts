/** Binary Kafka records for the runtime tests: produce with headers, read every record of a topic as bytes. */
import type { IHeaders } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { LocalEndpoints } from '../../../local/endpoints.ts';
import { consumeRecords, kafka } from '../local-stack/helpers.ts';

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
  const records = await consumeRecords(endpoints, topic, { timeoutMs, until: (r) => r.length >= count, describe: () => `expected ${count}` });
  return records.map((m) => ({ key: m.key, value: m.value, headers: headerText(m.headers), offset: Number(m.offset) }));
}
