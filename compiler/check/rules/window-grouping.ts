/**
 * An aggregation over a window groups by the window: `window_start` or `window_end` (pipec adds the other).
 *   select customer_id, count(*) from missed window tumbling(event_time, 1 h) group by customer_id
 * Code: window-not-grouped.
 */
import { eachQuery, type Rule } from '../rule.ts';

export const windowGroupingRule: Rule = {
  name: 'window-grouping',
  check(program, r) {
    eachQuery(program, (q) => {
      if (q.kind !== 'select' || !q.inputs[0]?.window || q.groupBy.length === 0) return;
      const grouped = q.groupBy.some((g) => g.kind === 'column' && g.input === 0 && ['window_start', 'window_end'].includes(g.column.toLowerCase()));
      if (!grouped) r.report('window-not-grouped', {}, q.inputs[0].window.span);
    });
  },
};
