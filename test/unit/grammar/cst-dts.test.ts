/** grammar/cst.generated.d.ts types the AST builder; it must match the parser (regenerate: `node grammar/gen-cst-dts.ts`). */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { cstDts } from '../../../grammar/gen-cst-dts.ts';

test('grammar/cst.generated.d.ts is up to date with grammar/parser.ts', () => {
  const committed = readFileSync(new URL('../../../grammar/cst.generated.d.ts', import.meta.url), 'utf8');
  expect(committed === cstDts(), 'grammar/cst.generated.d.ts is stale: run `bin/with-node node grammar/gen-cst-dts.ts`').toBe(true);
});
