import { expect, test } from 'vitest';
import { sessionWindowTopNRule } from '../../../../compiler/check/rules/session-window-top-n.ts';
import { runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro;";
const aggregate = (window: string): string =>
  `stream w as select window_start, window_end, customer_id, count(*) as n from payments window ${window} group by window_start, window_end, customer_id;\n`;

test('a top-N per tumbling, hopping or cumulative window passes', () => {
  for (const window of ['tumbling(event_time, 1 h)', 'hopping(event_time, 1 h, 5 min)', 'cumulative(event_time, 1 h, 1 d)']) {
    expect(runRule(sessionWindowTopNRule, `${aggregate(window)}stream s as top 3 from w per window_start order by n desc;${sink}`)).toEqual([]);
  }
});

test('a continuous top-N over session windows (not per window) passes', () => {
  expect(runRule(sessionWindowTopNRule, `${aggregate('session(event_time, 5 min, customer_id)')}stream s as top 3 from w per customer_id order by n desc;\nsink s into kafka topic 'o' format avro upsert key (customer_id, window_start, window_end);`)).toEqual([]);
});

test('a top-N per session window is reported at the top-N, also through a projection', () => {
  expect(runRule(sessionWindowTopNRule, `${aggregate('session(event_time, 5 min, customer_id)')}stream s as top 3 from w per window_start order by n desc;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "top 3 from w per window_start order by n desc",
        "code": "session-window-top-n",
        "message": "a top-N per window ranks tumbling, hopping and cumulative windows; Flink does not support it over session windows",
      },
    ]
  `);
  expect(runRule(sessionWindowTopNRule, `${aggregate('session(event_time, 5 min, customer_id)')}stream v as select window_start, window_end, n from w;\nstream s as top 1 from v per window_end order by n desc;${sink}`).map((f) => f.code)).toEqual(['session-window-top-n']);
});
