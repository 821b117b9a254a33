/**
 * The cost of the pipec-guard format on clean data (`npm run bench guard`): the same bounded job over the same
 * Avro topic, its source read with the plain `avro-confluent` format and with the guard as the runtime's
 * contract has it (targets/flink-sql/runtime/README.md: dead-letter mode, the raw key, the five metadata
 * columns, the good-rows filter and the dead-letter INSERT in one statement set). Runs alternate between the
 * variants so machine load spreads over both; each is measured from Flink's bookkeeping (job start → end) and
 * the Flink JVM's CPU time (jobs/run.ts). The target: the guard costs at most 5 % CPU.
 *
 * Environment: PIPEC_BENCH_GUARD_RECORDS (default 300000), PIPEC_BENCH_GUARD_RUNS (per variant, default 3);
 * the stack as in jobs/stack.ts (PIPEC_LOCAL_EXTERNAL, PIPEC_LOCAL_CONFIG, PIPEC_LOCAL_FLINK).
 */
import { loadavg } from 'node:os';
import avro from 'avsc';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { SchemaRegistryClient } from '../../clients/schema-registry.ts';
import { SqlGatewayClient } from '../../clients/sql-gateway.ts';
import type { LocalEndpoints } from '../../local/endpoints.ts';
import type { PreparedJob } from './jobs/prepare.ts';
import { runPrepared } from './jobs/run.ts';
import { deadLetterInsert, deadLetterSink, GUARD_METADATA_COLUMNS } from '../integration/runtime/contract-sql.ts';
import { acquireStack } from './jobs/stack.ts';
import { median } from './stats.ts';
import { muteKafkajsTimerWarning } from '../../clients/kafkajs-timer-warning.ts';

const RECORDS = Number(process.env['PIPEC_BENCH_GUARD_RECORDS'] ?? 300_000);
const RUNS = Number(process.env['PIPEC_BENCH_GUARD_RUNS'] ?? 3);
const schema: avro.Schema = { type: 'record', name: 'Order', namespace: 'bench', fields: [{ name: 'id', type: 'long' }, { name: 'amount', type: 'double' }, { name: 'note', type: 'string' }] };

export interface GuardBenchRow {
  readonly variant: string;
  readonly runs: number;
  readonly durationMs: number;
  readonly cpuSeconds: number;
  readonly recordsPerSecond: number;
}

export interface GuardBenchResult {
  readonly records: number;
  readonly loadAverage: number;
  readonly rows: readonly GuardBenchRow[];
}

async function load(endpoints: LocalEndpoints, topic: string, log: (line: string) => void): Promise<void> {
  const id = await new SchemaRegistryClient(endpoints.schemaRegistryUrl).register(`${topic}-value`, { schema: JSON.stringify(schema) });
  const type = avro.Type.forSchema(schema);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(id, 1);
  // kafkajs' own timer prints a warning on about every request (clients/kafkajs-timer-warning.ts).
  muteKafkajsTimerWarning();
  const kafka = new Kafka({ clientId: 'pipec-bench-guard', brokers: [endpoints.kafkaBootstrap], logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let from = 0; from < RECORDS; from += 10_000) {
    const messages = Array.from({ length: Math.min(10_000, RECORDS - from) }, (_, i) => ({
      key: Buffer.from(`k${from + i}`),
      value: Buffer.concat([head, type.toBuffer({ id: from + i, amount: (from + i) / 2, note: `order number ${from + i}` })]),
    }));
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
  log(`loaded ${RECORDS} records into ${topic}`);
}

const VARIANTS = ['plain', 'guard skip', 'guard dead-letter', 'guard dead-letter, object reuse', 'guard dead-letter, no headers'] as const;
type Variant = (typeof VARIANTS)[number];

function variants(endpoints: LocalEndpoints, topic: string, dlq: string): Record<Variant, PreparedJob> {
  const kafka = `'properties.bootstrap.servers' = '${endpoints.kafkaBootstrap}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset'`;
  const plainSource = (notNull: string, format: string): string => `CREATE TEMPORARY TABLE \`orders\` (\`id\` BIGINT${notNull}, \`amount\` DOUBLE${notNull}, \`note\` STRING${notNull}) WITH (
    'connector' = 'kafka', 'topic' = '${topic}', ${kafka}, ${format})`;
  const sink = "CREATE TEMPORARY TABLE `out` (`id` BIGINT, `amount` DOUBLE, `note` STRING) WITH ('connector' = 'blackhole')";
  const deadLetter = deadLetterJob(endpoints, topic, dlq, kafka, sink);
  return {
    plain: {
      setup: [plainSource(' NOT NULL', `'value.format' = 'avro-confluent', 'value.avro-confluent.url' = '${endpoints.schemaRegistryUrl}'`), sink],
      statement: 'INSERT INTO `out` SELECT `id`, `amount`, `note` FROM `orders`',
    },
    'guard skip': {
      setup: [
        plainSource('', `'value.format' = 'pipec-guard', 'value.pipec-guard.format' = 'avro-confluent', 'value.pipec-guard.on-error' = 'skip',
          'value.pipec-guard.not-null' = 'id;amount;note', 'value.pipec-guard.avro-confluent.url' = '${endpoints.schemaRegistryUrl}'`),
        sink,
      ],
      statement: 'INSERT INTO `out` SELECT `id`, `amount`, `note` FROM `orders`',
    },
    'guard dead-letter': deadLetter,
    'guard dead-letter, object reuse': { ...deadLetter, setup: ["SET 'pipeline.object-reuse' = 'true'", ...deadLetter.setup] },
    // What reading the original headers (a map per record) costs: the same job without them.
    'guard dead-letter, no headers': {
      setup: deadLetter.setup.map((s) => s.replace(/,\s*`pipec_headers` MAP<STRING, BYTES> METADATA FROM 'headers' VIRTUAL/, '')),
      statement: deadLetter.statement.replace('MAP_UNION(`pipec_headers`, MAP[', 'MAP_UNION(MAP[\'pipec.error.source\', CAST(\'orders\' AS BYTES)], MAP['),
    },
  };
}

function deadLetterJob(endpoints: LocalEndpoints, topic: string, dlq: string, kafka: string, sink: string): PreparedJob {
  return {
    setup: [
      `CREATE TEMPORARY TABLE \`orders\` (
        \`id\` BIGINT, \`amount\` DOUBLE, \`note\` STRING,
        \`pipec_error\` STRING, \`pipec_raw_value\` BYTES, \`pipec_raw_key\` BYTES,
        ${GUARD_METADATA_COLUMNS}
      ) WITH (
        'connector' = 'kafka', 'topic' = '${topic}', ${kafka},
        'key.format' = 'raw', 'key.fields' = 'pipec_raw_key', 'value.fields-include' = 'EXCEPT_KEY',
        'value.format' = 'pipec-guard', 'value.pipec-guard.format' = 'avro-confluent', 'value.pipec-guard.on-error' = 'dead-letter',
        'value.pipec-guard.not-null' = 'id;amount;note', 'value.pipec-guard.avro-confluent.url' = '${endpoints.schemaRegistryUrl}')`,
      sink,
      deadLetterSink('orders_dlq', dlq, `'properties.bootstrap.servers' = '${endpoints.kafkaBootstrap}'`),
    ],
    statement: `EXECUTE STATEMENT SET BEGIN
      INSERT INTO \`out\` SELECT \`id\`, \`amount\`, \`note\` FROM \`orders\` WHERE \`pipec_error\` IS NULL;
      ${deadLetterInsert('orders_dlq', 'orders')};
    END`,
  };
}

export async function benchGuard(log: (line: string) => void = (l) => console.error(l)): Promise<GuardBenchResult> {
  const stack = await acquireStack(log);
  try {
    const suffix = Date.now().toString(36);
    const topic = `bench-guard-${suffix}`;
    await load(stack.endpoints, topic, log);
    const gateway = new SqlGatewayClient(stack.endpoints.sqlGatewayUrl);
    const jobs = variants(stack.endpoints, topic, `bench-guard-dlq-${suffix}`);
    const measured = Object.fromEntries(VARIANTS.map((v) => [v, [] as { durationMs: number; cpuSeconds: number }[]]));
    // One untimed run of each warms the JVM (class loading, the registry client's cache).
    for (let run = -1; run < RUNS; run++) {
      for (const name of VARIANTS) {
        const m = await runPrepared(gateway, stack.endpoints.flinkRestUrl, stack.flinkPid, { jobs: [jobs[name]], sinks: [], statementSet: jobs[name].statement });
        if (run >= 0) measured[name]?.push({ durationMs: m.durationMs, cpuSeconds: m.cpuSeconds });
        log(`${name} run ${run + 1}: ${m.durationMs} ms, ${m.cpuSeconds.toFixed(2)} CPU s`);
      }
    }
    const rows = Object.entries(measured).map(([variant, ms]): GuardBenchRow => {
      const durationMs = median(ms.map((m) => m.durationMs));
      return { variant, runs: ms.length, durationMs, cpuSeconds: median(ms.map((m) => m.cpuSeconds)), recordsPerSecond: Math.round(RECORDS / (durationMs / 1000)) };
    });
    return { records: RECORDS, loadAverage: loadavg()[0] ?? 0, rows };
  } finally {
    await stack.release();
  }
}

export function printGuardBench(result: GuardBenchResult): void {
  const plain = result.rows.find((r) => r.variant === 'plain');
  console.log(`pipec-guard vs plain avro-confluent, ${result.records} clean records, median of the runs (load average ${result.loadAverage.toFixed(1)})`);
  console.table(result.rows.map((r) => ({
    variant: r.variant,
    runs: r.runs,
    'job ms': r.durationMs.toFixed(0),
    'records/s': r.recordsPerSecond,
    'Flink CPU s': r.cpuSeconds.toFixed(2),
    'CPU vs plain': plain ? `${(((r.cpuSeconds / plain.cpuSeconds) - 1) * 100).toFixed(1)} %` : '',
    'time vs plain': plain ? `${(((r.durationMs / plain.durationMs) - 1) * 100).toFixed(1)} %` : '',
  })));
}
