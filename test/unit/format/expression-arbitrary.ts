/**
 * Random expression ASTs for the formatter's precedence property: every tree the parser can build, and
 * only those (the builder folds `-5` into a literal, and reads `a.b` as a qualified column, so `-` of an
 * unsigned number and a field of an unqualified column never occur).
 */
import fc from 'fast-check';
import type * as A from '../../../compiler/ast/nodes.ts';
import type { Span } from '../../../compiler/source/source.ts';

export const span: Span = { file: 'expr.pipe', start: 0, end: 0 };
export const ident = (name: string): A.Ident => ({ kind: 'Ident', name, quoted: false, span });

/** Plain names, soft keywords, reserved words and names that need quoting. */
const names = fc.constantFrom('a', 'b', 'amount', 'key', 'time', 'select', 'from', 'a b', 'it`s', 'Straße', '_x1');

const number = (text: string): A.NumberLit => ({ kind: 'NumberLit', text, value: Number(text), isInteger: /^-?\d+$/.test(text), span });
const numberLit = fc.constantFrom('0', '5', '1.5', '.5', '1e3', '007', '-5', '-0.25').map(number);

const typeRef = (name: string, rest: Partial<A.TypeRef> = {}): A.TypeRef => ({
  kind: 'TypeRef', name, params: [], elements: [], fieldNames: [], notNull: false, span, ...rest,
});
const types = fc.constantFrom(
  typeRef('INT'),
  typeRef('STRING', { notNull: true }),
  typeRef('DECIMAL', { params: [number('10'), number('2')] }),
  typeRef('TIMESTAMP', { params: [number('3')] }),
  typeRef('ARRAY', { elements: [typeRef('BIGINT')] }),
  typeRef('MAP', { elements: [typeRef('STRING'), typeRef('INT', { notNull: true })] }),
  typeRef('ROW', { elements: [typeRef('INT'), typeRef('STRING')], fieldNames: [ident('a'), ident('b c')] }),
);

const leaf: fc.Arbitrary<A.Expr> = fc.oneof(
  fc.record({ qualifier: fc.option(names, { nil: undefined }), column: names }).map(
    ({ qualifier, column }): A.Expr => ({ kind: 'ColumnRef', qualifier: qualifier === undefined ? undefined : ident(qualifier), column: ident(column), span }),
  ),
  numberLit,
  fc.constantFrom('', 'x', "it's", 'two\nlines', '--not a comment').map((value): A.Expr => ({ kind: 'StringLit', value, span })),
  fc.boolean().map((value): A.Expr => ({ kind: 'BooleanLit', value, span })),
  fc.constant<A.Expr>({ kind: 'NullLit', span }),
  fc
    .record({ value: fc.constantFrom('5', '1 12', "1'2"), unit: fc.constantFrom<A.IntervalUnit>('DAY', 'HOUR', 'MINUTE'), to: fc.option(fc.constantFrom<A.IntervalUnit>('HOUR', 'SECOND'), { nil: undefined }) })
    .map(({ value, unit, to }): A.Expr => ({ kind: 'IntervalLit', value, unit, toUnit: to, span })),
  fc
    .record({ type: fc.constantFrom<A.TypedLit['type']>('TIMESTAMP', 'TIMESTAMP_LTZ', 'DATE', 'TIME'), value: fc.constantFrom('2026-01-01', '12:00:00') })
    .map(({ type, value }): A.Expr => ({ kind: 'TypedLit', type, value, span })),
  fc.constantFrom('count', 'now').map((name): A.Expr => ({ kind: 'Call', name: ident(name), args: [], distinct: false, star: name === 'count', span })),
);

const binaryOperators = fc.constantFrom<A.BinaryOperator>('OR', 'AND', '=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '||');

export const expressionTree: fc.Arbitrary<A.Expr> = fc.letrec<{ expr: A.Expr }>((tie) => {
  const expr = tie('expr');
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ operator: binaryOperators, left: expr, right: expr }).map((b): A.Expr => ({ kind: 'Binary', ...b, span })),
      fc
        .record({ operator: fc.constantFrom<A.Unary['operator']>('NOT', '-', '+'), operand: expr })
        .filter((u) => !(u.operator === '-' && u.operand.kind === 'NumberLit' && !u.operand.text.startsWith('-')))
        .map((u): A.Expr => ({ kind: 'Unary', ...u, span })),
      fc.record({ operand: expr, negated: fc.boolean() }).map((x): A.Expr => ({ kind: 'IsNull', ...x, span })),
      fc.record({ operand: expr, list: fc.array(expr, { minLength: 1, maxLength: 3 }), negated: fc.boolean() }).map((x): A.Expr => ({ kind: 'InList', ...x, span })),
      fc.record({ operand: expr, low: expr, high: expr, negated: fc.boolean() }).map((x): A.Expr => ({ kind: 'Between', ...x, span })),
      fc.record({ operand: expr, pattern: expr, negated: fc.boolean() }).map((x): A.Expr => ({ kind: 'Like', ...x, span })),
      fc
        .record({ target: expr, field: names })
        .filter((x) => !(x.target.kind === 'ColumnRef' && x.target.qualifier === undefined))
        .map(({ target, field }): A.Expr => ({ kind: 'FieldAccess', target, field: ident(field), span })),
      fc.record({ target: expr, index: expr }).map((x): A.Expr => ({ kind: 'IndexAccess', ...x, span })),
      fc
        .record({ operand: fc.option(expr, { nil: undefined }), whens: fc.array(fc.record({ when: expr, then: expr }), { minLength: 1, maxLength: 2 }), otherwise: fc.option(expr, { nil: undefined }) })
        .map(({ operand, whens, otherwise }): A.Expr => ({ kind: 'CaseExpr', operand, whens, else: otherwise, span })),
      fc.record({ expression: expr, type: types, safe: fc.boolean() }).map((x): A.Expr => ({ kind: 'CastExpr', ...x, span })),
      fc
        .record({ name: names, args: fc.array(expr, { minLength: 1, maxLength: 3 }), distinct: fc.boolean() })
        .map(({ name, args, distinct }): A.Expr => ({ kind: 'Call', name: ident(name), args, distinct, star: false, span })),
    ),
  };
}).expr;
