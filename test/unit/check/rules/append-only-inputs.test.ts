import { expect, test } from 'vitest';
import { appendOnlyInputsRule } from '../../../../compiler/check/rules/append-only-inputs.ts';
import { runRule } from '../../../helpers/check.ts';

const sink = "\nsink s into kafka topic 'o' format avro upsert key (window_start);";

test('a window over an append-only stream is fine', () => {
  expect(runRule(appendOnlyInputsRule, `stream s as select window_start, count(*) as n from payments window tumbling(event_time, 1 min) group by window_start;${sink}`)).toEqual([]);
});

test('a window over an updating stream is refused', () => {
  expect(runRule(appendOnlyInputsRule, `stream d as dedupe payments by payment_id keep last;\nstream s as select window_start, count(*) as n from d window tumbling(event_time, 1 min) group by window_start;${sink}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "window tumbling(event_time, 1 min)",
        "code": "updating-input",
        "message": "a window needs an append-only input, but \`d\` is updating",
      },
    ]
  `);
});

test('a dedupe of an append-only topic is fine', () => {
  expect(runRule(appendOnlyInputsRule, "stream s as dedupe payments by payment_id keep first order by event_time;\nsink s into kafka topic 'o' format avro upsert key (payment_id);")).toEqual([]);
});

test('a dedupe of a changelog topic or of an updating stream is refused (Flink: "StreamPhysicalDeduplicate doesn\'t support consuming update and delete changes")', () => {
  const body = [
    'stream m as dedupe merchants by category keep first order by updated_at;',
    "sink m into kafka topic 'm' format avro upsert key (category);",
    'stream d as dedupe payments by payment_id keep last;',
    'stream s as dedupe d by payment_id keep last;',
    "sink s into kafka topic 'o' format avro upsert key (payment_id);",
  ].join('\n');
  expect(runRule(appendOnlyInputsRule, body).map((f) => f.message)).toEqual([
    'a dedupe needs an append-only input, but `merchants` is updating',
    'a dedupe needs an append-only input, but `d` is updating',
  ]);
});
