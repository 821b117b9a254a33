/**
 * How deep an AST goes, found without recursion. The parser and the formatter take chains of any length, but
 * the phases after them (binder, checks, lowering, the SQL printer) walk expressions recursively, and a long
 * chain like `a + a + … + a` is a tree as deep as it has operators. So checking refuses trees deeper than
 * MAX_AST_DEPTH, at a span, instead of letting a later phase overflow the stack (about 1,700 levels did).
 * Brackets are limited separately, by the parser (compiler/ast/parse.ts).
 */
import type { Span } from '../source/source.ts';
import type { Expr, PipeFile } from './nodes.ts';

/** Far deeper than any expression written by hand; well inside what every phase's recursion handles. */
export const MAX_AST_DEPTH = 500;

const EXPRESSION_KINDS: ReadonlySet<string> = new Set([
  'StringLit', 'NumberLit', 'BooleanLit', 'NullLit', 'IntervalLit', 'TypedLit', 'ColumnRef', 'FieldAccess', 'IndexAccess',
  'Call', 'Binary', 'Unary', 'IsNull', 'InList', 'Between', 'Like', 'CaseExpr', 'CastExpr', 'ErrorExpr',
] satisfies readonly Expr['kind'][]);

/**
 * Where the tree is deeper than `limit` levels of nodes below the file: the outermost expression holding the
 * too-deep node (so a long chain is reported where it starts), or that node. Undefined when none is.
 */
export function tooDeepNode(file: PipeFile, limit = MAX_AST_DEPTH): { readonly span: Span } | undefined {
  const stack: { value: unknown; depth: number; outermost: Span | undefined }[] = [{ value: file, depth: 0, outermost: undefined }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, depth } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const element of value) stack.push({ value: element, depth, outermost: item.outermost });
      continue;
    }
    const node = 'kind' in value && 'span' in value ? (value as { kind: string; span: Span }) : undefined;
    const outermost = item.outermost ?? (node && EXPRESSION_KINDS.has(node.kind) ? node.span : undefined);
    if (node && depth > limit) return { span: outermost ?? node.span };
    for (const [key, child] of Object.entries(value)) if (key !== 'span') stack.push({ value: child, depth: node ? depth + 1 : depth, outermost });
  }
  return undefined;
}
