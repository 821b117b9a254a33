/**
 * Equality join keys have the same type, up to implicit widening (INT with BIGINT, CHAR with VARCHAR).
 *   join loans l on p.loan_id = l.opened_at      -- STRING against TIMESTAMP
 * Code: join-key-type-mismatch.
 */
import type { BoundExpr } from '../../semantic/bound.ts';
import { comparable, supportsImplicitCast } from '../../types/coercion.ts';
import { formatType } from '../../types/types.ts';
import { eachQuery, type Rule } from '../rule.ts';

const conjuncts = (e: BoundExpr): BoundExpr[] => (e.kind === 'binary' && e.operator === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e]);

export const joinKeysRule: Rule = {
  name: 'join-keys',
  check(program, r) {
    eachQuery(program, (q) => {
      if (q.kind !== 'select') return;
      for (const join of q.joins) {
        for (const c of join.on ? conjuncts(join.on) : []) {
          if (c.kind !== 'binary' || c.operator !== '=' || c.left.kind !== 'column' || c.right.kind !== 'column') continue;
          if (c.left.input === c.right.input || c.left.type.kind === 'ERROR' || c.right.type.kind === 'ERROR') continue;
          // The binder already reported keys that do not compare at all (a number against a string).
          if (!comparable(c.left.type, c.right.type)) continue;
          // Stricter than comparability: a string key compared with a date/time casts at run time and silently misses rows.
          if (supportsImplicitCast(c.left.type, c.right.type) || supportsImplicitCast(c.right.type, c.left.type)) continue;
          r.report('join-key-type-mismatch', { left: c.left.column, right: c.right.column, leftType: formatType(c.left.type), rightType: formatType(c.right.type) }, c.span);
        }
      }
    });
  },
};
