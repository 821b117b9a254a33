/**
 * Every selected column of an aggregating query is grouped or aggregated.
 *   select customer_id, amount, count(*) from payments group by customer_id   -- `amount` is neither
 * Code: not-grouped.
 */
import { childrenOf, containsAggregate } from '../../semantic/bind-expr.ts';
import type { BoundExpr } from '../../semantic/bound.ts';
import { eachQuery, type Rule } from '../rule.ts';

const sameExpr = (a: BoundExpr, b: BoundExpr): boolean =>
  a.kind === 'column' && b.kind === 'column' ? a.input === b.input && a.column.toLowerCase() === b.column.toLowerCase() : JSON.stringify(strip(a)) === JSON.stringify(strip(b));

const strip = (e: BoundExpr): unknown => JSON.parse(JSON.stringify(e, (k, v: unknown) => (k === 'span' || k === 'type' ? undefined : v)));

/** Column references outside aggregate calls that are not covered by a grouped expression. */
function ungrouped(e: BoundExpr, groupBy: readonly BoundExpr[]): BoundExpr[] {
  if (groupBy.some((g) => sameExpr(g, e))) return [];
  // A call that failed to bind (an unknown function, no matching overload) is reported already: its arguments are not judged.
  if ((e.kind === 'call' && e.aggregate) || e.type.kind === 'ERROR') return [];
  if (e.kind === 'column') return [e];
  return childrenOf(e).flatMap((c) => ungrouped(c, groupBy));
}

export const groupByRule: Rule = {
  name: 'group-by',
  check(program, r) {
    eachQuery(program, (q) => {
      if (q.kind !== 'select') return;
      const aggregating = q.groupBy.length > 0 || q.columns.some((c) => containsAggregate(c.expression));
      if (!aggregating) return;
      for (const c of [...q.columns.map((x) => x.expression), ...(q.having ? [q.having] : [])]) {
        for (const col of ungrouped(c, q.groupBy)) {
          if (col.kind === 'column') r.report('not-grouped', { column: col.column }, col.span);
        }
      }
    });
  },
};
