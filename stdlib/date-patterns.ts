/**
 * Date-time patterns Flink reads at run time, with the Java class that reads them. A pattern that class refuses
 * makes every call fail, so a literal one is refused at compile time (a pattern read from a column is not checked).
 * Which class reads which function's pattern, and what it refuses, was read off Flink 1.20 and 2.2's DateTimeUtils
 * (the methods their code generation calls) on Java 17; what a refused pattern does to a job, off jobs on both lines.
 */

export type DatePatternKind =
  /**
   * java.time DateTimeFormatter formatting a date-time without a zone (DATE_FORMAT of a timestamp): zone and offset
   * letters fail too ("Unable to extract ZoneId", "Unsupported field: OffsetSeconds"). Both lines fail the job.
   */
  | 'zoneless-formatter'
  /** java.time DateTimeFormatter parsing (TO_TIMESTAMP): the job runs and every call answers NULL, on both lines. */
  | 'parsing-formatter'
  /** java.text.SimpleDateFormat (TO_DATE, UNIX_TIMESTAMP, FROM_UNIXTIME, DATE_FORMAT of a string): both lines fail the job. */
  | 'simple-date-format';

interface Reader {
  readonly className: string;
  /** The letters it reads as fields; any other ASCII letter outside quotes is refused. */
  readonly letters: ReadonlySet<string>;
  /** Characters other than letters it refuses outside quotes ("Pattern includes reserved character"). */
  readonly reserved: ReadonlySet<string>;
  /** What a refused pattern does to the job. */
  readonly outcome: string;
}

// 'g' (modified Julian day) is left out: newer Javas know it, Java 11, which Flink also runs on, does not.
const DATE_TIME_FORMATTER = { className: 'DateTimeFormatter', letters: new Set('GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZp'), reserved: new Set('{}#') };

const READERS: Readonly<Record<DatePatternKind, Reader>> = {
  'zoneless-formatter': { ...DATE_TIME_FORMATTER, outcome: 'the job would fail at its first row' },
  'parsing-formatter': { ...DATE_TIME_FORMATTER, outcome: 'no string would parse: every result would be NULL' },
  'simple-date-format': { className: 'SimpleDateFormat', letters: new Set('GyYMLwWDdFEuaHkKhmsSzZX'), reserved: new Set(), outcome: 'the job would fail at its first row' },
};

/** Offset and zone letters of DateTimeFormatter: they need a zone the formatted date-time does not have. */
const ZONE_LETTERS = new Set('VvzOXxZ');

type DatePatternProblem =
  | { readonly kind: 'zone' | 'unknown'; readonly letter: string }
  | { readonly kind: 'unterminated' };

/** The diagnostic's sentence when the literal pattern argument `param`, read by `kind`, would be refused. */
export function datePatternLiteralProblem(param: string, pattern: string, kind: DatePatternKind): string | undefined {
  const problem = firstProblem(pattern, kind);
  return problem === undefined ? undefined : message(param, kind, problem);
}

/** The first thing in `pattern`, outside quoted text, that the reader of `kind` refuses. */
function firstProblem(pattern: string, kind: DatePatternKind): DatePatternProblem | undefined {
  const reader = READERS[kind];
  let quoted = false;
  for (const c of pattern) {
    // '' is a quote, in quoted text or not: it toggles twice.
    if (c === "'") quoted = !quoted;
    else if (quoted || !(/[A-Za-z]/.test(c) || reader.reserved.has(c))) continue;
    else if (kind === 'zoneless-formatter' && ZONE_LETTERS.has(c)) return { kind: 'zone', letter: c };
    else if (!reader.letters.has(c)) return { kind: 'unknown', letter: c };
  }
  return quoted ? { kind: 'unterminated' } : undefined;
}

function message(param: string, kind: DatePatternKind, problem: DatePatternProblem): string {
  const reader = READERS[kind];
  switch (problem.kind) {
    case 'zone':
      return `\`${param}\` formats a date-time without a time zone, so its pattern letter ${problem.letter} (a zone or offset) would fail the job; quote it ('${problem.letter}') to print the letter`;
    case 'unknown':
      return `\`${param}\` has the pattern letter ${problem.letter}, which Java's ${reader.className} does not know, so ${reader.outcome}; quote it ('${problem.letter}') to print the letter`;
    case 'unterminated':
      return `\`${param}\` opens quoted text with ' and does not close it, which Java's ${reader.className} refuses, so ${reader.outcome}; close it, or write '' for a quote`;
  }
}
