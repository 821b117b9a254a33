/**
 * The real Flink planner (1.20 and 2.2, from Maven Central) plans the hand-written job.sql fixtures in
 * fixtures/: good ones are accepted with the expected sink changelog modes, bad ones are rejected with Flink's
 * own message, and planning contacts neither Kafka nor the schema registry (both point at listening sockets
 * that count connections). One JVM per Flink line plans all fixtures.
 *
 * Needs Java 17+ and Maven; the first run downloads the jars (~160 MB per line).
 */
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLINK_LINE_NAMES, runFlinkPlanner, type FlinkLine, type PlannerResult, type PlannerRun } from '../../planner-check/index.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const LONG_NAME = 'very_long_name_' + 'x'.repeat(185);

/** What Flink must say about a fixture: accepted with these sinks (name → changelog mode), or rejected. */
type Expectation =
  | { ok: true; sinks: Readonly<Record<string, string>>; upsertMaterialize?: readonly string[]; warnings?: readonly RegExp[] }
  | { ok: false; message: RegExp; line: number; compiledPlan?: boolean };

type PerLine = Expectation | Readonly<Record<FlinkLine, Expectation>>;

function isPerLine(e: PerLine): e is Readonly<Record<FlinkLine, Expectation>> {
  return !('ok' in e);
}

const EXPECTED: Readonly<Record<string, PerLine>> = {
  // A group aggregate of an append stream (COUNT/SUM never retract) into an upsert sink: no UB (the upsert
  // sink does not need it) and no D.
  'ok-avro-upsert-aggregate.sql': { ok: true, sinks: { customer_totals: 'I,UA' } },
  'ok-window-tumble-append.sql': { ok: true, sinks: { orders_per_minute: 'I' } },
  'ok-dedupe.sql': { ok: true, sinks: { first_payment: 'I', latest_payment: 'I,UA,D' } },
  'ok-interval-join.sql': { ok: true, sinks: { orders_shipped: 'I' } },
  'ok-temporal-join.sql': { ok: true, sinks: { orders_eur: 'I' } },
  'ok-debezium-cdc.sql': { ok: true, sinks: { customer_emails: 'I,UA,D', customer_balances: 'I,UA,D' } },
  'ok-exactly-once.sql': { ok: true, sinks: { big_orders: 'I' } },
  'ok-statement-set-views.sql': { ok: true, sinks: { clicks_tagged: 'I', user_clicks: 'I,UA' } },
  'ok-adversarial-names.sql': { ok: true, sinks: { 'sink `with` ticks': 'I', [LONG_NAME]: 'I,UA' } },
  // The input's upsert key (id) is not the sink's key (email): UB is kept and a SinkUpsertMaterializer added.
  'ok-upsert-materialize.sql': { ok: true, sinks: { customers_by_email: 'I,UB,UA,D' }, upsertMaterialize: ['customers_by_email'] },
  'ok-deprecated-set-keys.sql': {
    ok: true,
    sinks: { b: 'I' },
    warnings: [/'state\.checkpoints\.dir' is a deprecated key of 'execution\.checkpointing\.dir'/, /'state\.savepoints\.dir' is a deprecated key of 'execution\.checkpointing\.savepoint-dir'/],
  },
  'harness-statement-forms.sql': { ok: true, sinks: { x: 'I', y: 'I' } },
  'version-dedupe-rowtime-first.sql': {
    '1.20': { ok: false, message: /Table sink 'default_catalog\.default_database\.first_payment' doesn't support consuming update and delete changes which is produced by node Deduplicate\(keep=\[FirstRow\], key=\[payment_id\], order=\[ROWTIME\]\)/, line: 29 },
    '2.2': { ok: true, sinks: { first_payment: 'I' } },
  },
  'version-removed-set-key.sql': {
    '1.20': { ok: true, sinks: { b: 'I' }, warnings: [/'table\.exec\.legacy-transformation-uids' is deprecated/] },
    '2.2': { ok: false, message: /SET 'table\.exec\.legacy-transformation-uids': no configuration option of Flink 2\.2\.\d+ has this key/, line: 3 },
  },
  'bad-unknown-column.sql': { ok: false, message: /ValidationException: SQL validation failed\..*From line 3, column 10 to line 3, column 21: Column 'amount_eur' not found in any table/, line: 27 },
  'bad-aggregate-into-append.sql': {
    ok: false,
    message: /TableException: Table sink 'default_catalog\.default_database\.totals' doesn't support consuming update changes which is produced by node GroupAggregate\(groupBy=\[customer_id\]/,
    line: 23,
  },
  // Comparisons with a character string (pipec's comparable()): both lines agree. BOOLEAN = string and
  // interval = string plan but are always false at runtime, so pipec refuses them although Flink does not.
  'ok-compare-string-coercions.sql': { ok: true, sinks: { out_number: 'I', out_date: 'I', out_bool: 'I', out_interval: 'I' } },
  'bad-compare-int-string-literal.sql': { ok: false, message: /ValidationException: implicit type conversion between INTEGER and CHAR is not supported now/, line: 29 },
  'bad-compare-decimal-string-column.sql': { ok: false, message: /ValidationException: implicit type conversion between DECIMAL and VARCHAR is not supported now/, line: 29 },
  'bad-compare-case-int-string.sql': { ok: false, message: /ValidationException: implicit type conversion between INTEGER and CHAR is not supported now/, line: 29 },
  'bad-compare-interval-string-order.sql': { ok: false, message: /CodeGenException: Unsupported cast from 'CHAR\(1\) NOT NULL' to 'INTERVAL SECOND\(3\) NOT NULL'/, line: 29 },
  'bad-compare-interval-string-in.sql': { ok: false, message: /CodeGenException: Unsupported cast from 'CHAR\(1\) NOT NULL' to 'INTERVAL SECOND\(3\) NOT NULL'/, line: 29 },
  'bad-unknown-set-key.sql': { ok: false, message: /SET 'table\.exec\.state\.tll': no configuration option of Flink/, line: 2 },
  // compilePlan accepts these; translating the plan (EXPLAIN ... JSON_EXECUTION_PLAN) creates the formats' schemas.
  'bad-avro-schema-mismatch.sql': { ok: false, message: /Schema provided for 'avro-confluent' format does not match the table schema/, line: 27, compiledPlan: true },
  'bad-avro-illegal-field-name.sql': { ok: false, message: /SchemaParseException: Illegal character in: it's/, line: 25, compiledPlan: true },
  'bad-protobuf-without-class.sql': { ok: false, message: /get dev\.pipec\.fixtures\.Person descriptors error![\s\S]*ClassNotFoundException/, line: 26, compiledPlan: true },
};

function expectationFor(file: string, line: FlinkLine): Expectation {
  const e = EXPECTED[file];
  if (!e) throw new Error(`no expectation for fixture ${file}: add one to EXPECTED`);
  return isPerLine(e) ? e[line] : e;
}

/** A TCP server that counts connections: planning must open none. */
async function countingServer(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, connections: () => count };
}

const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.sql')).sort();

describe('the Flink planner harness over the fixtures', () => {
  let kafka: Awaited<ReturnType<typeof countingServer>>;
  let registry: Awaited<ReturnType<typeof countingServer>>;
  const runs = new Map<FlinkLine, PlannerRun>();

  beforeAll(async () => {
    kafka = await countingServer();
    registry = await countingServer();
    const substitutions = {
      '${pipec:kafka.bootstrap_servers}': `127.0.0.1:${kafka.port}`,
      '${pipec:registry.url}': `http://127.0.0.1:${registry.port}`,
    };
    // One line after the other: two planning JVMs at once would only fight over 2 cores.
    for (const line of FLINK_LINE_NAMES) {
      runs.set(line, await runFlinkPlanner(fixtureFiles.map((f) => join(FIXTURES, f)), line, { substitutions, log: (l) => console.log(l) }));
    }
  });

  afterAll(async () => {
    await Promise.all([kafka, registry].filter((s) => s !== undefined).map((s) => new Promise<void>((ok) => s.server.close(() => ok()))));
  });

  it('has an expectation for every fixture', () => {
    for (const f of fixtureFiles) expect(EXPECTED, f).toHaveProperty([f]);
  });

  it('contacts neither Kafka nor the schema registry while planning', () => {
    expect(runs.size).toBe(FLINK_LINE_NAMES.length);
    expect(kafka.connections()).toBe(0);
    expect(registry.connections()).toBe(0);
  });

  describe.each(FLINK_LINE_NAMES)('Flink %s', (line) => {
    const resultOf = (file: string): PlannerResult => {
      const run = runs.get(line);
      const r = run?.results.find((x) => x.file.endsWith(`/${file}`));
      if (!r) throw new Error(`no result for ${file}`);
      return r;
    };

    it('is the Flink line asked for', () => {
      expect(runs.get(line)?.harness.flinkVersion).toMatch(new RegExp(`^${line.replace('.', '\\.')}\\.\\d+$`));
      expect(runs.get(line)?.results).toHaveLength(fixtureFiles.length);
    });

    it.each(fixtureFiles)('%s', (file) => {
      const r = resultOf(file);
      const want = expectationFor(file, line);
      if (want.ok) {
        expect(r.error?.message ?? '', `${file} should plan`).toBe('');
        expect(r.ok).toBe(true);
        expect(r.compiledPlan).toBe(true);
        expect(Object.fromEntries(r.sinks.map((s) => [s.table, s.changelogMode]))).toEqual(want.sinks);
        expect(r.sinks.filter((s) => s.upsertMaterialize).map((s) => s.table)).toEqual(want.upsertMaterialize ?? []);
        for (const w of want.warnings ?? []) expect(r.warnings.some((x) => w.test(x)), `warning ${String(w)} in ${JSON.stringify(r.warnings)}`).toBe(true);
        expect(r.warnings.filter((w) => w.includes('differ between the compiled plan') || w.startsWith('placeholders left'))).toEqual([]);
      } else {
        expect(r.ok).toBe(false);
        expect(r.error?.message).toMatch(want.message);
        expect(r.error?.line).toBe(want.line);
        if (want.compiledPlan !== undefined) expect(r.compiledPlan).toBe(want.compiledPlan);
      }
    });

    it('reports the rejected statement', () => {
      const r = resultOf('bad-unknown-column.sql');
      expect(r.error?.statement).toBe('INSERT INTO `out`\n  SELECT `order_id`,\n         `amount_eur`\n  FROM `orders`');
    });
  });
});
