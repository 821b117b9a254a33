/**
 * first_value and last_value aggregate tumbling windows only: Flink computes hopping and cumulative windows
 * from shared slices and session windows by merging, and has no `merge` for FIRST_VALUE / LAST_VALUE
 * ("Could not find an implementation method 'merge' … for function 'FIRST_VALUE'").
 *   select window_start, last_value(status) as s from payments window hopping(event_time, 1 h, 5 min) group by window_start
 * Code: window-aggregate-function.
 */
import type { BoundExpr } from '../../semantic/bound.ts';
import { childrenOf } from '../../semantic/bind-expr.ts';
import { eachQuery, type Rule } from '../rule.ts';

const UNMERGEABLE = new Set(['first_value', 'last_value']);

export const windowAggregateFunctionsRule: Rule = {
  name: 'window-aggregate-functions',
  check(program, r) {
    eachQuery(program, (q) => {
      const window = q.kind === 'select' ? q.inputs[0]?.window : undefined;
      if (q.kind !== 'select' || !window || window.function === 'tumbling') return;
      const visit = (e: BoundExpr): void => {
        if (e.kind === 'call' && e.aggregate && UNMERGEABLE.has(e.function)) r.report('window-aggregate-function', { name: e.function, window: window.function }, e.span);
        childrenOf(e).forEach(visit);
      };
      q.columns.forEach((c) => visit(c.expression));
      if (q.having) visit(q.having);
    });
  },
};
