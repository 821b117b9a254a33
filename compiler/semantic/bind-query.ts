/**
 * Queries: inputs and joins, windows, projections, aggregation, dedupe, top-N and UNION ALL, each with its
 * output columns, time attributes and changelog mode (as Flink's planner derives them).
 */
import type * as A from '../ast/nodes.ts';
import { ERROR_TYPE, asTimeAttribute, formatType, t, withNullable, type SqlType } from '../types/types.ts';
import { commonType, stripTimeAttribute } from '../types/coercion.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { nameKey } from '../project/modules.ts';
import type { BoundExpr, BoundInput, ColumnNote, BoundJoin, BoundQuery, BoundWindow, ChangelogMode, Column, JoinKind, OutputColumn, RelationSource, RelationType } from './bound.ts';
import { bindExpr, childrenOf, containsAggregate, expectBoolean, type ExprScope } from './bind-expr.ts';
import type { Reporter } from './context.ts';
import { columnsKnown } from './scope.ts';
import { checkDuration } from './duration-range.ts';
import { FLINK_LINES, type FlinkLine } from '../../stdlib/flink-lines.ts';

/** A source or stream as a query reads it; `notes`: its columns read as something else than their schema says. */
export interface ResolvedRelation {
  readonly source: RelationSource;
  readonly type: RelationType;
  readonly notes: readonly ColumnNote[];
}

/** Looks up a source or stream visible from the file being bound. */
export interface RelationResolver {
  resolve(name: A.Ident): ResolvedRelation | undefined;
  /** The targeted Flink line, whose functions and changelog semantics apply. */
  readonly line: FlinkLine;
}

const APPEND: ChangelogMode = { kind: 'append' };
/** A relation that failed to bind (its error is reported): no columns known, nothing about it reported again. */
const ERROR_RELATION: RelationType = { columns: [], changelog: APPEND, columnsUnknown: true };

export function isTimeAttribute(type: SqlType): boolean {
  return (type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ') && type.timeAttribute !== undefined;
}

export function bindQuery(query: A.Query, relations: RelationResolver, r: Reporter): BoundQuery {
  switch (query.kind) {
    case 'SelectQuery': return bindSelect(query, relations, r);
    case 'UnionQuery': return bindUnion(query, relations, r);
    case 'DedupeQuery': return bindDedupe(query, relations, r);
    case 'TopQuery': return bindTop(query, relations, r);
  }
}

function bindRelation(relation: A.Relation, relations: RelationResolver, r: Reporter): ResolvedRelation | undefined {
  if (relation.kind === 'SubqueryRelation') {
    const query = bindQuery(relation.query, relations, r);
    return { source: { kind: 'subquery', query }, type: query.output, notes: [] };
  }
  return relations.resolve(relation.name);
}

function bindSelect(q: A.SelectQuery, relations: RelationResolver, r: Reporter): BoundQuery {
  const inputs: BoundInput[] = [];
  const joins: BoundJoin[] = [];
  /** Per input (same index): its columns' notes, reported where a column is selected as is. */
  const notes: (readonly ColumnNote[])[] = [];

  const first = bindRelation(q.from.relation, relations, r);
  const firstAlias = q.from.alias?.name ?? (q.from.relation.kind === 'NamedRelation' ? q.from.relation.name.name : 'subquery');
  const window = first && q.from.window ? bindWindow(q.from.window, first.type, firstAlias, r) : undefined;
  inputs.push({
    alias: firstAlias,
    relation: first?.source ?? { kind: 'source', name: '' },
    type: first ? withWindowColumns(first.type, window, q.from.window !== undefined) : ERROR_RELATION,
    window: window?.window,
    span: q.from.span,
  });
  notes.push(first?.notes ?? []);

  for (const join of q.joins) {
    if (join.kind === 'UnnestJoin') {
      const scope: ExprScope = { inputs, version: relations.line, aggregatesAllowed: false, clause: 'UNNEST' };
      const unnested = bindExpr(join.expression, scope, r);
      inputs.push({ alias: join.alias.name, relation: { kind: 'source', name: '' }, type: unnestType(unnested, join, r), window: undefined, span: join.span });
      joins.push({ input: inputs.length - 1, kind: 'unnest', joinType: 'inner', on: undefined, asOf: undefined, unnested, span: join.span });
      notes.push([]);
      continue;
    }
    const bound = bindRelation(join.relation, relations, r);
    const alias = join.alias?.name ?? (join.relation.kind === 'NamedRelation' ? join.relation.name.name : 'subquery');
    const asOf = join.asOf ? bindExpr(join.asOf, { inputs, version: relations.line, aggregatesAllowed: false, clause: 'FOR SYSTEM_TIME AS OF' }, r) : undefined;
    // An outer join pads the rows of its outer side's partner with nulls: a LEFT JOIN's right side is nullable.
    const type = bound ? (join.joinType === 'left' ? nullableColumns(bound.type) : bound.type) : ERROR_RELATION;
    inputs.push({ alias, relation: bound?.source ?? { kind: 'source', name: '' }, type, window: undefined, span: join.relation.span });
    notes.push(bound?.notes ?? []);
    const on = bindExpr(join.on, { inputs, version: relations.line, aggregatesAllowed: false, clause: 'a join condition' }, r);
    expectBoolean(on, 'ON', r);
    const kind: JoinKind = asOf ? 'temporal' : isIntervalCondition(on, inputs.length - 1) ? 'interval' : 'regular';
    joins.push({ input: inputs.length - 1, kind, joinType: join.joinType, on, asOf, unnested: undefined, span: join.span });
  }

  const dupAlias = findDuplicate(inputs.map((i) => i.alias));
  if (dupAlias) r.report('duplicate-alias', { alias: dupAlias }, q.from.span);

  const where = q.where ? bindExpr(q.where, { inputs, version: relations.line, aggregatesAllowed: false, clause: 'WHERE' }, r) : undefined;
  const groupBy = q.groupBy.map((g) => bindExpr(g, { inputs, version: relations.line, aggregatesAllowed: false, clause: 'GROUP BY' }, r));
  const globalAggregation = q.groupBy.length === 0;
  const itemScope: ExprScope = { inputs, version: relations.line, aggregatesAllowed: true, clause: 'SELECT', globalAggregation };
  const { columns, columnsUnknown } = bindItems(q.items, itemScope, r);
  reportSelectedNotes(q.items, columns, notes, r);
  const having = q.having ? bindExpr(q.having, { inputs, version: relations.line, aggregatesAllowed: true, clause: 'HAVING', globalAggregation }, r) : undefined;
  if (where) expectBoolean(where, 'WHERE', r);
  if (having) expectBoolean(having, 'HAVING', r);

  const aggregating = groupBy.length > 0 || columns.some((c) => containsAggregate(c.expression)) || (having !== undefined && containsAggregate(having));
  // A window clause that failed to bind still makes this a window query: its findings are about the clause, not the changelog.
  const windowed = q.from.window !== undefined;
  const regularJoin = joins.some((j) => j.kind === 'regular');
  const keepsTime = !aggregating && !regularJoin;

  const outputColumns: Column[] = columns.map((c) => {
    const windowTime = windowed && aggregating && c.expression.kind === 'column' && nameKey(c.expression.column) === 'window_time';
    return { name: c.name, type: keepsTime || windowTime ? c.expression.type : stripTimeAttribute(c.expression.type) };
  });
  const dup = findDuplicate(outputColumns.map((c) => c.name));
  if (dup) {
    const second = columns.filter((c) => nameKey(c.name) === nameKey(dup))[1];
    r.report('duplicate-column', { column: dup }, second?.expression.span ?? q.span);
  }

  const changelog = selectChangelog({ inputs, joins, groupBy, columns, aggregating, windowed, distinct: q.distinct, pinned: pinnedColumns(where) });
  const output: RelationType = { columns: outputColumns, changelog, ...(columnsUnknown ? { columnsUnknown } : {}) };
  return { kind: 'select', distinct: q.distinct, inputs, joins, where, groupBy, having, columns, output, span: q.span };
}

/** The output columns; `columnsUnknown` when an earlier error hides some (`*` over a poisoned input, an unnamed failed expression). */
function bindItems(items: readonly A.SelectItem[], scope: ExprScope, r: Reporter): { columns: OutputColumn[]; columnsUnknown?: true } {
  const out: OutputColumn[] = [];
  let columnsUnknown = false;
  for (const item of items) {
    if (item.kind === 'StarItem') {
      const indexes = item.qualifier
        ? scope.inputs.flatMap((input, i) => (nameKey(input.alias) === nameKey(item.qualifier?.name ?? '') ? [i] : []))
        : scope.inputs.map((_, i) => i);
      if (item.qualifier && indexes.length === 0) {
        r.report('unknown-relation', { name: item.qualifier.name, candidates: suggestionList(item.qualifier.name, scope.inputs.map((i) => i.alias)) }, item.qualifier.span);
      }
      for (const i of indexes) {
        if (scope.inputs[i]?.type.columnsUnknown) columnsUnknown = true;
        for (const column of scope.inputs[i]?.type.columns ?? []) {
          out.push({ name: column.name, expression: { kind: 'column', input: i, column: column.name, type: column.type, span: item.span } });
        }
      }
      continue;
    }
    const expression = bindExpr(item.expression, scope, r);
    const name = item.alias?.name ?? impliedName(item.expression, expression);
    if (name !== undefined) {
      out.push(item.alias ? { name, expression, nameSpan: item.alias.span } : { name, expression });
    } else if (expression.type.kind === 'ERROR') {
      // The expression's error is reported; its missing name is left out rather than reported too.
      columnsUnknown = true;
    } else {
      r.report('unnamed-column', {}, item.span);
      out.push({ name: `EXPR$${out.length}`, expression });
    }
  }
  return columnsUnknown ? { columns: out, columnsUnknown: true } : { columns: out };
}

/**
 * A source column read as something else than its schema says (a timestamp read as a number) is reported
 * where a query selects it as is, once per column, with the fix written for the reference as it stands.
 */
function reportSelectedNotes(items: readonly A.SelectItem[], columns: readonly OutputColumn[], notes: readonly (readonly ColumnNote[])[], r: Reporter): void {
  for (const c of columns) {
    const e = c.expression;
    if (e.kind !== 'column') continue;
    const item = items.find((i) => i.span.start <= e.span.start && e.span.end <= i.span.end);
    const written = item?.kind === 'ExprItem' && item.expression.kind === 'ColumnRef' ? (item.expression.qualifier ? `${item.expression.qualifier.name}.${e.column}` : e.column) : e.column;
    for (const n of notes[e.input] ?? []) {
      if (nameKey(n.column) !== nameKey(e.column)) continue;
      const field = [written, ...n.below].join('.');
      r.reportOnce(n, 'schema-logical-type-ignored', { subject: n.subject, field, logicalType: n.note.logicalType, flinkType: n.note.flinkType, reason: n.note.reason, fix: n.note.fix }, e.span);
    }
  }
}

/**
 * A column keeps its name when selected as is (or as a field of a row); anything else needs `as name`. The
 * name comes from what was written, so a reference that failed to bind keeps it too.
 */
function impliedName(written: A.Expr, e: BoundExpr): string | undefined {
  if (e.kind === 'column') return e.column;
  if (e.kind === 'field') return e.field;
  if (written.kind === 'ColumnRef') return written.column.name;
  if (written.kind === 'FieldAccess') return written.field.name;
  return undefined;
}

function findDuplicate(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const n of names) {
    const k = nameKey(n);
    if (seen.has(k)) return n;
    seen.add(k);
  }
  return undefined;
}

interface SelectShape {
  readonly inputs: readonly BoundInput[];
  readonly joins: readonly BoundJoin[];
  readonly groupBy: readonly BoundExpr[];
  readonly columns: readonly OutputColumn[];
  readonly aggregating: boolean;
  readonly windowed: boolean;
  readonly distinct: boolean;
  /** Input columns the WHERE clause fixes to one literal. */
  readonly pinned: readonly { readonly input: number; readonly column: string }[];
}

/**
 * Input columns the condition fixes to one literal: `c = <literal>` among its AND-ed parts, seen through NOT as
 * Calcite simplifies it (`not (c <> 'x' or c is null)` fixes `c`). Flink's planner then writes the literal where the
 * query selects the column, which is no longer the input's key.
 */
function pinnedColumns(where: BoundExpr | undefined): { input: number; column: string }[] {
  const pinned: { input: number; column: string }[] = [];
  const isLiteral = (e: BoundExpr): boolean => (e.kind === 'literal' && e.value !== null) || e.kind === 'typed-literal';
  const walk = (e: BoundExpr, negated: boolean): void => {
    if (e.kind === 'unary' && e.operator === 'NOT') return walk(e.operand, !negated);
    if (e.kind !== 'binary') return;
    if (e.operator === (negated ? 'OR' : 'AND')) {
      walk(e.left, negated);
      walk(e.right, negated);
    } else if (e.operator === (negated ? '<>' : '=')) {
      const [column, value] = e.left.kind === 'column' ? [e.left, e.right] : [e.right, e.left];
      if (column.kind === 'column' && isLiteral(value)) pinned.push({ input: column.input, column: column.column });
    }
  };
  if (where) walk(where, false);
  return pinned;
}

/**
 * Flink's changelog mode inference, for what pipec supports: inserts only stay inserts through filters,
 * projections, window aggregates, interval joins and temporal joins; group aggregates, left regular joins,
 * DISTINCT and updating inputs produce updates. The upsert key is the group key when it is selected as is.
 */
function selectChangelog(s: SelectShape): ChangelogMode {
  const inputsUpdating = s.inputs.some((i, index) => i.type.changelog.kind === 'updating' && !s.joins.some((j) => j.input === index && j.kind === 'temporal'));
  const selectedNames = (exprs: readonly BoundExpr[]): string[] | undefined => {
    const names: string[] = [];
    for (const g of exprs) {
      const out = s.columns.find((c) => c.expression.kind === 'column' && g.kind === 'column' && c.expression.input === g.input && nameKey(c.expression.column) === nameKey(g.column));
      if (!out) return undefined;
      names.push(out.name);
    }
    return names;
  };
  if (s.aggregating) {
    // An aggregation over a window clause is a window aggregation; if it forgets to group by the window,
    // the window-grouping rule says so, and the changelog is judged as the author meant it.
    if (s.windowed && !inputsUpdating) return APPEND;
    return { kind: 'updating', key: s.groupBy.length > 0 ? selectedNames(s.groupBy) : [] };
  }
  if (s.distinct) return { kind: 'updating', key: s.columns.map((c) => c.name) };
  if (inputsUpdating) {
    const first = s.inputs[0]?.type.changelog;
    // A key column the filter fixes to a literal is selected as that literal: Flink derives no upsert key (and
    // materializes an upsert sink), where an aggregate or DISTINCT keeps its key.
    const keyPinned = first?.kind === 'updating' && (first.key ?? []).some((k) => s.pinned.some((p) => p.input === 0 && nameKey(p.column) === nameKey(k)));
    const key = first?.kind === 'updating' && first.key && s.joins.length === 0 && !keyPinned
      ? selectedNames(first.key.map((k): BoundExpr => ({ kind: 'column', input: 0, column: k, type: ERROR_TYPE, span: s.inputs[0]?.span ?? { file: '', start: 0, end: 0 } })))
      : undefined;
    return { kind: 'updating', key };
  }
  if (s.joins.some((j) => j.kind === 'regular' && j.joinType === 'left')) return { kind: 'updating', key: undefined };
  return APPEND;
}

function nullableColumns(type: RelationType): RelationType {
  return { ...type, columns: type.columns.map((c) => ({ name: c.name, type: withNullable(c.type, true) })) };
}

/** An ON condition that bounds one input's time attribute by the other's is an interval join. */
function isIntervalCondition(on: BoundExpr, rightInput: number): boolean {
  const timeInputs = (e: BoundExpr): Set<number> => {
    const found = new Set<number>();
    const walk = (x: BoundExpr): void => {
      if (x.kind === 'column' && isTimeAttribute(x.type)) found.add(x.input);
      childrenOf(x).forEach(walk);
    };
    walk(e);
    return found;
  };
  const conjuncts = (e: BoundExpr): BoundExpr[] => (e.kind === 'binary' && e.operator === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e]);
  return conjuncts(on).some((c) => {
    const ranged = c.kind === 'between' || (c.kind === 'binary' && ['<', '<=', '>', '>='].includes(c.operator));
    if (!ranged) return false;
    const inputs = timeInputs(c);
    return inputs.has(rightInput) && [...inputs].some((i) => i !== rightInput);
  });
}

const WINDOW_FUNCTIONS = { tumbling: 1, hopping: 2, cumulative: 2, session: 1 } as const;
type WindowFunction = keyof typeof WINDOW_FUNCTIONS;
/** What each duration argument is, in order, for messages. */
const WINDOW_DURATION_NAMES: Readonly<Record<WindowFunction, readonly string[]>> = { tumbling: ['size'], hopping: ['size', 'slide'], cumulative: ['step', 'maximum size'], session: ['gap'] };

function bindWindow(clause: A.WindowClause, input: RelationType, relationName: string, r: Reporter): { window: BoundWindow; timeType: SqlType } | undefined {
  const fn = clause.function.name.toLowerCase();
  if (!(fn in WINDOW_FUNCTIONS)) {
    r.report('unknown-window', { name: clause.function.name, candidates: suggestionList(fn, Object.keys(WINDOW_FUNCTIONS)) }, clause.function.span);
    return undefined;
  }
  const windowFn = fn as WindowFunction;
  const [timeArg, ...rest] = clause.args;
  const durations = rest.filter((a): a is A.Duration => a.kind === 'Duration');
  const partitionBy = rest.filter((a): a is A.ColumnRef => a.kind === 'ColumnRef').map((c) => c.column.name);
  if (!timeArg || timeArg.kind !== 'ColumnRef' || durations.length !== WINDOW_FUNCTIONS[windowFn] || durations.length + partitionBy.length !== rest.length) {
    r.report('window-arguments', { name: windowFn, expected: windowSignature(windowFn) }, clause.span);
    return undefined;
  }
  const column = input.columns.find((c) => nameKey(c.name) === nameKey(timeArg.column.name));
  if (!column) {
    if (columnsKnown(input)) r.report('unknown-column', { column: timeArg.column.name, relation: relationName, candidates: suggestionList(timeArg.column.name, input.columns.map((c) => c.name)) }, timeArg.span);
    return undefined;
  }
  if (column.type.kind === 'ERROR') return undefined;
  if (!isTimeAttribute(column.type)) {
    r.report('window-needs-time-attribute', { column: column.name, type: formatType(column.type) }, timeArg.span);
    return undefined;
  }
  if (windowFn === 'session' && partitionBy.length === 0) {
    // Flink's SESSION table function takes its keys in the call (PARTITION BY); pipec takes them as extra arguments.
  }
  const names = WINDOW_DURATION_NAMES[windowFn];
  if (!durations.every((d, i) => checkDuration(d, { what: `the ${names[i] ?? 'duration'} of a ${windowFn} window`, positive: true, interval: true }, r))) return undefined;
  // Flink slices these windows by their smaller duration: the larger must be a whole multiple of it.
  const [first, second] = durations;
  if ((windowFn === 'hopping' || windowFn === 'cumulative') && first && second) {
    const [larger, smaller] = windowFn === 'hopping' ? [first, second] : [second, first];
    const [largerName = '', smallerName = ''] = windowFn === 'hopping' ? [names[0], names[1]] : [names[1], names[0]];
    if (larger.millis % smaller.millis !== 0) {
      r.report('out-of-range', { what: `the ${largerName} of a ${windowFn} window`, found: `${larger.amount} ${larger.unit}`, range: `a whole multiple of its ${smallerName} (${smaller.amount} ${smaller.unit})`, hint: 'Flink slices these windows by the smaller duration' }, larger.span);
      return undefined;
    }
  }
  const window: BoundWindow = { function: windowFn, timeColumn: column.name, durations: durations.map((d) => d.millis), partitionBy, span: clause.span };
  return { window, timeType: column.type };
}

function windowSignature(fn: WindowFunction): string {
  switch (fn) {
    case 'tumbling': return 'tumbling(time_column, size)';
    case 'hopping': return 'hopping(time_column, size, slide)';
    case 'cumulative': return 'cumulative(time_column, step, max_size)';
    case 'session': return 'session(time_column, gap[, key_column…])';
  }
}

/**
 * Window table functions add window_start, window_end (TIMESTAMP(3)) and window_time (a time attribute).
 * A window clause that failed to bind adds them as ERROR columns, so the query's uses of them stay quiet.
 */
function withWindowColumns(type: RelationType, bound: { window: BoundWindow; timeType: SqlType } | undefined, hasClause: boolean): RelationType {
  if (!hasClause) return type;
  const ltz = bound?.timeType.kind === 'TIMESTAMP_LTZ';
  const windowTime = bound ? asTimeAttribute(ltz ? t.timestampLtz(3, false) : t.timestamp(3, false), 'rowtime') : ERROR_TYPE;
  return {
    ...type,
    columns: [
      ...type.columns,
      { name: 'window_start', type: bound ? t.timestamp(3, false) : ERROR_TYPE },
      { name: 'window_end', type: bound ? t.timestamp(3, false) : ERROR_TYPE },
      { name: 'window_time', type: windowTime },
    ],
  };
}

function unnestType(unnested: BoundExpr, join: A.UnnestJoin, r: Reporter): RelationType {
  const type = unnested.type;
  let columns: Column[] = [];
  if (type.kind === 'ARRAY') {
    columns = type.element.kind === 'ROW'
      ? type.element.fields.map((f) => ({ name: f.name, type: f.type }))
      : [{ name: join.alias.name, type: type.element }];
  } else if (type.kind === 'MAP') {
    columns = [{ name: 'key', type: type.key }, { name: 'value', type: type.value }];
  } else {
    if (type.kind !== 'ERROR') r.report('not-unnestable', { type: formatType(type) }, join.expression.span);
    return ERROR_RELATION;
  }
  if (join.columns.length > 0) {
    if (join.columns.length !== columns.length) r.report('unnest-column-count', { expected: columns.length, found: join.columns.length }, join.span);
    columns = columns.map((c, i) => ({ name: join.columns[i]?.name ?? c.name, type: c.type }));
  }
  return { columns, changelog: APPEND };
}

function bindUnion(q: A.UnionQuery, relations: RelationResolver, r: Reporter): BoundQuery {
  const inputs = q.inputs.map((i) => bindQuery(i, relations, r));
  const [first] = inputs;
  if (!first) return { kind: 'error', output: ERROR_RELATION, span: q.span };
  if (inputs.some((i) => i.output.columnsUnknown)) return { kind: 'union', inputs, output: { ...first.output, columnsUnknown: true }, span: q.span };
  const width = first.output.columns.length;
  for (const input of inputs.slice(1)) {
    if (input.output.columns.length !== width && input.kind !== 'error' && first.kind !== 'error') {
      r.report('union-column-count', { expected: width, found: input.output.columns.length }, input.span);
      return { kind: 'union', inputs, output: ERROR_RELATION, span: q.span };
    }
  }
  const columns: Column[] = first.output.columns.map((c, i) => {
    const types = inputs.map((input) => input.output.columns[i]?.type ?? ERROR_TYPE);
    if (types.some((x) => x.kind === 'ERROR')) return { name: c.name, type: ERROR_TYPE };
    const common = commonType(types);
    if (!common) {
      r.report('incompatible-branches', { context: `UNION ALL column \`${c.name}\``, types: types.map(formatType) }, q.span);
      return { name: c.name, type: ERROR_TYPE };
    }
    return { name: c.name, type: types.every((x) => isTimeAttribute(x)) ? common : stripTimeAttribute(common) };
  });
  const updating = inputs.some((i) => i.output.changelog.kind === 'updating');
  return { kind: 'union', inputs, output: { columns, changelog: updating ? { kind: 'updating', key: undefined } : APPEND }, span: q.span };
}

function bindDedupe(q: A.DedupeQuery, relations: RelationResolver, r: Reporter): BoundQuery {
  const input = relations.resolve(q.relation);
  if (!input) return { kind: 'error', output: ERROR_RELATION, span: q.span };
  const columns = input.type.columns;
  const keys = resolveNames(q.keys, input.type, q.relation.name, r);
  let orderBy: Column | undefined;
  if (q.orderBy) {
    orderBy = resolveNames([q.orderBy], input.type, q.relation.name, r).length === 1 ? columns.find((c) => nameKey(c.name) === nameKey(q.orderBy?.name ?? '')) : undefined;
    if (orderBy && orderBy.type.kind !== 'ERROR' && !isTimeAttribute(orderBy.type)) r.report('dedupe-needs-time-attribute', { relation: q.relation.name, column: orderBy.name }, q.orderBy.span);
  } else {
    orderBy = columns.find((c) => isTimeAttribute(c.type) && c.type.kind !== 'ERROR' && (c.type.kind === 'TIMESTAMP' || c.type.kind === 'TIMESTAMP_LTZ') && c.type.timeAttribute === 'rowtime')
      ?? columns.find((c) => isTimeAttribute(c.type));
    if (!orderBy && columnsKnown(input.type)) r.report('dedupe-needs-time-attribute', { relation: q.relation.name, column: undefined }, q.relation.span);
  }
  const proctime = orderBy !== undefined && (orderBy.type.kind === 'TIMESTAMP' || orderBy.type.kind === 'TIMESTAMP_LTZ') && orderBy.type.timeAttribute === 'proctime';
  // "Keep first" on processing time emits inserts only; on event time it does from Flink 2.2 on (stdlib/flink-lines.ts);
  // "keep last" always emits updates.
  const appendOnly = q.keep === 'first' && (proctime || FLINK_LINES[relations.line].semantics.rowtimeKeepFirstIsAppendOnly);
  const changelog: ChangelogMode = appendOnly ? APPEND : { kind: 'updating', key: keys };
  return {
    kind: 'dedupe',
    input: input.source,
    keys,
    keep: q.keep,
    orderBy: orderBy?.name ?? '',
    // Deduplication forwards rows unchanged, time attributes included.
    output: { ...input.type, changelog },
    span: q.span,
  };
}

function bindTop(q: A.TopQuery, relations: RelationResolver, r: Reporter): BoundQuery {
  const input = relations.resolve(q.relation);
  if (!input) return { kind: 'error', output: ERROR_RELATION, span: q.span };
  const columns = input.type.columns;
  if (q.count.value < 1) r.report('invalid-number', { text: q.count.text, expected: 'a row count of at least 1' }, q.count.span);
  const partitionBy = resolveNames(q.partitionBy, input.type, q.relation.name, r);
  const orderBy: { column: string; descending: boolean }[] = [];
  for (const item of q.orderBy) {
    if (item.expression.kind !== 'ColumnRef' || item.expression.qualifier) {
      r.report('order-by-column', {}, item.expression.span);
      continue;
    }
    const [name] = resolveNames([item.expression.column], input.type, q.relation.name, r);
    if (name) orderBy.push({ column: name, descending: item.descending });
  }
  // Ranking the rows of each window of a window aggregate is Flink's window Top-N: inserts only.
  const windowTopN = ['window_start', 'window_end'].every((w) => columns.some((c) => nameKey(c.name) === w))
    && partitionBy.some((p) => ['window_start', 'window_end'].includes(nameKey(p)))
    && input.type.changelog.kind === 'append';
  const changelog: ChangelogMode = windowTopN ? APPEND : { kind: 'updating', key: undefined };
  return {
    kind: 'top',
    input: input.source,
    count: q.count.value,
    partitionBy,
    orderBy,
    output: { ...input.type, columns: windowTopN ? columns : columns.map((c) => ({ name: c.name, type: stripTimeAttribute(c.type) })), changelog },
    span: q.span,
  };
}

/**
 * Resolves plain column names against a relation (named `relationName` in messages), reporting unknown ones
 * unless the relation is poisoned; returns the canonical names found.
 */
export function resolveNames(names: readonly A.Ident[], relation: RelationType, relationName: string, r: Reporter): string[] {
  const out: string[] = [];
  for (const n of names) {
    const column = relation.columns.find((c) => nameKey(c.name) === nameKey(n.name));
    if (column) out.push(column.name);
    else if (columnsKnown(relation)) r.report('unknown-column', { column: n.name, relation: relationName, candidates: suggestionList(n.name, relation.columns.map((c) => c.name)) }, n.span);
  }
  return out;
}
