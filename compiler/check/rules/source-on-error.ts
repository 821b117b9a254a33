/**
 * Only an append-only source may skip or dead-letter a record it cannot decode: a changelog's record (an upsert
 * topic's, a CDC table's) updates or deletes its key's row, which would stay stale without it.
 *   source loans from postgres table 'public.loans' via connection loans_db primary key (loan_id) on error skip;
 * Code: on-error-changelog-source.
 */
import { clauseOf } from '../../semantic/endpoints.ts';
import type { Rule } from '../rule.ts';

export const sourceOnErrorRule: Rule = {
  name: 'source-on-error',
  check(program, r) {
    const seen = new Set<unknown>();
    for (const p of program.pipelines) {
      for (const s of p.sources) {
        if (seen.has(s.decl) || s.onError.kind === 'fail' || s.type.changelog.kind === 'append') continue;
        seen.add(s.decl);
        const clause = clauseOf(s.decl.clauses, 'OnErrorClause');
        r.report('on-error-changelog-source', { source: s.name, disposal: s.onError.kind === 'dead-letter' ? 'dead letter' : s.onError.kind }, clause?.span ?? s.decl.span);
      }
    }
  },
};
