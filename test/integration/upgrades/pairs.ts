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
  /** The body, with `{in}` for the input topic and `{out}` for the sink topic prefix. */
  readonly body: string;
}

/** The input records' columns: every base reads these. */
export const INPUT_COLUMNS = ['seq', 'k', 'cat', 'amount'] as const;

const AGGREGATE: Base = {
  name: 'group aggregate',
  header: 'parallelism = 1, checkpoint = 1 s',
  body: `source events from kafka topic '{in}' format json;
stream totals as select k, count(*) as n, sum(amount) as total, min(amount) as lo, max(amount) as hi from events group by k;
sink totals into kafka topic '{out}.totals' format json upsert key (k);`,
};

const FILTERED: Base = {
  name: 'aggregate behind a stream',
  header: 'parallelism = 1, checkpoint = 1 s',
  body: `source events from kafka topic '{in}' format json;
stream paid as select k, cat, amount from events where amount > 5;
stream per_cat as select cat, count(*) as n, max(amount) as hi from paid group by cat;
sink per_cat into kafka topic '{out}.per_cat' format json upsert key (cat);`,
};

const DEDUPE: Base = {
  name: 'dedupe',
  header: 'parallelism = 1, checkpoint = 1 s',
  body: `source events from kafka topic '{in}' format json processing time pt;
stream few as select seq, k, amount, pt from events;
stream latest as dedupe few by k keep last;
stream latest_rows as select seq, k, amount from latest;
sink latest_rows into kafka topic '{out}.latest' format json upsert key (k);`,
};

const TOP: Base = {
  name: 'top-N',
  header: 'parallelism = 1, checkpoint = 1 s',
  body: `source events from kafka topic '{in}' format json;
stream few as select seq, k, amount from events;
stream best as top 2 from few per k order by amount desc;
sink best into kafka topic '{out}.best' format json upsert key (k, seq);`,
};

interface Mutation {
  readonly name: string;
  /** The changed base, or undefined where the mutation does not apply. */
  readonly apply: (b: Base) => Base | undefined;
}

/** `from` replaced by `to` in the body; undefined when `from` is not there. */
const swap = (from: string, to: string) => (b: Base): Base | undefined => (b.body.includes(from) ? { ...b, body: b.body.replace(from, to) } : undefined);

const MUTATIONS: readonly Mutation[] = [
  { name: 'nothing changed', apply: (b) => b },
  { name: 'aggregates reordered', apply: swap('count(*) as n, sum(amount) as total', 'sum(amount) as total, count(*) as n') },
  { name: 'min and max swapped', apply: swap('min(amount) as lo, max(amount) as hi', 'max(amount) as lo, min(amount) as hi') },
  { name: 'an aggregate added', apply: swap('max(amount) as hi from', 'max(amount) as hi, min(amount * 2) as lo2 from') },
  { name: 'a duplicate aggregate added', apply: swap('max(amount) as hi from', 'max(amount) as hi, max(amount) as hi2 from') },
  { name: 'an aggregate removed', apply: swap(', max(amount) as hi from', ' from') },
  { name: 'an aggregate argument changed', apply: swap('sum(amount) as total', 'sum(seq) as total') },
  { name: 'an aggregate output renamed', apply: swap('count(*) as n', 'count(*) as cnt') },
  { name: 'group key changed', apply: (b) => (b === AGGREGATE ? { ...b, body: b.body.replace('from events group by k', 'from events group by cat').replace('select k,', 'select cat,').replace('upsert key (k)', 'upsert key (cat)') } : undefined) },
  { name: 'a filter added before the aggregate', apply: swap('from events group by k', 'from events where amount > 20 group by k') },
  { name: 'the upstream filter changed', apply: swap('where amount > 5', 'where amount > 40') },
  { name: 'a column renamed upstream', apply: (b) => (b === DEDUPE ? { ...b, body: b.body.replace('select seq, k, amount, pt from events', 'select seq, k, amount as value, pt from events').replace('select seq, k, amount from latest', 'select seq, k, value as amount from latest') } : undefined) },
  { name: 'a column added upstream', apply: swap('select seq, k, amount', 'select seq, k, amount, cat') },
  { name: 'dedupe keeps the first row instead', apply: swap('keep last', 'keep first') },
  { name: 'top 2 → top 3', apply: swap('top 2 from', 'top 3 from') },
  { name: 'rank order changed', apply: swap('order by amount desc', 'order by seq desc') },
  {
    name: 'a look-alike aggregate added',
    apply: (b) => ({ ...b, body: `${b.body}\nstream twin as select cat, count(*) as n, sum(amount) as total, min(amount) as lo, max(seq) as hi from events group by cat;\nsink twin into kafka topic '{out}.twin' format json upsert key (cat);` }),
  },
  { name: 'a stateless sink added', apply: (b) => ({ ...b, body: `${b.body}\nstream big as select seq, amount from events where amount > 50;\nsink big into kafka topic '{out}.big' format json;` }) },
  { name: 'parallelism 1 → 2', apply: (b) => ({ ...b, header: b.header.replace('parallelism = 1', 'parallelism = 2') }) },
];

function program(b: Base): Program {
  return (n) => `pipeline ${n.pipeline} with (${b.header});\n${b.body.replaceAll('{in}', n.input).replaceAll('{out}', n.out)}\n`;
}

/** Every (base, mutation) pair that applies, in a fixed order. */
export function upgradePairs(): Pair[] {
  const out: Pair[] = [];
  for (const base of [AGGREGATE, FILTERED, DEDUPE, TOP]) {
    for (const m of MUTATIONS) {
      const changed = m.apply(base);
      if (changed) out.push({ name: `${base.name}: ${m.name}`, a: program(base), b: program(changed) });
    }
  }
  return out;
}
