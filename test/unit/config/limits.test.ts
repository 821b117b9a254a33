/**
 * Nesting past the limit is reported at the same place however deep the caller's stack is: the YAML library
 * gives up where its own stack runs out, which moves with the caller.
 */
import { describe, expect, test } from 'vitest';
import { MAX_CONFIG_DEPTH, parseConfig } from '../../../compiler/config/load.ts';
import type { Span } from '../../../compiler/source/source.ts';

const spanOf = (text: string): Span | undefined => parseConfig({ path: 'pipec.yaml', text }, undefined).diagnostics[0]?.span;
/** The same parse, called from `frames` nested calls further down the stack. */
const spanFrom = (frames: number, text: string): Span | undefined => (frames === 0 ? spanOf(text) : spanFrom(frames - 1, text));

describe('deep flow nesting (config-limit)', () => {
  const prefix = "project: demo\nname: 'it''s [not a bracket'\nowner: Bob's [team]\n# a comment [[[\nx: ";
  const text = `${prefix}${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;

  test('points at the first bracket past the limit, wherever it is parsed from', () => {
    const expected = { file: 'pipec.yaml', start: prefix.length + MAX_CONFIG_DEPTH, end: prefix.length + MAX_CONFIG_DEPTH + 1 };
    expect(parseConfig({ path: 'pipec.yaml', text }, undefined).diagnostics.map((d) => d.code)).toEqual(['config-limit']);
    for (const frames of [0, 50, 500, 2000]) expect(spanFrom(frames, text)).toEqual(expected);
  });
});
