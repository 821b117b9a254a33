/** A word is a keyword when the whole word is one, in any case; a longer word that starts with one is a name. */
import { expect, test } from 'vitest';
import { lex } from '../../../grammar/lexer.ts';
import { KEYWORDS } from '../../../grammar/tokens.ts';

const typesOf = (text: string): string[] => lex({ path: 'x.pipe', text }).tokens.map((t) => t.tokenType.name);

test('every keyword, in any case, is one token of its own type', () => {
  for (const word of KEYWORDS) {
    const mixed = [...word].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    expect(typesOf(`${word} ${word.toUpperCase()} ${mixed}`), word).toEqual([word.toUpperCase(), word.toUpperCase(), word.toUpperCase()]);
  }
});

test('a word that only starts with a keyword, or holds one, is a name', () => {
  for (const word of KEYWORDS) expect(typesOf(`${word}x ${word}_ ${word}1 _${word}`), word).toEqual(['Identifier', 'Identifier', 'Identifier', 'Identifier']);
  expect(typesOf('asc as c')).toEqual(['ASC', 'AS', 'Identifier']);
});

test('a keyword ends where the word does: punctuation, quotes and comments after it are tokens of their own', () => {
  expect(typesOf("select(from'x'--c\n)")).toEqual(['SELECT', 'LParen', 'FROM', 'StringLiteral', 'RParen']);
});
