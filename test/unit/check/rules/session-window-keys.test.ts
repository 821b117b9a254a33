import { expect, test } from 'vitest';
import { sessionWindowKeysRule } from '../../../../compiler/check/rules/session-window-keys.ts';
import { checkPipeline, findings, runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro;";

test('grouping by the session keys (or by none, without keys) passes', () => {
  expect(runRule(sessionWindowKeysRule, `stream s as select window_start, window_end, customer_id, count(*) as n from payments window session(event_time, 5 min, customer_id) group by window_start, window_end, customer_id;${sink}`)).toEqual([]);
  expect(runRule(sessionWindowKeysRule, `stream s as select window_start, count(*) as n from payments window session(event_time, 5 min) group by window_start;${sink}`)).toEqual([]);
});

test('grouping by a column that is not a session key is reported at the window, naming the keys', () => {
  const result = checkPipeline(`stream s as select window_start, customer_id, count(*) as n from payments window session(event_time, 5 min) group by window_start, customer_id;${sink}`);
  expect(findings(result)).toEqual([{ code: 'session-window-keys', line: 1, column: 75 }]);
  expect(result.diagnostics[0]?.message).toBe("a session window aggregation must group by the session's keys (none), besides `window_start` and `window_end`");
  expect(result.diagnostics[0]?.hints).toEqual(['list the keys in the window, `session(time, gap, customer_id)`, and group by the same columns: Flink keeps one session per key']);
});

test('grouping by window_time is reported', () => {
  expect(runRule(sessionWindowKeysRule, `stream s as select window_start, customer_id, window_time, count(*) as n from payments window session(event_time, 5 min, customer_id) group by window_start, customer_id, window_time;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "window session(event_time, 5 min, customer_id)",
        "code": "session-window-keys",
        "message": "a session window aggregation must group by the session's keys (\`customer_id\`), besides \`window_start\` and \`window_end\`",
      },
    ]
  `);
});
