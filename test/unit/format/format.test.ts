/**
 * `pipec fmt`: idempotent, keeps every comment (same count, text and order), never changes the AST (modulo
 * spans and quoting), and prints the canonical layout. Runs over every example, every `pipe` block of
 * docs/language.md and the hard cases in corpus/.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_NESTING, parse } from '../../../compiler/ast/parse.ts';
import { lex } from '../../../grammar/lexer.ts';
import { format, formatSource } from '../../../compiler/format/format.ts';
import { astDifference, commentTexts, differenceModuloLayout } from '../../../compiler/format/equivalence.ts';
import { InternalCompilerError } from '../../../compiler/util/invariant.ts';
import type { PipeFile } from '../../../compiler/ast/nodes.ts';
import { expressionTree, ident, span } from './expression-arbitrary.ts';

const root = new URL('../../../', import.meta.url);
const read = (relative: string): string => readFileSync(new URL(relative, root), 'utf8');
const pipeFilesUnder = (dir: string): string[] =>
  readdirSync(new URL(dir, root), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pipe'))
    .map((f) => `${dir}${f}`)
    .sort();

const examples = pipeFilesUnder('examples/');
const corpus = pipeFilesUnder('test/unit/format/corpus/');
const docBlocks = [...read('docs/language.md').matchAll(/```pipe\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** Formats `text`, failing the test on syntax errors. */
function fmt(text: string, path = 'test.pipe'): string {
  const result = formatSource({ path, text });
  if (!result.ok) throw new Error(`syntax errors: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.text;
}

/** The properties every formatted file has. */
function expectWellFormatted(path: string, text: string): void {
  const once = fmt(text, path);
  expect(fmt(once, path), 'idempotent').toBe(once);
  const before = parse({ path, text });
  const after = parse({ path, text: once });
  expect(commentTexts(after), 'comments kept').toEqual(commentTexts(before));
  expect(differenceModuloLayout(before, after), 'same AST').toBeUndefined();
  expect(once.split('\n').filter((l) => /\s$/.test(l)), 'no trailing whitespace').toEqual([]);
}

describe('over every example, doc snippet and corpus file', () => {
  test('examples exist', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  test.each(examples)('%s', (path) => {
    expectWellFormatted(path, read(path));
  });

  test.each(corpus)('%s', (path) => {
    expectWellFormatted(path, read(path));
  });

  test.each(docBlocks.map((text, i) => [i + 1, text] as const))('docs/language.md example %i is already formatted', (_i, text) => {
    expect(fmt(text)).toBe(text);
  });
});

describe('canonical style', () => {
  test('lower-case keywords, single spaces, a short stream on one line', () => {
    expect(fmt('STREAM  s AS\nSELECT   A,B FROM T WHERE A IS NOT NULL;')).toBe('stream s as select A, B from T where A is not null;\n');
  });

  test('sources and sinks: one clause per line, a blank line between statements', () => {
    expect(fmt("source p from kafka topic 'p' format avro event time ts watermark 5 s; sink p into kafka topic 'q' format json key (id);")).toBe(
      "source p from kafka topic 'p'\n  format avro\n  event time ts watermark 5 s;\n\nsink p into kafka topic 'q'\n  format json\n  key (id);\n",
    );
  });

  test('pipeline header: one line per part, settings broken when long', () => {
    expect(fmt("pipeline p owner 'o' with (parallelism = 2);")).toBe("pipeline p\n  owner 'o'\n  with (parallelism = 2);\n");
    expect(fmt('pipeline p with (parallelism = 4, checkpoint = 30 s, state_ttl = 7 d, startup = earliest, delivery = exactly_once, mini_batch = true);')).toBe(
      'pipeline p\n  with (\n    parallelism = 4,\n    checkpoint = 30 s,\n    state_ttl = 7 d,\n    startup = earliest,\n    delivery = exactly_once,\n    mini_batch = true\n  );\n',
    );
  });

  test('names are quoted only when they must be; backquotes doubled', () => {
    expect(fmt('stream s as select `select`, `a b`, `it``s`, key, `Key`, `plain` from `from` as `key` join u as time on key.a = time.a;')).toBe(
      'stream s as\n  select `select`, `a b`, `it``s`, key, Key, plain\n  from `from` as key\n  join u as time on key.a = time.a;\n',
    );
  });

  test('strings keep doubled quotes', () => {
    expect(fmt("stream s as select 'it''s', '' from t;")).toBe("stream s as select 'it''s', '' from t;\n");
  });

  test('one spelling for each synonym', () => {
    expect(fmt('stream s as select a != b from t left outer join u on t.a = u.a inner join v on t.a = v.a;')).toBe(
      'stream s as select a <> b from t left join u on t.a = u.a join v on t.a = v.a;\n',
    );
    expect(fmt("stream s as select INTERVAL 2 HOURS, DATE '2026-01-01', CAST(a AS DECIMAL(10,2)) from t;")).toBe(
      "stream s as select interval '2' hour, date '2026-01-01', cast(a as decimal(10, 2)) from t;\n",
    );
    expect(fmt('stream s as dedupe p by (id) keep first; stream t as top 3 from x per (a) order by b asc, c desc;')).toBe(
      'stream s as dedupe p by id keep first;\n\nstream t as top 3 from x per a order by b, c desc;\n',
    );
  });

  test.each([
    ['((a + b)) * c', '(a + b) * c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['a * (b / c)', 'a * (b / c)'],
    ['(a = b) = c', '(a = b) = c'],
    ['not (a = b)', 'not a = b'],
    ['(not a) = b', '(not a) = b'],
    ['not (a and b)', 'not (a and b)'],
    ['(a or b) and c', '(a or b) and c'],
    ['a or (b and c)', 'a or b and c'],
    ['a and (b or c)', 'a and (b or c)'],
    ['(a || b) || c', 'a || b || c'],
    ['(a + b) is null', 'a + b is null'],
    ['(a is null) is null', '(a is null) is null'],
    ['(a = b) between (c or d) and e', '(a = b) between (c or d) and e'],
    ['(a between b and c) = d', '(a between b and c) = d'],
    ['-(-5)', '- -5'],
    ['- (-a)', '- -a'],
    ['-(a + b)', '-(a + b)'],
    ['(-a).b', '(-a).b'],
    ['(-5)[1]', '(-5)[1]'],
    ['(5).x', '(5).x'],
    ['(a + b)[1]', '(a + b)[1]'],
    ['(f(x)).y', 'f(x).y'],
    ['a in ((b or c), d)', 'a in (b or c, d)'],
    ['case when (a or b) then (c) else (d + e) end', 'case when a or b then c else d + e end'],
  ])('minimal parentheses: %s → %s', (input, output) => {
    expect(fmt(`stream s as select ${input} from t;`)).toBe(`stream s as select ${output} from t;\n`);
  });

  test('a long query: one clause per line, items on the select line while they fit', () => {
    const text =
      "stream missed as select p.payment_id, p.loan_id, l.customer_id, p.amount from payments p join loans for system_time as of p.event_time l on p.loan_id = l.loan_id where p.status = 'MISSED';";
    expect(fmt(text)).toBe(
      "stream missed as\n  select p.payment_id, p.loan_id, l.customer_id, p.amount\n  from payments p\n  join loans for system_time as of p.event_time l on p.loan_id = l.loan_id\n  where p.status = 'MISSED';\n",
    );
  });

  test('a longer select list: one item per line; long conditions broken before `and`', () => {
    const items = Array.from({ length: 12 }, (_, i) => `column_number_${i}`).join(', ');
    const conditions = Array.from({ length: 6 }, (_, i) => `column_number_${i} > ${i * 1000}`).join(' and ');
    const out = fmt(`stream s as select ${items} from t where ${conditions};`);
    expect(out.split('\n').slice(0, 3)).toEqual(['stream s as', '  select', '    column_number_0,']);
    expect(out).toContain('  from t\n  where column_number_0 > 0\n    and column_number_1 > 1000\n');
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  test('a long join condition goes under the join, one `and` per line', () => {
    const text =
      "stream s as select o.id from orders o join shipments s on o.order_id = s.order_id and s.event_time between o.event_time and o.event_time + interval '4' hour;";
    expect(fmt(text)).toContain(
      "  join shipments s\n    on o.order_id = s.order_id\n    and s.event_time between o.event_time and o.event_time + interval '4' hour;\n",
    );
  });

  test('a long CASE: one arm per line', () => {
    const arms = Array.from({ length: 5 }, (_, i) => `when amount > ${i * 1000} then 'bucket number ${i}'`).join(' ');
    expect(fmt(`stream s as select case ${arms} else 'none' end as bucket from t;`)).toContain(
      "    case\n      when amount > 0 then 'bucket number 0'\n",
    );
  });

  test('union branches on their own lines; a nested union keeps its parentheses', () => {
    expect(fmt('stream s as (select a from x union all select a from y) union all select a from z;')).toBe(
      'stream s as (select a from x union all select a from y) union all select a from z;\n',
    );
  });

  test('an empty file stays empty; a file ends with one line break', () => {
    expect(fmt('')).toBe('');
    expect(fmt('\n\n  \n')).toBe('');
    expect(fmt("import a from 'x.pipe';\n\n\n")).toBe("import a from 'x.pipe';\n");
  });

  test('CRLF input comes out with LF line breaks', () => {
    expect(fmt("stream a as select x -- c\r\nfrom t;\r\n-- tail\r\n")).toBe('stream a as\n  select x -- c\n  from t;\n-- tail\n');
  });
});

describe('comments', () => {
  test('own-line comments stay above the line that follows them, at its indentation', () => {
    const text = "-- header\npipeline p;\n-- about s\nstream s as select\n  -- first\n  a,\n  b\n  -- the filter\n  from t where a > 1;\n";
    expect(fmt(text)).toBe('-- header\npipeline p;\n\n-- about s\nstream s as\n  select\n    -- first\n    a,\n    b\n  -- the filter\n  from t\n  where a > 1;\n');
  });

  test('trailing comments stay at the end of their line', () => {
    const text = "source p from kafka topic 'p' -- the topic\n  format avro -- its format\n;\nstream s as select a, -- the a\n b -- the b\n from p; -- done\n";
    expect(fmt(text)).toBe(
      "source p from kafka topic 'p' -- the topic\n  format avro; -- its format\n\nstream s as\n  select\n    a, -- the a\n    b -- the b\n  from p; -- done\n",
    );
  });

  test('a trailing comment on a one-line statement does not break it', () => {
    expect(fmt('stream s as select a from t; -- short\n')).toBe('stream s as select a from t; -- short\n');
  });

  test('block comments: own-line, inline and multi-line', () => {
    const text = '/* a\n   multi-line\n   comment */\nstream s as select a /* inline */, b from t;\n';
    expect(fmt(text)).toBe('/* a\n   multi-line\n   comment */\nstream s as select a, b from t; /* inline */\n');
  });

  test('a blank line after a comment is kept; comments at the end of the file stay there', () => {
    const text = "-- file header\n\n-- about p\nsource p from kafka topic 'p';\n\n-- trailer 1\n\n/* trailer 2 */\n";
    expect(fmt(text)).toBe(text);
  });

  test('a comment inside an expression is not lost', () => {
    const text = 'stream s as select a +\n  -- why b\n  b as c from t;\n';
    const out = fmt(text);
    expect(out).toContain('-- why b');
    expect(fmt(out)).toBe(out);
  });

  test('a file of comments only', () => {
    expect(fmt('-- just a note')).toBe('-- just a note\n');
    expect(fmt('/* a */ /* b */\n\n-- c')).toBe('/* a */\n/* b */\n\n-- c\n');
  });
});

describe('refusals and safety', () => {
  test('a file with syntax errors is not formatted; its diagnostics come back', () => {
    const result = formatSource({ path: 'bad.pipe', text: 'stream s as select a form t;' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
  });

  test('format() itself refuses a file with errors', () => {
    expect(() => format(parse({ path: 'bad.pipe', text: 'stream s as select from;' }))).toThrow(InternalCompilerError);
  });

  test('formatSource reports whether the file changed', () => {
    expect(formatSource({ path: 'a.pipe', text: 'stream s as select a from t;\n' })).toEqual({ ok: true, text: 'stream s as select a from t;\n', changed: false });
    expect(formatSource({ path: 'a.pipe', text: 'stream s as select a from t;' })).toMatchObject({ ok: true, changed: true });
  });

  // The parser builds these left-deep, 10,000 nodes deep: printing and comparing them must not recurse per node.
  const chain = Array.from({ length: 10_000 }, (_, i) => `a${i}`);
  test.each([
    ['a + b + …', `stream s as select ${chain.join(' + ')} from t;`],
    ['a and b and …', `stream s as select a from t where ${chain.join(' and ')};`],
    ['a.b.b…', `stream s as select a${'.b'.repeat(10_000)} from t;`],
    ['a[1][1]…', `stream s as select a${'[1]'.repeat(10_000)} from t;`],
    // One level less: the nesting guard counts the `+` before each `(` as a possible sign.
    ['nested to the limit', `stream s as select ${'(a + '.repeat(MAX_NESTING - 1)}b${')'.repeat(MAX_NESTING - 1)} from t;`],
  ])('%s formats without exhausting the stack', { timeout: 60_000 }, (_name, text) => {
    const before = parse({ path: 'long.pipe', text });
    const after = parse({ path: 'long.pipe', text: format(before) });
    expect(after.diagnostics).toEqual([]);
    expect(differenceModuloLayout(before, after)).toBeUndefined();
  });
});

// ── properties ──────────────────────────────────────────────────────────────────────────────────────

describe('properties', { timeout: 60_000 }, () => {
  const sources = [...examples.map(read), ...corpus.map(read), ...docBlocks];

  test('comments inserted anywhere between tokens are kept, in order, and formatting stays idempotent', () => {
    const comment = fc.constantFrom(' -- c\n', ' /* c */ ', '\n-- c\n', '\n\n/* c */\n\n', '\n/* two\nlines */\n');
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(fc.tuple(fc.nat(), comment), { minLength: 1, maxLength: 6 }), (which, inserts) => {
        const text = sources[which] ?? '';
        const starts = lex({ path: 'x.pipe', text }).tokens.map((t) => t.startOffset);
        // Insert from the end, so earlier offsets stay valid; number the comments to check their order.
        const at = inserts.map(([n, c], i) => ({ offset: starts[n % starts.length] ?? 0, text: c.replace('c', `c${i}`) })).sort((a, b) => b.offset - a.offset);
        const commented = at.reduce((t, { offset, text: c }) => t.slice(0, offset) + c + t.slice(offset), text);
        expectWellFormatted('commented.pipe', commented);
      }),
      { numRuns: 200 },
    );
  });

  test('random expression trees print with the parentheses they need', () => {
    fc.assert(
      fc.property(expressionTree, (e) => {
        const file: PipeFile = {
          kind: 'PipeFile',
          path: 'expr.pipe',
          pipeline: undefined,
          statements: [
            {
              kind: 'StreamDecl',
              name: ident('s'),
              expectations: [],
              query: { kind: 'SelectQuery', distinct: false, items: [{ kind: 'ExprItem', expression: e, alias: undefined, span }], from: { kind: 'FromItem', relation: { kind: 'NamedRelation', name: ident('t'), span }, alias: undefined, window: undefined, span }, joins: [], where: undefined, groupBy: [], having: undefined, span },
              span,
            },
          ],
          span,
        };
        const text = format({ source: { path: 'expr.pipe', text: '' }, ast: file, comments: [], diagnostics: [] });
        const reparsed = parse({ path: 'expr.pipe', text });
        expect(reparsed.diagnostics).toEqual([]);
        const statement = reparsed.ast.statements[0];
        const item = statement?.kind === 'StreamDecl' && statement.query.kind === 'SelectQuery' ? statement.query.items[0] : undefined;
        expect(astDifference(item?.kind === 'ExprItem' ? item.expression : undefined, e), text).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
