/**
 * pipec builds its lexer and parser without chevrotain's grammar validations (they cost start-up on every run);
 * here they run: the token definitions and the grammar are free of the errors those validations find.
 */
import { expect, test } from 'vitest';
import { createLexer } from '../../../grammar/lexer.ts';
import { PipeParser } from '../../../grammar/parser.ts';

test('the lexer passes chevrotain validation, with the first-character optimization', () => {
  const lexer = createLexer(true);
  expect(lexer.lexerDefinitionErrors).toEqual([]);
});

test('the parser passes chevrotain grammar validation (its analysis throws on a grammar error)', () => {
  expect(() => new PipeParser({ validate: true })).not.toThrow();
});
