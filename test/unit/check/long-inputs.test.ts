/**
 * Long inputs never overflow the stack (which ended in exit 3): a long operator chain parses and formats (the
 * front end is iterative) but is refused by checking at its span, with a limit the later phases are safe
 * under; a long chain of streams, each reading the one before, compiles.
 */
import { describe, expect, test } from 'vitest';
import { MAX_AST_DEPTH } from '../../../compiler/ast/depth.ts';
import { renderHuman } from '../../../compiler/diagnostics/render.ts';
import { formatSource } from '../../../compiler/format/format.ts';
import { explain } from '../../../compiler/explain/explain.ts';
import { checkFiles, compileFiles, findings, PRELUDE } from '../../helpers/check.ts';

const pipeline = (body: string) => ({ 'p.pipe': `pipeline p;\n${PRELUDE}\n${body}` });
const chain = (term: string, operator: string, n: number) => Array.from({ length: n }, () => term).join(` ${operator} `);

describe('a long operator chain', () => {
  test.each([1_700, 20_000])('of %i terms is refused by checking, at its start', (n) => {
    const files = pipeline(`stream s as select ${chain('amount', '+', n)} as x from payments;\nsink s into kafka topic 'o' format avro;`);
    const result = compileFiles(files);
    expect(findings(result)).toEqual([{ code: 'expression-too-long', line: 1, column: 20 }]);
    expect(result.output).toBeUndefined();
    expect(checkFiles(files).program).toBeUndefined();
  });

  test('is reported with its limit and what to do instead', () => {
    const result = checkFiles({ 'p.pipe': `stream s as select ${chain('a', 'or', 600)} from t;\n` });
    const source = result.parsed[0]?.source;
    expect(result.diagnostics.map((d) => renderHuman(d, () => source)).join('\n')).toMatchInlineSnapshot(`
      "error[expression-too-long]: this expression chains more than 500 operators
       --> p.pipe:1:20
        |
      1 | stream s as select a or a or a or a or a or a or a or a or a or a or a or a or a or a or a or a or a or a or a or a or a…
        |                    ^
        = help: split it into several columns or derived streams; for many alternatives of one column, \`x in (…)\` takes any number of values"
    `);
  });

  // The limit is safe, not only refused above: just under it, every phase (bind, check, lower, print,
  // format, explain, JSON) runs to the end for each kind of operator.
  test.each([
    ['+', 'amount', 'x'],
    ['||', 'currency', 'x'],
    ['or', "status = 'a'", 'x'],
    ['and', "status <> 'a'", 'x'],
  ])('just under the limit, a chain of `%s` goes through every phase', (operator, term) => {
    const n = MAX_AST_DEPTH - 20;
    const isCondition = operator === 'or' || operator === 'and';
    const body = isCondition
      ? `stream s as select payment_id from payments where ${chain(term, operator, n)};\nsink s into kafka topic 'o' format avro;`
      : `stream s as select ${chain(term, operator, n)} as x from payments;\nsink s into kafka topic 'o' format avro;`;
    const files = pipeline(body);
    const result = compileFiles(files);
    expect(result.diagnostics.map((d) => d.code)).toEqual([]);
    expect(JSON.parse(JSON.stringify(result.output?.artifacts.map((a) => a.path)))).toContain('p/job.sql');
    expect(formatSource({ path: 'p.pipe', text: files['p.pipe'] }).ok).toBe(true);
    const checked = checkFiles(files);
    expect(checked.program && explain(checked.program, 'p.pipe').length).toBeGreaterThan(0);
  });
});

describe('a long chain of streams', () => {
  test('3,000 streams, each reading the one before, compile (2,200 overflowed the stack)', () => {
    const streams = ['stream s0 as select payment_id, amount from payments;'];
    for (let i = 1; i < 3_000; i++) streams.push(`stream s${i} as select payment_id, amount from s${i - 1};`);
    const result = compileFiles(pipeline(`${streams.join('\n')}\nsink s2999 into kafka topic 'o' format avro;`));
    expect(result.diagnostics.map((d) => d.code)).toEqual([]);
    expect(result.output?.artifacts.some((a) => a.path === 'p/job.sql')).toBe(true);
  });
});
