/**
 * What the printer writes, Flink plans: a job built as a syntax tree with adversarial names (reserved words,
 * back-quotes, quotes, comment markers, spaces, unicode, a 200-character name) and adversarial strings
 * (quotes, backslashes, a line break as U&'…', `--`, `/*`, `${…}`), through every statement and FROM form
 * the printer has, is accepted by the real Flink 1.20 and 2.2 planners with the expected sink changelog modes.
 *
 * Needs Java 17+ and Maven (the planner harness, test/planner-check); planning contacts no Kafka.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLINK_LINE_NAMES, checkWithFlinkPlanner, type FlinkLine, type PlannerResult } from '../../planner-check/index.ts';
import { printScript } from '../../../targets/flink-sql/print.ts';
import type { CreateTable, FromItem, Insert, SelectItem, SqlExpr, SqlStatement } from '../../../targets/flink-sql/sql-ast.ts';
import { bin, call, col, insert, interval, item, neg, not, num, select, str, table } from '../../unit/targets/flink-sql/print-builders.ts';

const LONG = 'very_long_name_' + 'x'.repeat(185);
const SOURCE = 'weird `source`; table';
const TIME = 'timestamp';
/** Physical STRING columns of the source, each a name a careless printer would break on. */
const NAMES = ['select', 'from', 'table', 'end', 'a`b', '``', "it's", 'say "hi"', 'with space', ' padded ', '\u00a0', 'semi;colon', '--not a comment', '/*no*/', 'a.b', 'Zahlungsbetrag_€', '顧客', LONG];
const STRINGS = ["it's", "''", 'back\\slash\\n', 'two\nlines', '-- dash', '/* star', '${PLACEHOLDER}', 'END;', 'tab\tand\r\nCRLF'];

const kafka = (topic: string, extra: Readonly<Record<string, string>> = {}): Readonly<Record<string, string>> => ({
  connector: 'kafka',
  topic,
  'properties.bootstrap.servers': 'localhost:1',
  'value.format': 'json',
  ...extra,
});

const sourceTable: CreateTable = {
  kind: 'create-table',
  temporary: false,
  name: SOURCE,
  columns: [
    ...NAMES.map((name) => ({ kind: 'physical' as const, name, type: 'STRING' })),
    { kind: 'physical', name: 'amount', type: 'DECIMAL(12, 2)' },
    { kind: 'physical', name: 'tags `list`', type: 'ARRAY<STRING>' },
    { kind: 'physical', name: TIME, type: 'TIMESTAMP(3) NOT NULL' },
    { kind: 'metadata', name: 'partition', type: 'INT', key: 'partition', virtual: true },
    { kind: 'computed', name: 'amount * 2', expression: bin('*', col('amount'), num('2')) },
  ],
  watermark: { column: TIME, expression: bin('-', col(TIME), interval('5', 'SECOND')) },
  primaryKey: [],
  options: kafka("weird.source's", { 'properties.group.id': 'group -- /* ${X}', 'scan.startup.mode': 'earliest-offset' }),
};

const ratesTable: CreateTable = {
  kind: 'create-table',
  temporary: false,
  name: 'rates `versioned`',
  columns: [
    { kind: 'physical', name: 'from', type: 'STRING NOT NULL' },
    { kind: 'physical', name: 'rate', type: 'DECIMAL(10, 4)' },
    { kind: 'physical', name: TIME, type: 'TIMESTAMP(3) NOT NULL' },
  ],
  watermark: { column: TIME, expression: col(TIME) },
  primaryKey: ['from'],
  options: { connector: 'upsert-kafka', topic: 'rates', 'properties.bootstrap.servers': 'localhost:1', 'key.format': 'json', 'value.format': 'json' },
};

function sink(name: string, columns: readonly [string, string][], options: Readonly<Record<string, string>>, primaryKey: readonly string[] = []): CreateTable {
  return { kind: 'create-table', temporary: false, name, columns: columns.map(([n, type]) => ({ kind: 'physical', name: n, type })), watermark: undefined, primaryKey, options };
}

const upsert = (topic: string): Readonly<Record<string, string>> => ({ connector: 'upsert-kafka', topic, 'properties.bootstrap.servers': 'localhost:1', 'key.format': 'json', 'value.format': 'json' });

const s = (name: string, qualifier?: string): SqlExpr => col(name, qualifier);
const star: SelectItem = { kind: 'star', qualifier: undefined };
const countStar: SqlExpr = { kind: 'call', name: 'COUNT', args: [], distinct: false, star: true };

/** Every name straight through, and each string as a column, with precedence-sensitive arithmetic. */
const copyInsert: Insert = insert(
  'sink `copy`',
  select(table('view; with `end`', 'v'), [
    ...NAMES.map((n) => item(s(n, 'v'))),
    ...STRINGS.map((v, i) => item(bin('||', s('it\'s', 'v'), str(v)), `s${i}`)),
    item(bin('-', s('amount', 'v'), bin('-', num('1'), num('-1'))), 'a - (1 - -1)'),
    item(bin('/', s('amount', 'v'), bin('*', num('2'), s('amount * 2', 'v'))), 'a / (2 * b)'),
    item({ kind: 'case', operand: undefined, whens: [{ when: bin('=', s('end', 'v'), str('END')), then: str('end') }], else: s('end', 'v') }, 'case'),
  ]),
);

const copySink = sink('sink `copy`', [...NAMES.map((n): [string, string] => [n, 'STRING']), ...STRINGS.map((_v, i): [string, string] => [`s${i}`, 'STRING']), ['a - (1 - -1)', 'DECIMAL(15, 2)'], ['a / (2 * b)', 'DECIMAL(38, 6)'], ['case', 'STRING']], kafka('sink.copy'));

const view: SqlStatement = {
  kind: 'create-view',
  temporary: true,
  name: 'view; with `end`',
  query: select(table(SOURCE), [star], {
    where: bin('AND', bin('AND', bin('<>', s('end'), str('END;')), not(bin('=', s('--not a comment'), str('-- x')))), { kind: 'like', operand: s('a`b'), pattern: str('%`%'), negated: true }),
  }),
};

const tumble: FromItem = { kind: 'window-tvf', function: 'TUMBLE', input: table(SOURCE), partitionBy: [], timeColumn: TIME, args: [interval('1', 'MINUTE')], alias: 'w' };
const windowInsert = insert('per `minute`', select(tumble, [item(s('window_start', 'w')), item(s('顧客', 'w')), item(call('SUM', s('amount', 'w')), 'total')], { groupBy: [s('window_start', 'w'), s('window_end', 'w'), s('顧客', 'w')] }));
const windowSink = sink('per `minute`', [['window_start', 'TIMESTAMP(3) NOT NULL'], ['顧客', 'STRING'], ['total', 'DECIMAL(38, 2)']], kafka('per.minute'));

const session: FromItem = {
  kind: 'window-tvf',
  function: 'SESSION',
  input: { kind: 'subquery', query: select(table(SOURCE), [star], { where: bin('>', s('amount'), neg(num('1'))) }), alias: 'positive' },
  partitionBy: ['select', 'with space'],
  timeColumn: TIME,
  args: [interval('5', 'MINUTE')],
  alias: 'sessions',
};
const sessionInsert = insert('sessions `sink`', select(session, [item(s('select', 'sessions')), item(s('with space', 'sessions')), item(countStar, 'n')], { groupBy: [s('window_start', 'sessions'), s('window_end', 'sessions'), s('select', 'sessions'), s('with space', 'sessions')] }));
const sessionSink = sink('sessions `sink`', [['select', 'STRING'], ['with space', 'STRING'], ['n', 'BIGINT NOT NULL']], kafka('sessions'));

const totalsInsert = insert(LONG, select(table(SOURCE), [item(s('select')), item(call('SUM', s('amount')), 'größe total')], { groupBy: [s('select')], having: bin('>', call('SUM', s('amount')), num('0')) }));
const totalsSink = sink(LONG, [['select', 'STRING NOT NULL'], ['größe total', 'DECIMAL(38, 2)']], upsert('totals'), ['select']);

// The latest row per key (first-row on rowtime is append-only only on 2.x).
const ranked = select(table(SOURCE), [star, item({ kind: 'over', call: call('ROW_NUMBER'), partitionBy: [s("it's")], orderBy: [{ expression: s(TIME), descending: true }] }, 'row `num`')]);
const dedupeInsert = insert('latest `seen`', select({ kind: 'subquery', query: ranked, alias: 'ranked; x' }, [item(s("it's")), item(s(TIME))], { where: bin('=', s('row `num`'), num('1')) }), ["it's", TIME]);
const dedupeSink = sink('latest `seen`', [["it's", 'STRING NOT NULL'], [TIME, 'TIMESTAMP(3) NOT NULL']], upsert('latest.seen'), ["it's"]);

const joined: FromItem = {
  kind: 'join',
  joinType: 'CROSS',
  left: { kind: 'join', joinType: 'INNER', left: table(SOURCE, 'p'), right: table('rates `versioned`', 'r'), asOf: s(TIME, 'p'), on: bin('=', s('from', 'p'), s('from', 'r')) },
  right: { kind: 'unnest', expression: s('tags `list`', 'p'), alias: 't; x', columns: ['tag `value`'] },
  asOf: undefined,
  on: undefined,
};
const joinInsert = insert('enriched `sink`', select(joined, [item(s('select', 'p')), item(bin('*', s('amount', 'p'), s('rate', 'r')), 'amount eur'), item(s('tag `value`', 't; x'))]));
const joinSink = sink('enriched `sink`', [['select', 'STRING'], ['amount eur', 'DECIMAL(23, 6)'], ['tag `value`', 'STRING']], kafka('enriched'));

const unionInsert = insert('union `sink`', {
  kind: 'union-all',
  inputs: [select(table(SOURCE), [item(s('from'), 'id')]), select(table(SOURCE), [item(s('table'), 'id')], { where: bin('OR', bin('>', s('amount'), num('10')), { kind: 'is-null', operand: s('end'), negated: false }) })],
});
const unionSink = sink('union `sink`', [['id', 'STRING']], kafka('union'));

const setup: readonly SqlStatement[] = [
  { kind: 'comment', lines: ["Adversarial job -- printed by print.ts; it's /* not */ a comment end", '${NOT_A_PLACEHOLDER}'] },
  { kind: 'set', key: 'pipeline.name', value: "adversarial 'names'; -- not a comment" },
  { kind: 'set', key: 'table.exec.state.ttl', value: '1 h' },
  sourceTable,
  ratesTable,
  copySink,
  windowSink,
  sessionSink,
  totalsSink,
  dedupeSink,
  joinSink,
  unionSink,
  view,
];
const inserts = [copyInsert, windowInsert, sessionInsert, totalsInsert, dedupeInsert, joinInsert, unionInsert];

const EXPECTED_SINKS: Readonly<Record<string, string>> = {
  'sink `copy`': 'I',
  'per `minute`': 'I',
  'sessions `sink`': 'I',
  // HAVING filters the aggregate's updates, so the planner keeps UPDATE_BEFORE for the upsert sink.
  [LONG]: 'I,UB,UA',
  'latest `seen`': 'I,UA,D',
  'enriched `sink`': 'I',
  'union `sink`': 'I',
};

describe('printed SQL on the real Flink planner', () => {
  let dir: string;
  const results = new Map<FlinkLine, PlannerResult[]>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pipec-print-'));
    const job = join(dir, 'job.sql');
    const plan = join(dir, 'compile-plan.sql');
    writeFileSync(job, printScript([...setup, { kind: 'statement-set', inserts }]));
    writeFileSync(plan, printScript([...setup, { kind: 'compile-plan', path: join(dir, 'plan.json'), ifNotExists: true, inserts }]));
    for (const line of FLINK_LINE_NAMES) results.set(line, await checkWithFlinkPlanner([job, plan], line));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints literal line breaks only as U& escapes', () => {
    const text = printScript([...setup, { kind: 'statement-set', inserts }]);
    expect(text).toContain("U&'two\\000Alines'");
    expect(text).toContain("U&'tab\\0009and\\000D\\000ACRLF'");
  });

  describe.each(FLINK_LINE_NAMES)('Flink %s', (line) => {
    it.each(['job.sql', 'compile-plan.sql'])('plans %s with the expected sink changelog modes', (file) => {
      const r = results.get(line)?.find((x) => x.file.endsWith(`/${file}`));
      expect(r?.error?.message ?? '', `${file} should plan`).toBe('');
      expect(r?.ok).toBe(true);
      expect(r?.compiledPlan).toBe(true);
      expect(Object.fromEntries((r?.sinks ?? []).map((x) => [x.table, x.changelogMode]))).toEqual(EXPECTED_SINKS);
    });
  });
});
