import { expect, test } from 'vitest';
import { windowAggregateFunctionsRule } from '../../../../compiler/check/rules/window-aggregate-functions.ts';
import { checkPipeline, findings, runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro;";
const windowed = (window: string) => `stream s as select window_start, last_value(status) as st from payments window ${window} group by window_start;${sink}`;

test('first_value and last_value aggregate a tumbling window', () => {
  expect(runRule(windowAggregateFunctionsRule, windowed('tumbling(event_time, 1 min)'))).toEqual([]);
});

test('in a hopping, cumulative or session window they are reported at the call', () => {
  const result = checkPipeline(windowed('hopping(event_time, 1 h, 5 min)'));
  expect(findings(result)).toEqual([{ code: 'window-aggregate-function', line: 1, column: 34 }]);
  expect(result.diagnostics[0]?.message).toBe('`last_value` cannot aggregate a hopping window: Flink combines the window from shared slices and cannot merge `last_value`');
  expect(runRule(windowAggregateFunctionsRule, windowed('cumulative(event_time, 1 h, 1 d)'))).toMatchInlineSnapshot(`
    [
      {
        "at": "last_value(status)",
        "code": "window-aggregate-function",
        "message": "\`last_value\` cannot aggregate a cumulative window: Flink combines the window from shared slices and cannot merge \`last_value\`",
      },
    ]
  `);
  expect(runRule(windowAggregateFunctionsRule, windowed('session(event_time, 5 min)'))).toMatchInlineSnapshot(`
    [
      {
        "at": "last_value(status)",
        "code": "window-aggregate-function",
        "message": "\`last_value\` cannot aggregate a session window: Flink merges sessions and cannot merge \`last_value\`",
      },
    ]
  `);
});
