import { describe, expect, it } from 'vitest';
import { parse } from '../../../compiler/ast/parse.ts';
import { createParseCache } from '../../../compiler/ast/parse-cache.ts';

describe('parse cache', () => {
  it('reuses the parse of an unchanged file and re-parses an edited one', () => {
    const cache = createParseCache();
    const v1 = { path: 'a.pipe', text: "source s from kafka topic 't' format avro;\n" };
    const first = cache.parse(v1);
    expect(first).toEqual(parse(v1));
    // Same text from a new read of the file: the same ParsedFile, not parsed again.
    expect(cache.parse({ ...v1 })).toBe(first);
    const v2 = { path: 'a.pipe', text: "source s from kafka topic 't' format;\n" };
    const second = cache.parse(v2);
    expect(second).not.toBe(first);
    expect(second.diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
    // Same text under another path is another file (spans name their file).
    expect(cache.parse({ path: 'b.pipe', text: v1.text }).ast.path).toBe('b.pipe');
    expect(cache.stats()).toEqual({ parsed: 3, reused: 1 });
  });
});
