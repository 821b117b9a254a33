/**
 * The upgrade classifier's analysis of one plan: its stateful operators (group and window aggregates,
 * `select distinct`, joins, ranks) with what defines each one's state and what feeds it, its sources' state
 * signatures, the lineage of every relation, and which views hold or read state. Pure.
 */
import type { Span } from '../source/source.ts';
import type { SqlType, TimeAttribute } from '../types/types.ts';
import type { FromPlan, JoinPlan, PipelinePlan, PlanExpr, QueryPlan, SinkPlan, SourcePlan, ViewPlan } from '../plan/plan.ts';
import { aggregatesIn, eachExpr } from '../plan/expr-walk.ts';
import { assertNever } from '../util/invariant.ts';
import { canon } from './canonical.ts';

export type OperatorKind = OperatorState['kind'];

/** A window aggregation's window: its function, sizes, time column and session keys. */
export interface WindowShape {
  readonly function: string;
  readonly sizes: readonly number[];
  readonly time: string;
  readonly partition: readonly string[];
}

/** A column a join keeps in its state: the input it comes from, its name and type. */
export interface JoinedColumn {
  readonly input: string;
  readonly column: string;
  readonly type: SqlType;
}

/** What defines a stateful operator's state (compared in canonical form, see canonical.ts). */
export type OperatorState =
  | {
      readonly kind: 'group-aggregate' | 'window-aggregate';
      readonly keys: readonly PlanExpr[];
      readonly window: WindowShape | undefined;
      /**
       * In order: Flink keeps a group's accumulators as one row, one field per aggregate call in the order the
       * query lists them, so a reordered or swapped pair maps the old values onto the wrong aggregate. A call
       * written twice is planned once (its first place counts).
       */
      readonly aggregates: readonly PlanExpr[];
    }
  | {
      readonly kind: 'join';
      /** `<join kind> <join type>`, e.g. `regular inner`. */
      readonly type: string;
      readonly on: PlanExpr;
      readonly asOf: PlanExpr | undefined;
      readonly stored: readonly JoinedColumn[];
      readonly where: PlanExpr | undefined;
    }
  | {
      readonly kind: 'rank';
      readonly partition: readonly string[];
      readonly order: readonly { readonly column: string; readonly descending: boolean }[];
      readonly limit: number;
      /** The rank keeps whole rows: their types are its state schema (names are not); nested, its columns. */
      readonly columns: readonly (SqlType | string)[];
      /**
       * The time attribute a first or last row per key is chosen by: Flink plans such a rank as a deduplicate
       * operator, whose state (for event time) mini-batch changes. Undefined for other ranks and nested ones.
       */
      readonly dedupe: TimeAttribute | undefined;
    }
  | { readonly kind: 'distinct'; readonly columns: readonly { readonly name: string; readonly expression: PlanExpr }[] };

export interface Operator {
  /** Stable within a view: `aggregate`, `join 1`, `rank`, `distinct`, with `subquery ` prefixes when nested. */
  readonly key: string;
  readonly view: string;
  readonly span: Span;
  readonly state: OperatorState;
  /** Canonical text of everything feeding the operator (relations expanded to their lineage). */
  readonly input: string;
  /** The relations it reads, directly or not (to name the one that changed). */
  readonly upstream: readonly string[];
}

export interface Analysis {
  readonly plan: PipelinePlan;
  readonly sources: ReadonlyMap<string, SourcePlan>;
  readonly views: ReadonlyMap<string, ViewPlan>;
  readonly sinks: ReadonlyMap<string, SinkPlan>;
  /** By `<view>/<operator key>`. */
  readonly operators: ReadonlyMap<string, Operator>;
  /** Canonical state signature of each source (what restored offsets and the rows read depend on). */
  readonly sourceIdentity: ReadonlyMap<string, string>;
  readonly lineage: (relation: string) => string;
  /** Views with a stateful operator, or reading one (directly or not). */
  readonly statefulViews: ReadonlySet<string>;
}

/** The stateful operators of a plan, its sources' state signatures and the lineage of every relation. */
export function analyse(plan: PipelinePlan): Analysis {
  const sources = new Map(plan.sources.map((s) => [s.name, s]));
  const views = new Map(plan.views.map((v) => [v.name, v]));
  const sinks = new Map(plan.sinks.map((s) => [s.table, s]));
  const referenced = referencedColumns(plan);
  const sourceIdentity = new Map(plan.sources.map((s) => [s.name, canon(sourceSignature(s, referenced))]));
  const memo = new Map<string, string>();
  const lineage = (relation: string): string => {
    const hit = memo.get(relation);
    if (hit !== undefined) return hit;
    memo.set(relation, `(cycle ${relation})`);
    const source = sourceIdentity.get(relation);
    const view = views.get(relation);
    const text = source !== undefined ? `source:${source}` : view ? `view:${canon(expandQuery(view.query, lineage))}` : `unknown:${relation}`;
    memo.set(relation, text);
    return text;
  };
  const closure = (relation: string, seen: Set<string>): void => {
    if (seen.has(relation)) return;
    seen.add(relation);
    const view = views.get(relation);
    if (view) for (const r of relationsOf(view.query)) closure(r, seen);
  };
  const operators = new Map<string, Operator>();
  for (const v of plan.views) {
    const seen = new Set<string>();
    for (const r of relationsOf(v.query)) closure(r, seen);
    for (const op of queryOperators(v, v.query, '', lineage)) operators.set(`${op.view}/${op.key}`, { ...op, upstream: [...seen].sort() });
  }
  const statefulViews = new Set<string>();
  const reads = (q: QueryPlan): string[] => relationsOf(q);
  let grew = true;
  for (const op of operators.values()) statefulViews.add(op.view);
  while (grew) {
    grew = false;
    for (const v of plan.views) {
      if (statefulViews.has(v.name)) continue;
      if (reads(v.query).some((r) => statefulViews.has(r))) {
        statefulViews.add(v.name);
        grew = true;
      }
    }
  }
  return { plan, sources, views, sinks, operators, sourceIdentity, lineage, statefulViews };
}

/** Column names any query, window or sink of the plan reads (by name: a safe over-approximation). */
function referencedColumns(plan: PipelinePlan): Set<string> {
  const out = new Set<string>();
  const expr = (e: PlanExpr | undefined): void => {
    if (!e) return;
    eachExpr(e, (x) => {
      if (x.kind === 'column') out.add(x.column);
    });
  };
  const from = (f: FromPlan): void => {
    switch (f.kind) {
      case 'scan':
        return;
      case 'subquery':
        query(f.query);
        return;
      case 'window':
        out.add(f.timeColumn);
        for (const c of f.partitionBy) out.add(c);
        from(f.input);
        return;
      default:
        assertNever(f, 'from');
    }
  };
  const query = (q: QueryPlan): void => {
    switch (q.kind) {
      case 'select':
        from(q.from);
        for (const j of q.joins) {
          if (j.kind === 'unnest') expr(j.expression);
          else {
            from(j.right);
            expr(j.on);
            expr(j.asOf);
          }
        }
        expr(q.where);
        expr(q.having);
        for (const g of q.groupBy) expr(g);
        for (const c of q.columns) expr(c.expression);
        return;
      case 'union':
        for (const i of q.inputs) query(i);
        return;
      case 'rank':
        for (const c of [...q.columns, ...q.partitionBy, ...q.orderBy.map((o) => o.column)]) out.add(c);
        return;
      default:
        assertNever(q, 'query');
    }
  };
  for (const v of plan.views) query(v.query);
  for (const s of plan.sinks) {
    if (!plan.views.some((v) => v.name === s.input)) for (const c of s.columns) out.add(c.name);
  }
  // A watermark or a computed column reads its columns even when no query does.
  for (const s of plan.sources) {
    if (s.watermark) out.add(s.watermark.column);
    for (const c of s.columns) if (c.origin === 'computed') expr(c.expression);
    for (const k of s.primaryKey) out.add(k);
  }
  return out;
}

/** What a source contributes to state: its identity and the columns read, not its watermark delay or startup. */
function sourceSignature(s: SourcePlan, referenced: ReadonlySet<string>): unknown {
  return {
    system: s.system,
    topic: s.topic,
    table: s.table,
    connection: s.connection,
    value: { format: s.value.format, subject: s.value.subject },
    key: s.key ? { format: s.key.format, subject: s.key.subject, columns: s.key.columns } : undefined,
    changelog: s.changelog,
    primaryKey: s.primaryKey,
    timeColumn: s.watermark?.column,
    // The columns and types each operator reads are in its expressions (every expression carries its type);
    // computed columns are part of the source.
    computed: s.columns.filter((c) => c.origin === 'computed' || c.origin === 'metadata').filter((c) => referenced.has(c.name)),
  };
}

function relationsOf(q: QueryPlan): string[] {
  const out: string[] = [];
  const from = (f: FromPlan): void => {
    switch (f.kind) {
      case 'scan':
        out.push(f.relation);
        return;
      case 'subquery':
        out.push(...relationsOf(f.query));
        return;
      case 'window':
        from(f.input);
        return;
      default:
        assertNever(f, 'from');
    }
  };
  switch (q.kind) {
    case 'select':
      from(q.from);
      for (const j of q.joins) if (j.kind !== 'unnest') from(j.right);
      break;
    case 'union':
      for (const i of q.inputs) out.push(...relationsOf(i));
      break;
    case 'rank':
      out.push(q.input);
      break;
    default:
      assertNever(q, 'query');
  }
  return out;
}

/** The query with every relation it scans replaced by that relation's lineage, union inputs sorted. */
export function expandQuery(q: QueryPlan, lineage: (r: string) => string): unknown {
  const from = (f: FromPlan): unknown => {
    switch (f.kind) {
      case 'scan':
        return { kind: 'scan', alias: f.alias, relation: lineage(f.relation) };
      case 'subquery':
        return { kind: 'subquery', alias: f.alias, query: expandQuery(f.query, lineage) };
      case 'window':
        return { ...f, input: from(f.input) };
      default:
        return assertNever(f, 'from');
    }
  };
  switch (q.kind) {
    case 'select':
      return { ...q, from: from(q.from), joins: q.joins.map((j) => (j.kind === 'unnest' ? j : { ...j, right: from(j.right) })) };
    case 'union':
      // Reordering UNION ALL inputs keeps state: compare them as a set.
      return { kind: 'union', inputs: q.inputs.map((i) => canon(expandQuery(i, lineage))).sort() };
    case 'rank':
      return { ...q, input: lineage(q.input) };
    default:
      return assertNever(q, 'query');
  }
}

/**
 * The input columns a query with joins reads above its filter: Flink prunes each join input to these, and the
 * join keeps those input rows as its state, so their set (by input, name and type) is the state's shape. A
 * column only the `where` reads may be filtered before the join and pruned; the filter is its own part.
 */
function joinedColumns(q: Extract<QueryPlan, { kind: 'select' }>): JoinedColumn[] {
  const out = new Map<string, JoinedColumn>();
  const read = (e: PlanExpr | undefined): void => {
    if (e) eachExpr(e, (x) => {
      if (x.kind === 'column') {
        const column = { input: x.input ?? '', column: x.column, type: x.type };
        out.set(canon([column.input, column.column, column.type]), column);
      }
    });
  };
  for (const c of q.columns) read(c.expression);
  for (const g of q.groupBy) read(g);
  read(q.having);
  for (const j of q.joins) {
    if (j.kind === 'unnest') read(j.expression);
    else {
      read(j.on);
      read(j.asOf);
    }
  }
  return [...out.keys()].sort().map((k) => out.get(k) as JoinedColumn);
}

function dedupeTime(viewPlan: ViewPlan, q: Extract<QueryPlan, { kind: 'rank' }>): TimeAttribute | undefined {
  const [order, ...more] = q.orderBy;
  if (q.limit !== 1 || order === undefined || more.length > 0) return undefined;
  const type = viewPlan.columns.find((c) => c.name === order.column)?.type;
  return type?.kind === 'TIMESTAMP' || type?.kind === 'TIMESTAMP_LTZ' ? type.timeAttribute : undefined;
}

function queryOperators(viewPlan: ViewPlan, q: QueryPlan, prefix: string, lineage: (r: string) => string): Omit<Operator, 'upstream'>[] {
  const view = viewPlan.name;
  switch (q.kind) {
    case 'union':
      return q.inputs.flatMap((i, n) => queryOperators(viewPlan, i, `${prefix}union input ${n + 1} `, lineage));
    case 'rank':
      return [
        {
          key: `${prefix}rank`,
          view,
          span: q.span,
          state: { kind: 'rank', partition: q.partitionBy, order: q.orderBy, limit: q.limit, columns: prefix === '' ? viewPlan.columns.map((c) => c.type) : q.columns, dedupe: prefix === '' ? dedupeTime(viewPlan, q) : undefined },
          input: lineage(q.input),
        },
      ];
    case 'select': {
      const ops: Omit<Operator, 'upstream'>[] = [];
      const nested = (f: FromPlan, where: string): void => {
        if (f.kind === 'subquery') ops.push(...queryOperators(viewPlan, f.query, `${prefix}${where} subquery `, lineage));
        if (f.kind === 'window') nested(f.input, where);
      };
      nested(q.from, 'from');
      const expandFrom = (f: FromPlan): string => canon(expandQuery({ kind: 'select', distinct: false, from: f, joins: [], where: undefined, groupBy: [], having: undefined, columns: [], span: q.span }, lineage));
      let upstream = [expandFrom(q.from)];
      const stored = q.joins.some((j) => j.kind !== 'unnest') ? joinedColumns(q) : [];
      q.joins.forEach((j: JoinPlan, n) => {
        if (j.kind === 'unnest') {
          upstream = [...upstream, canon(j)];
          return;
        }
        nested(j.right, `join ${n + 1}`);
        const right = expandFrom(j.right);
        ops.push({
          key: `${prefix}join ${n + 1}`,
          view,
          span: j.span,
          state: { kind: 'join', type: `${j.kind} ${j.joinType}`, on: j.on, asOf: j.asOf, stored, where: q.where },
          input: canon({ left: upstream, right }),
        });
        upstream = [...upstream, canon({ join: j.kind, type: j.joinType, on: j.on, right })];
      });
      const input = canon({ upstream, where: q.where ?? null });
      const aggs = q.columns.flatMap((c) => aggregatesIn(c.expression)).concat(q.having ? aggregatesIn(q.having) : []);
      if (q.groupBy.length > 0 || aggs.length > 0) {
        const windowed = q.from.kind === 'window' ? q.from : undefined;
        ops.push({
          key: `${prefix}aggregate`,
          view,
          span: q.span,
          state: {
            kind: windowed ? 'window-aggregate' : 'group-aggregate',
            keys: q.groupBy,
            window: windowed ? { function: windowed.function, sizes: windowed.durationsMillis, time: windowed.timeColumn, partition: windowed.partitionBy } : undefined,
            aggregates: firstOfEach(aggs),
          },
          input,
        });
      } else if (q.distinct) {
        ops.push({ key: `${prefix}distinct`, view, span: q.span, state: { kind: 'distinct', columns: q.columns }, input });
      }
      return ops;
    }
    default:
      return assertNever(q, 'query');
  }
}

/** Each expression once (by canonical form), at its first place. */
function firstOfEach(exprs: readonly PlanExpr[]): PlanExpr[] {
  const first = new Map<string, PlanExpr>();
  for (const e of exprs) {
    const key = canon(e);
    if (!first.has(key)) first.set(key, e);
  }
  return [...first.values()];
}
