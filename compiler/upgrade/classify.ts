/**
 * Will a running job's state carry over to the new plan? Compares the previous and the new plan of one
 * pipeline (both as written to `<pipeline>/plan.json`) and judges the upgrade, naming every change that
 * matters for state. Pure.
 *
 * The model: a savepoint holds state per operator, and inside an operator by position and type (a group's
 * accumulators are one row in the order the aggregates are written; a join keeps its input rows, pruned to
 * the columns read; a rank keeps whole rows). pipec starts jobs from compiled plans whose operator ids follow
 * the deployed plan, so an operator finds its state while it, its state's shape and what feeds it stay the
 * same. The stateful operators are group and window aggregates, `select distinct`, joins (regular, interval,
 * temporal) and ranks (dedupe, top-N); sources (offsets) and sinks (writer state) hold state too. The rules,
 * with the reason for each, are the table in docs/upgrades.md, which users read: keep the two in step.
 *
 * Adding a non-distinct aggregate is incompatible here (a vendor that migrates accumulator state keeps the
 * others): open-source Flink (1.20, 2.2) keeps all accumulators of a group in one RowData whose serializer
 * refuses a different field list on restore (RowDataSerializerSnapshot; FLIP-527 for state schema evolution of
 * RowData is not done).
 */
import { stableStringify } from '../schemas/fingerprint.ts';
import type { Span } from '../source/source.ts';
import type { FromPlan, JoinPlan, PipelinePlan, PlanExpr, QueryPlan, SinkPlan, SourcePlan, ViewPlan } from '../plan/plan.ts';
import { aggregatesIn, eachExpr } from '../plan/expr-walk.ts';
import { assertNever } from '../util/invariant.ts';

export type StateVerdict = 'compatible' | 'compatible-dropping-state' | 'incompatible';

/** Which row of the rule table a change falls under. */
export type StateRule =
  | 'flink-version'
  | 'job-setting'
  | 'state-ttl-toggled'
  | 'mini-batch-toggled'
  | 'source-identity'
  | 'source-compatible'
  | 'source-added'
  | 'source-removed'
  | 'group-keys'
  | 'aggregates'
  | 'window'
  | 'join'
  | 'rank'
  | 'distinct'
  | 'operator-input'
  | 'operator-added'
  | 'operator-removed'
  | 'union-inputs'
  | 'union-reordered'
  | 'stateless-view'
  | 'sink-added'
  | 'sink-removed'
  | 'sink-changed'
  | 'sink-materializer';

export interface StateChange {
  readonly verdict: StateVerdict;
  readonly rule: StateRule;
  /** What changed, e.g. `view hourly_volume`, `sink top_merchants_topic`, `source payments`. */
  readonly subject: string;
  /** The change, in words, e.g. `group keys changed from (currency) to (currency, status)`. */
  readonly change: string;
  /** Where in the new `.pipe` text (absent when the thing was removed). */
  readonly span: Span | undefined;
}

export interface Classification {
  readonly verdict: StateVerdict;
  /** True when the plans are the same once spans and comments are ignored. */
  readonly identical: boolean;
  /** Every change that matters for state, worst first. */
  readonly changes: readonly StateChange[];
}

export interface ClassifyOptions {
  /** The Flink version each plan was compiled for (the manifest's `job.flinkVersion`). */
  readonly previousFlinkVersion?: string | undefined;
  readonly nextFlinkVersion?: string | undefined;
}

const RANK: Readonly<Record<StateVerdict, number>> = { compatible: 0, 'compatible-dropping-state': 1, incompatible: 2 };

export function worst(verdicts: readonly StateVerdict[]): StateVerdict {
  return verdicts.reduce<StateVerdict>((a, b) => (RANK[b] > RANK[a] ? b : a), 'compatible');
}

export function classify(previousPlan: PipelinePlan, nextPlan: PipelinePlan, options: ClassifyOptions = {}): Classification {
  // One form for both sides: a plan read from plan.json has null where one in memory has undefined. Spans go
  // too; the new plan's spans are kept aside to point at the user's text.
  const previous = nullsToUndefined(previousPlan);
  const next = nullsToUndefined(nextPlan);
  const identical = canon(comparable(previous)) === canon(comparable(next));
  const changes: StateChange[] = [];
  const versionChanged = options.previousFlinkVersion !== undefined && options.nextFlinkVersion !== undefined && options.previousFlinkVersion !== options.nextFlinkVersion;
  if (versionChanged) {
    changes.push({
      verdict: identical ? 'compatible' : 'incompatible',
      rule: 'flink-version',
      subject: `pipeline ${next.name}`,
      change: identical
        ? `Flink ${options.previousFlinkVersion} → ${options.nextFlinkVersion} with an identical plan: the compiled plan keeps operator ids, but Flink promises no savepoint compatibility between 1.x and 2.x — test the restore first`
        : `Flink ${options.previousFlinkVersion} → ${options.nextFlinkVersion} together with a changed plan: a new planner may lay out operators differently, so state cannot be mapped`,
      span: next.span,
    });
  }
  if (!identical) {
    const before = analyse(previous);
    const after = analyse(next);
    changes.push(...settingChanges(previous, next, before, after));
    changes.push(...sourceChanges(before, after));
    changes.push(...operatorChanges(before, after));
    changes.push(...unionChanges(before, after));
    changes.push(...viewChanges(before, after));
    changes.push(...sinkChanges(before, after));
  }
  const sorted = [...changes].sort((a, b) => RANK[b.verdict] - RANK[a.verdict]);
  return { verdict: worst(sorted.map((c) => c.verdict)), identical, changes: sorted };
}

// ── canonical forms ───────────────────────────────────────────────────────────────────────────────

/** Drops spans and absent values (plan.json writes `undefined` as null), so a plan read back compares equal. */
export function stripPlan(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripPlan);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'span' || v === undefined || v === null) continue;
      out[k] = stripPlan(v);
    }
    return out;
  }
  return value;
}

function nullsToUndefined<T>(value: T): T {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = strip(x);
      return out;
    }
    return v;
  };
  return strip(value) as T;
}

function canon(value: unknown): string {
  return stableStringify(stripPlan(value));
}

/** What of a pipeline plan runs: not who owns it, how it is described, or which file it lives in. */
function comparable(p: PipelinePlan): unknown {
  return { name: p.name, settings: p.settings, sources: p.sources, views: p.views, sinks: p.sinks };
}

// ── analysis of one plan ──────────────────────────────────────────────────────────────────────────

type OperatorKind = 'group-aggregate' | 'window-aggregate' | 'distinct' | 'join' | 'rank';

interface Operator {
  /** Stable within a view: `aggregate`, `join 1`, `rank`, `distinct`, with `subquery ` prefixes when nested. */
  readonly key: string;
  readonly view: string;
  readonly kind: OperatorKind;
  readonly span: Span;
  /** The parts that define the operator's state, each canonical. */
  readonly parts: Readonly<Record<string, string>>;
  /** Canonical text of everything feeding the operator (relations expanded to their lineage). */
  readonly input: string;
  /** The relations it reads, directly or not (to name the one that changed). */
  readonly upstream: readonly string[];
}

interface Analysis {
  readonly plan: PipelinePlan;
  readonly sources: ReadonlyMap<string, SourcePlan>;
  readonly views: ReadonlyMap<string, ViewPlan>;
  readonly sinks: ReadonlyMap<string, SinkPlan>;
  readonly operators: ReadonlyMap<string, Operator>;
  /** Canonical state signature of each source (what restored offsets and the rows read depend on). */
  readonly sourceIdentity: ReadonlyMap<string, string>;
  readonly lineage: (relation: string) => string;
  /** Views with a stateful operator, or reading one (directly or not). */
  readonly statefulViews: ReadonlySet<string>;
}

function analyse(plan: PipelinePlan): Analysis {
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
function expandQuery(q: QueryPlan, lineage: (r: string) => string): unknown {
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
function joinedColumns(q: Extract<QueryPlan, { kind: 'select' }>): string {
  const out = new Set<string>();
  const read = (e: PlanExpr | undefined): void => {
    if (e) eachExpr(e, (x) => {
      if (x.kind === 'column') out.add(canon([x.input ?? '', x.column, x.type]));
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
  return canon([...out].sort());
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
          kind: 'rank',
          span: q.span,
          // The rank keeps whole rows: their types are its state schema (names are not).
          parts: { partition: canon(q.partitionBy), order: canon(q.orderBy), limit: String(q.limit), columns: canon(prefix === '' ? viewPlan.columns.map((c) => c.type) : q.columns) },
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
      const stored = q.joins.some((j) => j.kind !== 'unnest') ? joinedColumns(q) : '';
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
          kind: 'join',
          span: j.span,
          parts: { type: `${j.kind} ${j.joinType}`, on: canon(j.on), asOf: canon(j.asOf ?? null), stored, where: canon(q.where ?? null) },
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
          kind: windowed ? 'window-aggregate' : 'group-aggregate',
          span: q.span,
          parts: {
            keys: canon(q.groupBy),
            window: windowed ? canon({ function: windowed.function, sizes: windowed.durationsMillis, time: windowed.timeColumn, partition: windowed.partitionBy }) : 'none',
            // In order: Flink keeps a group's accumulators as one row, one field per aggregate call in the order
            // the query lists them, so a reordered or swapped pair maps the old values onto the wrong aggregate.
            // A call written twice is planned once (its first place counts).
            aggregates: canon([...new Set(aggs.map(stripPlan).map((a) => canon(a)))]),
          },
          input,
        });
      } else if (q.distinct) {
        ops.push({ key: `${prefix}distinct`, view, kind: 'distinct', span: q.span, parts: { columns: canon(q.columns) }, input });
      }
      return ops;
    }
    default:
      return assertNever(q, 'query');
  }
}

// ── comparisons ───────────────────────────────────────────────────────────────────────────────────

function settingChanges(previous: PipelinePlan, next: PipelinePlan, before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  const a = previous.settings;
  const b = next.settings;
  const subject = `pipeline ${next.name}`;
  const hasState = before.operators.size > 0 && after.operators.size > 0;
  if ((a.stateTtlMillis == null) !== (b.stateTtlMillis == null) && hasState) {
    out.push({ verdict: 'incompatible', rule: 'state-ttl-toggled', subject, change: `state TTL switched ${b.stateTtlMillis == null ? 'off' : 'on'}: state written with and without TTL is serialized differently`, span: next.span });
  } else if (a.stateTtlMillis !== b.stateTtlMillis) {
    out.push({ verdict: 'compatible', rule: 'job-setting', subject, change: `state TTL changed from ${a.stateTtlMillis} ms to ${b.stateTtlMillis} ms`, span: next.span });
  }
  const aggregates = (x: Analysis): boolean => [...x.operators.values()].some((o) => o.kind === 'group-aggregate' || o.kind === 'distinct');
  if (a.miniBatch !== b.miniBatch && aggregates(before) && aggregates(after)) {
    out.push({ verdict: 'incompatible', rule: 'mini-batch-toggled', subject, change: `mini-batch switched ${b.miniBatch ? 'on' : 'off'}: group aggregates become ${b.miniBatch ? 'local/global' : 'single'} operators with other state`, span: next.span });
  }
  for (const key of ['parallelism', 'checkpointMillis', 'idleTimeoutMillis', 'delivery'] as const) {
    if (a[key] !== b[key]) out.push({ verdict: 'compatible', rule: 'job-setting', subject, change: `${key} changed from ${String(a[key])} to ${String(b[key])}`, span: next.span });
  }
  return out;
}

function sourceChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  for (const [name, old] of before.sources) {
    const now = after.sources.get(name);
    if (!now) {
      out.push({ verdict: 'compatible-dropping-state', rule: 'source-removed', subject: `source ${name}`, change: `removed: its read offsets are dropped from the savepoint`, span: undefined });
      continue;
    }
    for (const field of ['system', 'topic', 'table', 'connection'] as const) {
      if (old[field] !== now[field]) out.push({ verdict: 'incompatible', rule: 'source-identity', subject: `source ${name}`, change: `${field} changed from ${show(old[field])} to ${show(now[field])}: the restored offsets belong to the old one`, span: now.span });
    }
    if (old.value.format !== now.value.format || old.key?.format !== now.key?.format) {
      out.push({ verdict: 'incompatible', rule: 'source-identity', subject: `source ${name}`, change: `format changed from ${old.value.format} to ${now.value.format}`, span: now.span });
    }
    if (canon(old.changelog) !== canon(now.changelog) || canon(old.primaryKey) !== canon(now.primaryKey)) {
      out.push({ verdict: 'incompatible', rule: 'source-identity', subject: `source ${name}`, change: `changelog or primary key changed (${describeChangelog(old)} → ${describeChangelog(now)})`, span: now.span });
    }
    if (before.sourceIdentity.get(name) !== after.sourceIdentity.get(name) && !out.some((c) => c.subject === `source ${name}`)) {
      // The columns read or the time column changed: this shows at the operators reading it, if any.
      out.push({ verdict: 'compatible', rule: 'source-compatible', subject: `source ${name}`, change: `the columns read or the time attribute changed`, span: now.span });
    } else if (canon(old) !== canon(now) && before.sourceIdentity.get(name) === after.sourceIdentity.get(name)) {
      out.push({ verdict: 'compatible', rule: 'source-compatible', subject: `source ${name}`, change: `changed only in what state does not depend on (watermark delay, startup, options, columns no query reads)`, span: now.span });
    }
  }
  for (const [name, now] of after.sources) {
    if (!before.sources.has(name)) out.push({ verdict: 'compatible', rule: 'source-added', subject: `source ${name}`, change: `added: it starts from its startup mode (${now.startup?.mode ?? 'group offsets'})`, span: now.span });
  }
  return out;
}

const KIND_WORDS: Readonly<Record<OperatorKind, string>> = {
  'group-aggregate': 'aggregate',
  'window-aggregate': 'window aggregate',
  distinct: 'distinct',
  join: 'join',
  rank: 'rank',
};

function operatorChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  const added = [...after.operators.entries()].filter(([k]) => !before.operators.has(k));
  const removed = [...before.operators.entries()].filter(([k]) => !after.operators.has(k));
  // A view renamed with its operator unchanged keeps the same state shape at the same place in the plan.
  const renamed = new Set<string>();
  for (const [rk, r] of removed) {
    const twin = added.find(([ak, a]) => !renamed.has(ak) && a.kind === r.kind && a.input === r.input && canon(a.parts) === canon(r.parts));
    if (twin) {
      renamed.add(twin[0]);
      renamed.add(rk);
      out.push({ verdict: 'compatible', rule: 'operator-input', subject: `view ${twin[1].view}`, change: `the ${KIND_WORDS[r.kind]} of view ${r.view} moved to view ${twin[1].view} unchanged`, span: twin[1].span });
    }
  }
  for (const [key, old] of before.operators) {
    const now = after.operators.get(key);
    if (!now) {
      if (!renamed.has(key)) out.push({ verdict: 'compatible-dropping-state', rule: 'operator-removed', subject: `view ${old.view}`, change: `the ${KIND_WORDS[old.kind]} (${old.key}) is gone: its state is dropped from the savepoint`, span: undefined });
      continue;
    }
    const subject = `view ${now.view}`;
    const what = KIND_WORDS[now.kind];
    if (old.kind !== now.kind) {
      out.push({ verdict: 'incompatible', rule: now.kind === 'window-aggregate' || old.kind === 'window-aggregate' ? 'window' : 'operator-input', subject, change: `the ${KIND_WORDS[old.kind]} became a ${what}`, span: now.span });
      continue;
    }
    const differs = (part: string): boolean => old.parts[part] !== now.parts[part];
    switch (now.kind) {
      case 'group-aggregate':
      case 'window-aggregate':
        if (differs('keys')) out.push({ verdict: 'incompatible', rule: 'group-keys', subject, change: `group keys changed from (${keyNames(old.parts['keys'])}) to (${keyNames(now.parts['keys'])})`, span: now.span });
        if (differs('window')) out.push({ verdict: 'incompatible', rule: 'window', subject, change: `window changed from ${windowText(old.parts['window'])} to ${windowText(now.parts['window'])}`, span: now.span });
        if (differs('aggregates')) out.push({ verdict: 'incompatible', rule: 'aggregates', subject, change: aggregateChange(old.parts['aggregates'], now.parts['aggregates']), span: now.span });
        break;
      case 'join':
        if (differs('type')) out.push({ verdict: 'incompatible', rule: 'join', subject, change: `join type changed from ${old.parts['type']} to ${now.parts['type']}`, span: now.span });
        if (differs('on') || differs('asOf')) out.push({ verdict: 'incompatible', rule: 'join', subject, change: `join condition (keys) changed`, span: now.span });
        else if (differs('stored')) out.push({ verdict: 'incompatible', rule: 'join', subject, change: `the columns the query reads from the joined inputs changed: the join keeps its input rows, pruned to those columns, so their shape changed`, span: now.span });
        if (differs('where')) out.push({ verdict: 'incompatible', rule: 'join', subject, change: `the filter over the join changed: Flink may apply it before the join, so the rows the join kept were chosen by the old filter`, span: now.span });
        break;
      case 'rank':
        for (const part of ['partition', 'order', 'limit'] as const) {
          if (differs(part)) out.push({ verdict: 'incompatible', rule: 'rank', subject, change: `rank ${part} changed from ${short(old.parts[part])} to ${short(now.parts[part])}`, span: now.span });
        }
        if (differs('columns')) out.push({ verdict: 'incompatible', rule: 'rank', subject, change: `the rows the rank keeps changed columns: ${short(old.parts['columns'])} → ${short(now.parts['columns'])}`, span: now.span });
        break;
      case 'distinct':
        if (differs('columns')) out.push({ verdict: 'incompatible', rule: 'distinct', subject, change: `the distinct columns changed`, span: now.span });
        break;
      default:
        assertNever(now.kind, 'operator kind');
    }
    if (old.input !== now.input) {
      out.push({ verdict: 'incompatible', rule: 'operator-input', subject, change: `what feeds the ${what} (${now.key}) changed upstream: ${inputDifference(before, after, old, now)}`, span: now.span });
    }
  }
  for (const [key, now] of added) {
    if (renamed.has(key)) continue;
    out.push({ verdict: 'compatible', rule: 'operator-added', subject: `view ${now.view}`, change: `a new ${KIND_WORDS[now.kind]} starts with empty state from the restored source offsets (it does not see earlier records)`, span: now.span });
  }
  return out;
}

function unionChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  for (const [name, now] of after.views) {
    const old = before.views.get(name);
    if (!old || old.query.kind !== 'union' || now.query.kind !== 'union') continue;
    const a = old.query.inputs.map((i) => canon(expandQuery(i, before.lineage)));
    const b = now.query.inputs.map((i) => canon(expandQuery(i, after.lineage)));
    if (a.length !== b.length) {
      out.push({ verdict: 'incompatible', rule: 'union-inputs', subject: `view ${name}`, change: `UNION ALL inputs changed from ${a.length} to ${b.length}: the operators after it move`, span: now.span });
    } else if (canon(a) !== canon(b) && canon([...a].sort()) === canon([...b].sort())) {
      out.push({ verdict: 'compatible', rule: 'union-reordered', subject: `view ${name}`, change: `UNION ALL inputs reordered`, span: now.span });
    }
  }
  return out;
}

function viewChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  for (const [name, now] of after.views) {
    const old = before.views.get(name);
    if (!old || after.statefulViews.has(name) || before.statefulViews.has(name)) continue;
    if (now.query.kind === 'union' && old.query.kind === 'union') continue;
    if (canon(old.query) !== canon(now.query) || canon(old.columns) !== canon(now.columns)) {
      out.push({ verdict: 'compatible', rule: 'stateless-view', subject: `view ${name}`, change: `changed, and holds no state: rows from now on follow the new query`, span: now.span });
    }
  }
  return out;
}

function sinkChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  for (const [table, old] of before.sinks) {
    const now = after.sinks.get(table);
    if (!now) {
      out.push({ verdict: 'compatible-dropping-state', rule: 'sink-removed', subject: `sink ${table}`, change: `removed (it wrote ${old.object}): its writer state is dropped from the savepoint`, span: undefined });
      continue;
    }
    const subject = `sink ${table}`;
    // Flink puts an upsert materializer (state: the rows per key) before an updating sink whose key is not the
    // key its input updates by. Its state schema is the row's types.
    const materialized = (s: SinkPlan): boolean => s.changelog.kind === 'updating' && s.keyColumns.length > 0 && canon([...(s.changelog.key ?? [])].sort()) !== canon([...s.keyColumns].sort());
    if ((materialized(old) || materialized(now)) && (canon(old.keyColumns) !== canon(now.keyColumns) || canon(old.columns.map((c) => c.type)) !== canon(now.columns.map((c) => c.type)))) {
      out.push({ verdict: 'incompatible', rule: 'sink-materializer', subject, change: `the updating sink's key (${old.keyColumns.join(', ')} → ${now.keyColumns.join(', ')}) or columns changed: its upsert materializer keeps rows of the old shape`, span: now.span });
      continue;
    }
    if (canon(old) !== canon(now)) {
      const fields = Object.keys(stripPlan(now) as object).filter((k) => canon((old as unknown as Record<string, unknown>)[k]) !== canon((now as unknown as Record<string, unknown>)[k]));
      out.push({ verdict: 'compatible', rule: 'sink-changed', subject, change: `changed (${fields.join(', ')}); the writer's state does not depend on it`, span: now.span });
    }
  }
  for (const [table, now] of after.sinks) {
    if (!before.sinks.has(table)) out.push({ verdict: 'compatible', rule: 'sink-added', subject: `sink ${table}`, change: `added: writes ${now.object} from now on`, span: now.span });
  }
  return out;
}

// ── wording ───────────────────────────────────────────────────────────────────────────────────────

function show(v: string | undefined): string {
  return v === undefined ? '(none)' : `'${v}'`;
}

function describeChangelog(s: SourcePlan): string {
  const c = s.changelog;
  return c.kind === 'append' ? 'append' : `updating by (${(c.key ?? s.primaryKey).join(', ')})`;
}

function keyNames(text: string | undefined): string {
  const keys = JSON.parse(text ?? '[]') as PlanExpr[];
  return keys.map(exprText).join(', ');
}

function exprText(e: PlanExpr): string {
  switch (e.kind) {
    case 'column':
      return e.column;
    case 'call':
      return `${e.function}(${e.distinct ? 'distinct ' : ''}${e.star ? '*' : e.args.map(exprText).join(', ')})`;
    case 'literal':
      return e.text;
    default:
      return e.kind;
  }
}

function windowText(text: string | undefined): string {
  if (!text || text === 'none') return 'none';
  const w = JSON.parse(text) as { function: string; sizes: number[]; time: string };
  return `${w.function}(${w.time}, ${w.sizes.map((m) => `${m} ms`).join(', ')})`;
}

function aggregateChange(oldText: string | undefined, newText: string | undefined): string {
  const list = (t: string | undefined): string[] => (JSON.parse(t ?? '[]') as string[]).map((s) => exprText(JSON.parse(s) as PlanExpr));
  const a = list(oldText);
  const b = list(newText);
  const added = b.filter((x) => !a.includes(x));
  const removed = a.filter((x) => !b.includes(x));
  const distinct = [...added, ...removed].some((x) => x.includes('(distinct '));
  const reordered = added.length === 0 && removed.length === 0 && a.length === b.length && a.join() !== b.join() ? `reordered from ${a.join(', ')} to ${b.join(', ')}` : '';
  const parts = [added.length > 0 ? `added ${added.join(', ')}` : '', removed.length > 0 ? `removed ${removed.join(', ')}` : '', reordered].filter(Boolean).join('; ');
  return `aggregates changed (${parts || 'arguments or types'})${distinct ? ': distinct aggregates keep per-value state' : ': a group\'s accumulators are one row, one field per aggregate in the order written, which Flink restores by position'}`;
}

function short(text: string | undefined): string {
  const t = text ?? '';
  return t.length > 80 ? `${t.slice(0, 77)}…` : t;
}

function inputDifference(before: Analysis, after: Analysis, old: Operator, now: Operator): string {
  const culprits: string[] = [];
  for (const name of now.upstream) {
    if (!old.upstream.includes(name)) continue;
    const source = after.sources.has(name);
    const changed = source ? before.sourceIdentity.get(name) !== after.sourceIdentity.get(name) : before.views.has(name) && canon(before.views.get(name)?.query) !== canon(after.views.get(name)?.query);
    if (changed) culprits.push(`${source ? 'source' : 'view'} ${name}`);
  }
  const added = now.upstream.filter((r) => !old.upstream.includes(r));
  const removed = old.upstream.filter((r) => !now.upstream.includes(r));
  if (added.length > 0 || removed.length > 0) culprits.push(`it reads ${[...added.map((r) => `+${r}`), ...removed.map((r) => `-${r}`)].join(', ')}`);
  if (culprits.length > 0) return `${culprits.join(', ')} changed`;
  return 'its filter, projection or input columns changed';
}
