/**
 * docs/language.md and the printer agree: every `pipe` block of the language reference that declares streams is
 * compiled over a world of sources with the columns the docs use, and each job is planned by the real Flink
 * planner of both lines. A block added to the docs must be placed here: the test fails on one it does not know.
 */
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RowField } from '../../../compiler/types/types.ts';
import { t } from '../../../compiler/types/types.ts';
import { checkWithFlinkPlanner } from '../../planner-check/index.ts';
import { compileFiles, configFor, staticSchemas, testSchemas } from '../../helpers/check.ts';

const DOCS = path.resolve(import.meta.dirname, '../../../docs/language.md');
const substitutions = { '${pipec:registry.url}': 'http://127.0.0.1:1', '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1' };

const s = (nullable = false) => t.string(nullable);
const ts = () => t.timestamp(3, false);
const money = () => t.decimal(12, 2, false);

/** The sources the docs' examples read, with the columns they use. */
const SCHEMAS: Readonly<Record<string, readonly RowField[]>> = {
  'payments-value': [
    { name: 'payment_id', type: s() }, { name: 'loan_id', type: s() }, { name: 'customer_id', type: s() }, { name: 'installment', type: t.int(false) },
    { name: 'amount', type: money() }, { name: 'currency', type: s() }, { name: 'status', type: s() }, { name: 'due_at', type: ts() }, { name: 'event_time', type: ts() },
    { name: 'reference', type: s(true) }, { name: 'tags', type: t.array(s(), false) }, { name: 'nickname', type: s(true) }, { name: 'first_name', type: s() },
  ],
  'loans.public.loans-value': testSchemas['loans.public.loans-value'] ?? [],
  'card-authorizations-value': [{ name: 'auth_id', type: s() }, { name: 'customer_id', type: s() }, { name: 'merchant_id', type: s() }, { name: 'amount', type: money() }, { name: 'country', type: s() }, { name: 'event_time', type: ts() }],
  'customer-logins-value': [{ name: 'customer_id', type: s() }, { name: 'country', type: s() }, { name: 'event_time', type: ts() }],
  'checkouts-value': [{ name: 'checkout_id', type: s() }, { name: 'items', type: t.array(t.row([{ name: 'sku', type: s() }, { name: 'quantity', type: t.int(false) }], false), false) }],
  ...Object.fromEntries(['eu', 'us', 'uk', 'ie'].map((r) => [`payments-${r}-value`, [{ name: 'payment_id', type: s() }, { name: 'amount', type: money() }]])),
  'orders-value': [{ name: 'order_id', type: s() }, { name: 'amount', type: money() }, { name: 'event_time', type: ts() }],
  'shipments-value': [{ name: 'shipment_id', type: s() }, { name: 'order_id', type: s() }, { name: 'event_time', type: ts() }],
  'exchange-rates-key': [{ name: 'currency', type: s() }],
  'exchange-rates-value': [{ name: 'currency', type: s() }, { name: 'rate', type: t.decimal(10, 4, false) }, { name: 'updated_at', type: ts() }],
  'app-events-value': [{ name: 'customer_id', type: s() }, { name: 'event_time', type: ts() }],
  'customers-value': [
    { name: 'a', type: t.int() }, { name: 'b', type: t.int() }, { name: 'c', type: t.int() }, { name: 'status', type: s() }, { name: 'amount', type: money() },
    { name: 'email', type: s() }, { name: 'paid', type: t.boolean(false) }, { name: 'waived', type: t.boolean(false) },
    { name: 'address', type: t.row([{ name: 'city', type: s() }], false) }, { name: 'tags', type: t.array(s(), false) },
    { name: 'attributes', type: t.map(s(), s(true), false) }, { name: 'first_name', type: s() }, { name: 'last_name', type: s() },
  ],
  'legacy-payments-value': [{ name: 'select', type: s() }, { name: 'order-id', type: s() }, { name: 'it`s', type: s() }, { name: 'Straße', type: s() }],
};

const SOURCES = `
source payments from kafka topic 'payments' format avro event time event_time watermark 5 s;
source loans from postgres table 'public.loans' via connection loans_db format avro primary key (loan_id)
  metadata (published_at from timestamp) event time changed_at = cast(published_at as timestamp(3)) watermark 0 s;
source card_authorizations from kafka topic 'card-authorizations' format avro event time event_time watermark 10 s;
source customer_logins from kafka topic 'customer-logins' format avro event time event_time watermark 10 s;
source checkouts from kafka topic 'checkouts' format avro;
source payments_eu from kafka topic 'payments-eu' format avro;
source payments_us from kafka topic 'payments-us' format avro;
source payments_uk from kafka topic 'payments-uk' format avro;
source payments_ie from kafka topic 'payments-ie' format avro;
source orders from kafka topic 'orders' format avro event time event_time watermark 5 s;
source shipments from kafka topic 'shipments' format avro event time event_time watermark 5 s;
source exchange_rates from kafka topic 'exchange-rates' format avro primary key (currency) event time updated_at watermark 0 s;
source app_events from kafka topic 'app-events' format avro event time event_time watermark 5 s;
source customers from kafka topic 'customers' format avro;
source \`legacy payments\` from kafka topic 'legacy-payments' format json;
stream hourly_volume as
  select window_start, window_end, merchant_id, sum(amount) as volume
  from card_authorizations window tumbling(event_time, 1 h)
  group by window_start, window_end, merchant_id;
`;

/** Blocks that declare streams, by their first stream's name; a block may need earlier blocks of the tour. */
const NEEDS: Readonly<Record<string, readonly string[]>> = { missed: ['enriched'], worst_customers: ['enriched', 'missed'] };
/** Blocks whose streams no sink format can write (NULL and INTERVAL columns): bound and checked, not planned. */
const UNWRITABLE: ReadonlySet<string> = new Set(['literals']);
/** Blocks that declare no stream (sources, headers, imports, sinks, comments): checked by the CLI's own tests. */
const DECLARATIONS_ONLY = 15;

interface Block { readonly first: string; readonly text: string; readonly streams: readonly string[] }

async function docsBlocks(): Promise<{ streamBlocks: Block[]; others: number }> {
  const text = await readFile(DOCS, 'utf8');
  const blocks = [...text.matchAll(/```pipe\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const streamBlocks: Block[] = [];
  let others = 0;
  for (const b of blocks) {
    const streams = [...b.matchAll(/^stream\s+(\S+)\s+as/gm)].map((m) => m[1] ?? '');
    if (streams.length === 0 || /^\s*(source|pipeline|import)\b/m.test(b)) {
      others++;
      continue;
    }
    streamBlocks.push({ first: streams[0] ?? '', text: b, streams });
  }
  return { streamBlocks, others };
}

/** The block as a pipeline with one JSON sink per stream (upsert by its first column when the stream is updating). */
function compileBlock(block: Block, all: readonly Block[], version: '1.20' | '2.2') {
  const needed = (NEEDS[block.first] ?? []).map((n) => all.find((b) => b.first === n)?.text ?? '');
  const body = (upsert: ReadonlySet<string>) => {
    const sinks = block.streams.map((name) => `sink ${name} into kafka topic '${name.replaceAll('`', '')}' format json${upsert.has(name) ? ` upsert key (${keyOf(name).join(', ')})` : ''};`);
    return `pipeline docs with (checkpoint = 10 s);\n${SOURCES}\n${needed.join('\n')}\n${block.text}\n${sinks.join('\n')}\n`;
  };
  // An upsert sink is keyed by its stream's own key (pipec refuses another: sink-key-mismatch), else its first column.
  const keyOf = (name: string): readonly string[] => {
    const probe = compileFiles({ 'docs.pipe': body(new Set()) }, staticSchemas(SCHEMAS), configFor(version));
    const stream = probe.program?.pipelines[0]?.streams.find((st) => st.name === name);
    const key = stream?.type.changelog.kind === 'updating' ? stream.type.changelog.key : undefined;
    return key ?? [stream?.type.columns[0]?.name ?? 'x'];
  };
  const first = compileFiles({ 'docs.pipe': body(new Set()) }, staticSchemas(SCHEMAS), configFor(version));
  const updating = new Set(first.program?.pipelines[0]?.streams.filter((st) => block.streams.includes(st.name) && st.type.changelog.kind === 'updating').map((st) => st.name) ?? []);
  return updating.size === 0 ? first : compileFiles({ 'docs.pipe': body(updating) }, staticSchemas(SCHEMAS), configFor(version));
}

describe.each(['1.20', '2.2'] as const)('Flink %s', (version) => {
  test('every stream example of docs/language.md compiles and plans', async () => {
    const { streamBlocks, others } = await docsBlocks();
    expect(others).toBe(DECLARATIONS_ONLY);
    const dir = await mkdtemp(path.join(tmpdir(), `pipec-docs-${version}-`));
    const files: string[] = [];
    const refused: string[] = [];
    for (const [i, block] of streamBlocks.entries()) {
      const result = compileBlock(block, streamBlocks, version);
      if (UNWRITABLE.has(block.first)) {
        expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).filter((c) => c !== 'sink-type-unsupported')).toEqual([]);
        continue;
      }
      const job = result.output?.artifacts.find((a) => a.path === 'docs/job.sql')?.contents;
      if (job === undefined) {
        refused.push(`${block.first}: ${result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`).join('; ')}`);
        continue;
      }
      const file = path.join(dir, `${i}-${block.first}`, 'job.sql');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, job);
      files.push(file);
    }
    expect(refused).toEqual([]);
    const results = await checkWithFlinkPlanner(files, version, { substitutions });
    expect(results.filter((r) => !r.ok).map((r) => `${path.basename(path.dirname(r.file))}: ${r.error?.message.split('\n')[0] ?? ''}`)).toEqual([]);
  });
});
