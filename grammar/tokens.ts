/**
 * The .pipe vocabulary. Keywords are case-insensitive. Reserved words (SQL's core plus the statement
 * starters) can never be names; soft keywords belong to the `Name` category, so a column may be called
 * `key`, `format` or `time` and the grammar still reads `format avro` as a clause.
 */
import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';

/**
 * Matches a quoted token — `'…'` strings, `` `…` `` names, where a doubled quote stands for one — by scanning
 * rather than by a regex: `'(?:[^']|'')*'` backtracks one frame per character or escape and overflows the
 * stack on long input. `closed: false` matches an unterminated one (to the end of the file), which the
 * lexer tries only after the closed form failed.
 */
function quoted(quote: string, closed: boolean): CustomPatternMatcherFunc {
  return (text, offset) => {
    if (text[offset] !== quote) return null;
    for (let from = offset + 1; ; ) {
      const next = text.indexOf(quote, from);
      if (next < 0) return closed ? null : [text.slice(offset)];
      if (text[next + 1] !== quote) return closed ? [text.slice(offset, next + 1)] : null;
      from = next + 2;
    }
  };
}

export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name], label: 'a name' });
export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier',
  pattern: { exec: quoted('`', true) },
  start_chars_hint: ['`'],
  line_breaks: true,
  categories: [Name],
  label: 'a quoted name',
});

/** A keyword has no pattern of its own: the lexer reads it as an Identifier and looks the word up (KEYWORD_TOKENS). */
function keyword(word: string, categories: TokenType[] = []): TokenType {
  return createToken({ name: word.toUpperCase(), pattern: Lexer.NA, categories, label: `\`${word}\`` });
}
const reserved = (word: string): TokenType => keyword(word);
const soft = (word: string): TokenType => keyword(word, [Name]);

// ── reserved ──────────────────────────────────────────────────────────────────────────────────────
export const Pipeline = reserved('pipeline');
export const Import = reserved('import');
export const Source = reserved('source');
export const Stream = reserved('stream');
export const Sink = reserved('sink');
export const From = reserved('from');
export const Into = reserved('into');
export const With = reserved('with');
export const As = reserved('as');
export const Select = reserved('select');
export const Distinct = reserved('distinct');
export const Where = reserved('where');
export const Group = reserved('group');
export const By = reserved('by');
export const Having = reserved('having');
export const Join = reserved('join');
export const Inner = reserved('inner');
export const Left = reserved('left');
export const Outer = reserved('outer');
export const Cross = reserved('cross');
export const On = reserved('on');
export const Union = reserved('union');
export const All = reserved('all');
export const And = reserved('and');
export const Or = reserved('or');
export const Not = reserved('not');
export const In = reserved('in');
export const Is = reserved('is');
export const Null = reserved('null');
export const True = reserved('true');
export const False = reserved('false');
export const Case = reserved('case');
export const When = reserved('when');
export const Then = reserved('then');
export const Else = reserved('else');
export const End = reserved('end');
export const Cast = reserved('cast');
export const TryCast = reserved('try_cast');
export const Interval = reserved('interval');
export const Between = reserved('between');
export const Like = reserved('like');
export const Window = reserved('window');
export const Unnest = reserved('unnest');
export const Order = reserved('order');
export const For = reserved('for');

// ── soft keywords (also valid as names) ───────────────────────────────────────────────────────────
export const Owner = soft('owner');
export const Description = soft('description');
export const Format = soft('format');
export const Key = soft('key');
export const Subject = soft('subject');
export const Version = soft('version');
export const Event = soft('event');
export const Time = soft('time');
export const Watermark = soft('watermark');
export const Processing = soft('processing');
export const Primary = soft('primary');
export const Startup = soft('startup');
export const Metadata = soft('metadata');
export const Via = soft('via');
export const Connection = soft('connection');
export const Upsert = soft('upsert');
export const Partitions = soft('partitions');
export const Replication = soft('replication');
export const Retention = soft('retention');
export const Delivery = soft('delivery');
export const Dedupe = soft('dedupe');
export const Keep = soft('keep');
export const First = soft('first');
export const Last = soft('last');
export const Top = soft('top');
export const Per = soft('per');
export const Of = soft('of');
export const SystemTime = soft('system_time');
export const Timestamp = soft('timestamp');
export const TimestampLtz = soft('timestamp_ltz');
export const Date = soft('date');
export const Asc = soft('asc');
export const Desc = soft('desc');
export const To = soft('to');
export const Array = soft('array');
export const Map = soft('map');
export const Row = soft('row');
export const Multiset = soft('multiset');
export const Error = soft('error');
export const Dead = soft('dead');
export const Letter = soft('letter');
export const Expect = soft('expect');

// ── literals ──────────────────────────────────────────────────────────────────────────────────────
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: { exec: quoted("'", true) }, start_chars_hint: ["'"], line_breaks: true, label: 'a string' });
/**
 * `"text"`: a string in SQL's other quotes, a common slip. Read as a string so the rest of the file parses as
 * meant; the lexer reports it (unexpected-character, with the single-quote hint) once for the whole literal.
 */
export const DoubleQuotedString = createToken({
  name: 'DoubleQuotedString', pattern: { exec: quoted('"', true) }, start_chars_hint: ['"'], categories: [StringLiteral], line_breaks: true, label: 'a string',
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: 'a number',
});

// ── punctuation and operators ─────────────────────────────────────────────────────────────────────
export const LParen = createToken({ name: 'LParen', pattern: '(', label: '`(`' });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: '`)`' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: '`[`' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: '`]`' });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: '`,`' });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: '`:`' });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';', label: '`;`' });
export const Dot = createToken({ name: 'Dot', pattern: '.', label: '`.`' });
export const Concat = createToken({ name: 'Concat', pattern: '||', label: '`||`' });
export const NotEquals = createToken({ name: 'NotEquals', pattern: /<>|!=/, label: '`<>`' });
export const LessEquals = createToken({ name: 'LessEquals', pattern: '<=', label: '`<=`' });
export const GreaterEquals = createToken({ name: 'GreaterEquals', pattern: '>=', label: '`>=`' });
export const Less = createToken({ name: 'Less', pattern: '<', label: '`<`' });
export const Greater = createToken({ name: 'Greater', pattern: '>', label: '`>`' });
export const Equals = createToken({ name: 'Equals', pattern: '=', label: '`=`' });
export const Plus = createToken({ name: 'Plus', pattern: '+', label: '`+`' });
export const Minus = createToken({ name: 'Minus', pattern: '-', label: '`-`' });
export const Star = createToken({ name: 'Star', pattern: '*', label: '`*`' });
export const Slash = createToken({ name: 'Slash', pattern: '/', label: '`/`' });
export const Percent = createToken({ name: 'Percent', pattern: '%', label: '`%`' });

// ── trivia and lexical errors ─────────────────────────────────────────────────────────────────────
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\uFEFF]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
/** Matched only when the closed forms above fail, so each becomes one precise diagnostic. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, group: 'errors', line_breaks: true });
export const UnterminatedString = createToken({
  name: 'UnterminatedString', pattern: { exec: quoted("'", false) }, start_chars_hint: ["'"], group: 'errors', line_breaks: true,
});
export const UnterminatedIdentifier = createToken({
  name: 'UnterminatedIdentifier', pattern: { exec: quoted('`', false) }, start_chars_hint: ['`'], group: 'errors', line_breaks: true,
});

const reservedWords = [
  Pipeline, Import, Source, Stream, Sink, From, Into, With, As, Select, Distinct, Where, Group, By, Having,
  Join, Inner, Left, Outer, Cross, On, Union, All, And, Or, Not, In, Is, Null, True, False, Case, When, Then,
  Else, End, Cast, TryCast, Interval, Between, Like, Window, Unnest, Order, For,
];
const softWords = [
  Owner, Description, Format, Key, Subject, Version, Event, Time, Watermark, Processing, Primary, Startup,
  Metadata, Via, Connection, Upsert, Partitions, Replication, Retention, Delivery, Dedupe, Keep, First, Last,
  Top, Per, Of, SystemTime, TimestampLtz, Timestamp, Date, Asc, Desc, To, Array, Map, Row, Multiset, Error, Dead,
  Letter, Expect,
];

/** Reserved words, for messages such as "`select` is reserved; quote it as a name: `select`". */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(reservedWords.map((t) => t.name.toLowerCase()));
export const KEYWORDS: readonly string[] = [...reservedWords, ...softWords].map((t) => t.name.toLowerCase());

/**
 * Each keyword's token type by its lower-case spelling. A word is a keyword when the whole word is one, in any
 * case (`select`, `SELECT`; `selected` and `asc_x` are names): the lexer matches the word as an Identifier and
 * retypes it from this table, one lookup per word instead of trying a regex for every keyword it might start.
 */
export const KEYWORD_TOKENS: ReadonlyMap<string, TokenType> = new globalThis.Map([...reservedWords, ...softWords].map((t) => [t.name.toLowerCase(), t]));

/** What the lexer matches. Order matters: comments before `-` and `/`, closed forms before their unterminated fallbacks. */
export const lexerTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnterminatedComment,
  StringLiteral, DoubleQuotedString, UnterminatedString, QuotedIdentifier, UnterminatedIdentifier, NumberLiteral,
  Identifier, Name,
  LParen, RParen, LBracket, RBracket, Comma, Colon, Semicolon, Dot, Concat,
  NotEquals, LessEquals, GreaterEquals, Less, Greater, Equals, Plus, Minus, Star, Slash, Percent,
];

/** The parser's vocabulary: what the lexer matches and the keywords it finds among the words. */
export const allTokens: TokenType[] = [...lexerTokens, ...reservedWords, ...softWords];
