/**
 * A session window aggregation groups by the session's own keys (besides the window bounds): Flink merges
 * sessions per key, so it runs the aggregation as a window aggregation only when the GROUP BY keys are the
 * session's keys; otherwise it plans a continuous, updating aggregation over the windowed rows.
 *   select window_start, k, count(*) as n from a window session(ts, 5 min) group by window_start, k
 * Code: session-window-keys.
 */
import { nameKey } from '../../project/modules.ts';
import { eachQuery, type Rule } from '../rule.ts';

const BOUNDS = new Set(['window_start', 'window_end']);

export const sessionWindowKeysRule: Rule = {
  name: 'session-window-keys',
  check(program, r) {
    eachQuery(program, (q) => {
      const window = q.kind === 'select' ? q.inputs[0]?.window : undefined;
      if (q.kind !== 'select' || window?.function !== 'session' || q.groupBy.length === 0) return;
      const grouped = q.groupBy.flatMap((g) => (g.kind === 'column' && g.input === 0 && !BOUNDS.has(nameKey(g.column)) ? [g.column] : []));
      const keys = window.partitionBy;
      const same = grouped.length === keys.length && grouped.every((g) => keys.some((k) => nameKey(k) === nameKey(g)));
      if (same) return;
      r.report('session-window-keys', { grouped, keys }, window.span);
    });
  },
};
