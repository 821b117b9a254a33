/**
 * Whatever the input, `parse` returns: no exception, and every diagnostic has a span inside the file.
 * Inputs are random token soup and valid snippets mutated token by token (delete, duplicate, swap, insert
 * random characters). Runs are bounded so the suite stays fast; a failure prints its seed and input.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse } from '../../../compiler/ast/parse.ts';
import { lex } from '../../../grammar/lexer.ts';
import { KEYWORDS } from '../../../grammar/tokens.ts';

/** Problems with a parse of `text`: diagnostics without a span, or with one outside the file. */
function spanProblems(text: string): string[] {
  const parsed = parse({ path: 'fuzz.pipe', text });
  return parsed.diagnostics.flatMap((d) => {
    const s = d.span;
    if (!s) return [`${d.code} has no span`];
    const inside = s.file === 'fuzz.pipe' && Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= text.length;
    return inside ? [] : [`${d.code} at ${JSON.stringify(s)}, outside 0..${text.length}`];
  });
}

// One assertion per input: vitest's expect is slow enough to dominate hundreds of runs.
function expectWellFormed(text: string): void {
  expect(spanProblems(text)).toEqual([]);
}

const PUNCTUATION = ['(', ')', '[', ']', ',', ';', '.', '||', '<>', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '%'];
const WORDS = [...KEYWORDS, 'a', 'b', 'payments', 'event_time', 'kafka', 'topic', 'avro', 'tumbling', 'count', 'secret', 's', 'min'];
const LITERALS = ["'x'", "'it''s'", '42', '1.5', '.5', '1e3', '`q`', '`a``b`', '-- c\n', '/* c */'];
const token = fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...PUNCTUATION), fc.constantFrom(...LITERALS));
/** Characters that make lexer errors and unterminated tokens. */
const noise = fc.constantFrom("'", '`', '/*', '"', '?', '@', '#', '\u0000', '\uFEFF', 'é', '\n', '\t', '{', '}');

const snippets = [
  ...readdirSync(new URL('../../../examples/', import.meta.url), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pipe'))
    .map((f) => readFileSync(new URL(`../../../examples/${f}`, import.meta.url), 'utf8')),
  ...[...readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8').matchAll(/```pipe\n([\s\S]*?)```/g)].map((m) => m[1] ?? ''),
];

/** Any UTF-16 text, mostly ASCII: NUL, control characters and unpaired surrogates included. */
const codeUnits = fc
  .array(fc.oneof({ arbitrary: fc.nat({ max: 0x7f }), weight: 3 }, { arbitrary: fc.nat({ max: 0xffff }), weight: 1 }), { maxLength: 200 })
  .map((units) => String.fromCharCode(...units));

/** A valid snippet as the texts of its tokens, so mutations act on tokens. */
const tokenTexts = (text: string): string[] => lex({ path: 'x.pipe', text }).tokens.map((t) => t.image);

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(noise, token, fc.string({ maxLength: 3 })) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(tokens: readonly string[], mutations: readonly Mutation[]): string[] {
  let out = [...tokens];
  for (const m of mutations) {
    if (out.length === 0) break;
    const i = m.at % out.length;
    switch (m.op) {
      case 'delete':
        out = out.filter((_, j) => j !== i);
        break;
      case 'duplicate':
        out = [...out.slice(0, i + 1), out[i] ?? '', ...out.slice(i + 1)];
        break;
      case 'swap': {
        const j = (i + 1) % out.length;
        out = out.map((t, k) => (k === i ? (out[j] ?? t) : k === j ? (out[i] ?? t) : t));
        break;
      }
      case 'insert':
        out = [...out.slice(0, i), m.text, ...out.slice(i)];
        break;
    }
  }
  return out;
}

// Each property takes about a second; the timeout only guards against a loaded machine.
describe('parse never throws, and every diagnostic has a span inside the file', { timeout: 60_000 }, () => {
  test('random token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ arbitrary: token, weight: 9 }, { arbitrary: noise, weight: 1 }), { maxLength: 60 }), (tokens) => {
        expectWellFormed(tokens.join(' '));
      }),
      { numRuns: 400 },
    );
  });

  test('valid snippets with tokens deleted, duplicated, swapped and random characters inserted', () => {
    const corpus = snippets.map(tokenTexts);
    fc.assert(
      fc.property(fc.nat({ max: corpus.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 5 }), (which, mutations) => {
        expectWellFormed(mutate(corpus[which] ?? [], mutations).join(' '));
      }),
      { numRuns: 400 },
    );
  });

  test('arbitrary strings, including unpaired surrogates and control characters', () => {
    fc.assert(
      fc.property(codeUnits, (text) => {
        expectWellFormed(text);
      }),
      { numRuns: 300 },
    );
  });
});
