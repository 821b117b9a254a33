/**
 * Small helpers for the local-stack smoke tests: Kafka clients (kafkajs), unique names, psql.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { consumeTopic, kafkaClient, produceRecords, withAdmin as withKafkaAdmin, type IncomingRecord } from '../../../local/kafka-client.ts';
import type { LocalEndpoints } from '../../../local/endpoints.ts';

/** A per-run suffix, so a re-run against a long-lived stack (PIPEC_LOCAL_EXTERNAL=1) never collides. */
export function unique(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export function kafka(endpoints: LocalEndpoints): Kafka {
  return kafkaClient(endpoints.kafkaBootstrap, 'pipec-smoke');
}

export async function withAdmin<T>(endpoints: LocalEndpoints, f: (admin: Admin) => Promise<T>): Promise<T> {
  return withKafkaAdmin(kafka(endpoints), f);
}

export async function createTopics(endpoints: LocalEndpoints, topics: string[]): Promise<void> {
  await withAdmin(endpoints, (admin) => admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true }));
}

export async function produce(endpoints: LocalEndpoints, topic: string, messages: { key?: string; value: string }[]): Promise<void> {
  await produceRecords(kafka(endpoints), topic, messages.map((m) => ({ key: m.key ?? null, value: m.value })));
}

export interface Consumed {
  key: string | undefined;
  value: string | undefined;
  offset: string;
}

/**
 * Reads a topic from the beginning, as bytes, until `until` holds of the records that arrived, then stops; fails
 * when it does not within `timeoutMs`. Waits for the topic first: one a connector or a job creates appears late,
 * and subscribing before would fail.
 */
export async function consumeRecords(endpoints: LocalEndpoints, topic: string, options: { timeoutMs: number; until: (records: readonly IncomingRecord[]) => boolean; describe?: (records: readonly IncomingRecord[]) => string }): Promise<IncomingRecord[]> {
  const records: IncomingRecord[] = [];
  const deadline = Date.now() + options.timeoutMs;
  while (!(await withAdmin(endpoints, (admin) => admin.listTopics())).includes(topic)) {
    if (Date.now() > deadline) throw new Error(`topic ${topic} did not appear within ${options.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await consumeTopic(kafka(endpoints), topic, {
    groupId: unique('smoke-reader'),
    fromBeginning: true,
    signal: AbortSignal.timeout(options.timeoutMs),
    onRecord: (m) => {
      records.push(m);
      return options.until(records) ? 'stop' : undefined;
    },
  });
  if (!options.until(records)) throw new Error(`read ${records.length} records from ${topic} within ${options.timeoutMs} ms${options.describe ? `: ${options.describe(records)}` : ''}`);
  return records;
}

/** Reads a topic from the beginning as text until `count` records arrived (or `until` holds), then stops. */
export async function consume(endpoints: LocalEndpoints, topic: string, count: number, options: { timeoutMs?: number; until?: (records: Consumed[]) => boolean } = {}): Promise<Consumed[]> {
  const text = (records: readonly IncomingRecord[]): Consumed[] => records.map((m) => ({ key: m.key?.toString(), value: m.value?.toString(), offset: m.offset }));
  const done = (records: readonly IncomingRecord[]): boolean => (options.until ? options.until(text(records)) : records.length >= count);
  return text(await consumeRecords(endpoints, topic, { timeoutMs: options.timeoutMs ?? 60_000, until: done, describe: (records) => `expected ${count}, got ${JSON.stringify(text(records).map((r) => r.value))}` }));
}

/**
 * Every record of each topic, from the beginning up to its end as of the call (the high watermarks are read
 * first), as text, with one consumer for all the topics: a consumer group join costs seconds, once per reader.
 */
export async function readTopicsToEnd(endpoints: LocalEndpoints, topics: readonly string[], timeoutMs: number): Promise<Map<string, Consumed[]>> {
  const out = new Map<string, Consumed[]>(topics.map((topic) => [topic, []]));
  const ends = await withAdmin(endpoints, async (admin) => {
    const rows = await Promise.all(topics.map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, high: Number(p.high) }))));
    return rows.flat().filter((p) => p.high > 0);
  });
  if (ends.length === 0) return out;
  const left = new Set(ends.map((p) => `${p.topic}/${p.partition}`));
  const high = new Map(ends.map((p) => [`${p.topic}/${p.partition}`, p.high]));
  const consumer = kafka(endpoints).consumer({ groupId: unique('smoke-reader'), sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set(ends.map((p) => p.topic))], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${topics.join(', ')} to their ends: ${[...left].join(', ')} not done within ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const at = `${topic}/${partition}`;
            if (!left.has(at)) return;
            if (Number(message.offset) < (high.get(at) ?? 0)) out.get(topic)?.push({ key: message.key?.toString(), value: message.value?.toString(), offset: message.offset });
            if (Number(message.offset) + 1 >= (high.get(at) ?? 0)) left.delete(at);
            if (left.size === 0) {
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
  return out;
}

/** Runs SQL in the stack's PostgreSQL with psql (the machine's client; no Node driver needed). */
export function psql(endpoints: LocalEndpoints, sql: string): Promise<string> {
  const pg = endpoints.postgres;
  return new Promise((resolve, reject) => {
    execFile('psql', ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { env: { ...process.env, PGPASSWORD: pg.password } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`psql failed: ${stderr || error.message}\n  sql: ${sql}`));
      else resolve(stdout);
    });
  });
}
