/**
 * Common mistakes, each with the exact diagnostics pipec shows for it, in order: usually exactly one, at the
 * cause. The project is the example project (pipec.yaml, schemas/, shared/sources.pipe) with the case's files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLES } from '../../helpers/examples.ts';
import type { Mistake } from './run.ts';

const sharedSources = readFileSync(path.join(EXAMPLES, 'shared/sources.pipe'), 'utf8');

const header = "pipeline p;\nimport payments, merchants, loans, customer_logins from 'shared/sources.pipe';\n";
/** A pipeline file `p.pipe` made of the header (line 1–2) and `body` (from line 3). */
const pipeline = (body: string): Readonly<Record<string, string>> => ({ 'p.pipe': `${header}${body}\n` });

const sinkS = "sink s into kafka topic 'out' format avro;";
/** A join that loses the stream's key, and an upsert sink keyed by a column (a `sink-key-not-unique` warning). */
const joinedByCustomer = [
  'stream s as select p.payment_id, l.customer_id from payments p join loans l on p.loan_id = l.loan_id;',
  "sink s into kafka topic 'out' format avro upsert key (customer_id);",
] as const;

export const MISTAKES: readonly Mistake[] = [
  // ── schemas and configuration ──────────────────────────────────────────────────────────────────
  {
    name: 'a schema file is missing',
    files: { ...pipeline(`stream s as select payment_id, amount from payments where status = 'MISSED';\n${sinkS}`), 'schemas/payments-value.avsc': null },
    expected: ['local-schema-not-found shared/sources.pipe:4:22'],
    exit: 1,
  },

  {
    name: 'a schema file is misnamed',
    files: { ...pipeline(`stream s as select payment_id from payments;\n${sinkS}`), 'schemas/payments-value.avsc': null, 'schemas/payment-value.avsc': '{"type": "record", "name": "P", "fields": [{"name": "payment_id", "type": "string"}]}' },
    expected: ['local-schema-not-found shared/sources.pipe:4:22'],
    exit: 1,
  },
  {
    name: 'a schema file is not valid JSON',
    files: { ...pipeline(`stream s as select payment_id, p.amount from payments p;\n${sinkS}`), 'schemas/payments-value.avsc': '{"type": "record", "name": "P", "fields": [' },
    expected: ['schema-invalid shared/sources.pipe:4:22'],
    exit: 1,
  },
  {
    name: 'the schema of a joined source is missing (the job cannot be generated, and nothing else is reported)',
    files: {
      ...pipeline(`stream s as select p.payment_id, m.category from payments p join merchants for system_time as of p.event_time m on p.customer_id = m.merchant_id;\nsink s into kafka topic 'out' format avro;`),
      'schemas/merchants-value.avsc': null,
    },
    expected: ['local-schema-not-found shared/sources.pipe:23:23'],
    exit: 1,
  },
  {
    name: 'the registry is unreachable',
    files: pipeline(`stream s as select payment_id from payments;\n${sinkS}`),
    config: (yaml) => `${yaml}\nregistry:\n  url: http://127.0.0.1:9\n  retries: 0\n`,
    options: { offline: false },
    expected: ['registry-unreachable shared/sources.pipe:4:22'],
    exit: 1,
  },
  {
    name: '--frozen without a pipec.lock (the example workflow on a machine without the registry)',
    files: pipeline(`stream s as select payment_id, amount from payments;\n${sinkS}`),
    options: { frozen: true },
    expected: ['lockfile-missing'],
    exit: 1,
  },
  // ── names ──────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'a column name with a typo, used again downstream by its right name',
    files: pipeline(`stream s as select customer_id, amout from payments;\nstream t as select customer_id, sum(amount) as total from s group by customer_id;\nsink t into kafka topic 'out' format avro upsert key (customer_id);`),
    expected: ['unknown-column p.pipe:3:33'],
    exit: 1,
  },
  {
    name: 'a typo in a grouped column, used in the sink key',
    files: pipeline(`stream s as select custmer_id, count(*) as n from payments group by custmer_id;\nsink s into kafka topic 'out' format avro upsert key (customer_id);`),
    expected: ['unknown-column p.pipe:3:20', 'unknown-column p.pipe:3:69'],
    exit: 1,
  },
  {
    name: 'a select from an unknown stream, then a sink and a stream reading it',
    files: pipeline(`stream s as select payment_id, amount from paymnts;\nstream t as select payment_id from s where amount > 10;\nsink t into kafka topic 'out' format avro key (payment_id);`),
    expected: ['unknown-relation p.pipe:3:44'],
    exit: 1,
  },
  {
    name: 'a sink of an unknown stream',
    files: pipeline("sink totals into kafka topic 'out' format avro;"),
    expected: ['unknown-relation p.pipe:3:6'],
    exit: 1,
  },
  {
    name: 'an unknown qualifier',
    files: pipeline(`stream s as select x.amount from payments p;\n${sinkS}`),
    expected: ['unknown-relation p.pipe:3:20'],
    exit: 1,
  },
  {
    name: 'a name imported from the wrong file',
    files: pipeline(`stream s as select payment_id from payments;\n${sinkS}`).constructor === Object
      ? { 'p.pipe': "pipeline p;\nimport payments from 'shared/source.pipe';\nstream s as select payment_id, amount from payments where amount > 10;\nsink s into kafka topic 'out' format avro;\n" }
      : {},
    expected: ['import-not-found p.pipe:2:22'],
    exit: 1,
  },
  {
    name: 'a misspelled import',
    files: { 'p.pipe': "pipeline p;\nimport paymnts from 'shared/sources.pipe';\nstream s as select payment_id from paymnts;\nsink s into kafka topic 'out' format avro;\n" },
    expected: ['import-unknown-name p.pipe:2:8'],
    exit: 1,
  },
  {
    name: 'an unknown connection',
    files: pipeline("stream s as select customer_id, count(*) as n from payments group by customer_id;\nsink s into postgres table 'public.s' via connection warehous upsert key (customer_id);"),
    expected: ['unknown-connection p.pipe:4:54'],
    exit: 1,
  },
  {
    name: 'mistakes in an imported file and in its importer: the imported file\'s first',
    files: {
      ...pipeline(`stream s as select payment_id, amount * 2 from payments;\n${sinkS}`),
      'shared/sources.pipe': sharedSources.replace('event time event_time watermark 5 s', 'event time evnt_time watermark 5 s'),
    },
    expected: ['unknown-column shared/sources.pipe:6:14', 'unnamed-column p.pipe:3:32'],
    exit: 1,
  },
  // ── expressions and types ──────────────────────────────────────────────────────────────────────
  {
    name: 'an aggregate of a string',
    files: pipeline("stream s as select customer_id, sum(currency) as total from payments group by customer_id;\nsink s into kafka topic 'out' format avro upsert key (customer_id);"),
    expected: ['no-matching-overload p.pipe:3:33'],
    exit: 1,
  },
  {
    name: 'an unknown function in an aggregation',
    files: pipeline("stream s as select customer_id, summ(amount) as total from payments group by customer_id;\nsink s into kafka topic 'out' format avro upsert key (customer_id);"),
    expected: ['unknown-function p.pipe:3:33'],
    exit: 1,
  },
  {
    name: 'a function with the wrong number of arguments',
    files: pipeline(`stream s as select payment_id, round(amount, 1, 2) as r from payments;\n${sinkS}`),
    expected: ['no-matching-overload p.pipe:3:32'],
    exit: 1,
  },
  {
    name: 'a bad expression used again downstream',
    files: pipeline(`stream s as select payment_id, amount + currency as x from payments;\nstream t as select payment_id, x * 2 as y from s where x > 0;\nsink t into kafka topic 'out' format avro;`),
    expected: ['operator-type-mismatch p.pipe:3:32'],
    exit: 1,
  },
  {
    name: 'a number compared with a word',
    files: pipeline(`stream s as select payment_id from payments where amount = 'big';\n${sinkS}`),
    expected: ['operator-type-mismatch p.pipe:3:51'],
    exit: 1,
  },
  {
    name: 'a string in double quotes',
    files: pipeline(`stream s as select payment_id from payments where status = "MISSED";\n${sinkS}`),
    expected: ["unexpected-character p.pipe:3:60"],
    exit: 1,
  },
  {
    name: 'a computed column without a name',
    files: pipeline(`stream s as select payment_id, amount * 2 from payments;\n${sinkS}`),
    expected: ['unnamed-column p.pipe:3:32'],
    exit: 1,
  },
  {
    name: 'the same column twice',
    files: pipeline(`stream s as select payment_id, amount, amount from payments;\n${sinkS}`),
    expected: ['duplicate-column p.pipe:3:40'],
    exit: 1,
  },
  // ── queries ────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'a selected column missing from group by',
    files: pipeline("stream s as select customer_id, currency, count(*) as n from payments group by customer_id;\nsink s into kafka topic 'out' format avro upsert key (customer_id);"),
    expected: ['not-grouped p.pipe:3:33'],
    exit: 1,
  },
  {
    name: 'a window over a column that is not the event time',
    files: pipeline("stream s as select window_start, count(*) as n from payments window tumbling(due_at, 1 min) group by window_start;\nsink s into kafka topic 'out' format avro;"),
    expected: ['window-needs-time-attribute p.pipe:3:78'],
    exit: 1,
  },
  {
    name: 'a window time column with a typo',
    files: pipeline("stream s as select window_start, count(*) as n from payments window tumbling(event_tme, 1 min) group by window_start;\nsink s into kafka topic 'out' format avro;"),
    expected: ['unknown-column p.pipe:3:78'],
    exit: 1,
  },
  {
    name: 'a temporal join against a table without a primary key',
    files: pipeline("stream s as select p.payment_id, l.country from payments p join customer_logins for system_time as of p.event_time l on p.customer_id = l.customer_id;\nsink s into kafka topic 'out' format avro;"),
    expected: ['temporal-join-needs-versioned-table p.pipe:3:65'],
    exit: 1,
  },
  {
    name: 'a window aggregation that forgets to group by the window',
    files: pipeline("stream s as select customer_id, count(*) as n from payments window tumbling(event_time, 1 min) group by customer_id;\nsink s into kafka topic 'out' format avro;"),
    expected: ['window-not-grouped p.pipe:3:61'],
    exit: 1,
  },
  {
    name: 'a join condition that is not a condition',
    files: pipeline("stream s as select p.payment_id, m.category from payments p join merchants for system_time as of p.event_time m on p.customer_id;\nsink s into kafka topic 'out' format avro;"),
    expected: ['expected-boolean p.pipe:3:116'],
    exit: 1,
  },
  {
    name: 'a union of selects with different column counts',
    files: pipeline(`stream s as select payment_id, amount from payments union all select payment_id from payments;\n${sinkS}`),
    expected: ['union-column-count p.pipe:3:63'],
    exit: 1,
  },
  {
    name: 'a dedupe by an unknown column, then a sink keyed by it',
    files: pipeline("stream s as dedupe payments by paymnt_id keep last;\nsink s into kafka topic 'out' format avro upsert key (payment_id);"),
    expected: ['unknown-column p.pipe:3:32'],
    exit: 1,
  },
  {
    name: 'an unknown pipeline setting',
    files: { 'p.pipe': "pipeline p with (paralelism = 2);\nimport payments from 'shared/sources.pipe';\nstream s as select payment_id from payments;\nsink s into kafka topic 'out' format avro;\n" },
    expected: ['unknown-setting p.pipe:1:18'],
    exit: 1,
  },
  {
    name: 'a database sink through a connection of another system',
    files: pipeline("stream s as select customer_id, count(*) as n from payments group by customer_id;\nsink s into postgres table 'public.s' via connection search upsert key (customer_id);"),
    expected: ['connection-type-mismatch p.pipe:4:54'],
    exit: 1,
  },
  {
    name: 'a join with an aggregate (no longer a time attribute: a regular, updating join) into an append-only topic',
    files: pipeline("stream t as select customer_id, count(*) as n, max(event_time) as last_at from payments group by customer_id;\nstream s as select p.payment_id, t.n from payments p join t on p.customer_id = t.customer_id and p.event_time between t.last_at and t.last_at + interval '1' hour;\nsink s into kafka topic 'out' format avro;"),
    expected: ['updating-into-append-sink p.pipe:5:13'],
    exit: 1,
  },
  // ── sources and sinks ──────────────────────────────────────────────────────────────────────────
  {
    name: 'updates into an append-only topic',
    files: pipeline("stream s as select customer_id, count(*) as n from payments group by customer_id;\nsink s into kafka topic 'out' format avro;"),
    expected: ['updating-into-append-sink p.pipe:4:13'],
    exit: 1,
  },
  {
    name: 'an upsert sink keyed by a column that is not the stream\'s key',
    files: pipeline("stream s as select customer_id, count(*) as order_count from payments group by customer_id;\nsink s into kafka topic 'out' format avro upsert key (order_count);"),
    expected: ['sink-key-mismatch p.pipe:4:43'],
    exit: 1,
  },
  {
    name: 'an upsert sink keyed by a column that is not unique after a join',
    files: pipeline("stream s as select p.payment_id, l.customer_id from payments p join loans l on p.loan_id = l.loan_id;\nsink s into kafka topic 'out' format avro upsert key (customer_id);"),
    expected: ['sink-key-not-unique p.pipe:4:43'],
    exit: 0,
  },
  {
    name: 'an event time column with a typo',
    files: pipeline(`source r from kafka topic 'payments' format avro event time evnt_time watermark 5 s;\nstream s as select payment_id from r;\n${sinkS}`),
    expected: ['unknown-column p.pipe:3:61'],
    exit: 1,
  },
  {
    name: 'an event time that is not a timestamp',
    files: pipeline(`source r from kafka topic 'payments' format avro event time installment watermark 5 s;\nstream s as select payment_id from r;\n${sinkS}`),
    expected: ['event-time-type p.pipe:3:61'],
    exit: 1,
  },
  {
    name: 'a CDC source without a primary key',
    files: pipeline(`source l from postgres table 'public.loans' via connection loans_db format avro;\nstream s as select loan_id from l;\nsink s into kafka topic 'out' format avro upsert key (loan_id);`),
    expected: ['cdc-needs-primary-key p.pipe:3:15'],
    exit: 1,
  },
  {
    name: 'a CDC column holding microseconds, selected as is (a warning where it is selected, with a fix that works there)',
    files: pipeline("stream s as select loan_id, opened_at from loans;\nstream t as select loan_id, opened_at from loans where opened_at > 0;\nsink s into kafka topic 'out' format avro upsert key (loan_id);\nsink t into kafka topic 'out2' format avro upsert key (loan_id);"),
    expected: ['schema-logical-type-ignored p.pipe:3:29'],
    exit: 0,
  },
  {
    name: 'a CDC column holding microseconds, converted as the hint says',
    files: pipeline("stream s as select loan_id, to_timestamp_ltz(opened_at / 1000, 3) as opened_at from loans;\nstream w as select loan_id, cast(opened_at as timestamp(3)) as opened_at from s;\nsink w into kafka topic 'out' format avro upsert key (loan_id);"),
    expected: [],
    exit: 0,
  },
  // ── syntax ─────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'a misspelled keyword',
    files: pipeline(`stream s as selct payment_id from payments;\n${sinkS}`),
    expected: ['syntax-error p.pipe:3:13'],
    exit: 1,
  },
  {
    name: 'a temporal join without `for system_time`',
    files: pipeline("stream s as select p.payment_id, m.category from payments p join merchants as of p.event_time m on p.customer_id = m.merchant_id;\nsink s into kafka topic 'out' format avro;"),
    expected: ['missing-for-system-time p.pipe:3:76'],
    exit: 1,
  },
  {
    name: 'a missing `;` before the next statement',
    files: pipeline("stream s as select payment_id from payments where amount > 1\n\nstream t as select * from s;\nsink t into kafka topic 'out' format avro;"),
    expected: ['missing-semicolon p.pipe:3:61'],
    exit: 1,
  },
  {
    name: 'a missing `;` at the end of the file',
    files: { 'p.pipe': `${header}stream s as select payment_id from payments;\nsink s into kafka topic 'out' format avro` },
    expected: ['syntax-error p.pipe:4:42'],
    exit: 1,
  },
  // ── managing warnings ──────────────────────────────────────────────────────────────────────────
  {
    name: 'a suppression without a reason',
    files: pipeline(`${joinedByCustomer[0]}\n-- pipec: allow sink-key-not-unique\n${joinedByCustomer[1]}`),
    expected: ['suppression-invalid p.pipe:4:1', 'sink-key-not-unique p.pipe:5:43'],
    exit: 1,
  },
  {
    name: 'a warning allowed with a reason',
    files: pipeline(`${joinedByCustomer[0]}\n-- pipec: allow sink-key-not-unique because every payment's loan belongs to one customer, and we want the latest per customer\n${joinedByCustomer[1]}`),
    expected: [],
    exit: 0,
  },
  {
    name: 'a warning turned off in pipec.yaml',
    files: pipeline(joinedByCustomer.join('\n')),
    config: (yaml) => `${yaml}\nrules:\n  sink-key-not-unique: off\n`,
    expected: [],
    exit: 0,
  },
  {
    name: 'a warning made an error in pipec.yaml',
    files: pipeline(joinedByCustomer.join('\n')),
    config: (yaml) => `${yaml}\nrules:\n  sink-key-not-unique: error\n`,
    expected: ['sink-key-not-unique p.pipe:4:43'],
    exit: 1,
  },
  {
    name: 'a rule level for an error in pipec.yaml',
    files: pipeline(joinedByCustomer.join('\n')),
    config: (yaml) => `${yaml}\nrules:\n  unknown-column: off\n`,
    expected: ['config-invalid pipec.yaml:60:19'],
    exit: 2,
  },
  {
    name: 'an unquoted Flink line in pipec.yaml (YAML reads 1.20 as the number 1.2)',
    files: pipeline(`stream s as select payment_id from payments;\n${sinkS}`),
    config: (yaml) => yaml.replace("version: '1.20'", 'version: 1.20'),
    expected: ['config-invalid pipec.yaml:8:12'],
    exit: 2,
  },
  {
    name: 'a Protobuf sink next to a misspelt column: both causes in one run',
    files: pipeline("stream s as select payment_idd from payments;\nsink s into kafka topic 'out' format protobuf;"),
    expected: ['unknown-column p.pipe:3:20', 'unsupported-by-target p.pipe:4:31'],
    exit: 1,
  },
  {
    name: 'more warnings than --max-warnings allows',
    files: pipeline(joinedByCustomer.join('\n')),
    options: { maxWarnings: 0 },
    expected: ['sink-key-not-unique p.pipe:4:43'],
    exit: 1,
  },
];
