/**
 * Upgrade pairs (A, B) for the conformance run: base programs, each changed by every mutation that applies to
 * it. A program is a template over the names a run needs (pipeline, input topic, sink topic prefix), so the same
 * B can be run restored (A's names) and from scratch (its own names). Pure.
 *
 * Every stream a base program sinks is a keyed, updating result (an upsert sink), so "the same results" is
 * exact: the final row per key of every sink that A and B share.
 */

export interface Names {
  readonly pipeline: string;
  readonly input: string;
  readonly out: string;
  /** The consumer group the pipeline's append sources read with. */
  readonly group: string;
}

export type Program = (n: Names) => string;

export interface Pair {
  /** `<base>: <mutation>`. */
  readonly name: string;
  readonly a: Program;
  readonly b: Program;
}

interface Base {
  readonly name: string;
  readonly header: string;
  /** The body, with `{in}` for the input topic, `{out}` for the sink topic prefix and `{group}` for the group. */
  readonly body: string;
}

interface Mutation {
  readonly name: string;
  /** The changed base, or undefined where the mutation does not apply. */
  readonly apply: (b: Base) => Base | undefined;
}

/** `from` replaced by `to` in the body; undefined when `from` is not there. */
const swap = (from: string, to: string) => (b: Base): Base | undefined => (b.body.includes(from) ? { ...b, body: b.body.replace(from, to) } : undefined);

/** Every occurrence of each `from` replaced by its `to`; undefined when the first `from` is not in the body. */
const swapAll = (...edits: readonly (readonly [string, string])[]) => (b: Base): Base | undefined =>
  edits[0] && b.body.includes(edits[0][0]) ? { ...b, body: edits.reduce((body, [from, to]) => body.replaceAll(from, to), b.body) } : undefined;

/** A base run with parallelism 1 and a checkpoint every second (upsert sinks flush on checkpoints). */
function base(name: string, body: string): Base {
  return { name, header: 'parallelism = 1, checkpoint = 1 s', body };
}

/** The input records' columns: every base reads these. */
export const INPUT_COLUMNS = ['seq', 'k', 'cat', 'amount'] as const;

const AGGREGATE = base('group aggregate', `source events from kafka topic '{in}' format json;
stream totals as select k, count(*) as n, sum(amount) as total, min(amount) as lo, max(amount) as hi from events group by k;
sink totals into kafka topic '{out}.totals' format json upsert key (k);`);

const FILTERED = base('aggregate behind a stream', `source events from kafka topic '{in}' format json;
stream paid as select k, cat, amount from events where amount > 5;
stream per_cat as select cat, count(*) as n, max(amount) as hi from paid group by cat;
sink per_cat into kafka topic '{out}.per_cat' format json upsert key (cat);`);

const DEDUPE = base('dedupe', `source events from kafka topic '{in}' format json processing time pt;
stream few as select seq, k, amount, pt from events;
stream latest as dedupe few by k keep last;
stream latest_rows as select seq, k, amount from latest;
sink latest_rows into kafka topic '{out}.latest' format json upsert key (k);`);

const TOP = base('top-N', `source events from kafka topic '{in}' format json;
stream few as select seq, k, amount from events;
stream best as top 2 from few per k order by amount desc;
sink best into kafka topic '{out}.best' format json upsert key (k, seq);`);

const TWO_KEYS = base('aggregate by two keys', `source events from kafka topic '{in}' format json;
stream totals as select k, cat, count(*) as n, sum(amount) as total, min(amount) as lo, max(amount) as hi from events group by k, cat;
sink totals into kafka topic '{out}.totals' format json upsert key (k, cat);`);

const DISTINCT = base('distinct aggregate', `source events from kafka topic '{in}' format json;
stream totals as select k, count(distinct cat) as cats, count(*) as n, sum(amount) as total, max(amount) as hi from events group by k;
sink totals into kafka topic '{out}.totals' format json upsert key (k);`);

/** Two branches of one topic, merged: the aggregate after the union keeps the state. */
const UNION = base('aggregate over a union', `source events from kafka topic '{in}' format json;
stream merged as select seq, k, amount from events where cat = 'c0' union all select seq, k, amount from events where cat = 'c1';
stream totals as select k, count(*) as n, sum(amount) as total, min(amount) as lo, max(amount) as hi from merged group by k;
sink totals into kafka topic '{out}.totals' format json upsert key (k);`);

/** An aggregate over an aggregate: the second one reads updates (retractions) of the first. */
const TWO_LEVELS = base('aggregate of an aggregate', `source events from kafka topic '{in}' format json;
stream per_k as select k, count(*) as n, sum(amount) as total, min(amount) as lo, max(amount) as hi from events group by k;
stream spread as select n, count(*) as keys, max(total) as best from per_k group by n;
sink spread into kafka topic '{out}.spread' format json upsert key (n);`);

/** A top-N over an updating aggregate. */
const TOP_OF_AGGREGATE = base('top-N of an aggregate', `source events from kafka topic '{in}' format json;
stream per_k as select k, cat, count(*) as n, sum(amount) as total from events group by k, cat;
stream best as top 2 from per_k per cat order by total desc;
sink best into kafka topic '{out}.best' format json upsert key (cat, k);`);

/**
 * A keyed (upsert) source: every input record has the key {"k": …}, so the source keeps the latest row per key
 * (Flink's changelog normalization holds it as state) and the aggregate after it sees updates. An upsert source
 * has no consumer group of its own; the one named here commits its read positions, which tell the run that the
 * job has read the records.
 */
const UPSERT_SOURCE = base('aggregate of an upsert source', `source events from kafka topic '{in}' format json primary key (k) with ('properties.group.id' = '{group}');
stream totals as select cat, count(*) as n, sum(amount) as total, min(amount) as lo, max(amount) as hi from events group by cat;
sink totals into kafka topic '{out}.totals' format json upsert key (cat);`);

const same: Mutation = { name: 'nothing changed', apply: (b) => b };
const moreParallel: Mutation = { name: 'parallelism 1 → 2', apply: (b) => ({ ...b, header: b.header.replace('parallelism = 1', 'parallelism = 2') }) };
/** The sinked stream renamed (its sink follows; the topic stays): the last `stream X as` of the body. */
const sinkedStreamRenamed: Mutation = {
  name: 'the sinked stream renamed',
  apply: (b) => {
    const name = [...b.body.matchAll(/sink (\w+) into/g)][0]?.[1];
    return name === undefined ? undefined : { ...b, body: b.body.replace(`stream ${name} as`, `stream ${name}_v2 as`).replace(`sink ${name} into`, `sink ${name}_v2 into`) };
  },
};

/** Changes of the header and of nothing else, tried on every base. */
const EVERY_BASE: readonly Mutation[] = [
  { name: 'state TTL switched on', apply: (b) => ({ ...b, header: `${b.header}, state_ttl = 1 h` }) },
  { name: 'mini-batch switched on', apply: (b) => ({ ...b, header: `${b.header}, mini_batch = true` }) },
  // Mini-batch is on by default where a pipeline aggregates.
  { name: 'mini-batch switched off', apply: (b) => (b.body.includes(' group by ') ? { ...b, header: `${b.header}, mini_batch = false` } : undefined) },
  sinkedStreamRenamed,
  // An upsert source is updating: a stream of it goes to an upsert sink, which the aggregate bases already show.
  { name: 'a stateless sink added', apply: (b) => (b === UPSERT_SOURCE ? undefined : { ...b, body: `${b.body}\nstream big as select seq, amount from events where amount > 50;\nsink big into kafka topic '{out}.big' format json;` }) },
];
const laterWatermark: Mutation = { name: 'the watermark delay 0 s → 5 s', apply: swap('watermark 0 s', 'watermark 5 s') };

const MUTATIONS: readonly Mutation[] = [
  same,
  { name: 'aggregates reordered', apply: swap('count(*) as n, sum(amount) as total', 'sum(amount) as total, count(*) as n') },
  { name: 'min and max swapped', apply: swap('min(amount) as lo, max(amount) as hi', 'max(amount) as lo, min(amount) as hi') },
  { name: 'an aggregate added', apply: swap('max(amount) as hi from', 'max(amount) as hi, min(amount * 2) as lo2 from') },
  { name: 'a duplicate aggregate added', apply: swap('max(amount) as hi from', 'max(amount) as hi, max(amount) as hi2 from') },
  { name: 'an aggregate removed', apply: swap(', max(amount) as hi from', ' from') },
  { name: 'an aggregate argument changed', apply: swap('sum(amount) as total', 'sum(seq) as total') },
  // (the aggregate of an aggregate groups by that output: renamed, it is another query)
  { name: 'an aggregate output renamed', apply: (b) => (b === TWO_LEVELS ? undefined : swap('count(*) as n', 'count(*) as cnt')(b)) },
  { name: 'group key changed', apply: (b) => (b === AGGREGATE ? { ...b, body: b.body.replace('from events group by k', 'from events group by cat').replace('select k,', 'select cat,').replace('upsert key (k)', 'upsert key (cat)') } : undefined) },
  { name: 'a filter added before the aggregate', apply: swap('from events group by k', 'from events where amount > 20 group by k') },
  { name: 'the upstream filter changed', apply: swap('where amount > 5', 'where amount > 40') },
  { name: 'a column renamed upstream', apply: (b) => (b === DEDUPE ? { ...b, body: b.body.replace('select seq, k, amount, pt from events', 'select seq, k, amount as value, pt from events').replace('select seq, k, amount from latest', 'select seq, k, value as amount from latest') } : undefined) },
  { name: 'a column added upstream', apply: (b) => (b === UNION ? swapAll(['select seq, k, amount', 'select seq, k, amount, cat'])(b) : swap('select seq, k, amount', 'select seq, k, amount, cat')(b)) },
  { name: 'dedupe keeps the first row instead', apply: swap('keep last', 'keep first') },
  { name: 'top 2 → top 3', apply: swap('top 2 from', 'top 3 from') },
  { name: 'rank order changed', apply: swap('order by amount desc', 'order by seq desc') },
  {
    name: 'a look-alike aggregate added',
    apply: (b) => ({ ...b, body: `${b.body}\nstream twin as select cat, count(*) as n, sum(amount) as total, min(amount) as lo, max(seq) as hi from events group by cat;\nsink twin into kafka topic '{out}.twin' format json upsert key (cat);` }),
  },
  moreParallel,
  {
    name: 'group keys reordered',
    apply: (b) => (b === TWO_KEYS ? { ...b, body: b.body.replace('select k, cat,', 'select cat, k,').replace('group by k, cat', 'group by cat, k').replace('upsert key (k, cat)', 'upsert key (cat, k)') } : undefined),
  },
  {
    name: 'a group key removed',
    apply: (b) => (b === TWO_KEYS ? { ...b, body: b.body.replace('select k, cat,', 'select k,').replace('group by k, cat', 'group by k').replace('upsert key (k, cat)', 'upsert key (k)') } : undefined),
  },
  { name: 'a distinct aggregate changed', apply: swap('count(distinct cat) as cats', 'count(distinct amount) as cats') },
  { name: 'union inputs reordered', apply: swap("where cat = 'c0' union all select seq, k, amount from events where cat = 'c1'", "where cat = 'c1' union all select seq, k, amount from events where cat = 'c0'") },
  { name: 'a union input added', apply: swap("where cat = 'c1';", "where cat = 'c1' union all select seq, k, amount from events where cat = 'c2';") },
  { name: 'a union input removed', apply: swap(" union all select seq, k, amount from events where cat = 'c1'", '') },
  { name: 'a union input filter changed', apply: swap("where cat = 'c1';", "where cat = 'c1' and amount > 30;") },
];

/**
 * Joins and windows run on event time: record `seq` happens at `seq` seconds plus 30 s after every 20 records,
 * so sessions close between bursts and the watermark (no delay) passes window ends as records arrive. The burst
 * of records 60–79 straddles the savepoint (A reads up to 60).
 */
const TIMED_SOURCE = `source events from kafka topic '{in}' format json event time ts = to_timestamp_ltz((seq + seq / 20 * 30) * 1000, 3) watermark 0 s;`;

/** Two sides of a join from one topic: category c0 ("orders") against the others ("payments"). */
const SIDES = `stream orders as select seq, k, amount, ts from events where cat = 'c0';
stream payments as select seq, k, cat, amount, ts from events where cat <> 'c0';`;

const REGULAR_JOIN = base('regular join', `source events from kafka topic '{in}' format json;
${SIDES.replaceAll(', ts from', ' from')}
stream matched as select o.seq as oseq, p.seq as pseq, o.k, o.amount, p.amount as paid from orders o join payments p on o.k = p.k;
sink matched into kafka topic '{out}.matched' format json upsert key (oseq, pseq);`);

const LEFT_JOIN = base('left join', `source events from kafka topic '{in}' format json;
${SIDES.replaceAll(', ts from', ' from')}
stream matched as select o.seq as oseq, coalesce(p.seq, 0) as pseq, o.k, o.amount, p.amount as paid from orders o left join payments p on o.k = p.k and p.amount > 50;
sink matched into kafka topic '{out}.matched' format json upsert key (oseq, pseq);`);

const INTERVAL_JOIN = base('interval join', `${TIMED_SOURCE}
${SIDES}
stream matched as select o.seq as oseq, p.seq as pseq, o.k, o.amount, p.amount as paid from orders o join payments p on o.k = p.k and p.ts between o.ts and o.ts + interval '20' second;
sink matched into kafka topic '{out}.matched' format json upsert key (oseq, pseq);`);

/**
 * The input topic has one partition: without an idle timeout the second source task of an event-time source,
 * which reads none, holds the watermark back for good and nothing fires, restored or not (a setting to get
 * right, not state).
 */
const moreParallelIdle: Mutation = { name: 'parallelism 1 → 2 with an idle timeout', apply: (b) => ({ ...b, header: b.header.replace('parallelism = 1', 'parallelism = 2, idle_timeout = 1 s') }) };

const columnAdded: Mutation = { name: 'a selected column added', apply: swap('p.amount as paid from', 'p.amount as paid, p.cat as paid_cat from') };
const filterBeforeJoin: Mutation = { name: 'a filter added before the join', apply: swap("where cat = 'c0'", "where cat = 'c0' and amount > 20") };
const sidesSwapped: Mutation = { name: 'the join sides swapped', apply: swap('from orders o join payments p', 'from payments p join orders o') };

const REGULAR_JOIN_MUTATIONS: readonly Mutation[] = [
  same,
  columnAdded,
  { name: 'a selected column removed', apply: swap(', p.amount as paid from', ' from') },
  { name: 'the join key changed', apply: swap('on o.k = p.k', 'on o.k = p.k and o.amount > p.amount') },
  sidesSwapped,
  filterBeforeJoin,
  { name: 'inner join → left join', apply: swapAll(['from orders o join payments p', 'from orders o left join payments p'], ['p.seq as pseq', 'coalesce(p.seq, 0) as pseq']) },
  { name: 'the output columns reordered', apply: swap('o.k, o.amount, p.amount as paid', 'p.amount as paid, o.amount, o.k') },
  moreParallel,
];

const INTERVAL_JOIN_MUTATIONS: readonly Mutation[] = [
  same,
  columnAdded,
  sidesSwapped,
  filterBeforeJoin,
  { name: 'the interval bounds widened', apply: swap("o.ts + interval '20' second", "o.ts + interval '40' second") },
  { name: 'the interval lower bound moved', apply: swap('between o.ts and', "between o.ts - interval '10' second and") },
  laterWatermark,
  moreParallelIdle,
];

/** A temporal join against a versioned view (the last row per category by event time). */
const TEMPORAL_JOIN = base('temporal join', `${TIMED_SOURCE}
stream lookups as select seq, k, cat, amount, ts from events;
stream latest as dedupe events by cat keep last;
stream enriched as select e.seq, e.k, e.amount, l.amount as latest_amount from lookups e join latest for system_time as of e.ts l on e.cat = l.cat;
sink enriched into kafka topic '{out}.enriched' format json upsert key (seq);`);

const TEMPORAL_JOIN_MUTATIONS: readonly Mutation[] = [
  same,
  { name: 'a selected column added', apply: swap('l.amount as latest_amount from', 'l.amount as latest_amount, l.seq as latest_seq from') },
  { name: 'the join key changed', apply: swapAll(['dedupe events by cat', 'dedupe events by k'], ['on e.cat = l.cat', 'on e.k = l.k']) },
  { name: 'a filter added before the join', apply: swap('amount, ts from events;', 'amount, ts from events where amount > 20;') },
  laterWatermark,
  moreParallelIdle,
];

/** A windowed aggregate per key; `window` is the window clause. */
function windowed(name: string, window: string): Base {
  return base(
    name,
    `${TIMED_SOURCE}
stream per_window as select window_start, window_end, k, count(*) as n, sum(amount) as total from events window ${window} group by window_start, window_end, k;
sink per_window into kafka topic '{out}.windows' format json upsert key (window_start, window_end, k);`,
  );
}

const windowAggregateAdded: Mutation = { name: 'an aggregate added', apply: swap('sum(amount) as total from', 'sum(amount) as total, max(amount) as hi from') };

const TUMBLING_MUTATIONS: readonly Mutation[] = [
  same,
  windowAggregateAdded,
  { name: 'the grouping key changed', apply: swapAll([', k, count', ', cat, count'], ['window_end, k', 'window_end, cat']) },
  { name: 'size 10 s → 20 s', apply: swap('tumbling(ts, 10 s)', 'tumbling(ts, 20 s)') },
  { name: 'tumbling → hopping', apply: swap('tumbling(ts, 10 s)', 'hopping(ts, 20 s, 10 s)') },
  {
    name: 'a look-alike window aggregate added',
    apply: (b) => ({ ...b, body: `${b.body}\nstream twin as select window_start, window_end, cat, count(*) as n, sum(seq) as total from events window tumbling(ts, 10 s) group by window_start, window_end, cat;\nsink twin into kafka topic '{out}.twin' format json upsert key (window_start, window_end, cat);` }),
  },
  laterWatermark,
  moreParallelIdle,
];

const HOPPING_MUTATIONS: readonly Mutation[] = [
  same,
  windowAggregateAdded,
  moreParallelIdle,
  { name: 'slide 10 s → 5 s', apply: swap('hopping(ts, 20 s, 10 s)', 'hopping(ts, 20 s, 5 s)') },
  { name: 'size 20 s → 30 s', apply: swap('hopping(ts, 20 s, 10 s)', 'hopping(ts, 30 s, 10 s)') },
];

const CUMULATIVE_MUTATIONS: readonly Mutation[] = [
  same,
  windowAggregateAdded,
  moreParallelIdle,
  { name: 'step 10 s → 5 s', apply: swap('cumulative(ts, 10 s, 30 s)', 'cumulative(ts, 5 s, 30 s)') },
  { name: 'max 30 s → 60 s', apply: swap('cumulative(ts, 10 s, 30 s)', 'cumulative(ts, 10 s, 60 s)') },
];

const SESSION_MUTATIONS: readonly Mutation[] = [same, windowAggregateAdded, { name: 'gap 10 s → 15 s', apply: swap('session(ts, 10 s, k)', 'session(ts, 15 s, k)') }, laterWatermark, moreParallelIdle];

/** A dedupe on event time (append-only while it keeps the first row). */
const EVENT_TIME_DEDUPE = base('event-time dedupe', `${TIMED_SOURCE}
stream firsts as dedupe events by cat keep first;
stream first_rows as select seq, cat, amount from firsts;
sink first_rows into kafka topic '{out}.firsts' format json upsert key (cat);`);

/** A top-N per window of a window aggregate. */
const WINDOW_TOP = base('window top-N', `${TIMED_SOURCE}
stream per_window as select window_start, window_end, k, sum(amount) as total from events window tumbling(ts, 10 s) group by window_start, window_end, k;
stream best as top 2 from per_window per window_start order by total desc;
sink best into kafka topic '{out}.best' format json upsert key (window_start, k);`);


/** Each family: bases, and the mutations tried on each (those that do not apply are skipped). */
const FAMILIES: readonly (readonly [readonly Base[], readonly Mutation[]])[] = [
  [[AGGREGATE, FILTERED, DEDUPE, TOP, TWO_KEYS, DISTINCT, UNION, TWO_LEVELS, TOP_OF_AGGREGATE, UPSERT_SOURCE], MUTATIONS],
  [[REGULAR_JOIN], REGULAR_JOIN_MUTATIONS],
  [[LEFT_JOIN], [same, columnAdded, filterBeforeJoin, moreParallel]],
  [[INTERVAL_JOIN], INTERVAL_JOIN_MUTATIONS],
  [[TEMPORAL_JOIN], TEMPORAL_JOIN_MUTATIONS],
  [[windowed('tumbling window', 'tumbling(ts, 10 s)')], TUMBLING_MUTATIONS],
  [[windowed('hopping window', 'hopping(ts, 20 s, 10 s)')], HOPPING_MUTATIONS],
  [[windowed('cumulative window', 'cumulative(ts, 10 s, 30 s)')], CUMULATIVE_MUTATIONS],
  [[windowed('session window', 'session(ts, 10 s, k)')], SESSION_MUTATIONS],
  [[EVENT_TIME_DEDUPE], [same, { name: 'dedupe keeps the last row instead', apply: swap('keep first', 'keep last') }, { name: 'the dedupe key changed', apply: swapAll(['dedupe events by cat', 'dedupe events by k'], ['select seq, cat, amount', 'select seq, k, amount'], ['upsert key (cat)', 'upsert key (k)']) }, laterWatermark, moreParallelIdle]],
  [[WINDOW_TOP], [same, { name: 'top 2 → top 3', apply: swap('top 2 from', 'top 3 from') }, { name: 'rank order changed', apply: swap('order by total desc', 'order by total asc') }, laterWatermark]],
];

function program(b: Base): Program {
  return (n) => `pipeline ${n.pipeline} with (${b.header});\n${b.body.replaceAll('{in}', n.input).replaceAll('{out}', n.out).replaceAll('{group}', n.group)}\n`;
}

/** Every (base, mutation) pair that applies, in a fixed order. */
export function upgradePairs(): Pair[] {
  const out: Pair[] = [];
  for (const [bases, mutations] of FAMILIES) {
    for (const base of bases) {
      for (const m of [...mutations, ...EVERY_BASE]) {
        const changed = m.apply(base);
        if (changed) out.push({ name: `${base.name}: ${m.name}`, a: program(base), b: program(changed) });
      }
    }
  }
  return out;
}
