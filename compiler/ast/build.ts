/**
 * CST → AST. Pure: takes the parser's CST and returns typed nodes with spans, plus diagnostics for what
 * the grammar leaves open (duration units, interval units, numbers that must be whole, placeholders in strings and
 * names, secret names).
 * Recovery can leave parts of the CST missing; those become placeholder nodes, and a file with syntax
 * errors never reaches the checker, so placeholders are never reported twice.
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as C from '../../grammar/cst.generated.d.ts';
import type { Span } from '../source/source.ts';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { DURATION_UNITS, MAX_DURATION_MILLIS, durationMillis, isDurationUnit } from '../../stdlib/durations.ts';
import { RANGES, describeRange, inRange, type NumberRange } from '../../stdlib/ranges.ts';
import { opensPlaceholder, SECRET_NAME } from '../../stdlib/placeholders.ts';
import type * as A from './nodes.ts';

/** The word disposals each place takes; `dead letter '<topic>'` is taken everywhere. */
const DISPOSALS = {
  source: ['Fail', 'Skip'],
  expectation: ['Drop', 'Fail'],
} as const satisfies Record<string, readonly Exclude<A.Disposal['kind'], 'DeadLetter'>[]>;

const INTERVAL_UNITS: Readonly<Record<string, A.IntervalUnit>> = {
  year: 'YEAR', years: 'YEAR', month: 'MONTH', months: 'MONTH', day: 'DAY', days: 'DAY',
  hour: 'HOUR', hours: 'HOUR', minute: 'MINUTE', minutes: 'MINUTE', second: 'SECOND', seconds: 'SECOND',
};

export interface BuildResult {
  readonly file: A.PipeFile;
  readonly diagnostics: readonly Diagnostic[];
}

export function buildAst(cst: CstNode, path: string, textLength: number): BuildResult {
  const builder = new AstBuilder(path, textLength);
  // The file's path is written into the job's header comment and the manifest.
  builder.noPlaceholder(path, { file: path, start: 0, end: 0 });
  const file = builder.file(cst as C.FileCstNode);
  return { file, diagnostics: builder.diagnostics };
}

class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly path: string;
  private readonly textLength: number;

  constructor(path: string, textLength: number) {
    this.path = path;
    this.textLength = textLength;
  }

  // ── spans ───────────────────────────────────────────────────────────────────────────────────────

  private tokenSpan(token: IToken | undefined): Span {
    // Tokens inserted by error recovery have no position (NaN or -1); point at the end of the file.
    if (!token || !Number.isFinite(token.startOffset) || token.startOffset < 0) return this.at(this.textLength, this.textLength);
    return this.at(token.startOffset, (token.endOffset ?? token.startOffset) + 1);
  }

  private nodeSpan(node: CstNode | undefined): Span {
    const loc = node?.location;
    if (!loc || !Number.isFinite(loc.startOffset) || loc.startOffset < 0) return this.at(this.textLength, this.textLength);
    const end = Number.isFinite(loc.endOffset) && (loc.endOffset ?? -1) >= loc.startOffset ? (loc.endOffset ?? 0) + 1 : loc.startOffset;
    return this.at(loc.startOffset, end);
  }

  private at(start: number, end: number): Span {
    return { file: this.path, start, end };
  }

  private join(a: Span, b: Span): Span {
    return this.at(Math.min(a.start, b.start), Math.max(a.end, b.end));
  }

  // ── leaves ──────────────────────────────────────────────────────────────────────────────────────

  ident(node: C.NameCstNode | undefined): A.Ident {
    const token = node?.children.Name?.[0];
    return this.identFromToken(token);
  }

  private identFromToken(token: IToken | undefined): A.Ident {
    const image = token?.image ?? '';
    const quoted = image.startsWith('`');
    const name = quoted ? image.slice(1, -1).replaceAll('``', '`') : image;
    const span = this.tokenSpan(token);
    this.noPlaceholder(name, span);
    return { kind: 'Ident', name, quoted, span };
  }

  private aliasIdent(node: C.AliasCstNode | undefined): A.Ident | undefined {
    if (!node) return undefined;
    const c = node.children;
    if (c.name) return this.ident(c.name[0]);
    return this.identFromToken(c.Identifier?.[0] ?? c.QuotedIdentifier?.[0]);
  }

  stringLit(token: IToken | undefined): A.StringLit {
    const image = token?.image ?? "''";
    const lit: A.StringLit = { kind: 'StringLit', value: image.slice(1, -1).replaceAll("''", "'"), span: this.tokenSpan(token) };
    this.noPlaceholder(lit.value, lit.span);
    return lit;
  }

  /** Every artifact is filled at deploy time; a placeholder the user wrote would be filled too (with a secret). */
  noPlaceholder(text: string, span: Span): void {
    if (opensPlaceholder(text)) this.diagnostics.push(diagnostic('placeholder-in-text', {}, span));
  }

  numberLit(token: IToken | undefined): A.NumberLit {
    const text = token?.image ?? '0';
    return { kind: 'NumberLit', text, value: Number(text), isInteger: /^\d+$/.test(text), span: this.tokenSpan(token) };
  }

  /** A number that must be whole and within `range` (stdlib/ranges.ts), checked at its span. */
  private wholeNumber(token: IToken | undefined, range: NumberRange): A.NumberLit {
    const lit = this.numberLit(token);
    if (!token) return lit;
    if (!lit.isInteger) this.diagnostics.push(diagnostic('invalid-number', { text: lit.text, expected: range.expected }, lit.span));
    else if (!inRange(lit.text, range)) this.diagnostics.push(diagnostic('out-of-range', { what: range.what, found: lit.text, range: describeRange(range) }, lit.span));
    return lit;
  }

  duration(node: C.DurationCstNode | undefined): A.Duration {
    const span = this.nodeSpan(node);
    const amountToken = node?.children.NumberLiteral?.[0];
    const unitIdent = this.ident(node?.children.unit?.[0]);
    const amount = Number(amountToken?.image ?? '0');
    const word = unitIdent.name.toLowerCase();
    if (!isDurationUnit(word)) {
      if (amountToken && unitIdent.name) {
        const candidates = suggestionList(word, Object.keys(DURATION_UNITS));
        this.diagnostics.push(diagnostic('unknown-duration-unit', { unit: unitIdent.name, candidates }, unitIdent.span));
      }
      return { kind: 'Duration', amount, unit: 'ms', millis: amount, span };
    }
    const millis = durationMillis(amountToken?.image ?? '0', word);
    const found = `${amountToken?.image ?? '0'} ${unitIdent.name}`;
    if (millis === undefined) {
      this.diagnostics.push(diagnostic('out-of-range', { what: 'a duration', found, range: 'a whole number of milliseconds' }, span));
      return { kind: 'Duration', amount, unit: word, millis: 0, span };
    }
    if (millis > MAX_DURATION_MILLIS) {
      this.diagnostics.push(diagnostic('out-of-range', { what: 'a duration', found, range: 'at most 36500 d (100 years)' }, span));
      return { kind: 'Duration', amount, unit: word, millis: MAX_DURATION_MILLIS, span };
    }
    return { kind: 'Duration', amount, unit: word, millis, span };
  }

  // ── file and statements ─────────────────────────────────────────────────────────────────────────

  file(node: C.FileCstNode): A.PipeFile {
    const headers = [...(node.children.pipelineHeader ?? [])];
    const statements: A.Statement[] = [];
    for (const st of node.children.statement ?? []) {
      const c = st.children;
      if (c.importDecl?.[0]) statements.push(this.importDecl(c.importDecl[0]));
      else if (c.sourceDecl?.[0]) statements.push(this.sourceDecl(c.sourceDecl[0]));
      else if (c.streamDecl?.[0]) statements.push(this.streamDecl(c.streamDecl[0]));
      else if (c.sinkDecl?.[0]) statements.push(this.sinkDecl(c.sinkDecl[0]));
      else if (c.pipelineHeader?.[0]) {
        const misplaced = c.pipelineHeader[0];
        this.diagnostics.push(diagnostic('pipeline-header-misplaced', {}, this.tokenSpan(misplaced.children.PIPELINE?.[0])));
        headers.push(misplaced);
      }
    }
    const first = headers[0];
    return {
      kind: 'PipeFile',
      path: this.path,
      pipeline: first ? this.pipelineHeader(first) : undefined,
      statements,
      span: this.at(0, this.textLength),
    };
  }

  private pipelineHeader(node: C.PipelineHeaderCstNode): A.PipelineHeader {
    const c = node.children;
    return {
      kind: 'PipelineHeader',
      name: this.ident(c.name?.[0]),
      owner: c.owner ? this.stringLit(c.owner[0]) : undefined,
      description: c.description ? this.stringLit(c.description[0]) : undefined,
      settings: c.settings ? this.settings(c.settings[0]) : [],
      span: this.nodeSpan(node),
    };
  }

  private settings(node: C.SettingsCstNode | undefined): A.Setting[] {
    return (node?.children.setting ?? []).map((s) => this.setting(s));
  }

  private setting(node: C.SettingCstNode): A.Setting {
    const c = node.children;
    const key = c.key ? this.ident(c.key[0]) : this.stringLit(c.quotedKey?.[0]);
    return { kind: 'Setting', key, value: this.settingValue(c.settingValue?.[0]), span: this.nodeSpan(node) };
  }

  private settingValue(node: C.SettingValueCstNode | undefined): A.SettingValue {
    const c = node?.children;
    if (!c) return this.stringLit(undefined);
    if (c.duration) return this.duration(c.duration[0]);
    if (c.NumberLiteral) return this.numberLit(c.NumberLiteral[0]);
    if (c.StringLiteral) return this.stringLit(c.StringLiteral[0]);
    if (c.TRUE) return { kind: 'BooleanLit', value: true, span: this.tokenSpan(c.TRUE[0]) };
    if (c.FALSE) return { kind: 'BooleanLit', value: false, span: this.tokenSpan(c.FALSE[0]) };
    const name = this.ident(c.name?.[0]);
    if (c.argument) {
      // `secret('name')` is the only call form a setting takes.
      const isSecret = name.name.toLowerCase() === 'secret';
      if (!isSecret) this.diagnostics.push(diagnostic('invalid-setting-value', { found: `${name.name}(…)` }, name.span));
      const secret = this.stringLit(c.argument[0]);
      if (isSecret && !SECRET_NAME.test(secret.value)) this.diagnostics.push(diagnostic('invalid-secret-name', { name: secret.value }, secret.span));
      return { kind: 'SecretRef', name: secret, span: this.nodeSpan(node) };
    }
    return name;
  }

  private importDecl(node: C.ImportDeclCstNode): A.ImportDecl {
    const c = node.children;
    return { kind: 'ImportDecl', names: (c.name ?? []).map((n) => this.ident(n)), from: this.stringLit(c.StringLiteral?.[0]), span: this.nodeSpan(node) };
  }

  private endpoint(node: C.EndpointCstNode | undefined): A.Endpoint {
    const c = node?.children;
    return {
      kind: 'Endpoint',
      system: this.ident(c?.system?.[0]),
      objectKind: c?.objectKind ? this.ident(c.objectKind[0]) : undefined,
      object: this.stringLit(c?.StringLiteral?.[0]),
      span: this.nodeSpan(node),
    };
  }

  private sourceDecl(node: C.SourceDeclCstNode): A.SourceDecl {
    const c = node.children;
    return {
      kind: 'SourceDecl',
      name: this.ident(c.name?.[0]),
      endpoint: this.endpoint(c.endpoint?.[0]),
      clauses: (c.clause ?? []).map((cl) => this.clause(cl)),
      span: this.nodeSpan(node),
    };
  }

  private sinkDecl(node: C.SinkDeclCstNode): A.SinkDecl {
    const c = node.children;
    return {
      kind: 'SinkDecl',
      name: this.ident(c.name?.[0]),
      endpoint: this.endpoint(c.endpoint?.[0]),
      clauses: (c.clause ?? []).map((cl) => this.clause(cl)),
      span: this.nodeSpan(node),
    };
  }

  private streamDecl(node: C.StreamDeclCstNode): A.StreamDecl {
    const c = node.children;
    return {
      kind: 'StreamDecl',
      name: this.ident(c.name?.[0]),
      query: this.query(c.query?.[0]),
      expectations: (c.expectation ?? []).map((e) => this.expectation(e)),
      span: this.nodeSpan(node),
    };
  }

  private expectation(node: C.ExpectationCstNode): A.Expectation {
    const c = node.children;
    return {
      kind: 'Expectation',
      name: this.ident(c.name?.[0]),
      condition: this.expression(c.expression?.[0]),
      otherwise: c.disposal?.[0] ? this.disposal(c.disposal[0], 'an expectation') : undefined,
      span: this.nodeSpan(node),
    };
  }

  /** `fail`, `skip` (sources), `drop` (expectations) or `dead letter '<topic>'`. */
  private disposal(node: C.DisposalCstNode, of: 'a source' | 'an expectation'): A.Disposal {
    const c = node.children;
    const span = this.nodeSpan(node);
    if (c.StringLiteral) return { kind: 'DeadLetter', topic: this.stringLit(c.StringLiteral[0]), span };
    const word = this.ident(c.name?.[0]);
    const allowed = DISPOSALS[of === 'a source' ? 'source' : 'expectation'];
    const kind = allowed.find((k) => k.toLowerCase() === word.name.toLowerCase());
    if (kind) return { kind, span };
    this.diagnostics.push(diagnostic('unknown-disposal', { found: word.name, of, allowed: [...allowed.map((k) => k.toLowerCase()), "dead letter '<topic>'"] }, word.span));
    return { kind: 'Fail', span };
  }

  // ── clauses ─────────────────────────────────────────────────────────────────────────────────────

  private clause(node: C.ClauseCstNode): A.Clause {
    const c = node.children;
    const span = this.nodeSpan(node);
    if (c.formatClause) return this.formatClause(c.formatClause[0], 'value', span);
    if (c.keyClause?.[0]) {
      const k = c.keyClause[0].children;
      if (k.formatClause) return this.formatClause(k.formatClause[0], 'key', span);
      if (k.subjectClause) return this.subjectClause(k.subjectClause[0], 'key', span);
      return { kind: 'KeyColumnsClause', upsert: false, columns: this.nameList(k.nameList?.[0]), span };
    }
    if (c.upsertClause) return { kind: 'KeyColumnsClause', upsert: true, columns: this.nameList(c.upsertClause[0]?.children.nameList?.[0]), span };
    if (c.primaryKeyClause) return { kind: 'PrimaryKeyClause', columns: this.nameList(c.primaryKeyClause[0]?.children.nameList?.[0]), span };
    if (c.subjectClause) return this.subjectClause(c.subjectClause[0], 'value', span);
    if (c.eventTimeClause?.[0]) {
      const e = c.eventTimeClause[0].children;
      return {
        kind: 'EventTimeClause',
        column: this.ident(e.name?.[0]),
        expression: e.expression ? this.expression(e.expression[0]) : undefined,
        watermark: e.duration ? this.duration(e.duration[0]) : undefined,
        span,
      };
    }
    if (c.processingTimeClause) return { kind: 'ProcessingTimeClause', column: this.ident(c.processingTimeClause[0]?.children.name?.[0]), span };
    if (c.startupClause?.[0]) {
      const s = c.startupClause[0].children;
      return { kind: 'StartupClause', mode: this.ident(s.name?.[0]), value: s.StringLiteral ? this.stringLit(s.StringLiteral[0]) : undefined, span };
    }
    if (c.metadataClause?.[0]) {
      const columns = (c.metadataClause[0].children.metadataColumn ?? []).map((m): A.MetadataColumn => ({
        kind: 'MetadataColumn',
        name: this.ident(m.children.name?.[0]),
        field: m.children.field ? this.ident(m.children.field[0]) : undefined,
        span: this.nodeSpan(m),
      }));
      return { kind: 'MetadataClause', columns, span };
    }
    if (c.viaClause) return { kind: 'ViaClause', connection: this.ident(c.viaClause[0]?.children.name?.[0]), span };
    if (c.partitionsClause) return { kind: 'PartitionsClause', count: this.wholeNumber(c.partitionsClause[0]?.children.NumberLiteral?.[0], RANGES.partitions), span };
    if (c.replicationClause) return { kind: 'ReplicationClause', factor: this.wholeNumber(c.replicationClause[0]?.children.NumberLiteral?.[0], RANGES.replication), span };
    if (c.retentionClause) return { kind: 'RetentionClause', duration: this.duration(c.retentionClause[0]?.children.duration?.[0]), span };
    if (c.deliveryClause) return { kind: 'DeliveryClause', guarantee: this.ident(c.deliveryClause[0]?.children.name?.[0]), span };
    const onError = c.onErrorClause?.[0]?.children.disposal?.[0];
    if (onError) return { kind: 'OnErrorClause', disposal: this.disposal(onError, 'a source'), span };
    return { kind: 'OptionsClause', options: this.settings(c.settings?.[0]), span };
  }

  private formatClause(node: C.FormatClauseCstNode | undefined, part: A.KeyOrValue, span: Span): A.FormatClause {
    const c = node?.children;
    return { kind: 'FormatClause', part, format: this.ident(c?.name?.[0]), alias: c?.alias ? this.ident(c.alias[0]) : undefined, span };
  }

  private subjectClause(node: C.SubjectClauseCstNode | undefined, part: A.KeyOrValue, span: Span): A.SubjectClause {
    const c = node?.children;
    return {
      kind: 'SubjectClause',
      part,
      subject: this.stringLit(c?.StringLiteral?.[0]),
      version: c?.NumberLiteral ? this.wholeNumber(c.NumberLiteral[0], RANGES.subjectVersion) : undefined,
      span,
    };
  }

  private nameList(node: C.NameListCstNode | undefined): A.Ident[] {
    return (node?.children.name ?? []).map((n) => this.ident(n));
  }

  // ── queries ─────────────────────────────────────────────────────────────────────────────────────

  query(node: C.QueryCstNode | undefined): A.Query {
    const terms = (node?.children.queryTerm ?? []).map((t) => this.queryTerm(t));
    const [first] = terms;
    if (terms.length === 1 && first) return first;
    return { kind: 'UnionQuery', inputs: terms, span: this.nodeSpan(node) };
  }

  private queryTerm(node: C.QueryTermCstNode): A.Query {
    const c = node.children;
    if (c.select) return this.select(c.select[0]);
    if (c.dedupe) return this.dedupe(c.dedupe[0]);
    if (c.top) return this.top(c.top[0]);
    return this.query(c.query?.[0]);
  }

  private select(node: C.SelectCstNode | undefined): A.SelectQuery {
    const c = node?.children;
    const from = c?.fromClause?.[0]?.children;
    return {
      kind: 'SelectQuery',
      distinct: Boolean(c?.DISTINCT),
      items: (c?.selectItem ?? []).map((i) => this.selectItem(i)),
      from: this.fromItem(from?.fromItem?.[0]),
      joins: (from?.joinClause ?? []).map((j) => this.joinClause(j)),
      where: c?.where ? this.expression(c.where[0]) : undefined,
      groupBy: (c?.groupBy ?? []).map((g) => this.expression(g)),
      having: c?.having ? this.expression(c.having[0]) : undefined,
      span: this.nodeSpan(node),
    };
  }

  private selectItem(node: C.SelectItemCstNode): A.SelectItem {
    const c = node.children;
    const span = this.nodeSpan(node);
    if (c.Star) return { kind: 'StarItem', qualifier: c.qualifier ? this.ident(c.qualifier[0]) : undefined, span };
    return { kind: 'ExprItem', expression: this.expression(c.expression?.[0]), alias: this.aliasIdent(c.alias?.[0]), span };
  }

  private relation(node: C.RelationCstNode | undefined): A.Relation {
    const c = node?.children;
    if (c?.query) return { kind: 'SubqueryRelation', query: this.query(c.query[0]), span: this.nodeSpan(node) };
    return { kind: 'NamedRelation', name: this.ident(c?.name?.[0]), span: this.nodeSpan(node) };
  }

  private fromItem(node: C.FromItemCstNode | undefined): A.FromItem {
    const c = node?.children;
    const w = c?.windowClause?.[0];
    return {
      kind: 'FromItem',
      relation: this.relation(c?.relation?.[0]),
      alias: this.aliasIdent(c?.alias?.[0]),
      window: w ? this.windowClause(w) : undefined,
      span: this.nodeSpan(node),
    };
  }

  private windowClause(node: C.WindowClauseCstNode): A.WindowClause {
    const c = node.children;
    return {
      kind: 'WindowClause',
      function: this.ident(c.name?.[0]),
      args: (c.windowArg ?? []).map((a) => (a.children.duration ? this.duration(a.children.duration?.[0]) : this.expression(a.children.expression?.[0]))),
      span: this.nodeSpan(node),
    };
  }

  private joinClause(node: C.JoinClauseCstNode): A.JoinClause {
    const c = node.children;
    const span = this.nodeSpan(node);
    if (c.UNNEST) {
      return {
        kind: 'UnnestJoin',
        expression: this.expression(c.unnested?.[0]),
        alias: this.aliasIdent(c.alias?.[0]) ?? this.ident(undefined),
        columns: (c.column ?? []).map((n) => this.ident(n)),
        span,
      };
    }
    return {
      kind: 'RelationJoin',
      joinType: c.LEFT ? 'left' : 'inner',
      relation: this.relation(c.relation?.[0]),
      alias: this.aliasIdent(c.alias?.[0]),
      asOf: c.asOf ? this.expression(c.asOf[0]) : undefined,
      on: this.expression(c.on?.[0]),
      span,
    };
  }

  private dedupe(node: C.DedupeCstNode | undefined): A.DedupeQuery {
    const c = node?.children;
    return {
      kind: 'DedupeQuery',
      relation: this.ident(c?.relation?.[0]),
      keys: this.nameList(c?.nameList?.[0]),
      keep: c?.LAST ? 'last' : 'first',
      orderBy: c?.orderBy ? this.ident(c.orderBy[0]) : undefined,
      span: this.nodeSpan(node),
    };
  }

  private top(node: C.TopCstNode | undefined): A.TopQuery {
    const c = node?.children;
    return {
      kind: 'TopQuery',
      count: this.wholeNumber(c?.NumberLiteral?.[0], RANGES.topRows),
      relation: this.ident(c?.relation?.[0]),
      partitionBy: this.nameList(c?.nameList?.[0]),
      orderBy: (c?.orderItem ?? []).map((o) => ({
        kind: 'OrderItem',
        expression: this.expression(o.children.expression?.[0]),
        descending: Boolean(o.children.DESC),
        span: this.nodeSpan(o),
      })),
      span: this.nodeSpan(node),
    };
  }

  // ── expressions ─────────────────────────────────────────────────────────────────────────────────

  expression(node: C.ExpressionCstNode | undefined): A.Expr {
    if (!node) return this.errorExpr(undefined);
    const { operands, operators } = node.children;
    // Most expressions are one operand: nothing to fold (the builder visits every operand of every file).
    const single = operators === undefined ? operands?.[0] : undefined;
    if (single && operands?.length === 1) return this.notExpr(single);
    return this.foldByPrecedence((operands ?? []).map((o) => this.notExpr(o)), operators ?? []);
  }

  /**
   * `operand (operator operand)*` → Binary nodes, every operator left-associative and binding by
   * OPERATOR_PRECEDENCE (precedence climbing); the grammar gives operators of one syntax a single rule.
   */
  private foldByPrecedence(operands: readonly A.Expr[], operators: readonly IToken[]): A.Expr {
    const operand = (i: number): A.Expr => operands[i] ?? this.errorExpr(undefined);
    const precedence = (i: number): number => OPERATOR_PRECEDENCE[binaryOperator(operators[i]!)];
    let next = 0;
    const climb = (first: A.Expr, min: number): A.Expr => {
      let left = first;
      while (next < operators.length && precedence(next) >= min) {
        const op = next++;
        let right = operand(next);
        // Operators binding tighter than this one take the right operand first.
        while (next < operators.length && precedence(next) > precedence(op)) right = climb(right, precedence(op) + 1);
        left = { kind: 'Binary', operator: binaryOperator(operators[op]!), left, right, span: this.join(left.span, right.span) };
      }
      return left;
    };
    return climb(operand(0), 0);
  }

  private notExpr(node: C.NotExprCstNode): A.Expr {
    const c = node.children;
    if (c.NOT) return { kind: 'Unary', operator: 'NOT', operand: c.notExpr ? this.notExpr(c.notExpr[0]!) : this.errorExpr(undefined), span: this.nodeSpan(node) };
    return this.predicate(c.predicate?.[0]);
  }

  private predicate(node: C.PredicateCstNode | undefined): A.Expr {
    if (!node) return this.errorExpr(undefined);
    const c = node.children;
    const left = this.arithmetic(c.left?.[0]);
    // Most predicates are a bare operand.
    if (c.compare?.[0] === undefined && !c.IS && !c.IN && !c.BETWEEN && !c.LIKE) return left;
    const span = this.nodeSpan(node);
    const negated = Boolean(c.NOT);
    if (c.compare?.[0]) return { kind: 'Binary', operator: binaryOperator(c.compare[0]), left, right: this.arithmetic(c.right?.[0]), span };
    if (c.IS) return { kind: 'IsNull', operand: left, negated, span };
    if (c.IN) return { kind: 'InList', operand: left, list: (c.list ?? []).map((e) => this.expression(e)), negated, span };
    if (c.BETWEEN) return { kind: 'Between', operand: left, low: this.arithmetic(c.low?.[0]), high: this.arithmetic(c.high?.[0]), negated, span };
    if (c.LIKE) return { kind: 'Like', operand: left, pattern: this.arithmetic(c.pattern?.[0]), negated, span };
    return left;
  }

  private arithmetic(node: C.ArithmeticCstNode | undefined): A.Expr {
    if (!node) return this.errorExpr(undefined);
    const { operands, operators } = node.children;
    const single = operators === undefined ? operands?.[0] : undefined;
    if (single && operands?.length === 1) return this.unary(single);
    return this.foldByPrecedence((operands ?? []).map((o) => this.unary(o)), operators ?? []);
  }

  private unary(node: C.UnaryCstNode): A.Expr {
    const c = node.children;
    const sign = c.sign?.[0];
    if (sign) {
      const operand = c.unary?.[0] ? this.unary(c.unary[0]) : this.errorExpr(undefined);
      // Fold `-5` into one literal so it prints and types as a number. Only an unsigned literal: `- -5` stays
      // a negation, or its text would read `--5`, which is a comment.
      if (sign.image === '-' && operand.kind === 'NumberLit' && !operand.text.startsWith('-')) {
        return { ...operand, text: `-${operand.text}`, value: -operand.value, span: this.nodeSpan(node) };
      }
      return { kind: 'Unary', operator: sign.image === '-' ? '-' : '+', operand, span: this.nodeSpan(node) };
    }
    return this.postfix(c);
  }

  /** `primary ('[' expr ']' | '.' name)*`: the unsigned alternative of `unary`. */
  private postfix(c: C.UnaryCstChildren): A.Expr {
    let result = this.primary(c.primary?.[0]);
    if (!c.index && !c.field) return result;
    // The CST groups children by label; restore source order of `[i]` and `.name` steps by offset.
    const steps: { offset: number; apply: (target: A.Expr) => A.Expr }[] = [];
    (c.index ?? []).forEach((tok, i) => {
      const indexNode = c.expression?.[i];
      const close = c.RBracket?.[i];
      steps.push({
        offset: tok.startOffset,
        apply: (target) => ({ kind: 'IndexAccess', target, index: this.expression(indexNode), span: this.join(target.span, this.tokenSpan(close ?? tok)) }),
      });
    });
    (c.field ?? []).forEach((tok, i) => {
      const field = this.ident(c.name?.[i]);
      steps.push({
        offset: tok.startOffset,
        apply: (target) =>
          target.kind === 'ColumnRef' && target.qualifier === undefined
            ? { kind: 'ColumnRef', qualifier: target.column, column: field, span: this.join(target.span, field.span) }
            : { kind: 'FieldAccess', target, field, span: this.join(target.span, field.span) },
      });
    });
    steps.sort((a, b) => a.offset - b.offset);
    for (const step of steps) result = step.apply(result);
    return result;
  }

  private primary(node: C.PrimaryCstNode | undefined): A.Expr {
    if (!node) return this.errorExpr(undefined);
    const c = node.children;
    if (c.NumberLiteral) return this.numberLit(c.NumberLiteral[0]);
    if (c.StringLiteral) return this.stringLit(c.StringLiteral[0]);
    const span = this.nodeSpan(node);
    if (c.TRUE) return { kind: 'BooleanLit', value: true, span };
    if (c.FALSE) return { kind: 'BooleanLit', value: false, span };
    if (c.NULL) return { kind: 'NullLit', span };
    if (c.intervalLiteral) return this.intervalLiteral(c.intervalLiteral[0]);
    if (c.typedLiteral?.[0]) {
      const t = c.typedLiteral[0].children;
      const type = t.TIMESTAMP ? 'TIMESTAMP' : t.TIMESTAMP_LTZ ? 'TIMESTAMP_LTZ' : t.DATE ? 'DATE' : 'TIME';
      return { kind: 'TypedLit', type, value: this.stringLit(t.StringLiteral?.[0]).value, span };
    }
    if (c.caseExpr?.[0]) {
      const k = c.caseExpr[0].children;
      const whens = (k.when ?? []).map((w, i) => ({ when: this.expression(w), then: this.expression(k.then?.[i]) }));
      return { kind: 'CaseExpr', operand: k.operand ? this.expression(k.operand[0]) : undefined, whens, else: k.else ? this.expression(k.else[0]) : undefined, span };
    }
    if (c.castExpr?.[0]) {
      const k = c.castExpr[0].children;
      return { kind: 'CastExpr', expression: this.expression(k.expression?.[0]), type: this.typeRef(k.type?.[0]), safe: Boolean(k.TRY_CAST), span };
    }
    if (c.call?.[0]) {
      const k = c.call[0].children;
      return {
        kind: 'Call',
        name: this.ident(k.name?.[0]),
        args: (k.args ?? []).map((a) => this.expression(a)),
        distinct: Boolean(k.DISTINCT),
        star: Boolean(k.Star),
        span,
      };
    }
    if (c.column) return { kind: 'ColumnRef', qualifier: undefined, column: this.identFromToken(c.column[0]), span };
    if (c.expression) return this.expression(c.expression[0]);
    return this.errorExpr(node);
  }

  private intervalLiteral(node: C.IntervalLiteralCstNode | undefined): A.Expr {
    const c = node?.children;
    const span = this.nodeSpan(node);
    const value = c?.StringLiteral ? this.stringLit(c.StringLiteral[0]).value : (c?.NumberLiteral?.[0]?.image ?? '0');
    const unit = this.intervalUnit(c?.unit?.[0]);
    const toUnit = c?.toUnit ? this.intervalUnit(c.toUnit[0]) : undefined;
    return { kind: 'IntervalLit', value, unit, toUnit, span };
  }

  private intervalUnit(node: C.NameCstNode | undefined): A.IntervalUnit {
    const ident = this.ident(node);
    const unit = INTERVAL_UNITS[ident.name.toLowerCase()];
    if (unit) return unit;
    if (ident.name) {
      const candidates = suggestionList(ident.name.toLowerCase(), Object.keys(INTERVAL_UNITS));
      this.diagnostics.push(diagnostic('unknown-interval-unit', { unit: ident.name, candidates }, ident.span));
    }
    return 'SECOND';
  }

  private typeRef(node: C.TypeCstNode | undefined): A.TypeRef {
    const c = node?.children;
    const span = this.nodeSpan(node);
    const name = c?.ARRAY ? 'ARRAY' : c?.MULTISET ? 'MULTISET' : c?.MAP ? 'MAP' : c?.ROW ? 'ROW' : this.ident(c?.typeName?.[0]).name.toUpperCase();
    return {
      kind: 'TypeRef',
      name,
      params: (c?.NumberLiteral ?? []).map((n) => this.numberLit(n)),
      elements: (c?.element ?? []).map((e) => this.typeRef(e)),
      fieldNames: (c?.fieldName ?? []).map((n) => this.ident(n)),
      notNull: Boolean(c?.NOT),
      span,
    };
  }

  private errorExpr(node: CstNode | undefined): A.ErrorExpr {
    return { kind: 'ErrorExpr', span: this.nodeSpan(node) };
  }
}

/** How tightly each binary operator binds (higher binds tighter); comparisons have their own grammar rule. */
const OPERATOR_PRECEDENCE: Readonly<Record<A.BinaryOperator, number>> = {
  OR: 1,
  AND: 2,
  '=': 3, '<>': 3, '<': 3, '<=': 3, '>': 3, '>=': 3,
  '+': 4, '-': 4, '||': 4,
  '*': 5, '/': 5, '%': 5,
};

function binaryOperator(token: IToken): A.BinaryOperator {
  const image = token.image.toUpperCase();
  switch (image) {
    case 'OR': case 'AND': case '=': case '<>': case '<': case '<=': case '>': case '>=':
    case '+': case '-': case '*': case '/': case '%': case '||':
      return image;
    case '!=':
      return '<>';
    default:
      return '=';
  }
}
