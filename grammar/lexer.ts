import { Lexer, type IToken } from 'chevrotain';
import type { SourceFile } from '../compiler/source/source.ts';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.ts';
import { DoubleQuotedString, Identifier, KEYWORD_TOKENS, lexerTokens, UnterminatedComment, UnterminatedIdentifier, UnterminatedString } from './tokens.ts';

/** The token definitions are checked by a test (`createLexer(true)`), not at every start of pipec. */
export function createLexer(validate: boolean): Lexer {
  return new Lexer(lexerTokens, { ensureOptimizations: true, positionTracking: 'full', skipValidations: !validate });
}

/** Built at the first use, not at import: its set-up is a cost only commands that read `.pipe` files should pay. */
let shared: Lexer | undefined;

export interface LexResult {
  readonly tokens: readonly IToken[];
  /** Comments in source order; the formatter puts them back. */
  readonly comments: readonly IToken[];
  readonly diagnostics: readonly Diagnostic[];
}

export function lex(source: SourceFile): LexResult {
  shared ??= createLexer(false);
  const result = shared.tokenize(source.text);
  const diagnostics: Diagnostic[] = [];
  const span = (start: number, end: number) => ({ file: source.path, start, end });
  for (const error of result.errors) {
    const character = String.fromCodePoint(source.text.codePointAt(error.offset) ?? 0xfffd);
    diagnostics.push(diagnostic('unexpected-character', { character }, span(error.offset, error.offset + error.length)));
  }
  for (const token of result.groups['errors'] ?? []) {
    // Underline the opening delimiter: `/*` is two characters, a quote or backquote one.
    const at = span(token.startOffset, token.startOffset + (token.tokenType === UnterminatedComment ? 2 : 1));
    if (token.tokenType === UnterminatedString) diagnostics.push(diagnostic('unterminated-string', {}, at));
    else if (token.tokenType === UnterminatedComment) diagnostics.push(diagnostic('unterminated-comment', {}, at));
    else if (token.tokenType === UnterminatedIdentifier) diagnostics.push(diagnostic('unterminated-identifier', {}, at));
  }
  for (const token of result.tokens) {
    if (token.tokenType === Identifier) {
      // The lexer's own fresh tokens: a word that is a keyword takes the keyword's type (tokens.ts, KEYWORD_TOKENS).
      const keyword = KEYWORD_TOKENS.get(token.image.toLowerCase());
      if (keyword) {
        token.tokenType = keyword;
        token.tokenTypeIdx = keyword.tokenTypeIdx ?? token.tokenTypeIdx;
      }
    } else if (token.tokenType === DoubleQuotedString) diagnostics.push(diagnostic('unexpected-character', { character: '"' }, span(token.startOffset, token.startOffset + token.image.length)));
  }
  return { tokens: result.tokens, comments: result.groups['comments'] ?? [], diagnostics };
}
