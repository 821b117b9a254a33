/**
 * The one place Flink SQL becomes text: identifier quoting, string escaping, operator
 * precedence and layout. Everything else builds the tree in sql-ast.ts.
 *
 * The rules below were checked against Flink 1.20's and 2.2's own parser (FlinkSqlParserImpl configured as
 * PlannerContext does: Lex.JAVA, identifiers of at most 256 characters) and Calcite's SqlStdOperatorTable.
 * Output is deterministic: the same tree gives the same bytes, with no trailing spaces.
 */
import { InternalCompilerError, assertNever, invariant } from '../../compiler/util/invariant.ts';
import { CONTROL } from '../../stdlib/external-names.ts';
import type {
  AlterTable,
  CompilePlan,
  CreateTable,
  CreateView,
  ExecutableStatement,
  FromItem,
  Insert,
  Select,
  SelectItem,
  SqlBinaryOperator,
  SqlExpr,
  SqlQuery,
  SqlStatement,
  TableColumn,
} from './sql-ast.ts';

/** Lines longer than this are broken where SQL allows (select lists, AND chains, CASE). */
const MAX_LINE = 100;

// ── quoting ─────────────────────────────────────────────────────────────────────────────────────

/** PlannerContext sets SqlParser.Config#withIdentifierMaxLength(256), in UTF-16 units, in 1.20 and 2.2. */
const MAX_IDENTIFIER_LENGTH = 256;

/**
 * Characters a `'…'` literal must not hold raw: C0/C1 controls and DEL (a raw line break is valid to Calcite,
 * but line-based tools such as Flink's SQL client split scripts by line and read `--` lines as comments),
 * Unicode line/paragraph separators, bidirectional and invisible format controls (the file must read as it
 * parses), and lone surrogates (a UTF-8 file cannot hold them).
 */
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Java's Character.isWhitespace outside the controls (rejected anyway): Flink refuses a name made only of these
 * ("Parts of the object identifier are null or whitespace-only", and RowType's "Field names must contain at
 * least one non-whitespace character"), in 1.20 and 2.2. No-break spaces are not whitespace to Java.
 */
const JAVA_WHITESPACE_ONLY = /^[ \u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]+$/;

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `` `name` ``, inner back-quotes doubled; case and every other character kept as is. */
export function quoteIdentifier(name: string): string {
  // The common case, a plain name, passes every check below; testing it first keeps printing cheap.
  if (name.length <= MAX_IDENTIFIER_LENGTH && PLAIN_IDENTIFIER.test(name)) return '`' + name + '`';
  // `` is an escaped back-quote to Calcite, not an empty name.
  invariant(name.length > 0, 'an empty identifier reached the SQL printer');
  invariant(!JAVA_WHITESPACE_ONLY.test(name), `identifier ${JSON.stringify(name)} is only whitespace, which Flink rejects as a table or column name`);
  invariant(
    name.length <= MAX_IDENTIFIER_LENGTH,
    `identifier of ${name.length} characters reached the SQL printer; Flink accepts at most ${MAX_IDENTIFIER_LENGTH}: ${JSON.stringify(name.slice(0, 40))}…`,
  );
  invariant(!CONTROL.test(name), `identifier ${JSON.stringify(name)} has a line break, control character or lone surrogate, which Flink cannot read`);
  return '`' + name.replaceAll('`', '``') + '`';
}

/**
 * A string literal: `'…'` with `''` for a quote; backslashes, `--`, `/*` and `${…}` pass through untouched
 * (standard literals have no other escapes in either Flink line). A value with a character from NEEDS_ESCAPE
 * becomes `U&'…'` with `\XXXX` escapes: SQL-standard, read by Calcite in Flink 1.20 and 2.2 alike (verified in
 * expressions and WITH options). `E'…'` would be shorter but Flink 1.20 does not have it.
 */
export function quoteString(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return plainLiteral(value);
  const body = Array.from(value, (ch) => {
    if (ch === "'") return "''";
    if (ch === '\\') return '\\\\';
    // A well-formed surrogate pair arrives as one two-unit string and stays raw (U& has no 6-digit form in Calcite).
    return ch.length === 1 && NEEDS_ESCAPE.test(ch) ? '\\' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') : ch;
  }).join('');
  return `U&'${body}'`;
}

function plainLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Where only a plain `'…'` literal is allowed: interval and typed-literal values (the grammar takes no U&
 * there), SET (read by a regular expression in tools), option keys, metadata keys and plan paths.
 */
function plainString(value: string, what: string): string {
  invariant(!NEEDS_ESCAPE.test(value), `${what} ${JSON.stringify(value)} has a control character; only a plain '…' literal is valid there`);
  return plainLiteral(value);
}

// ── script and statements ───────────────────────────────────────────────────────────────────────

/**
 * The whole job.sql, ending in a newline: statements separated by blank lines, except that a comment sits right
 * above the statement it introduces and consecutive SET statements form one block.
 */
export function printScript(statements: readonly SqlStatement[]): string {
  if (statements.length === 0) return '';
  const parts = statements.map((s, i) => {
    const text = printStatement(s);
    const previous = statements[i - 1];
    if (previous === undefined) return text;
    const tight = (previous.kind === 'comment' && s.kind !== 'comment') || (previous.kind === 'set' && s.kind === 'set');
    return (tight ? '\n' : '\n\n') + text;
  });
  return parts.join('') + '\n';
}

function printStatement(s: SqlStatement): string {
  return s.kind === 'comment' ? comment(s.lines) : `${printExecutable(s)};`;
}

/**
 * One statement as sent on its own to the SQL Gateway: without the `;` that ends it in a script (the inner
 * ones of a statement set stay).
 */
export function printExecutable(s: ExecutableStatement): string {
  switch (s.kind) {
    case 'set':
      return `SET ${plainString(s.key, 'SET key')} = ${plainString(s.value, 'SET value')}`;
    case 'add-jar':
      return `ADD JAR ${plainString(s.location, 'jar location')}`;
    case 'create-table':
      return createTable(s);
    case 'create-table-like':
      return `CREATE TEMPORARY TABLE ${quoteIdentifier(s.name)}${withOptions(s.options)} LIKE ${quoteIdentifier(s.like)}`;
    case 'drop-table':
      return `DROP TEMPORARY TABLE ${quoteIdentifier(s.name)}`;
    case 'create-view':
      return createView(s);
    case 'create-function':
      return `CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS ${quoteIdentifier(s.name)} AS ${plainString(s.className, 'function class')} LANGUAGE JAVA`;
    case 'alter-table':
      return alterTable(s);
    case 'statement-set':
      return `EXECUTE STATEMENT SET\n${statementSetBody(s.inserts)}`;
    case 'compile-plan':
      return compilePlan(s);
    case 'execute-plan':
      return `EXECUTE PLAN ${plainString(s.path, 'plan path')}`;
    default:
      return assertNever(s, 'SQL statement');
  }
}

/** `--` lines; a line break inside a line starts another comment line, other controls are shown escaped. */
function comment(lines: readonly string[]): string {
  const all = lines.flatMap((l) => l.split(/\r\n|[\r\n\u2028\u2029]/));
  return all
    .map((l) => {
      const shown = l.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).trimEnd();
      return shown === '' ? '--' : `-- ${shown}`;
    })
    .join('\n');
}

function createTable(t: CreateTable): string {
  invariant(t.columns.length > 0, `CREATE TABLE ${t.name} without columns`);
  const elements = [
    ...t.columns.map(tableColumn),
    ...(t.watermark ? [`WATERMARK FOR ${quoteIdentifier(t.watermark.column)} AS ${expr(t.watermark.expression)}`] : []),
    ...(t.primaryKey.length > 0 ? [`PRIMARY KEY (${t.primaryKey.map(quoteIdentifier).join(', ')}) NOT ENFORCED`] : []),
  ];
  return `CREATE ${t.temporary ? 'TEMPORARY ' : ''}TABLE ${quoteIdentifier(t.name)} (\n${indent(elements.join(',\n'), 2)}\n)${withOptions(t.options)}`;
}

/** ` WITH (…)`, or nothing without options. */
function withOptions(options: Readonly<Record<string, string>>): string {
  // Plain code-unit order (not localeCompare), so the output never depends on the machine's locale.
  const keys = Object.keys(options).sort();
  if (keys.length === 0) return '';
  return ` WITH (\n${indent(keys.map((k) => `${plainString(k, 'connector option key')} = ${quoteString(options[k] ?? '')}`).join(',\n'), 2)}\n)`;
}

function tableColumn(c: TableColumn): string {
  switch (c.kind) {
    case 'physical':
      return `${quoteIdentifier(c.name)} ${typeText(c.type)}`;
    case 'metadata':
      return `${quoteIdentifier(c.name)} ${typeText(c.type)} METADATA FROM ${plainString(c.key, 'metadata key')}${c.virtual ? ' VIRTUAL' : ''}`;
    case 'computed':
      return `${quoteIdentifier(c.name)} AS ${expr(c.expression)}`;
    default:
      return assertNever(c, 'table column');
  }
}

/** Type text comes spelled from formatType; a line break there would be a bug that shifts every line after it. */
function typeText(type: string): string {
  invariant(type.length > 0 && !/[\r\n;]/.test(type), `malformed SQL type text ${JSON.stringify(type)}`);
  return type;
}

function createView(v: CreateView): string {
  return `CREATE ${v.temporary ? 'TEMPORARY ' : ''}VIEW ${quoteIdentifier(v.name)} AS\n${indent(printQuery(v.query), 2)}`;
}

function alterTable(a: AlterTable): string {
  const head = `ALTER TABLE ${quoteIdentifier(a.name)}`;
  switch (a.change.kind) {
    case 'add-column':
      return `${head} ADD (${tableColumn(a.change.column)})`;
    case 'add-primary-key':
      invariant(a.change.columns.length > 0, `ALTER TABLE ${a.name} ADD PRIMARY KEY without columns`);
      return `${head} ADD PRIMARY KEY (${a.change.columns.map(quoteIdentifier).join(', ')}) NOT ENFORCED`;
    case 'modify-watermark':
      return `${head} MODIFY WATERMARK FOR ${quoteIdentifier(a.change.column)} AS ${expr(a.change.expression)}`;
    case 'set-options': {
      const keys = Object.keys(a.change.options).sort();
      invariant(keys.length > 0, `ALTER TABLE ${a.name} SET without options`);
      const options = a.change.options;
      return `${head} SET (\n${indent(keys.map((k) => `${plainString(k, 'table option key')} = ${quoteString(options[k] ?? '')}`).join(',\n'), 2)}\n)`;
    }
    default:
      return assertNever(a.change, 'ALTER TABLE change');
  }
}

function statementSetBody(inserts: readonly Insert[]): string {
  invariant(inserts.length > 0, 'a statement set without INSERT statements');
  return `BEGIN\n${inserts.map((i) => indent(insert(i), 2) + ';').join('\n\n')}\nEND`;
}

function compilePlan(c: CompilePlan): string {
  // IF NOT EXISTS follows the path, as Flink's SQL parser (flink-sql-parser) takes it: `COMPILE PLAN '<path>' IF NOT EXISTS FOR …`.
  return `COMPILE PLAN ${plainString(c.path, 'plan path')}${c.ifNotExists ? ' IF NOT EXISTS' : ''} FOR STATEMENT SET\n${statementSetBody(c.inserts)}`;
}

function insert(i: Insert): string {
  const columns = i.columns.length > 0 ? ` (${i.columns.map(quoteIdentifier).join(', ')})` : '';
  return `INSERT INTO ${quoteIdentifier(i.table)}${columns}\n${printQuery(i.query)}`;
}

// ── queries ─────────────────────────────────────────────────────────────────────────────────────

/** A query at column 0, one clause per line; the caller indents it where it is nested. */
export function printQuery(q: SqlQuery): string {
  switch (q.kind) {
    case 'select':
      return select(q);
    case 'union-all': {
      invariant(q.inputs.length > 0, 'UNION ALL without inputs');
      // Flattened: UNION ALL is associative on bags and its columns come from the first input, which stays first.
      return unionInputs(q).map(select).join('\nUNION ALL\n');
    }
    case 'with': {
      invariant(q.items.length > 0, 'WITH without items');
      const items = q.items.map((i) => `${quoteIdentifier(i.name)} AS (\n${indent(printQuery(i.query), 2)}\n)`);
      return `WITH ${items.join(',\n')}\n${printQuery(q.body)}`;
    }
    default:
      return assertNever(q, 'SQL query');
  }
}

function unionInputs(q: SqlQuery): readonly Select[] {
  switch (q.kind) {
    case 'select':
      return [q];
    case 'union-all':
      return q.inputs.flatMap(unionInputs);
    case 'with':
      // Lowering puts WITH only at the top of an INSERT's query; inside UNION ALL it would need parentheses.
      throw new InternalCompilerError('a WITH query as an input of UNION ALL');
    default:
      return assertNever(q, 'SQL query');
  }
}

function select(s: Select): string {
  const head = s.distinct ? 'SELECT DISTINCT' : 'SELECT';
  invariant(s.items.length > 0, 'SELECT without items');
  const items = s.items.map(selectItem);
  const inline = items.join(', ');
  const list = items.length <= 3 && !inline.includes('\n') && head.length + 1 + inline.length <= 80 ? `${head} ${inline}` : `${head}\n${indent(items.join(',\n'), 2)}`;
  return [
    list,
    `FROM ${fromItem(s.from)}`,
    ...(s.where ? [condition('WHERE', s.where)] : []),
    ...(s.groupBy.length > 0 ? [groupBy(s.groupBy)] : []),
    ...(s.having ? [condition('HAVING', s.having)] : []),
  ].join('\n');
}

function selectItem(i: SelectItem): string {
  switch (i.kind) {
    case 'star':
      return i.qualifier === undefined ? '*' : `${quoteIdentifier(i.qualifier)}.*`;
    case 'expr':
      return expr(i.expression) + alias(i.alias);
    default:
      return assertNever(i, 'select item');
  }
}

function alias(name: string | undefined): string {
  return name === undefined ? '' : ` AS ${quoteIdentifier(name)}`;
}

function groupBy(keys: readonly SqlExpr[]): string {
  const items = keys.map(expr);
  const inline = `GROUP BY ${items.join(', ')}`;
  return inline.length <= MAX_LINE && !inline.includes('\n') ? inline : `GROUP BY\n${indent(items.join(',\n'), 2)}`;
}

/** `WHERE a AND b`, or, when long, a left-deep AND chain one conjunct per line. */
function condition(keyword: string, e: SqlExpr): string {
  const inline = `${keyword} ${expr(e)}`;
  if ((inline.length <= MAX_LINE && !inline.includes('\n')) || !isBinary(e, 'AND')) return inline;
  const [first, ...rest] = andChain(e);
  invariant(first !== undefined, 'empty AND chain');
  return [`${keyword} ${operand(first, e, 'left')}`, ...rest.map((c) => `  AND ${operand(c, e, 'right')}`)].join('\n');
}

/** a AND b AND c as Calcite reads it: ((a AND b) AND c); a right-nested AND stays one (parenthesized) conjunct. */
function andChain(e: SqlExpr): readonly SqlExpr[] {
  return isBinary(e, 'AND') ? [...andChain(e.left), e.right] : [e];
}

function isBinary(e: SqlExpr, op: SqlBinaryOperator): e is Extract<SqlExpr, { kind: 'binary' }> {
  return e.kind === 'binary' && e.operator === op;
}

function fromItem(f: FromItem): string {
  switch (f.kind) {
    case 'table':
      return quoteIdentifier(f.name) + alias(f.alias);
    case 'subquery':
      return `(\n${indent(printQuery(f.query), 2)}\n)${alias(f.alias)}`;
    case 'window-tvf':
      return windowTvf(f) + alias(f.alias);
    case 'join':
      return join(f);
    case 'unnest': {
      const columns = f.columns.length > 0 ? ` (${f.columns.map(quoteIdentifier).join(', ')})` : '';
      return `UNNEST(${expr(f.expression)})${alias(f.alias)}${columns}`;
    }
    default:
      return assertNever(f, 'FROM item');
  }
}

/** `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL …))`: the positional form both Flink lines accept. */
function windowTvf(w: Extract<FromItem, { kind: 'window-tvf' }>): string {
  invariant(w.partitionBy.length === 0 || w.function === 'SESSION', `${w.function} takes no PARTITION BY`);
  const partition =
    w.partitionBy.length === 0 ? '' : w.partitionBy.length === 1 ? ` PARTITION BY ${quoteIdentifier(w.partitionBy[0] ?? '')}` : ` PARTITION BY (${w.partitionBy.map(quoteIdentifier).join(', ')})`;
  const args = [`${tableArgument(w.input)}${partition}`, `DESCRIPTOR(${quoteIdentifier(w.timeColumn)})`, ...w.args.map(expr)];
  return `TABLE(${w.function}(${args.join(', ')}))`;
}

/**
 * A table argument is `TABLE name` or a parenthesized query; Calcite's grammar has no alias there (the query's
 * alias names nothing inside the call), and no `TABLE (query)`.
 */
function tableArgument(input: FromItem): string {
  switch (input.kind) {
    case 'table':
      invariant(input.alias === undefined, `the window table function input ${input.name} has an alias, which a table argument cannot take`);
      return `TABLE ${quoteIdentifier(input.name)}`;
    case 'subquery':
      return `(\n${indent(printQuery(input.query), 2)}\n)`;
    case 'window-tvf':
    case 'join':
    case 'unnest':
      throw new InternalCompilerError(`a window table function reads a table, a view or a query, not a ${input.kind}`);
    default:
      return assertNever(input, 'FROM item');
  }
}

function join(j: Extract<FromItem, { kind: 'join' }>): string {
  // Left-deep only: Calcite would need parentheses around a nested join on the right, and lowering never builds one.
  invariant(j.right.kind !== 'join', 'a join nested on the right of a join');
  const keyword = j.joinType === 'INNER' ? 'JOIN' : `${j.joinType} JOIN`;
  invariant((j.joinType === 'CROSS') === (j.on === undefined), `${keyword} ${j.on === undefined ? 'without' : 'with'} ON`);
  const right = j.asOf === undefined ? fromItem(j.right) : temporalRight(j.right, j.asOf);
  const line = `${keyword} ${right}`;
  const on = j.on === undefined ? '' : onClause(line, j.on);
  return `${fromItem(j.left)}\n${line}${on}`;
}

/** `t FOR SYSTEM_TIME AS OF p.ts AS l`: the period comes between the table and its alias. */
function temporalRight(right: FromItem, asOf: SqlExpr): string {
  invariant(right.kind === 'table', `FOR SYSTEM_TIME AS OF on a ${right.kind}; only a table or view can be versioned`);
  return `${quoteIdentifier(right.name)} FOR SYSTEM_TIME AS OF ${expr(asOf)}${alias(right.alias)}`;
}

function onClause(joinLine: string, on: SqlExpr): string {
  const inline = ` ON ${expr(on)}`;
  if (joinLine.length + inline.length <= MAX_LINE && !inline.includes('\n') && !joinLine.includes('\n')) return inline;
  return '\n' + indent(condition('ON', on), 2);
}

// ── expressions ─────────────────────────────────────────────────────────────────────────────────

/**
 * Binding strength, Calcite's left precedence of each operator (SqlStdOperatorTable, the same in the Calcite of
 * Flink 1.20 and 2.2). Note `||` binds like `*` (60), tighter than `+`: `a || b + c` is `(a || b) + c`.
 */
const OR = 22;
const AND = 24;
const NOT = 26;
const IS = 28; // IS [NOT] NULL
const COMPARISON = 30; // = <> < <= > >=
const MEMBERSHIP = 32; // [NOT] IN, [NOT] BETWEEN, [NOT] LIKE
const ADDITIVE = 40; // + -
const MULTIPLICATIVE = 60; // * / ||
const PREFIX = 80; // unary - +, and a negative number literal
const POSTFIX = 100; // .field, [index]; also every self-delimiting form (literals, calls, CASE, CAST)

const BINARY_STRENGTH: Readonly<Record<SqlBinaryOperator, number>> = {
  OR,
  AND,
  '=': COMPARISON,
  '<>': COMPARISON,
  '<': COMPARISON,
  '<=': COMPARISON,
  '>': COMPARISON,
  '>=': COMPARISON,
  '+': ADDITIVE,
  '-': ADDITIVE,
  '*': MULTIPLICATIVE,
  '/': MULTIPLICATIVE,
  '||': MULTIPLICATIVE,
};

function strength(e: SqlExpr): number {
  switch (e.kind) {
    case 'binary':
      return BINARY_STRENGTH[e.operator];
    case 'unary':
      return e.operator === 'NOT' ? NOT : PREFIX;
    case 'is-null':
      return IS;
    case 'in':
    case 'between':
    case 'like':
      return MEMBERSHIP;
    case 'number':
      return e.text.startsWith('-') ? PREFIX : POSTFIX;
    case 'column':
    case 'field':
    case 'index':
    case 'string':
    case 'boolean':
    case 'null':
    case 'interval':
    case 'typed-literal':
    case 'call':
    case 'over':
    case 'case':
    case 'cast':
    case 'map':
    case 'descriptor':
    case 'keyword':
      return POSTFIX;
    default:
      return assertNever(e, 'SQL expression');
  }
}

/**
 * Starts with a sign: parenthesized after another sign, since `--` opens a comment (`-(-x)`), and on the right of
 * arithmetic, for the reader (`x - (-1)`).
 */
function isSigned(e: SqlExpr): boolean {
  return (e.kind === 'unary' && e.operator !== 'NOT') || (e.kind === 'number' && e.text.startsWith('-'));
}

function isArithmetic(e: SqlExpr): boolean {
  return e.kind === 'binary' && (e.operator === '+' || e.operator === '-' || e.operator === '*' || e.operator === '/');
}

/** One operand of a binary operator, parenthesized where Calcite would otherwise re-associate it. */
function operand(e: SqlExpr, parent: Extract<SqlExpr, { kind: 'binary' }>, side: 'left' | 'right'): string {
  const p = BINARY_STRENGTH[parent.operator];
  const s = strength(e);
  const parens =
    p === COMPARISON
      ? s <= MEMBERSHIP
      : // Left-associative: an equal-strength right operand is a different tree (a - (b - c), a / (b * c)).
        (side === 'left' ? s < p : s <= p) ||
        (side === 'right' && isSigned(e) && (isArithmetic(parent) || parent.operator === '||')) ||
        // `||` shares `*`'s strength, which surprises readers; say it with parentheses.
        (parent.operator === '||' && isArithmetic(e)) ||
        (isArithmetic(parent) && isBinary(e, '||'));
  return wrap(e, parens);
}

function wrap(e: SqlExpr, parens: boolean): string {
  const text = expr(e);
  return parens ? `(${text})` : text;
}

/** An operand of IS NULL, IN, BETWEEN or LIKE: only tighter-binding forms go bare (arithmetic and up). */
function predicateOperand(e: SqlExpr): string {
  return wrap(e, strength(e) <= MEMBERSHIP);
}

/** The target of `.field` and `[index]`: identifiers and calls chain bare; anything else is parenthesized. */
function postfixTarget(e: SqlExpr): string {
  return wrap(e, !(e.kind === 'column' || e.kind === 'field' || e.kind === 'index' || e.kind === 'call'));
}

/** Typed literals both Flink lines parse. `TIMESTAMP_LTZ '…'` parses in neither, `TIMESTAMP WITH LOCAL TIME ZONE '…'` only in 2.x. */
const TYPED_LITERAL_TYPES = new Set(['DATE', 'TIME', 'TIMESTAMP']);

/** An expression on one line (a long CASE breaks over several), with the fewest parentheses Calcite needs. */
export function printExpr(e: SqlExpr): string {
  return expr(e);
}

function expr(e: SqlExpr): string {
  switch (e.kind) {
    case 'column':
      return e.qualifier === undefined ? quoteIdentifier(e.name) : `${quoteIdentifier(e.qualifier)}.${quoteIdentifier(e.name)}`;
    case 'field':
      return `${postfixTarget(e.target)}.${quoteIdentifier(e.field)}`;
    case 'index':
      return `${postfixTarget(e.target)}[${expr(e.index)}]`;
    case 'string':
      return quoteString(e.value);
    case 'number':
      // Printed as written, so it must be a number: the text is trusted nowhere else.
      invariant(/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(e.text), `malformed number literal ${JSON.stringify(e.text)}`);
      return e.text;
    case 'boolean':
      return e.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'interval': {
      const unit = keywordText(e.unit, 'interval unit');
      const to = e.toUnit === undefined ? '' : ` TO ${keywordText(e.toUnit, 'interval unit')}`;
      return `INTERVAL ${plainString(e.value, 'interval value')} ${unit}${to}`;
    }
    case 'typed-literal': {
      const type = e.type.toUpperCase();
      invariant(TYPED_LITERAL_TYPES.has(type), `no typed literal of type ${JSON.stringify(e.type)} in Flink 1.20 and 2.2; lower it to CAST('…' AS TIMESTAMP_LTZ(p))`);
      return `${type} ${plainString(e.value, `${type} literal`)}`;
    }
    case 'call':
      return call(e);
    case 'map':
      return `MAP[${e.entries.flatMap(([k, v]) => [expr(k), expr(v)]).join(', ')}]`;
    case 'over': {
      invariant(e.call.kind === 'call', 'OVER applies to a function call');
      const window = [
        ...(e.partitionBy.length > 0 ? [`PARTITION BY ${e.partitionBy.map(expr).join(', ')}`] : []),
        ...(e.orderBy.length > 0 ? [`ORDER BY ${e.orderBy.map((o) => expr(o.expression) + (o.descending ? ' DESC' : '')).join(', ')}`] : []),
      ];
      return `${expr(e.call)} OVER (${window.join(' ')})`;
    }
    case 'binary':
      return `${operand(e.left, e, 'left')} ${e.operator} ${operand(e.right, e, 'right')}`;
    case 'unary':
      if (e.operator === 'NOT') {
        // NOT over anything but an atom is parenthesized: minimal `NOT a = b` reads wrongly to people.
        return `NOT ${wrap(e.operand, strength(e.operand) < POSTFIX)}`;
      }
      return `${e.operator}${wrap(e.operand, strength(e.operand) < PREFIX || isSigned(e.operand))}`;
    case 'is-null':
      return `${predicateOperand(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'in':
      invariant(e.list.length > 0, 'IN with an empty list');
      return `${predicateOperand(e.operand)} ${e.negated ? 'NOT IN' : 'IN'} (${e.list.map(expr).join(', ')})`;
    case 'between':
      return `${predicateOperand(e.operand)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${predicateOperand(e.low)} AND ${predicateOperand(e.high)}`;
    case 'like':
      return `${predicateOperand(e.operand)} ${e.negated ? 'NOT LIKE' : 'LIKE'} ${predicateOperand(e.pattern)}`;
    case 'case':
      return caseExpr(e);
    case 'cast':
      return `${e.safe ? 'TRY_CAST' : 'CAST'}(${expr(e.operand)} AS ${typeText(e.type)})`;
    case 'descriptor':
      return `DESCRIPTOR(${quoteIdentifier(e.column)})`;
    case 'keyword':
      return keywordText(e.word, 'keyword');
    default:
      return assertNever(e, 'SQL expression');
  }
}

function call(e: Extract<SqlExpr, { kind: 'call' }>): string {
  // Printed as is (Flink resolves built-ins case-insensitively), so it must be a plain word.
  invariant(/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name), `malformed function name ${JSON.stringify(e.name)}`);
  if (e.star) {
    invariant(e.args.length === 0 && !e.distinct, `${e.name}(*) with arguments`);
    return `${e.name}(*)`;
  }
  return `${e.name}(${e.distinct ? 'DISTINCT ' : ''}${e.args.map(expr).join(', ')})`;
}

function caseExpr(e: Extract<SqlExpr, { kind: 'case' }>): string {
  invariant(e.whens.length > 0, 'CASE without WHEN');
  const head = e.operand === undefined ? 'CASE' : `CASE ${expr(e.operand)}`;
  const branches = [...e.whens.map((w) => `WHEN ${expr(w.when)} THEN ${expr(w.then)}`), ...(e.else === undefined ? [] : [`ELSE ${expr(e.else)}`])];
  const inline = `${head} ${branches.join(' ')} END`;
  if (inline.length <= MAX_LINE && !inline.includes('\n')) return inline;
  return `${head}\n${indent(branches.join('\n'), 2)}\nEND`;
}

/** Interval units and bare keywords: upper case, and nothing but a word with an optional precision. */
function keywordText(text: string, what: string): string {
  const upper = text.toUpperCase();
  invariant(/^[A-Z][A-Z_]*(\(\d+\))?$/.test(upper), `malformed ${what} ${JSON.stringify(text)}`);
  return upper;
}

// ── layout ──────────────────────────────────────────────────────────────────────────────────────

/**
 * Indents every non-empty line. Safe on any printed text: a line break can only be layout, since literals
 * escape theirs (quoteString) and identifiers cannot hold one.
 */
function indent(text: string, by: number): string {
  const pad = ' '.repeat(by);
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}
