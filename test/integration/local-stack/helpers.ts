/**
 * Small helpers for the local-stack smoke tests: Kafka clients (kafkajs), unique names, psql.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Admin, Producer } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { LocalEndpoints } from '../../../local/endpoints.ts';

/** A per-run suffix, so a re-run against a long-lived stack (PIPEC_LOCAL_EXTERNAL=1) never collides. */
export function unique(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export function kafka(endpoints: LocalEndpoints): Kafka {
  return new Kafka({ clientId: 'pipec-smoke', brokers: [endpoints.kafkaBootstrap], logLevel: logLevel.WARN, retry: { retries: 8 } });
}

export async function withAdmin<T>(endpoints: LocalEndpoints, f: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka(endpoints).admin();
  await admin.connect();
  try {
    return await f(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopics(endpoints: LocalEndpoints, topics: string[]): Promise<void> {
  await withAdmin(endpoints, (admin) => admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true }));
}

export async function produce(endpoints: LocalEndpoints, topic: string, messages: { key?: string; value: string }[]): Promise<void> {
  const producer: Producer = kafka(endpoints).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages: messages.map((m) => ({ key: m.key ?? null, value: m.value })) });
  } finally {
    await producer.disconnect();
  }
}

export interface Consumed {
  key: string | undefined;
  value: string | undefined;
  offset: string;
}

/** Reads a topic from the beginning until `count` records arrived (or `until` holds), then stops. */
export async function consume(endpoints: LocalEndpoints, topic: string, count: number, options: { timeoutMs?: number; until?: (records: Consumed[]) => boolean } = {}): Promise<Consumed[]> {
  const consumer = kafka(endpoints).consumer({ groupId: unique('smoke-reader'), sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const records: Consumed[] = [];
  // Topics created by a connector or a job appear late; subscribing before would fail.
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await withAdmin(endpoints, (admin) => admin.listTopics())).includes(topic)) {
    if (Date.now() > deadline) throw new Error(`topic ${topic} did not appear within ${options.timeoutMs ?? 60_000} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${records.length} of ${count} records from ${topic} within ${options.timeoutMs ?? 60_000} ms: ${JSON.stringify(records.map((r) => r.value))}`)), options.timeoutMs ?? 60_000);
      const done = (): boolean => (options.until ? options.until(records) : records.length >= count);
      void consumer.run({
        eachMessage: async ({ message }) => {
          records.push({ key: message.key?.toString(), value: message.value?.toString(), offset: message.offset });
          if (done()) {
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
