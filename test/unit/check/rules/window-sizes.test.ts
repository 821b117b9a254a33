import { expect, test } from 'vitest';
import { windowSizesRule } from '../../../../compiler/check/rules/window-sizes.ts';
import { checkPipeline, findings, runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro;";
const windowed = (window: string) => `stream s as select window_start, count(*) as n from payments window ${window} group by window_start;${sink}`;

test('sizes Flink runs pass: hopping size a multiple of the slide, cumulative max a multiple of the step', () => {
  expect(runRule(windowSizesRule, windowed('hopping(event_time, 1 h, 5 min)'))).toEqual([]);
  expect(runRule(windowSizesRule, windowed('cumulative(event_time, 1 h, 1 d)'))).toEqual([]);
  expect(runRule(windowSizesRule, windowed('tumbling(event_time, 90 s)'))).toEqual([]);
});

test('a hopping size that is not a multiple of its slide is reported at the window, with a slide that works', () => {
  const result = checkPipeline(windowed('hopping(event_time, 1 h, 7 min)'));
  expect(findings(result)).toEqual([{ code: 'window-sizes', line: 1, column: 62 }]);
  expect(result.diagnostics[0]?.message).toBe('Flink cannot run this hopping window: its size (1 h) must be a whole multiple of its slide (7 min)');
  expect(result.diagnostics[0]?.hints).toEqual(['use a slide that divides the size, such as `5 min`']);
});

test('a slide longer than the size is reported', () => {
  expect(runRule(windowSizesRule, windowed('hopping(event_time, 1 min, 5 min)'))).toEqual(['window-sizes']);
});

test('a cumulative max size that is not a multiple of its step is reported', () => {
  const result = checkPipeline(windowed('cumulative(event_time, 7 min, 1 h)'));
  expect(result.diagnostics.map((d) => d.message)).toEqual(['Flink cannot run this cumulative window: its max size (1 h) must be a whole multiple of its step (7 min)']);
});

test('a zero size is reported', () => {
  expect(runRule(windowSizesRule, windowed('tumbling(event_time, 0 s)'))).toEqual(['window-sizes']);
});
