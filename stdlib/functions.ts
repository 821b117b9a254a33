/**
 * pipec's function library as data: every function a `.pipe` file may call, keyed by its
 * lower-case pipec name, with Flink's name, typed overloads, result and nullability rules, and the first
 * targeted Flink version that has it. The binder resolves calls with `resolveCall`; docs/functions.md is
 * generated from this table (stdlib/gen-functions-doc.ts).
 *
 * Signatures are Flink's own: names and semantics from docs/data/sql_functions.yml; operand families and
 * return types from the planner's FlinkSqlOperatorTable / Calcite's SqlStdOperatorTable (Calcite-typed
 * functions) and BuiltInFunctionDefinitions (new-stack functions such as COALESCE, IFNULL, GREATEST,
 * ARRAY_CONTAINS). Where a signature is stricter than Flink's, its `note` says why.
 */
import { ERROR_TYPE, t, type SqlType } from '../compiler/types/types.ts';
import { suggestionList } from '../compiler/diagnostics/suggest.ts';
import {
  formatSignature, matchSignature,
  type FunctionEntry, type LiteralArg, type NullRule, type Param, type ParamType,
  type ResultRule, type Signature, type TimeUnit, type TypeFamily,
} from './signature.ts';
import { FLINK_LINE_NAMES, lineAtLeast, type FlinkLine } from './flink-lines.ts';

export { type FunctionEntry, type Signature } from './signature.ts';

// ── builders, so that the table reads as data ─────────────────────────────────────────────────────

const family = (f: TypeFamily): ParamType => ({ kind: 'family', family: f });
type ParamSpec = TypeFamily | ParamType;
const toType = (spec: ParamSpec): ParamType => (typeof spec === 'string' ? family(spec) : spec);
const p = (name: string, type: ParamSpec, more: Omit<Param, 'name' | 'type'> = {}): Param => ({ name, type: toType(type), ...more });
const opt = (name: string, type: ParamSpec, more: Omit<Param, 'name' | 'type' | 'optional'> = {}): Param => p(name, type, { ...more, optional: true });
const rest = (name: string, type: ParamSpec): Param => p(name, type, { variadic: true });
const commonWith = (param: number): ParamType => ({ kind: 'common-with', param });
const unit = (units: readonly TimeUnit[]): ParamType => ({ kind: 'time-unit', units });
const TIME_ATTRIBUTE: ParamType = { kind: 'time-attribute' };
const DURATION: ParamType = { kind: 'duration' };

const sig = (params: readonly Param[], result: ResultRule, nullable: NullRule, since?: FlinkLine): Signature =>
  since === undefined ? { params, result, nullable } : { params, result, nullable, since };
const fixed = (type: SqlType): ResultRule => ({ kind: 'fixed', type });
const arg = (param: number, varying = false): ResultRule => (varying ? { kind: 'arg', param, varying } : { kind: 'arg', param });
const COMMON: ResultRule = { kind: 'common' };

const STRING = fixed(t.string());
const INT = fixed(t.int());
const BIGINT = fixed(t.bigint());
const DOUBLE = fixed(t.double());
const BOOLEAN = fixed(t.boolean());
const char = (length: number): ResultRule => fixed({ kind: 'CHAR', length, nullable: true });

/** One-argument function of a family, e.g. `sqrt(NUMERIC) → DOUBLE`. */
const unary = (name: string, f: TypeFamily, result: ResultRule, nullable: NullRule = 'any-arg'): readonly Signature[] => [sig([p(name, f)], result, nullable)];

/** FIRST_VALUE / LAST_VALUE: the types Flink's AggFunctionFactory has an implementation for. */
const VALUE_AGGREGATE: readonly Signature[] = (['numeric', 'boolean', 'varchar'] as const).map((f) => sig([p('value', f)], arg(0), 'aggregate'));

/** IF's operand checker: the two branches come from one family (FlinkSqlOperatorTable.IF). */
const ifBranches = (f: TypeFamily): Signature => sig([p('condition', 'boolean'), p('true_value', f), p('false_value', f)], { kind: 'common', params: [1, 2] }, 'any-arg');

const datePart = (flinkName: string, what: string, f: TypeFamily): FunctionEntry => ({
  kind: 'scalar', category: 'temporal', flinkName,
  doc: `The ${what} of a date/time value, as a BIGINT (EXTRACT(${flinkName === 'DAYOFMONTH' ? 'DAY' : flinkName} FROM …)).`,
  overloads: unary('temporal', f, BIGINT),
});

/** A pattern parameter Flink reads with Java's SimpleDateFormat. */
const SIMPLE_DATE_FORMAT: Pick<Param, 'text'> = { text: { kind: 'date-pattern', reader: 'simple-date-format' } };

/** The note of the functions whose pattern Flink reads with Java's SimpleDateFormat at run time. */
const SIMPLE_DATE_PATTERN = "Flink reads the pattern with Java's SimpleDateFormat at run time: a letter it does not know (b, e, n, p, B, Q, V, …) or quoted text left open fails the job at the first row (\"Illegal pattern character\"), so a literal pattern may not have them (quoted, letters print as themselves); a pattern read from a column is not checked and fails the job the same way.";

const TIMESTAMPDIFF_UNITS = unit(['SECOND', 'MINUTE', 'HOUR', 'DAY', 'MONTH', 'YEAR']);

const windowNote = 'Used in `window …(…)` after a relation; the time column must be a time attribute.';

// ── the table ─────────────────────────────────────────────────────────────────────────────────────

export const STD = {
  // conditional ────────────────────────────────────────────────────────────────────────────────
  coalesce: {
    kind: 'scalar', category: 'conditional', flinkName: 'COALESCE',
    doc: 'The first argument that is not NULL. The result has the common type of all arguments and is NULL only if all arguments may be.',
    overloads: [sig([p('value', 'any'), rest('value', commonWith(0))], COMMON, 'all-args')],
  },
  ifnull: {
    kind: 'scalar', category: 'conditional', flinkName: 'IFNULL',
    doc: '`replacement` when `input` is NULL, else `input`. The result has the common type of both and is NULL only if `replacement` may be.',
    overloads: [sig([p('input', 'any'), p('replacement', commonWith(0))], COMMON, { args: [1] })],
  },
  nullif: {
    kind: 'scalar', category: 'conditional', flinkName: 'NULLIF',
    doc: 'NULL if `value1` equals `value2`, else `value1`; always nullable.',
    // Flink 1.20 refuses NULLIF of an ARRAY ("Illegal mixing of types in CASE or COALESCE statement"); 2.2 takes it.
    overloads: [
      sig([p('value1', 'non-array'), p('value2', { kind: 'comparable-with', param: 0 })], arg(0), 'always'),
      sig([p('value1', 'array'), p('value2', { kind: 'comparable-with', param: 0 })], arg(0), 'always', '2.2'),
    ],
  },
  if: {
    kind: 'scalar', category: 'conditional', flinkName: 'IF', sqlForm: 'first-branch-typed',
    doc: '`true_value` if `condition` holds, else `false_value`; both branches from one type family.',
    overloads: (['numeric', 'string', 'boolean', 'binary', 'date', 'timestamp', 'time'] as const).map(ifBranches),
    note: 'Flink 1.20 types a non-numeric IF as its first branch; pipec types it as the common type of both branches and casts the first branch to it.',
  },
  greatest: {
    kind: 'scalar', category: 'conditional', flinkName: 'GREATEST',
    doc: 'The greatest of the arguments; NULL if any argument is NULL.',
    overloads: [sig([p('value', 'orderable'), rest('value', commonWith(0))], COMMON, 'any-arg')],
  },
  least: {
    kind: 'scalar', category: 'conditional', flinkName: 'LEAST',
    doc: 'The least of the arguments; NULL if any argument is NULL.',
    overloads: [sig([p('value', 'orderable'), rest('value', commonWith(0))], COMMON, 'any-arg')],
  },
  is_alpha: {
    kind: 'scalar', category: 'conditional', flinkName: 'IS_ALPHA',
    doc: 'TRUE if every character of the string is a letter.',
    overloads: [sig([p('string', 'string')], BOOLEAN, 'never'), sig([p('number', 'numeric')], BOOLEAN, 'never')],
  },
  is_digit: {
    kind: 'scalar', category: 'conditional', flinkName: 'IS_DIGIT',
    doc: 'TRUE if every character of the string is a digit.',
    overloads: [sig([p('string', 'string')], BOOLEAN, 'never'), sig([p('number', 'numeric')], BOOLEAN, 'never')],
  },
  is_decimal: {
    kind: 'scalar', category: 'conditional', flinkName: 'IS_DECIMAL',
    doc: 'TRUE if the string parses as a number.',
    overloads: [sig([p('string', 'string')], BOOLEAN, 'never'), sig([p('number', 'numeric')], BOOLEAN, 'never')],
  },

  // strings ────────────────────────────────────────────────────────────────────────────────────
  lower: { kind: 'scalar', category: 'string', flinkName: 'LOWER', doc: 'The string in lower case.', overloads: unary('string', 'string', arg(0)) },
  upper: { kind: 'scalar', category: 'string', flinkName: 'UPPER', doc: 'The string in upper case.', overloads: unary('string', 'string', arg(0)) },
  initcap: {
    kind: 'scalar', category: 'string', flinkName: 'INITCAP',
    doc: 'The string with the first letter of each word in upper case and the rest in lower case.',
    overloads: unary('string', 'string', arg(0)),
  },
  trim: {
    kind: 'scalar', category: 'string', flinkName: 'TRIM',
    doc: 'The string without leading and trailing spaces.',
    overloads: unary('string', 'string', arg(0, true)),
    note: "Flink's TRIM(BOTH | LEADING | TRAILING … FROM …) form cannot be written in .pipe; use ltrim and rtrim.",
  },
  ltrim: {
    kind: 'scalar', category: 'string', flinkName: 'LTRIM',
    doc: 'The string without leading characters from `chars` (spaces by default).',
    overloads: [sig([p('string', 'string'), opt('chars', 'string')], arg(0, true), 'any-arg')],
  },
  rtrim: {
    kind: 'scalar', category: 'string', flinkName: 'RTRIM',
    doc: 'The string without trailing characters from `chars` (spaces by default).',
    overloads: [sig([p('string', 'string'), opt('chars', 'string')], arg(0, true), 'any-arg')],
  },
  concat: {
    kind: 'scalar', category: 'string', flinkName: 'CONCAT',
    doc: 'The strings concatenated; NULL if any argument is NULL.',
    overloads: [sig([p('string', 'string'), rest('string', 'string')], STRING, 'any-arg')],
  },
  concat_ws: {
    kind: 'scalar', category: 'string', flinkName: 'CONCAT_WS',
    doc: 'The strings joined with `separator`, skipping NULL strings; NULL if `separator` is NULL.',
    overloads: [sig([p('separator', 'string'), p('string', 'string'), rest('string', 'string')], STRING, 'any-arg')],
  },
  substring: {
    kind: 'scalar', category: 'string', flinkName: 'SUBSTRING',
    doc: 'The part of the string from position `start` (1-based), `length` characters long or to the end.',
    overloads: [sig([p('string', 'string'), p('start', 'int-or-smaller'), opt('length', 'int-or-smaller')], arg(0, true), 'always')],
  },
  substr: {
    kind: 'scalar', category: 'string', flinkName: 'SUBSTR',
    doc: 'Same as substring.',
    overloads: [sig([p('string', 'string'), p('start', 'int-or-smaller'), opt('length', 'int-or-smaller')], arg(0, true), 'always')],
  },
  replace: {
    kind: 'scalar', category: 'string', flinkName: 'REPLACE',
    doc: 'The string with every occurrence of `search` replaced by `replacement`.',
    overloads: [sig([p('string', 'string'), p('search', 'string'), p('replacement', 'string')], STRING, 'any-arg')],
  },
  regexp_extract: {
    kind: 'scalar', category: 'string', flinkName: 'REGEXP_EXTRACT',
    doc: 'The part of the string matching group `group` (default 1; 0 is the whole match) of the Java regex; NULL if it does not match.',
    overloads: [sig([p('string', 'string'), p('regex', 'string'), opt('group', 'integer')], STRING, 'always')],
  },
  regexp_replace: {
    kind: 'scalar', category: 'string', flinkName: 'REGEXP_REPLACE',
    doc: 'The string with every match of the Java regex replaced by `replacement`.',
    overloads: [sig([p('string', 'string'), p('regex', 'string'), p('replacement', 'string')], STRING, 'any-arg')],
  },
  char_length: {
    kind: 'scalar', category: 'string', flinkName: 'CHAR_LENGTH', aliases: ['character_length'],
    doc: 'The number of characters in the string.',
    overloads: unary('string', 'string', INT),
  },
  position: {
    kind: 'scalar', category: 'string', flinkName: 'POSITION', sqlForm: 'position-in',
    doc: 'The position (1-based) of the first `needle` in `haystack`, 0 if absent.',
    overloads: [sig([p('needle', 'string'), p('haystack', 'string')], INT, 'any-arg')],
    note: 'Written `position(needle, haystack)`; printed as Flink\'s POSITION(needle IN haystack).',
  },
  locate: {
    kind: 'scalar', category: 'string', flinkName: 'LOCATE',
    doc: 'The position (1-based) of the first `needle` in `haystack` after position `start`, 0 if absent.',
    overloads: [sig([p('needle', 'string'), p('haystack', 'string'), opt('start', 'int-or-smaller')], INT, 'any-arg')],
  },
  split_index: {
    kind: 'scalar', category: 'string', flinkName: 'SPLIT_INDEX',
    doc: 'The `index`-th (0-based) part of the string split by `delimiter` (a string, or a character code); NULL if there is no such part.',
    overloads: [
      sig([p('string', 'string'), p('delimiter', 'string'), p('index', 'int-or-smaller')], STRING, 'always'),
      sig([p('string', 'string'), p('delimiter', 'int-or-smaller'), p('index', 'int-or-smaller')], STRING, 'always'),
    ],
  },
  lpad: {
    kind: 'scalar', category: 'string', flinkName: 'LPAD',
    doc: 'The string left-padded with `pad` to `length` characters (or cut to `length`).',
    overloads: [sig([p('string', 'string'), p('length', 'int-or-smaller'), p('pad', 'string')], STRING, 'any-arg')],
  },
  rpad: {
    kind: 'scalar', category: 'string', flinkName: 'RPAD',
    doc: 'The string right-padded with `pad` to `length` characters (or cut to `length`).',
    overloads: [sig([p('string', 'string'), p('length', 'int-or-smaller'), p('pad', 'string')], STRING, 'any-arg')],
  },
  right: {
    kind: 'scalar', category: 'string', flinkName: 'RIGHT',
    doc: 'The last `length` characters of the string; empty if `length` is negative.',
    overloads: [sig([p('string', 'string'), p('length', 'int-or-smaller')], arg(0, true), 'always')],
    note: 'Its twin LEFT cannot be called, `left` being a reserved word in .pipe; use substring(s, 1, n).',
  },
  repeat: {
    kind: 'scalar', category: 'string', flinkName: 'REPEAT',
    doc: 'The string repeated `times` times.',
    overloads: [sig([p('string', 'string'), p('times', 'int-or-smaller')], STRING, 'any-arg')],
  },
  reverse: { kind: 'scalar', category: 'string', flinkName: 'REVERSE', doc: 'The string reversed.', overloads: unary('string', 'string', STRING, 'always') },
  to_base64: { kind: 'scalar', category: 'string', flinkName: 'TO_BASE64', doc: 'The string base64-encoded.', overloads: unary('string', 'string', STRING) },
  from_base64: {
    kind: 'scalar', category: 'string', flinkName: 'FROM_BASE64',
    doc: 'The base64-decoded string; text that is not base64 fails the job (Flink 1.20 and 2.2), so a literal must be base64.',
    overloads: [sig([p('string', 'string', { text: { kind: 'base64' } })], STRING, 'any-arg')],
  },
  uuid: {
    kind: 'scalar', category: 'string', flinkName: 'UUID',
    doc: 'A random (type 4) UUID string, new for every row.',
    overloads: [sig([], char(36), 'never')],
  },

  // hashing ────────────────────────────────────────────────────────────────────────────────────
  md5: { kind: 'scalar', category: 'hash', flinkName: 'MD5', doc: 'The MD5 hash of the string, as 32 hex digits.', overloads: unary('string', 'string', char(32)) },
  sha1: { kind: 'scalar', category: 'hash', flinkName: 'SHA1', doc: 'The SHA-1 hash of the string, as 40 hex digits.', overloads: unary('string', 'string', char(40)) },
  sha256: { kind: 'scalar', category: 'hash', flinkName: 'SHA256', doc: 'The SHA-256 hash of the string, as 64 hex digits.', overloads: unary('string', 'string', char(64)) },
  sha512: { kind: 'scalar', category: 'hash', flinkName: 'SHA512', doc: 'The SHA-512 hash of the string, as 128 hex digits.', overloads: unary('string', 'string', char(128)) },
  sha2: {
    kind: 'scalar', category: 'hash', flinkName: 'SHA2',
    doc: 'The SHA-2 hash of the string with `bits` of 224, 256, 384 or 512, as hex digits.',
    note: 'Flink folds SHA2 of constants while planning and fails on any other length, so `bits` is one of these literals.',
    overloads: [sig([p('string', 'string'), p('bits', 'integer', { literal: { oneOf: [224, 256, 384, 512] } })], fixed({ kind: 'VARCHAR', length: 128, nullable: true }), 'any-arg')],
  },

  // math ───────────────────────────────────────────────────────────────────────────────────────
  abs: { kind: 'scalar', category: 'math', flinkName: 'ABS', doc: 'The absolute value.', overloads: unary('number', 'numeric', arg(0)) },
  sign: { kind: 'scalar', category: 'math', flinkName: 'SIGN', doc: 'The signum: -1, 0 or 1, of the number\'s type.', overloads: unary('number', 'numeric', arg(0)) },
  round: {
    kind: 'scalar', category: 'math', flinkName: 'ROUND',
    doc: 'The number rounded to `places` decimal places (default 0). For DECIMAL(p, s) and a literal `places` r < s the result is DECIMAL(p - s + r + 1, r).',
    overloads: [sig([p('number', 'numeric'), opt('places', 'int')], { kind: 'round' }, 'any-arg')],
  },
  truncate: {
    kind: 'scalar', category: 'math', flinkName: 'TRUNCATE',
    doc: 'The number truncated to `places` decimal places (default 0); typed as round.',
    overloads: [sig([p('number', 'numeric'), opt('places', 'int')], { kind: 'round' }, 'any-arg')],
  },
  floor: {
    kind: 'scalar', category: 'math', flinkName: 'FLOOR',
    doc: 'The largest whole number not greater than the number; DECIMAL(p, s) gives DECIMAL(p, 0).',
    overloads: unary('number', 'numeric', { kind: 'floor-ceil' }),
    note: "Flink's FLOOR(timestamp TO unit) cannot be written in .pipe.",
  },
  ceil: {
    kind: 'scalar', category: 'math', flinkName: 'CEIL', aliases: ['ceiling'],
    doc: 'The smallest whole number not less than the number; DECIMAL(p, s) gives DECIMAL(p, 0).',
    overloads: unary('number', 'numeric', { kind: 'floor-ceil' }),
    note: "Flink's CEIL(timestamp TO unit) cannot be written in .pipe.",
  },
  mod: {
    kind: 'scalar', category: 'math', flinkName: 'MOD',
    doc: 'The remainder of `dividend` / `divisor`, negative only if `dividend` is; of the divisor\'s type (DECIMAL rules when a DECIMAL is involved).',
    overloads: [sig([p('dividend', 'exact-numeric'), p('divisor', 'exact-numeric')], { kind: 'mod' }, 'any-arg')],
    note: 'An integer divisor of 0 fails the job ("/ by zero"), as integer `/` does: guard it, e.g. `mod(a, nullif(b, 0))`.',
  },
  power: {
    kind: 'scalar', category: 'math', flinkName: 'POWER',
    doc: '`base` raised to `exponent`, as a DOUBLE.',
    overloads: [sig([p('base', 'numeric'), p('exponent', 'numeric')], DOUBLE, 'any-arg')],
  },
  sqrt: { kind: 'scalar', category: 'math', flinkName: 'SQRT', doc: 'The square root, as a DOUBLE.', overloads: unary('number', 'numeric', DOUBLE) },
  ln: { kind: 'scalar', category: 'math', flinkName: 'LN', doc: 'The natural logarithm, as a DOUBLE.', overloads: unary('number', 'numeric', DOUBLE) },
  log10: { kind: 'scalar', category: 'math', flinkName: 'LOG10', doc: 'The base-10 logarithm, as a DOUBLE.', overloads: unary('number', 'numeric', DOUBLE) },
  log2: { kind: 'scalar', category: 'math', flinkName: 'LOG2', doc: 'The base-2 logarithm, as a DOUBLE.', overloads: unary('number', 'numeric', DOUBLE) },
  log: {
    kind: 'scalar', category: 'math', flinkName: 'LOG',
    doc: 'The natural logarithm of `number`, or its logarithm to `base`, as a DOUBLE.',
    overloads: [sig([p('number', 'numeric')], DOUBLE, 'any-arg'), sig([p('base', 'numeric'), p('number', 'numeric')], DOUBLE, 'any-arg')],
  },
  exp: { kind: 'scalar', category: 'math', flinkName: 'EXP', doc: 'e raised to the number, as a DOUBLE.', overloads: unary('number', 'numeric', DOUBLE) },
  rand: {
    kind: 'scalar', category: 'math', flinkName: 'RAND',
    doc: 'A pseudorandom DOUBLE in [0, 1), optionally from a seed.',
    // Flink types a seeded RAND as nullable as its seed.
    overloads: [sig([], DOUBLE, 'never'), sig([p('seed', 'int')], DOUBLE, 'any-arg')],
  },
  rand_integer: {
    kind: 'scalar', category: 'math', flinkName: 'RAND_INTEGER',
    doc: 'A pseudorandom INT in [0, bound), optionally from a seed; a bound of 0 or less fails the job (Flink 1.20 and 2.2).',
    // Flink types the result as nullable as its arguments (a NULL bound gives NULL).
    overloads: [sig([p('bound', 'int')], INT, 'any-arg'), sig([p('seed', 'int'), p('bound', 'int')], INT, 'any-arg')],
  },

  // date and time ──────────────────────────────────────────────────────────────────────────────
  current_timestamp: {
    kind: 'scalar', category: 'temporal', flinkName: 'CURRENT_TIMESTAMP', sqlForm: 'bare',
    doc: 'The current time, evaluated per row in streaming mode.',
    overloads: [sig([], fixed(t.timestampLtz(3)), 'never')],
  },
  now: {
    kind: 'scalar', category: 'temporal', flinkName: 'NOW',
    doc: 'Same as current_timestamp.',
    overloads: [sig([], fixed(t.timestampLtz(3)), 'never')],
  },
  current_row_timestamp: {
    kind: 'scalar', category: 'temporal', flinkName: 'CURRENT_ROW_TIMESTAMP',
    doc: 'The current time, evaluated per row in batch and streaming mode.',
    overloads: [sig([], fixed(t.timestampLtz(3)), 'never')],
  },
  localtimestamp: {
    kind: 'scalar', category: 'temporal', flinkName: 'LOCALTIMESTAMP', sqlForm: 'bare',
    doc: 'The current wall-clock time in the session time zone, without a zone.',
    overloads: [sig([], fixed(t.timestamp(3)), 'never')],
  },
  current_date: {
    kind: 'scalar', category: 'temporal', flinkName: 'CURRENT_DATE', sqlForm: 'bare',
    doc: 'The current date in the session time zone.',
    overloads: [sig([], fixed(t.date()), 'never')],
  },
  proctime: {
    kind: 'scalar', category: 'temporal', flinkName: 'PROCTIME',
    doc: 'A processing-time attribute.',
    overloads: [sig([], { kind: 'proctime' }, 'never')],
    note: 'Sources declare processing time with `processing time <column>`; this is the function Flink uses for it.',
  },
  current_watermark: {
    kind: 'scalar', category: 'temporal', flinkName: 'CURRENT_WATERMARK',
    doc: 'The current watermark for the rowtime attribute, with precision 3; NULL before the first watermark.',
    overloads: [sig([p('rowtime', TIME_ATTRIBUTE)], { kind: 'watermark', param: 0 }, 'always')],
  },
  date_format: {
    kind: 'scalar', category: 'temporal', flinkName: 'DATE_FORMAT',
    doc: 'The timestamp formatted with a java.time DateTimeFormatter pattern (a timestamp string: with a SimpleDateFormat pattern).',
    note: 'Flink formats a timestamp with Java\'s DateTimeFormatter and without its time zone: zone and offset letters (V v z O X x Z), and letters DateTimeFormatter does not know (b, t, …), fail the job at its first row, so a literal pattern for a timestamp may not have them (quoted, they print as letters); a pattern read from a column with them fails the job. A timestamp string is formatted with Java\'s SimpleDateFormat: letters it does not know (b, e, n, p, B, Q, V, …) fail the job the same way and are refused in a literal pattern.',
    overloads: [
      sig([p('timestamp', 'timestamp'), p('format', 'string', { text: { kind: 'date-pattern', reader: 'zoneless-formatter' } })], STRING, 'always'),
      sig([p('timestamp', 'string'), p('format', 'string', SIMPLE_DATE_FORMAT)], STRING, 'always'),
    ],
  },
  to_timestamp: {
    kind: 'scalar', category: 'temporal', flinkName: 'TO_TIMESTAMP',
    doc: "The string parsed with `format` (default 'yyyy-MM-dd HH:mm:ss') as a TIMESTAMP(3); NULL if it does not parse.",
    overloads: [sig([p('string', 'string'), opt('format', 'string', { text: { kind: 'date-pattern', reader: 'parsing-formatter' } })], fixed(t.timestamp(3)), 'always')],
    note: "Flink reads the pattern with Java's DateTimeFormatter at run time: a letter it does not know (b, t, …), a reserved character ({ } #) or quoted text left open makes every result NULL (the job runs on), so a literal pattern may not have them (quoted, letters print as themselves); a pattern read from a column is not checked and does the same.",
  },
  to_timestamp_ltz: {
    kind: 'scalar', category: 'temporal', flinkName: 'TO_TIMESTAMP_LTZ',
    doc: 'Epoch seconds (precision 0) or epoch milliseconds (precision 3) as a TIMESTAMP_LTZ(3); from 2.2 also a timestamp string with a format and a time zone.',
    overloads: [
      sig([p('epoch', 'numeric'), p('precision', 'integer', { literal: { oneOf: [0, 3] } })], fixed(t.timestampLtz(3)), 'always'),
      sig([p('epoch', 'numeric')], fixed(t.timestampLtz(3)), 'always', '2.2'),
      sig([p('string', 'string'), opt('format', 'string'), opt('timezone', 'string')], fixed(t.timestampLtz(3)), 'always', '2.2'),
    ],
    note: 'Flink takes any INTEGER precision and fails at runtime unless it is 0 or 3; pipec requires the literal.',
  },
  to_date: {
    kind: 'scalar', category: 'temporal', flinkName: 'TO_DATE', sqlForm: 'null-unless-parsed',
    doc: "The string parsed with `format` (default 'yyyy-MM-dd') as a DATE; NULL if it does not parse (with a format, pipec adds that check: Flink's TO_DATE alone answers a meaningless date, +1705471-09-27).",
    overloads: [sig([p('string', 'string'), opt('format', 'string', SIMPLE_DATE_FORMAT)], fixed(t.date()), 'always')],
    note: SIMPLE_DATE_PATTERN,
  },
  unix_timestamp: {
    kind: 'scalar', category: 'temporal', flinkName: 'UNIX_TIMESTAMP',
    doc: "The current epoch seconds, or the string parsed with `format` (default 'yyyy-MM-dd HH:mm:ss') as epoch seconds; a string that does not parse gives -9223372036854775808 (Flink's Long.MIN_VALUE), not NULL.",
    overloads: [sig([], BIGINT, 'never'), sig([p('string', 'string'), opt('format', 'string', SIMPLE_DATE_FORMAT)], BIGINT, 'any-arg')],
    note: SIMPLE_DATE_PATTERN,
  },
  from_unixtime: {
    kind: 'scalar', category: 'temporal', flinkName: 'FROM_UNIXTIME',
    doc: "Epoch seconds formatted with `format` (default 'yyyy-MM-dd HH:mm:ss') in the session time zone.",
    overloads: [sig([p('seconds', 'integer'), opt('format', 'string', SIMPLE_DATE_FORMAT)], STRING, 'always')],
    note: SIMPLE_DATE_PATTERN,
  },
  year: datePart('YEAR', 'year', 'date-or-timestamp'),
  quarter: datePart('QUARTER', 'quarter (1–4)', 'date-or-timestamp'),
  month: datePart('MONTH', 'month (1–12)', 'date-or-timestamp'),
  week: datePart('WEEK', 'week of the year (1–53)', 'date-or-timestamp'),
  dayofyear: datePart('DAYOFYEAR', 'day of the year (1–366)', 'date-or-timestamp'),
  dayofmonth: datePart('DAYOFMONTH', 'day of the month (1–31)', 'date-or-timestamp'),
  dayofweek: datePart('DAYOFWEEK', 'day of the week (1 = Sunday … 7)', 'date-or-timestamp'),
  hour: datePart('HOUR', 'hour (0–23)', 'time-or-timestamp'),
  minute: datePart('MINUTE', 'minute (0–59)', 'time-or-timestamp'),
  second: datePart('SECOND', 'second (0–59)', 'time-or-timestamp'),
  timestampdiff: {
    kind: 'scalar', category: 'temporal', flinkName: 'TIMESTAMPDIFF', sqlForm: 'unit-first',
    doc: 'The signed number of whole `unit`s from `start` to `end`.',
    // Flink's generated code takes a TIMESTAMP_LTZ only beside another one ("TIMESTAMP_LTZ only supports diff between the same type").
    overloads: [
      sig([p('unit', TIMESTAMPDIFF_UNITS), p('start', 'date-or-local-timestamp'), p('end', 'date-or-local-timestamp')], INT, 'any-arg'),
      sig([p('unit', TIMESTAMPDIFF_UNITS), p('start', 'timestamp-ltz'), p('end', 'timestamp-ltz')], INT, 'any-arg'),
    ],
    note: 'The unit is a keyword (`timestampdiff(day, a, b)`): the binder passes its text in literalArgs instead of resolving a column. A TIMESTAMP_LTZ is compared only with another one: cast the other side, e.g. `to_timestamp_ltz(…)` or `cast(ltz as timestamp(3))`.',
  },

  // JSON ───────────────────────────────────────────────────────────────────────────────────────
  json_value: {
    kind: 'scalar', category: 'json', flinkName: 'JSON_VALUE',
    doc: 'The scalar at the JSON path, as a STRING; NULL when it is missing or not a scalar.',
    overloads: [sig([p('json', 'string'), p('path', 'string')], STRING, 'always')],
    note: 'RETURNING, ON EMPTY and ON ERROR cannot be written in .pipe; cast the result instead.',
  },
  json_query: {
    kind: 'scalar', category: 'json', flinkName: 'JSON_QUERY',
    doc: 'The JSON object or array at the JSON path, as a STRING; NULL when it is missing.',
    overloads: [sig([p('json', 'string'), p('path', 'string')], STRING, 'always')],
    note: 'RETURNING, WRAPPER, ON EMPTY and ON ERROR cannot be written in .pipe.',
  },
  json_exists: {
    kind: 'scalar', category: 'json', flinkName: 'JSON_EXISTS',
    doc: 'Whether the JSON string has a value at the JSON path (FALSE on error); the path is a string literal.',
    note: "Flink generates code for JSON_EXISTS only with a literal path (\"Unsupported call: JSON_EXISTS(STRING, STRING)\").",
    overloads: [sig([p('json', 'string'), p('path', 'string', { literal: {} })], BOOLEAN, 'always')],
  },

  // collections ────────────────────────────────────────────────────────────────────────────────
  cardinality: {
    kind: 'scalar', category: 'collection', flinkName: 'CARDINALITY',
    doc: 'The number of elements of an array, or of entries of a map.',
    note: "Flink's code generator has no CARDINALITY of a MULTISET (\"Expect an array or a map\"), so COLLECT's result has no size here.",
    overloads: [...unary('array', 'array', INT), ...unary('map', 'map', INT)],
  },
  element: {
    kind: 'scalar', category: 'collection', flinkName: 'ELEMENT',
    doc: 'The only element of a one-element array; NULL if empty (more than one element fails the job).',
    overloads: [sig([p('array', 'array')], { kind: 'element', param: 0 }, 'always')],
  },
  array_contains: {
    kind: 'scalar', category: 'collection', flinkName: 'ARRAY_CONTAINS',
    doc: 'Whether the array contains `needle` (cast to the element type); NULL if the array is NULL.',
    overloads: [sig([p('haystack', 'array'), p('needle', { kind: 'element-of', param: 0 })], BOOLEAN, { args: [0] })],
  },
  map_keys: {
    kind: 'scalar', category: 'collection', flinkName: 'MAP_KEYS',
    doc: 'The keys of the map as an array, in no particular order.',
    overloads: [sig([p('map', 'map')], { kind: 'map-keys', param: 0 }, { args: [0] })],
  },
  map_values: {
    kind: 'scalar', category: 'collection', flinkName: 'MAP_VALUES',
    doc: 'The values of the map as an array, in no particular order.',
    overloads: [sig([p('map', 'map')], { kind: 'map-values', param: 0 }, { args: [0] })],
  },

  // aggregates ─────────────────────────────────────────────────────────────────────────────────
  count: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'COUNT', distinct: true,
    doc: '`count(*)`: the number of rows; `count(x)`: the number of rows where `x` is not NULL. Never NULL.',
    note: "Flink finds no streaming plan for COUNT of several arguments (\"Cannot generate a valid execution plan\").",
    overloads: [sig([p('value', 'any')], BIGINT, 'never')],
    star: sig([], BIGINT, 'never'),
  },
  sum: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'SUM', distinct: true,
    doc: 'The sum. SUM of an integer type has that type (SUM(INT) is INT and may overflow); SUM(DECIMAL(p, s)) is DECIMAL(38, s).',
    overloads: [sig([p('value', 'numeric')], { kind: 'sum' }, 'aggregate')],
  },
  avg: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'AVG', distinct: true,
    doc: 'The mean. AVG of an integer type has that type (AVG(INT) is INT, truncated); AVG(DECIMAL(p, s)) is DECIMAL(38, max(6, s)). Cast to DOUBLE first for a fractional mean.',
    overloads: [sig([p('value', 'numeric')], { kind: 'avg' }, 'aggregate')],
  },
  min: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'MIN', distinct: true,
    doc: 'The least value.',
    overloads: [sig([p('value', 'orderable')], arg(0), 'aggregate')],
  },
  max: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'MAX', distinct: true,
    doc: 'The greatest value.',
    overloads: [sig([p('value', 'orderable')], arg(0), 'aggregate')],
  },
  first_value: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'FIRST_VALUE',
    doc: 'The first value seen: a number, a boolean or a string.',
    note: "Flink's FIRST_VALUE has code for numbers, booleans and strings only (\"FIRST_VALUE aggregate function does not support type\").",
    overloads: VALUE_AGGREGATE,
  },
  last_value: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'LAST_VALUE',
    doc: 'The last value seen: a number, a boolean or a string.',
    note: "Flink's LAST_VALUE has code for numbers, booleans and strings only (\"LAST_VALUE aggregate function does not support type\").",
    overloads: VALUE_AGGREGATE,
  },
  listagg: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'LISTAGG',
    doc: "The strings joined with `separator` (a string literal, default ',').",
    overloads: [sig([p('value', 'string'), opt('separator', 'string', { literal: {} })], arg(0), 'always')],
  },
  collect: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'COLLECT', distinct: true,
    doc: 'The multiset of the non-NULL values.',
    overloads: [sig([p('value', 'any')], { kind: 'multiset-of', param: 0 }, 'never')],
  },
  array_agg: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'ARRAY_AGG', distinct: true,
    doc: 'The array of the values, NULLs included; NULL when there are no rows.',
    overloads: [sig([p('value', 'any')], { kind: 'array-of', param: 0 }, 'always')],
    note: 'IGNORE NULLS / RESPECT NULLS cannot be written in .pipe.',
  },
  stddev_pop: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'STDDEV_POP', distinct: true,
    doc: 'The population standard deviation, typed as AVG (of INT it is an INT).',
    overloads: [sig([p('value', 'numeric')], { kind: 'avg' }, 'aggregate')],
  },
  stddev_samp: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'STDDEV_SAMP', distinct: true,
    doc: 'The sample standard deviation, typed as AVG; NULL for a single row.',
    overloads: [sig([p('value', 'numeric')], { kind: 'avg' }, 'always')],
  },
  var_pop: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'VAR_POP', distinct: true,
    doc: 'The population variance, typed as AVG.',
    overloads: [sig([p('value', 'numeric')], { kind: 'avg' }, 'aggregate')],
  },
  var_samp: {
    kind: 'aggregate', category: 'aggregate', flinkName: 'VAR_SAMP', distinct: true,
    doc: 'The sample variance, typed as AVG; NULL for a single row.',
    overloads: [sig([p('value', 'numeric')], { kind: 'avg' }, 'always')],
  },

  // window table functions ─────────────────────────────────────────────────────────────────────
  tumble: {
    kind: 'window-table', category: 'window', flinkName: 'TUMBLE', sqlForm: 'window-tvf', aliases: ['tumbling'],
    doc: 'Fixed-size, non-overlapping windows of `size`, shifted by `offset`. Adds window_start, window_end and window_time.',
    overloads: [sig([p('time_col', TIME_ATTRIBUTE), p('size', DURATION), opt('offset', DURATION)], { kind: 'window', param: 0 }, 'never')],
    note: windowNote,
  },
  hop: {
    kind: 'window-table', category: 'window', flinkName: 'HOP', sqlForm: 'window-tvf', aliases: ['hopping'],
    doc: 'Windows of `size` starting every `slide` (overlapping when slide < size). Adds window_start, window_end and window_time.',
    overloads: [sig([p('time_col', TIME_ATTRIBUTE), p('slide', DURATION), p('size', DURATION), opt('offset', DURATION)], { kind: 'window', param: 0 }, 'never')],
    note: windowNote,
  },
  cumulate: {
    kind: 'window-table', category: 'window', flinkName: 'CUMULATE', sqlForm: 'window-tvf', aliases: ['cumulating'],
    doc: 'Windows growing by `step` up to `size` from a common start. Adds window_start, window_end and window_time.',
    overloads: [sig([p('time_col', TIME_ATTRIBUTE), p('step', DURATION), p('size', DURATION), opt('offset', DURATION)], { kind: 'window', param: 0 }, 'never')],
    note: windowNote,
  },
  session: {
    kind: 'window-table', category: 'window', flinkName: 'SESSION', sqlForm: 'window-tvf',
    doc: 'Windows that close after a `gap` without rows (per GROUP BY key). Adds window_start, window_end and window_time.',
    overloads: [sig([p('time_col', TIME_ATTRIBUTE), p('gap', DURATION)], { kind: 'window', param: 0 }, 'never')],
    note: `${windowNote} Flink partitions sessions with SESSION(TABLE t PARTITION BY keys, …), the target's concern.`,
  },
} as const satisfies Readonly<Record<string, FunctionEntry>>;

export type StdFunctionName = keyof typeof STD;

/**
 * Names people reach for that pipec does not provide, with the reason and what to write instead. Kept as data
 * so the binder can add the reason to its unknown-function diagnostic and the reference can list them.
 */
export const NOT_PROVIDED: Readonly<Record<string, string>> = {
  bool_and: 'Flink has no BOOL_AND aggregate; min(<boolean>) is TRUE only if every value is',
  bool_or: 'Flink has no BOOL_OR aggregate; max(<boolean>) is TRUE if any value is',
  every: 'Flink has no EVERY aggregate; min(<boolean>) is TRUE only if every value is',
  left: '`left` is a reserved word in .pipe, so Flink\'s LEFT(s, n) cannot be called; use substring(s, 1, n)',
  extract: 'EXTRACT(unit FROM x) cannot be written in .pipe; use year(x), month(x), dayofmonth(x), hour(x), minute(x), second(x)…',
  timestampadd: 'TIMESTAMPADD is not provided (its type depends on the unit); add an interval: ts + interval 1 day',
  date_add: 'Flink has no DATE_ADD; add an interval: d + interval 1 day',
  datediff: 'Flink has no DATEDIFF; use timestampdiff(day, a, b)',
  nvl: 'Flink has no NVL; use coalesce(x, y) or ifnull(x, y)',
  isnull: 'use `x is null`, or ifnull(x, y)',
  len: 'use char_length(s)',
  length: 'use char_length(s)',
  strlen: 'use char_length(s)',
  to_char: 'use date_format(ts, pattern) or cast(x as string)',
  approx_count_distinct: 'APPROX_COUNT_DISTINCT is batch-only in Flink; use count(distinct x)',
  collect_list: 'use array_agg(x)',
  collect_set: 'use array_agg(distinct x)',
  string_agg: 'use listagg(x, separator)',
  group_concat: 'use listagg(x, separator)',
};

/** Why a function pipec lacks is not provided, and what to use instead. */
export function notProvidedReason(name: string): string | undefined {
  return Object.hasOwn(NOT_PROVIDED, name.toLowerCase()) ? NOT_PROVIDED[name.toLowerCase()] : undefined;
}

// ── lookup ────────────────────────────────────────────────────────────────────────────────────────

const ENTRIES: ReadonlyMap<string, readonly [StdFunctionName, FunctionEntry]> = new Map(
  (Object.entries(STD) as [StdFunctionName, FunctionEntry][]).flatMap(([name, entry]) =>
    [name, ...(entry.aliases ?? [])].map((spelling) => [spelling, [name, entry]] as const)),
);

/** The canonical name for a spelling (`ceiling` → `ceil`), case-insensitively. */
export function canonicalName(name: string): StdFunctionName | undefined {
  return ENTRIES.get(name.toLowerCase())?.[0];
}

export function lookupFunction(name: string): FunctionEntry | undefined {
  return ENTRIES.get(name.toLowerCase())?.[1];
}

/** Every spelling a call may use, aliases included, for did-you-mean. */
export function functionNames(): string[] {
  return [...ENTRIES.keys()].sort();
}

export function isAggregate(name: string): boolean {
  return lookupFunction(name)?.kind === 'aggregate';
}

export function isWindowFunction(name: string): boolean {
  return lookupFunction(name)?.kind === 'window-table';
}

/**
 * Argument positions that are time-unit keywords (TIMESTAMPDIFF's first): the binder must not resolve those
 * names as columns, and passes their text in `literalArgs`.
 */
export function timeUnitParams(name: string): readonly number[] {
  const entry = lookupFunction(name);
  if (!entry) return [];
  const [first] = entry.overloads;
  if (!first) return [];
  return first.params.flatMap((param, i) => (entry.overloads.every((o) => o.params[i]?.type.kind === 'time-unit') ? [i] : []));
}

/** Human signatures of a function, one per overload, e.g. `substring(STRING, INTEGER[, INTEGER])`. */
export function signatureText(entry: FunctionEntry, name: string = entry.flinkName.toLowerCase()): string[] {
  const star = entry.star ? [`${name}(*)`] : [];
  return [...star, ...entry.overloads.map((o) => formatSignature(name, o, { distinct: entry.distinct === true }))];
}

/** The first targeted Flink line with the function, or with one of its overloads. */
export const firstLine = (fn: FunctionEntry, overload?: Signature): FlinkLine => overload?.since ?? fn.since ?? FLINK_LINE_NAMES[0];

// ── resolution ────────────────────────────────────────────────────────────────────────────────────

export interface ResolveOptions {
  readonly distinct: boolean;
  /** `count(*)`. */
  readonly star: boolean;
  /** Per argument: its value when it is a number or string literal (or a time-unit keyword's text). */
  readonly literalArgs?: readonly LiteralArg[];
  /** The targeted Flink version; when given, newer functions and overloads are refused. */
  readonly version?: FlinkLine;
  /** The aggregate has no GROUP BY: SUM/MIN/MAX/AVG… are then NULL over no rows. Default false. */
  readonly global?: boolean;
}

export type ResolvedCall =
  | { readonly ok: true; readonly fn: FunctionEntry; readonly name: StdFunctionName; readonly type: SqlType }
  | { readonly ok: false; readonly problem: 'unknown-function'; readonly candidates: string[] }
  | {
    readonly ok: false;
    readonly problem: 'no-matching-overload';
    /** Human signatures, e.g. `substring(STRING, INTEGER[, INTEGER])`. */
    readonly expected: string[];
    /** Why the closest overload failed, when there is more to say than the types. */
    readonly detail?: string;
  };

/**
 * Types a call: the first overload (in table order) that the argument types fit gives the result type.
 * Pure; an ERROR argument gives `{ ok: true, type: ERROR }` so nothing is reported twice. An unknown function
 * comes with did-you-mean candidates (see also `notProvidedReason` for names pipec deliberately lacks).
 */
export function resolveCall(name: string, args: readonly SqlType[], options: ResolveOptions): ResolvedCall {
  const found = ENTRIES.get(name.toLowerCase());
  if (found === undefined) return { ok: false, problem: 'unknown-function', candidates: suggestionList(name, functionNames()) };
  const [canonical, fn] = found;
  const spelling = name.toLowerCase();
  const expected = signatureText(fn, spelling);
  const fail = (detail?: string): ResolvedCall => ({ ok: false, problem: 'no-matching-overload', expected, ...(detail === undefined ? {} : { detail }) });

  const units = timeUnitParams(spelling);
  if (args.some((a, i) => a.kind === 'ERROR' && !units.includes(i))) return { ok: true, fn, name: canonical, type: ERROR_TYPE };
  if (options.distinct && fn.distinct !== true) {
    return fail(fn.kind === 'aggregate' ? `${spelling} does not take DISTINCT` : 'DISTINCT is only allowed in aggregate functions');
  }
  if (options.version !== undefined && !lineAtLeast(options.version, firstLine(fn))) {
    return fail(`${spelling} needs Flink ${firstLine(fn)} or later; the project targets Flink ${options.version}`);
  }
  const context = { args, literals: options.literalArgs ?? [], global: options.global ?? false };
  if (options.star) {
    if (!fn.star) return fail('`*` is only allowed in count(*)');
    const match = matchSignature(fn.star, context);
    return match.ok ? { ok: true, fn, name: canonical, type: match.type } : fail();
  }
  let detail: string | undefined;
  for (const overload of fn.overloads) {
    const match = matchSignature(overload, context);
    const since = firstLine(fn, overload);
    if (match.ok) {
      if (options.version === undefined || lineAtLeast(options.version, since)) return { ok: true, fn, name: canonical, type: match.type };
      detail ??= `this form of ${spelling} needs Flink ${since} or later; the project targets Flink ${options.version}`;
    } else if (match.arity) {
      detail ??= match.detail;
    }
  }
  return fail(detail);
}
