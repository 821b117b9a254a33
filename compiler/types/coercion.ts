/**
 * Flink's type rules, as pure functions over SqlType: implicit and explicit casts, the common type of a set of
 * types, operator result types, comparability and sink assignability.
 *
 * Sources (Flink 1.19–2.2, unchanged for the types pipec has):
 * - casts: flink-table-common `LogicalTypeCasts` (the rule table below is its static block), plus the planner's
 *   `NumericToTimestampCastRule`, which rejects CAST(numeric AS TIMESTAMP[_LTZ]) although the table allows it;
 * - common type: `LogicalTypeMerging.findCommonType`;
 * - DECIMAL arithmetic: `LogicalTypeMerging.find{Addition,Multiplication,Division,Modulo,Round}DecimalType`,
 *   used by the planner's `FlinkTypeSystem` for Calcite's `+ - * / %`; everything else of an operator's type
 *   is Calcite's `ReturnTypes` (NULLABLE_SUM, PRODUCT_NULLABLE, QUOTIENT_NULLABLE, NULLABLE_MOD, and
 *   DYADIC_STRING_SUM_PRECISION_NULLABLE for `||`), since Flink runs the validator with implicit coercion off;
 * - comparisons: Calcite `SqlTypeUtil.isComparable` (same type family), narrowed for a character string
 *   against another type to what the planner (and its code generator) accepts, see `comparable`;
 * - sinks: `DynamicSinkUtils.validateSchemaAndApplyImplicitCast`, which checks `supportsImplicitCast` after
 *   making the sink type nullable ("the NULL constraint will be checked during runtime").
 *
 * Every function treats the ERROR type as "already reported": it answers yes / ERROR and never a mismatch.
 */
import { ERROR_TYPE, formatType, withNullable, type RowField, type SqlType, type SqlTypeKind } from './types.ts';
import { assertNever } from '../util/invariant.ts';

// ── type roots and families ───────────────────────────────────────────────────────────────────────

/** Flink's LogicalTypeRoot for the kinds pipec has; the two INTERVAL units are distinct roots in Flink. */
type Root = Exclude<SqlTypeKind, 'INTERVAL' | 'ERROR'> | 'INTERVAL_YEAR_MONTH' | 'INTERVAL_DAY_TIME';

function rootOf(type: Exclude<SqlType, { kind: 'ERROR' }>): Root {
  return type.kind === 'INTERVAL' ? (type.unit === 'YEAR_MONTH' ? 'INTERVAL_YEAR_MONTH' : 'INTERVAL_DAY_TIME') : type.kind;
}

const INTEGER_ROOTS: readonly Root[] = ['TINYINT', 'SMALLINT', 'INT', 'BIGINT'];
const EXACT_NUMERIC_ROOTS: readonly Root[] = [...INTEGER_ROOTS, 'DECIMAL'];
const NUMERIC_ROOTS: readonly Root[] = [...EXACT_NUMERIC_ROOTS, 'FLOAT', 'DOUBLE'];
const CHARACTER_ROOTS: readonly Root[] = ['CHAR', 'VARCHAR'];
const BINARY_ROOTS: readonly Root[] = ['BINARY', 'VARBINARY'];
const TIMESTAMP_ROOTS: readonly Root[] = ['TIMESTAMP', 'TIMESTAMP_LTZ'];
const DATETIME_ROOTS: readonly Root[] = ['DATE', 'TIME', ...TIMESTAMP_ROOTS];
const INTERVAL_ROOTS: readonly Root[] = ['INTERVAL_YEAR_MONTH', 'INTERVAL_DAY_TIME'];
const CONSTRUCTED_ROOTS: readonly Root[] = ['ARRAY', 'MULTISET', 'MAP', 'ROW'];
/** Flink's PREDEFINED family: every non-constructed, non-user-defined type. */
const PREDEFINED_ROOTS: readonly Root[] = ['BOOLEAN', ...NUMERIC_ROOTS, ...CHARACTER_ROOTS, ...BINARY_ROOTS, ...DATETIME_ROOTS, ...INTERVAL_ROOTS];

const has = (roots: readonly Root[], type: SqlType): boolean => type.kind !== 'ERROR' && roots.includes(rootOf(type));
const isError = (type: SqlType): boolean => type.kind === 'ERROR';
const isNumeric = (type: SqlType): boolean => has(NUMERIC_ROOTS, type);
const isExactNumeric = (type: SqlType): boolean => has(EXACT_NUMERIC_ROOTS, type);
const isApproximateNumeric = (type: SqlType): boolean => type.kind === 'FLOAT' || type.kind === 'DOUBLE';
const isCharacter = (type: SqlType): boolean => type.kind === 'CHAR' || type.kind === 'VARCHAR';
const isBinary = (type: SqlType): boolean => type.kind === 'BINARY' || type.kind === 'VARBINARY';
const isTimestamp = (type: SqlType): boolean => type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ';
const isDatetime = (type: SqlType): boolean => has(DATETIME_ROOTS, type);
const isConstructed = (type: SqlType): boolean => has(CONSTRUCTED_ROOTS, type);

// ── casts ─────────────────────────────────────────────────────────────────────────────────────────

/** Target root → roots that cast to it implicitly (LogicalTypeCasts: `castTo(X).implicitFrom…`). */
const IMPLICIT_FROM: Readonly<Record<Root, readonly Root[]>> = {
  CHAR: ['CHAR'],
  VARCHAR: CHARACTER_ROOTS,
  BOOLEAN: ['BOOLEAN'],
  BINARY: ['BINARY'],
  VARBINARY: BINARY_ROOTS,
  DECIMAL: NUMERIC_ROOTS,
  TINYINT: ['TINYINT'],
  SMALLINT: ['TINYINT', 'SMALLINT'],
  INT: ['TINYINT', 'SMALLINT', 'INT'],
  BIGINT: INTEGER_ROOTS,
  FLOAT: [...INTEGER_ROOTS, 'FLOAT', 'DECIMAL'],
  DOUBLE: NUMERIC_ROOTS,
  DATE: ['DATE', 'TIMESTAMP'],
  TIME: ['TIME', 'TIMESTAMP'],
  TIMESTAMP: ['TIMESTAMP', 'TIMESTAMP_LTZ'],
  TIMESTAMP_LTZ: ['TIMESTAMP_LTZ', 'TIMESTAMP'],
  INTERVAL_YEAR_MONTH: ['INTERVAL_YEAR_MONTH'],
  INTERVAL_DAY_TIME: ['INTERVAL_DAY_TIME'],
  ARRAY: ['ARRAY'],
  MULTISET: ['MULTISET'],
  MAP: ['MAP'],
  ROW: ['ROW'],
  NULL: ['NULL'],
};

/** Target root → roots that cast to it only explicitly (LogicalTypeCasts: `…explicitFrom…`, Flink 1.19+). */
const EXPLICIT_FROM: Readonly<Record<Root, readonly Root[]>> = {
  // CHAR and VARCHAR accept every predefined and constructed type: CAST(row AS STRING) prints it.
  CHAR: [...PREDEFINED_ROOTS, ...CONSTRUCTED_ROOTS],
  VARCHAR: [...PREDEFINED_ROOTS, ...CONSTRUCTED_ROOTS],
  BOOLEAN: [...CHARACTER_ROOTS, ...INTEGER_ROOTS],
  BINARY: [...CHARACTER_ROOTS, 'VARBINARY'],
  VARBINARY: [...CHARACTER_ROOTS, 'BINARY'],
  DECIMAL: [...CHARACTER_ROOTS, ...INTERVAL_ROOTS, 'BOOLEAN', ...TIMESTAMP_ROOTS],
  TINYINT: [...NUMERIC_ROOTS, ...CHARACTER_ROOTS, ...INTERVAL_ROOTS, 'BOOLEAN', ...TIMESTAMP_ROOTS],
  SMALLINT: [...NUMERIC_ROOTS, ...CHARACTER_ROOTS, ...INTERVAL_ROOTS, 'BOOLEAN', ...TIMESTAMP_ROOTS],
  INT: [...NUMERIC_ROOTS, ...CHARACTER_ROOTS, ...INTERVAL_ROOTS, 'BOOLEAN', ...TIMESTAMP_ROOTS],
  BIGINT: [...NUMERIC_ROOTS, ...CHARACTER_ROOTS, ...INTERVAL_ROOTS, 'BOOLEAN', ...TIMESTAMP_ROOTS],
  FLOAT: [...NUMERIC_ROOTS, ...CHARACTER_ROOTS, 'BOOLEAN', ...TIMESTAMP_ROOTS],
  DOUBLE: [...CHARACTER_ROOTS, 'BOOLEAN', ...TIMESTAMP_ROOTS],
  DATE: [...TIMESTAMP_ROOTS, ...CHARACTER_ROOTS],
  TIME: ['TIME', ...TIMESTAMP_ROOTS, ...CHARACTER_ROOTS],
  // LogicalTypeCasts also lists NUMERIC here, but the planner's NumericToTimestampCastRule rejects it.
  TIMESTAMP: [...DATETIME_ROOTS, ...CHARACTER_ROOTS],
  TIMESTAMP_LTZ: [...DATETIME_ROOTS, ...CHARACTER_ROOTS],
  INTERVAL_YEAR_MONTH: [...EXACT_NUMERIC_ROOTS, ...CHARACTER_ROOTS],
  INTERVAL_DAY_TIME: [...EXACT_NUMERIC_ROOTS, ...CHARACTER_ROOTS],
  ARRAY: [],
  MULTISET: [],
  MAP: [],
  ROW: [],
  NULL: [],
};

export interface CastOptions {
  /**
   * Compare nullability as Flink does (a nullable type never casts implicitly to a NOT NULL one, at any
   * depth). Off by default: pipec reports NOT NULL violations separately (see `notNullViolations`).
   */
  readonly respectNullability?: boolean;
}

/**
 * Whether `from` widens to `to` without loss, as Flink's `LogicalTypeCasts.supportsImplicitCast`: numeric
 * widening (TINYINT → SMALLINT → INT → BIGINT → FLOAT/DECIMAL → DOUBLE; any numeric → DECIMAL), CHAR →
 * VARCHAR, BINARY → VARBINARY, TIMESTAMP → DATE/TIME, TIMESTAMP ↔ TIMESTAMP_LTZ, NULL → anything, and
 * ARRAY/MULTISET/MAP/ROW element-wise (ROW field names are ignored, fields match by position).
 * Like Flink, lengths, precisions and scales are not compared: VARCHAR(100) → VARCHAR(10) and
 * DECIMAL(38, 4) → DECIMAL(10, 2) are implicit casts (the sink truncates or overflows at runtime).
 */
export function supportsImplicitCast(from: SqlType, to: SqlType, options: CastOptions = {}): boolean {
  return supportsCasting(from, to, false, options.respectNullability ?? false);
}

/**
 * Whether Flink's CAST / TRY_CAST accepts `from` → `to` (LogicalTypeCasts.supportsExplicitCast, minus the
 * numeric → TIMESTAMP[_LTZ] casts the planner rejects). Nullability never blocks an explicit cast.
 */
export function supportsExplicitCast(from: SqlType, to: SqlType): boolean {
  return supportsCasting(from, to, true, false);
}

/** Flink's advice when it rejects a cast, for the diagnostic's help line; undefined when there is none. */
export function castHint(from: SqlType, to: SqlType): string | undefined {
  if (!isNumeric(from)) return undefined;
  // Wording from the planner's NumericToTimestampCastRule.
  if (to.kind === 'TIMESTAMP') return 'use TO_TIMESTAMP(FROM_UNIXTIME(seconds)) instead; the number is in seconds';
  if (to.kind === 'TIMESTAMP_LTZ') return 'use TO_TIMESTAMP_LTZ(epoch, 0) for seconds or TO_TIMESTAMP_LTZ(epoch, 3) for milliseconds';
  return undefined;
}

function supportsCasting(from: SqlType, to: SqlType, explicit: boolean, nullability: boolean): boolean {
  if (from.kind === 'ERROR' || to.kind === 'ERROR') return true;
  if (nullability && !explicit && from.nullable && !to.nullable) return false;
  if (sameType(from, to, nullability)) return true;
  if (from.kind === 'NULL') return true;
  const fromRoot = rootOf(from);
  const toRoot = rootOf(to);
  // A single-field interval (INTERVAL '5' MINUTE) casts to and from exact numerics. pipec's INTERVAL type does
  // not record the fields, so this is allowed for CAST and refused as an implicit cast (the safe side).
  if ((INTERVAL_ROOTS.includes(fromRoot) && EXACT_NUMERIC_ROOTS.includes(toRoot)) || (EXACT_NUMERIC_ROOTS.includes(fromRoot) && INTERVAL_ROOTS.includes(toRoot))) {
    return explicit;
  }
  if (isConstructed(from) && isConstructed(to)) return supportsConstructedCasting(from, to, explicit, nullability);
  if (IMPLICIT_FROM[toRoot].includes(fromRoot)) return true;
  return explicit && EXPLICIT_FROM[toRoot].includes(fromRoot);
}

function supportsConstructedCasting(from: SqlType, to: SqlType, explicit: boolean, nullability: boolean): boolean {
  const a = childrenOf(from);
  const b = childrenOf(to);
  // Constructed types cast only within the same root, child by child.
  if (from.kind !== to.kind || a.length !== b.length) return false;
  return a.every((child, i) => {
    const target = b[i];
    return target !== undefined && supportsCasting(child, target, explicit, nullability);
  });
}

function childrenOf(type: SqlType): readonly SqlType[] {
  switch (type.kind) {
    case 'ARRAY': case 'MULTISET': return [type.element];
    case 'MAP': return [type.key, type.value];
    case 'ROW': return type.fields.map((f) => f.type);
    default: return [];
  }
}

/**
 * Structural equality. Time attributes and field docs never count; top-level nullability never counts, nested
 * nullability only when `deepNullability` (Flink's `copy(true).equals(…)` compares nested nullability).
 */
function sameType(a: SqlType, b: SqlType, deepNullability: boolean): boolean {
  if (a.kind !== b.kind) return false;
  // Scalar types: same spelling (lengths, precisions, scales, interval unit), whatever the nullability.
  if (!isConstructed(a)) return formatType(withNullable(a, true)) === formatType(withNullable(b, true));
  if (a.kind === 'ROW' && b.kind === 'ROW' && !a.fields.every((f, i) => f.name === b.fields[i]?.name)) return false;
  const x = childrenOf(a);
  const y = childrenOf(b);
  return x.length === y.length && x.every((child, i) => {
    const other = y[i];
    return other !== undefined && sameType(child, other, deepNullability) && (!deepNullability || child.nullable === other.nullable);
  });
}

// ── sinks ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Whether a value of type `from` may be written into a sink field of type `to`: Flink accepts any implicit
 * cast and checks NOT NULL only at runtime, so nullability is ignored here at every depth. pipec reports a
 * nullable value flowing into NOT NULL separately, with `notNullViolations`.
 */
export function isAssignable(from: SqlType, to: SqlType): boolean {
  return supportsImplicitCast(from, to);
}

/**
 * Where a nullable value meets a NOT NULL target when `from` is written into `to`: `''` for the value
 * itself, then paths such as `address.city`, `items[]`, `tags{key}`, `tags{value}` (named after the
 * target). Types that do not line up are not descended into (`isAssignable` reports them).
 */
export function notNullViolations(from: SqlType, to: SqlType): readonly string[] {
  return violationsAt(from, to, '');
}

function violationsAt(from: SqlType, to: SqlType, path: string): readonly string[] {
  if (isError(from) || isError(to)) return [];
  const here = from.nullable && !to.nullable ? [path] : [];
  const join = (suffix: string): string => (path === '' ? suffix.replace(/^\./, '') : `${path}${suffix}`);
  if ((from.kind === 'ARRAY' || from.kind === 'MULTISET') && to.kind === from.kind) {
    return [...here, ...violationsAt(from.element, to.element, join('[]'))];
  }
  if (from.kind === 'MAP' && to.kind === 'MAP') {
    return [...here, ...violationsAt(from.key, to.key, join('{key}')), ...violationsAt(from.value, to.value, join('{value}'))];
  }
  if (from.kind === 'ROW' && to.kind === 'ROW' && from.fields.length === to.fields.length) {
    return [...here, ...from.fields.flatMap((f, i) => {
      const g = to.fields[i];
      return g === undefined ? [] : violationsAt(f.type, g.type, join(`.${g.name}`));
    })];
  }
  return here;
}

// ── common type ───────────────────────────────────────────────────────────────────────────────────

/**
 * The most specific type every input casts to implicitly, as Flink's `LogicalTypeMerging.findCommonType`:
 * for CASE branches, UNION ALL columns, IN lists, COALESCE and function arguments. E.g. [INT, BIGINT,
 * DECIMAL(2, 2)] → DECIMAL(21, 2); [CHAR(2), VARCHAR(5)] → VARCHAR(5); [INT, DOUBLE] → DOUBLE;
 * [DECIMAL(10, 2), FLOAT] → DOUBLE; [TIMESTAMP(3), TIMESTAMP_LTZ(6)] → TIMESTAMP_LTZ(6).
 *
 * The result is nullable if any input is (the NULL literal included). NULL inputs take no part otherwise;
 * only NULLs, or types with nothing in common, give undefined. ERROR anywhere gives ERROR.
 * A time attribute survives only when every input is the same time attribute (a UNION ALL of rowtimes).
 * Flink's findCommonType also merges DATETIME with INTERVAL or EXACT_NUMERIC (for `ts + 1`); those
 * patterns belong to arithmetic, so they are not applied here: CASE WHEN … THEN ts ELSE 1 END is an error.
 */
export function commonType(types: readonly SqlType[]): SqlType | undefined {
  if (types.some(isError)) return ERROR_TYPE;
  const typed = types.filter((x) => x.kind !== 'NULL');
  const [first] = typed;
  if (first === undefined) return undefined; // Flink: "NULL is reserved for untyped literals only"
  const found = commonOfSimilar(typed) ?? commonByCasting(typed);
  if (found === undefined) return undefined;
  const keepsAttribute = typed.every((x) => sameType(x, first, true) && timeAttributeOf(x) === timeAttributeOf(first));
  return withNullable(keepsAttribute ? found : stripTimeAttribute(found), types.some((x) => x.nullable));
}

const timeAttributeOf = (type: SqlType): string | undefined => (type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ' ? type.timeAttribute : undefined);

/** A derived value is no longer a time attribute (Flink materializes rowtime/proctime in expressions). */
export function stripTimeAttribute(type: SqlType): SqlType {
  if ((type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ') && type.timeAttribute !== undefined) {
    return type.kind === 'TIMESTAMP'
      ? { kind: 'TIMESTAMP', precision: type.precision, nullable: type.nullable }
      : { kind: 'TIMESTAMP_LTZ', precision: type.precision, nullable: type.nullable };
  }
  return type;
}

/** findCommonNullableType: merges types of one family, widening lengths and precisions. */
function commonOfSimilar(types: readonly SqlType[]): SqlType | undefined {
  const [first] = types;
  if (first === undefined) return undefined;
  if (isConstructed(first)) return commonConstructed(types);
  let result: SqlType = first;
  for (const type of types.slice(1)) {
    if (sameType(result, type, true)) continue;
    const merged = mergeSimilar(result, type);
    if (merged === undefined) return undefined;
    result = merged;
  }
  return result;
}

function mergeSimilar(result: SqlType, type: SqlType): SqlType | undefined {
  if (isConstructed(type)) return undefined;
  if (isCharacter(type) && isCharacter(result)) return mergeStrings(result, type, 'CHAR', 'VARCHAR');
  if (isBinary(type) && isBinary(result)) return mergeStrings(result, type, 'BINARY', 'VARBINARY');
  if (isNumeric(type) && isNumeric(result)) return mergeNumeric(result, type);
  if (type.kind === 'DATE' && result.kind === 'DATE') return { kind: 'DATE', nullable: true };
  if (type.kind === 'TIME' && result.kind === 'TIME') return { kind: 'TIME', precision: Math.max(type.precision, result.precision), nullable: true };
  if ((type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ') && (result.kind === 'TIMESTAMP' || result.kind === 'TIMESTAMP_LTZ')) {
    const precision = Math.max(type.precision, result.precision);
    // Mixed TIMESTAMP and TIMESTAMP_LTZ generalize to the zoned type.
    return type.kind === 'TIMESTAMP_LTZ' || result.kind === 'TIMESTAMP_LTZ' ? { kind: 'TIMESTAMP_LTZ', precision, nullable: true } : { kind: 'TIMESTAMP', precision, nullable: true };
  }
  if (type.kind === 'INTERVAL' && result.kind === 'INTERVAL' && type.unit === result.unit) return { kind: 'INTERVAL', unit: type.unit, nullable: true };
  // BOOLEAN and mixed families fall through to commonByCasting, as in Flink.
  return undefined;
}

/** Unbounded VARCHAR/VARBINARY is Flink's length 2147483647. */
const MAX_LENGTH = 2_147_483_647;
const lengthOf = (type: SqlType): number =>
  type.kind === 'CHAR' || type.kind === 'BINARY' ? type.length : type.kind === 'VARCHAR' || type.kind === 'VARBINARY' ? (type.length ?? MAX_LENGTH) : 0;

function stringType(kind: 'CHAR' | 'VARCHAR' | 'BINARY' | 'VARBINARY', length: number): SqlType {
  switch (kind) {
    case 'CHAR': return { kind, length, nullable: true };
    case 'BINARY': return { kind, length, nullable: true };
    case 'VARCHAR': return { kind, length: length >= MAX_LENGTH ? undefined : length, nullable: true };
    case 'VARBINARY': return { kind, length: length >= MAX_LENGTH ? undefined : length, nullable: true };
  }
}

function mergeStrings<F extends 'CHAR' | 'BINARY', V extends 'VARCHAR' | 'VARBINARY'>(result: SqlType, type: SqlType, fixed: F, varying: V): SqlType {
  const length = Math.max(lengthOf(result), lengthOf(type));
  // Fixed-length types of different lengths become variable-length, which avoids padding (Flink's comment).
  if (result.kind === fixed && type.kind === fixed && lengthOf(result) === lengthOf(type)) return stringType(fixed, length);
  return stringType(varying, length);
}

/** Digits of the integer types, as DECIMAL(p, 0) (LogicalTypeChecks.getPrecision). */
function decimalOf(type: SqlType): { precision: number; scale: number } {
  switch (type.kind) {
    case 'TINYINT': return { precision: 3, scale: 0 };
    case 'SMALLINT': return { precision: 5, scale: 0 };
    case 'INT': return { precision: 10, scale: 0 };
    case 'BIGINT': return { precision: 19, scale: 0 };
    case 'DECIMAL': return { precision: type.precision, scale: type.scale };
    default: return { precision: 0, scale: 0 };
  }
}

export const MAX_DECIMAL_PRECISION = 38;

function mergeNumeric(result: SqlType, type: SqlType): SqlType {
  if (isExactNumeric(type) && isExactNumeric(result)) {
    if (result.kind !== 'DECIMAL' && type.kind !== 'DECIMAL') {
      return decimalOf(type).precision > decimalOf(result).precision ? type : result;
    }
    // createCommonExactNumericType: keep every whole digit, then as much scale as still fits.
    const a = decimalOf(result);
    const b = decimalOf(type);
    const whole = Math.min(Math.max(a.precision - a.scale, b.precision - b.scale), MAX_DECIMAL_PRECISION);
    const scale = Math.min(Math.max(a.scale, b.scale), MAX_DECIMAL_PRECISION - whole);
    return { kind: 'DECIMAL', precision: whole + scale, scale, nullable: true };
  }
  if (isApproximateNumeric(type) && isApproximateNumeric(result)) {
    return type.kind === 'DOUBLE' || result.kind === 'DOUBLE' ? { kind: 'DOUBLE', nullable: true } : result;
  }
  // Exact meets approximate: approximate wins, and DECIMAL forces DOUBLE.
  if (type.kind === 'DECIMAL' || result.kind === 'DECIMAL') return { kind: 'DOUBLE', nullable: true };
  return isApproximateNumeric(type) ? type : result;
}

function commonConstructed(types: readonly SqlType[]): SqlType | undefined {
  const [first] = types;
  if (first === undefined) return undefined;
  const width = childrenOf(first).length;
  if (!types.every((x) => x.kind === first.kind && childrenOf(x).length === width)) return undefined;
  const children: SqlType[] = [];
  for (let i = 0; i < width; i++) {
    const child = commonType(types.map((x) => childrenOf(x)[i] ?? ERROR_TYPE));
    if (child === undefined) return undefined;
    children.push(child);
  }
  switch (first.kind) {
    case 'ARRAY': return children[0] && { kind: 'ARRAY', element: children[0], nullable: true };
    case 'MULTISET': return children[0] && { kind: 'MULTISET', element: children[0], nullable: true };
    case 'MAP': return children[0] && children[1] && { kind: 'MAP', key: children[0], value: children[1], nullable: true };
    // Field names (and docs) come from the first row.
    case 'ROW': return { kind: 'ROW', fields: first.fields.map((f, i): RowField => ({ ...f, type: children[i] ?? f.type })), nullable: true };
    default: return undefined;
  }
}

/** findCommonCastableType: the one input every other input casts to implicitly, if there is one. */
function commonByCasting(types: readonly SqlType[]): SqlType | undefined {
  let result = types[0];
  for (const type of types) {
    if (result === undefined) return undefined;
    if (supportsImplicitCast(result, type)) result = type;
    else if (!supportsImplicitCast(type, result)) return undefined;
  }
  return result;
}

// ── operators ─────────────────────────────────────────────────────────────────────────────────────

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '||';

/**
 * The result type of a binary arithmetic or concatenation operator, or undefined when Flink rejects the
 * operands. Numbers: `+ - * /` of integers give the wider integer (INT / INT is INT, as in Flink); with a
 * DECIMAL operand the DECIMAL rules below apply; with FLOAT/DOUBLE the result is approximate. `%` takes exact
 * numerics only and has the right operand's type (SQL:2003 MOD). Date/time: DATE/TIME/TIMESTAMP ± INTERVAL
 * keeps the date/time type (DATE + INTERVAL '1' HOUR is still a DATE, as in Calcite); INTERVAL ± INTERVAL of
 * one unit; INTERVAL * number and INTERVAL / number. `||` concatenates two character strings (CHAR only if
 * both are CHAR) or two binary strings, summing lengths. The result is nullable if an operand is; a NULL
 * literal takes the other operand's type. Time attributes do not survive arithmetic.
 */
export function arithmeticType(operator: ArithmeticOperator, left: SqlType, right: SqlType): SqlType | undefined {
  if (isError(left) || isError(right)) return ERROR_TYPE;
  // InferTypes.FIRST_KNOWN: an untyped NULL operand takes the other operand's type.
  if (left.kind === 'NULL' && right.kind === 'NULL') return undefined;
  const l = left.kind === 'NULL' ? withNullable(right, true) : left;
  const r = right.kind === 'NULL' ? withNullable(left, true) : right;
  const result = operatorResult(operator, stripTimeAttribute(l), stripTimeAttribute(r));
  return result === undefined ? undefined : withNullable(result, l.nullable || r.nullable);
}

function operatorResult(operator: ArithmeticOperator, l: SqlType, r: SqlType): SqlType | undefined {
  switch (operator) {
    case '||': return concatResult(l, r);
    case '+':
      if (isNumeric(l) && isNumeric(r)) return numericResult(operator, l, r);
      if (l.kind === 'INTERVAL' && r.kind === 'INTERVAL') return l.unit === r.unit ? l : undefined;
      if (isDatetime(l) && r.kind === 'INTERVAL') return datetimePlusInterval(l, r);
      if (l.kind === 'INTERVAL' && isDatetime(r)) return datetimePlusInterval(r, l);
      return undefined;
    case '-':
      if (isNumeric(l) && isNumeric(r)) return numericResult(operator, l, r);
      if (l.kind === 'INTERVAL' && r.kind === 'INTERVAL') return l.unit === r.unit ? l : undefined;
      // No INTERVAL - DATETIME, and no TIMESTAMP - TIMESTAMP: Flink has TIMESTAMPDIFF for that.
      if (isDatetime(l) && r.kind === 'INTERVAL') return datetimePlusInterval(l, r);
      return undefined;
    case '*':
      if (isNumeric(l) && isNumeric(r)) return numericResult(operator, l, r);
      if (l.kind === 'INTERVAL' && isNumeric(r)) return l;
      if (isNumeric(l) && r.kind === 'INTERVAL') return r;
      return undefined;
    case '/':
      if (isNumeric(l) && isNumeric(r)) return numericResult(operator, l, r);
      if (l.kind === 'INTERVAL' && isNumeric(r)) return l;
      return undefined;
    case '%':
      return isExactNumeric(l) && isExactNumeric(r) ? numericResult(operator, l, r) : undefined;
    default: return assertNever(operator, 'operator');
  }
}

/** Unary minus (and plus): numbers and intervals keep their type. */
export function unaryMinusType(operand: SqlType): SqlType | undefined {
  if (isError(operand)) return ERROR_TYPE;
  return isNumeric(operand) || operand.kind === 'INTERVAL' ? stripTimeAttribute(operand) : undefined;
}

function datetimePlusInterval(datetime: SqlType, interval: SqlType): SqlType | undefined {
  // TIME has no date part to add months to.
  if (datetime.kind === 'TIME' && interval.kind === 'INTERVAL' && interval.unit === 'YEAR_MONTH') return undefined;
  return datetime;
}

function concatResult(l: SqlType, r: SqlType): SqlType | undefined {
  const both = (test: (x: SqlType) => boolean): boolean => test(l) && test(r);
  if (!both(isCharacter) && !both(isBinary)) return undefined;
  const length = Math.min(lengthOf(l) + lengthOf(r), MAX_LENGTH);
  if (both(isCharacter)) return stringType(l.kind === 'CHAR' && r.kind === 'CHAR' ? 'CHAR' : 'VARCHAR', length);
  return stringType(l.kind === 'BINARY' && r.kind === 'BINARY' ? 'BINARY' : 'VARBINARY', length);
}

function numericResult(operator: '+' | '-' | '*' | '/' | '%', l: SqlType, r: SqlType): SqlType | undefined {
  // FlinkTypeSystem derives DECIMAL results when both operands are exact and one is a DECIMAL.
  if (isExactNumeric(l) && isExactNumeric(r) && (l.kind === 'DECIMAL' || r.kind === 'DECIMAL')) {
    const a = decimalOf(l);
    const b = decimalOf(r);
    switch (operator) {
      case '+': case '-': return decimalType(additionDecimal(a, b));
      case '*': return decimalType(multiplicationDecimal(a, b));
      case '/': return decimalType(divisionDecimal(a, b));
      // FlinkTypeSystem.deriveDecimalModType: with no fraction digits on either side, the divisor's type.
      case '%': return a.scale === 0 && b.scale === 0 ? r : decimalType(moduloDecimal(a, b));
    }
  }
  // NULLABLE_MOD: without DECIMALs, `%` has the divisor's type.
  if (operator === '%') return r;
  return mergeNumeric(l, r);
}

export interface DecimalShape {
  readonly precision: number;
  readonly scale: number;
}

const decimalType = (d: DecimalShape): SqlType => ({ kind: 'DECIMAL', precision: d.precision, scale: d.scale, nullable: true });

/**
 * LogicalTypeMerging.adjustPrecisionScale (after SQL Server): past 38 digits, scale is given up to keep the
 * integral part, but at least min(scale, 6) fractional digits stay.
 */
function adjust(precision: number, scale: number): DecimalShape {
  if (precision <= MAX_DECIMAL_PRECISION) return { precision, scale };
  const integral = precision - scale;
  const minScale = Math.min(scale, 6);
  return { precision: MAX_DECIMAL_PRECISION, scale: Math.max(MAX_DECIMAL_PRECISION - integral, minScale) };
}

/** e1 + e2, e1 - e2: p = max(s1, s2) + max(p1 - s1, p2 - s2) + 1, s = max(s1, s2). */
export function additionDecimal(a: DecimalShape, b: DecimalShape): DecimalShape {
  const scale = Math.max(a.scale, b.scale);
  return adjust(Math.max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale);
}

/** e1 * e2: p = p1 + p2 + 1, s = s1 + s2. */
export function multiplicationDecimal(a: DecimalShape, b: DecimalShape): DecimalShape {
  return adjust(a.precision + b.precision + 1, a.scale + b.scale);
}

/** e1 / e2: s = max(6, s1 + p2 + 1), p = p1 - s1 + s2 + s. */
export function divisionDecimal(a: DecimalShape, b: DecimalShape): DecimalShape {
  const scale = Math.max(6, a.scale + b.precision + 1);
  return adjust(a.precision - a.scale + b.scale + scale, scale);
}

/** e1 % e2: p = min(p1 - s1, p2 - s2) + max(s1, s2), s = max(s1, s2). */
export function moduloDecimal(a: DecimalShape, b: DecimalShape): DecimalShape {
  const scale = Math.max(a.scale, b.scale);
  return adjust(Math.min(a.precision - a.scale, b.precision - b.scale) + scale, scale);
}

/** ROUND/TRUNCATE(DECIMAL(p, s), r): rounding may add a digit, hence the + 1 (findRoundDecimalType). */
export function roundDecimal(a: DecimalShape, round: number): DecimalShape {
  if (round >= a.scale) return a;
  if (round < 0) return { precision: Math.min(MAX_DECIMAL_PRECISION, 1 + a.precision - a.scale), scale: 0 };
  return { precision: 1 + a.precision - a.scale + round, scale: round };
}

/** SUM(DECIMAL(p, s)) is DECIMAL(38, s); other numerics keep their type, so SUM(INT) is INT (findSumAggType). */
export function sumType(argument: SqlType): SqlType {
  if (argument.kind === 'DECIMAL') return { kind: 'DECIMAL', precision: MAX_DECIMAL_PRECISION, scale: argument.scale, nullable: argument.nullable };
  return stripTimeAttribute(argument);
}

/**
 * AVG(DECIMAL(p, s)) is DECIMAL(38, max(6, s)); other numerics keep their type, so AVG(INT) is INT
 * (findAvgAggType: the DECIMAL sum divided by the BIGINT count).
 */
export function avgType(argument: SqlType): SqlType {
  if (argument.kind === 'DECIMAL') {
    const d = divisionDecimal({ precision: MAX_DECIMAL_PRECISION, scale: argument.scale }, { precision: 20, scale: 0 });
    return { kind: 'DECIMAL', precision: d.precision, scale: d.scale, nullable: argument.nullable };
  }
  return stripTimeAttribute(argument);
}

// ── comparisons ───────────────────────────────────────────────────────────────────────────────────

/**
 * `equality` for = <> and CASE x WHEN; `membership` for IN; `ordering` for < <= > >= BETWEEN, MIN/MAX,
 * GREATEST/LEAST. They differ only when one side is a character string.
 */
export type Comparison = 'equality' | 'membership' | 'ordering';

/**
 * Whether Flink accepts `a` and `b` on the two sides of a comparison (checked against the planner, 1.20 and 2.2
 * alike: test/integration/flink-planner/fixtures/*-compare-*.sql): numbers with numbers, character strings
 * with character strings, binary with binary, BOOLEAN, DATE, TIME, TIMESTAMP with TIMESTAMP_LTZ, intervals of
 * one unit. DATE and TIMESTAMP do not compare. ARRAY, MAP, MULTISET and ROW compare for equality only,
 * element-wise. NULL compares with anything. A character string against another type (`stringComparable`):
 * - DATE, TIME, TIMESTAMP[_LTZ]: every comparison (the planner casts the string);
 * - a number: ordering and IN only (Calcite casts the string). The code generator refuses = and <>
 *   ("implicit type conversion between INTEGER and CHAR is not supported now"), hence CASE x WHEN too;
 * - BOOLEAN: ordering and IN only. Flink plans = and <> but its generated code then compares a string object
 *   with a boolean, which is always false, so pipec refuses them;
 * - an interval or a binary string: never (Flink cannot cast the string to an interval; = plans, always false).
 */
export function comparable(a: SqlType, b: SqlType, comparison: Comparison = 'equality'): boolean {
  if (isError(a) || isError(b) || a.kind === 'NULL' || b.kind === 'NULL') return true;
  if (isConstructed(a) || isConstructed(b)) {
    if (comparison === 'ordering' || a.kind !== b.kind) return false;
    const x = childrenOf(a);
    const y = childrenOf(b);
    return x.length === y.length && x.every((child, i) => { const other = y[i]; return other !== undefined && comparable(child, other, 'equality'); });
  }
  if (comparisonFamily(a) === comparisonFamily(b)) return true;
  if (isCharacter(a)) return stringComparable(b, comparison);
  if (isCharacter(b)) return stringComparable(a, comparison);
  return false;
}

/** Whether a character string compares with `other` (of another family), as `comparable` lists. */
function stringComparable(other: SqlType, comparison: Comparison): boolean {
  if (isDatetime(other)) return true;
  if (isNumeric(other) || other.kind === 'BOOLEAN') return comparison !== 'equality';
  return false;
}

/** The help line for a comparison `comparable` refuses, when there is better advice than "CAST one side". */
export function comparisonHint(a: SqlType, b: SqlType): string | undefined {
  const other = isCharacter(a) ? b : isCharacter(b) ? a : undefined;
  if (other === undefined) return undefined;
  if (isNumeric(other)) return "compare with a number, written without quotes, or CAST one side to the other's type";
  if (other.kind === 'BOOLEAN') return 'compare with TRUE or FALSE, or CAST the string to BOOLEAN';
  if (other.kind === 'INTERVAL') return "compare with an interval literal such as INTERVAL '1' DAY";
  return undefined;
}

function comparisonFamily(type: SqlType): string {
  if (isNumeric(type)) return 'numeric';
  if (isCharacter(type)) return 'character';
  if (isBinary(type)) return 'binary';
  if (isTimestamp(type)) return 'timestamp';
  if (type.kind === 'INTERVAL') return `interval-${type.unit}`;
  return type.kind;
}
