/**
 * The README's quick start, run as written: every `bin/pipec …` command of its shell blocks, in a copy of the
 * example project, succeeds and says so. (Its test commands are what runs this test, so they are not run here.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { copyExamples, pipec, ROOT } from '../../helpers/run-pipec.ts';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const start = readme.indexOf('## Quick start');
const quickStart = readme.slice(start, readme.indexOf('\n## ', start + 1));
const commands = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? '').split('\n')).filter((l) => l.startsWith('bin/pipec '));

test('the quick start names the command that checks the examples', () => {
  expect(commands).toContain('bin/pipec check examples');
});

test.each(commands)('`%s` runs as the README says', async (command) => {
  const work = await copyExamples('pipec-readme-');
  const result = await pipec(command.split(' ').slice(1), work);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/checked \d+ files, \d+ pipelines: no errors/);
});
