/**
 * A window Top-N (a top-N partitioned by a window bound of a windowed input) ranks tumbling, hopping and
 * cumulative windows only: Flink does not support it over session windows, and its planner fails on some of
 * them (an IllegalArgumentException) while planning others.
 *   stream w as select window_start, window_end, k, count(*) as n from a window session(ts, 5 min, k) group by window_start, window_end, k;
 *   stream s as top 3 from w per window_start order by n desc
 * Code: session-window-top-n.
 */
import type { BoundProgram, BoundQuery, RelationSource } from '../../semantic/bound.ts';
import { nameKey } from '../../project/modules.ts';
import { distinctStreams, eachQuery, type Rule } from '../rule.ts';

const BOUNDS = new Set(['window_start', 'window_end']);

export const sessionWindowTopNRule: Rule = {
  name: 'session-window-top-n',
  check(program, r) {
    eachQuery(program, (q) => {
      if (q.kind !== 'top' || !q.partitionBy.some((p) => BOUNDS.has(nameKey(p)))) return;
      if (windowsOf(program, q.input, new Set()).has('session')) r.report('session-window-top-n', {}, q.span);
    });
  },
};

/** The window functions whose bounds a relation's rows carry, following streams and subqueries back to their window. */
function windowsOf(program: BoundProgram, relation: RelationSource, seen: Set<string>): Set<string> {
  switch (relation.kind) {
    case 'source':
      return new Set();
    case 'subquery':
      return windowsOfQuery(program, relation.query, seen);
    case 'stream': {
      if (seen.has(relation.name)) return new Set();
      seen.add(relation.name);
      const stream = distinctStreams(program).find((s) => s.name === relation.name);
      return stream ? windowsOfQuery(program, stream.query, seen) : new Set();
    }
  }
}

function windowsOfQuery(program: BoundProgram, q: BoundQuery, seen: Set<string>): Set<string> {
  switch (q.kind) {
    case 'select': {
      // A window of the query's own sets the bounds it outputs; otherwise they come from its inputs.
      const own = q.inputs.flatMap((i) => (i.window ? [i.window.function] : []));
      return new Set(own.length > 0 ? own : q.inputs.flatMap((i) => [...windowsOf(program, i.relation, seen)]));
    }
    case 'union': return new Set(q.inputs.flatMap((i) => [...windowsOfQuery(program, i, seen)]));
    case 'dedupe': case 'top': return windowsOf(program, q.input, seen);
    case 'error': return new Set();
  }
}
