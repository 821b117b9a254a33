/**
 * Expressions, names and literals → documents, with the fewest parentheses that keep the tree: each
 * expression has a binding strength (PRECEDENCE, mirroring grammar/parser.ts from `expression` down to
 * `primary`), and an operand is parenthesized only when it binds more loosely than its position needs.
 */
import type * as A from '../ast/nodes.ts';
import { KEYWORDS, RESERVED_WORDS } from '../../grammar/tokens.ts';
import { InternalCompilerError, assertNever } from '../util/invariant.ts';
import { anchor, group, indent, join, line, softline, type Doc } from './doc.ts';

/**
 * Binding strengths, loosest first, one per grammar level:
 * `or` < `and` < `not` < predicates (comparison, is null, in, between, like; not associative)
 * < `+ - ||` < `* / %` < unary `- +` < postfix (`a[i]`, `a.b`) < primary.
 */
export const PRECEDENCE = {
  or: 1,
  and: 2,
  not: 3,
  predicate: 4,
  additive: 5,
  multiplicative: 6,
  unary: 7,
  postfix: 8,
  primary: 9,
} as const;

const BINARY_PRECEDENCE: { readonly [Op in A.BinaryOperator]: number } = {
  OR: PRECEDENCE.or,
  AND: PRECEDENCE.and,
  '=': PRECEDENCE.predicate,
  '<>': PRECEDENCE.predicate,
  '<': PRECEDENCE.predicate,
  '<=': PRECEDENCE.predicate,
  '>': PRECEDENCE.predicate,
  '>=': PRECEDENCE.predicate,
  '+': PRECEDENCE.additive,
  '-': PRECEDENCE.additive,
  '||': PRECEDENCE.additive,
  '*': PRECEDENCE.multiplicative,
  '/': PRECEDENCE.multiplicative,
  '%': PRECEDENCE.multiplicative,
};

export function precedenceOf(e: A.Expr): number {
  switch (e.kind) {
    case 'Binary':
      return BINARY_PRECEDENCE[e.operator];
    case 'Unary':
      return e.operator === 'NOT' ? PRECEDENCE.not : PRECEDENCE.unary;
    case 'IsNull':
    case 'InList':
    case 'Between':
    case 'Like':
      return PRECEDENCE.predicate;
    case 'FieldAccess':
    case 'IndexAccess':
      return PRECEDENCE.postfix;
    case 'NumberLit':
      // `-5` is folded from a unary minus, and binds like one: `(-5)[1]`.
      return e.text.startsWith('-') ? PRECEDENCE.unary : PRECEDENCE.primary;
    case 'StringLit':
    case 'BooleanLit':
    case 'NullLit':
    case 'IntervalLit':
    case 'TypedLit':
    case 'ColumnRef':
    case 'Call':
    case 'CaseExpr':
    case 'CastExpr':
    case 'ErrorExpr':
      return PRECEDENCE.primary;
    default:
      return assertNever(e, 'expression');
  }
}

// ── names and literals ────────────────────────────────────────────────────────────────────────────

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name, backquoted only when it is not a plain identifier or is a reserved word. */
export function name(ident: A.Ident | string): string {
  const text = typeof ident === 'string' ? ident : ident.name;
  if (PLAIN_IDENTIFIER.test(text) && !RESERVED_WORDS.has(text.toLowerCase())) return text;
  return `\`${text.replaceAll('`', '``')}\``;
}

/** A name that reads as one without `as` or parentheses: a plain identifier that is no keyword, not even a soft one. */
export function isPlainName(ident: A.Ident): boolean {
  return PLAIN_IDENTIFIER.test(ident.name) && !KEYWORDS.includes(ident.name.toLowerCase());
}

/** An alias after a relation. Without `as` only a plain identifier is an alias (grammar `alias`): `from t as key`. */
export function relationAlias(ident: A.Ident): string {
  return isPlainName(ident) ? ident.name : `as ${name(ident)}`;
}

export function string(value: A.StringLit | string): string {
  const text = typeof value === 'string' ? value : value.value;
  return `'${text.replaceAll("'", "''")}'`;
}

export function duration(d: A.Duration): string {
  // The amount is kept as a number; an amount too large for a double reads back as Infinity from `1e999`.
  const amount = Number.isFinite(d.amount) ? String(d.amount) : '1e999';
  return `${amount} ${d.unit}`;
}

export function nameList(idents: readonly A.Ident[]): string {
  return `(${idents.map(name).join(', ')})`;
}

export function typeRef(t: A.TypeRef): string {
  const [first, second] = t.elements;
  let text: string;
  if ((t.name === 'ARRAY' || t.name === 'MULTISET') && t.elements.length === 1 && first) text = `${t.name.toLowerCase()}<${typeRef(first)}>`;
  else if (t.name === 'MAP' && t.elements.length === 2 && first && second) text = `map<${typeRef(first)}, ${typeRef(second)}>`;
  else if (t.name === 'ROW' && t.elements.length > 0 && t.elements.length === t.fieldNames.length) {
    text = `row<${t.elements.map((e, i) => `${name(t.fieldNames[i] ?? '')} ${typeRef(e)}`).join(', ')}>`;
  } else {
    // Type names are read case-insensitively (the builder upper-cases them); lower case matches the keywords.
    const params = t.params.length > 0 ? `(${t.params.map((p) => p.text).join(', ')})` : '';
    text = `${name(t.name.toLowerCase())}${params}`;
  }
  return t.notNull ? `${text} not null` : text;
}

// ── expressions ───────────────────────────────────────────────────────────────────────────────────

/** An expression in a position that takes any expression. */
export function expr(e: A.Expr): Doc {
  return operand(e, PRECEDENCE.or);
}

/** An expression where the grammar needs binding strength `min` or tighter; looser ones get parentheses. */
function operand(e: A.Expr, min: number): Doc {
  const doc = bare(e);
  return precedenceOf(e) >= min ? doc : group(['(', indent([softline, doc]), softline, ')']);
}

function bare(e: A.Expr): Doc {
  switch (e.kind) {
    case 'StringLit':
      return string(e);
    case 'NumberLit':
      return e.text;
    case 'BooleanLit':
      return e.value ? 'true' : 'false';
    case 'NullLit':
      return 'null';
    case 'IntervalLit':
      return `interval ${string(e.value)} ${e.unit.toLowerCase()}${e.toUnit ? ` to ${e.toUnit.toLowerCase()}` : ''}`;
    case 'TypedLit':
      return `${e.type.toLowerCase()} ${string(e.value)}`;
    case 'ColumnRef':
      return e.qualifier ? `${name(e.qualifier)}.${name(e.column)}` : name(e.column);
    case 'FieldAccess':
    case 'IndexAccess':
      return postfix(e);
    case 'Call':
      return call(e);
    case 'Binary':
      return binary(e);
    case 'Unary':
      return unary(e);
    case 'IsNull':
      return [operand(e.operand, PRECEDENCE.additive), e.negated ? ' is not null' : ' is null'];
    case 'InList':
      return [
        operand(e.operand, PRECEDENCE.additive),
        e.negated ? ' not in ' : ' in ',
        group(['(', indent([softline, join([',', line], e.list.map(expr))]), softline, ')']),
      ];
    case 'Between':
      return [
        operand(e.operand, PRECEDENCE.additive),
        e.negated ? ' not between ' : ' between ',
        operand(e.low, PRECEDENCE.additive),
        ' and ',
        operand(e.high, PRECEDENCE.additive),
      ];
    case 'Like':
      return [operand(e.operand, PRECEDENCE.additive), e.negated ? ' not like ' : ' like ', operand(e.pattern, PRECEDENCE.additive)];
    case 'CaseExpr':
      return caseExpr(e);
    case 'CastExpr':
      return [e.safe ? 'try_cast(' : 'cast(', expr(e.expression), ' as ', typeRef(e.type), ')'];
    case 'ErrorExpr':
      throw new InternalCompilerError('the formatter was given an expression the parser could not read');
    default:
      return assertNever(e, 'expression');
  }
}

/**
 * A chain of one binding strength (`a + b - c`, `a and b and c`) is printed in one loop: the parser
 * builds it left-deep, and a generated file can make it thousands of operands long.
 */
function binary(e: A.Binary): Doc {
  const strength = BINARY_PRECEDENCE[e.operator];
  if (strength === PRECEDENCE.predicate) {
    // Comparisons do not associate: `a = b = c` does not parse, so both sides are additive.
    return [operand(e.left, PRECEDENCE.additive), ` ${e.operator} `, operand(e.right, PRECEDENCE.additive)];
  }
  const steps: { readonly operator: A.BinaryOperator; readonly right: A.Expr }[] = [];
  let left: A.Expr = e;
  while (left.kind === 'Binary' && BINARY_PRECEDENCE[left.operator] === strength) {
    steps.push({ operator: left.operator, right: left.right });
    left = left.left;
  }
  steps.reverse();
  const first = operand(left, strength);
  const rest = steps.map((s) => ({ operator: s.operator.toLowerCase(), right: operand(s.right, strength + 1) }));
  if (strength === PRECEDENCE.and || strength === PRECEDENCE.or) {
    // Long conditions break before each `and` / `or`.
    return group([first, indent(rest.map((s) => [line, s.operator, ' ', s.right]))]);
  }
  return [first, ...rest.map((s) => [' ', s.operator, ' ', s.right])];
}

/** Top-level `and` operands of a condition, for clauses that put each on its own line (`on … and …`). */
export function conjuncts(e: A.Expr): readonly Doc[] {
  const operands: A.Expr[] = [];
  let left: A.Expr = e;
  while (left.kind === 'Binary' && left.operator === 'AND') {
    operands.push(left.right);
    left = left.left;
  }
  operands.push(left);
  operands.reverse();
  return operands.map((o, i) => operand(o, i === 0 ? PRECEDENCE.and : PRECEDENCE.not));
}

function unary(e: A.Unary): Doc {
  if (e.operator === 'NOT') return ['not ', operand(e.operand, PRECEDENCE.not)];
  // `- -x` keeps its space: `--` starts a comment.
  const inner = e.operand;
  const signed = (inner.kind === 'Unary' && inner.operator !== 'NOT') || (inner.kind === 'NumberLit' && inner.text.startsWith('-'));
  return [e.operator, signed ? ' ' : '', operand(inner, PRECEDENCE.unary)];
}

/** `a.b[1].c`: printed in one loop for the same reason as binary chains. */
function postfix(e: A.FieldAccess | A.IndexAccess): Doc {
  const steps: Doc[] = [];
  let target: A.Expr = e;
  while (target.kind === 'FieldAccess' || target.kind === 'IndexAccess') {
    steps.push(target.kind === 'FieldAccess' ? ['.', name(target.field)] : ['[', expr(target.index), ']']);
    target = target.target;
  }
  steps.reverse();
  // `(5).x`, not `5.x`, which reads as the number `5.` followed by `x`.
  const head = target.kind === 'NumberLit' ? ['(', target.text, ')'] : operand(target, PRECEDENCE.postfix);
  return [head, ...steps];
}

function call(e: A.Call): Doc {
  const head = `${name(e.name)}(`;
  if (e.star) return [head, '*)'];
  if (e.args.length === 0) return [head, ')'];
  const args = join([',', line], e.args.map(expr));
  return group([head, indent([softline, e.distinct ? 'distinct ' : '', ...args]), softline, ')']);
}

function caseExpr(e: A.CaseExpr): Doc {
  const arms = e.whens.map((w) => {
    const span = { file: w.when.span.file, start: w.when.span.start, end: Math.max(w.when.span.end, w.then.span.end) };
    return [line, anchor(span, ['when ', expr(w.when), ' then ', expr(w.then)], 1)];
  });
  const otherwise = e.else ? [line, 'else ', expr(e.else)] : [];
  return group(['case', e.operand ? [' ', expr(e.operand)] : '', indent([...arms, ...otherwise]), line, 'end']);
}
