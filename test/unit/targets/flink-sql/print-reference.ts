/**
 * For the printer's precedence property test: random expression trees, a fully parenthesized printer, and a
 * small reference parser of the printed subset that follows Calcite's operator precedence
 * (SqlStdOperatorTable: OR 22, AND 24, NOT 26, IS NULL 28, comparisons 30, IN/BETWEEN/LIKE 32, + - 40,
 * * / || 60, prefix - + 80, . [] 100; binary operators left-associative).
 */
import fc from 'fast-check';
import type { SqlBinaryOperator, SqlExpr } from '../../../../targets/flink-sql/sql-ast.ts';

// ── random trees ────────────────────────────────────────────────────────────────────────────────

const NAMES = ['a', 'b', 'select', 'from', 'x`y', "it's", 'with space', ' padded ', '顧客', '--c', '/*d*/'];
const STRINGS = ['', 's', "it's", 'back\\slash', 'two\nlines', '-- dash', '/* star', '${P}', '`'];
const NUMBERS = ['0', '1', '12.50', '1e3', '-1', '-0.5'];
const OPERATORS: readonly SqlBinaryOperator[] = ['OR', 'AND', '=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '||'];

export function exprArbitrary(maxDepth: number): fc.Arbitrary<SqlExpr> {
  const leaf: fc.Arbitrary<SqlExpr> = fc.oneof(
    fc.constantFrom(...NAMES).map((name): SqlExpr => ({ kind: 'column', qualifier: undefined, name })),
    fc.constantFrom(...NUMBERS).map((text): SqlExpr => ({ kind: 'number', text })),
    fc.constantFrom(...STRINGS).map((value): SqlExpr => ({ kind: 'string', value })),
    fc.boolean().map((value): SqlExpr => ({ kind: 'boolean', value })),
    fc.constant<SqlExpr>({ kind: 'null' }),
  );
  const { expr } = fc.letrec<{ expr: SqlExpr; node: SqlExpr }>((tie) => ({
    expr: fc.oneof({ depthSize: 'small', maxDepth, withCrossShrink: true }, leaf, tie('node')),
    node: fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('binary' as const), operator: fc.constantFrom(...OPERATORS), left: tie('expr'), right: tie('expr') }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('unary' as const), operator: fc.constantFrom('NOT' as const, '-' as const, '+' as const), operand: tie('expr') }) },
      fc.record({ kind: fc.constant('is-null' as const), operand: tie('expr'), negated: fc.boolean() }),
      fc.record({ kind: fc.constant('in' as const), operand: tie('expr'), list: fc.array(tie('expr'), { minLength: 1, maxLength: 2 }), negated: fc.boolean() }),
      fc.record({ kind: fc.constant('between' as const), operand: tie('expr'), low: tie('expr'), high: tie('expr'), negated: fc.boolean() }),
      fc.record({ kind: fc.constant('like' as const), operand: tie('expr'), pattern: tie('expr'), negated: fc.boolean() }),
      fc.record({ kind: fc.constant('field' as const), target: tie('expr'), field: fc.constantFrom(...NAMES) }),
      fc.record({ kind: fc.constant('index' as const), target: tie('expr'), index: tie('expr') }),
      fc.record({ kind: fc.constant('call' as const), name: fc.constantFrom('f', 'COALESCE'), args: fc.array(tie('expr'), { maxLength: 2 }), distinct: fc.constant(false), star: fc.constant(false) }),
      fc.record({
        kind: fc.constant('case' as const),
        operand: fc.option(tie('expr'), { nil: undefined }),
        whens: fc.array(fc.record({ when: tie('expr'), then: tie('expr') }), { minLength: 1, maxLength: 2 }),
        else: fc.option(tie('expr'), { nil: undefined }),
      }),
      fc.record({ kind: fc.constant('cast' as const), operand: tie('expr'), type: fc.constant('INT'), safe: fc.boolean() }),
    ),
  }));
  return expr;
}

// ── fully parenthesized printing ────────────────────────────────────────────────────────────────

const quoteId = (n: string): string => '`' + n.replaceAll('`', '``') + '`';
const quoteStr = (v: string): string =>
  /[\u0000-\u001f]/.test(v)
    ? `U&'${Array.from(v, (c) => (c === "'" ? "''" : c === '\\' ? '\\\\' : c.charCodeAt(0) < 0x20 ? '\\' + c.charCodeAt(0).toString(16).padStart(4, '0') : c)).join('')}'`
    : `'${v.replaceAll("'", "''")}'`;

/** Every compound expression in parentheses: unambiguous whatever the precedence rules. */
export function printFullyParenthesized(e: SqlExpr): string {
  const p = printFullyParenthesized;
  switch (e.kind) {
    case 'column':
      return e.qualifier === undefined ? quoteId(e.name) : `${quoteId(e.qualifier)}.${quoteId(e.name)}`;
    case 'number':
      return e.text.startsWith('-') ? `(${e.text})` : e.text;
    case 'string':
      return quoteStr(e.value);
    case 'boolean':
      return e.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'binary':
      return `(${p(e.left)} ${e.operator} ${p(e.right)})`;
    case 'unary':
      return `(${e.operator} ${p(e.operand)})`;
    case 'is-null':
      return `(${p(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in':
      return `(${p(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(p).join(', ')}))`;
    case 'between':
      return `(${p(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${p(e.low)} AND ${p(e.high)})`;
    case 'like':
      return `(${p(e.operand)} ${e.negated ? 'NOT ' : ''}LIKE ${p(e.pattern)})`;
    case 'field':
      // A chain of names stays one compound identifier, as Calcite reads `a`.`b` (see normalize).
      return `${isNameChain(e.target) ? p(e.target) : `(${p(e.target)})`}.${quoteId(e.field)}`;
    case 'index':
      return `(${p(e.target)})[${p(e.index)}]`;
    case 'call':
      return `${e.name}(${e.args.map(p).join(', ')})`;
    case 'case':
      return `(CASE${e.operand ? ' ' + p(e.operand) : ''}${e.whens.map((w) => ` WHEN ${p(w.when)} THEN ${p(w.then)}`).join('')}${e.else ? ' ELSE ' + p(e.else) : ''} END)`;
    case 'cast':
      return `${e.safe ? 'TRY_CAST' : 'CAST'}(${p(e.operand)} AS ${e.type})`;
    default:
      throw new Error(`not in the tested subset: ${e.kind}`);
  }
}

function isNameChain(e: SqlExpr): boolean {
  return e.kind === 'column' || (e.kind === 'field' && isNameChain(e.target));
}

/**
 * Trees that print the same and mean the same: `p`.`c` is a qualified column or a field of column p (Calcite
 * reads both as one compound identifier), and -(1) is the literal -1 (Calcite folds it too).
 */
export function normalize(e: SqlExpr): SqlExpr {
  const n = normalize;
  switch (e.kind) {
    case 'column':
      return e.qualifier === undefined ? e : { kind: 'field', target: { kind: 'column', qualifier: undefined, name: e.qualifier }, field: e.name };
    case 'unary': {
      const operand = n(e.operand);
      if (e.operator === '-' && operand.kind === 'number' && !operand.text.startsWith('-')) return { kind: 'number', text: '-' + operand.text };
      return { ...e, operand };
    }
    case 'binary':
      return { ...e, left: n(e.left), right: n(e.right) };
    case 'is-null':
      return { ...e, operand: n(e.operand) };
    case 'in':
      return { ...e, operand: n(e.operand), list: e.list.map(n) };
    case 'between':
      return { ...e, operand: n(e.operand), low: n(e.low), high: n(e.high) };
    case 'like':
      return { ...e, operand: n(e.operand), pattern: n(e.pattern) };
    case 'field':
      return { ...e, target: n(e.target) };
    case 'index':
      return { ...e, target: n(e.target), index: n(e.index) };
    case 'call':
      return { ...e, args: e.args.map(n) };
    case 'case':
      return { ...e, operand: e.operand && n(e.operand), whens: e.whens.map((w) => ({ when: n(w.when), then: n(w.then) })), else: e.else && n(e.else) };
    case 'cast':
      return { ...e, operand: n(e.operand) };
    default:
      return e;
  }
}

// ── reference parser ────────────────────────────────────────────────────────────────────────────

type Token = { t: 'id' | 'str' | 'num' | 'word' | 'op'; v: string };

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const quoted = (q: string): string => {
    let v = '';
    i++;
    for (;;) {
      if (i >= s.length) throw new Error(`unterminated ${q} in ${s}`);
      const c = s[i] ?? '';
      if (c === q) {
        if (s[i + 1] === q) {
          v += q;
          i += 2;
          continue;
        }
        i++;
        return v;
      }
      v += c;
      i++;
    }
  };
  while (i < s.length) {
    const c = s[i] ?? '';
    const rest = s.slice(i);
    if (/\s/.test(c)) i++;
    else if (rest.startsWith('--') || rest.startsWith('/*')) throw new Error(`a comment opened in ${s}`);
    else if (c === '`') out.push({ t: 'id', v: quoted('`') });
    else if (c === "'") out.push({ t: 'str', v: quoted("'") });
    else if (rest.startsWith("U&'")) {
      i += 2;
      out.push({ t: 'str', v: quoted("'").replace(/\\(\\|[0-9A-Fa-f]{4})/g, (_m, x: string) => (x === '\\' ? '\\' : String.fromCharCode(parseInt(x, 16)))) });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(rest);
      out.push({ t: 'num', v: m?.[0] ?? '' });
      i += m?.[0].length ?? 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
      out.push({ t: 'word', v: m?.[0] ?? '' });
      i += m?.[0].length ?? 1;
    } else {
      const op = ['<>', '<=', '>=', '||'].find((o) => rest.startsWith(o)) ?? c;
      out.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  return out;
}

const BINARY: Readonly<Record<string, number>> = { OR: 22, AND: 24, '=': 30, '<>': 30, '<': 30, '<=': 30, '>': 30, '>=': 30, '+': 40, '-': 40, '*': 60, '/': 60, '||': 60 };

/** Parses the printed subset back into a tree, reading operators as Calcite does. */
export function parseReference(text: string): SqlExpr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (k = 0): Token | undefined => tokens[pos + k];
  const isWord = (w: string, k = 0): boolean => peek(k)?.t === 'word' && peek(k)?.v.toUpperCase() === w;
  const isOp = (o: string, k = 0): boolean => peek(k)?.t === 'op' && peek(k)?.v === o;
  const next = (): Token => {
    const t = tokens[pos++];
    if (!t) throw new Error(`unexpected end of ${text}`);
    return t;
  };
  const expectWord = (w: string): void => {
    if (!isWord(w)) throw new Error(`expected ${w} at token ${pos} of ${text}`);
    pos++;
  };
  const expectOp = (o: string): void => {
    if (!isOp(o)) throw new Error(`expected ${o} at token ${pos} of ${text}`);
    pos++;
  };
  const list = (close: string): SqlExpr[] => {
    const items: SqlExpr[] = [];
    if (isOp(close)) return items;
    for (;;) {
      items.push(expression(0));
      if (isOp(',')) pos++;
      else return items;
    }
  };

  function expression(min: number): SqlExpr {
    let left = prefix();
    for (;;) {
      const t = peek();
      if (!t) return left;
      const negated = isWord('NOT') && (isWord('IN', 1) || isWord('BETWEEN', 1) || isWord('LIKE', 1));
      const k = negated ? 1 : 0;
      if (t.t !== 'id' && t.t !== 'str' && BINARY[t.v.toUpperCase()] !== undefined && (t.t === 'op' || t.v.toUpperCase() === 'OR' || t.v.toUpperCase() === 'AND')) {
        const p = BINARY[t.v.toUpperCase()] ?? 0;
        if (p < min) return left;
        pos++;
        left = { kind: 'binary', operator: t.v.toUpperCase() as SqlBinaryOperator, left, right: expression(p + 1) };
      } else if (isWord('IS')) {
        if (28 < min) return left;
        pos++;
        const isNot = isWord('NOT');
        if (isNot) pos++;
        expectWord('NULL');
        left = { kind: 'is-null', operand: left, negated: isNot };
      } else if (isWord('IN', k)) {
        if (32 < min) return left;
        pos += k + 1;
        expectOp('(');
        const items = list(')');
        expectOp(')');
        left = { kind: 'in', operand: left, list: items, negated };
      } else if (isWord('LIKE', k)) {
        if (32 < min) return left;
        pos += k + 1;
        left = { kind: 'like', operand: left, pattern: expression(33), negated };
      } else if (isWord('BETWEEN', k)) {
        if (32 < min) return left;
        pos += k + 1;
        const low = expression(33);
        expectWord('AND');
        left = { kind: 'between', operand: left, low, high: expression(33), negated };
      } else {
        return left;
      }
    }
  }

  function prefix(): SqlExpr {
    if (isWord('NOT')) {
      pos++;
      return { kind: 'unary', operator: 'NOT', operand: expression(26) };
    }
    if (isOp('-') || isOp('+')) {
      const operator = next().v as '-' | '+';
      return { kind: 'unary', operator, operand: expression(80) };
    }
    return postfix(primary());
  }

  function postfix(target: SqlExpr): SqlExpr {
    if (isOp('.')) {
      pos++;
      const f = next();
      if (f.t !== 'id') throw new Error(`expected a field name in ${text}`);
      return postfix(target.kind === 'column' && target.qualifier === undefined ? { kind: 'column', qualifier: target.name, name: f.v } : { kind: 'field', target, field: f.v });
    }
    if (isOp('[')) {
      pos++;
      const index = expression(0);
      expectOp(']');
      return postfix({ kind: 'index', target, index });
    }
    return target;
  }

  function primary(): SqlExpr {
    const t = next();
    switch (t.t) {
      case 'id':
        return { kind: 'column', qualifier: undefined, name: t.v };
      case 'str':
        return { kind: 'string', value: t.v };
      case 'num':
        return { kind: 'number', text: t.v };
      case 'op': {
        if (t.v !== '(') throw new Error(`unexpected ${t.v} in ${text}`);
        const inner = expression(0);
        expectOp(')');
        return inner;
      }
      case 'word':
        break;
    }
    const w = t.v.toUpperCase();
    if (w === 'TRUE' || w === 'FALSE') return { kind: 'boolean', value: w === 'TRUE' };
    if (w === 'NULL') return { kind: 'null' };
    if (w === 'CASE') {
      const operand = isWord('WHEN') ? undefined : expression(0);
      const whens: { when: SqlExpr; then: SqlExpr }[] = [];
      while (isWord('WHEN')) {
        pos++;
        const when = expression(0);
        expectWord('THEN');
        whens.push({ when, then: expression(0) });
      }
      let otherwise: SqlExpr | undefined;
      if (isWord('ELSE')) {
        pos++;
        otherwise = expression(0);
      }
      expectWord('END');
      return { kind: 'case', operand, whens, else: otherwise };
    }
    if (w === 'CAST' || w === 'TRY_CAST') {
      expectOp('(');
      const operand = expression(0);
      expectWord('AS');
      const type = next().v;
      expectOp(')');
      return { kind: 'cast', operand, type, safe: w === 'TRY_CAST' };
    }
    expectOp('(');
    const args = list(')');
    expectOp(')');
    return { kind: 'call', name: t.v, args, distinct: false, star: false };
  }

  const result = expression(0);
  if (pos !== tokens.length) throw new Error(`trailing tokens from ${pos} in ${text}`);
  return result;
}
