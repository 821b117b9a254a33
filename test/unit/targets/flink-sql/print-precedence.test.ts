/**
 * Property: the printer's minimal parentheses never change the tree. A random expression printed by printExpr
 * and read back by a reference parser with Calcite's operator precedence is the tree we started from; so is
 * the fully parenthesized print (which checks the reference parser itself). The reference parser's precedence
 * was checked against Flink's own parser (1.20 and 2.2) on the same kind of trees; see print.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printExpr } from '../../../../targets/flink-sql/print.ts';
import { exprArbitrary, normalize, parseReference, printFullyParenthesized } from './print-reference.ts';

const RUNS = { numRuns: 1500, seed: 20260101 };

describe('printExpr precedence, as a property', () => {
  it('reads back as the same tree', () => {
    fc.assert(
      fc.property(exprArbitrary(5), (e) => {
        expect(normalize(parseReference(printExpr(e)))).toEqual(normalize(e));
      }),
      RUNS,
    );
  });

  it('agrees with the fully parenthesized form', () => {
    fc.assert(
      fc.property(exprArbitrary(5), (e) => {
        expect(normalize(parseReference(printFullyParenthesized(e)))).toEqual(normalize(parseReference(printExpr(e))));
      }),
      RUNS,
    );
  });

  it('is a fixed point: printing what was read prints the same text', () => {
    fc.assert(
      fc.property(exprArbitrary(5), (e) => {
        const text = printExpr(e);
        expect(printExpr(parseReference(text))).toBe(text);
      }),
      RUNS,
    );
  });

  it('never opens a comment outside quotes', () => {
    fc.assert(
      fc.property(exprArbitrary(5), (e) => {
        // Outside quotes: strip literals and identifiers first.
        const bare = printExpr(e).replace(/`(?:[^`]|``)*`|'(?:[^']|'')*'/g, 'x');
        expect(bare).not.toMatch(/--|\/\*/);
      }),
      RUNS,
    );
  });
});
