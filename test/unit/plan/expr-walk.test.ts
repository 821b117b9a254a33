/** The walk over plan expressions: every operand of every kind is a child, and the helpers see nested ones. */
import { expect, test } from 'vitest';
import { aggregatesIn, children, eachExpr, hasAggregate, someExpr } from '../../../compiler/plan/expr-walk.ts';
import type { PlanExpr } from '../../../compiler/plan/plan.ts';
import { t } from '../../../compiler/types/types.ts';

const col = (column: string): PlanExpr => ({ kind: 'column', input: 'p', column, type: t.int() });
const call = (fn: string, ...args: PlanExpr[]): PlanExpr => ({ kind: 'call', function: fn, args, distinct: false, star: false, type: t.int() });

test('children lists the operands of each kind in the order written', () => {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(col) as [PlanExpr, PlanExpr, PlanExpr, PlanExpr];
  const bool = t.boolean();
  expect(children({ kind: 'literal', value: 1, text: '1', type: t.int() })).toEqual([]);
  expect(children({ kind: 'field', target: a, field: 'x', type: bool })).toEqual([a]);
  expect(children({ kind: 'index', target: a, index: b, type: bool })).toEqual([a, b]);
  expect(children(call('f', a, b, c))).toEqual([a, b, c]);
  expect(children({ kind: 'binary', operator: '+', left: a, right: b, type: bool })).toEqual([a, b]);
  expect(children({ kind: 'in', operand: a, list: [b, c], negated: false, type: bool })).toEqual([a, b, c]);
  expect(children({ kind: 'between', operand: a, low: b, high: c, negated: true, type: bool })).toEqual([a, b, c]);
  expect(children({ kind: 'like', operand: a, pattern: b, negated: false, type: bool })).toEqual([a, b]);
  expect(children({ kind: 'case', operand: a, whens: [{ when: b, then: c }], else: d, type: bool })).toEqual([a, b, c, d]);
  expect(children({ kind: 'case', operand: undefined, whens: [{ when: b, then: c }], else: undefined, type: bool })).toEqual([b, c]);
  expect(children({ kind: 'cast', operand: a, safe: true, type: bool })).toEqual([a]);
});

test('the helpers find expressions however deep they sit', () => {
  const sum = call('sum', col('amount'));
  const e: PlanExpr = { kind: 'case', operand: undefined, whens: [{ when: { kind: 'is-null', operand: col('x'), negated: false, type: t.boolean() }, then: sum }], else: call('count', col('y')), type: t.int() };
  expect(hasAggregate(e)).toBe(true);
  expect(hasAggregate(call('abs', col('x')))).toBe(false);
  expect(aggregatesIn(e).map((x) => (x.kind === 'call' ? x.function : x.kind))).toEqual(['sum', 'count']);
  expect(someExpr(e, (x) => x.kind === 'column' && x.column === 'y')).toBe(true);
  const seen: string[] = [];
  eachExpr(e, (x) => seen.push(x.kind === 'column' ? x.column : x.kind));
  expect(seen).toEqual(['case', 'is-null', 'x', 'call', 'amount', 'call', 'y']);
});
