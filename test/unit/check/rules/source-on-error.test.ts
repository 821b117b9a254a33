import { expect, test } from 'vitest';
import { sourceOnErrorRule } from '../../../../compiler/check/rules/source-on-error.ts';
import { runRule } from '../../../helpers/check.ts';

const SINK = "stream s as select * from guarded;\nsink s into kafka topic 'o' upsert key (merchant_id);";

test('an append-only topic may skip or dead-letter what it cannot decode', () => {
  for (const onError of ['skip', "dead letter 'g.undecodable'", 'fail']) {
    expect(runRule(sourceOnErrorRule, `source guarded from kafka topic 'payments' on error ${onError};\nstream s as select * from guarded;\nsink s into kafka topic 'o';`)).toEqual([]);
  }
});

test('a changelog source fails on it: a skipped update would leave its key\'s row stale', () => {
  expect(runRule(sourceOnErrorRule, `source guarded from kafka topic 'merchants' primary key (merchant_id) on error skip;\n${SINK}`)).toMatchInlineSnapshot(`
    [
      {
        "at": "on error skip",
        "code": "on-error-changelog-source",
        "message": "source \`guarded\` is a changelog: it cannot \`skip\` a record it cannot decode",
      },
    ]
  `);
  expect(runRule(sourceOnErrorRule, `source guarded from kafka topic 'merchants' primary key (merchant_id) on error fail;\n${SINK}`)).toEqual([]);
});
