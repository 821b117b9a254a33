import { expect, test } from 'vitest';
import { windowGroupingRule } from '../../../../compiler/check/rules/window-grouping.ts';
import { runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro;";

test('grouping by window_start is enough (pipec adds window_end)', () => {
  expect(runRule(windowGroupingRule, `stream s as select window_start, currency, count(*) as n from payments window tumbling(event_time, 1 min) group by window_start, currency;${sink}`)).toEqual([]);
});

test('an aggregation over a window that does not group by it is reported', () => {
  expect(runRule(windowGroupingRule, `stream s as select currency, count(*) as n from payments window hopping(event_time, 1 min, 10 s) group by currency;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "window hopping(event_time, 1 min, 10 s)",
        "code": "window-not-grouped",
        "message": "an aggregation over a window must group by \`window_start\` or \`window_end\`",
      },
    ]
  `);
});
