import { expect, test } from 'vitest';
import { pipelineNameProblem } from '../../../../compiler/check/rules/pipeline-names.ts';
import { checkFiles, PRELUDE } from '../../../helpers/check.ts';

test('ordinary names are fine', () => {
  for (const name of ['payments_dedupe', 'p', 'daily-totals', '_x', '2024_q1', 'a'.repeat(100)]) expect(pipelineNameProblem(name)).toBeUndefined();
});

test('names that are paths, build files or beyond the character set are refused, saying why', () => {
  expect(pipelineNameProblem('..')).toBe('it contains "."');
  expect(pipelineNameProblem('../../../x')).toBe('it contains "."');
  expect(pipelineNameProblem('x/p')).toBe('it contains "/"');
  expect(pipelineNameProblem('a\\b')).toBe('it contains "\\\\"');
  expect(pipelineNameProblem('manifest.json')).toBe('it contains "."');
  expect(pipelineNameProblem('zahlungen_€')).toBe('it contains "€"');
  expect(pipelineNameProblem('a b')).toBe('it contains " "');
  expect(pipelineNameProblem('-x')).toBe('it starts with `-`');
  expect(pipelineNameProblem('')).toBe('it is empty');
  expect(pipelineNameProblem('a'.repeat(101))).toBe('it is 101 characters long, more than 100');
});

test('reported at the name in the header, with the message and hint', () => {
  const header = 'pipeline `x/../p` with (checkpoint = 10 s);';
  const result = checkFiles({ 'p.pipe': `${header}\n${PRELUDE}\nstream s as select payment_id from payments;\nsink s into kafka topic 'o' format avro;` });
  const found = result.diagnostics.filter((d) => d.code === 'invalid-pipeline-name');
  expect(found).toHaveLength(1);
  expect(found[0]?.message).toBe('the pipeline name "x/../p" cannot name its folder in the build: it contains "/"');
  expect(found[0]?.hints[0]).toMatch(/ASCII letters, digits, `_` and `-`/);
  expect(found[0]?.span).toMatchObject({ file: 'p.pipe', start: header.indexOf('`'), end: header.indexOf(' with') });
});

test('two pipelines whose folders would be one (names equal but for case) are reported', () => {
  const body = `${PRELUDE}\nstream s as select payment_id from payments;\nsink s into kafka topic 'o' format avro;`;
  const result = checkFiles({ 'a.pipe': `pipeline Daily with (checkpoint = 10 s);\n${body}`, 'b.pipe': `pipeline daily with (checkpoint = 10 s);\n${body.replace("'o'", "'o2'")}` });
  expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['duplicate-pipeline']);
});
