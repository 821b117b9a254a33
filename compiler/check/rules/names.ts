/**
 * Every name the generated job declares is one Flink accepts: not empty or only white space, at most 256
 * characters (Flink's parser limit), no line breaks (U+2028 and U+2029 included), other control characters or lone
 * surrogates.
 *   stream `   ` as select …          select amount as `a
 *   b` from payments
 * Code: invalid-name.
 */
import type { Span } from '../../source/source.ts';
import { CONTROL } from '../../../stdlib/external-names.ts';
import type { BoundQuery } from '../../semantic/bound.ts';
import { distinctStreams, eachQuery, type Rule } from '../rule.ts';

export const MAX_NAME_LENGTH = 256;

/** Why Flink would refuse a name, or undefined when it is fine. */
export function nameProblem(name: string): string | undefined {
  if (name.trim().length === 0) return 'it is empty or only white space';
  if (name.length > MAX_NAME_LENGTH) return `it is ${name.length} characters long, more than Flink's ${MAX_NAME_LENGTH}`;
  // What the SQL printer cannot quote (it would be an internal error there).
  if (CONTROL.test(name)) return 'it contains a line break, another control character or a lone surrogate';
  return undefined;
}

const firstBranch = (q: BoundQuery): BoundQuery => (q.kind === 'union' && q.inputs[0] ? firstBranch(q.inputs[0]) : q);

export const namesRule: Rule = {
  name: 'names',
  check(program, r) {
    const report = (name: string, span: Span): void => {
      const problem = nameProblem(name);
      if (problem) r.report('invalid-name', { name: name.length > 40 ? `${name.slice(0, 40)}…` : name, problem }, span);
    };
    const seenSources = new Set<string>();
    // Pipeline names have stricter rules of their own (pipeline-names.ts).
    for (const p of program.pipelines) {
      for (const s of p.sources) {
        if (seenSources.has(s.name)) continue;
        seenSources.add(s.name);
        report(s.name, s.decl.name.span);
        for (const c of s.type.columns) report(c.name, s.decl.span);
      }
    }
    // A stream's columns are named by its query, or by the first branch of its union.
    const heads = new Set<BoundQuery>();
    for (const s of distinctStreams(program)) {
      const head = firstBranch(s.query);
      heads.add(head);
      report(s.name, s.decl.name.span);
      const columns = head.kind === 'select' ? head.columns : [];
      for (const c of s.type.columns) {
        const column = columns.find((x) => x.name === c.name);
        report(c.name, column?.nameSpan ?? column?.expression.span ?? s.decl.span);
      }
    }
    // The columns a subquery or another union branch names are in the job too.
    eachQuery(program, (q) => {
      if (q.kind !== 'select' || heads.has(q)) return;
      for (const c of q.columns) report(c.name, c.nameSpan ?? c.expression.span);
    });
  },
};
