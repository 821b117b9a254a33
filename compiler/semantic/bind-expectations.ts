/**
 * Rejected rows: a stream's expectations, bound over the stream's own columns, and the disposals of
 * expectations and of sources' `on error` clauses.
 *   stream valid as select * from payments expect positive: amount > 0 else dead letter 'payments.rejected';
 */
import type * as A from '../ast/nodes.ts';
import { nameKey } from '../project/modules.ts';
import type { BoundExpectation, Disposal, RelationType } from './bound.ts';
import { bindExpr, expectBoolean } from './bind-expr.ts';
import type { Reporter } from './context.ts';
import type { FlinkLine } from '../../stdlib/flink-lines.ts';

export function bindDisposal(d: A.Disposal): Disposal {
  switch (d.kind) {
    case 'Fail': return { kind: 'fail' };
    case 'Skip': return { kind: 'skip' };
    case 'Drop': return { kind: 'drop' };
    case 'DeadLetter': return { kind: 'dead-letter', topic: d.topic.value, span: d.topic.span };
  }
}

/** Each condition sees the stream's output columns, by name or qualified by the stream's name. */
export function bindExpectations(decl: A.StreamDecl, type: RelationType, version: FlinkLine, r: Reporter): BoundExpectation[] {
  const inputs = [{ alias: decl.name.name, relation: { kind: 'stream' as const, name: decl.name.name }, type, window: undefined, span: decl.name.span }];
  const seen = new Set<string>();
  return decl.expectations.map((e): BoundExpectation => {
    if (seen.has(nameKey(e.name.name))) r.report('duplicate-expectation', { name: e.name.name, stream: decl.name.name }, e.name.span);
    seen.add(nameKey(e.name.name));
    const condition = bindExpr(e.condition, { inputs, version, aggregatesAllowed: false, clause: 'an expectation' }, r);
    expectBoolean(condition, 'an expectation', r);
    return { name: e.name.name, condition, otherwise: e.otherwise ? bindDisposal(e.otherwise) : { kind: 'drop' }, span: e.span };
  });
}
