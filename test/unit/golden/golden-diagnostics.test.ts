/**
 * Rendered diagnostics, exactly as a user sees them, for every semantic diagnostic code. Each input under
 * diagnostics/ is named after the code it must produce (a `.pipe` file, or a folder for codes that need
 * several files); its rendering is compared with the `.txt` golden beside it (read by a human before commit).
 * Each input goes through the whole compile (check, plan, code generation), so findings of every phase count.
 * diagnostics/ holds the golden of every code (coverage.test.ts); the codes a `.pipe` file cannot produce have
 * their goldens written there by the drivers of their setup: golden-config-and-files.test.ts (configuration,
 * files, output folder), ../schemas/diagnostics.test.ts (schema layer) and ../testing/check-tests.test.ts
 * (test files).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileFiles, rendered } from '../../helpers/check.ts';

const dir = path.join(import.meta.dirname, 'diagnostics');
const cases = readdirSync(dir).filter((f) => f.endsWith('.pipe') || statSync(path.join(dir, f)).isDirectory()).sort();

function inputsOf(name: string): Record<string, string> {
  const full = path.join(dir, name);
  if (!statSync(full).isDirectory()) return { [name]: readFileSync(full, 'utf8') };
  return Object.fromEntries(readdirSync(full).sort().map((f) => [`${name}/${f}`, readFileSync(path.join(full, f), 'utf8')]));
}

describe('golden diagnostics', () => {
  test.each(cases)('%s', async (name) => {
    const code = name.replace(/\.pipe$/, '');
    const result = compileFiles(inputsOf(name));
    expect(result.diagnostics.map((d) => d.code)).toContain(code);
    await expect(`${rendered(result)}\n`).toMatchFileSnapshot(path.join(dir, `${code}.txt`));
  });
});
