/**
 * Goldens of every front-end diagnostic as the user sees it (compiler/diagnostics/render.ts), one file per
 * code, plus error recovery: a file with several syntax errors reports each of them.
 */
import { describe, expect, test } from 'vitest';
import { parse } from '../../../compiler/ast/parse.ts';
import { renderHuman } from '../../../compiler/diagnostics/render.ts';
import { MAX_NESTING } from '../../../compiler/ast/parse.ts';

/** All diagnostics of a file, rendered as `pipec check` prints them. */
function rendered(text: string): string {
  const parsed = parse({ path: 'pipelines/collections.pipe', text });
  return parsed.diagnostics.map((d) => renderHuman(d, (path) => (path === parsed.source.path ? parsed.source : undefined))).join('\n\n');
}

const codes = (text: string): string[] => parse({ path: 'p.pipe', text }).diagnostics.map((d) => d.code);

describe('each front-end diagnostic, rendered', () => {
  test('syntax-error: a misspelt keyword read as an alias is reported where it was written', () => {
    expect(rendered('stream missed as\n  select loan_id, amount\n  form payments;\n')).toMatchInlineSnapshot(`
      "error[syntax-error]: expected \`from\`, found \`form\`
       --> pipelines/collections.pipe:3:3
        |
      3 |   form payments;
        |   ^^^^
        = help: did you mean \`from\`?"
    `);
  });

  test('syntax-error: a misspelt keyword', () => {
    expect(rendered('stream s as selet a from t;')).toMatchInlineSnapshot(`
      "error[syntax-error]: expected \`select\`, \`dedupe\`, \`top\` or \`(\`, found \`selet\`
       --> pipelines/collections.pipe:1:13
        |
      1 | stream s as selet a from t;
        |             ^^^^^
        = help: did you mean \`select\`?"
    `);
  });

  test('syntax-error: the end of the file', () => {
    expect(rendered('stream missed as select loan_id from payments')).toMatchInlineSnapshot(`
      "error[syntax-error]: expected \`;\`, found the end of the file
       --> pipelines/collections.pipe:1:46
        |
      1 | stream missed as select loan_id from payments
        |                                              ^"
    `);
  });

  test('unexpected-character, with a hint for double quotes', () => {
    expect(rendered('stream s as select a ? b from payments;')).toMatchInlineSnapshot(`
      "error[unexpected-character]: unexpected character "?"
       --> pipelines/collections.pipe:1:22
        |
      1 | stream s as select a ? b from payments;
        |                      ^"
    `);
    expect(rendered('stream s as select "amount" from payments;')).toMatchInlineSnapshot(`
      "error[unexpected-character]: unexpected character "\\""
       --> pipelines/collections.pipe:1:20
        |
      1 | stream s as select "amount" from payments;
        |                    ^^^^^^^^
        = help: string literals use single quotes: 'text'; backquotes quote identifiers: \`name\`"
    `);
  });

  test('unterminated-string', () => {
    expect(rendered("source payments from kafka topic 'payments;\n")).toMatchInlineSnapshot(`
      "error[unterminated-string]: this string literal is never closed
       --> pipelines/collections.pipe:1:34
        |
      1 | source payments from kafka topic 'payments;
        |                                  ^
        = help: close it with a single quote \`'\`; write a quote inside a string as two quotes: 'it''s'

      error[syntax-error]: expected a string, found the end of the file
       --> pipelines/collections.pipe:2:1
        |
      2 | 
        | ^"
    `);
  });

  test('unterminated-comment', () => {
    expect(rendered("source payments from kafka topic 'payments';\n/* the loans source\nsource loans from postgres table 'public.loans';\n")).toMatchInlineSnapshot(`
      "error[unterminated-comment]: this block comment is never closed
       --> pipelines/collections.pipe:2:1
        |
      2 | /* the loans source
        | ^^
        = help: close it with \`*/\`"
    `);
  });

  test('unterminated-identifier', () => {
    expect(rendered('stream s as select `amount from payments;\n')).toMatchInlineSnapshot(`
      "error[unterminated-identifier]: this quoted identifier is never closed
       --> pipelines/collections.pipe:1:20
        |
      1 | stream s as select \`amount from payments;
        |                    ^
        = help: close it with a backquote; write a backquote inside a name as two backquotes

      error[syntax-error]: expected \`*\`, a name, \`not\`, \`-\`, \`+\` or one of 10 more, found the end of the file
       --> pipelines/collections.pipe:2:1
        |
      2 | 
        | ^"
    `);
  });

  test('nesting-too-deep', () => {
    const text = `stream s as select ${'('.repeat(MAX_NESTING + 1)}a${')'.repeat(MAX_NESTING + 1)} from t;\n`;
    expect(rendered(text)).toMatchInlineSnapshot(`
      "error[nesting-too-deep]: expressions are nested more than 64 levels deep
       --> pipelines/collections.pipe:1:84
        |
      1 | …((((((((((((((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) from t;
        |                                               ^
        = help: split the expression into several derived streams or columns"
    `);
  });

  test('invalid-number', () => {
    expect(rendered("sink s into kafka topic 't' partitions 1.5;")).toMatchInlineSnapshot(`
      "error[invalid-number]: expected a whole number of partitions, found 1.5
       --> pipelines/collections.pipe:1:40
        |
      1 | sink s into kafka topic 't' partitions 1.5;
        |                                        ^^^"
    `);
  });

  test('unknown-duration-unit', () => {
    expect(rendered('pipeline p with (checkpoint = 30 secs);')).toMatchInlineSnapshot(`
      "error[unknown-duration-unit]: unknown duration unit \`secs\`
       --> pipelines/collections.pipe:1:34
        |
      1 | pipeline p with (checkpoint = 30 secs);
        |                                  ^^^^
        = help: did you mean \`sec\`?
        = help: durations are written like \`500 ms\`, \`30 s\`, \`5 min\`, \`2 h\`, \`7 d\`"
    `);
  });

  test('unknown-interval-unit', () => {
    expect(rendered("stream s as select event_time + interval '5' minuts as later from payments;")).toMatchInlineSnapshot(`
      "error[unknown-interval-unit]: unknown interval unit \`minuts\`
       --> pipelines/collections.pipe:1:46
        |
      1 | stream s as select event_time + interval '5' minuts as later from payments;
        |                                              ^^^^^^
        = help: did you mean \`minute\`, \`minutes\`, \`month\` or \`months\`?
        = help: intervals are written like \`interval '5' minute\` or \`interval 2 hours\`"
    `);
  });

  test('invalid-setting-value', () => {
    expect(rendered("sink s into connector 'com.acme.Sink' with ('token' = env('TOKEN'));")).toMatchInlineSnapshot(`
      "error[invalid-setting-value]: a setting's value cannot be \`env(…)\`
       --> pipelines/collections.pipe:1:55
        |
      1 | sink s into connector 'com.acme.Sink' with ('token' = env('TOKEN'));
        |                                                       ^^^
        = help: values are numbers, strings, durations, names, true/false, or secret('name')"
    `);
  });

  test('pipeline-header-misplaced', () => {
    expect(rendered("import payments from 'shared/sources.pipe';\npipeline collections owner 'collections-data';\n")).toMatchInlineSnapshot(`
      "error[pipeline-header-misplaced]: a file has at most one \`pipeline\` header, and it comes first
       --> pipelines/collections.pipe:2:1
        |
      2 | pipeline collections owner 'collections-data';
        | ^^^^^^^^
        = help: move the header to the top of the file, or split the file into one file per pipeline"
    `);
  });
});

describe('recovery', () => {
  test('one file with three separate syntax errors reports all three', () => {
    const text = "stream a as select x form t;\nstream b as select from t;\nsink c into kafka topic 'c' partitions;\n";
    const parsed = parse({ path: 'p.pipe', text });
    expect(parsed.diagnostics.map((d) => [d.code, text.slice(0, d.span?.start).split('\n').length])).toEqual([
      ['syntax-error', 1],
      ['syntax-error', 2],
      ['syntax-error', 3],
    ]);
    expect(rendered(text)).toMatchInlineSnapshot(`
      "error[syntax-error]: expected \`from\`, found \`form\`
       --> pipelines/collections.pipe:1:22
        |
      1 | stream a as select x form t;
        |                      ^^^^
        = help: did you mean \`from\`?

      error[syntax-error]: expected \`*\`, a name, \`not\`, \`-\`, \`+\` or one of 10 more, found the keyword \`from\`
       --> pipelines/collections.pipe:2:20
        |
      2 | stream b as select from t;
        |                    ^^^^

      error[syntax-error]: expected a number, found \`;\`
       --> pipelines/collections.pipe:3:39
        |
      3 | sink c into kafka topic 'c' partitions;
        |                                       ^"
    `);
  });

  test('statements after an error are still read', () => {
    const parsed = parse({ path: 'p.pipe', text: "stream a as select x form t;\nsource p from kafka topic 'p';\n" });
    expect(parsed.ast.statements.map((s) => s.kind)).toContain('SourceDecl');
  });

  test('AST-level findings are reported only when the file parses', () => {
    expect(codes("pipeline p with (checkpoint = 30 secs);\nsink s into kafka topic 't' partitions 1.5;").sort()).toEqual(['invalid-number', 'unknown-duration-unit']);
    expect(codes('pipeline p with (checkpoint = 30 secs) oops;')).toEqual(['syntax-error']);
  });
});
