/**
 * Inputs no one writes on purpose: `parse` answers each with diagnostics whose spans lie inside the file,
 * never with an exception. (The driver refuses binary and over-large files before parsing; the parser must
 * still survive them, e.g. from an editor or `pipec fmt` on stdin.)
 */
import { describe, expect, test } from 'vitest';
import { MAX_NESTING, parse, type ParsedFile } from '../../../compiler/ast/parse.ts';

const TEN_MB = 10 * 1024 * 1024;

function parsed(text: string): ParsedFile {
  return parse({ path: 'bad.pipe', text });
}

/** Parses, and checks every diagnostic has a span inside the file; returns the codes. */
function codes(text: string): string[] {
  const result = parsed(text);
  const outside = result.diagnostics.filter((d) => !d.span || d.span.start < 0 || d.span.start > d.span.end || d.span.end > text.length);
  expect(outside.map((d) => `${d.code} ${JSON.stringify(d.span)}`)).toEqual([]);
  return result.diagnostics.map((d) => d.code);
}

/** Deterministic pseudo-random bytes, so a failure reproduces. */
function bytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('empty and blank files', () => {
  test('an empty file is an empty library: no statements, no diagnostics', () => {
    const result = parsed('');
    expect(result.diagnostics).toEqual([]);
    expect(result.ast).toMatchObject({ kind: 'PipeFile', pipeline: undefined, statements: [] });
  });

  test('whitespace and comments only', () => {
    expect(codes(' \n\t\r\n\uFEFF')).toEqual([]);
    expect(codes('-- nothing here\n/* or here */')).toEqual([]);
  });
});

describe('binary garbage', () => {
  test('random bytes, including NUL, read as UTF-8 and as Latin-1', () => {
    const raw = bytes(64 * 1024);
    expect(raw.includes(0)).toBe(true);
    expect(codes(new TextDecoder('utf-8').decode(raw))).toContain('unexpected-character');
    expect(codes(new TextDecoder('latin1').decode(raw))).toContain('unexpected-character');
  });

  test('NUL bytes inside an otherwise valid file', () => {
    expect(codes("source p from kafka topic 'p';\u0000\u0000\nstream s as select a from p;")).toEqual(['unexpected-character']);
  });
});

// Random bytes stay at 64 KB above: every unexpected character costs chevrotain's lexer ~0.1 ms (10 MB of them
// take ~40 s), and the driver refuses binary files before parsing anyway.
describe('10 MB files', { timeout: 60_000 }, () => {
  test('one huge comment after a valid statement', () => {
    expect(codes(`source p from kafka topic 'p';\n/*${'x'.repeat(TEN_MB)}*/\n`)).toEqual([]);
  });

  test('an unterminated string running to the end of the file', () => {
    expect(codes(`source p from kafka topic '${'x'.repeat(TEN_MB)}`)).toContain('unterminated-string');
  });

  test('strings and names made of escaped quotes', () => {
    expect(codes(`stream s as select '${"''".repeat(TEN_MB / 2)}' as q from t;`)).toEqual([]);
    expect(codes(`stream s as select \`${'``'.repeat(TEN_MB / 2)}\` from t;`)).toEqual([]);
  });

  test('a name 10 MB long', () => {
    expect(codes(`stream ${'a'.repeat(TEN_MB)} as select 1 from t;`)).toEqual([]);
  });
});

describe('unterminated strings, names and comments', () => {
  test.each([
    ["source p from kafka topic 'payments", 'unterminated-string'],
    ["stream s as select 'it''s from t;", 'unterminated-string'],
    ["'", 'unterminated-string'],
    ['stream s as select `amount from t;', 'unterminated-identifier'],
    ['`', 'unterminated-identifier'],
    ["source p from kafka topic 'p';\n/* never closed\nsink p into kafka topic 'q';", 'unterminated-comment'],
    ['/*', 'unterminated-comment'],
    ['/* /* nested is not a thing */ */', 'syntax-error'],
  ])('%j reports %s', (text, code) => {
    expect(codes(text)).toContain(code);
  });
});

describe('10,000-deep nesting is refused with a diagnostic, not a stack overflow', () => {
  const deep = 10_000;
  test.each([
    ['parentheses', `stream s as select ${'('.repeat(deep)}a${')'.repeat(deep)} from t;`],
    ['unclosed parentheses', `stream s as select ${'('.repeat(deep)}`],
    ['brackets', `stream s as select a${'[a'.repeat(deep)}${']'.repeat(deep)} from t;`],
    ['CASE', `stream s as select ${'case when a then '.repeat(deep)}b${' end'.repeat(deep)} from t;`],
    ['not', `stream s as select ${'not '.repeat(deep)}a from t;`],
    ['unary minus', `stream s as select ${'- '.repeat(deep)}a from t;`],
    ['type brackets', `stream s as select cast(a as ${'array<'.repeat(deep)}int${'>'.repeat(deep)}) from t;`],
    ['subqueries', `stream s as select a from ${'(select a from '.repeat(deep)}t${')'.repeat(deep)};`],
  ])('%s', (_name, text) => {
    expect(codes(text)).toEqual(['nesting-too-deep']);
  });

  // The limit must be safe for each construct, not only refused above it: the parser recurses deepest per
  // level of parentheses, and a too-high limit once let 160 levels overflow the stack.
  const n = MAX_NESTING;
  test.each([
    ['parentheses', `stream s as select ${'('.repeat(n)}a${')'.repeat(n)} from t;`],
    ['signs and parentheses', `stream s as select ${'-('.repeat(n)}a${')'.repeat(n)} from t;`],
    ['brackets', `stream s as select a${'[a'.repeat(n)}${']'.repeat(n)} from t;`],
    ['CASE', `stream s as select ${'case when a then '.repeat(n)}b${' end'.repeat(n)} from t;`],
    ['not', `stream s as select ${'not '.repeat(n)}a from t;`],
    ['type brackets', `stream s as select cast(a as ${'array<'.repeat(n - 1)}int${'>'.repeat(n - 1)}) from t;`],
    ['subqueries', `stream s as select a from ${'(select a from '.repeat(n)}t${')'.repeat(n)};`],
    ['all of them', `stream s as select ${'(case when not -a[('.repeat(n / 8)}1${')] then 1 end)'.repeat(n / 8)} from t;`],
  ])('MAX_NESTING levels of %s parse', (_name, text) => {
    expect(codes(text)).toEqual([]);
  });

  test('one level more is refused', () => {
    expect(codes(`stream s as select ${'('.repeat(n + 1)}a${')'.repeat(n + 1)} from t;`)).toEqual(['nesting-too-deep']);
  });

  test('comparisons are not nesting: a file with thousands of `<` parses', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `stream s${i} as select a from t where a < ${i};`).join('\n');
    expect(codes(text)).toEqual([]);
  });
});

describe('long flat chains are not nesting, and parse', () => {
  const many = 10_000;
  test.each([
    ['a + b + …', `stream s as select ${Array.from({ length: many }, (_, i) => `a${i}`).join(' + ')} from t;`],
    ['a and b and …', `stream s as select a from t where ${Array.from({ length: many }, (_, i) => `a${i}`).join(' and ')};`],
    ['a.b.b…', `stream s as select a${'.b'.repeat(many)} from t;`],
    ['a[1][1]…', `stream s as select a${'[1]'.repeat(many)} from t;`],
    ['many select items', `stream s as select ${Array.from({ length: many }, (_, i) => `a${i}`).join(', ')} from t;`],
  ])('%s', (_name, text) => {
    expect(codes(text)).toEqual([]);
  });
});
