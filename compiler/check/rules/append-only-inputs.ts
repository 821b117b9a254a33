/**
 * Interval joins, window aggregations and dedupe read append-only inputs (Flink rejects updating ones).
 *   stream d as dedupe customer_totals by customer_id keep last;   -- customer_totals is a group aggregate
 * Code: updating-input.
 */
import { nameKey } from '../../project/modules.ts';
import type { BoundStream } from '../../semantic/bound.ts';
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
    // A dedupe names its input, a source or a stream of its pipeline.
    const seen = new Set<BoundStream>();
    for (const p of program.pipelines) {
      for (const s of p.streams) {
        const q = s.query;
        if (q.kind !== 'dedupe' || seen.has(s)) continue;
        seen.add(s);
        const from = q.input;
        const input = from.kind === 'subquery' ? from.query.output : [...p.sources, ...p.streams].find((x) => nameKey(x.name) === nameKey(from.name))?.type;
        if (input?.changelog.kind === 'updating') r.report('updating-input', { operation: 'a dedupe', relation: from.kind === 'subquery' ? 'its subquery' : from.name }, q.span);
      }
    }
  },
};
