/**
 * Expressions: resolve column references against a query's inputs and type every node with Flink's rules
 * (compiler/types/coercion.ts, stdlib/functions.ts). An ERROR type poisons its parents silently, so one
 * mistake is reported once.
 */
import type * as A from '../ast/nodes.ts';
import { ERROR_TYPE, NULL_TYPE, formatType, t, withNullable, type SqlType } from '../types/types.ts';
import { commonType, supportsExplicitCast, comparable, comparisonHint, arithmeticType, unaryMinusType, castHint, type Comparison } from '../types/coercion.ts';
import { parseTypeName } from '../types/parse-type.ts';
import { resolveCall, functionNames, isAggregate, lookupFunction, notProvidedReason, timeUnitParams } from '../../stdlib/functions.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { MAX_INTERVAL_DIGITS, isIntervalAmount, leadingDigits } from '../../stdlib/intervals.ts';
import type { BoundExpr, BoundInput } from './bound.ts';
import { columnsKnown, findColumn } from './scope.ts';
import type { Reporter } from './context.ts';
import type { FlinkLine } from '../../stdlib/flink-lines.ts';

export interface ExprScope {
  readonly inputs: readonly BoundInput[];
  /** The targeted Flink line: functions and overloads newer than it are not available. */
  readonly version: FlinkLine;
  /** Where aggregate calls are allowed (select items and HAVING of a query). */
  readonly aggregatesAllowed: boolean;
  /** What the expression is part of, for messages ("WHERE", "GROUP BY", "a join condition"). */
  readonly clause: string;
  /** Set while binding the arguments of an aggregate call: an aggregate there is nested. */
  readonly enclosingAggregate?: string | undefined;
  /** An aggregation without GROUP BY: aggregates over no rows give NULL. */
  readonly globalAggregation?: boolean | undefined;
}

const isError = (type: SqlType): boolean => type.kind === 'ERROR';

export function bindExpr(expr: A.Expr, scope: ExprScope, r: Reporter): BoundExpr {
  const span = expr.span;
  switch (expr.kind) {
    case 'StringLit':
      return { kind: 'literal', value: expr.value, text: expr.value, type: { kind: 'CHAR', length: Math.max(1, expr.value.length), nullable: false }, span };
    case 'NumberLit':
      return { kind: 'literal', value: expr.value, text: expr.text, type: numberLiteralType(expr, r), span };
    case 'BooleanLit':
      return { kind: 'literal', value: expr.value, text: String(expr.value), type: t.boolean(false), span };
    case 'NullLit':
      return { kind: 'literal', value: null, text: 'NULL', type: NULL_TYPE, span };
    case 'IntervalLit': {
      if (expr.toUnit === undefined && !isIntervalAmount(expr.value, expr.unit)) {
        r.report('invalid-number', { text: expr.value, expected: expr.unit === 'SECOND' ? 'a number of seconds with at most 3 decimals' : `a whole number of ${expr.unit.toLowerCase()}s` }, span);
        return { kind: 'error', type: ERROR_TYPE, span };
      }
      const digits = expr.toUnit === undefined ? leadingDigits(expr.value) : undefined;
      const maxDigits = MAX_INTERVAL_DIGITS[expr.unit];
      if (digits !== undefined && digits > maxDigits) {
        const hint = expr.unit === 'MONTH' ? "write years and months: `interval '8-4' year to month`" : 'use a larger unit';
        r.report('out-of-range', { what: `an interval of ${expr.unit.toLowerCase()}s`, found: expr.value, range: `at most ${maxDigits} digits long (the widest Flink plans)`, hint }, span);
        return { kind: 'error', type: ERROR_TYPE, span };
      }
      const yearMonth = expr.unit === 'YEAR' || expr.unit === 'MONTH';
      return { kind: 'interval', value: expr.value, unit: expr.unit, toUnit: expr.toUnit, type: { kind: 'INTERVAL', unit: yearMonth ? 'YEAR_MONTH' : 'DAY_TIME', nullable: false }, span };
    }
    case 'TypedLit':
      return { kind: 'typed-literal', value: expr.value, type: typedLiteralType(expr), span };
    case 'ColumnRef':
      return bindColumnRef(expr, scope, r);
    case 'FieldAccess': {
      const target = bindExpr(expr.target, scope, r);
      return bindField(target, expr.field, span, r);
    }
    case 'IndexAccess': {
      const target = bindExpr(expr.target, scope, r);
      const index = bindExpr(expr.index, scope, r);
      let type: SqlType = ERROR_TYPE;
      if (target.type.kind === 'ARRAY') type = withNullable(target.type.element, true);
      else if (target.type.kind === 'MAP') type = withNullable(target.type.value, true);
      else if (!isError(target.type)) r.report('not-indexable', { type: formatType(target.type) }, expr.target.span);
      return { kind: 'index', target, index, type, span };
    }
    case 'Call':
      return bindCall(expr, scope, r);
    case 'Binary':
      return bindBinary(expr, scope, r);
    case 'Unary': {
      const operand = bindExpr(expr.operand, scope, r);
      if (expr.operator === 'NOT') {
        expectBoolean(operand, 'NOT', r);
        return { kind: 'unary', operator: 'NOT', operand, type: t.boolean(operand.type.nullable), span };
      }
      if (isError(operand.type)) return { kind: 'unary', operator: expr.operator, operand, type: ERROR_TYPE, span };
      const type = unaryMinusType(operand.type);
      if (!type) r.report('operator-type-mismatch', { operator: expr.operator, left: undefined, right: formatType(operand.type) }, span);
      return { kind: 'unary', operator: expr.operator, operand, type: type ?? ERROR_TYPE, span };
    }
    case 'IsNull': {
      const operand = bindExpr(expr.operand, scope, r);
      return { kind: 'is-null', operand, negated: expr.negated, type: t.boolean(false), span };
    }
    case 'InList': {
      const operand = bindExpr(expr.operand, scope, r);
      const list = expr.list.map((e) => bindExpr(e, scope, r));
      for (const item of list) checkComparable(operand, item, 'IN', r, 'membership');
      return { kind: 'in', operand, list, negated: expr.negated, type: t.boolean(operand.type.nullable || list.some((l) => l.type.nullable)), span };
    }
    case 'Between': {
      const operand = bindExpr(expr.operand, scope, r);
      const low = bindExpr(expr.low, scope, r);
      const high = bindExpr(expr.high, scope, r);
      checkComparable(operand, low, 'BETWEEN', r, 'ordering');
      checkComparable(operand, high, 'BETWEEN', r, 'ordering');
      return { kind: 'between', operand, low, high, negated: expr.negated, type: t.boolean([operand, low, high].some((e) => e.type.nullable)), span };
    }
    case 'Like': {
      const operand = bindExpr(expr.operand, scope, r);
      const pattern = bindExpr(expr.pattern, scope, r);
      for (const side of [operand, pattern]) {
        if (!isError(side.type) && side.type.kind !== 'CHAR' && side.type.kind !== 'VARCHAR' && side.type.kind !== 'NULL') {
          r.report('operator-type-mismatch', { operator: 'LIKE', left: formatType(operand.type), right: formatType(pattern.type) }, span);
          break;
        }
      }
      return { kind: 'like', operand, pattern, negated: expr.negated, type: t.boolean(operand.type.nullable || pattern.type.nullable), span };
    }
    case 'CaseExpr':
      return bindCase(expr, scope, r);
    case 'CastExpr': {
      const operand = bindExpr(expr.expression, scope, r);
      const parsed = parseTypeName(expr.type);
      if (!parsed.ok) {
        r.report('unknown-type', { type: expr.type.name, problem: parsed.problem, candidates: parsed.candidates }, expr.type.span);
        return { kind: 'cast', operand, safe: expr.safe, type: ERROR_TYPE, span };
      }
      let type = parsed.type;
      if (!isError(operand.type) && !supportsExplicitCast(operand.type, type)) {
        r.report('invalid-cast', { from: formatType(operand.type), to: formatType(type), hint: castHint(operand.type, type) }, span);
        type = ERROR_TYPE;
      } else if (!expr.type.notNull) {
        // CAST keeps the operand's nullability unless the target says NOT NULL; TRY_CAST may always yield NULL.
        type = withNullable(type, operand.type.nullable || expr.safe);
      }
      return { kind: 'cast', operand, safe: expr.safe, type, span };
    }
    case 'ErrorExpr':
      return { kind: 'error', type: ERROR_TYPE, span };
  }
}

const INT_RANGE = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const BIGINT_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const MAX_DECIMAL_SCALE = 38;

/**
 * Flink's (Calcite's) literal types: a whole number is INT, else BIGINT; one with a point is DECIMAL(p, s) with
 * the digits as written; one with an exponent is DOUBLE. Flink rejects an exact literal whose digits, point
 * removed, do not fit in a BIGINT ("Numeric literal out of range"), a scale over 38, and a DOUBLE past its range.
 */
function numberLiteralType(lit: A.NumberLit, r: Reporter): SqlType {
  const negative = lit.text.startsWith('-');
  const digits = negative ? lit.text.slice(1) : lit.text;
  const outOfRange = (range: string, hint: string): SqlType => {
    r.report('out-of-range', { what: 'a number literal', found: lit.text, range, hint }, lit.span);
    return ERROR_TYPE;
  };
  if (/[eE]/.test(digits)) {
    const value = Number(digits);
    if (!Number.isFinite(value) || (value === 0 && /[1-9]/.test(digits.replace(/[eE].*$/, '')))) {
      return outOfRange('within DOUBLE\'s range (about ±1.8e308, down to 4.9e-324)', 'Flink rejects literals past that range');
    }
    return t.double(false);
  }
  const [whole = '', fraction = ''] = digits.split('.');
  const unscaled = BigInt(`${negative ? '-' : ''}${whole}${fraction}` || '0');
  if (unscaled < BIGINT_RANGE[0] || unscaled > BIGINT_RANGE[1]) {
    const wholeDigits = whole.replace(/^0+/, '').length;
    const hint = wholeDigits + fraction.length > 38
      ? 'Flink\'s widest exact number, DECIMAL(38, s), has 38 digits; use a DOUBLE literal (`1e40`) if an approximation will do'
      : `Flink rejects larger literals; write \`cast('${digits}' as decimal(${wholeDigits + fraction.length}, ${fraction.length}))\``;
    return outOfRange('at most 19 digits (a BIGINT, -9223372036854775808 to 9223372036854775807, point removed)', hint);
  }
  if (!lit.text.includes('.')) {
    if (unscaled >= INT_RANGE[0] && unscaled <= INT_RANGE[1]) return t.int(false);
    return t.bigint(false);
  }
  const scale = fraction.length;
  if (scale > MAX_DECIMAL_SCALE) return outOfRange(`written with at most ${MAX_DECIMAL_SCALE} digits after the point`, 'a DECIMAL has at most 38 digits');
  // Flink (Calcite's SqlLiteral.createExactNumeric) types `12.50` as DECIMAL(4, 2): every digit as written
  // counts, leading zeros too (`0.5` is DECIMAL(2, 1), `.5` DECIMAL(1, 1)).
  const precision = Math.max(1, whole.length + scale);
  return t.decimal(precision, scale, false);
}

function typedLiteralType(lit: A.TypedLit): SqlType {
  const fraction = /\.(\d+)/.exec(lit.value)?.[1]?.length ?? 0;
  switch (lit.type) {
    case 'DATE': return t.date(false);
    case 'TIME': return t.time(fraction, false);
    case 'TIMESTAMP': return t.timestamp(Math.max(fraction, 0), false);
    case 'TIMESTAMP_LTZ': return t.timestampLtz(Math.max(fraction, 0), false);
  }
}

function bindColumnRef(expr: A.ColumnRef, scope: ExprScope, r: Reporter): BoundExpr {
  const span = expr.span;
  const qualifier = expr.qualifier?.name;
  const found = findColumn(scope.inputs, qualifier, expr.column.name);
  switch (found.kind) {
    case 'found':
      return { kind: 'column', input: found.input, column: found.column.name, type: found.column.type, span };
    case 'ambiguous':
      r.report('ambiguous-column', { column: expr.column.name, inputs: found.inputs }, span);
      return { kind: 'error', type: ERROR_TYPE, span };
    case 'not-found': {
      // `current_timestamp`, `localtimestamp`, `current_date`: functions SQL writes without parentheses.
      const niladic = qualifier === undefined ? lookupFunction(expr.column.name) : undefined;
      if (niladic?.sqlForm === 'bare') return bindCall({ kind: 'Call', name: expr.column, args: [], distinct: false, star: false, span }, scope, r);
      if (found.poisoned) return { kind: 'error', type: ERROR_TYPE, span };
      r.report('unknown-column', { column: expr.column.name, relation: qualifier ?? scope.inputs.map((i) => i.alias).join(', '), candidates: suggestionList(expr.column.name, found.candidates) }, expr.column.span);
      return { kind: 'error', type: ERROR_TYPE, span };
    }
    case 'unknown-qualifier': {
      // `address.city` where `address` is a ROW column, not an input: a field access.
      if (expr.qualifier) {
        const head = findColumn(scope.inputs, undefined, expr.qualifier.name);
        if (head.kind === 'found') {
          const target: BoundExpr = { kind: 'column', input: head.input, column: head.column.name, type: head.column.type, span: expr.qualifier.span };
          return bindField(target, expr.column, span, r);
        }
        // An unknown qualifier may be a ROW column of an input whose columns an earlier error hides.
        if (scope.inputs.some((i) => !columnsKnown(i.type))) return { kind: 'error', type: ERROR_TYPE, span };
        r.report('unknown-relation', { name: expr.qualifier.name, candidates: suggestionList(expr.qualifier.name, scope.inputs.map((i) => i.alias)) }, expr.qualifier.span);
      }
      return { kind: 'error', type: ERROR_TYPE, span };
    }
  }
}

function bindField(target: BoundExpr, field: A.Ident, span: A.Ident['span'], r: Reporter): BoundExpr {
  if (isError(target.type)) return { kind: 'field', target, field: field.name, type: ERROR_TYPE, span };
  if (target.type.kind !== 'ROW') {
    r.report('not-a-row', { field: field.name, type: formatType(target.type) }, field.span);
    return { kind: 'field', target, field: field.name, type: ERROR_TYPE, span };
  }
  const f = target.type.fields.find((x) => x.name.toLowerCase() === field.name.toLowerCase());
  if (!f) {
    r.report('unknown-field', { field: field.name, candidates: suggestionList(field.name, target.type.fields.map((x) => x.name)) }, field.span);
    return { kind: 'field', target, field: field.name, type: ERROR_TYPE, span };
  }
  // A field of a nullable row is nullable.
  return { kind: 'field', target, field: f.name, type: withNullable(f.type, f.type.nullable || target.type.nullable), span };
}

function bindCall(expr: A.Call, scope: ExprScope, r: Reporter): BoundExpr {
  const calledAggregate = isAggregate(expr.name.name);
  // A scalar call takes aggregates where its call may stand (`round(sum(x), 2)`); an aggregate call's arguments are checked for nesting.
  const argScope: ExprScope = { ...scope, enclosingAggregate: calledAggregate ? expr.name.name : scope.enclosingAggregate };
  // Time units (`timestampdiff(day, a, b)`) are words, not columns: they are passed as literal text.
  const unitPositions = new Set(timeUnitParams(expr.name.name));
  const args = expr.args.map((a, i): BoundExpr => {
    if (unitPositions.has(i) && a.kind === 'ColumnRef' && !a.qualifier) {
      return { kind: 'literal', value: a.column.name.toUpperCase(), text: a.column.name.toUpperCase(), type: ERROR_TYPE, span: a.span };
    }
    return bindExpr(a, argScope, r);
  });
  const literalArgs = expr.args.map((a, i) => (a.kind === 'NumberLit' ? a.value : a.kind === 'StringLit' ? a.value : unitPositions.has(i) && a.kind === 'ColumnRef' ? a.column.name : undefined));
  const resolved = resolveCall(expr.name.name, args.map((a) => a.type), { distinct: expr.distinct, star: expr.star, literalArgs, global: scope.globalAggregation ?? false, version: scope.version });
  const base = { args, distinct: expr.distinct, star: expr.star, span: expr.span };
  if (!resolved.ok) {
    if (resolved.problem === 'unknown-function') {
      r.report('unknown-function', { name: expr.name.name, candidates: suggestionList(expr.name.name, functionNames()), instead: notProvidedReason(expr.name.name) }, expr.name.span);
    } else {
      r.report('no-matching-overload', { name: expr.name.name, found: args.map((a) => formatType(a.type)), expected: resolved.expected, detail: resolved.detail }, expr.span);
    }
    // A failed aggregate call is still an aggregate: its arguments are not ungrouped columns.
    return { kind: 'call', function: expr.name.name.toLowerCase(), aggregate: calledAggregate, type: ERROR_TYPE, ...base };
  }
  const aggregate = resolved.fn.kind === 'aggregate';
  if (aggregate && scope.enclosingAggregate !== undefined) r.report('nested-aggregate', { name: scope.enclosingAggregate }, expr.span);
  else if (aggregate && !scope.aggregatesAllowed) r.report('aggregate-not-allowed', { name: expr.name.name, clause: scope.clause }, expr.span);
  return { kind: 'call', function: expr.name.name.toLowerCase(), aggregate, type: resolved.type, ...base };
}

export function containsAggregate(e: BoundExpr): boolean {
  if (e.kind === 'call' && e.aggregate) return true;
  return childrenOf(e).some(containsAggregate);
}

export function childrenOf(e: BoundExpr): readonly BoundExpr[] {
  switch (e.kind) {
    case 'literal': case 'interval': case 'typed-literal': case 'column': case 'error':
      return [];
    case 'field': return [e.target];
    case 'index': return [e.target, e.index];
    case 'call': return e.args;
    case 'binary': return [e.left, e.right];
    case 'unary': case 'is-null': case 'cast': return [e.operand];
    case 'in': return [e.operand, ...e.list];
    case 'between': return [e.operand, e.low, e.high];
    case 'like': return [e.operand, e.pattern];
    case 'case': return [...(e.operand ? [e.operand] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
  }
}

function bindBinary(expr: A.Binary, scope: ExprScope, r: Reporter): BoundExpr {
  const left = bindExpr(expr.left, scope, r);
  const right = bindExpr(expr.right, scope, r);
  const span = expr.span;
  const poisoned = isError(left.type) || isError(right.type);
  const nullable = left.type.nullable || right.type.nullable;
  switch (expr.operator) {
    case 'AND':
    case 'OR':
      expectBoolean(left, expr.operator, r);
      expectBoolean(right, expr.operator, r);
      return { kind: 'binary', operator: expr.operator, left, right, type: t.boolean(nullable), span };
    case '=': case '<>':
      checkComparable(left, right, expr.operator, r);
      return { kind: 'binary', operator: expr.operator, left, right, type: t.boolean(nullable), span };
    case '<': case '<=': case '>': case '>=':
      checkComparable(left, right, expr.operator, r, 'ordering');
      return { kind: 'binary', operator: expr.operator, left, right, type: t.boolean(nullable), span };
    case '+': case '-': case '*': case '/': case '%': case '||': {
      if (poisoned) return { kind: 'binary', operator: expr.operator, left, right, type: ERROR_TYPE, span };
      const type = arithmeticType(expr.operator, left.type, right.type);
      if (!type) {
        r.report('operator-type-mismatch', { operator: expr.operator, left: formatType(left.type), right: formatType(right.type) }, span);
        return { kind: 'binary', operator: expr.operator, left, right, type: ERROR_TYPE, span };
      }
      return { kind: 'binary', operator: expr.operator, left, right, type, span };
    }
  }
}

function bindCase(expr: A.CaseExpr, scope: ExprScope, r: Reporter): BoundExpr {
  const operand = expr.operand ? bindExpr(expr.operand, scope, r) : undefined;
  const whens = expr.whens.map((w) => ({ when: bindExpr(w.when, scope, r), then: bindExpr(w.then, scope, r) }));
  const otherwise = expr.else ? bindExpr(expr.else, scope, r) : undefined;
  for (const w of whens) {
    if (operand) checkComparable(operand, w.when, 'CASE', r);
    else expectBoolean(w.when, 'WHEN', r);
  }
  const results = [...whens.map((w) => w.then), ...(otherwise ? [otherwise] : [])];
  let type: SqlType = ERROR_TYPE;
  if (!results.some((e) => isError(e.type))) {
    const common = commonType(results.map((e) => e.type));
    if (!common) r.report('incompatible-branches', { context: 'CASE', types: results.map((e) => formatType(e.type)) }, expr.span);
    // Without ELSE, CASE yields NULL when nothing matches.
    else type = otherwise ? common : withNullable(common, true);
  }
  return { kind: 'case', operand, whens, else: otherwise, type, span: expr.span };
}

export function expectBoolean(e: BoundExpr, context: string, r: Reporter): void {
  if (isError(e.type) || e.type.kind === 'BOOLEAN' || e.type.kind === 'NULL') return;
  r.report('expected-boolean', { context, found: formatType(e.type) }, e.span);
}

function checkComparable(a: BoundExpr, b: BoundExpr, operator: string, r: Reporter, comparison: Comparison = 'equality'): void {
  if (isError(a.type) || isError(b.type) || comparable(a.type, b.type, comparison)) return;
  const params = { operator, left: formatType(a.type), right: formatType(b.type), hint: comparisonHint(a.type, b.type) };
  r.report('operator-type-mismatch', params, b.span.start > a.span.start ? { ...a.span, end: b.span.end } : a.span);
}
