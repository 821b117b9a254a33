/**
 * The front end's façade: `.pipe` text → AST and syntax diagnostics.
 * text → tokens (lexer.ts) → CST (parser.ts) → AST (compiler/ast/build.ts).
 */
import type { IToken, TokenType } from 'chevrotain';
import type { SourceFile } from '../source/source.ts';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { buildAst } from './build.ts';
import type { PipeFile } from './nodes.ts';
import { lex } from '../../grammar/lexer.ts';
import { parseTokens } from '../../grammar/parser.ts';
import {
  KEYWORDS, Identifier, LParen, RParen, LBracket, RBracket, Case, End, Less, Greater, Semicolon, Not, Minus, Plus, As, Join,
  Pipeline, Import, Source, Stream, Sink,
  Array as ArrayType, Multiset, Map as MapType, Row,
} from '../../grammar/tokens.ts';

/**
 * Deeper nesting than this is refused before parsing: the recursive-descent parser would exhaust the stack.
 * Each level of parentheses is six grammar rules deep (it was nine, when the parser overflowed Node 24's
 * default stack at about 156 levels, CASE 235, subqueries 350), so 64 leaves room for callers and the later
 * recursive phases.
 */
export const MAX_NESTING = 64;
/** Syntax errors past this many in one file are not reported: the rest is usually noise from the first ones. */
const MAX_SYNTAX_ERRORS = 25;

export interface ParsedFile {
  readonly source: SourceFile;
  readonly ast: PipeFile;
  readonly comments: readonly IToken[];
  readonly diagnostics: readonly Diagnostic[];
}

export function parse(source: SourceFile): ParsedFile {
  const lexed = lex(source);
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  const tooDeep = findExcessiveNesting(lexed.tokens);
  if (tooDeep) {
    diagnostics.push(diagnostic('nesting-too-deep', { limit: MAX_NESTING }, { file: source.path, start: tooDeep.startOffset, end: (tooDeep.endOffset ?? tooDeep.startOffset) + 1 }));
    const empty: PipeFile = { kind: 'PipeFile', path: source.path, pipeline: undefined, statements: [], span: { file: source.path, start: 0, end: 0 } };
    return { source, ast: empty, comments: lexed.comments, diagnostics };
  }
  const parsed = parseTokens(lexed.tokens);
  for (const error of firstPerStatement(parsed.errors, lexed.tokens).slice(0, MAX_SYNTAX_ERRORS)) diagnostics.push(syntaxError(source, error, lexed.tokens));
  const built = buildAst(parsed.cst, source.path, source.text.length);
  // AST-level findings (units, numbers) on a file that does not parse are mostly echoes of the syntax error.
  if (parsed.errors.length === 0) diagnostics.push(...built.diagnostics);
  return { source, ast: built.file, comments: lexed.comments, diagnostics };
}

type SyntaxErrorFound = ReturnType<typeof parseTokens>['errors'][number];

/** After a syntax error, the parser's recovery guesses; later errors of the same statement are echoes of the first. */
function firstPerStatement(errors: readonly SyntaxErrorFound[], tokens: readonly IToken[]): SyntaxErrorFound[] {
  const statementOf = (e: SyntaxErrorFound): number => tokens.filter((t) => t.tokenType === Semicolon && t.startOffset < e.token.startOffset).length;
  const seen = new Set<number>();
  return errors.filter((e) => {
    const statement = Number.isFinite(e.token.startOffset) ? statementOf(e) : Number.POSITIVE_INFINITY;
    if (seen.has(statement)) return false;
    seen.add(statement);
    return true;
  });
}

const STATEMENT_STARTS: ReadonlySet<TokenType> = new Set([Pipeline, Import, Source, Stream, Sink]);

function syntaxError(source: SourceFile, error: SyntaxErrorFound, tokens: readonly IToken[]): Diagnostic {
  const { token, expected, previous } = error;
  const spanOf = (from: IToken, to: IToken = from) => ({ file: source.path, start: from.startOffset, end: (to.endOffset ?? to.startOffset) + 1 });
  // `join t as of x.time a`: `as of` without `for system_time` reads as the alias `of`.
  const statementStart = tokens.findLastIndex((t) => t.tokenType === Semicolon && t.startOffset < token.startOffset) + 1;
  const index = tokens.indexOf(token);
  const errorAt = index < 0 ? tokens.length : index;
  for (let i = Math.max(statementStart, 1); i < errorAt; i++) {
    const [as, of] = [tokens[i - 1], tokens[i]];
    if (as?.tokenType === As && of?.image.toLowerCase() === 'of' && tokens.slice(statementStart, i).some((t) => t.tokenType === Join)) return diagnostic('missing-for-system-time', {}, spanOf(as, of));
  }
  // A statement that runs into the next one on a later line is missing its `;`: point at where it should be.
  const lastOfStatement = previous ?? tokens[errorAt - 1];
  if (expected.includes('`;`') && STATEMENT_STARTS.has(token.tokenType) && lastOfStatement && Number.isFinite(lastOfStatement.startOffset) && (lastOfStatement.endLine ?? 0) < (token.startLine ?? 0)) {
    const after = (lastOfStatement.endOffset ?? lastOfStatement.startOffset) + 1;
    return diagnostic('missing-semicolon', { next: describeToken(token) }, { file: source.path, start: after, end: after });
  }
  const keywords = expected.filter((e) => /^`[a-z_]+`$/.test(e)).map((e) => e.slice(1, -1));
  const closest = (t: IToken): string | undefined => suggestionList(t.image.toLowerCase(), keywords).find((k) => k !== t.image.toLowerCase());
  // `select a form t`: `form` reads as an alias of `a`, so the parser stumbles only at `t`. A plain name
  // just before the error that is a typo of an expected keyword is the real mistake: report it instead.
  const misread = previous?.tokenType === Identifier && Number.isFinite(previous.startOffset) ? closest(previous) : undefined;
  if (previous && misread && (token.tokenType.name === 'EOF' || closest(token) === undefined)) {
    const at = { file: source.path, start: previous.startOffset, end: (previous.endOffset ?? previous.startOffset) + 1 };
    return diagnostic('syntax-error', { expected, found: describeToken(previous), suggestion: misread }, at);
  }
  const atEnd = token.tokenType.name === 'EOF' || !Number.isFinite(token.startOffset);
  const start = atEnd ? source.text.length : token.startOffset;
  const end = atEnd ? source.text.length : (token.endOffset ?? token.startOffset) + 1;
  const found = atEnd ? 'the end of the file' : describeToken(token);
  // "expected `from`, found `form`": offer the closest expected keyword to what was written.
  const suggestion = atEnd ? undefined : closest(token);
  return diagnostic('syntax-error', { expected, found, suggestion }, { file: source.path, start, end });
}

function describeToken(token: IToken): string {
  const image = token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image;
  if (KEYWORDS.includes(token.image.toLowerCase())) return `the keyword \`${image}\``;
  return `\`${image}\``;
}

/**
 * Where the parser's recursive descent would go deeper than MAX_NESTING: open brackets, CASE … END, the `<…>`
 * of a type, plus a run of prefix operators (`not not …`, `- - …`), each one more level of recursion.
 * Only a `<` after a type constructor opens a level; a comparison `a < b` does not. Statements are
 * independent, so a `;` closes whatever an erroneous statement left open.
 */
function findExcessiveNesting(tokens: readonly IToken[]): IToken | undefined {
  const closers: TokenType[] = [];
  let prefixRun = 0;
  let previous: TokenType | undefined;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === LParen) closers.push(RParen);
    else if (type === LBracket) closers.push(RBracket);
    else if (type === Case) closers.push(End);
    else if (type === Less && previous !== undefined && TYPE_CONSTRUCTORS.has(previous)) closers.push(Greater);
    else if (type === Semicolon) closers.length = 0;
    else if (closers.at(-1) === type) closers.pop();
    prefixRun = type === Not || type === Minus || type === Plus ? prefixRun + 1 : 0;
    if (closers.length + prefixRun > MAX_NESTING) return token;
    previous = type;
  }
  return undefined;
}

const TYPE_CONSTRUCTORS: ReadonlySet<TokenType> = new Set([ArrayType, Multiset, MapType, Row]);
