/**
 * The program generator: well-typed `.pipe` pipelines over generated schemas, one construct of
 * docs/language.md (or a combination) each, and near-misses — valid programs with one mutation that should
 * make them invalid. Grammar-directed and seeded: the same seed gives the same programs.
 *
 * Every program has the same world: append-only topics `a` and `b` (event time `ts`, `b` also a
 * processing-time column `pt`), a versioned topic `r` (primary key `id`, event time `ts`) and, where a program
 * reads it, a table `l` captured by Debezium (`postgres table 'public.l' via connection loans_db`, primary key `id`), with random
 * extra columns; `a` may read Kafka metadata as columns, `a` and `b` may say what happens to undecodable records
 * (`on error …`), and some programs import `a` and `b` from a second file. Its one sink writes stream `s`.
 * Programs generated with a CallsInTurn (expressions.ts) call the stdlib's overloads in turn, so a run of programs
 * depends on its seed, not only each program on its index.
 */
import { nameKey } from '../../compiler/project/modules.ts';
import { KAFKA_METADATA } from '../../stdlib/metadata.ts';
import { asTimeAttribute, t, type RowField, type SqlType } from '../../compiler/types/types.ts';
import type { FlinkLine } from '../../stdlib/flink-lines.ts';
import { OVERLOADS, callOf, randomCalls, isNumeric, isString, quote, type Calls, type Col, type Expr } from './expressions.ts';
import type { Random } from './random.ts';
import { generateCdcSchema, generateKeySchema, generateValueSchema, type GeneratedSchema } from './schemas.ts';

export interface Program {
  readonly name: string;
  readonly version: FlinkLine;
  readonly text: string;
  /** The files it imports from, by path beside `<name>.pipe` (empty when it imports nothing). */
  readonly library: Readonly<Record<string, string>>;
  readonly schemas: readonly GeneratedSchema[];
  /** `valid`: must compile and plan; `near-miss`: `mutation` should make it invalid. */
  readonly expect: 'valid' | 'near-miss';
  readonly mutation: string | undefined;
  /** Constructs it exercises, for the coverage report. */
  readonly features: readonly string[];
}

interface World {
  /** `a`'s value columns, then its metadata columns. */
  readonly a: readonly RowField[];
  readonly b: readonly RowField[];
  readonly r: readonly RowField[];
  /** The CDC table's columns (the `after` row of its Debezium envelope). */
  readonly l: readonly RowField[];
  /** `a`'s metadata clause (or ''), e.g. ` metadata (m_ts from timestamp, partition)`. */
  readonly aMetadata: string;
  /** How the program picks the overloads it calls. */
  readonly calls: Calls;
}

const HEADER = (name: string) => `pipeline ${name} with (checkpoint = 10 s);`;

/** Clauses that change how a source is read or a sink written, not the columns: one may be added to each. */
const SOURCE_CLAUSES = ['', " subject 'a-value' version 1", ' startup earliest', ' startup latest', " startup timestamp '2026-01-01 00:00:00'", " with ('properties.fetch.max.wait.ms' = '100')"];
const SINK_CLAUSES = ['', ' partitions 3', ' replication 1', ' retention 7 d', ' delivery at_least_once', " subject 'out-value'", ' partitions 2 replication 1 retention 1 h'];

/** What an append-only topic does with an undecodable record: one of the three clauses, or (mostly) the default. */
const ON_ERROR = [
  { clause: ' on error fail', feature: 'on-error:fail' },
  { clause: ' on error skip', feature: 'on-error:skip' },
  { clause: " on error dead letter 'a.undecodable'", feature: 'on-error:dead-letter' },
];
const onError = (r: Random): { clause: string; feature: string } | undefined => (r.chance(0.3) ? r.pick(ON_ERROR) : undefined);

/**
 * The CDC table: Avro (debezium-avro-confluent) or JSON (debezium-json); a temporal join needs its versions'
 * time, the Kafka record timestamp Debezium published them at (as examples/shared/sources.pipe reads it).
 */
function cdcSource(r: Random): { text: string; versioned: boolean; features: string[] } {
  const format = r.pick(['avro', 'json']);
  const versioned = r.chance(0.5);
  const time = versioned ? ' metadata (published_at from timestamp) event time changed_at = cast(published_at as timestamp(3)) watermark 0 s' : '';
  return { text: `source l from postgres table 'public.l' via connection loans_db format ${format} primary key (id)${time};`, versioned, features: [`cdc:${format}`] };
}

function sources(w: World, r: Random): { a: string; b: string; r: string; features: string[] } {
  const aOnError = onError(r);
  const bOnError = onError(r);
  return {
    a: `source a from kafka topic 'a' format avro event time ts watermark 5 s${r.pick(SOURCE_CLAUSES)}${w.aMetadata}${aOnError?.clause ?? ''};`,
    b: `source b from kafka topic 'b' format avro event time ts watermark 5 s processing time pt${bOnError?.clause.replace("'a.", "'b.") ?? ''};`,
    r: "source r from kafka topic 'r' format avro primary key (id) event time ts watermark 0 s;",
    features: [...[aOnError, bOnError].flatMap((e) => (e ? [e.feature] : [])), ...(w.aMetadata ? ['metadata'] : [])],
  };
}

const cols = (alias: string | undefined, row: readonly RowField[]): Col[] => row.map((f) => ({ ref: alias ? `${alias}.${quote(f.name)}` : quote(f.name), type: f.type }));

/** A sink: append-only, or upsert by `key`. */
/** An append sink of a stream with an `id` may also be keyed (`key (id)`: the record key, not an upsert). */
const sink = (key: readonly string[] | undefined, format: 'avro' | 'json', hasId: boolean, r: Random): string => {
  const keying = key ? ` upsert key (${key.map(quote).join(', ')})` : hasId && r.chance(0.3) ? ' key (id)' : '';
  return `sink s into kafka topic 'out' format ${format}${keying}${r.pick(SINK_CLAUSES)};`;
};

/**
 * Avro cannot hold a processing-time column (TIMESTAMP_LTZ; pipec refuses it by a documented rule,
 * sink-type-unsupported), so a dedupe of `b` is written as JSON; others either way.
 */
function sinkFormat(built: Built, r: Random): 'avro' | 'json' {
  if (built.features.some((f) => f.startsWith('dedupe:')) || built.ltz === true) return 'json';
  return r.chance(0.7) ? 'avro' : 'json';
}

interface Built {
  /** Sources the shape declares besides `a`, `b` and `r` (the CDC table). */
  readonly sources?: string;
  readonly streams: string;
  readonly sinkKey: readonly string[] | undefined;
  readonly features: readonly string[];
  /**
   * A select item Flink's Avro format cannot write, so the sink is JSON: TIMESTAMP_LTZ (now(), to_timestamp_ltz…)
   * or TIME (pipec refuses both into Avro, a documented rule).
   */
  readonly ltz?: boolean;
}

const hasLtz = (exprs: readonly Expr[]): boolean => exprs.some((e) => e.type?.kind === 'TIMESTAMP_LTZ' || e.type?.kind === 'TIME');

/**
 * Scalar expressions for select items: columns, arithmetic, CASE, casts, field/element access, stdlib calls (the
 * first item always one, so every shape with select items calls the stdlib).
 */
function scalarItems(columns: readonly Col[], version: FlinkLine, r: Random, calls: Calls, count: number): Expr[] {
  const out: Expr[] = [];
  for (let i = 0; i < count * 4 && out.length < count; i++) {
    const e = out.length === 0 ? call(columns, version, r, calls) : scalar(columns, version, r, calls);
    if (e) out.push(e);
  }
  return out;
}

const SCALAR_OVERLOADS = OVERLOADS.filter((o) => !o.aggregate);
const call = (columns: readonly Col[], version: FlinkLine, r: Random, calls: Calls): Expr | undefined => calls.next(SCALAR_OVERLOADS, r, (o) => callOf(o, columns, version, r));

function scalar(columns: readonly Col[], version: FlinkLine, r: Random, calls: Calls): Expr | undefined {
  const numeric = columns.filter((c) => isNumeric(c.type));
  const strings = columns.filter((c) => isString(c.type));
  switch (r.int(0, 11)) {
    case 0: case 1: case 9: case 10: case 11: return call(columns, version, r, calls);
    case 2: {
      const n = numeric.length > 0 ? r.pick(numeric) : undefined;
      return n ? { text: `${n.ref} ${r.pick(['+', '-', '*'])} ${r.pick(['1', '2', '0.5'])}`, type: undefined, features: ['arithmetic'] } : undefined;
    }
    case 3: {
      const n = numeric.length > 0 ? r.pick(numeric) : undefined;
      return n ? { text: `case when ${n.ref} > 10 then 'big' when ${n.ref} is null then 'none' else 'small' end`, type: undefined, features: ['case-searched'] } : undefined;
    }
    case 4: {
      const s = strings.length > 0 ? r.pick(strings) : undefined;
      return s ? { text: `case ${s.ref} when 'A' then 1 when 'B' then 2 else 0 end`, type: undefined, features: ['case-simple'] } : undefined;
    }
    case 5: {
      const c = r.pick(columns.filter((x) => isNumeric(x.type) || isString(x.type) || x.type.kind === 'BOOLEAN' || x.type.kind === 'DATE'));
      const target = isNumeric(c.type) ? r.pick(['string', 'double', 'decimal(20, 4)', 'bigint']) : isString(c.type) ? r.pick(['string', 'varchar(10)']) : 'string';
      const safe = r.chance(0.3);
      return { text: `${safe ? 'try_cast' : 'cast'}(${c.ref} as ${target})`, type: undefined, features: [safe ? 'try_cast' : 'cast'] };
    }
    case 6: {
      const rows = columns.filter((c) => c.type.kind === 'ROW');
      const row = rows.length > 0 ? r.pick(rows) : undefined;
      const field = row?.type.kind === 'ROW' ? row.type.fields[0] : undefined;
      return row && field ? { text: `${row.ref}.${quote(field.name)}`, type: undefined, features: ['field-access'] } : undefined;
    }
    case 7: {
      // Known gap: an element of an array of records is a nullable ROW, whose fields Flink makes nullable and pipec
      // does not (see schemas.ts); written to an Avro sink, Flink refuses the schema.
      const collections = columns.filter((c) => (c.type.kind === 'ARRAY' && c.type.element.kind !== 'ROW') || (c.type.kind === 'MAP' && isString(c.type.key)));
      const c = collections.length > 0 ? r.pick(collections) : undefined;
      return c ? { text: `${c.ref}[${c.type.kind === 'ARRAY' ? '1' : "'x'"}]`, type: undefined, features: ['element-access'] } : undefined;
    }
    default: {
      const c = r.pick(columns);
      return { text: `${c.ref} is not null`, type: undefined, features: ['is-null'] };
    }
  }
}

/** A boolean condition over the columns (one may test a stdlib call). */
function condition(columns: readonly Col[], version: FlinkLine, r: Random, calls: Calls): Expr {
  const numeric = columns.filter((c) => isNumeric(c.type));
  const strings = columns.filter((c) => isString(c.type));
  const options: Expr[] = [{ text: `${r.pick(columns).ref} is not null`, type: undefined, features: ['is-null'] }];

  const n = numeric.length > 0 ? r.pick(numeric) : undefined;
  const s = strings.length > 0 ? r.pick(strings) : undefined;
  if (n) {
    options.push({ text: `${n.ref} > 0`, type: undefined, features: ['compare'] });
    options.push({ text: `${n.ref} between 1 and 100`, type: undefined, features: ['between'] });
    options.push({ text: `${n.ref} not in (1, 2, 3)`, type: undefined, features: ['in'] });
  }
  if (s) {
    options.push({ text: `${s.ref} like 'a%'`, type: undefined, features: ['like'] });
    options.push({ text: `${s.ref} <> 'x' or ${s.ref} is null`, type: undefined, features: ['or', 'compare'] });
  }
  // A call, made in its turn (see Calls), is always used.
  const tested = r.chance(0.3) ? call(columns, version, r, calls) : undefined;
  const first = tested ? { ...tested, text: `${tested.text} is not null`, features: [...tested.features, 'is-null'] } : r.pick(options);
  if (!r.chance(0.3)) return first;
  const second = r.pick(options);
  return { text: `${first.text} and not (${second.text})`, type: undefined, features: [...first.features, ...second.features, 'and', 'not'] };
}

function items(exprs: readonly Expr[]): string {
  return exprs.map((e, i) => `${e.text} as e${i}`).join(', ');
}

/** `current_watermark` takes an event-time column: a projection of `a` is the one shape that calls it. */
const CURRENT_WATERMARK = OVERLOADS.filter((o) => o.name === 'current_watermark');

function projection(w: World, version: FlinkLine, r: Random): Built {
  // `ts` is `a`'s event time (time attributes are the source's, not the schema's).
  const columns = cols(undefined, w.a).map((c) => (c.ref === 'ts' ? { ...c, type: asTimeAttribute(c.type, 'rowtime') } : c));
  const distinct = r.chance(0.1);
  const watermark = !distinct && r.chance(0.25) ? callOf(r.pick(CURRENT_WATERMARK), columns, version, r) : undefined;
  const exprs = distinct ? [] : [...scalarItems(columns, version, r, w.calls, r.int(1, 4)), ...(watermark ? [watermark] : [])];
  const where = r.chance(0.6) ? condition(columns, version, r, w.calls) : undefined;
  const keptFields = r.some(w.a, r.int(1, 3));
  const kept = keptFields.map((f) => quote(f.name));
  // DISTINCT keys its output by every column: it selects plain columns, and its sink upserts by all of them.
  const select = [...kept, ...(exprs.length > 0 ? [items(exprs)] : [])].join(', ');
  // An expectation over the kept columns: its rows dropped, sent to a dead-letter topic (an append-only stream's), or failing the job.
  const expectation = !distinct && r.chance(0.3) ? { condition: condition(cols(undefined, keptFields), version, r, w.calls), disposal: r.pick(['drop', 'dead letter', 'fail'] as const) } : undefined;
  const expectText = expectation ? `\n  expect valid_row: ${expectation.condition.text} else ${expectation.disposal === 'dead letter' ? "dead letter 's.rejected'" : expectation.disposal}` : '';
  const body = `stream s as select ${distinct ? 'distinct ' : ''}${select} from a${where ? ` where ${where.text}` : ''}${expectText};`;
  return {
    streams: body,
    // DISTINCT is an aggregation: updating, keyed by every column.
    sinkKey: distinct ? keptFields.map((f) => f.name) : undefined,
    ltz: hasLtz(exprs),
    features: [
      'select',
      ...(distinct ? ['distinct'] : exprs.flatMap((e) => e.features)),
      ...(where ? ['where', ...where.features] : []),
      ...(expectation ? [`expect:${expectation.disposal}`, ...expectation.condition.features] : []),
    ],
  };
}

const DURATIONS = [[1, 's'], [5, 's'], [30, 's'], [1, 'min'], [5, 'min'], [10, 'min'], [1, 'h']] as const;
const durationText = ([n, unit]: readonly [number, string]): string => `${n} ${unit}`;

function windowClause(r: Random, timeColumn: string, keyColumn: string): { text: string; feature: string } {
  const [n, unit] = r.pick(DURATIONS);
  switch (r.int(0, 3)) {
    case 0: return { text: `tumbling(${timeColumn}, ${n} ${unit})`, feature: 'window:tumbling' };
    case 1: return { text: `hopping(${timeColumn}, ${n * r.int(2, 6)} ${unit}, ${n} ${unit})`, feature: 'window:hopping' };
    case 2: return { text: `cumulative(${timeColumn}, ${n} ${unit}, ${n * r.int(2, 12)} ${unit})`, feature: 'window:cumulative' };
    default: return r.chance(0.5)
      ? { text: `session(${timeColumn}, ${durationText(r.pick(DURATIONS))}, ${keyColumn})`, feature: 'window:session-keyed' }
      : { text: `session(${timeColumn}, ${durationText(r.pick(DURATIONS))})`, feature: 'window:session' };
  }
}

/**
 * Aggregates Flink cannot merge, which pipec refuses outside tumbling windows (window-aggregate-function).
 * COLLECT is generated by groupAggregation only: no sink format holds its MULTISET (a documented rule, sink-type-unsupported)
 * and no function takes one, so its column stays in an intermediate stream.
 */
const UNMERGEABLE = new Set(['first_value', 'last_value']);
const AGGREGATES = OVERLOADS.filter((o) => o.aggregate && o.name !== 'collect');
const MERGEABLE_AGGREGATES = AGGREGATES.filter((o) => !UNMERGEABLE.has(o.name));
const COLLECT = OVERLOADS.filter((o) => o.name === 'collect');

function aggregates(columns: readonly Col[], version: FlinkLine, r: Random, calls: Calls, merged = false): Expr[] {
  const out: Expr[] = [{ text: 'count(*)', type: undefined, features: ['count-star'] }];
  const pool = merged ? MERGEABLE_AGGREGATES : AGGREGATES;
  for (let i = 0; i < 8 && out.length < 4; i++) {
    const call = calls.next(pool, r, (o) => callOf(o, columns, version, r));
    if (call) out.push(call);
  }
  const plain = columns.filter((c) => isString(c.type));
  if (plain.length > 0 && r.chance(0.3)) out.push({ text: `count(distinct ${r.pick(plain).ref})`, type: undefined, features: ['count-distinct'] });
  return out;
}

function windowAggregation(w: World, version: FlinkLine, r: Random): Built {
  const window = windowClause(r, 'ts', 'k');
  const session = window.feature.startsWith('window:session');
  const aggs = aggregates(cols(undefined, w.a), version, r, w.calls, window.feature !== 'window:tumbling');
  const byKey = session ? window.feature === 'window:session-keyed' : r.chance(0.5);
  const bounds = r.pick([['window_start', 'window_end'], ['window_start'], ['window_end']]);
  const select = [...bounds, ...(byKey ? ['k'] : []), items(aggs), ...(!session && r.chance(0.3) ? ['window_time'] : [])];
  const groupBy = [...bounds, ...(byKey ? ['k'] : []), ...(select.includes('window_time') ? ['window_time'] : [])];
  let streams = `stream s as select ${select.join(', ')} from a window ${window.text} group by ${groupBy.join(', ')};`;
  const features = ['window-aggregate', window.feature, ...aggs.flatMap((e) => e.features)];
  if (r.chance(0.3) && bounds.length === 2) {
    // A window Top-N over the window aggregate.
    streams = streams.replace('stream s as', 'stream w as') + `\nstream s as top ${r.int(1, 3)} from w per window_start order by e0 desc;`;
    features.push('top:window');
  }
  return { streams, sinkKey: undefined, features };
}

function groupAggregation(w: World, version: FlinkLine, r: Random): Built {
  const columns = cols(undefined, w.a);
  const aggs = aggregates(columns, version, r, w.calls);
  const having = r.chance(0.3) ? ' having count(*) > 1' : '';
  const features = ['group-aggregate', ...(having ? ['having'] : []), ...aggs.flatMap((e) => e.features)];
  // One in five also collects a column into a MULTISET, in a stream of its own that the sink's stream leaves out.
  const collect = r.chance(0.2) ? callOf(r.pick(COLLECT), columns, version, r) : undefined;
  if (!collect) return { streams: `stream s as select k, ${items(aggs)} from a group by k${having};`, sinkKey: ['k'], features };
  return {
    streams: `stream g as select k, ${items(aggs)}, ${collect.text} as bag from a group by k${having};\nstream s as select k, ${aggs.map((_, i) => `e${i}`).join(', ')} from g;`,
    sinkKey: ['k'],
    features: [...features, ...collect.features, 'chained-stream'],
  };
}

function join(w: World, version: FlinkLine, r: Random): Built {
  const kind = r.pick(['regular', 'interval', 'temporal'] as const);
  const left = r.chance(0.5);
  const joinWord = left ? 'left join' : r.pick(['join', 'inner join']);
  const aCols = cols('x', w.a);
  const otherRow = kind === 'temporal' ? w.r : w.b;
  const yCols = cols('y', otherRow);
  const picked = [...r.some(aCols, 2), ...r.some(yCols.filter((c) => !c.ref.endsWith('.pt')), 2)];
  const exprs = scalarItems([...aCols, ...yCols], version, r, w.calls, r.int(0, 2));
  const select = [
    'x.id',
    ...picked.filter((c) => c.ref !== 'x.id').map((c, i) => `${c.ref} as c${i}`),
    ...(exprs.length > 0 ? [items(exprs)] : []),
  ].join(', ');
  let on: string;
  let from: string;
  switch (kind) {
    case 'regular': from = `a x ${joinWord} b y`; on = 'x.k = y.k'; break;
    case 'interval': from = `a x ${joinWord} b y`; on = `x.k = y.k and y.ts between x.ts - interval '${r.int(1, 10)}' minute and x.ts + interval '${r.int(0, 5)}' minute`; break;
    case 'temporal': from = `a x ${joinWord} r for system_time as of x.ts y`; on = 'x.k = y.id'; break;
  }
  // Both event times after an interval join, written into one sink.
  const bothTimes = kind === 'interval' && r.chance(0.4) ? ', x.ts as x_ts, y.ts as y_ts' : '';
  const updating = kind === 'regular' && left;
  return {
    streams: `stream s as select ${select}${bothTimes} from ${from} on ${on};`,
    sinkKey: updating ? ['id'] : undefined,
    ltz: hasLtz(exprs),
    features: [`join:${kind}:${left ? 'left' : 'inner'}`, ...(bothTimes ? ['two-rowtimes'] : []), ...exprs.flatMap((e) => e.features)],
  };
}

function dedupe(w: World, version: FlinkLine, r: Random): Built {
  const keep = r.pick(['first', 'last'] as const);
  const proctime = r.chance(0.5);
  const keys = r.chance(0.7) ? 'k' : '(k, id)';
  const appendOnly = keep === 'first' && (proctime || version === '2.2');
  return {
    streams: `stream s as dedupe b by ${keys} keep ${keep}${proctime ? ' order by pt' : r.chance(0.5) ? ' order by ts' : ''};`,
    // The sink upserts by the dedupe's own key (pipec refuses any other: sink-key-mismatch).
    sinkKey: appendOnly ? undefined : keys === 'k' ? ['k'] : ['k', 'id'],
    features: [`dedupe:${keep}:${proctime ? 'proctime' : 'rowtime'}`],
  };
}

function topN(w: World, _version: FlinkLine, r: Random): Built {
  const numeric = w.a.filter((f) => isNumeric(f.type));
  const order = numeric.length > 0 ? quote(r.pick(numeric).name) : 'ts';
  const per = r.chance(0.7) ? ' per k' : '';
  return { streams: `stream s as top ${r.int(1, 5)} from a${per} order by ${order} ${r.pick(['desc', 'asc', ''])}, id;`.replace(' ,', ','), sinkKey: ['id'], features: ['top:regular'] };
}

function unionAll(w: World, _version: FlinkLine, r: Random): Built {
  const shared = w.a.filter((f) => w.b.some((g) => nameKey(g.name) === nameKey(f.name) && sameType(f.type, g.type)));
  const names = r.some(shared.map((f) => quote(f.name)), r.int(1, 3));
  const third = r.chance(0.3) ? `\n  union all\n  (select ${names.join(', ')}, 'C' as origin from a where id <> 'x')` : '';
  return {
    streams: `stream s as select ${names.join(', ')}, 'A' as origin from a union all select ${names.join(', ')}, 'B' as origin from b${third};`,
    sinkKey: undefined,
    features: ['union-all', ...(third ? ['union-parenthesized'] : [])],
  };
}

function sameType(x: SqlType, y: SqlType): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

function unnest(w: World, _version: FlinkLine, r: Random): Built | undefined {
  const arrays = w.a.filter((f) => f.type.kind === 'ARRAY');
  if (arrays.length === 0) return undefined;
  const array = r.pick(arrays);
  const element = array.type.kind === 'ARRAY' ? array.type.element : undefined;
  const names = element?.kind === 'ROW' ? element.fields.map((f, i) => `u${i}`) : ['u0'];
  return {
    streams: `stream s as select x.id, ${names.map((n) => `u.${n}`).join(', ')} from a x cross join unnest(x.${quote(array.name)}) as u(${names.join(', ')});`,
    sinkKey: undefined,
    features: [`unnest:${element?.kind === 'ROW' ? 'rows' : 'scalars'}`],
  };
}

/** A projection stream feeding a window aggregation or a subquery: constructs composed. */
function chained(w: World, version: FlinkLine, r: Random): Built {
  const columns = cols(undefined, w.a);
  const where = condition(columns, version, r, w.calls);
  if (r.chance(0.5)) {
    let window = windowClause(r, 'ts', 'k');
    while (window.feature === 'window:session') window = windowClause(r, 'ts', 'k');
    return {
      streams: `stream f as select * from a where ${where.text};\nstream s as select window_start, window_end, k, count(*) as n from f window ${window.text} group by window_start, window_end, k;`,
      sinkKey: undefined,
      features: ['select-star', 'chained-stream', 'window-aggregate', window.feature, ...where.features],
    };
  }
  const exprs = scalarItems(columns, version, r, w.calls, 1);
  return {
    streams: `stream s as select q.id, q.k from (select id, k${exprs.length > 0 ? `, ${items(exprs)}` : ''} from a where ${where.text}) q;`,
    sinkKey: undefined,
    features: ['subquery', ...where.features, ...exprs.flatMap((e) => e.features)],
  };
}

/**
 * A table captured by Debezium: filtered and projected (an updating stream, written by its primary key),
 * aggregated, or, with its versions' time, the versioned side of a temporal join.
 */
function cdc(w: World, version: FlinkLine, r: Random): Built {
  const source = cdcSource(r);
  const columns = cols(undefined, w.l);
  switch (source.versioned ? r.int(0, 2) : r.int(0, 1)) {
    case 0: {
      const exprs = scalarItems(columns, version, r, w.calls, r.int(0, 2));
      const where = r.chance(0.6) ? condition(columns, version, r, w.calls) : undefined;
      const select = ['id', 'k', ...(exprs.length > 0 ? [items(exprs)] : [])].join(', ');
      const expectation = r.chance(0.2) ? ` expect has_key: k is not null else ${r.pick(['drop', 'fail'])}` : '';
      return {
        sources: source.text,
        streams: `stream s as select ${select} from l${where ? ` where ${where.text}` : ''}${expectation};`,
        sinkKey: ['id'],
        ltz: hasLtz(exprs),
        features: [...source.features, 'cdc:select', ...exprs.flatMap((e) => e.features), ...(where?.features ?? []), ...(expectation ? ['expect:cdc'] : [])],
      };
    }
    case 1: {
      const aggs = aggregates(columns, version, r, w.calls);
      return { sources: source.text, streams: `stream s as select k, ${items(aggs)} from l group by k;`, sinkKey: ['k'], features: [...source.features, 'cdc:group-aggregate', ...aggs.flatMap((e) => e.features)] };
    }
    default: {
      const left = r.chance(0.5);
      const picked = r.some(cols('y', w.l), 2).map((c, i) => `${c.ref} as c${i}`);
      return {
        sources: source.text,
        streams: `stream s as select x.id, x.k, ${picked.join(', ')} from a x ${left ? 'left join' : 'join'} l for system_time as of x.ts y on x.k = y.id;`,
        sinkKey: undefined,
        features: [...source.features, `join:temporal-cdc:${left ? 'left' : 'inner'}`],
      };
    }
  }
}

const SHAPES = [projection, windowAggregation, groupAggregation, join, join, dedupe, topN, unionAll, unnest, chained, cdc] as const;

/** Kafka metadata `a` may read: `<column> from <key>`, or the key alone as the column's name. */
const METADATA_COLUMNS: readonly { readonly column: string; readonly key: keyof typeof KAFKA_METADATA }[] = [
  { column: 'm_ts', key: 'timestamp' },
  { column: 'partition', key: 'partition' },
  { column: 'm_offset', key: 'offset' },
  { column: 'm_topic', key: 'topic' },
  { column: 'm_headers', key: 'headers' },
  { column: 'm_epoch', key: 'leader_epoch' },
  { column: 'm_ts_type', key: 'timestamp_type' },
];

function world(r: Random, index: number, calls: Calls): { world: World; schemas: GeneratedSchema[] } {
  const a = generateValueSchema(r, 'a-value', `A${index}`, r.int(2, 6));
  const b = generateValueSchema(r, 'b-value', `B${index}`, r.int(1, 4));
  const rv = generateValueSchema(r, 'r-value', `R${index}`, r.int(1, 3));
  const rk = generateKeySchema('r-key', `RKey${index}`);
  const l = generateCdcSchema(r, 'loans.public.l-value', `L${index}`, r.int(1, 3));
  const metadata = r.chance(0.3) ? r.some(METADATA_COLUMNS, r.int(1, 3)) : [];
  const aMetadata = metadata.length > 0 ? ` metadata (${metadata.map((m) => (m.column === m.key ? m.column : `${m.column} from ${m.key}`)).join(', ')})` : '';
  const metadataRow = metadata.map((m): RowField => ({ name: m.column, type: KAFKA_METADATA[m.key]?.type ?? t.string() }));
  return { world: { a: [...a.schema.row, ...metadataRow], b: b.schema.row, r: rv.schema.row, l: cdcRow(l), aMetadata, calls }, schemas: [a, b, rv, rk, l] };
}

/** The columns of a Debezium envelope's `after` row. */
function cdcRow(schema: GeneratedSchema): readonly RowField[] {
  const after = schema.schema.row.find((f) => f.name === 'after')?.type;
  return after?.kind === 'ROW' ? after.fields : [];
}

/** One valid program: a random shape over a random world. */
export function generateValid(r: Random, index: number, version: FlinkLine, calls: Calls = randomCalls): Program {
  const { world: w, schemas } = world(r, index, calls);
  let built: Built | undefined;
  while (!built) built = r.pick(SHAPES)(w, version, r);
  const name = `c${index}`;
  const declared = sources(w, r);
  // One program in four reads `a` and `b` from a library file it imports them from.
  const imported = r.chance(0.25);
  const own = [...(imported ? [`import a, b from '${LIBRARY}';`] : [declared.a, declared.b]), declared.r, ...(built.sources ? [built.sources] : [])];
  return {
    name,
    version,
    text: `${HEADER(name)}\n${own.join('\n')}\n${built.streams}\n${sink(built.sinkKey, sinkFormat(built, r), built.features.some((f) => f.startsWith('join:') || f.startsWith('unnest:')), r)}\n`,
    library: imported ? { [LIBRARY]: `-- the topics every pipeline of the project reads\n${declared.a}\n${declared.b}\n` } : {},
    schemas,
    expect: 'valid',
    mutation: undefined,
    features: [...built.features, ...declared.features, ...(imported ? ['import'] : [])],
  };
}

/** The library file imported sources are declared in. */
const LIBRARY = 'shared.pipe';

/** Mutations that should make a valid program invalid, each one edit away from it. */
const MUTATIONS: readonly { readonly name: string; readonly apply: (text: string, version: FlinkLine) => string | undefined }[] = [
  { name: 'hopping size not a multiple of the slide', apply: (t) => (t.includes('hopping(') ? t.replace(/hopping\(ts, (\d+) (\w+), (\d+) (\w+)\)/, (_m, size: string, unit: string) => `hopping(ts, ${size} ${unit}, 7 s)`) : undefined) },
  { name: 'cumulative max not a multiple of the step', apply: (t) => (t.includes('cumulative(') ? t.replace(/cumulative\(ts, (\d+) (\w+), (\d+) (\w+)\)/, 'cumulative(ts, 7 s, 1 min)') : undefined) },
  { name: 'unknown column', apply: (t) => t.replace(/stream s as select (distinct )?/, (m) => `${m}nope_column, `) },
  { name: 'updating stream into an append sink', apply: (t) => (t.includes(' upsert key ') ? t.replace(/ upsert key \([^)]*\)/, '') : undefined) },
  { name: 'window over a column that is not a time attribute', apply: (t) => (t.includes('window ') ? t.replace(/(tumbling|hopping|cumulative|session)\(ts,/, '$1(id,') : undefined) },
  { name: 'aggregate in WHERE', apply: (t) => (/ from a where /.test(t) ? t.replace(' from a where ', ' from a where count(*) > 1 and ') : undefined) },
  { name: 'string compared with a boolean', apply: (t) => (/ from a where /.test(t) ? t.replace(' from a where ', ' from a where id = true and ') : undefined) },
  { name: 'a 2.2-only overload on 1.20', apply: (t, v) => (v === '1.20' ? t.replace(/stream s as select (distinct )?/, (m) => `${m}to_timestamp_ltz(1700000000000) as newer, `) : undefined) },
  { name: 'dedupe ordered by a column that is not a time attribute', apply: (t) => (t.includes('dedupe b by') ? t.replace(/keep (first|last)( order by \w+)?/, 'keep $1 order by id') : undefined) },
  { name: 'window aggregation without the window in GROUP BY', apply: (t) => (t.includes(' window ') && t.includes('group by window_') ? t.replace(/group by (window_start, window_end|window_start|window_end)(, )?/, (_m, _w: string, comma: string | undefined) => (comma ? 'group by ' : 'group by k')) : undefined) },
  { name: 'session window grouped by a column that is not a session key', apply: (t) => (/session\(ts, \d+ \w+, k\)/.test(t) ? t.replace(/session\(ts, (\d+ \w+), k\)/, 'session(ts, $1)') : undefined) },
  // A source no stream reads is in no job: the changelog source must be one the program reads (`r` or the CDC table `l`).
  {
    name: 'on error on a changelog topic',
    apply: (t) => (t.includes(' r for system_time ') ? t.replace('primary key (id) event time ts watermark 0 s;', 'primary key (id) event time ts watermark 0 s on error skip;') : t.includes('source l from ') ? t.replace(/(source l from [^;]*);/, '$1 on error skip;') : undefined),
  },
  { name: 'unknown metadata key', apply: (t) => (t.includes(' metadata (') ? t.replace(/ metadata \((\w+) from \w+/, ' metadata ($1 from timestmp') : undefined) },
  { name: 'import of a name the library does not declare', apply: (t) => (t.includes('import a, b from') ? t.replace('import a, b from', 'import a, b, l from') : undefined) },
  { name: 'CDC source without its connection', apply: (t) => (t.includes(' via connection loans_db') ? t.replace(' via connection loans_db', '') : undefined) },
  { name: 'sum of a string', apply: (t) => t.replace(/stream s as select (distinct )?/, (m) => `${m}sum(id) as total_id, `) },
  // One mutation for each check rule (compiler/check/rules/) the ones above do not reach.
  { name: 'a select item named only white space', apply: (t) => (/ as e0\b/.test(t) && !t.includes('e0 desc') ? t.replace(/ as e0\b/, ' as `   `') : undefined) },
  { name: 'a pipeline name with a period', apply: (t) => t.replace(/^pipeline (\w+)/, 'pipeline `$1.v2`') },
  { name: 'a grouped query selecting a column it does not group', apply: (t) => (/ from a group by k(;| having)/.test(t) ? t.replace(/stream (s|g) as select k, /, 'stream $1 as select k, id, ') : undefined) },
  { name: 'last_value over a window Flink merges', apply: (t) => (/ window (hopping|cumulative|session)\(/.test(t) ? t.replace(/(stream \w+ as select (window_start, window_end|window_start|window_end)(, k)?), /, '$1, last_value(id) as last_id, ') : undefined) },
  { name: 'join keys of different types', apply: (t) => (t.includes(' on x.k = y.k') ? t.replace(' on x.k = y.k', ' on x.k = y.ts') : undefined) },
  { name: 'temporal join of a table without a primary key', apply: (t) => (t.includes(' r for system_time as of x.ts y') ? t.replace(' r for system_time as of x.ts y', ' b for system_time as of x.ts y') : undefined) },
  { name: 'temporal join as of a column that is not a time attribute', apply: (t) => (t.includes(' for system_time as of x.ts y') ? t.replace(' for system_time as of x.ts y', ' for system_time as of x.id y') : undefined) },
  {
    name: 'a versioned table whose event time is a TIMESTAMP_LTZ',
    apply: (t) => (t.includes(' r for system_time as of x.ts y') ? t.replace('primary key (id) event time ts watermark 0 s;', 'primary key (id) event time ts_ltz = cast(ts as timestamp_ltz(3)) watermark 0 s;') : undefined),
  },
  { name: 'dedupe of a changelog topic', apply: (t) => (t.includes('dedupe b by') && !t.includes('order by pt') ? t.replace('dedupe b by', 'dedupe r by') : undefined) },
  { name: 'a dead-letter expectation on an updating stream', apply: (t) => (t.includes('expect has_key: k is not null else ') ? t.replace(/expect has_key: k is not null else \w+/, "expect has_key: k is not null else dead letter 's.rejected'") : undefined) },
  { name: 'exactly-once delivery without checkpoints', apply: (t) => t.replace(/^pipeline (\w+) with \(checkpoint = 10 s\);/, 'pipeline $1 with (delivery = exactly_once);') },
  { name: 'a password in a with clause', apply: (t) => t.replace(/(\nsink s into [^;]*);/, "$1 with ('properties.ssl.keystore.password' = 'hunter2');") },
  { name: 'a topic name Kafka refuses', apply: (t) => t.replace("into kafka topic 'out'", "into kafka topic 'out/all'") },
  { name: 'a sink in Protobuf', apply: (t) => t.replace(/(into kafka topic 'out' format) (avro|json)/, '$1 protobuf') },
  { name: 'an upsert key other than the stream key', apply: (t) => (/ from (a|l) group by k(;| having)/.test(t) && t.includes(' upsert key (k)') ? t.replace(' upsert key (k)', ' upsert key (e0)') : undefined) },
  { name: 'a session window Top-N', apply: (t) => (/stream s as top \d+ from w per window_start/.test(t) ? t.replace(/window (tumbling|hopping|cumulative)\(ts, [^)]*\)/, 'window session(ts, 5 min, k)') : undefined) },
];

/**
 * One near-miss: a random mutation, applied to the first of some valid programs it applies to (undefined when
 * none does). The mutation is drawn first, so each is as frequent as any other however rare the programs it
 * needs (a window Top-N, a temporal join) and however many programs the others apply to.
 */
export function generateNearMiss(r: Random, index: number, version: FlinkLine): Program | undefined {
  const mutation = r.pick(MUTATIONS);
  for (let attempt = 0; attempt < 40; attempt++) {
    const valid = generateValid(r, index, version);
    const text = mutation.apply(valid.text, version);
    if (text !== undefined && text !== valid.text) return { ...valid, text, expect: 'near-miss', mutation: mutation.name };
  }
  return undefined;
}

export const MUTATION_NAMES: readonly string[] = MUTATIONS.map((m) => m.name);
