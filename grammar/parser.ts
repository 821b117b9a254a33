/**
 * The .pipe grammar as a chevrotain CstParser. Each rule's doc comment gives its production.
 * Recovery is on, so one file reports all of its syntax errors; the AST builder (compiler/ast/build.ts)
 * turns the CST into typed nodes and validates what the grammar leaves open (units, formats, systems).
 */
import { CstParser, type CstNode, type IOrAlt, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.ts';

const labelOf = (t: TokenType): string => t.LABEL ?? t.name;
const firsts = (paths: readonly (readonly TokenType[])[]): string[] =>
  paths.map((path) => path[0]).filter((t): t is TokenType => t !== undefined).map(labelOf);

/**
 * chevrotain's error messages are replaced by the list of expected token labels (as JSON), so the
 * diagnostic layer phrases every syntax error itself, in one place (compiler/diagnostics/messages.ts).
 */
const expectedTokensProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify([labelOf(expected)]),
  buildNotAllInputParsedMessage: () => JSON.stringify(['a `source`, `stream`, `sink` or `import` declaration']),
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) => JSON.stringify([...new Set(expectedPathsPerAlt.flatMap(firsts))]),
  buildEarlyExitMessage: ({ expectedIterationPaths }) => JSON.stringify([...new Set(firsts(expectedIterationPaths))]),
};

export class PipeParser extends CstParser {
  /**
   * Each OR's alternatives, made on its first run and reused: written inline, `[{ ALT: () => … }, …]` is a new
   * array, objects and closures at every rule invocation, much of the parse's garbage. (No alternative refers
   * to anything but `this`, so one array serves every invocation.)
   */
  private readonly alternatives: Record<string, IOrAlt<unknown>[]> = {};

  /**
   * `validate`: check the grammar itself (ambiguities, left recursion) while analysing it. A test does; every
   * run of pipec skipping it saves a good part of start-up, and the grammar cannot change after the build.
   */
  constructor({ validate = false }: { readonly validate?: boolean } = {}) {
    super(T.allTokens, { recoveryEnabled: true, nodeLocationTracking: 'onlyOffset', maxLookahead: 3, errorMessageProvider: expectedTokensProvider, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /** file := pipelineHeader? statement* */
  file = this.RULE('file', () => {
    this.OPTION(() => this.SUBRULE(this.pipelineHeader));
    this.MANY(() => this.SUBRULE(this.statement));
  });

  /** pipelineHeader := 'pipeline' name ('owner' string | 'description' string)* settings? ';' */
  pipelineHeader = this.RULE('pipelineHeader', () => {
    this.CONSUME(T.Pipeline);
    this.SUBRULE(this.name);
    this.MANY(() =>
      this.OR((this.alternatives.pipelineHeader ??= [
        { ALT: () => { this.CONSUME(T.Owner); this.CONSUME(T.StringLiteral, { LABEL: 'owner' }); } },
        { ALT: () => { this.CONSUME(T.Description); this.CONSUME2(T.StringLiteral, { LABEL: 'description' }); } },
      ])),
    );
    this.OPTION(() => this.SUBRULE(this.settings));
    this.CONSUME(T.Semicolon);
  });

  /** statement := importDecl | sourceDecl | streamDecl | sinkDecl | pipelineHeader (misplaced, reported later) */
  statement = this.RULE('statement', () => {
    this.OR((this.alternatives.statement ??= [
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.sourceDecl) },
      { ALT: () => this.SUBRULE(this.streamDecl) },
      { ALT: () => this.SUBRULE(this.sinkDecl) },
      { ALT: () => this.SUBRULE(this.pipelineHeader) },
    ]));
  });

  /** importDecl := 'import' name (',' name)* 'from' string ';' */
  importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.name) });
    this.CONSUME(T.From);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.Semicolon);
  });

  /** sourceDecl := 'source' name 'from' endpoint clause* ';' */
  sourceDecl = this.RULE('sourceDecl', () => {
    this.CONSUME(T.Source);
    this.SUBRULE(this.name);
    this.CONSUME(T.From);
    this.SUBRULE(this.endpoint);
    this.MANY(() => this.SUBRULE(this.clause));
    this.CONSUME(T.Semicolon);
  });

  /** sinkDecl := 'sink' name 'into' endpoint clause* ';' */
  sinkDecl = this.RULE('sinkDecl', () => {
    this.CONSUME(T.Sink);
    this.SUBRULE(this.name);
    this.CONSUME(T.Into);
    this.SUBRULE(this.endpoint);
    this.MANY(() => this.SUBRULE(this.clause));
    this.CONSUME(T.Semicolon);
  });

  /** endpoint := name name? string      e.g. `kafka topic 'payments'`, `postgres table 'public.loans'` */
  endpoint = this.RULE('endpoint', () => {
    this.SUBRULE(this.name, { LABEL: 'system' });
    this.OPTION(() => this.SUBRULE2(this.name, { LABEL: 'objectKind' }));
    this.CONSUME(T.StringLiteral);
  });

  /**
   * clause := 'format' name ('as' name)?             value format
   *         | 'key' 'format' name ('as' name)?       key format (raw keys become one column)
   *         | 'key' nameList                         key columns of a topic sink
   *         | 'upsert' 'key' nameList                upsert by key
   *         | 'primary' 'key' nameList
   *         | 'key'? 'subject' string ('version' number)?
   *         | 'event' 'time' name ('=' expr)? ('watermark' duration)?
   *         | 'processing' 'time' name
   *         | 'startup' name string?
   *         | 'metadata' '(' metadataColumn (',' metadataColumn)* ')'
   *         | 'via' 'connection' name
   *         | 'partitions' number | 'replication' number | 'retention' duration
   *         | 'delivery' name
   *         | 'on' 'error' disposal                  what a source does with a record it cannot decode
   *         | settings                               raw properties: with ('k' = 'v', …)
   */
  clause = this.RULE('clause', () => {
    this.OR((this.alternatives.clause ??= [
      { ALT: () => this.SUBRULE(this.formatClause) },
      { ALT: () => this.SUBRULE(this.keyClause) },
      { ALT: () => this.SUBRULE(this.upsertClause) },
      { ALT: () => this.SUBRULE(this.primaryKeyClause) },
      { ALT: () => this.SUBRULE(this.subjectClause) },
      { ALT: () => this.SUBRULE(this.eventTimeClause) },
      { ALT: () => this.SUBRULE(this.processingTimeClause) },
      { ALT: () => this.SUBRULE(this.startupClause) },
      { ALT: () => this.SUBRULE(this.metadataClause) },
      { ALT: () => this.SUBRULE(this.viaClause) },
      { ALT: () => this.SUBRULE(this.partitionsClause) },
      { ALT: () => this.SUBRULE(this.replicationClause) },
      { ALT: () => this.SUBRULE(this.retentionClause) },
      { ALT: () => this.SUBRULE(this.deliveryClause) },
      { ALT: () => this.SUBRULE(this.onErrorClause) },
      { ALT: () => this.SUBRULE(this.settings) },
    ]));
  });

  formatClause = this.RULE('formatClause', () => {
    this.CONSUME(T.Format);
    this.SUBRULE(this.name);
    this.OPTION(() => { this.CONSUME(T.As); this.SUBRULE2(this.name, { LABEL: 'alias' }); });
  });

  /** keyClause := 'key' ( 'format' name ('as' name)? | 'subject' string ('version' number)? | nameList ) */
  keyClause = this.RULE('keyClause', () => {
    this.CONSUME(T.Key);
    this.OR((this.alternatives.keyClause ??= [
      { ALT: () => this.SUBRULE(this.formatClause) },
      { ALT: () => this.SUBRULE(this.subjectClause) },
      { ALT: () => this.SUBRULE(this.nameList) },
    ]));
  });

  upsertClause = this.RULE('upsertClause', () => {
    this.CONSUME(T.Upsert);
    this.CONSUME(T.Key);
    this.SUBRULE(this.nameList);
  });

  primaryKeyClause = this.RULE('primaryKeyClause', () => {
    this.CONSUME(T.Primary);
    this.CONSUME(T.Key);
    this.SUBRULE(this.nameList);
  });

  subjectClause = this.RULE('subjectClause', () => {
    this.CONSUME(T.Subject);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => { this.CONSUME(T.Version); this.CONSUME(T.NumberLiteral); });
  });

  eventTimeClause = this.RULE('eventTimeClause', () => {
    this.CONSUME(T.Event);
    this.CONSUME(T.Time);
    this.SUBRULE(this.name);
    this.OPTION(() => { this.CONSUME(T.Equals); this.SUBRULE(this.expression); });
    this.OPTION2(() => { this.CONSUME(T.Watermark); this.SUBRULE(this.duration); });
  });

  processingTimeClause = this.RULE('processingTimeClause', () => {
    this.CONSUME(T.Processing);
    this.CONSUME(T.Time);
    this.SUBRULE(this.name);
  });

  startupClause = this.RULE('startupClause', () => {
    this.CONSUME(T.Startup);
    this.SUBRULE(this.name);
    this.OPTION(() => this.CONSUME(T.StringLiteral));
  });

  /** metadataColumn := name ('from' name)? */
  metadataClause = this.RULE('metadataClause', () => {
    this.CONSUME(T.Metadata);
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => this.SUBRULE(this.metadataColumn),
    });
    this.CONSUME(T.RParen);
  });

  metadataColumn = this.RULE('metadataColumn', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => { this.CONSUME(T.From); this.SUBRULE2(this.name, { LABEL: 'field' }); });
  });

  viaClause = this.RULE('viaClause', () => {
    this.CONSUME(T.Via);
    this.CONSUME(T.Connection);
    this.SUBRULE(this.name);
  });

  partitionsClause = this.RULE('partitionsClause', () => {
    this.CONSUME(T.Partitions);
    this.CONSUME(T.NumberLiteral);
  });

  replicationClause = this.RULE('replicationClause', () => {
    this.CONSUME(T.Replication);
    this.CONSUME(T.NumberLiteral);
  });

  retentionClause = this.RULE('retentionClause', () => {
    this.CONSUME(T.Retention);
    this.SUBRULE(this.duration);
  });

  deliveryClause = this.RULE('deliveryClause', () => {
    this.CONSUME(T.Delivery);
    this.SUBRULE(this.name);
  });

  onErrorClause = this.RULE('onErrorClause', () => {
    this.CONSUME(T.On);
    this.CONSUME(T.Error);
    this.SUBRULE(this.disposal);
  });

  /**
   * disposal := 'dead' 'letter' string | name      where a rejected record goes: a dead-letter topic, or
   * `fail` / `skip` (sources) / `drop` (expectations), checked by the AST builder
   */
  disposal = this.RULE('disposal', () => {
    this.OR((this.alternatives.disposal ??= [
      { ALT: () => { this.CONSUME(T.Dead); this.CONSUME(T.Letter); this.CONSUME(T.StringLiteral); } },
      { ALT: () => this.SUBRULE(this.name) },
    ]));
  });

  /** settings := 'with' '(' setting (',' setting)* ')'      setting := (name | string) '=' settingValue */
  settings = this.RULE('settings', () => {
    this.CONSUME(T.With);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.setting) });
    this.CONSUME(T.RParen);
  });

  setting = this.RULE('setting', () => {
    this.OR((this.alternatives.setting ??= [
      { ALT: () => this.SUBRULE(this.name, { LABEL: 'key' }) },
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'quotedKey' }) },
    ]));
    this.CONSUME(T.Equals);
    this.SUBRULE(this.settingValue);
  });

  /** settingValue := duration | number | string | 'true' | 'false' | name ('(' string ')')? */
  settingValue = this.RULE('settingValue', () => {
    this.OR((this.alternatives.settingValue ??= [
      { ALT: () => this.SUBRULE(this.duration) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      {
        ALT: () => {
          this.SUBRULE(this.name);
          this.OPTION(() => { this.CONSUME(T.LParen); this.CONSUME2(T.StringLiteral, { LABEL: 'argument' }); this.CONSUME(T.RParen); });
        },
      },
    ]));
  });

  /** duration := number name       e.g. `30 s`, `5 min`, `7 d` */
  duration = this.RULE('duration', () => {
    this.CONSUME(T.NumberLiteral);
    this.SUBRULE(this.name, { LABEL: 'unit' });
  });

  /** streamDecl := 'stream' name 'as' query expectation* ';' */
  streamDecl = this.RULE('streamDecl', () => {
    this.CONSUME(T.Stream);
    this.SUBRULE(this.name);
    this.CONSUME(T.As);
    this.SUBRULE(this.query);
    this.MANY(() => this.SUBRULE(this.expectation));
    this.CONSUME(T.Semicolon);
  });

  /** expectation := 'expect' name ':' expr ('else' disposal)?       e.g. `expect positive: amount > 0 else drop` */
  expectation = this.RULE('expectation', () => {
    this.CONSUME(T.Expect);
    this.SUBRULE(this.name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
    this.OPTION(() => { this.CONSUME(T.Else); this.SUBRULE(this.disposal); });
  });

  /** query := queryTerm ('union' 'all' queryTerm)* */
  query = this.RULE('query', () => {
    this.SUBRULE(this.queryTerm);
    this.MANY(() => { this.CONSUME(T.Union); this.CONSUME(T.All); this.SUBRULE2(this.queryTerm); });
  });

  /** queryTerm := select | dedupe | top | '(' query ')' */
  queryTerm = this.RULE('queryTerm', () => {
    this.OR((this.alternatives.queryTerm ??= [
      { ALT: () => this.SUBRULE(this.select) },
      { ALT: () => this.SUBRULE(this.dedupe) },
      { ALT: () => this.SUBRULE(this.top) },
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.query); this.CONSUME(T.RParen); } },
    ]));
  });

  /** select := 'select' 'distinct'? selectItem (',' selectItem)* 'from' fromClause ('where' expr)? ('group' 'by' expr, …)? ('having' expr)? */
  select = this.RULE('select', () => {
    this.CONSUME(T.Select);
    this.OPTION(() => this.CONSUME(T.Distinct));
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.selectItem) });
    this.CONSUME(T.From);
    this.SUBRULE(this.fromClause);
    this.OPTION2(() => { this.CONSUME(T.Where); this.SUBRULE(this.expression, { LABEL: 'where' }); });
    this.OPTION3(() => {
      this.CONSUME(T.Group);
      this.CONSUME(T.By);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.expression, { LABEL: 'groupBy' }) });
    });
    this.OPTION4(() => { this.CONSUME(T.Having); this.SUBRULE3(this.expression, { LABEL: 'having' }); });
  });

  /** selectItem := '*' | name '.' '*' | expr ('as'? name)? */
  selectItem = this.RULE('selectItem', () => {
    this.OR((this.alternatives.selectItem ??= [
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => { this.SUBRULE(this.name, { LABEL: 'qualifier' }); this.CONSUME(T.Dot); this.CONSUME2(T.Star); } },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => this.SUBRULE(this.alias));
        },
      },
    ]));
  });

  /** alias := 'as' name | identifier    (without `as`, only a plain identifier, so soft keywords keep their meaning) */
  alias = this.RULE('alias', () => {
    this.OR((this.alternatives.alias ??= [
      { ALT: () => { this.CONSUME(T.As); this.SUBRULE(this.name); } },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.QuotedIdentifier) },
    ]));
  });

  /** fromClause := fromItem joinClause* */
  fromClause = this.RULE('fromClause', () => {
    this.SUBRULE(this.fromItem);
    this.MANY(() => this.SUBRULE(this.joinClause));
  });

  /** fromItem := relation alias? windowClause? */
  fromItem = this.RULE('fromItem', () => {
    this.SUBRULE(this.relation);
    this.OPTION(() => this.SUBRULE(this.alias));
    this.OPTION2(() => this.SUBRULE(this.windowClause));
  });

  /** relation := name | '(' query ')' */
  relation = this.RULE('relation', () => {
    this.OR((this.alternatives.relation ??= [
      { ALT: () => this.SUBRULE(this.name) },
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.query); this.CONSUME(T.RParen); } },
    ]));
  });

  /** windowClause := 'window' name '(' windowArg (',' windowArg)* ')'     windowArg := duration | expr */
  windowClause = this.RULE('windowClause', () => {
    this.CONSUME(T.Window);
    this.SUBRULE(this.name);
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.windowArg) });
    this.CONSUME(T.RParen);
  });

  windowArg = this.RULE('windowArg', () => {
    this.OR((this.alternatives.windowArg ??= [
      { ALT: () => this.SUBRULE(this.duration) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]));
  });

  /**
   * joinClause := ('inner' | 'left' 'outer'?)? 'join' relation ('for' 'system_time' 'as' 'of' expr)? alias? 'on' expr
   *             | 'cross' 'join' 'unnest' '(' expr ')' alias ('(' name (',' name)* ')')?
   */
  joinClause = this.RULE('joinClause', () => {
    this.OR((this.alternatives.joinClause ??= [
      {
        ALT: () => {
          this.OPTION(() =>
            this.OR2((this.alternatives.joinClause2 ??= [
              { ALT: () => this.CONSUME(T.Inner) },
              { ALT: () => { this.CONSUME(T.Left); this.OPTION2(() => this.CONSUME(T.Outer)); } },
            ])),
          );
          this.CONSUME(T.Join);
          this.SUBRULE(this.relation);
          this.OPTION3(() => {
            this.CONSUME(T.For);
            this.CONSUME(T.SystemTime);
            this.CONSUME(T.As);
            this.CONSUME(T.Of);
            this.SUBRULE(this.expression, { LABEL: 'asOf' });
          });
          this.OPTION4(() => this.SUBRULE(this.alias));
          this.CONSUME(T.On);
          this.SUBRULE2(this.expression, { LABEL: 'on' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Cross);
          this.CONSUME2(T.Join);
          this.CONSUME(T.Unnest);
          this.CONSUME(T.LParen);
          this.SUBRULE3(this.expression, { LABEL: 'unnested' });
          this.CONSUME(T.RParen);
          this.SUBRULE2(this.alias);
          this.OPTION5(() => {
            this.CONSUME2(T.LParen);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.name, { LABEL: 'column' }) });
            this.CONSUME2(T.RParen);
          });
        },
      },
    ]));
  });

  /** dedupe := 'dedupe' name 'by' nameList 'keep' ('first' | 'last') ('order' 'by' name)? */
  dedupe = this.RULE('dedupe', () => {
    this.CONSUME(T.Dedupe);
    this.SUBRULE(this.name, { LABEL: 'relation' });
    this.CONSUME(T.By);
    this.SUBRULE(this.nameList);
    this.CONSUME(T.Keep);
    this.OR((this.alternatives.dedupe ??= [{ ALT: () => this.CONSUME(T.First) }, { ALT: () => this.CONSUME(T.Last) }]));
    this.OPTION(() => { this.CONSUME(T.Order); this.CONSUME2(T.By); this.SUBRULE2(this.name, { LABEL: 'orderBy' }); });
  });

  /** top := 'top' number 'from' name ('per' nameList)? 'order' 'by' orderItem (',' orderItem)* */
  top = this.RULE('top', () => {
    this.CONSUME(T.Top);
    this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.From);
    this.SUBRULE(this.name, { LABEL: 'relation' });
    this.OPTION(() => { this.CONSUME(T.Per); this.SUBRULE(this.nameList); });
    this.CONSUME(T.Order);
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.orderItem) });
  });

  /** orderItem := expr ('asc' | 'desc')? */
  orderItem = this.RULE('orderItem', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => this.OR((this.alternatives.orderItem ??= [{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }])));
  });

  /** nameList := name | '(' name (',' name)* ')' */
  nameList = this.RULE('nameList', () => {
    this.OR((this.alternatives.nameList ??= [
      { ALT: () => this.SUBRULE(this.name) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.name) });
          this.CONSUME(T.RParen);
        },
      },
    ]));
  });

  /** name := identifier | `quoted identifier` | soft keyword */
  name = this.RULE('name', () => {
    this.CONSUME(T.Name);
  });

  // ── expressions ─────────────────────────────────────────────────────────────────────────────────
  // Binary operators of equal syntax share one rule each (`or`/`and`, and the arithmetic ones): the AST
  // builder applies their precedence (compiler/ast/build.ts, foldByPrecedence). One rule per precedence level
  // made every operand nine rule invocations deep, most of the parser's time. The language is the same.

  /** expression := notExpr (('or' | 'and') notExpr)*, `and` binding tighter */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.notExpr, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR((this.alternatives.expression ??= [
        { ALT: () => this.CONSUME(T.Or, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.And, { LABEL: 'operators' }) },
      ]));
      this.SUBRULE2(this.notExpr, { LABEL: 'operands' });
    });
  });

  /** notExpr := 'not' notExpr | predicate */
  notExpr = this.RULE('notExpr', () => {
    this.OR((this.alternatives.notExpr ??= [
      { ALT: () => { this.CONSUME(T.Not); this.SUBRULE(this.notExpr); } },
      { ALT: () => this.SUBRULE(this.predicate) },
    ]));
  });

  /**
   * predicate := arithmetic ( compareOp arithmetic
   *                         | 'is' 'not'? 'null'
   *                         | 'not'? 'in' '(' expr (',' expr)* ')'
   *                         | 'not'? 'between' arithmetic 'and' arithmetic
   *                         | 'not'? 'like' arithmetic )?
   */
  predicate = this.RULE('predicate', () => {
    this.SUBRULE(this.arithmetic, { LABEL: 'left' });
    this.OPTION(() =>
      this.OR((this.alternatives.predicate ??= [
        {
          ALT: () => {
            this.OR2((this.alternatives.predicate2 ??= [
              { ALT: () => this.CONSUME(T.Equals, { LABEL: 'compare' }) },
              { ALT: () => this.CONSUME(T.NotEquals, { LABEL: 'compare' }) },
              { ALT: () => this.CONSUME(T.LessEquals, { LABEL: 'compare' }) },
              { ALT: () => this.CONSUME(T.GreaterEquals, { LABEL: 'compare' }) },
              { ALT: () => this.CONSUME(T.Less, { LABEL: 'compare' }) },
              { ALT: () => this.CONSUME(T.Greater, { LABEL: 'compare' }) },
            ]));
            this.SUBRULE2(this.arithmetic, { LABEL: 'right' });
          },
        },
        { ALT: () => { this.CONSUME(T.Is); this.OPTION2(() => this.CONSUME(T.Not)); this.CONSUME(T.Null); } },
        {
          ALT: () => {
            this.OPTION3(() => this.CONSUME2(T.Not));
            this.OR3((this.alternatives.predicate3 ??= [
              {
                ALT: () => {
                  this.CONSUME(T.In);
                  this.CONSUME(T.LParen);
                  this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'list' }) });
                  this.CONSUME(T.RParen);
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.Between);
                  this.SUBRULE3(this.arithmetic, { LABEL: 'low' });
                  this.CONSUME(T.And);
                  this.SUBRULE4(this.arithmetic, { LABEL: 'high' });
                },
              },
              { ALT: () => { this.CONSUME(T.Like); this.SUBRULE5(this.arithmetic, { LABEL: 'pattern' }); } },
            ]));
          },
        },
      ])),
    );
  });

  /** arithmetic := unary (('+' | '-' | '||' | '*' | '/' | '%') unary)*, `*` `/` `%` binding tighter */
  arithmetic = this.RULE('arithmetic', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR((this.alternatives.arithmetic ??= [
        { ALT: () => this.CONSUME(T.Plus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Concat, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Star, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Percent, { LABEL: 'operators' }) },
      ]));
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  /** unary := ('-' | '+') unary | primary ('[' expr ']' | '.' name)* */
  unary = this.RULE('unary', () => {
    this.OR((this.alternatives.unary ??= [
      { ALT: () => { this.CONSUME(T.Minus, { LABEL: 'sign' }); this.SUBRULE(this.unary); } },
      { ALT: () => { this.CONSUME(T.Plus, { LABEL: 'sign' }); this.SUBRULE2(this.unary); } },
      {
        ALT: () => {
          this.SUBRULE(this.primary);
          this.MANY(() =>
            this.OR2((this.alternatives.unary2 ??= [
              { ALT: () => { this.CONSUME(T.LBracket, { LABEL: 'index' }); this.SUBRULE(this.expression); this.CONSUME(T.RBracket); } },
              { ALT: () => { this.CONSUME(T.Dot, { LABEL: 'field' }); this.SUBRULE(this.name); } },
            ])),
          );
        },
      },
    ]));
  });

  /**
   * primary := literal | 'interval' (string | number) name ('to' name)? | typedLiteral | caseExpr | castExpr
   *          | name '(' ('distinct'? (expr (',' expr)*)? | '*') ')' | name | '(' expr ')'
   */
  primary = this.RULE('primary', () => {
    this.OR((this.alternatives.primary ??= [
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.SUBRULE(this.intervalLiteral) },
      { GATE: () => this.LA(2).tokenType === T.StringLiteral, ALT: () => this.SUBRULE(this.typedLiteral) },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      { ALT: () => this.SUBRULE(this.castExpr) },
      { GATE: () => this.LA(2).tokenType === T.LParen, ALT: () => this.SUBRULE(this.call) },
      // A column: the token itself rather than the `name` rule, one rule invocation less per column.
      { ALT: () => this.CONSUME(T.Name, { LABEL: 'column' }) },
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.expression); this.CONSUME(T.RParen); } },
    ]));
  });

  intervalLiteral = this.RULE('intervalLiteral', () => {
    this.CONSUME(T.Interval);
    this.OR((this.alternatives.intervalLiteral ??= [{ ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.NumberLiteral) }]));
    this.SUBRULE(this.name, { LABEL: 'unit' });
    this.OPTION(() => { this.CONSUME(T.To); this.SUBRULE2(this.name, { LABEL: 'toUnit' }); });
  });

  /** typedLiteral := ('timestamp' | 'timestamp_ltz' | 'date' | 'time') string */
  typedLiteral = this.RULE('typedLiteral', () => {
    this.OR((this.alternatives.typedLiteral ??= [
      { ALT: () => this.CONSUME(T.Timestamp) },
      { ALT: () => this.CONSUME(T.TimestampLtz) },
      { ALT: () => this.CONSUME(T.Date) },
      { ALT: () => this.CONSUME(T.Time) },
    ]));
    this.CONSUME(T.StringLiteral);
  });

  /** caseExpr := 'case' expr? ('when' expr 'then' expr)+ ('else' expr)? 'end' */
  caseExpr = this.RULE('caseExpr', () => {
    this.CONSUME(T.Case);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'operand' }));
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.When);
      this.SUBRULE2(this.expression, { LABEL: 'when' });
      this.CONSUME(T.Then);
      this.SUBRULE3(this.expression, { LABEL: 'then' });
    });
    this.OPTION2(() => { this.CONSUME(T.Else); this.SUBRULE4(this.expression, { LABEL: 'else' }); });
    this.CONSUME(T.End);
  });

  /** castExpr := ('cast' | 'try_cast') '(' expr 'as' type ')' */
  castExpr = this.RULE('castExpr', () => {
    this.OR((this.alternatives.castExpr ??= [{ ALT: () => this.CONSUME(T.Cast) }, { ALT: () => this.CONSUME(T.TryCast) }]));
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.As);
    this.SUBRULE(this.type);
    this.CONSUME(T.RParen);
  });

  /** call := name '(' ('*' | 'distinct'? expr (',' expr)*)? ')' */
  call = this.RULE('call', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.LParen);
    this.OPTION(() =>
      this.OR((this.alternatives.call ??= [
        { ALT: () => this.CONSUME(T.Star) },
        {
          ALT: () => {
            this.OPTION2(() => this.CONSUME(T.Distinct));
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'args' }) });
          },
        },
      ])),
    );
    this.CONSUME(T.RParen);
  });

  /**
   * type := name ('(' number (',' number)? ')')? ('not' 'null')?
   *       | ('array' | 'multiset') '<' type '>' | 'map' '<' type ',' type '>' | 'row' '<' name type (',' name type)* '>'
   */
  type = this.RULE('type', () => {
    this.OR((this.alternatives.type ??= [
      { ALT: () => { this.CONSUME(T.Array); this.CONSUME(T.Less); this.SUBRULE(this.type, { LABEL: 'element' }); this.CONSUME(T.Greater); } },
      { ALT: () => { this.CONSUME(T.Multiset); this.CONSUME2(T.Less); this.SUBRULE2(this.type, { LABEL: 'element' }); this.CONSUME2(T.Greater); } },
      {
        ALT: () => {
          this.CONSUME(T.Map);
          this.CONSUME3(T.Less);
          this.SUBRULE3(this.type, { LABEL: 'element' });
          this.CONSUME(T.Comma);
          this.SUBRULE4(this.type, { LABEL: 'element' });
          this.CONSUME3(T.Greater);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Row);
          this.CONSUME4(T.Less);
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => { this.SUBRULE(this.name, { LABEL: 'fieldName' }); this.SUBRULE5(this.type, { LABEL: 'element' }); },
          });
          this.CONSUME4(T.Greater);
        },
      },
      {
        ALT: () => {
          this.SUBRULE2(this.name, { LABEL: 'typeName' });
          this.OPTION(() => {
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.CONSUME(T.NumberLiteral) });
            this.CONSUME(T.RParen);
          });
        },
      },
    ]));
    this.OPTION2(() => { this.CONSUME(T.Not); this.CONSUME(T.Null); });
  });
}

let shared: PipeParser | undefined;

/**
 * One parser for the process, built at the first parse: chevrotain parsers are reusable and costly to construct
 * (the grammar's analysis), and a command that parses nothing (`pipec --version`) should not pay for one.
 */
export function pipeParser(): PipeParser {
  shared ??= new PipeParser();
  return shared;
}

export interface ParseResult {
  readonly cst: CstNode;
  readonly errors: readonly { readonly token: IToken; readonly expected: readonly string[]; readonly previous: IToken | undefined; readonly ruleStack: readonly string[] }[];
}

export function parseTokens(tokens: readonly IToken[]): ParseResult {
  const parser = pipeParser();
  parser.input = tokens as IToken[];
  const cst = parser.file();
  const errors = parser.errors.map((e) => ({
    token: e.token,
    expected: expectedOf(e.message),
    previous: 'previousToken' in e ? (e.previousToken as IToken) : undefined,
    ruleStack: e.context.ruleStack,
  }));
  return { cst, errors };
}

function expectedOf(message: string): string[] {
  try {
    const parsed: unknown = JSON.parse(message);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
