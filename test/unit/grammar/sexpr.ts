/**
 * A compact, span-free print of AST nodes for parser tests: `(Kind field=value …)`, with the common leaves
 * shortened (names bare, strings quoted, binary operators in prefix form). Empty lists, `false` and
 * absent fields are left out, so each expectation shows only what the snippet says.
 */
import { parse } from '../../../compiler/ast/parse.ts';
import type * as A from '../../../compiler/ast/nodes.ts';

export function sexpr(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(sexpr).join(' ')}]`;
  const node = value as { readonly kind?: string } & Record<string, unknown>;
  switch (node.kind) {
    case 'Ident':
      return (node as unknown as A.Ident).name;
    case 'StringLit':
      return `'${(node as unknown as A.StringLit).value}'`;
    case 'NumberLit':
      return (node as unknown as A.NumberLit).text;
    case 'BooleanLit':
      return String((node as unknown as A.BooleanLit).value);
    case 'NullLit':
      return 'null';
    case 'Duration': {
      const d = node as unknown as A.Duration;
      return `${d.amount}${d.unit}`;
    }
    case 'ColumnRef': {
      const c = node as unknown as A.ColumnRef;
      return c.qualifier ? `${c.qualifier.name}.${c.column.name}` : c.column.name;
    }
    case 'Binary': {
      const b = node as unknown as A.Binary;
      return `(${b.operator} ${sexpr(b.left)} ${sexpr(b.right)})`;
    }
    default: {
      const fields = Object.entries(node)
        .filter(([k, v]) => k !== 'kind' && k !== 'span' && k !== 'path' && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => (v === true ? k : `${k}=${sexpr(v)}`));
      // CASE arms are the only objects without a kind.
      return `(${[...(node.kind ? [node.kind] : []), ...fields].join(' ')})`;
    }
  }
}

/** Parses `text`, expects no diagnostics, and returns the parsed file. */
export function parseClean(text: string): A.PipeFile {
  const parsed = parse({ path: 'test.pipe', text });
  const messages = parsed.diagnostics.map((d) => `${d.code}: ${d.message}`);
  if (messages.length > 0) throw new Error(`unexpected diagnostics:\n${messages.join('\n')}`);
  return parsed.ast;
}

/** The first statement of a snippet, printed. */
export function statement(text: string): string {
  return sexpr(parseClean(text).statements[0]);
}

/** The first select item's expression of `stream s as select <expr> from t;`, printed. */
export function expression(text: string): string {
  const s = parseClean(`stream s as select ${text} from t;`).statements[0];
  if (s?.kind !== 'StreamDecl' || s.query.kind !== 'SelectQuery') throw new Error('not a select');
  const item = s.query.items[0];
  if (item?.kind !== 'ExprItem') throw new Error('not an expression item');
  return sexpr(item.expression);
}
