/**
 * The vocabulary of stdlib/functions.ts: typed signatures as plain data, and the pure rules that match a
 * call's argument types against one signature and compute its result type.
 *
 * Matching follows Flink's operand checkers: arguments are checked by type family (Calcite's
 * `OperandTypes.family(…)`), with no implicit coercion across families (Flink runs Calcite's validator with
 * type coercion off), so `upper(42)` is an error in Flink and here. A NULL literal fits any parameter.
 */
import { ERROR_TYPE, withNullable, type SqlType } from '../compiler/types/types.ts';
import {
  arithmeticType, avgType, commonType, comparable, roundDecimal, stripTimeAttribute, sumType, supportsImplicitCast,
} from '../compiler/types/coercion.ts';
import { assertNever } from '../compiler/util/invariant.ts';
import { base64LiteralProblem } from './base64-literal.ts';
import { datePatternLiteralProblem, type DatePatternKind } from './date-patterns.ts';
import type { FlinkLine } from './flink-lines.ts';

/** Families of parameter types (Calcite's SqlTypeFamily, named as Flink's docs name them). */
export type TypeFamily =
  | 'any'
  | 'non-array' // any type but ARRAY: where Flink 1.20's validator cannot type the CASE it rewrites a call into (NULLIF)
  | 'numeric' // TINYINT, SMALLINT, INT, BIGINT, DECIMAL, FLOAT, DOUBLE
  | 'integer' // TINYINT, SMALLINT, INT, BIGINT
  | 'int' // INT only: where Flink's generated code takes a Java int (RAND's seed, TRUNCATE's places)
  | 'int-or-smaller' // TINYINT, SMALLINT, INT: where Flink's generated code passes a Java int, to which a BIGINT does not convert (SUBSTRING's start, LPAD's length)
  | 'exact-numeric' // integers and DECIMAL
  | 'string' // CHAR, VARCHAR
  | 'varchar' // VARCHAR only, not CHAR: where Flink's implementation takes a StringData of variable length
  | 'binary' // BINARY, VARBINARY
  | 'boolean'
  | 'temporal' // DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ
  | 'date'
  | 'time'
  | 'timestamp' // TIMESTAMP, TIMESTAMP_LTZ
  | 'timestamp-ltz' // TIMESTAMP_LTZ only
  | 'date-or-timestamp'
  | 'date-or-local-timestamp' // DATE, TIMESTAMP: where Flink's generated code refuses a TIMESTAMP_LTZ beside another type (TIMESTAMPDIFF)
  | 'time-or-timestamp'
  | 'array'
  | 'map'
  | 'collection' // ARRAY, MAP, MULTISET
  | 'orderable'; // what MIN/MAX order: numbers, strings, BOOLEAN, date/time types

export const TIME_UNITS = ['SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export type ParamType =
  | { readonly kind: 'family'; readonly family: TypeFamily }
  /** Shares a common type with parameter `param` (COALESCE's "same type as the first"). */
  | { readonly kind: 'common-with'; readonly param: number }
  /** Comparable for equality with parameter `param` (NULLIF). */
  | { readonly kind: 'comparable-with'; readonly param: number }
  /** Casts implicitly to the element type of the ARRAY parameter `param` (ARRAY_CONTAINS's needle). */
  | { readonly kind: 'element-of'; readonly param: number }
  /**
   * A time-unit keyword (TIMESTAMPDIFF(DAY, …)). The grammar reads it as a bare name: the binder must not
   * resolve it as a column, and passes its text in `literalArgs` (see `timeUnitParams`).
   */
  | { readonly kind: 'time-unit'; readonly units: readonly TimeUnit[] }
  /** A rowtime or proctime column (window table functions, CURRENT_WATERMARK). */
  | { readonly kind: 'time-attribute' }
  /** A day-time duration: a `.pipe` duration (`5 min`, typed INTERVAL DAY TO SECOND) or a day-time interval. */
  | { readonly kind: 'duration' };

/** The argument must be a literal (number or string literal in the source), optionally one of some values. */
export interface LiteralRule {
  readonly oneOf?: readonly (number | string)[];
}

/** Text Flink parses at run time, where a literal it cannot parse would fail the job (or every call). */
export type LiteralTextRule =
  /** A date-time pattern, by the Java class that reads it. */
  | { readonly kind: 'date-pattern'; readonly reader: DatePatternKind }
  /** Base64 text, decoded by Java's basic decoder. */
  | { readonly kind: 'base64' };

export interface Param {
  /** Shown in docs; the name Flink's docs use. */
  readonly name: string;
  readonly type: ParamType;
  /** Optional parameters come last (before a variadic one); each may be left out from the right. */
  readonly optional?: boolean;
  /** Repeats zero or more times; only the last parameter. */
  readonly variadic?: boolean;
  readonly literal?: LiteralRule;
  /** What Flink reads a string literal argument as at run time: a literal it would fail on is refused. */
  readonly text?: LiteralTextRule;
}

/** How the result type follows from the arguments (before the nullability rule applies). */
export type ResultRule =
  | { readonly kind: 'fixed'; readonly type: SqlType }
  /** The type of argument `param`; `varying` turns CHAR(n) into VARCHAR(n) (Calcite's TO_VARYING). */
  | { readonly kind: 'arg'; readonly param: number; readonly varying?: boolean }
  /** The common type of all arguments (or of `params`), as findCommonType. */
  | { readonly kind: 'common'; readonly params?: readonly number[] }
  /** SUM: DECIMAL(38, s) for DECIMAL(p, s), else the argument's type. */
  | { readonly kind: 'sum' }
  /** AVG (and STDDEV/VAR, which Flink reduces to it): DECIMAL(38, max(6, s)), else the argument's type. */
  | { readonly kind: 'avg' }
  /** ROUND/TRUNCATE: for DECIMAL with a literal scale argument, findRoundDecimalType; else the argument's type. */
  | { readonly kind: 'round' }
  /** FLOOR/CEIL: DECIMAL(p, s) → DECIMAL(p, 0) (Calcite's ARG0_OR_EXACT_NO_SCALE); else the argument's type. */
  | { readonly kind: 'floor-ceil' }
  /** MOD: findModuloDecimalType when a DECIMAL is involved, else the divisor's type (NULLABLE_MOD). */
  | { readonly kind: 'mod' }
  /** The element type of the ARRAY/MULTISET argument `param`. */
  | { readonly kind: 'element'; readonly param: number }
  | { readonly kind: 'array-of'; readonly param: number }
  | { readonly kind: 'multiset-of'; readonly param: number }
  | { readonly kind: 'map-keys'; readonly param: number }
  | { readonly kind: 'map-values'; readonly param: number }
  /** CURRENT_WATERMARK: the time attribute's type with precision 3, no longer a time attribute. */
  | { readonly kind: 'watermark'; readonly param: number }
  /** PROCTIME(): TIMESTAMP_LTZ(3) NOT NULL processing-time attribute. */
  | { readonly kind: 'proctime' }
  /**
   * Window table functions: the three columns Flink adds (SqlWindowTableFunction.inferRowType):
   * window_start and window_end TIMESTAMP(3) NOT NULL, window_time of the time attribute's type.
   */
  | { readonly kind: 'window'; readonly param: number };

/**
 * When the result may be NULL. `any-arg`: when any argument may be (Calcite's TO_NULLABLE); `all-args`: only
 * when all may be (COALESCE); `args`: when one of these may be (IFNULL's replacement); `always`: whatever the
 * arguments (FORCE_NULLABLE: parse functions, REGEXP_EXTRACT, JSON_VALUE…); `never`; `aggregate`: when the
 * argument may be, or when the aggregate is global, without GROUP BY, and sees no rows
 * (ARG0_NULLABLE_IF_EMPTY; SUM, MIN, MAX, AVG, FIRST_VALUE…).
 */
export type NullRule = 'any-arg' | 'all-args' | 'always' | 'never' | 'aggregate' | { readonly args: readonly number[] };

export interface Signature {
  readonly params: readonly Param[];
  readonly result: ResultRule;
  readonly nullable: NullRule;
  /** The first targeted Flink line with this overload, when later than its function's. */
  readonly since?: FlinkLine;
}

export type FunctionKind = 'scalar' | 'aggregate' | 'window-table';

export type Category =
  | 'conditional' | 'comparison' | 'string' | 'hash' | 'math' | 'temporal' | 'json' | 'collection' | 'aggregate' | 'window';

/**
 * How the Flink SQL printer must spell a call: `call` NAME(args); `bare` NAME without parentheses
 * (CURRENT_TIMESTAMP); `position-in` POSITION(a IN b); `unit-first` NAME(UNIT, …) with the unit as a keyword;
 * `window-tvf` NAME(TABLE t, DESCRIPTOR(time_col), …) in FROM; `first-branch-typed` NAME(cond, CAST(a AS T), b)
 * when the first branch is not already of the call's type T (Flink 1.20 types IF as its first branch);
 * `null-unless-parsed` CASE WHEN UNIX_TIMESTAMP(s, format) > MIN THEN NAME(s, format) END when a format is given:
 * Flink's TO_DATE with a format answers a meaningless date (+1705471-09-27) for text that does not parse, where
 * UNIX_TIMESTAMP, parsing with the same SimpleDateFormat, answers Long.MIN_VALUE.
 */
export type SqlForm = 'call' | 'bare' | 'position-in' | 'unit-first' | 'window-tvf' | 'first-branch-typed' | 'null-unless-parsed';

export interface FunctionEntry {
  readonly kind: FunctionKind;
  readonly category: Category;
  /** The function's name in Flink SQL. */
  readonly flinkName: string;
  readonly doc: string;
  readonly overloads: readonly Signature[];
  /** The first targeted Flink line with this function; absent: every line (stdlib/flink-lines.ts). */
  readonly since?: FlinkLine;
  /** Other .pipe spellings of the same function. */
  readonly aliases?: readonly string[];
  /** DISTINCT is accepted (`count(distinct x)`). */
  readonly distinct?: boolean;
  /** The signature of `f(*)`, when the function accepts `*` (COUNT). */
  readonly star?: Signature;
  readonly sqlForm?: SqlForm;
  /** Why the function differs from Flink's own signature, or how it must be used. */
  readonly note?: string;
}

// ── matching ──────────────────────────────────────────────────────────────────────────────────────

export type LiteralArg = number | string | undefined;

export interface MatchContext {
  readonly args: readonly SqlType[];
  readonly literals: readonly LiteralArg[];
  /** A global aggregate (no GROUP BY): its SUM/MIN/MAX… are NULL over no rows. */
  readonly global: boolean;
}

export type Match =
  | { readonly ok: true; readonly type: SqlType }
  /** `detail` explains a near miss (right arity, wrong literal…), for the diagnostic. */
  | { readonly ok: false; readonly arity: boolean; readonly detail?: string };

/** Which parameter each argument binds to, or undefined when the argument count does not fit. */
export function bindParams(params: readonly Param[], count: number): readonly Param[] | undefined {
  const last = params[params.length - 1];
  const variadic = last?.variadic === true ? last : undefined;
  const fixed = variadic ? params.slice(0, -1) : params;
  const required = fixed.filter((p) => p.optional !== true).length;
  if (count < required) return undefined;
  if (count > fixed.length && variadic === undefined) return undefined;
  return Array.from({ length: count }, (_, i) => fixed[i] ?? variadic).filter((p): p is Param => p !== undefined);
}

export function matchSignature(signature: Signature, context: MatchContext): Match {
  const bound = bindParams(signature.params, context.args.length);
  if (bound === undefined) return { ok: false, arity: false };
  for (const [i, param] of bound.entries()) {
    const arg = context.args[i] ?? ERROR_TYPE;
    const problem = checkArgument(param, arg, context.literals[i], context.args);
    if (problem !== undefined) return { ok: false, arity: true, ...(problem === '' ? {} : { detail: problem }) };
  }
  const result = resultType(signature.result, context);
  if (result === undefined) return { ok: false, arity: true };
  return { ok: true, type: withNullable(result, nullability(signature.nullable, context, bound)) };
}

function literalTextProblem(param: string, rule: LiteralTextRule, literal: string): string | undefined {
  switch (rule.kind) {
    case 'date-pattern':
      return datePatternLiteralProblem(param, literal, rule.reader);
    case 'base64':
      return base64LiteralProblem(param, literal);
    default:
      return assertNever(rule);
  }
}

/** Undefined when the argument fits; '' for a plain type mismatch; else a sentence for the diagnostic. */
function checkArgument(param: Param, arg: SqlType, literal: LiteralArg, args: readonly SqlType[]): string | undefined {
  const type = param.type;
  if (type.kind === 'time-unit') {
    const unit = typeof literal === 'string' ? literal.toUpperCase() : undefined;
    return unit !== undefined && (type.units as readonly string[]).includes(unit) ? undefined : `\`${param.name}\` must be one of ${type.units.join(', ')}`;
  }
  if (param.literal) {
    const { oneOf } = param.literal;
    if (literal === undefined) return `\`${param.name}\` must be a literal${oneOf ? ` (${oneOf.join(' or ')})` : ''}`;
    if (oneOf && !oneOf.includes(literal)) return `\`${param.name}\` must be ${oneOf.join(' or ')}, found ${String(literal)}`;
  }
  if (param.text !== undefined && typeof literal === 'string') {
    const problem = literalTextProblem(param.name, param.text, literal);
    if (problem !== undefined) return problem;
  }
  if (type.kind === 'time-attribute') {
    if ((arg.kind === 'TIMESTAMP' || arg.kind === 'TIMESTAMP_LTZ') && arg.timeAttribute !== undefined) return undefined;
    return `\`${param.name}\` must be a time attribute: a column declared with \`event time … watermark …\` or \`processing time\``;
  }
  if (arg.kind === 'NULL') return undefined;
  switch (type.kind) {
    case 'family': return inFamily(arg, type.family) ? undefined : '';
    case 'common-with': { const other = args[type.param]; return other === undefined || commonType([other, arg]) !== undefined ? undefined : ''; }
    case 'comparable-with': { const other = args[type.param]; return other === undefined || comparable(other, arg) ? undefined : ''; }
    case 'element-of': {
      const array = args[type.param];
      if (array === undefined || array.kind === 'NULL') return undefined;
      return array.kind === 'ARRAY' && supportsImplicitCast(arg, array.element) ? undefined : '';
    }
    case 'duration': return arg.kind === 'INTERVAL' && arg.unit === 'DAY_TIME' ? undefined : '';
    default: return assertNever(type, 'parameter type');
  }
}

const FAMILY_KINDS: Readonly<Record<Exclude<TypeFamily, 'any' | 'non-array'>, readonly SqlType['kind'][]>> = {
  numeric: ['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE'],
  integer: ['TINYINT', 'SMALLINT', 'INT', 'BIGINT'],
  int: ['INT'],
  'int-or-smaller': ['TINYINT', 'SMALLINT', 'INT'],
  'exact-numeric': ['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'DECIMAL'],
  string: ['CHAR', 'VARCHAR'],
  varchar: ['VARCHAR'],
  binary: ['BINARY', 'VARBINARY'],
  boolean: ['BOOLEAN'],
  temporal: ['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ'],
  date: ['DATE'],
  time: ['TIME'],
  timestamp: ['TIMESTAMP', 'TIMESTAMP_LTZ'],
  'timestamp-ltz': ['TIMESTAMP_LTZ'],
  'date-or-timestamp': ['DATE', 'TIMESTAMP', 'TIMESTAMP_LTZ'],
  'date-or-local-timestamp': ['DATE', 'TIMESTAMP'],
  'time-or-timestamp': ['TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ'],
  array: ['ARRAY'],
  map: ['MAP'],
  collection: ['ARRAY', 'MAP', 'MULTISET'],
  orderable: ['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE', 'CHAR', 'VARCHAR', 'BOOLEAN', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ'],
};

export function inFamily(type: SqlType, family: TypeFamily): boolean {
  if (family === 'any') return type.kind !== 'ERROR';
  if (family === 'non-array') return type.kind !== 'ERROR' && type.kind !== 'ARRAY';
  return FAMILY_KINDS[family].includes(type.kind);
}

function resultType(rule: ResultRule, context: MatchContext): SqlType | undefined {
  const { args } = context;
  const arg = (i: number): SqlType => args[i] ?? ERROR_TYPE;
  switch (rule.kind) {
    case 'fixed': return rule.type;
    case 'arg': {
      const type = stripTimeAttribute(arg(rule.param));
      if (type.kind === 'NULL') return undefined; // an untyped NULL gives the call no type (Flink: "Illegal use of 'NULL'")
      return rule.varying && type.kind === 'CHAR' ? { kind: 'VARCHAR', length: type.length, nullable: type.nullable } : type;
    }
    case 'common': return commonType(rule.params ? rule.params.map(arg) : args);
    case 'sum': return numericArg(arg(0), sumType);
    case 'avg': return numericArg(arg(0), avgType);
    case 'round': {
      const type = arg(0);
      const scale = context.literals[1];
      if (type.kind !== 'DECIMAL') return numericArg(type, (x) => x);
      const r = args.length < 2 ? 0 : typeof scale === 'number' && Number.isInteger(scale) ? scale : undefined;
      if (r === undefined) return type; // a non-literal scale keeps the type (FlinkReturnTypes.ROUND_FUNCTION)
      const d = roundDecimal(type, r);
      return { kind: 'DECIMAL', precision: d.precision, scale: d.scale, nullable: type.nullable };
    }
    case 'floor-ceil': {
      const type = arg(0);
      return type.kind === 'DECIMAL' ? { kind: 'DECIMAL', precision: type.precision, scale: 0, nullable: type.nullable } : numericArg(type, (x) => x);
    }
    // MOD is `%` (both are Calcite's NULLABLE_MOD with FlinkTypeSystem's DECIMAL rule).
    case 'mod': return arithmeticType('%', arg(0), arg(1));
    case 'element': {
      const type = arg(rule.param);
      return type.kind === 'ARRAY' || type.kind === 'MULTISET' ? type.element : undefined;
    }
    case 'array-of': { const type = stripTimeAttribute(arg(rule.param)); return type.kind === 'NULL' ? undefined : { kind: 'ARRAY', element: type, nullable: true }; }
    case 'multiset-of': { const type = stripTimeAttribute(arg(rule.param)); return type.kind === 'NULL' ? undefined : { kind: 'MULTISET', element: type, nullable: true }; }
    case 'map-keys': { const type = arg(rule.param); return type.kind === 'MAP' ? { kind: 'ARRAY', element: type.key, nullable: true } : undefined; }
    case 'map-values': { const type = arg(rule.param); return type.kind === 'MAP' ? { kind: 'ARRAY', element: type.value, nullable: true } : undefined; }
    case 'watermark': {
      const type = arg(rule.param);
      if (type.kind === 'TIMESTAMP') return { kind: 'TIMESTAMP', precision: 3, nullable: true };
      if (type.kind === 'TIMESTAMP_LTZ') return { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: true };
      return undefined;
    }
    case 'proctime': return { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false, timeAttribute: 'proctime' };
    case 'window': {
      const time = arg(rule.param);
      if (time.kind !== 'TIMESTAMP' && time.kind !== 'TIMESTAMP_LTZ') return undefined;
      return {
        kind: 'ROW',
        fields: [
          { name: 'window_start', type: { kind: 'TIMESTAMP', precision: 3, nullable: false } },
          { name: 'window_end', type: { kind: 'TIMESTAMP', precision: 3, nullable: false } },
          { name: 'window_time', type: withNullable(time, false) },
        ],
        nullable: false,
      };
    }
    default: return assertNever(rule, 'result rule');
  }
}

const numericArg = (type: SqlType, f: (x: SqlType) => SqlType): SqlType | undefined => (type.kind === 'NULL' ? undefined : f(stripTimeAttribute(type)));

function nullability(rule: NullRule, context: MatchContext, bound: readonly Param[]): boolean {
  // Time-unit keywords are not values.
  const values = context.args.filter((_, i) => bound[i]?.type.kind !== 'time-unit');
  if (typeof rule === 'object') return rule.args.some((i) => context.args[i]?.nullable ?? false);
  switch (rule) {
    case 'any-arg': return values.some((a) => a.nullable);
    case 'all-args': return values.length === 0 || values.every((a) => a.nullable);
    case 'always': return true;
    case 'never': return false;
    case 'aggregate': return context.global || (context.args[0]?.nullable ?? false);
    default: return assertNever(rule, 'null rule');
  }
}

// ── text ──────────────────────────────────────────────────────────────────────────────────────────

const FAMILY_TEXT: Readonly<Record<TypeFamily, string>> = {
  any: 'ANY',
  'non-array': 'NON_ARRAY',
  numeric: 'NUMERIC',
  integer: 'INTEGER',
  int: 'INT',
  'int-or-smaller': 'INT_OR_SMALLER',
  'exact-numeric': 'EXACT_NUMERIC',
  string: 'STRING',
  varchar: 'VARCHAR',
  binary: 'BYTES',
  boolean: 'BOOLEAN',
  temporal: 'DATETIME',
  date: 'DATE',
  time: 'TIME',
  timestamp: 'TIMESTAMP[_LTZ]',
  'timestamp-ltz': 'TIMESTAMP_LTZ',
  'date-or-timestamp': 'DATE | TIMESTAMP[_LTZ]',
  'date-or-local-timestamp': 'DATE | TIMESTAMP',
  'time-or-timestamp': 'TIME | TIMESTAMP[_LTZ]',
  array: 'ARRAY',
  map: 'MAP',
  collection: 'ARRAY | MAP | MULTISET',
  orderable: 'ORDERABLE',
};

/** What the families mean, for the reference's legend. */
export const FAMILY_LEGEND: readonly (readonly [string, string])[] = [
  ['NON_ARRAY', 'any type but ARRAY'],
  ['NUMERIC', 'TINYINT, SMALLINT, INT, BIGINT, DECIMAL, FLOAT, DOUBLE'],
  ['INTEGER', 'TINYINT, SMALLINT, INT, BIGINT'],
  ['INT', 'INT only (not BIGINT): Flink generates code for an int there'],
  ['INT_OR_SMALLER', 'TINYINT, SMALLINT, INT (not BIGINT: Flink plans it, but the job fails to start, as its generated code passes an int there)'],
  ['EXACT_NUMERIC', 'TINYINT, SMALLINT, INT, BIGINT, DECIMAL'],
  ['STRING', 'CHAR, VARCHAR, STRING'],
  ['VARCHAR', 'VARCHAR and STRING, not CHAR (a string literal is a CHAR; cast it to STRING)'],
  ['BYTES', 'BINARY, VARBINARY, BYTES'],
  ['DATETIME', 'DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ'],
  ['TIMESTAMP[_LTZ]', 'TIMESTAMP or TIMESTAMP_LTZ'],
  ['ORDERABLE', 'NUMERIC, STRING, BOOLEAN, DATETIME'],
  ['T', 'any type, the same (up to a common type) wherever T appears'],
  ['TIME ATTRIBUTE', 'a rowtime column (`event time … watermark …`) or a processing-time column'],
  ['DURATION', 'a duration such as `5 min`, or a day-time interval literal'],
];

/** One signature as people read it: `substring(STRING, INTEGER[, INTEGER])`, `count([DISTINCT] ANY[, ANY]*)`. */
export function formatSignature(name: string, signature: Signature, options: { distinct?: boolean } = {}): string {
  const texts = signature.params.map((p, i) => paramText(p, i, signature.params));
  let out = '';
  let closers = '';
  for (const [i, param] of signature.params.entries()) {
    const text = texts[i] ?? '';
    const sep = i === 0 ? '' : ', ';
    if (param.variadic) out += `[${sep}${text}]*`;
    else if (param.optional) { out += `[${sep}${text}`; closers += ']'; }
    else out += `${sep}${text}`;
  }
  const prefix = options.distinct && signature.params.length > 0 ? '[DISTINCT] ' : '';
  return `${name}(${prefix}${out}${closers})`;
}

function paramText(param: Param, index: number, params: readonly Param[]): string {
  const type = param.type;
  const isTypeVariable = (i: number): boolean => {
    const target = params[i];
    return target?.type.kind === 'family' && target.type.family === 'any';
  };
  const referenced = params.some((p) => (p.type.kind === 'common-with' || p.type.kind === 'comparable-with') && p.type.param === index);
  const elementSource = params.some((p) => p.type.kind === 'element-of' && p.type.param === index);
  let text: string;
  switch (type.kind) {
    case 'family':
      text = elementSource ? 'ARRAY<T>' : referenced && type.family === 'any' ? 'T' : FAMILY_TEXT[type.family];
      break;
    case 'common-with': case 'comparable-with': {
      const target = params[type.param];
      text = isTypeVariable(type.param) || target === undefined ? 'T' : paramText(target, type.param, params);
      break;
    }
    case 'element-of': text = 'T'; break;
    case 'time-unit': text = type.units.join(' | '); break;
    case 'time-attribute': text = 'TIME ATTRIBUTE'; break;
    case 'duration': text = 'DURATION'; break;
    default: return assertNever(type, 'parameter type');
  }
  if (param.literal?.oneOf) return param.literal.oneOf.map(String).join(' | ');
  if (param.literal) return `${text} literal`;
  return text;
}
