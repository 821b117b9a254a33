/**
 * The one walk over plan expressions: `children` lists an expression's direct operands (a switch total over
 * every kind, so a new kind cannot be missed by some reader), and the helpers below are built on it.
 */
import type { PlanExpr } from './plan.ts';
import { isAggregate } from '../../stdlib/functions.ts';
import { assertNever } from '../util/invariant.ts';

/** The expressions `e` applies its operator to, left to right as written. */
export function children(e: PlanExpr): readonly PlanExpr[] {
  switch (e.kind) {
    case 'column':
    case 'literal':
    case 'interval':
    case 'typed-literal':
      return [];
    case 'field':
      return [e.target];
    case 'index':
      return [e.target, e.index];
    case 'call':
      return e.args;
    case 'binary':
      return [e.left, e.right];
    case 'unary':
    case 'is-null':
    case 'cast':
      return [e.operand];
    case 'in':
      return [e.operand, ...e.list];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'like':
      return [e.operand, e.pattern];
    case 'case':
      return [...(e.operand ? [e.operand] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    default:
      return assertNever(e, 'plan expression');
  }
}

/** Visits `e` and every expression inside it, parents before children. */
export function eachExpr(e: PlanExpr, visit: (e: PlanExpr) => void): void {
  visit(e);
  for (const c of children(e)) eachExpr(c, visit);
}

/** Whether `e` or an expression inside it passes `test`. */
export function someExpr(e: PlanExpr, test: (e: PlanExpr) => boolean): boolean {
  return test(e) || children(e).some((c) => someExpr(c, test));
}

/** The outermost expressions of `e` that pass `test` (not looking inside one that does). */
export function outermost(e: PlanExpr, test: (e: PlanExpr) => boolean): PlanExpr[] {
  return test(e) ? [e] : children(e).flatMap((c) => outermost(c, test));
}

export function isAggregateCall(e: PlanExpr): boolean {
  return e.kind === 'call' && isAggregate(e.function);
}

export function hasAggregate(e: PlanExpr): boolean {
  return someExpr(e, isAggregateCall);
}

/** The aggregate calls of an expression, in the order written (aggregates do not nest). */
export function aggregatesIn(e: PlanExpr): PlanExpr[] {
  return outermost(e, isAggregateCall);
}
