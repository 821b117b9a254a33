/**
 * Kafka clients (kafkajs) for the local stack: `pipec local produce` and `tail`, and the integration tests.
 * Edge (network).
 */
import type { Admin, IHeaders, Kafka as KafkaType } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { muteKafkajsTimerWarning } from '../clients/kafkajs-timer-warning.ts';

export function kafkaClient(bootstrap: string, clientId: string): KafkaType {
  // kafkajs' own timer prints a warning on about every request (clients/kafkajs-timer-warning.ts).
  muteKafkajsTimerWarning();
  return new Kafka({ clientId, brokers: bootstrap.split(',').map((b) => b.trim()), logLevel: logLevel.NOTHING, retry: { retries: 8 } });
}

export async function withAdmin<T>(client: KafkaType, f: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = client.admin();
  await admin.connect();
  try {
    return await f(admin);
  } finally {
    await admin.disconnect();
  }
}

export interface OutgoingRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  /** Milliseconds since the epoch, as text (kafkajs' form); absent: the producer's clock. */
  readonly timestamp?: string | undefined;
}

export async function produceRecords(client: KafkaType, topic: string, records: readonly OutgoingRecord[]): Promise<void> {
  const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }) })) });
  } finally {
    await producer.disconnect();
  }
}

export interface IncomingRecord {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders | undefined;
}

export interface ConsumeOptions {
  readonly groupId: string;
  readonly fromBeginning: boolean;
  /** Called per record in order; returning `stop` ends the reading. */
  readonly onRecord: (record: IncomingRecord) => Promise<'stop' | undefined> | 'stop' | undefined;
  /** Ends the reading from outside (Ctrl-C, a timeout). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Reads a topic until `onRecord` says stop or the signal aborts; resolves then (rejects when `onRecord` throws).
 * A new group reads from the beginning or from the end, as asked.
 */
export async function consumeTopic(client: KafkaType, topic: string, options: ConsumeOptions): Promise<void> {
  const consumer = client.consumer({ groupId: options.groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: options.fromBeginning });
    await new Promise<void>((resolve, reject) => {
      if (options.signal?.aborted) return resolve();
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
      let stopped = false;
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            if (stopped) return;
            try {
              const answer = await options.onRecord({ partition, offset: message.offset, timestamp: message.timestamp, key: message.key, value: message.value, headers: message.headers });
              if (answer === 'stop') {
                stopped = true;
                resolve();
              }
            } catch (e) {
              stopped = true;
              reject(e as Error);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
