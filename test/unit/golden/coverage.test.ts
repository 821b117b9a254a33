/**
 * Every diagnostic code has its golden in diagnostics/, named by the code (`<code>.txt`; a code that two kinds
 * of input report has the second one as `<code>.<input>.txt`), so every message has been read as users see
 * it, in one place. The few codes no per-code driver produces are listed below with where their golden is.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { MESSAGES, type DiagnosticCode } from '../../../compiler/diagnostics/messages.ts';

const TEST_ROOT = path.resolve(import.meta.dirname, '../..');
const GOLDENS = path.join(import.meta.dirname, 'diagnostics');

/**
 * Codes without a golden in diagnostics/: they are reported by a step after the compile of one project,
 * which the per-code drivers (a compile, a configuration, a test file, a schema-layer call) do not run.
 */
const ELSEWHERE: Readonly<Partial<Record<DiagnosticCode, string>>> = {
  // Reported by `pipec diff` (and deploy) when a new build is compared with the previous one, so a case needs
  // two builds; the golden runs the CLI on a copy of the examples: golden/upgrade/diff.txt.
  'upgrade-state-incompatible': 'golden/upgrade/diff.txt',
  'upgrade-state-dropped': 'golden/upgrade/diff.txt',
  // Reported when the driver applies the files' `-- pipec: allow` comments to the compile's findings
  // (compiler/diagnostics/manage.ts), after the compile the `.pipe` driver runs; inline goldens there.
  'suppression-invalid': 'diagnostics/manage.test.ts',
  'suppression-unused': 'diagnostics/manage.test.ts',
};

const shows = (code: string, text: string): boolean => new RegExp(`(error|warning|info)\\[${code}\\]`).test(text);

test('every diagnostic code has its golden, diagnostics/<code>.txt (or is listed, with why, in ELSEWHERE)', () => {
  const files = new Set(readdirSync(GOLDENS));
  const missing = Object.keys(MESSAGES).filter((code) => !files.has(`${code}.txt`) && !Object.hasOwn(ELSEWHERE, code));
  expect(missing).toEqual([]);
});

test('ELSEWHERE lists only codes without a golden in diagnostics/, and names a file that shows them', () => {
  for (const [code, file] of Object.entries(ELSEWHERE)) {
    expect(readdirSync(GOLDENS)).not.toContain(`${code}.txt`);
    expect(shows(code, readFileSync(path.join(TEST_ROOT, 'unit', file), 'utf8')), `${file} shows ${code}`).toBe(true);
  }
});

test('every golden in diagnostics/ is named by a code and shows it', () => {
  for (const file of readdirSync(GOLDENS).filter((f) => f.endsWith('.txt'))) {
    const code = file.replace(/(\.[a-z-]+)?\.txt$/, '');
    expect(Object.hasOwn(MESSAGES, code), `${file} is named by a code`).toBe(true);
    expect(shows(code, readFileSync(path.join(GOLDENS, file), 'utf8')), `${file} shows ${code}`).toBe(true);
  }
});

// Beyond the goldens: a rendered example somewhere under test/ (a golden, a snapshot or an inline snapshot).
function goldenTexts(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...goldenTexts(full));
    else if (/\.(txt|snap)$|\.test\.ts$/.test(entry)) out.push(readFileSync(full, 'utf8'));
  }
  return out;
}

test('every diagnostic code is shown rendered somewhere under test/', () => {
  const texts = goldenTexts(TEST_ROOT).join('\n');
  expect(Object.keys(MESSAGES).filter((code) => !shows(code, texts))).toEqual([]);
});
