/** The function library: per family, a typed call and a rejected call; the table's own invariants. */
import { describe, expect, it } from 'vitest';
import { ERROR_TYPE, NULL_TYPE, formatType, t, type SqlType } from '../../../compiler/types/types.ts';
import {
  NOT_PROVIDED, STD, canonicalName, firstLine, functionNames, isAggregate, isWindowFunction, lookupFunction,
  notProvidedReason, resolveCall, signatureText, timeUnitParams, type FunctionEntry, type ResolveOptions,
} from '../../../stdlib/functions.ts';
import { FLINK_LINE_NAMES, lineAtLeast } from '../../../stdlib/flink-lines.ts';

const char = (length: number, nullable = true): SqlType => ({ kind: 'CHAR', length, nullable });
const dayTime = (nullable = false): SqlType => ({ kind: 'INTERVAL', unit: 'DAY_TIME', nullable });
const yearMonth = (): SqlType => ({ kind: 'INTERVAL', unit: 'YEAR_MONTH', nullable: false });
const rowtime = (kind: 'TIMESTAMP' | 'TIMESTAMP_LTZ' = 'TIMESTAMP'): SqlType => ({ kind, precision: 3, nullable: false, timeAttribute: 'rowtime' });
const proctime: SqlType = { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false, timeAttribute: 'proctime' };

const NONE: ResolveOptions = { distinct: false, star: false };

/** The result type as Flink spells it, or the failure in one line. */
function call(name: string, args: SqlType[], options: Partial<ResolveOptions> = {}): string {
  const r = resolveCall(name, args, { ...NONE, ...options });
  if (r.ok) return formatType(r.type);
  if (r.problem === 'unknown-function') return 'unknown function';
  return `no match${r.detail ? `: ${r.detail}` : ''}`;
}

function expected(name: string, args: SqlType[], options: Partial<ResolveOptions> = {}): string[] {
  const r = resolveCall(name, args, { ...NONE, ...options });
  return !r.ok && r.problem === 'no-matching-overload' ? r.expected : [];
}

describe('lookup', () => {
  it('knows its names, case-insensitively, with aliases', () => {
    expect(call('UPPER', [t.string()])).toBe('STRING');
    expect(canonicalName('CEILING')).toBe('ceil');
    expect(canonicalName('character_length')).toBe('char_length');
    expect(canonicalName('tumbling')).toBe('tumble');
    expect(functionNames()).toEqual(expect.arrayContaining(['coalesce', 'ceiling', 'tumbling', 'count']));
    expect(isAggregate('COUNT')).toBe(true);
    expect(isAggregate('upper')).toBe(false);
    expect(isWindowFunction('hop')).toBe(true);
  });

  it('reports unknown functions, and why some are not provided', () => {
    expect(resolveCall('xyzzy', [], NONE)).toEqual({ ok: false, problem: 'unknown-function', candidates: [] });
    expect(resolveCall('substrng', [t.string()], NONE)).toEqual({ ok: false, problem: 'unknown-function', candidates: ['substring', 'substr'] });
    expect(call('bool_and', [t.boolean()])).toBe('unknown function');
    expect(notProvidedReason('BOOL_AND')).toMatch(/min\(<boolean>\)/);
    expect(notProvidedReason('upper')).toBeUndefined();
  });

  it('renders human signatures', () => {
    expect(signatureText(STD.substring, 'substring')).toEqual(['substring(STRING, INT_OR_SMALLER[, INT_OR_SMALLER])']);
    expect(signatureText(STD.count, 'count')).toEqual(['count(*)', 'count([DISTINCT] ANY)']);
    expect(signatureText(STD.coalesce, 'coalesce')).toEqual(['coalesce(T[, T]*)']);
    expect(signatureText(STD.array_contains, 'array_contains')).toEqual(['array_contains(ARRAY<T>, T)']);
    expect(signatureText(STD.to_timestamp_ltz, 'to_timestamp_ltz')[0]).toBe('to_timestamp_ltz(NUMERIC, 0 | 3)');
    expect(expected('upper', [t.int()])).toEqual(['upper(STRING)']);
  });

  it('lists the argument positions that are time-unit keywords', () => {
    expect(timeUnitParams('timestampdiff')).toEqual([0]);
    expect(timeUnitParams('substring')).toEqual([]);
  });
});

describe('ERROR and NULL arguments', () => {
  it('are poisoned by ERROR: typed ERROR, never a mismatch', () => {
    expect(resolveCall('upper', [ERROR_TYPE], NONE)).toMatchObject({ ok: true, type: ERROR_TYPE });
    expect(call('coalesce', [t.int(), ERROR_TYPE])).toBe('ERROR');
    expect(call('substring', [ERROR_TYPE, t.string()])).toBe('ERROR');
    expect(call('sum', [ERROR_TYPE])).toBe('ERROR');
    expect(call('nope', [ERROR_TYPE])).toBe('unknown function');
  });

  it('let a NULL literal fit any parameter, but not give a call its type', () => {
    expect(call('coalesce', [NULL_TYPE, t.int(false)])).toBe('INT NOT NULL');
    expect(call('concat', [NULL_TYPE, t.string(false)])).toBe('STRING');
    expect(call('upper', [NULL_TYPE])).toBe('no match');
  });
});

describe('conditional', () => {
  it('coalesce: common type, nullable only if every argument is', () => {
    expect(call('coalesce', [t.int(), t.bigint(false)])).toBe('BIGINT NOT NULL');
    expect(call('coalesce', [t.int(), t.decimal(10, 2)])).toBe('DECIMAL(12, 2)');
    expect(call('coalesce', [char(2, false), t.string()])).toBe('STRING NOT NULL');
    expect(call('coalesce', [t.int(), t.string()])).toBe('no match');
    expect(expected('coalesce', [t.int(), t.string()])).toEqual(['coalesce(T[, T]*)']);
  });

  it('ifnull: nullable only if the replacement is', () => {
    expect(call('ifnull', [t.int(), t.int(false)])).toBe('INT NOT NULL');
    expect(call('ifnull', [t.int(false), t.int()])).toBe('INT');
    expect(call('ifnull', [t.int(), t.date()])).toBe('no match');
  });

  it('nullif: the first argument, always nullable', () => {
    expect(call('nullif', [t.int(false), t.bigint()])).toBe('INT');
    expect(call('nullif', [t.int(), t.date()])).toBe('no match');
  });

  it('if: branches of one family, their common type', () => {
    expect(call('if', [t.boolean(false), t.int(false), t.double(false)])).toBe('DOUBLE NOT NULL');
    expect(call('if', [t.boolean(false), char(1, false), char(3, false)])).toBe('VARCHAR(3) NOT NULL');
    expect(call('if', [t.boolean(), t.int(false), t.int(false)])).toBe('INT');
    expect(call('if', [t.boolean(), t.string(), t.int()])).toBe('no match');
    expect(call('if', [t.int(), t.int(), t.int()])).toBe('no match');
    expect(call('if', [t.boolean(), t.date(), t.timestamp(3)])).toBe('no match');
  });

  it('greatest and least: orderable values, NULL if any argument is', () => {
    expect(call('greatest', [t.int(false), t.bigint(false)])).toBe('BIGINT NOT NULL');
    expect(call('least', [t.timestamp(3, false), t.timestamp(6)])).toBe('TIMESTAMP(6)');
    expect(call('greatest', [t.array(t.int())])).toBe('no match');
    expect(call('least', [t.int(), t.string()])).toBe('no match');
  });

  it('is_digit: never NULL', () => {
    expect(call('is_digit', [t.string()])).toBe('BOOLEAN NOT NULL');
    expect(call('is_digit', [t.date()])).toBe('no match');
  });
});

describe('strings', () => {
  it('keep CHAR/VARCHAR types where Calcite does', () => {
    expect(call('upper', [char(3, false)])).toBe('CHAR(3) NOT NULL');
    expect(call('lower', [t.string()])).toBe('STRING');
    expect(call('trim', [char(3, false)])).toBe('VARCHAR(3) NOT NULL');
    expect(call('ltrim', [t.string(false), char(1, false)])).toBe('STRING NOT NULL');
    expect(call('upper', [t.int()])).toBe('no match');
  });

  it('substring: CHAR becomes VARCHAR, always nullable', () => {
    expect(call('substring', [t.string(false), t.int(false)])).toBe('STRING');
    expect(call('substr', [char(5, false), t.int(false), t.smallint(false)])).toBe('VARCHAR(5)');
    expect(call('substring', [t.string(), t.string()])).toBe('no match');
    expect(call('substring', [t.string()])).toBe('no match');
    expect(call('substring', [t.string(), t.int(), t.int(), t.int()])).toBe('no match');
  });

  it('concat and concat_ws: strings only, at least one', () => {
    expect(call('concat', [t.string(false), char(1, false), t.string(false)])).toBe('STRING NOT NULL');
    expect(call('concat', [t.string(), t.string(false)])).toBe('STRING');
    expect(call('concat', [])).toBe('no match');
    expect(call('concat', [t.string(), t.int()])).toBe('no match');
    expect(call('concat_ws', [char(1, false), t.string(false), t.string(false)])).toBe('STRING NOT NULL');
    expect(call('concat_ws', [char(1)])).toBe('no match');
  });

  it('regexp, replace, split_index, padding, position', () => {
    expect(call('regexp_extract', [t.string(false), char(4, false), t.int(false)])).toBe('STRING');
    expect(call('regexp_replace', [t.string(false), t.string(false), t.string(false)])).toBe('STRING NOT NULL');
    expect(call('replace', [t.string(), t.string(), t.int()])).toBe('no match');
    expect(call('split_index', [t.string(false), char(1, false), t.int(false)])).toBe('STRING');
    expect(call('split_index', [t.string(false), t.int(false), t.int(false)])).toBe('STRING');
    expect(call('split_index', [t.string(), t.string(), t.string()])).toBe('no match');
    expect(call('lpad', [t.string(false), t.int(false), char(1, false)])).toBe('STRING NOT NULL');
    expect(call('position', [char(1, false), t.string()])).toBe('INT');
    expect(call('char_length', [t.string(false)])).toBe('INT NOT NULL');
    expect(call('character_length', [t.int()])).toBe('no match');
    expect(call('right', [t.string(false), t.int(false)])).toBe('STRING');
  });

  it('positions, lengths and counts are at most INT: Flink plans a BIGINT there, but its generated code does not compile when the job starts', () => {
    const string = t.string(false);
    const calls: readonly (readonly [string, (n: SqlType) => SqlType[]])[] = [
      ['substring', (n) => [string, n]],
      ['substring', (n) => [string, t.int(false), n]],
      ['substr', (n) => [string, n, t.int(false)]],
      ['locate', (n) => [char(1, false), string, n]],
      ['split_index', (n) => [string, char(1, false), n]],
      ['split_index', (n) => [string, n, t.int(false)]],
      ['lpad', (n) => [string, n, char(1, false)]],
      ['rpad', (n) => [string, n, char(1, false)]],
      ['right', (n) => [string, n]],
      ['repeat', (n) => [string, n]],
    ];
    for (const [name, args] of calls) {
      expect(call(name, args(t.bigint(false))), `${name} with a BIGINT`).toBe('no match');
      for (const n of [t.tinyint(false), t.smallint(false), t.int(false)]) expect(call(name, args(n)), `${name} with ${n.kind}`).not.toBe('no match');
    }
  });

  it('uuid: CHAR(36), never NULL, no arguments', () => {
    expect(call('uuid', [])).toBe('CHAR(36) NOT NULL');
    expect(call('uuid', [t.string()])).toBe('no match');
  });

  it("from_base64: a literal is text Java's basic Base64 decoder takes (the table was run through java.util.Base64 on Java 17)", () => {
    const decode = (text: string): string => call('from_base64', [char(Math.max(text.length, 1), false)], { literalArgs: [text] });
    const decodes = ['', 'ab', 'abc', 'abcd', 'ab==', 'abc=', 'abcdef', 'abcdefg', 'abcdefg=', 'aGVsbG8=', 'aGVsbG8', 'aGVsbA==', 'ab+/'];
    const fails = ['a', 'ab=', 'abc==', 'a===', 'a=', '=', '==', 'abcd=', 'abcde', 'ab==cd', 'ab cd', 'ab-_', 'abcd\n', 'ab=x'];
    for (const text of decodes) expect(decode(text), text).toBe('STRING NOT NULL');
    for (const text of fails) {
      expect(decode(text), text).toBe("no match: `string` is not base64 that Java's decoder takes (units of four characters of A–Z, a–z, 0–9, + and /, the last one padded with = or not), so the job would fail at its first row");
    }
    // Text read from a column is not checked.
    expect(call('from_base64', [t.string()])).toBe('STRING');
  });
});

describe('hashing', () => {
  it('hex digests of strings as CHAR(n)', () => {
    expect(call('md5', [t.string(false)])).toBe('CHAR(32) NOT NULL');
    expect(call('sha256', [t.string()])).toBe('CHAR(64)');
    expect(call('sha2', [t.string(), t.int(false)], { literalArgs: [undefined, 256] })).toBe('VARCHAR(128)');
    expect(call('sha2', [t.string(), t.int(false)], { literalArgs: [undefined, 3] })).toBe("no match: `bits` must be 224 or 256 or 384 or 512, found 3");
    expect(call('sha256', [t.bytes()])).toBe('no match');
  });
});

describe('numbers', () => {
  it('abs and sign keep the type; sqrt, ln, power are DOUBLE', () => {
    expect(call('abs', [t.decimal(10, 2, false)])).toBe('DECIMAL(10, 2) NOT NULL');
    expect(call('sign', [t.int()])).toBe('INT');
    expect(call('sqrt', [t.int(false)])).toBe('DOUBLE NOT NULL');
    expect(call('power', [t.int(false), t.decimal(5, 1)])).toBe('DOUBLE');
    expect(call('log', [t.int(), t.double()])).toBe('DOUBLE');
    expect(call('abs', [t.string()])).toBe('no match');
  });

  it('round and truncate: DECIMAL scale from a literal (findRoundDecimalType)', () => {
    expect(call('round', [t.decimal(10, 4, false), t.int(false)], { literalArgs: [undefined, 2] })).toBe('DECIMAL(9, 2) NOT NULL');
    expect(call('round', [t.decimal(10, 4)])).toBe('DECIMAL(7, 0)');
    expect(call('round', [t.decimal(10, 4), t.int()], { literalArgs: [undefined, 6] })).toBe('DECIMAL(10, 4)');
    expect(call('round', [t.decimal(10, 4), t.int()])).toBe('DECIMAL(10, 4)');
    expect(call('truncate', [t.double(false), t.int(false)], { literalArgs: [undefined, 1] })).toBe('DOUBLE NOT NULL');
    expect(call('round', [t.string()])).toBe('no match');
  });

  it('floor and ceil: DECIMAL(p, s) → DECIMAL(p, 0)', () => {
    expect(call('floor', [t.decimal(10, 2)])).toBe('DECIMAL(10, 0)');
    expect(call('ceiling', [t.double(false)])).toBe('DOUBLE NOT NULL');
    expect(call('ceil', [t.timestamp(3)])).toBe('no match');
  });

  it("mod: exact numbers, the divisor's type", () => {
    expect(call('mod', [t.int(), t.bigint(false)])).toBe('BIGINT');
    expect(call('mod', [t.decimal(10, 2, false), t.int(false)])).toBe('DECIMAL(10, 2) NOT NULL');
    expect(call('mod', [t.decimal(10, 0), t.smallint(false)])).toBe('SMALLINT');
    expect(call('mod', [t.double(), t.int()])).toBe('no match');
  });

  it('rand and rand_integer: as nullable as their arguments (Flink 1.20 plans RAND(nullable INT) as DOUBLE)', () => {
    expect(call('rand', [])).toBe('DOUBLE NOT NULL');
    expect(call('rand', [t.int(false)])).toBe('DOUBLE NOT NULL');
    expect(call('rand', [t.int()])).toBe('DOUBLE');
    expect(call('rand_integer', [t.int(false), t.int(false)])).toBe('INT NOT NULL');
    expect(call('rand', [t.string()])).toBe('no match');
    // Flink types RAND_INTEGER of a nullable column as nullable.
    expect(call('rand_integer', [t.int(), t.int()])).toBe('INT');
  });
});

describe('date and time', () => {
  it('date_format of a timestamp: a literal pattern has no zone or offset letters and no letters DateTimeFormatter lacks, which fail the job at its first row', () => {
    const format = (pattern: string, value: SqlType = t.timestamp(3, false)): string => call('date_format', [value, char(pattern.length, false)], { literalArgs: [undefined, pattern] });
    for (const letter of ['V', 'v', 'z', 'O', 'X', 'x', 'Z']) {
      expect(format(`yyyy ${letter}`), letter).toBe(`no match: \`format\` formats a date-time without a time zone, so its pattern letter ${letter} (a zone or offset) would fail the job; quote it ('${letter}') to print the letter`);
      expect(format(`yyyy ${letter}`, t.timestampLtz(3, false)), `${letter} of a TIMESTAMP_LTZ`).toMatch(/^no match/);
    }
    expect(format("yyyy-MM-dd'T'HH:mm 'x'")).toBe('STRING');
    expect(format('a, EEE')).toBe('STRING');
    for (const letter of ['b', 'f', 'i', 'j', 'l', 'o', 'r', 't', 'C', 'I', 'J', 'P', 'R', 'T', 'U', '{', '#']) {
      expect(format(`yyyy ${letter}`), letter).toBe(`no match: \`format\` has the pattern letter ${letter}, which Java's DateTimeFormatter does not know, so the job would fail at its first row; quote it ('${letter}') to print the letter`);
    }
    expect(format("yyyy 'bt'")).toBe('STRING');
    expect(format("yyyy 'open")).toBe("no match: `format` opens quoted text with ' and does not close it, which Java's DateTimeFormatter refuses, so the job would fail at its first row; close it, or write '' for a quote");
    expect(format("yyyy 'it''s' ''")).toBe('STRING');
    // A timestamp string is formatted with a SimpleDateFormat, in the JVM's zone: zone letters print, others fail.
    expect(format('yyyy Z X z', t.string(false))).toBe('STRING');
    expect(format('yyyy {#}', t.string(false))).toBe('STRING');
    expect(format('yyyy e', t.string(false))).toBe("no match: `format` has the pattern letter e, which Java's SimpleDateFormat does not know, so the job would fail at its first row; quote it ('e') to print the letter");
  });

  // Letters Java 17's SimpleDateFormat refuses with "Illegal pattern character" (Flink 1.20 and 2.2 fail the job).
  const NOT_SIMPLE_DATE_FORMAT = ['b', 'c', 'e', 'f', 'g', 'i', 'j', 'l', 'n', 'o', 'p', 'q', 'r', 't', 'v', 'x', 'A', 'B', 'C', 'I', 'J', 'N', 'O', 'P', 'Q', 'R', 'T', 'U', 'V'];

  it('to_date, unix_timestamp, from_unixtime: a literal pattern has only letters SimpleDateFormat knows and no quote left open', () => {
    const cases: readonly (readonly [string, SqlType])[] = [['to_date', t.string(false)], ['unix_timestamp', t.string(false)], ['from_unixtime', t.bigint(false)]];
    for (const [name, value] of cases) {
      const format = (pattern: string): string => call(name, [value, char(pattern.length, false)], { literalArgs: [undefined, pattern] });
      expect(format("GyYMLwWDdFEuaHkKhmsSzZX 'b' ''"), name).not.toMatch(/^no match/);
      for (const letter of NOT_SIMPLE_DATE_FORMAT) {
        expect(format(`yyyy ${letter}`), `${name} ${letter}`).toBe(`no match: \`format\` has the pattern letter ${letter}, which Java's SimpleDateFormat does not know, so the job would fail at its first row; quote it ('${letter}') to print the letter`);
      }
      expect(format("yyyy-MM-dd 'T")).toBe("no match: `format` opens quoted text with ' and does not close it, which Java's SimpleDateFormat refuses, so the job would fail at its first row; close it, or write '' for a quote");
      // A pattern read from a column is not checked.
      expect(call(name, [value, t.string(false)]), name).not.toMatch(/^no match/);
    }
  });

  it('to_timestamp: a literal pattern has only letters DateTimeFormatter knows, no reserved character and no quote left open', () => {
    const format = (pattern: string): string => call('to_timestamp', [t.string(false), char(pattern.length, false)], { literalArgs: [undefined, pattern] });
    // Parsing may read zones and offsets.
    expect(format("uuuu-MM-dd'T'HH:mm:ss.SSS VV xxx [a]")).toBe('TIMESTAMP(3)');
    for (const letter of ['b', 't', 'C', 'I', 'J', 'P', 'R', 'T', 'U', '{', '}', '#']) {
      expect(format(`yyyy ${letter}`), letter).toBe(`no match: \`format\` has the pattern letter ${letter}, which Java's DateTimeFormatter does not know, so no string would parse: every result would be NULL; quote it ('${letter}') to print the letter`);
    }
    expect(format("yyyy 'at")).toMatch(/^no match: `format` opens quoted text with ' and does not close it, which Java's DateTimeFormatter refuses/);
  });

  it('current time functions', () => {
    expect(call('current_timestamp', [])).toBe('TIMESTAMP_LTZ(3) NOT NULL');
    expect(call('now', [])).toBe('TIMESTAMP_LTZ(3) NOT NULL');
    expect(call('localtimestamp', [])).toBe('TIMESTAMP(3) NOT NULL');
    expect(call('current_date', [])).toBe('DATE NOT NULL');
    expect(lookupFunction('current_timestamp')?.sqlForm).toBe('bare');
    expect(call('now', [t.int()])).toBe('no match');
    const proc = resolveCall('proctime', [], NONE);
    expect(proc.ok && proc.type).toEqual(proctime);
  });

  it('parsing and formatting', () => {
    expect(call('to_timestamp', [t.string(false)])).toBe('TIMESTAMP(3)');
    expect(call('to_timestamp', [t.string(false), char(10, false)])).toBe('TIMESTAMP(3)');
    expect(call('to_date', [t.string()])).toBe('DATE');
    expect(call('date_format', [t.timestampLtz(3, false), t.string(false)])).toBe('STRING');
    expect(call('date_format', [t.int(), t.string()])).toBe('no match');
    expect(call('unix_timestamp', [])).toBe('BIGINT NOT NULL');
    expect(call('unix_timestamp', [t.string(false)])).toBe('BIGINT NOT NULL');
    expect(call('from_unixtime', [t.bigint(false)])).toBe('STRING');
    expect(call('from_unixtime', [t.double()])).toBe('no match');
  });

  it('to_timestamp_ltz: the precision is the literal 0 or 3', () => {
    expect(call('to_timestamp_ltz', [t.bigint(false), t.int(false)], { literalArgs: [undefined, 3] })).toBe('TIMESTAMP_LTZ(3)');
    expect(call('to_timestamp_ltz', [t.bigint(false), t.int(false)], { literalArgs: [undefined, 6] })).toBe('no match: `precision` must be 0 or 3, found 6');
    expect(call('to_timestamp_ltz', [t.bigint(false), t.int(false)])).toBe('no match: `precision` must be a literal (0 or 3)');
  });

  it('records which overloads need Flink 2.2', () => {
    expect(call('to_timestamp_ltz', [t.bigint()])).toBe('TIMESTAMP_LTZ(3)');
    expect(call('to_timestamp_ltz', [t.bigint()], { version: '2.2' })).toBe('TIMESTAMP_LTZ(3)');
    expect(call('to_timestamp_ltz', [t.bigint()], { version: '1.20' })).toBe('no match: this form of to_timestamp_ltz needs Flink 2.2 or later; the project targets Flink 1.20');
    expect(call('to_timestamp_ltz', [t.string(), t.string()], { version: '1.20' })).toMatch(/needs Flink 2.2/);
    expect(call('to_timestamp_ltz', [t.bigint(), t.int()], { version: '1.20', literalArgs: [undefined, 0] })).toBe('TIMESTAMP_LTZ(3)');
  });

  it('date parts: BIGINT, from the right kind of value', () => {
    expect(call('year', [t.date(false)])).toBe('BIGINT NOT NULL');
    expect(call('dayofmonth', [t.timestampLtz(3)])).toBe('BIGINT');
    expect(call('hour', [rowtime()])).toBe('BIGINT NOT NULL');
    expect(call('hour', [t.date()])).toBe('no match');
    expect(call('month', [t.string()])).toBe('no match');
  });

  it('timestampdiff: a unit keyword, not a column', () => {
    expect(call('timestampdiff', [ERROR_TYPE, t.timestamp(3, false), t.timestamp(3, false)], { literalArgs: ['day'] })).toBe('INT NOT NULL');
    expect(call('timestampdiff', [ERROR_TYPE, t.date(), t.date(false)], { literalArgs: ['YEAR'] })).toBe('INT');
    expect(call('timestampdiff', [ERROR_TYPE, t.timestamp(3), t.timestamp(3)], { literalArgs: ['fortnight'] }))
      .toBe('no match: `unit` must be one of SECOND, MINUTE, HOUR, DAY, MONTH, YEAR');
    expect(call('timestampdiff', [ERROR_TYPE, t.string(), t.timestamp(3)], { literalArgs: ['day'] })).toBe('no match');
  });

  it('nullif: of an ARRAY only from Flink 2.2 (1.20 cannot type the CASE it becomes)', () => {
    const tags = t.array(t.string(), true);
    expect(call('nullif', [tags, tags], { version: '2.2' })).toBe('ARRAY<STRING>');
    expect(call('nullif', [tags, tags], { version: '1.20' })).toBe('no match: this form of nullif needs Flink 2.2 or later; the project targets Flink 1.20');
    expect(call('nullif', [t.map(t.string(false), t.bigint(), true), t.map(t.string(false), t.bigint(), true)], { version: '1.20' })).toBe('MAP<STRING NOT NULL, BIGINT>');
    expect(call('nullif', [t.int(false), t.int()], { version: '1.20' })).toBe('INT');
  });

  it('timestampdiff: a TIMESTAMP_LTZ only beside another one (Flink refuses the mix when it generates code)', () => {
    const day = { literalArgs: ['day'] };
    expect(call('timestampdiff', [ERROR_TYPE, t.timestampLtz(3, false), t.timestampLtz(6, false)], day)).toBe('INT NOT NULL');
    expect(call('timestampdiff', [ERROR_TYPE, t.date(false), t.timestamp(3, false)], day)).toBe('INT NOT NULL');
    expect(call('timestampdiff', [ERROR_TYPE, t.timestampLtz(3), t.timestamp(3)], day)).toBe('no match');
    expect(call('timestampdiff', [ERROR_TYPE, t.timestamp(3), t.timestampLtz(3)], day)).toBe('no match');
    expect(call('timestampdiff', [ERROR_TYPE, t.date(), t.timestampLtz(3)], day)).toBe('no match');
  });

  it('current_watermark: needs a time attribute, gives precision 3', () => {
    expect(call('current_watermark', [rowtime('TIMESTAMP_LTZ')])).toBe('TIMESTAMP_LTZ(3)');
    expect(call('current_watermark', [t.timestamp(3)])).toMatch(/^no match: `rowtime` must be a time attribute/);
  });
});

describe('JSON', () => {
  it('extracts strings from strings', () => {
    expect(call('json_value', [t.string(false), char(5, false)])).toBe('STRING');
    expect(call('json_query', [t.string(), t.string()])).toBe('STRING');
    expect(call('json_exists', [t.string(false), t.string(false)], { literalArgs: [undefined, '$.a'] })).toBe('BOOLEAN');
    expect(call('json_exists', [t.string(false), t.string(false)])).toBe('no match: `path` must be a literal');
    expect(call('json_value', [t.int(), t.string()])).toBe('no match');
  });
});

describe('collections', () => {
  it('cardinality, element, array_contains, map_keys, map_values', () => {
    expect(call('cardinality', [t.array(t.int(), false)])).toBe('INT NOT NULL');
    expect(call('cardinality', [t.map(t.string(), t.int())])).toBe('INT');
    expect(call('cardinality', [t.string()])).toBe('no match');
    expect(call('element', [t.array(t.int(false), false)])).toBe('INT');
    expect(call('array_contains', [t.array(t.bigint(), false), t.int(false)])).toBe('BOOLEAN NOT NULL');
    expect(call('array_contains', [t.array(t.bigint()), t.int()])).toBe('BOOLEAN');
    expect(call('array_contains', [t.array(t.int()), t.string()])).toBe('no match');
    expect(call('array_contains', [t.string(), t.string()])).toBe('no match');
    expect(call('map_keys', [t.map(t.string(false), t.int(), false)])).toBe('ARRAY<STRING NOT NULL> NOT NULL');
    expect(call('map_values', [t.map(t.string(false), t.int())])).toBe('ARRAY<INT>');
    expect(call('map_keys', [t.array(t.int())])).toBe('no match');
  });
});

describe('aggregates', () => {
  it('count: BIGINT NOT NULL, with * and DISTINCT', () => {
    expect(call('count', [], { star: true })).toBe('BIGINT NOT NULL');
    expect(call('count', [t.string()])).toBe('BIGINT NOT NULL');
    expect(call('count', [t.string()], { distinct: true })).toBe('BIGINT NOT NULL');
    // Flink finds no streaming plan for COUNT of several arguments.
    expect(call('count', [t.string(), t.int()], { distinct: true })).toBe('no match');
    expect(call('count', [])).toBe('no match');
  });

  it('sum and avg keep integer types; DECIMAL widens to 38 digits', () => {
    expect(call('sum', [t.int(false)])).toBe('INT NOT NULL');
    expect(call('sum', [t.int(false)], { global: true })).toBe('INT');
    expect(call('sum', [t.tinyint()])).toBe('TINYINT');
    expect(call('sum', [t.decimal(10, 2, false)])).toBe('DECIMAL(38, 2) NOT NULL');
    expect(call('avg', [t.int(false)])).toBe('INT NOT NULL');
    expect(call('avg', [t.double()])).toBe('DOUBLE');
    expect(call('avg', [t.decimal(10, 2)])).toBe('DECIMAL(38, 6)');
    expect(call('avg', [t.decimal(20, 8)], { distinct: true })).toBe('DECIMAL(38, 8)');
    expect(call('sum', [t.string()])).toBe('no match');
    expect(call('sum', [rowtime()])).toBe('no match');
  });

  it('min, max, first_value, last_value: the argument type, without time attribute', () => {
    expect(call('min', [t.string(false)])).toBe('STRING NOT NULL');
    expect(call('max', [t.boolean()])).toBe('BOOLEAN');
    const maxTime = resolveCall('max', [rowtime()], NONE);
    expect(maxTime.ok && maxTime.type).toEqual({ kind: 'TIMESTAMP', precision: 3, nullable: false });
    expect(call('first_value', [t.decimal(12, 2)])).toBe('DECIMAL(12, 2)');
    // Flink implements FIRST_VALUE / LAST_VALUE for numbers, booleans and strings only.
    expect(call('first_value', [t.row([{ name: 'a', type: t.int() }])])).toBe('no match');
    expect(call('last_value', [t.timestamp(3)])).toBe('no match');
    expect(call('min', [t.array(t.int())])).toBe('no match');
    expect(call('max', [t.bytes()])).toBe('no match');
  });

  it('listagg: separator is a string literal', () => {
    expect(call('listagg', [t.string(false), char(1, false)], { literalArgs: [undefined, ';'] })).toBe('STRING');
    expect(call('listagg', [t.string(false)])).toBe('STRING');
    expect(call('listagg', [t.string(), t.string()])).toBe('no match: `separator` must be a literal');
    expect(call('listagg', [t.int()])).toBe('no match');
  });

  it('collect, array_agg, stddev and variance', () => {
    expect(call('collect', [t.int()])).toBe('MULTISET<INT> NOT NULL');
    expect(call('array_agg', [t.string(false)], { distinct: true })).toBe('ARRAY<STRING NOT NULL>');
    expect(call('stddev_pop', [t.double(false)])).toBe('DOUBLE NOT NULL');
    expect(call('stddev_samp', [t.double(false)])).toBe('DOUBLE');
    expect(call('var_samp', [t.int(false)])).toBe('INT');
    expect(call('var_pop', [t.string()])).toBe('no match');
  });

  it('refuses DISTINCT and * where Flink does', () => {
    expect(call('upper', [t.string()], { distinct: true })).toBe('no match: DISTINCT is only allowed in aggregate functions');
    expect(call('first_value', [t.int()], { distinct: true })).toBe('no match: first_value does not take DISTINCT');
    expect(call('sum', [], { star: true })).toBe('no match: `*` is only allowed in count(*)');
  });
});

describe('window table functions', () => {
  const windowColumns = (time: SqlType): SqlType => t.row([
    { name: 'window_start', type: t.timestamp(3, false) },
    { name: 'window_end', type: t.timestamp(3, false) },
    { name: 'window_time', type: time },
  ], false);

  it('take a time attribute and durations, and add the window columns', () => {
    const tumble = resolveCall('tumbling', [rowtime(), dayTime()], NONE);
    expect(tumble).toMatchObject({ ok: true, name: 'tumble', type: windowColumns(rowtime()) });
    expect(call('hop', [rowtime('TIMESTAMP_LTZ'), dayTime(), dayTime()])).toBe('ROW<`window_start` TIMESTAMP(3) NOT NULL, `window_end` TIMESTAMP(3) NOT NULL, `window_time` TIMESTAMP_LTZ(3) NOT NULL> NOT NULL');
    expect(call('cumulate', [proctime, dayTime(), dayTime(), dayTime()])).toMatch(/^ROW</);
    expect(call('session', [rowtime(), dayTime()])).toMatch(/^ROW</);
  });

  it('refuse plain timestamps, month intervals and missing sizes', () => {
    expect(call('tumble', [t.timestamp(3, false), dayTime()])).toMatch(/^no match: `time_col` must be a time attribute/);
    expect(call('tumble', [rowtime(), yearMonth()])).toBe('no match');
    expect(call('hop', [rowtime(), dayTime()])).toBe('no match');
    expect(call('session', [rowtime(), dayTime(), dayTime()])).toBe('no match');
  });
});

describe('the table', () => {
  const entries = Object.entries(STD) as [string, FunctionEntry][];

  it.each(entries.map(([name, entry]) => ({ name, entry })))('$name is well-formed', ({ name, entry }) => {
    expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(entry.flinkName).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(entry.doc).toMatch(/\.$/);
    expect(entry.overloads.length).toBeGreaterThan(0);
    // `since` is only written when newer than the oldest line.
    if (entry.since) expect(FLINK_LINE_NAMES.slice(1)).toContain(entry.since);
    expect(entry.kind === 'aggregate').toBe(entry.category === 'aggregate');
    expect(entry.kind === 'window-table').toBe(entry.category === 'window');
    for (const overload of [...entry.overloads, ...(entry.star ? [entry.star] : [])]) {
      const params = overload.params;
      params.forEach((param, i) => {
        // Variadic only last; optional parameters only before it, and nothing required after an optional one.
        if (param.variadic) expect(i).toBe(params.length - 1);
        if (param.optional) expect(params.slice(i + 1).every((q) => q.optional || q.variadic)).toBe(true);
        if ('param' in param.type) expect(param.type.param).toBeLessThan(params.length);
      });
      if (overload.since) expect(lineAtLeast(overload.since, firstLine(entry))).toBe(true);
      if ('param' in overload.result) expect(overload.result.param).toBeLessThan(params.length);
    }
    // Every function accepts its own first signature with plausible arguments or says why not.
    expect(lookupFunction(name.toUpperCase())).toBe(entry);
  });

  it('has no spelling twice, and no not-provided name that it provides', () => {
    const spellings = entries.flatMap(([name, entry]) => [name, ...(entry.aliases ?? [])]);
    expect(new Set(spellings).size).toBe(spellings.length);
    for (const name of Object.keys(NOT_PROVIDED)) expect(spellings).not.toContain(name);
  });
});
