/**
 * Flink's type rules, table-driven. Each row names the rule of Flink (or Calcite, for operators) it checks:
 * LogicalTypeCasts for casts, LogicalTypeMerging for common types and DECIMAL arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_TYPE, NULL_TYPE, formatType, t, type SqlType } from '../../../compiler/types/types.ts';
import {
  arithmeticType, castHint, commonType, comparable, comparisonHint, isAssignable, notNullViolations, supportsExplicitCast,
  supportsImplicitCast, unaryMinusType, type ArithmeticOperator,
} from '../../../compiler/types/coercion.ts';

const char = (length: number, nullable = true): SqlType => ({ kind: 'CHAR', length, nullable });
const varchar = (length: number, nullable = true): SqlType => ({ kind: 'VARCHAR', length, nullable });
const binary = (length: number): SqlType => ({ kind: 'BINARY', length, nullable: true });
const dayTime = (nullable = true): SqlType => ({ kind: 'INTERVAL', unit: 'DAY_TIME', nullable });
const yearMonth = (nullable = true): SqlType => ({ kind: 'INTERVAL', unit: 'YEAR_MONTH', nullable });
const multiset = (element: SqlType): SqlType => ({ kind: 'MULTISET', element, nullable: true });
const rowtime = (precision = 3): SqlType => ({ kind: 'TIMESTAMP', precision, nullable: false, timeAttribute: 'rowtime' });
const row = (...fields: [string, SqlType][]): SqlType => t.row(fields.map(([name, type]) => ({ name, type })));
const show = (type: SqlType | undefined): string => (type === undefined ? 'none' : formatType(type));

describe('supportsImplicitCast (LogicalTypeCasts implicit rules)', () => {
  const rows: [SqlType, SqlType, boolean, string][] = [
    [t.tinyint(), t.smallint(), true, 'SMALLINT implicitFrom(TINYINT, SMALLINT)'],
    [t.smallint(), t.int(), true, 'INTEGER implicitFrom(TINYINT, SMALLINT, INTEGER)'],
    [t.int(), t.bigint(), true, 'BIGINT implicitFrom(TINYINT … BIGINT)'],
    [t.bigint(), t.int(), false, 'no narrowing between integers'],
    [t.bigint(), t.float(), true, 'FLOAT implicitFrom(integers, FLOAT, DECIMAL)'],
    [t.decimal(10, 2), t.float(), true, 'FLOAT implicitFrom DECIMAL'],
    [t.double(), t.float(), false, 'FLOAT is not implicit from DOUBLE'],
    [t.float(), t.double(), true, 'DOUBLE implicitFromFamily(NUMERIC)'],
    [t.double(), t.decimal(10, 2), true, 'DECIMAL implicitFromFamily(NUMERIC), approximate included'],
    [t.decimal(38, 10), t.decimal(10, 2), true, 'precision and scale are not compared'],
    [t.decimal(10, 2), t.int(), false, 'INTEGER is not implicit from DECIMAL'],
    [char(3), t.string(), true, 'VARCHAR implicitFromFamily(CHARACTER_STRING)'],
    [varchar(100), varchar(10), true, 'lengths are not compared'],
    [t.string(), char(3), false, 'CHAR implicitFrom(CHAR) only'],
    [binary(4), t.bytes(), true, 'VARBINARY implicitFromFamily(BINARY_STRING)'],
    [t.bytes(), binary(4), false, 'BINARY implicitFrom(BINARY) only'],
    [t.string(), t.bytes(), false, 'character → binary is explicit only'],
    [t.int(), t.string(), false, 'VARCHAR is implicit only from character strings'],
    [t.string(), t.int(), false, 'string → number is explicit only'],
    [t.boolean(), t.int(), false, 'BOOLEAN → number is explicit only'],
    [t.timestamp(3), t.date(), true, 'DATE implicitFrom(DATE, TIMESTAMP_WITHOUT_TIME_ZONE)'],
    [t.timestamp(3), t.time(), true, 'TIME implicitFrom(TIME, TIMESTAMP_WITHOUT_TIME_ZONE)'],
    [t.date(), t.timestamp(3), false, 'TIMESTAMP implicitFrom(TIMESTAMP, TIMESTAMP_LTZ) only'],
    [t.timestamp(9), t.timestamp(3), true, 'precision is not compared'],
    [t.timestamp(3), t.timestampLtz(3), true, 'TIMESTAMP_LTZ implicitFrom TIMESTAMP (Flink 1.15+)'],
    [t.timestampLtz(3), t.timestamp(6), true, 'TIMESTAMP implicitFrom TIMESTAMP_LTZ'],
    [t.timestampLtz(3), t.date(), false, 'DATE is implicit only from TIMESTAMP without zone'],
    [rowtime(), t.timestamp(3), true, 'time attributes are timestamps'],
    [dayTime(), dayTime(), true, 'identity'],
    [yearMonth(), dayTime(), false, 'interval units are different roots'],
    [dayTime(), t.bigint(), false, 'single-field interval → number: pipec does not know the fields (explicit only)'],
    [NULL_TYPE, t.int(false), true, 'NULL can be cast to an arbitrary type'],
    [NULL_TYPE, row(['a', t.int()]), true, 'NULL can be cast to an arbitrary type'],
    [t.array(t.int()), t.array(t.bigint()), true, 'constructed: same root, children implicit'],
    [t.array(t.bigint()), t.array(t.int()), false, 'constructed: children must cast implicitly'],
    [t.map(t.string(), t.int()), t.map(char(1), t.double()), false, 'MAP key STRING → CHAR(1) is not implicit'],
    [t.map(char(1), t.int()), t.map(t.string(), t.double()), true, 'MAP children cast implicitly'],
    [row(['a', t.int()]), row(['b', t.bigint()]), true, 'ROW field names are ignored, fields match by position'],
    [row(['a', t.int()], ['b', t.int()]), row(['a', t.int()]), false, 'ROW field counts must match'],
    [multiset(t.int()), t.array(t.int()), false, 'constructed types cast only within their root'],
    [row(['a', t.int()]), t.string(), false, 'ROW → STRING is explicit only'],
  ];
  it.each(rows.map(([from, to, expected, why]) => ({ from: formatType(from), to: formatType(to), expected, why, f: from, tt: to })))(
    '$from → $to is $expected ($why)',
    ({ f, tt, expected }) => expect(supportsImplicitCast(f, tt)).toBe(expected),
  );

  it('ignores nullability unless asked, then compares it at every depth as Flink does', () => {
    expect(supportsImplicitCast(t.int(), t.int(false))).toBe(true);
    expect(supportsImplicitCast(t.int(), t.int(false), { respectNullability: true })).toBe(false);
    expect(supportsImplicitCast(t.int(false), t.int(), { respectNullability: true })).toBe(true);
    expect(supportsImplicitCast(t.array(t.int()), t.array(t.int(false)), { respectNullability: true })).toBe(false);
    expect(supportsImplicitCast(t.array(t.int()), t.array(t.int(false)))).toBe(true);
  });

  it('accepts ERROR on either side', () => {
    expect(supportsImplicitCast(ERROR_TYPE, t.int())).toBe(true);
    expect(supportsImplicitCast(t.string(), ERROR_TYPE)).toBe(true);
  });
});

describe('supportsExplicitCast (CAST / TRY_CAST)', () => {
  const rows: [SqlType, SqlType, boolean, string][] = [
    [t.string(), t.int(), true, 'INTEGER explicitFromFamily(CHARACTER_STRING)'],
    [t.string(), t.decimal(10, 2), true, 'DECIMAL explicitFromFamily(CHARACTER_STRING)'],
    [t.string(), t.boolean(), true, 'BOOLEAN explicitFromFamily(CHARACTER_STRING)'],
    [t.int(), t.boolean(), true, 'BOOLEAN explicitFromFamily(INTEGER_NUMERIC)'],
    [t.double(), t.boolean(), false, 'BOOLEAN is not castable from approximate numbers'],
    [t.boolean(), t.int(), true, 'INTEGER explicitFrom(BOOLEAN)'],
    [t.boolean(), t.string(), true, 'VARCHAR explicitFromFamily(PREDEFINED)'],
    [t.double(), t.int(), true, 'INTEGER explicitFromFamily(NUMERIC)'],
    [t.timestamp(3), t.bigint(), true, 'BIGINT explicitFrom(TIMESTAMP_WITHOUT_TIME_ZONE)'],
    [t.int(), t.timestamp(3), false, 'NumericToTimestampCastRule rejects numeric → TIMESTAMP'],
    [t.bigint(), t.timestampLtz(3), false, 'NumericToTimestampCastRule rejects numeric → TIMESTAMP_LTZ'],
    [t.string(), t.timestamp(3), true, 'TIMESTAMP explicitFromFamily(CHARACTER_STRING)'],
    [t.date(), t.timestamp(3), true, 'TIMESTAMP explicitFromFamily(DATETIME)'],
    [t.timestampLtz(3), t.date(), true, 'DATE explicitFromFamily(TIMESTAMP)'],
    [t.time(), t.date(), false, 'DATE is not castable from TIME'],
    [t.date(), t.int(), false, 'no DATE → number cast'],
    [t.string(), t.bytes(), true, 'VARBINARY explicitFromFamily(CHARACTER_STRING)'],
    [t.bytes(), t.string(), true, 'VARCHAR explicitFromFamily(PREDEFINED) includes binary'],
    [t.int(), t.bytes(), false, 'no number → binary cast'],
    [row(['a', t.int()]), t.string(), true, 'VARCHAR explicitFromFamily(CONSTRUCTED) (Flink 1.15+)'],
    [t.array(t.int()), t.string(), true, 'VARCHAR explicitFromFamily(CONSTRUCTED)'],
    [row(['a', t.int()]), t.int(), false, 'constructed → scalar other than strings'],
    [t.array(t.string()), t.array(t.int()), true, 'constructed: children cast explicitly'],
    [t.map(t.string(), t.int()), row(['k', t.string()], ['v', t.int()]), false, 'MAP → ROW'],
    [dayTime(), t.bigint(), true, 'single-field interval → exact numeric'],
    [t.int(), dayTime(), true, 'exact numeric → single-field interval'],
    [t.int(false), t.int(false), true, 'identity'],
    [t.int(), t.int(false), true, 'nullability never blocks an explicit cast'],
  ];
  it.each(rows.map(([from, to, expected, why]) => ({ from: formatType(from), to: formatType(to), expected, why, f: from, tt: to })))(
    'CAST($from AS $to) is $expected ($why)',
    ({ f, tt, expected }) => expect(supportsExplicitCast(f, tt)).toBe(expected),
  );

  it("gives Flink's advice for the casts its planner rejects", () => {
    expect(castHint(t.bigint(), t.timestampLtz(3))).toMatch(/TO_TIMESTAMP_LTZ/);
    expect(castHint(t.int(), t.timestamp(3))).toMatch(/FROM_UNIXTIME/);
    expect(castHint(t.string(), t.int())).toBeUndefined();
  });
});

describe('commonType (LogicalTypeMerging.findCommonType)', () => {
  const rows: [SqlType[], string, string][] = [
    [[t.int(), t.bigint(), t.decimal(2, 2)], 'DECIMAL(21, 2)', "findCommonType's javadoc example"],
    [[t.int(), t.bigint()], 'BIGINT', 'the wider integer'],
    [[t.tinyint(), t.smallint()], 'SMALLINT', 'the wider integer'],
    [[t.int(), t.double()], 'DOUBLE', 'approximate wins'],
    [[t.int(), t.float()], 'FLOAT', 'approximate wins'],
    [[t.decimal(10, 2), t.float()], 'DOUBLE', 'DECIMAL with approximate enforces DOUBLE'],
    [[t.decimal(10, 2), t.decimal(5, 4)], 'DECIMAL(12, 4)', 'whole digits max(8, 1), scale max(2, 4)'],
    [[t.decimal(38, 0), t.decimal(38, 10)], 'DECIMAL(38, 0)', 'whole digits win over scale at 38'],
    [[char(2), char(2)], 'CHAR(2)', 'same fixed length'],
    [[char(2), char(5)], 'VARCHAR(5)', 'different fixed lengths become VARCHAR'],
    [[char(2), varchar(5)], 'VARCHAR(5)', 'variable length stays variable'],
    [[varchar(3), t.string()], 'STRING', 'unbounded'],
    [[binary(2), t.bytes()], 'BYTES', 'binary strings'],
    [[t.timestamp(3), t.timestamp(6)], 'TIMESTAMP(6)', 'max precision'],
    [[t.timestamp(3), t.timestampLtz(6)], 'TIMESTAMP_LTZ(6)', 'generalize to the zoned type'],
    [[t.date(), t.timestamp(3)], 'DATE', 'findCommonCastableType: TIMESTAMP casts implicitly to DATE'],
    [[t.time(0), t.time(0)], 'TIME(0)', 'TIME'],
    [[t.boolean(), t.boolean()], 'BOOLEAN', 'BOOLEAN via findCommonCastableType'],
    [[dayTime(), dayTime()], 'INTERVAL DAY TO SECOND', 'same interval unit'],
    [[dayTime(), yearMonth()], 'none', 'interval units do not mix'],
    [[t.int(), t.string()], 'none', 'no implicit cast either way'],
    [[t.boolean(), t.int()], 'none', 'no implicit cast either way'],
    [[t.timestamp(3), t.int()], 'none', "Flink's DATETIME + EXACT_NUMERIC pattern is arithmetic only"],
    [[t.date(), dayTime()], 'none', "Flink's DATETIME + INTERVAL pattern is arithmetic only"],
    [[t.array(t.int()), t.array(t.bigint())], 'ARRAY<BIGINT>', 'element-wise'],
    [[t.array(t.int()), t.array(t.string())], 'none', 'element-wise'],
    [[t.array(t.int()), t.int()], 'none', 'different roots'],
    [[row(['a', t.int()]), row(['b', t.double()])], 'ROW<`a` DOUBLE>', 'field-wise, names from the first row'],
    [[t.map(t.string(), t.int()), t.map(char(1), t.bigint())], 'MAP<STRING, BIGINT>', 'key and value'],
    [[NULL_TYPE, t.int(false)], 'INT', 'NULL makes the result nullable'],
    [[NULL_TYPE, NULL_TYPE], 'none', 'NULL is reserved for untyped literals'],
    [[], 'none', 'nothing to merge'],
    [[t.int(false), t.int(false)], 'INT NOT NULL', 'NOT NULL when every input is'],
    [[t.int(false), t.bigint()], 'BIGINT', 'nullable when one input is'],
    [[t.int(), ERROR_TYPE], 'ERROR', 'poison'],
  ];
  it.each(rows.map(([types, expected, why]) => ({ types: types.map(formatType).join(', '), expected, why, input: types })))(
    '[$types] → $expected ($why)',
    ({ input, expected }) => expect(show(commonType(input))).toBe(expected),
  );

  it('keeps a time attribute only when every input is the same time attribute', () => {
    const both = commonType([rowtime(), rowtime()]);
    expect(both?.kind === 'TIMESTAMP' && both.timeAttribute).toBe('rowtime');
    const mixed = commonType([rowtime(), t.timestamp(3, false)]);
    expect(mixed?.kind === 'TIMESTAMP' && mixed.timeAttribute).toBe(undefined);
  });
});

describe('arithmeticType', () => {
  const rows: [ArithmeticOperator, SqlType, SqlType, string, string][] = [
    ['+', t.int(), t.int(), 'INT', 'NULLABLE_SUM: least restrictive'],
    ['+', t.int(), t.bigint(), 'BIGINT', 'least restrictive'],
    ['+', t.tinyint(), t.tinyint(), 'TINYINT', 'no promotion (may overflow, as in Flink)'],
    ['/', t.int(), t.int(), 'INT', 'QUOTIENT_NULLABLE: integer division'],
    ['+', t.int(), t.double(), 'DOUBLE', 'approximate wins'],
    ['*', t.int(), t.float(), 'FLOAT', 'approximate wins'],
    ['-', t.decimal(10, 2), t.double(), 'DOUBLE', 'DECIMAL with DOUBLE is DOUBLE'],
    ['+', t.decimal(10, 2), t.decimal(5, 3), 'DECIMAL(12, 3)', 'findAdditionDecimalType: max(8, 2) + 3 + 1'],
    ['-', t.decimal(10, 2), t.decimal(5, 3), 'DECIMAL(12, 3)', 'subtraction as addition'],
    ['+', t.int(), t.decimal(10, 2), 'DECIMAL(13, 2)', 'INT as DECIMAL(10, 0)'],
    ['*', t.decimal(10, 2), t.decimal(5, 3), 'DECIMAL(16, 5)', 'findMultiplicationDecimalType: p1 + p2 + 1, s1 + s2'],
    ['*', t.bigint(), t.decimal(10, 2), 'DECIMAL(30, 2)', 'BIGINT as DECIMAL(19, 0)'],
    ['*', t.decimal(38, 10), t.decimal(38, 10), 'DECIMAL(38, 6)', 'adjustPrecisionScale keeps 6 fraction digits'],
    ['/', t.decimal(10, 2), t.decimal(5, 3), 'DECIMAL(19, 8)', 'findDivisionDecimalType: s = max(6, 2 + 5 + 1)'],
    ['/', t.decimal(38, 18), t.decimal(38, 18), 'DECIMAL(38, 6)', 'division overflow keeps 6 fraction digits'],
    ['/', t.int(), t.decimal(5, 2), 'DECIMAL(18, 6)', 'INT as DECIMAL(10, 0): s = max(6, 0 + 5 + 1), p = 10 - 0 + 2 + 6'],
    ['%', t.decimal(10, 2), t.decimal(5, 3), 'DECIMAL(5, 3)', 'findModuloDecimalType: min(8, 2) + 3'],
    ['%', t.decimal(10, 2), t.int(), 'DECIMAL(10, 2)', 'INT as DECIMAL(10, 0): min(8, 10) + 2'],
    ['%', t.decimal(10, 0), t.int(), 'INT', 'deriveDecimalModType: no fraction digits, the divisor\'s type'],
    ['%', t.bigint(), t.decimal(5, 0), 'DECIMAL(5, 0)', 'deriveDecimalModType: no fraction digits, the divisor\'s type'],
    ['%', t.int(), t.int(), 'INT', 'NULLABLE_MOD'],
    ['%', t.bigint(), t.int(), 'INT', "NULLABLE_MOD: the divisor's type"],
    ['%', t.double(), t.int(), 'none', 'EXACT_NUMERIC_EXACT_NUMERIC'],
    ['+', t.timestamp(3), dayTime(), 'TIMESTAMP(3)', 'DATETIME_INTERVAL'],
    ['+', t.timestampLtz(3), yearMonth(), 'TIMESTAMP_LTZ(3)', 'DATETIME_INTERVAL'],
    ['+', t.date(), dayTime(), 'DATE', 'Calcite keeps DATE even for hours'],
    ['+', dayTime(), t.timestamp(6), 'TIMESTAMP(6)', 'INTERVAL_DATETIME'],
    ['+', t.time(), yearMonth(), 'none', 'TIME has no months'],
    ['-', t.timestamp(3), dayTime(), 'TIMESTAMP(3)', 'MINUS: DATETIME_INTERVAL'],
    ['-', dayTime(), t.timestamp(3), 'none', 'MINUS has no INTERVAL - DATETIME'],
    ['-', t.timestamp(3), t.timestamp(3), 'none', 'use TIMESTAMPDIFF'],
    ['+', dayTime(), dayTime(), 'INTERVAL DAY TO SECOND', 'INTERVAL_SAME_SAME'],
    ['+', dayTime(), yearMonth(), 'none', 'INTERVAL_SAME_SAME'],
    ['*', dayTime(), t.int(), 'INTERVAL DAY TO SECOND', 'INTERVAL_NUMERIC'],
    ['*', t.int(), yearMonth(), 'INTERVAL YEAR TO MONTH', 'NUMERIC_INTERVAL'],
    ['/', dayTime(), t.int(), 'INTERVAL DAY TO SECOND', 'INTERVAL_NUMERIC'],
    ['/', t.int(), dayTime(), 'none', 'DIVISION_OPERATOR'],
    ['+', t.string(), t.int(), 'none', 'no implicit coercion'],
    ['+', t.string(), t.string(), 'none', 'strings concatenate with ||'],
    ['||', char(2), char(3), 'CHAR(5)', 'DYADIC_STRING_SUM_PRECISION: CHAR if both are'],
    ['||', char(2), varchar(3), 'VARCHAR(5)', 'VARCHAR otherwise'],
    ['||', t.string(), char(1), 'STRING', 'unbounded'],
    ['||', t.bytes(), binary(2), 'BYTES', 'binary strings'],
    ['||', t.string(), t.int(), 'none', 'STRING_SAME_SAME'],
    ['||', t.string(), t.bytes(), 'none', 'STRING_SAME_SAME'],
  ];
  it.each(rows.map(([op, l, r, expected, why]) => ({ op, left: formatType(l), right: formatType(r), expected, why, l, r })))(
    '$left $op $right → $expected ($why)',
    ({ op, l, r, expected }) => expect(show(arithmeticType(op, l, r))).toBe(expected),
  );

  it('propagates nullability', () => {
    expect(show(arithmeticType('+', t.int(false), t.int(false)))).toBe('INT NOT NULL');
    expect(show(arithmeticType('+', t.int(false), t.int()))).toBe('INT');
    expect(show(arithmeticType('*', t.decimal(10, 2, false), t.decimal(5, 3, false)))).toBe('DECIMAL(16, 5) NOT NULL');
    expect(show(arithmeticType('||', char(2, false), char(3)))).toBe('CHAR(5)');
  });

  it('gives an untyped NULL the other operand\'s type, and refuses NULL with NULL', () => {
    expect(show(arithmeticType('+', NULL_TYPE, t.int(false)))).toBe('INT');
    expect(arithmeticType('+', NULL_TYPE, NULL_TYPE)).toBeUndefined();
  });

  it('does not keep time attributes', () => {
    const result = arithmeticType('+', rowtime(), dayTime(false));
    expect(result).toEqual({ kind: 'TIMESTAMP', precision: 3, nullable: false });
  });

  it('is poisoned by ERROR', () => {
    expect(arithmeticType('+', ERROR_TYPE, t.string())).toBe(ERROR_TYPE);
    expect(arithmeticType('||', t.int(), ERROR_TYPE)).toBe(ERROR_TYPE);
  });

  it('types unary minus for numbers and intervals only', () => {
    expect(show(unaryMinusType(t.decimal(10, 2, false)))).toBe('DECIMAL(10, 2) NOT NULL');
    expect(show(unaryMinusType(dayTime()))).toBe('INTERVAL DAY TO SECOND');
    expect(unaryMinusType(t.string())).toBeUndefined();
    expect(unaryMinusType(ERROR_TYPE)).toBe(ERROR_TYPE);
  });
});

describe('comparable (as the Flink planner accepts: fixtures/*-compare-*.sql)', () => {
  const rows: [SqlType, SqlType, boolean, string][] = [
    [t.int(), t.double(), true, 'numeric family'],
    [t.decimal(10, 2), t.bigint(), true, 'numeric family'],
    [t.string(), char(3), true, 'character family'],
    [t.string(), t.date(), true, 'the planner casts the string to the date'],
    [t.timestamp(3), char(19), true, 'the planner casts the string to the timestamp'],
    [t.string(), t.bytes(), false, 'character vs binary'],
    [t.int(), t.boolean(), false, 'numeric vs boolean'],
    [t.date(), t.timestamp(3), false, 'DATE and TIMESTAMP are different families'],
    [t.timestamp(3), t.timestampLtz(3), true, 'TIMESTAMP and TIMESTAMP_LTZ share a family'],
    [t.time(), t.timestamp(3), false, 'TIME vs TIMESTAMP'],
    [dayTime(), yearMonth(), false, 'interval units'],
    [NULL_TYPE, t.array(t.int()), true, 'NULL compares with anything'],
    [t.array(t.int()), t.array(t.bigint()), true, 'arrays element-wise, for equality'],
    [t.array(t.int()), t.map(t.int(), t.int()), false, 'different constructed types'],
    [ERROR_TYPE, t.int(), true, 'poison'],
  ];
  it.each(rows.map(([a, b, expected, why]) => ({ a: formatType(a), b: formatType(b), expected, why, x: a, y: b })))(
    '$a vs $b is $expected ($why)',
    ({ x, y, expected }) => expect(comparable(x, y)).toBe(expected),
  );

  it('does not order constructed types', () => {
    expect(comparable(t.array(t.int()), t.array(t.int()), 'ordering')).toBe(false);
    expect(comparable(t.int(), t.bigint(), 'ordering')).toBe(true);
  });

  // A character string against another type: [other type, equality (= <> CASE), membership (IN), ordering (< > BETWEEN)].
  const withString: [SqlType, boolean, boolean, boolean, string][] = [
    [t.int(), false, true, true, '= <> rejected by the code generator; IN and ordering cast the string'],
    [t.bigint(false), false, true, true, 'every numeric type'],
    [t.decimal(10, 2), false, true, true, 'every numeric type'],
    [t.double(), false, true, true, 'every numeric type'],
    [t.boolean(), false, true, true, '= <> plan but are always false'],
    [t.date(), true, true, true, 'the string is cast to DATE'],
    [t.time(), true, true, true, 'the string is cast to TIME'],
    [t.timestamp(3), true, true, true, 'the string is cast to TIMESTAMP'],
    [t.timestampLtz(3), true, true, true, 'the string is cast to TIMESTAMP_LTZ'],
    [dayTime(), false, false, false, 'no cast from a string to an interval'],
    [yearMonth(), false, false, false, 'no cast from a string to an interval'],
    [t.bytes(), false, false, false, 'binary strings compare only with binary strings'],
  ];
  it.each(withString.map(([type, equality, membership, ordering, why]) => ({ type: formatType(type), equality, membership, ordering, why, x: type })))(
    'a string vs $type: equality $equality, IN $membership, ordering $ordering ($why)',
    ({ x, equality, membership, ordering }) => {
      for (const s of [t.string(), char(3, false)]) {
        expect([comparable(x, s, 'equality'), comparable(s, x, 'equality')]).toEqual([equality, equality]);
        expect([comparable(x, s, 'membership'), comparable(s, x, 'membership')]).toEqual([membership, membership]);
        expect([comparable(x, s, 'ordering'), comparable(s, x, 'ordering')]).toEqual([ordering, ordering]);
      }
    },
  );
});

describe('comparisonHint', () => {
  it('tells how to fix a refused comparison with a string', () => {
    expect(comparisonHint(t.int(), char(3))).toBe("compare with a number, written without quotes, or CAST one side to the other's type");
    expect(comparisonHint(t.string(), t.decimal(10, 2))).toBe("compare with a number, written without quotes, or CAST one side to the other's type");
    expect(comparisonHint(t.boolean(), t.string())).toBe('compare with TRUE or FALSE, or CAST the string to BOOLEAN');
    expect(comparisonHint(t.string(), dayTime())).toBe("compare with an interval literal such as INTERVAL '1' DAY");
  });

  it('leaves other refusals to the default help line', () => {
    expect(comparisonHint(t.timestamp(3), t.int())).toBeUndefined();
    expect(comparisonHint(t.string(), t.bytes())).toBeUndefined();
  });
});

describe('isAssignable and notNullViolations (sink fields)', () => {
  const rows: [SqlType, SqlType, boolean, string][] = [
    [t.int(), t.bigint(), true, 'implicit widening'],
    [t.bigint(), t.int(), false, 'no narrowing'],
    [t.int(), t.int(false), true, 'NOT NULL is a separate finding'],
    [t.string(), varchar(10), true, 'Flink does not compare lengths (the sink truncates)'],
    [t.double(), t.decimal(10, 2), true, 'DECIMAL implicit from any numeric'],
    [t.timestampLtz(3), t.timestamp(3), true, 'TIMESTAMP_LTZ → TIMESTAMP'],
    [t.array(t.int()), t.array(t.int(false)), true, 'nested NOT NULL is a separate finding'],
    [row(['x', t.int()]), row(['y', t.bigint()]), true, 'fields by position'],
    [t.string(), t.int(), false, 'explicit only'],
  ];
  it.each(rows.map(([from, to, expected, why]) => ({ from: formatType(from), to: formatType(to), expected, why, f: from, tt: to })))(
    '$from into $to is $expected ($why)',
    ({ f, tt, expected }) => expect(isAssignable(f, tt)).toBe(expected),
  );

  it('names where a nullable value meets NOT NULL', () => {
    expect(notNullViolations(t.int(), t.int(false))).toEqual(['']);
    expect(notNullViolations(t.int(false), t.int())).toEqual([]);
    const address = (cityNullable: boolean, nullable: boolean): SqlType =>
      t.row([{ name: 'address', type: t.row([{ name: 'city', type: t.string(cityNullable) }], nullable) }], false);
    expect(notNullViolations(address(true, false), address(false, false))).toEqual(['address.city']);
    expect(notNullViolations(address(true, true), address(false, false))).toEqual(['address', 'address.city']);
    expect(notNullViolations(t.row([{ name: 'items', type: t.array(t.int(), false) }], false), t.row([{ name: 'items', type: t.array(t.int(false), false) }], false))).toEqual(['items[]']);
    expect(notNullViolations(t.map(t.string(), t.int()), t.map(t.string(false), t.int(false), false))).toEqual(['', '{key}', '{value}']);
    expect(notNullViolations(ERROR_TYPE, t.int(false))).toEqual([]);
  });
});
