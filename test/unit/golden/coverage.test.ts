/**
 * Every diagnostic code has a rendered golden somewhere under test/ (a `.txt` or snapshot file, or an
 * inline snapshot, that shows `error[code]`, `warning[code]` or `info[code]`), so every message has been
 * read as users see it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { MESSAGES } from '../../../compiler/diagnostics/messages.ts';

const TEST_ROOT = path.resolve(import.meta.dirname, '../..');

function goldenTexts(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...goldenTexts(full));
    else if (/\.(txt|snap)$|\.test\.ts$/.test(entry)) out.push(readFileSync(full, 'utf8'));
  }
  return out;
}

test('every diagnostic code has a rendered golden', () => {
  const texts = goldenTexts(TEST_ROOT).join('\n');
  const missing = Object.keys(MESSAGES).filter((code) => !new RegExp(`(error|warning|info)\\[${code}\\]`).test(texts));
  expect(missing).toEqual([]);
});
