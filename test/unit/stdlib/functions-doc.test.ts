/** docs/functions.md is generated from the function table; it must match what the table says today. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS_DOC_PATH, renderFunctionsDoc } from '../../../stdlib/gen-functions-doc.ts';

describe('docs/functions.md', () => {
  it('is up to date with stdlib/functions.ts (regenerate: bin/with-node node stdlib/gen-functions-doc.ts)', () => {
    expect(readFileSync(FUNCTIONS_DOC_PATH, 'utf8')).toBe(renderFunctionsDoc());
  });

  it('documents every function under its pipec name', () => {
    const doc = renderFunctionsDoc();
    for (const name of ['coalesce', 'substring', 'to_timestamp_ltz', 'count', 'tumble']) expect(doc).toContain(`### \`${name}\``);
  });
});
