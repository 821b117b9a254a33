import { expect, test } from 'vitest';
import { exactlyOnceRule } from '../../../../compiler/check/rules/exactly-once.ts';
import { check } from '../../../../compiler/check/index.ts';
import { checkFiles, PRELUDE } from '../../../helpers/check.ts';

const body = "stream s as select * from payments;\nsink s into kafka topic 'o' format avro;";
const run = (header: string) => {
  const result = checkFiles({ 'p.pipe': `${header}\n${PRELUDE}\n${body}` });
  return result.program ? check(result.program, [exactlyOnceRule]).map((d) => d.code) : ['does not parse'];
};

test('exactly-once with a checkpoint interval is fine', () => {
  expect(run('pipeline p with (delivery = exactly_once, checkpoint = 30 s);')).toEqual([]);
});

test('exactly-once without checkpoints is refused', () => {
  expect(run('pipeline p with (delivery = exactly_once);')).toEqual(['exactly-once-needs-checkpoint']);
});
