/**
 * The input of the job benchmark: deterministic records for the example pipelines' source topics, in the
 * formats the generated jobs read (Avro in the Confluent wire format with the example schemas, registered
 * in the registry first; Debezium envelopes for the loans CDC topic). Loaded once per bench run into fresh
 * topics; every variant and every repetition reads the same records.
 *
 * Produced from Node (avsc + kafkajs) rather than by a Flink datagen job: Flink's Avro writer cannot write
 * the payments schema's enum from a STRING column, nor a Debezium envelope with the exact schema Debezium
 * registers, and the records must be exactly what the generated source tables declare.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import type { Kafka, Message } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import { decimalBytes, frame } from '../../../compiler/cli/local/confluent-avro.ts';
import { EXAMPLES } from '../../helpers/examples.ts';

/** Event times start here and advance STEP_MS per record: a steady stream, minute after minute. */
export const T0 = Date.UTC(2026, 0, 15, 0, 0, 0);
const STEP_MS = 10;
/** Versioned tables (loans, merchants) are published an hour before the first event that joins them. */
const TABLE_TIME = T0 - 3_600_000;
const LOANS = 10_000;
const MERCHANTS = 500;
const CUSTOMERS = 7919;
/**
 * The records' timestamps are their event times, months old by the broker's clock: with the default 7-day
 * retention the broker would delete them at its next retention check (every 5 min), in the middle of a run.
 */
export const KEEP_FOREVER = [{ name: 'retention.ms', value: '-1' }];
/** Input topics have as many partitions as the generated jobs' parallelism, so every reader has work. */
export const INPUT_PARTITIONS = 2;

export interface InputTopics {
  readonly payments: string;
  readonly loans: string;
  readonly cardAuthorizations: string;
  readonly merchants: string;
}

export interface LoadedInput {
  readonly topics: InputTopics;
  /** Records per topic, the denominators of records/s. */
  readonly counts: { readonly payments: number; readonly loans: number; readonly cardAuthorizations: number; readonly merchants: number };
  readonly produceMs: number;
}

const schemaText = (file: string): string => readFileSync(path.join(EXAMPLES, 'schemas', file), 'utf8');
const typeOf = (text: string): avro.Type => avro.Type.forSchema(JSON.parse(text) as avro.Schema);

/**
 * The i-th payment. Every 10th record (i ≡ 7) is a retry of payment i−3 published again later (dedupe drops
 * it); every 25th (i ≡ 11) repeats payment i−2 with an event time 40 ms earlier than the original's, so it
 * arrives later but is first in event time (dedupe replaces the row it emitted). Both stay far inside the
 * 5 s watermark delay, so no record is late.
 */
function payment(i: number): { key: string; record: Record<string, unknown>; time: number } {
  const original = (n: number): number => (n % 10 === 7 ? original(n - 3) : n % 25 === 11 ? original(n - 2) : n);
  const o = original(i);
  const id = `pay-${o}`;
  const retry = i % 10 === 7;
  const earlier = i % 25 === 11;
  const time = T0 + i * STEP_MS - (earlier ? 2 * STEP_MS + 40 : 0);
  const status = retry ? 'LATE' : o % 20 === 0 ? 'MISSED' : o % 20 === 1 ? 'REFUNDED' : 'PAID';
  const cents = 100 + ((o * 7919 + (earlier ? 13 : 0)) % 99_900);
  const record = {
    payment_id: id,
    loan_id: `loan-${o % LOANS}`,
    customer_id: `customer-${o % CUSTOMERS}`,
    installment: (o % 12) + 1,
    amount: decimalBytes((cents / 100).toFixed(2), 2),
    currency: ['EUR', 'USD', 'GBP', 'PLN'][o % 4] ?? 'EUR',
    status,
    due_at: T0 + o * STEP_MS - 86_400_000,
    event_time: time,
    retry_of: retry ? id : null,
  };
  return { key: id, record, time };
}

/** A Debezium snapshot read ('r') of one loans row, as the Debezium PostgreSQL connector publishes it. */
function loan(j: number): Record<string, unknown> {
  const row = {
    loan_id: `loan-${j}`,
    customer_id: `customer-${j % CUSTOMERS}`,
    merchant_id: `m-${j % MERCHANTS}`,
    principal: decimalBytes(`${1000 + (j % 9000)}.00`, 2),
    installments: 12,
    status: 'OPEN',
    opened_at: (TABLE_TIME - 86_400_000) * 1000,
  };
  return { before: null, after: row, source: { db: 'lending', schema: 'public', table: 'loans', ts_ms: TABLE_TIME, lsn: j }, op: 'r', ts_ms: TABLE_TIME };
}

function cardAuthorization(k: number): { key: string; record: Record<string, unknown>; time: number } {
  const time = T0 + k * STEP_MS;
  const cents = 100 + ((k * 104_729) % 49_900);
  const record = {
    auth_id: `auth-${k}`,
    customer_id: `customer-${k % CUSTOMERS}`,
    merchant_id: `m-${(k * 31) % MERCHANTS}`,
    amount: decimalBytes((cents / 100).toFixed(2), 2),
    currency: 'EUR',
    country: ['DE', 'FR', 'NL', 'PL'][k % 4] ?? 'DE',
    approved: k % 10 !== 0,
    event_time: time,
  };
  return { key: record.auth_id, record, time };
}

function merchant(m: number): Record<string, unknown> {
  return { merchant_id: `m-${m}`, name: `Merchant ${m}`, category: `category-${m % 20}`, risk_tier: m % 5, updated_at: TABLE_TIME };
}

async function produceAll(kafka: Kafka, topic: string, count: number, message: (i: number) => Message, onProgress: (done: number) => void): Promise<void> {
  // The Java client's partitioner (murmur2 of the key), so a payment's duplicates share a partition.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    // One batch at a time: batches in flight together may land out of order, and a batch written after a
    // later one is 50 s of event time behind the watermark — late records a window aggregate drops.
    const batch = 10_000;
    for (let start = 0; start < count; start += batch) {
      const messages: Message[] = [];
      for (let i = start; i < Math.min(count, start + batch); i++) messages.push(message(i));
      await producer.send({ topic, messages, acks: 1 });
      onProgress(Math.min(count, start + batch));
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Creates the input topics (names with the run's suffix) and fills them: `records` payments and as many
 * card authorizations, plus the versioned tables (10,000 loans, 500 merchants).
 */
export async function loadInput(kafka: Kafka, registry: SchemaRegistryClient, suffix: string, records: number, log: (line: string) => void): Promise<LoadedInput> {
  const topics: InputTopics = {
    payments: `bench.payments.${suffix}`,
    loans: `bench.loans.${suffix}`,
    cardAuthorizations: `bench.card-authorizations.${suffix}`,
    merchants: `bench.merchants.${suffix}`,
  };
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: INPUT_PARTITIONS, replicationFactor: 1, configEntries: KEEP_FOREVER })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }

  // The generated source tables name these subjects; the job reads each record's writer schema by its id.
  const texts = {
    payments: schemaText('payments-value.avsc'),
    loans: schemaText('loans.public.loans-value.avsc'),
    cardAuthorizations: schemaText('card-authorizations-value.avsc'),
    merchantKey: schemaText('merchants-key.avsc'),
    merchantValue: schemaText('merchants-value.avsc'),
  };
  const ids = {
    payments: await registry.register('payments-value', { schema: texts.payments }),
    loans: await registry.register('loans.public.loans-value', { schema: texts.loans }),
    cardAuthorizations: await registry.register('card-authorizations-value', { schema: texts.cardAuthorizations }),
    merchantKey: await registry.register('merchants-key', { schema: texts.merchantKey }),
    merchantValue: await registry.register('merchants-value', { schema: texts.merchantValue }),
  };
  const types = {
    payments: typeOf(texts.payments),
    loans: typeOf(texts.loans),
    cardAuthorizations: typeOf(texts.cardAuthorizations),
    merchantKey: typeOf(texts.merchantKey),
    merchantValue: typeOf(texts.merchantValue),
  };

  const t0 = performance.now();
  const progress = (what: string, total: number) => (done: number): void => {
    if (done === total || done % 100_000 === 0) log(`  loaded ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} ${what}`);
  };
  await produceAll(kafka, topics.loans, LOANS, (j) => ({ key: `loan-${j}`, value: frame(ids.loans, types.loans.toBuffer(loan(j))), timestamp: String(TABLE_TIME) }), progress('loans', LOANS));
  await produceAll(
    kafka,
    topics.merchants,
    MERCHANTS,
    (m) => ({ key: frame(ids.merchantKey, types.merchantKey.toBuffer({ merchant_id: `m-${m}` })), value: frame(ids.merchantValue, types.merchantValue.toBuffer(merchant(m))), timestamp: String(TABLE_TIME) }),
    progress('merchants', MERCHANTS),
  );
  await produceAll(
    kafka,
    topics.payments,
    records,
    (i) => {
      const p = payment(i);
      return { key: p.key, value: frame(ids.payments, types.payments.toBuffer(p.record)), timestamp: String(p.time) };
    },
    progress('payments', records),
  );
  await produceAll(
    kafka,
    topics.cardAuthorizations,
    records,
    (k) => {
      const a = cardAuthorization(k);
      return { key: a.key, value: frame(ids.cardAuthorizations, types.cardAuthorizations.toBuffer(a.record)), timestamp: String(a.time) };
    },
    progress('card authorizations', records),
  );
  return { topics, counts: { payments: records, loans: LOANS, cardAuthorizations: records, merchants: MERCHANTS }, produceMs: performance.now() - t0 };
}
