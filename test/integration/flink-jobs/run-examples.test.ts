/**
 * The example pipelines' generated jobs run for real on the local stack: Avro records (Confluent wire format,
 * schema registered in the registry) are produced into the source topic, the job.sql pipec generated is
 * submitted through the SQL Gateway as is, and the sink topic is read back and decoded through the registry.
 *
 * What the test changes in the generated job.sql, and why (nothing else is touched):
 * - the `${pipec:…}` placeholders are filled with the local stack's endpoints, as the deployer would;
 * - each Kafka topic name (and an exactly-once sink's transactional-id prefix) gets a per-run name, so the
 *   test runs again on a long-lived stack (PIPEC_LOCAL_EXTERNAL=1) without seeing an earlier run's records
 *   or transactions; the registry subjects are kept;
 * - SETs after the generated ones: `parallelism.default` = 1 (one source reader on the one-partition topic,
 *   so no idle reader holds the watermark back) and a 2 s checkpoint interval (exactly-once sinks only
 *   publish on a checkpoint; the generated 30 s would make the test slow, not different).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import type { Admin } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import { SqlGatewayClient } from '../../../clients/sql-gateway.ts';
import { fillPlaceholders } from '../../../stdlib/placeholders.ts';
import { decimalBytes, decimalString, frame } from '../../../compiler/cli/local/confluent-avro.ts';
import { withAdmin as withKafkaAdmin } from '../../../local/kafka-client.ts';
import { compileExamples, EXAMPLES } from '../../helpers/examples.ts';
import { splitJobSql } from '../../helpers/job-sql.ts';
import { unique } from '../local-stack/helpers.ts';
import { muteKafkajsTimerWarning } from '../../../clients/kafkajs-timer-warning.ts';

const endpoints = inject('pipecLocal');
const gateway = new SqlGatewayClient(endpoints.sqlGatewayUrl);
const flink = new FlinkRestClient(endpoints.flinkRestUrl);
const registry = new SchemaRegistryClient(endpoints.schemaRegistryUrl);
// kafkajs' own timer prints a warning on about every request (clients/kafkajs-timer-warning.ts).
muteKafkajsTimerWarning();
const kafka = new Kafka({ clientId: 'pipec-flink-jobs', brokers: [endpoints.kafkaBootstrap], logLevel: logLevel.WARN, retry: { retries: 8 } });

const schemaText = (file: string): string => readFileSync(path.join(EXAMPLES, 'schemas', file), 'utf8');
const paymentSchemaText = schemaText('payments-value.avsc');
const paymentType = avro.Type.forSchema(JSON.parse(paymentSchemaText) as avro.Schema);
const authorizationSchemaText = schemaText('card-authorizations-value.avsc');
const authorizationType = avro.Type.forSchema(JSON.parse(authorizationSchemaText) as avro.Schema);

const jobFailure = (job: string): Promise<string | undefined> => flink.failureCause(job);

const jobSql = new Map<string, string>();
const sessions: string[] = [];
const jobs: string[] = [];

beforeAll(async () => {
  const compiled = await compileExamples(endpoints.flinkLine);
  if (!compiled.output) throw new Error(`the examples do not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  for (const artifact of compiled.output.artifacts) {
    const match = /(?:^|\/)([a-z0-9_]+)\/job\.sql$/.exec(artifact.path);
    if (match?.[1]) jobSql.set(match[1], artifact.contents);
  }
});

afterAll(async () => {
  for (const job of jobs) await flink.cancel(job).catch(() => undefined);
  for (const session of sessions) await gateway.closeSession(session).catch(() => undefined);
});

// ---------------------------------------------------------------------------------------------------------
// Running a generated job

/** The generated job.sql with the stack's endpoints filled in and its topics renamed (see the file comment). */
function localJobSql(pipeline: string, topics: Readonly<Record<string, string>>): string {
  const generated = jobSql.get(pipeline);
  if (!generated) throw new Error(`no job.sql for ${pipeline} among the compiled examples: ${[...jobSql.keys()].join(', ')}`);
  let sql = fillPlaceholders(generated, {
    'kafka.bootstrap_servers': endpoints.kafkaBootstrap,
    'registry.url': endpoints.schemaRegistryUrl,
    'flink.plan_path': `file://${path.join(endpoints.dir, 'data', unique(pipeline))}.json`,
  }, 'sql-string');
  expect(sql).not.toMatch(/\$\{pipec:/);
  // Kafka keeps transactional ids across jobs; a per-run prefix keeps one run's transactions (and the
  // broker's memory of them) from changing how the next run's exactly-once sink starts.
  sql = sql.replace(/'sink\.transactional-id-prefix' = '([^']*)'/g, (_whole, prefix: string) => `'sink.transactional-id-prefix' = '${prefix}.${unique('run')}'`);
  for (const [from, to] of Object.entries(topics)) {
    const option = `'topic' = '${from}'`;
    // A topic the job does not read or write means the example changed; rename nothing silently.
    if (!sql.includes(option)) throw new Error(`${pipeline}/job.sql has no ${option}`);
    sql = sql.replaceAll(option, `'topic' = '${to}'`);
  }
  return sql;
}

const testOverrides = [`SET 'parallelism.default' = '1'`, `SET 'execution.checkpointing.interval' = '2 s'`];

/** Runs the statements in a fresh gateway session; returns the statement set's job id once it is RUNNING. */
async function runJob(sql: string): Promise<string> {
  const session = await gateway.openSession();
  sessions.push(session);
  const statements = splitJobSql(sql);
  const lastSet = statements.findLastIndex((s) => s.startsWith('SET '));
  statements.splice(lastSet + 1, 0, ...testOverrides);
  let job: string | undefined;
  for (const statement of statements) {
    if (statement.startsWith('EXECUTE STATEMENT SET')) {
      job = await gateway.executeInsert(session, statement);
      jobs.push(job);
    } else {
      await gateway.execute(session, statement);
    }
  }
  if (!job) throw new Error('job.sql has no EXECUTE STATEMENT SET');
  // Failing tasks restart forever (checkpointing is on), so look at the exceptions, not just the state.
  for (const deadline = Date.now() + 120_000; ; ) {
    const failure = await jobFailure(job);
    if (failure) throw new Error(`job ${job} failed: ${failure}`);
    if ((await flink.job(job)).state === 'RUNNING') break;
    if (Date.now() > deadline) throw new Error(`job ${job} is not RUNNING after 120 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return job;
}

// ---------------------------------------------------------------------------------------------------------
// Kafka and Avro (Confluent wire format)

function withAdmin<T>(f: (admin: Admin) => Promise<T>): Promise<T> {
  return withKafkaAdmin(kafka, f);
}

async function createTopics(topics: string[]): Promise<void> {
  await withAdmin((admin) => admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true }));
}

const writerTypes = new Map<number, avro.Type>();

/** Decodes a Confluent-framed Avro record with the writer schema the registry has under its id. */
async function decode(framed: Buffer): Promise<Record<string, unknown>> {
  expect(framed.readUInt8(0)).toBe(0);
  const id = framed.readUInt32BE(1);
  let type = writerTypes.get(id);
  if (!type) {
    type = avro.Type.forSchema(JSON.parse((await registry.schemaById(id)).schema) as avro.Schema);
    writerTypes.set(id, type);
  }
  return type.fromBuffer(framed.subarray(5)) as Record<string, unknown>;
}

interface Payment {
  payment_id: string;
  amount: string;
  currency: string;
  status: 'PAID' | 'MISSED' | 'LATE' | 'REFUNDED';
  event_time: number;
}

function paymentRecord(p: Payment): Record<string, unknown> {
  return {
    payment_id: p.payment_id,
    loan_id: `loan-${p.payment_id}`,
    customer_id: `customer-${p.payment_id}`,
    installment: 3,
    amount: decimalBytes(p.amount, 2),
    currency: p.currency,
    status: p.status,
    due_at: p.event_time - 86_400_000,
    event_time: p.event_time,
    retry_of: null,
  };
}

async function produce(topic: string, messages: { key: string; value: Buffer | string; timestamp: number }[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: messages.map((m) => ({ key: m.key, value: m.value, timestamp: String(m.timestamp) })) });
  } finally {
    await producer.disconnect();
  }
}

/** Produces payments in order, each with its event time as the Kafka timestamp. */
async function producePayments(topic: string, payments: Payment[]): Promise<void> {
  // The source table reads the writer schema by the id in each record, so it must be registered first.
  const schemaId = await registry.register('payments-value', { schema: paymentSchemaText });
  await produce(topic, payments.map((p) => ({ key: p.payment_id, value: frame(schemaId, paymentType.toBuffer(paymentRecord(p))), timestamp: p.event_time })));
}

interface Consumed {
  key: Buffer | null;
  value: Buffer | null;
}

/**
 * Reads a topic from the beginning (committed records only: kafkajs reads read_committed) until `done` holds,
 * then keeps reading until nothing new arrived for `quietMs`, so a wrong extra record fails the assertions
 * instead of going unseen.
 */
async function consumeUntil(topic: string, job: string, done: (records: Consumed[]) => Promise<boolean>, options: { timeoutMs?: number; quietMs?: number } = {}): Promise<Consumed[]> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const quietMs = options.quietMs ?? 8000;
  const consumer = kafka.consumer({ groupId: unique('pipec-flink-jobs-reader'), sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const records: Consumed[] = [];
  let timer: NodeJS.Timeout | undefined;
  let quiet: NodeJS.Timeout | undefined;
  let watch: NodeJS.Timeout | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${topic}: the expected records did not arrive within ${timeoutMs} ms (read ${records.length})`)), timeoutMs);
      // Fail fast, with Flink's reason, when the job breaks, instead of waiting out the timeout.
      watch = setInterval(() => {
        jobFailure(job).then((failure) => {
          if (failure) reject(new Error(`job ${job} failed while writing ${topic}: ${failure}`));
        }, reject);
      }, 2000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          records.push({ key: message.key, value: message.value });
          if (quiet) clearTimeout(quiet);
          if (quiet || (await done(records))) {
            clearTimeout(timer);
            quiet = setTimeout(resolve, quietMs);
          }
        },
      });
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(quiet);
    clearInterval(watch);
    await consumer.disconnect();
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------------

/** A minute boundary well in the past, so every window the test opens is old news to the job's clock. */
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const sec = (s: number): number => T0 + s * 1000;

describe('generated Flink jobs on the local stack', () => {
  it('payments_quality: an undecodable record goes to its dead-letter topic as it was, rows breaking a rule to theirs, named; the rest flow on', async () => {
    const source = unique('payments');
    const checked = unique('payments_checked');
    const rejected = unique('payments_rejected');
    const undecodable = unique('payments_undecodable');
    await createTopics([source, checked, rejected, undecodable]);
    const job = await runJob(localJobSql('payments_quality', { payments: source, 'payments.checked': checked, 'payments.rejected': rejected, 'payments.undecodable': undecodable }));

    await producePayments(source, [
      { payment_id: 'good', amount: '10.00', currency: 'EUR', status: 'PAID', event_time: sec(1) },
      { payment_id: 'negative', amount: '-5.00', currency: 'EUR', status: 'PAID', event_time: sec(2) },
      { payment_id: 'yen', amount: '7.00', currency: 'JPY', status: 'PAID', event_time: sec(3) },
    ]);
    const garbage = Buffer.from('not an avro record at all');
    await produce(source, [{ key: 'garbage', value: garbage, timestamp: sec(4) }]);
    await producePayments(source, [{ payment_id: 'later', amount: '3.00', currency: 'GBP', status: 'LATE', event_time: sec(5) }]);

    // The job keeps running past the undecodable record: the payment after it is checked too.
    const good = await consumeUntil(checked, job, async (r) => r.length >= 2);
    expect(await Promise.all(good.map(async (r) => (await decode(r.value ?? Buffer.alloc(0)))['payment_id']))).toEqual(['good', 'later']);
    const bad = await consumeUntil(rejected, job, async (r) => r.length >= 2);
    const named = await Promise.all(bad.map(async (r) => { const row = await decode(r.value ?? Buffer.alloc(0)); return [row['pipec_expectation'], row['payment_id']]; }));
    expect(named.sort()).toEqual([['known_currency', 'yen'], ['positive_amount', 'negative']]);
    const dead = await consumeUntil(undecodable, job, async (r) => r.length >= 1);
    expect(dead.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([['garbage', garbage.toString()]]);
  });

  it('payments_per_minute: a tumbling window aggregates per currency and status and fires on the watermark', async () => {
    const source = unique('payments');
    const sink = unique('payments_volume');
    await createTopics([source, sink]);
    const job = await runJob(localJobSql('payments_per_minute', { payments: source, 'payments.volume-per-minute': sink }));

    await producePayments(source, [
      { payment_id: 'p1', amount: '10.00', currency: 'EUR', status: 'PAID', event_time: sec(5) },
      { payment_id: 'p2', amount: '25.50', currency: 'EUR', status: 'PAID', event_time: sec(10) },
      { payment_id: 'p3', amount: '7.25', currency: 'EUR', status: 'MISSED', event_time: sec(20) },
      { payment_id: 'p4', amount: '100.00', currency: 'USD', status: 'PAID', event_time: sec(30) },
      { payment_id: 'p5', amount: '0.99', currency: 'USD', status: 'PAID', event_time: sec(59.999) },
      // Two minutes on: the watermark (event time − 5 s) passes the first window's end, so it fires; this
      // record's own window stays open and must not appear.
      { payment_id: 'p6', amount: '1.00', currency: 'EUR', status: 'PAID', event_time: sec(120) },
    ]);

    const records = await consumeUntil(sink, job, async (r) => r.length >= 3);
    const rows = await Promise.all(records.map(async (r) => decode(r.value ?? Buffer.alloc(0))));
    const normalized = rows
      .map((row) => ({
        window_start: row['window_start'],
        window_end: row['window_end'],
        currency: row['currency'],
        status: row['status'],
        payments: row['payments'],
        total_amount: decimalString(row['total_amount'] as Buffer, 2),
        largest_amount: decimalString(row['largest_amount'] as Buffer, 2),
      }))
      .sort((a, b) => `${String(a.currency)}/${String(a.status)}`.localeCompare(`${String(b.currency)}/${String(b.status)}`));
    const window = { window_start: T0, window_end: T0 + 60_000 };
    expect(normalized).toEqual([
      { ...window, currency: 'EUR', status: 'MISSED', payments: 1, total_amount: '7.25', largest_amount: '7.25' },
      { ...window, currency: 'EUR', status: 'PAID', payments: 2, total_amount: '35.50', largest_amount: '25.50' },
      { ...window, currency: 'USD', status: 'PAID', payments: 2, total_amount: '100.99', largest_amount: '100.00' },
    ]);
  });

  it('payments_dedupe: one row per payment id in the upsert topic, the first in event time', async () => {
    const source = unique('payments');
    const sink = unique('payments_unique');
    await createTopics([source, sink]);
    const job = await runJob(localJobSql('payments_dedupe', { payments: source, 'payments.unique': sink }));

    await producePayments(source, [
      { payment_id: 'a', amount: '10.00', currency: 'EUR', status: 'PAID', event_time: sec(10) },
      { payment_id: 'b', amount: '20.00', currency: 'EUR', status: 'PAID', event_time: sec(12) },
      // A retry published twice, later in event time: dropped.
      { payment_id: 'a', amount: '10.00', currency: 'EUR', status: 'LATE', event_time: sec(15) },
      { payment_id: 'a', amount: '10.00', currency: 'EUR', status: 'LATE', event_time: sec(16) },
      { payment_id: 'c', amount: '30.00', currency: 'USD', status: 'PAID', event_time: sec(20) },
      // A duplicate that arrives late but carries an earlier event time replaces c's row.
      { payment_id: 'c', amount: '31.00', currency: 'USD', status: 'MISSED', event_time: sec(18) },
    ]);

    const latest = new Map<string, Record<string, unknown>>();
    const keys: string[] = [];
    const fold = async (records: Consumed[]): Promise<void> => {
      latest.clear();
      keys.length = 0;
      for (const r of records) {
        const id = String((await decode(r.key ?? Buffer.alloc(0)))['payment_id']);
        keys.push(id);
        // A null value would be a tombstone (a deleted key); dedupe never deletes, so keep it visible.
        latest.set(id, r.value ? await decode(r.value) : { tombstone: true });
      }
    };
    const records = await consumeUntil(sink, job, async (r) => {
      await fold(r);
      const c = latest.get('c')?.['amount'];
      return latest.size >= 3 && Buffer.isBuffer(c) && decimalString(c, 2) === '31.00';
    });
    await fold(records);

    const view = (id: string): Record<string, unknown> => {
      const row = latest.get(id) ?? {};
      return { payment_id: row['payment_id'], amount: decimalString(row['amount'] as Buffer, 2), currency: row['currency'], status: row['status'], event_time: row['event_time'] };
    };
    expect([...latest.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(view('a')).toEqual({ payment_id: 'a', amount: '10.00', currency: 'EUR', status: 'PAID', event_time: sec(10) });
    expect(view('b')).toEqual({ payment_id: 'b', amount: '20.00', currency: 'EUR', status: 'PAID', event_time: sec(12) });
    expect(view('c')).toEqual({ payment_id: 'c', amount: '31.00', currency: 'USD', status: 'MISSED', event_time: sec(18) });
    // a and b are written once; c once as first seen and once when the earlier duplicate replaced it.
    expect(keys.filter((k) => k === 'a')).toHaveLength(1);
    expect(keys.filter((k) => k === 'c')).toHaveLength(2);
  });

  it('fraud_login_country: an interval join of an Avro and a JSON topic flags card use abroad within 10 minutes of a log-in', async () => {
    const authorizations = unique('card_authorizations');
    const logins = unique('customer_logins');
    const sink = unique('suspicious_authorizations');
    await createTopics([authorizations, logins, sink]);
    const job = await runJob(localJobSql('fraud_login_country', { 'card-authorizations': authorizations, 'customer-logins': logins, 'risk.suspicious-authorizations': sink }));

    // JSON log-ins: event_time is an instant (TIMESTAMP_LTZ, ISO-8601); the job casts it to TIMESTAMP(3) in the
    // session time zone, which is UTC on this stack, so it lines up with the Avro event times (UTC millis).
    const login = (login_id: string, customer_id: string, country: string, at: number): { key: string; value: string; timestamp: number } => ({
      key: customer_id,
      value: JSON.stringify({ login_id, customer_id, country, ip: `10.0.0.${login_id.length}`, device: null, event_time: new Date(at).toISOString() }),
      timestamp: at,
    });
    await produce(logins, [login('l1', 'c1', 'DE', sec(0)), login('l22', 'c2', 'US', sec(0))]);

    const schemaId = await registry.register('card-authorizations-value', { schema: authorizationSchemaText });
    const auth = (auth_id: string, customer_id: string, country: string, approved: boolean, at: number, amount: string): { key: string; value: Buffer; timestamp: number } => ({
      key: auth_id,
      // A terminal (a nullable record with a record inside) on every other one: Flink reads it through the pinned
      // reader schema, whose variant with nullable fields resolves the registered record by its alias.
      value: frame(schemaId, authorizationType.toBuffer({ auth_id, customer_id, merchant_id: `m-${auth_id}`, amount: decimalBytes(amount, 2), currency: 'EUR', country, approved, event_time: at, terminal: auth_id.length % 2 === 0 ? { terminal_id: `t-${auth_id}`, location: { city: 'Paris', country } } : null })),
      timestamp: at,
    });
    await produce(authorizations, [
      auth('a1', 'c1', 'FR', true, sec(120), '99.90'), // abroad, 2 min after the log-in: flagged
      auth('a2', 'c1', 'DE', true, sec(130), '5.00'), // at home: not flagged
      auth('a3', 'c1', 'FR', false, sec(140), '500.00'), // declined: not flagged
      auth('a5', 'c2', 'US', true, sec(200), '7.00'), // at home: not flagged
      auth('a6', 'c3', 'GB', true, sec(250), '8.00'), // no log-in at all: not flagged
      auth('a7', 'c2', 'CA', true, sec(300), '1234.56'), // abroad, 5 min after: flagged
      auth('a4', 'c1', 'FR', true, sec(900), '42.00'), // abroad but 15 min after the log-in: not flagged
    ]);

    const records = await consumeUntil(sink, job, async (r) => r.length >= 2);
    const rows = await Promise.all(records.map(async (r) => decode(r.value ?? Buffer.alloc(0))));
    const normalized = rows
      .map((row): Record<string, unknown> => ({ ...row, amount: decimalString(row['amount'] as Buffer, 2) }))
      .sort((a, b) => String(a['auth_id']).localeCompare(String(b['auth_id'])));
    expect(normalized).toEqual([
      { auth_id: 'a1', customer_id: 'c1', merchant_id: 'm-a1', amount: '99.90', auth_country: 'FR', login_country: 'DE', login_ip: '10.0.0.2', event_time: sec(120) },
      { auth_id: 'a7', customer_id: 'c2', merchant_id: 'm-a7', amount: '1234.56', auth_country: 'CA', login_country: 'US', login_ip: '10.0.0.3', event_time: sec(300) },
    ]);
    // The sink is keyed by customer id (Avro through the registry too).
    const keys = await Promise.all(records.map(async (r) => (await decode(r.key ?? Buffer.alloc(0)))['customer_id']));
    expect(keys.sort()).toEqual(['c1', 'c2']);
  });
});
