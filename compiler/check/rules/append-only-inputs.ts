/**
 * Interval joins, window aggregations and dedupe read append-only inputs (Flink rejects updating ones).
 *   stream d as dedupe customer_totals by customer_id keep last;   -- customer_totals is a group aggregate
 * Code: updating-input.
 */
import { eachQuery, type Rule } from '../rule.ts';

export const appendOnlyInputsRule: Rule = {
  name: 'append-only-inputs',
  check(program, r) {
    eachQuery(program, (q) => {
      if (q.kind === 'select') {
        for (const join of q.joins) {
          if (join.kind !== 'interval') continue;
          for (const index of [0, join.input]) {
            const input = q.inputs[index];
            if (input && input.type.changelog.kind === 'updating') r.report('updating-input', { operation: 'an interval join', relation: input.alias }, input.span);
          }
        }
        const first = q.inputs[0];
        if (first?.window && first.type.changelog.kind === 'updating') r.report('updating-input', { operation: 'a window', relation: first.alias }, first.window.span);
      }
    });
  },
};
