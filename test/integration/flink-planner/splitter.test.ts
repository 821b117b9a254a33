/**
 * The harness's statement splitter (SqlScript.java), run through the harness's --split mode: semicolons inside
 * string literals, back-quoted identifiers, comments and statement sets must not split; positions are 1-based
 * lines and columns of each statement's first token.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitWithHarness, type SplitResult } from '../../planner-check/index.ts';

const CASES: Readonly<Record<string, string>> = {
  strings: "SET 'pipeline.name' = 'a;b''c';\nSELECT 'x;y' AS `v`;",
  identifiers: 'CREATE TABLE `a;b``c` (`x;` INT);\nDROP TABLE `a;b``c`;',
  comments: "-- leading; comment\n/* block; comment */\nSET 'a' = 'b'; -- trailing; comment\n\n  /* c; */ SET 'c' = 'd';",
  statementSet: [
    'EXECUTE STATEMENT SET',
    'BEGIN',
    "  INSERT INTO `t` SELECT CASE WHEN `a` = 'END;' THEN 1 ELSE 2 END FROM `s`; -- END;",
    '  /* END; */ INSERT INTO `u` SELECT `end` FROM `s`;',
    'END;',
    "SET 'after' = 'set';",
  ].join('\n'),
  explainSet: 'EXPLAIN CHANGELOG_MODE STATEMENT SET BEGIN INSERT INTO t SELECT 1; END',
  cStyle: "SELECT E'it\\'s; fine', 'plain\\';\nSELECT 2;",
  noFinalSemicolon: "SET 'a' = 'b';\nINSERT INTO t SELECT 1",
  empties: ";;\nSET 'a' = 'b';;;\n;",
  crlf: "SET 'a' = 'b';\r\n\r\nSET 'c' = 'd';\r\n",
  hints: "INSERT INTO t /*+ OPTIONS('sink.parallelism' = '1;') */ SELECT \"x;y\" FROM s;\nSELECT 1;",
  unicode: "CREATE VIEW `名前; 🚀` AS SELECT 'ü;' AS `größe`;\nSELECT 1;",
  clientSet: 'BEGIN STATEMENT SET;\nINSERT INTO t SELECT 1;\nEND;',
  unterminatedString: "SET 'a' = 'b;\nSELECT 1;",
  unterminatedComment: "SET 'a' = 'b';\n/* never closed; ",
  unterminatedSet: 'EXECUTE STATEMENT SET BEGIN\nINSERT INTO t SELECT 1;\n',
};

describe('the harness statement splitter', () => {
  let dir: string;
  const results = new Map<string, SplitResult>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pipec-split-test-'));
    const names = Object.keys(CASES);
    const files = names.map((n) => {
      const f = join(dir, `${n}.sql`);
      writeFileSync(f, CASES[n] ?? '');
      return f;
    });
    const out = await splitWithHarness(files);
    out.forEach((r, i) => results.set(names[i] ?? '', r));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const texts = (name: string): string[] => (results.get(name)?.statements ?? []).map((s) => s.text);
  const at = (name: string): string[] => (results.get(name)?.statements ?? []).map((s) => `${s.line}:${s.column}`);

  it('keeps semicolons and doubled quotes inside string literals', () => {
    expect(texts('strings')).toEqual(["SET 'pipeline.name' = 'a;b''c'", "SELECT 'x;y' AS `v`"]);
  });

  it('keeps semicolons and doubled back-quotes inside identifiers', () => {
    expect(texts('identifiers')).toEqual(['CREATE TABLE `a;b``c` (`x;` INT)', 'DROP TABLE `a;b``c`']);
  });

  it('drops comments between statements and reports where each statement starts', () => {
    expect(texts('comments')).toEqual(["SET 'a' = 'b'", "SET 'c' = 'd'"]);
    expect(at('comments')).toEqual(['3:1', '5:12']);
  });

  it('reads a statement set as one statement, its INSERTs as its body (CASE … END and END in text do not end it)', () => {
    const r = results.get('statementSet');
    expect(r?.ok).toBe(true);
    expect(r?.statements).toHaveLength(2);
    const set = r?.statements?.[0];
    expect(set?.text.startsWith('EXECUTE STATEMENT SET\nBEGIN')).toBe(true);
    expect(set?.text.endsWith('END')).toBe(true);
    expect(set?.body?.map((s) => s.text)).toEqual([
      "INSERT INTO `t` SELECT CASE WHEN `a` = 'END;' THEN 1 ELSE 2 END FROM `s`",
      'INSERT INTO `u` SELECT `end` FROM `s`',
    ]);
    expect(set?.body?.map((s) => `${s.line}:${s.column}`)).toEqual(['3:3', '4:14']);
    expect(texts('statementSet')[1]).toBe("SET 'after' = 'set'");
    expect(texts('explainSet')).toEqual(['EXPLAIN CHANGELOG_MODE STATEMENT SET BEGIN INSERT INTO t SELECT 1; END']);
  });

  it("reads C-style E'…' strings with backslash escapes (Flink 2.x) and plain strings without", () => {
    expect(texts('cStyle')).toEqual(["SELECT E'it\\'s; fine', 'plain\\'", 'SELECT 2']);
  });

  it('takes a last statement without a semicolon, and drops empty statements', () => {
    expect(texts('noFinalSemicolon')).toEqual(["SET 'a' = 'b'", 'INSERT INTO t SELECT 1']);
    expect(texts('empties')).toEqual(["SET 'a' = 'b'"]);
    expect(at('empties')).toEqual(['2:1']);
  });

  it('counts CRLF line endings as one line break', () => {
    expect(at('crlf')).toEqual(['1:1', '3:1']);
  });

  it('keeps hints, double-quoted text and unicode whole', () => {
    expect(texts('hints')).toEqual(["INSERT INTO t /*+ OPTIONS('sink.parallelism' = '1;') */ SELECT \"x;y\" FROM s", 'SELECT 1']);
    expect(texts('unicode')).toEqual(["CREATE VIEW `名前; 🚀` AS SELECT 'ü;' AS `größe`", 'SELECT 1']);
  });

  it("splits the SQL client's BEGIN STATEMENT SET; … END; into its statements", () => {
    expect(texts('clientSet')).toEqual(['BEGIN STATEMENT SET', 'INSERT INTO t SELECT 1', 'END']);
  });

  it('reports unterminated strings, comments and statement sets with their line', () => {
    expect(results.get('unterminatedString')?.ok).toBe(false);
    expect(results.get('unterminatedString')?.error).toEqual({ message: 'unterminated string literal starting at line 1', line: 1 });
    expect(results.get('unterminatedComment')?.error).toEqual({ message: 'unterminated comment /* starting at line 2', line: 2 });
    expect(results.get('unterminatedSet')?.error?.message).toMatch(/statement set without END/);
  });
});
