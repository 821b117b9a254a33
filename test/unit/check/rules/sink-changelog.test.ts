import { expect, test } from 'vitest';
import { sinkChangelogRule } from '../../../../compiler/check/rules/sink-changelog.ts';
import { checkPipeline, runRule } from '../../../helpers/check.ts';

const totals = 'stream s as select customer_id, sum(amount) as total from payments group by customer_id;\n';

test('an append-only stream goes into an append topic', () => {
  expect(runRule(sinkChangelogRule, "stream s as select * from payments;\nsink s into kafka topic 'o' format avro;")).toEqual([]);
});

test('an updating stream into an append-only topic is refused, suggesting its upsert key', () => {
  expect(runRule(sinkChangelogRule, `${totals}sink s into kafka topic 'o' format avro;`)).toMatchInlineSnapshot(`
    [
      {
        "at": "kafka topic 'o'",
        "code": "updating-into-append-sink",
        "message": "\`s\` is updating (it changes rows it has already emitted), but the sink writes append-only",
      },
    ]
  `);
  const result = checkPipeline(`${totals}sink s into kafka topic 'o' format avro;`);
  expect(result.diagnostics.find((d) => d.code === 'updating-into-append-sink')?.hints).toEqual(['write it as an upsert: `upsert key (customer_id)`']);
});

test('an updating stream into an upsert topic is fine', () => {
  expect(runRule(sinkChangelogRule, `${totals}sink s into kafka topic 'o' format avro upsert key (customer_id);`)).toEqual([]);
});

test('a database sink of an updating stream needs a key', () => {
  expect(runRule(sinkChangelogRule, `${totals}sink s into postgres table 'public.totals' via connection warehouse;`)).toMatchInlineSnapshot(`
    [
      {
        "at": "postgres table 'public.totals'",
        "code": "sink-needs-key",
        "message": "this postgres sink writes updates, so it needs the key to upsert by",
      },
    ]
  `);
});
