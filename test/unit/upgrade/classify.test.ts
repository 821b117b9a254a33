/**
 * The state-compatibility classifier, one case per row of its rule table: the same pipeline compiled twice
 * (before and after the change), the plans compared as they come back from plan.json.
 */
import { describe, expect, test } from 'vitest';
import { classify, type StateRule, type StateVerdict } from '../../../compiler/upgrade/classify.ts';
import type { PipelinePlan } from '../../../compiler/plan/plan.ts';
import { decodePlanFile } from '../../../compiler/plan/plan-file.ts';
import { compileFiles, PRELUDE, staticSchemas, testSchemas } from '../../helpers/check.ts';

function planOf(body: string, header = 'pipeline p with (checkpoint = 10 s);', prelude = PRELUDE): PipelinePlan {
  const { p, planJson } = compiledPlan(body, header, prelude);
  // As the deployer reads it back: through plan.json (which carries no spans).
  return planJson === undefined ? p : decodePlanFile(planJson, 'p/plan.json');
}

/** The new side as `pipec diff` classifies it: compiled in memory, spans included. */
function freshPlanOf(body: string): PipelinePlan {
  return compiledPlan(body, 'pipeline p with (checkpoint = 10 s);', PRELUDE).p;
}

function compiledPlan(body: string, header: string, prelude: string): { p: PipelinePlan; planJson: string | undefined } {
  // The moved topic has the same schema under its own subject.
  const result = compileFiles({ 'p.pipe': `${header}\n${prelude}\n${body}` }, staticSchemas({ ...testSchemas, 'payments-v2-value': testSchemas['payments-value'] ?? [] }));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.plan) throw new Error(`snippet does not compile: ${errors.map((d) => `${d.code}: ${d.message}`).join('; ')}\n${body}`);
  const p = result.plan.pipelines[0];
  if (!p) throw new Error('no pipeline');
  return { p, planJson: result.output?.artifacts.find((a) => a.path === 'p/plan.json')?.contents };
}

const SINK = (stream: string): string => `sink ${stream} into kafka topic 'out' format avro;`;
const UPSERT = (stream: string, key: string): string => `sink ${stream} into kafka topic 'out' format avro upsert key (${key});`;

const agg = (keys: string, aggs = 'count(*) as n'): string => `stream s as select ${keys}, ${aggs} from payments group by ${keys};\n${UPSERT('s', keys)}`;
const win = (fn: string, time = 'event_time'): string =>
  `stream s as select window_start, window_end, currency, count(*) as n from payments window ${fn.replace('TIME', time)} group by window_start, window_end, currency;\n${SINK('s')}`;
const join = (type: string, on: string): string =>
  `stream s as select p.payment_id, p.amount, l.country from payments p ${type} logins l on ${on} and p.event_time between l.event_time and l.event_time + interval '5' minute;\n${SINK('s')}`;
const FEW = 'stream few as select payment_id, loan_id, currency, amount, event_time from payments;';
const rank = (n: number, by: string, order: string): string => `${FEW}\nstream s as top ${n} from few per ${by} order by ${order} desc;\n${UPSERT('s', `${by}, payment_id`)}`;

interface Row {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  readonly verdict: StateVerdict;
  readonly rule: StateRule;
  readonly header?: readonly [string, string];
  readonly prelude?: readonly [string, string];
  readonly versions?: readonly [string, string];
}

const PAYMENTS_WM10 = PRELUDE.replace("event time event_time watermark 5 s;\nsource logins", "event time event_time watermark 10 s;\nsource logins");
const PAYMENTS_MOVED = PRELUDE.replace("topic 'payments'", "topic 'payments-v2'");
const PAYMENTS_STARTUP = PRELUDE.replace("format avro event time event_time watermark 5 s;\nsource logins", "format avro event time event_time watermark 5 s startup earliest;\nsource logins");

const ROWS: readonly Row[] = [
  { name: 'identical plans, only comments and spacing differ', before: agg('currency'), after: `-- a comment\n\n${agg('currency')}`, verdict: 'compatible', rule: 'job-setting' },
  { name: 'parallelism and checkpoint interval', before: agg('currency'), after: agg('currency'), header: ['pipeline p with (checkpoint = 10 s, parallelism = 1);', 'pipeline p with (checkpoint = 1 min, parallelism = 4);'], verdict: 'compatible', rule: 'job-setting' },
  { name: 'state TTL value', before: agg('currency'), after: agg('currency'), header: ['pipeline p with (state_ttl = 1 h);', 'pipeline p with (state_ttl = 2 h);'], verdict: 'compatible', rule: 'job-setting' },
  { name: 'mini-batch switched on over an event-time dedupe (Flink 2.2 plans another operator)', before: `${FEW}\nstream s as dedupe few by payment_id keep first;\n${UPSERT('s', 'payment_id')}`, after: `${FEW}\nstream s as dedupe few by payment_id keep first;\n${UPSERT('s', 'payment_id')}`, header: ['pipeline p;', 'pipeline p with (mini_batch = true);'], verdict: 'incompatible', rule: 'mini-batch-toggled' },
  { name: 'mini-batch switched off over group aggregates', before: agg('currency'), after: agg('currency'), header: ['pipeline p;', 'pipeline p with (mini_batch = false);'], verdict: 'incompatible', rule: 'mini-batch-toggled' },
  { name: 'mini-batch switched on over a top-N (no mini-batch operator)', before: rank(3, 'currency', 'amount'), after: rank(3, 'currency', 'amount'), header: ['pipeline p;', 'pipeline p with (mini_batch = true);'], verdict: 'compatible', rule: 'job-setting' },
  { name: 'state TTL switched on', before: agg('currency'), after: agg('currency'), header: ['pipeline p;', 'pipeline p with (state_ttl = 2 h);'], verdict: 'incompatible', rule: 'state-ttl-toggled' },
  { name: 'state TTL switched on, the only stateful operator an interval join (kept without TTL)', before: join('join', 'p.customer_id = l.customer_id'), after: join('join', 'p.customer_id = l.customer_id'), header: ['pipeline p;', 'pipeline p with (state_ttl = 2 h);'], verdict: 'compatible', rule: 'job-setting' },
  { name: 'state TTL switched on, the only stateful operator a window aggregate (kept without TTL)', before: win('session(TIME, 1 min, currency)'), after: win('session(TIME, 1 min, currency)'), header: ['pipeline p;', 'pipeline p with (state_ttl = 2 h);'], verdict: 'compatible', rule: 'job-setting' },
  { name: 'watermark delay', before: agg('currency'), after: agg('currency'), prelude: [PRELUDE, PAYMENTS_WM10], verdict: 'compatible', rule: 'source-compatible' },
  { name: 'startup mode', before: agg('currency'), after: agg('currency'), prelude: [PRELUDE, PAYMENTS_STARTUP], verdict: 'compatible', rule: 'source-compatible' },
  { name: 'source topic renamed', before: agg('currency'), after: agg('currency'), prelude: [PRELUDE, PAYMENTS_MOVED], verdict: 'incompatible', rule: 'source-identity' },
  { name: 'change group keys', before: agg('currency'), after: agg('currency, status'), verdict: 'incompatible', rule: 'group-keys' },
  { name: 'add a non-distinct aggregate (accumulator row changes shape)', before: agg('currency'), after: agg('currency', 'count(*) as n, sum(amount) as total'), verdict: 'incompatible', rule: 'aggregates' },
  { name: 'change count(distinct)', before: agg('currency', 'count(distinct loan_id) as n'), after: agg('currency', 'count(distinct customer_id) as n'), verdict: 'incompatible', rule: 'aggregates' },
  { name: 'reorder two aggregates (accumulators are restored by position)', before: agg('currency', 'count(*) as n, sum(amount) as total'), after: agg('currency', 'sum(amount) as total, count(*) as n'), verdict: 'incompatible', rule: 'aggregates' },
  { name: 'swap a min and a max of one column (same types: a restore would swap their values)', before: agg('currency', 'min(amount) as lo, max(amount) as hi'), after: agg('currency', 'max(amount) as lo, min(amount) as hi'), verdict: 'incompatible', rule: 'aggregates' },
  { name: 'an aggregate written a second time (Flink plans one call)', before: agg('currency', 'count(*) as n, max(amount) as hi'), after: agg('currency', 'count(*) as n, max(amount) as hi, max(amount) as top'), verdict: 'compatible', rule: 'sink-changed' },
  { name: 'rename an aggregate output column (stateless projection after it)', before: agg('currency', 'count(*) as n'), after: agg('currency', 'count(*) as payments'), verdict: 'compatible', rule: 'sink-changed' },
  { name: 'window size', before: win('tumbling(TIME, 1 min)'), after: win('tumbling(TIME, 5 min)'), verdict: 'incompatible', rule: 'window' },
  { name: 'window type', before: win('tumbling(TIME, 1 min)'), after: win('hopping(TIME, 1 min, 30 s)'), verdict: 'incompatible', rule: 'window' },
  { name: 'join type', before: join('join', 'p.customer_id = l.customer_id'), after: join('left join', 'p.customer_id = l.customer_id'), verdict: 'incompatible', rule: 'join' },
  { name: 'join keys', before: join('join', 'p.customer_id = l.customer_id'), after: join('join', 'p.loan_id = l.customer_id'), verdict: 'incompatible', rule: 'join' },
  { name: 'a column added to a join output (the join keeps input rows of the new shape)', before: join('join', 'p.customer_id = l.customer_id'), after: join('join', 'p.customer_id = l.customer_id').replace('l.country from', 'l.country, p.currency from'), verdict: 'incompatible', rule: 'join' },
  { name: 'a join output column renamed (same input columns)', before: join('join', 'p.customer_id = l.customer_id'), after: join('join', 'p.customer_id = l.customer_id').replace('l.country from', 'l.country as login_country from'), verdict: 'compatible', rule: 'sink-changed' },
  { name: 'a filter added over a join (it may be applied before the join)', before: join('join', 'p.customer_id = l.customer_id'), after: join('join', 'p.customer_id = l.customer_id').replace(';\nsink', " where p.currency = 'EUR';\nsink"), verdict: 'incompatible', rule: 'join' },
  { name: 'top-N limit', before: rank(3, 'currency', 'amount'), after: rank(5, 'currency', 'amount'), verdict: 'incompatible', rule: 'rank' },
  {
    name: 'a top-N stream renamed: its sink, keyed otherwise than the rank, writes the same topic with a new upsert materializer',
    before: rank(3, 'currency', 'amount'),
    after: rank(3, 'currency', 'amount').replace('stream s as', 'stream s2 as').replace('sink s into', 'sink s2 into'),
    verdict: 'incompatible',
    rule: 'sink-materializer',
  },
  {
    name: 'an aggregate stream renamed: its sink is keyed by the group key (no materializer)',
    before: agg('currency'),
    after: agg('currency').replace('stream s as', 'stream s2 as').replace('sink s into', 'sink s2 into'),
    verdict: 'compatible-dropping-state',
    rule: 'sink-removed',
  },
  { name: 'top-N order', before: rank(3, 'currency', 'amount'), after: rank(3, 'currency', 'event_time'), verdict: 'incompatible', rule: 'rank' },
  { name: 'dedupe partition', before: `${FEW}\nstream s as dedupe few by payment_id keep first;\n${UPSERT('s', 'payment_id')}`, after: `${FEW}\nstream s as dedupe few by loan_id keep first;\n${UPSERT('s', 'loan_id')}`, verdict: 'incompatible', rule: 'rank' },
  {
    name: 'a filter upstream of an aggregate',
    before: `stream paid as select * from payments where status = 'PAID';\n${agg('currency').replace('from payments', 'from paid')}`,
    after: `stream paid as select * from payments where status = 'LATE';\n${agg('currency').replace('from payments', 'from paid')}`,
    verdict: 'incompatible',
    rule: 'operator-input',
  },
  {
    name: 'a stateless view changes, nothing stateful reads it',
    before: `stream big as select payment_id, amount from payments where amount > 100;\n${SINK('big')}`,
    after: `stream big as select payment_id, amount from payments where amount > 500;\n${SINK('big')}`,
    verdict: 'compatible',
    rule: 'stateless-view',
  },
  {
    name: 'add a stateless query and sink',
    before: agg('currency'),
    after: `${agg('currency')}\nstream big as select payment_id, amount from payments where amount > 100;\nsink big into kafka topic 'big' format avro;`,
    verdict: 'compatible',
    rule: 'sink-added',
  },
  {
    name: 'remove one of several sinks',
    before: `${agg('currency')}\nstream big as select payment_id, amount from payments where amount > 100;\nsink big into kafka topic 'big' format avro;`,
    after: agg('currency'),
    verdict: 'compatible-dropping-state',
    rule: 'sink-removed',
  },
  {
    name: 'remove a sink and the aggregate feeding it',
    before: `${agg('currency')}\nstream t as select status, count(*) as m from payments group by status;\nsink t into kafka topic 't' format avro upsert key (status);`,
    after: agg('currency'),
    verdict: 'compatible-dropping-state',
    rule: 'operator-removed',
  },
  {
    name: 'add a UNION ALL input',
    before: `stream u as select payment_id, amount from payments where amount > 1 union all select payment_id, amount from payments where amount < 0;\n${SINK('u')}`,
    after: `stream u as select payment_id, amount from payments where amount > 1 union all select payment_id, amount from payments where amount < 0 union all select payment_id, amount from payments where amount = 0;\n${SINK('u')}`,
    verdict: 'incompatible',
    rule: 'union-inputs',
  },
  {
    name: 'reorder UNION ALL inputs',
    before: `stream u as select payment_id, amount from payments where amount > 1 union all select payment_id, amount from payments where amount < 0;\n${SINK('u')}`,
    after: `stream u as select payment_id, amount from payments where amount < 0 union all select payment_id, amount from payments where amount > 1;\n${SINK('u')}`,
    verdict: 'compatible',
    rule: 'union-reordered',
  },
  { name: 'another Flink version, identical plan', before: agg('currency'), after: agg('currency'), versions: ['1.20', '2.2'], verdict: 'compatible', rule: 'flink-version' },
  { name: 'another Flink version and a changed plan', before: agg('currency'), after: agg('currency, status'), versions: ['1.20', '2.2'], verdict: 'incompatible', rule: 'flink-version' },
];

describe('state compatibility of an upgrade', () => {
  test.each(ROWS)('$name → $verdict', (row) => {
    const before = planOf(row.before, row.header?.[0], row.prelude?.[0]);
    const after = planOf(row.after, row.header?.[1], row.prelude?.[1]);
    const result = classify(before, after, row.versions ? { previousFlinkVersion: row.versions[0], nextFlinkVersion: row.versions[1] } : {});
    expect(result.verdict).toBe(row.verdict);
    if (result.changes.length > 0 || row.rule !== 'job-setting') expect(result.changes.map((c) => c.rule)).toContain(row.rule);
    for (const c of result.changes) expect(c.change.length).toBeGreaterThan(5);
  });

  test('identical plans are identical, with no changes', () => {
    const a = planOf(agg('currency'));
    const b = planOf(`-- moved down\n\n\n${agg('currency')}`);
    expect(classify(a, b)).toEqual({ verdict: 'compatible', identical: true, changes: [] });
  });

  test('reasons name the view and the change', () => {
    const result = classify(planOf(agg('currency')), freshPlanOf(agg('currency, status')));
    const change = result.changes.find((c) => c.rule === 'group-keys');
    expect(change?.subject).toBe('view s');
    expect(change?.change).toBe('group keys changed from (currency) to (currency, status)');
    expect(change?.span?.file).toBe('p.pipe');
  });

  test('an upstream filter names the view that changed', () => {
    const body = (status: string): string => `stream paid as select * from payments where status = '${status}';\n${agg('currency').replace('from payments', 'from paid')}`;
    const result = classify(planOf(body('PAID')), planOf(body('LATE')));
    expect(result.changes.find((c) => c.rule === 'operator-input')?.change).toContain('view paid changed');
  });
});
