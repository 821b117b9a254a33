/**
 * `join t for system_time as of x.time` needs a versioned table (primary key and event time) on the right,
 * and the left input's time attribute after `as of`.
 *   join payments for system_time as of o.event_time p on …     -- payments has no primary key
 * Codes: temporal-join-needs-versioned-table, temporal-join-time.
 */
import { isTimeAttribute } from '../../semantic/bind-query.ts';
import { columnsKnown } from '../../semantic/scope.ts';
import { formatType } from '../../types/types.ts';
import { eachQuery, type Rule } from '../rule.ts';

export const temporalJoinRule: Rule = {
  name: 'temporal-join',
  check(program, r) {
    eachQuery(program, (q) => {
      if (q.kind !== 'select') return;
      for (const join of q.joins) {
        if (join.kind !== 'temporal') continue;
        const right = q.inputs[join.input];
        if (!right || !columnsKnown(right.type)) continue;
        const changelog = right.type.changelog;
        const hasKey = changelog.kind === 'updating' && changelog.key !== undefined && changelog.key.length > 0;
        const hasRowtime = right.type.columns.some((c) => (c.type.kind === 'TIMESTAMP' || c.type.kind === 'TIMESTAMP_LTZ') && c.type.timeAttribute === 'rowtime');
        if (!hasKey || !hasRowtime) {
          r.report('temporal-join-needs-versioned-table', { relation: right.alias, missing: !hasKey ? 'primary key' : 'event time' }, right.span);
        }
        const asOf = join.asOf;
        if (asOf && asOf.type.kind !== 'ERROR' && !(asOf.kind === 'column' && asOf.input < join.input && isTimeAttribute(asOf.type))) {
          r.report('temporal-join-time', { found: formatType(asOf.type) }, asOf.span);
        }
      }
    });
  },
};
