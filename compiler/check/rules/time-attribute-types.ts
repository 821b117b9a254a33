/**
 * Interval joins and event-time temporal joins compare two event times, which Flink requires to be of one
 * type: both TIMESTAMP(3) or both TIMESTAMP_LTZ(3).
 *   join logins l on … and a.event_time between l.event_time and …   -- TIMESTAMP(3) against TIMESTAMP_LTZ(3)
 * Code: rowtime-type-mismatch.
 */
import { childrenOf } from '../../semantic/bind-expr.ts';
import type { BoundExpr, BoundInput } from '../../semantic/bound.ts';
import { formatType, type SqlType } from '../../types/types.ts';
import { eachQuery, type Rule } from '../rule.ts';

const isRowtime = (t: SqlType): boolean => (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute === 'rowtime';
const rowtimeOf = (input: BoundInput | undefined) => input?.type.columns.find((c) => isRowtime(c.type));

function rowtimeRefs(e: BoundExpr, input: number): BoundExpr[] {
  if (e.kind === 'column' && e.input === input && isRowtime(e.type)) return [e];
  return childrenOf(e).flatMap((c) => rowtimeRefs(c, input));
}

export const timeAttributeTypesRule: Rule = {
  name: 'time-attribute-types',
  check(program, r) {
    eachQuery(program, (q) => {
      if (q.kind !== 'select') return;
      for (const join of q.joins) {
        if (join.kind === 'interval' && join.on) {
          const right = rowtimeRefs(join.on, join.input)[0];
          const left = [...Array(join.input).keys()].flatMap((i) => (join.on ? rowtimeRefs(join.on, i) : []))[0];
          if (left && right && left.type.kind !== right.type.kind) {
            r.report('rowtime-type-mismatch', { join: 'an interval join', left: formatType(left.type), right: formatType(right.type) }, join.on.span);
          }
        } else if (join.kind === 'temporal' && join.asOf) {
          const versioned = rowtimeOf(q.inputs[join.input]);
          if (versioned && isRowtime(join.asOf.type) && versioned.type.kind !== join.asOf.type.kind) {
            r.report('rowtime-type-mismatch', { join: 'a temporal join', left: formatType(join.asOf.type), right: formatType(versioned.type) }, join.asOf.span);
          }
        }
      }
    });
  },
};
