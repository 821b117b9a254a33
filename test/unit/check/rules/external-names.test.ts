import { expect, test } from 'vitest';
import { externalNamesRule } from '../../../../compiler/check/rules/external-names.ts';
import { checkPipeline, findings, runRule } from '../../../helpers/check.ts';
import { deadLetterTopic } from '../../../../compiler/semantic/endpoints.ts';

const STREAM = 'stream paid as select payment_id, amount from payments;\n';

test("a topic with a non-ASCII letter is an error at the topic's string", () => {
  const result = checkPipeline(`${STREAM}sink paid into kafka topic 'rides-ê' format avro;`);
  expect(findings(result)).toEqual([{ code: 'invalid-external-name', line: 2, column: 28 }]);
  expect(result.diagnostics[0]?.message).toBe('`rides-ê` is not a valid Kafka topic: it contains `ê`; a topic name takes only ASCII letters, digits, `.`, `_` and `-`');
  expect(result.diagnostics[0]?.span).toMatchObject({ end: (result.diagnostics[0]?.span?.start ?? 0) + "'rides-ê'".length });
});

test('a topic with a space, a slash and a colon; a source topic; `.` and `..`', () => {
  expect(runRule(externalNamesRule, `${STREAM}sink paid into kafka topic 'has space/and:colon' format avro;`)).toMatchInlineSnapshot(`
    [
      {
        "at": "'has space/and:colon'",
        "code": "invalid-external-name",
        "message": "\`has space/and:colon\` is not a valid Kafka topic: it contains a space; a topic name takes only ASCII letters, digits, \`.\`, \`_\` and \`-\`",
      },
    ]
  `);
  expect(runRule(externalNamesRule, `source odd from kafka topic 'odd topic' format raw;\nstream o as select * from odd;\nsink o into kafka topic 'o' format raw;`)).toMatchInlineSnapshot(`
    [
      {
        "at": "'odd topic'",
        "code": "invalid-external-name",
        "message": "\`odd topic\` is not a valid Kafka topic: it contains a space; a topic name takes only ASCII letters, digits, \`.\`, \`_\` and \`-\`",
      },
    ]
  `);
  expect(runRule(externalNamesRule, `${STREAM}sink paid into kafka topic '..' format avro;`)).toMatchInlineSnapshot(`
    [
      {
        "at": "'..'",
        "code": "invalid-external-name",
        "message": "\`..\` is not a valid Kafka topic: Kafka reserves \`.\` and \`..\`",
      },
    ]
  `);
});

test('a subject with a slash, at the subject clause', () => {
  const result = checkPipeline(`${STREAM}sink paid into kafka topic 'paid' format avro subject 'paid/value';`);
  expect(findings(result)).toEqual([{ code: 'invalid-external-name', line: 2, column: 55 }]);
  expect(result.diagnostics[0]?.message).toMatch(/^`paid\/value` is not a valid registry subject:/);
});

test('a PostgreSQL table with three parts or a too long name, at the table string', () => {
  const result = checkPipeline(`${STREAM}sink paid into postgres table 'dw.public.paid' via connection warehouse upsert key (payment_id);`);
  expect(findings(result)).toEqual([{ code: 'invalid-external-name', line: 2, column: 31 }]);
  expect(result.diagnostics[0]?.message).toBe('`dw.public.paid` is not a valid PostgreSQL table: it has 3 parts; write `table` or `schema.table`');
  expect(runRule(externalNamesRule, `${STREAM}sink paid into postgres table 'public.${'t'.repeat(64)}' via connection warehouse upsert key (payment_id);`)).toMatchInlineSnapshot(`
    [
      {
        "at": "'public.tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt'",
        "code": "invalid-external-name",
        "message": "\`public.tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt\` is not a valid PostgreSQL table: \`tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt\` is 64 bytes long; PostgreSQL cuts identifiers to 63",
      },
    ]
  `);
});

test('derived names: a Connect sink whose name makes an illegal topic is reported at the sink name, with how pipec names it', () => {
  const result = checkPipeline("stream `paid ê` as select payment_id, amount from payments;\nsink `paid ê` into postgres table 'public.paid' via connection warehouse upsert key (payment_id);");
  expect(findings(result)).toEqual([{ code: 'invalid-external-name', line: 2, column: 6 }]);
  expect(result.diagnostics[0]?.message).toBe('`test.p.paid ê` is not a valid Kafka topic: it contains a space; a topic name takes only ASCII letters, digits, `.`, `_` and `-`');
  expect(result.diagnostics[0]?.hints[0]).toBe('pipec names it `<project>.<pipeline>.<sink>`; rename what it is made of');
});

test('a dead-letter topic one past the length limit is shortened with a hash, not refused', () => {
  // test.p.<sink> is 249 characters; with `.dlq` it would be 253.
  const sink = 's'.repeat(249 - 'test.p.'.length);
  const result = checkPipeline(`stream ${sink} as select payment_id, amount from payments;\nsink ${sink} into postgres table 'public.paid' via connection warehouse upsert key (payment_id);`);
  expect(result.diagnostics).toEqual([]);
  const dlq = deadLetterTopic(`test.p.${sink}`);
  expect(dlq).toHaveLength(249);
  expect(dlq).toMatch(/^test\.p\.s+-[0-9a-f]{8}$/);
});

test('mixing . and _ in a written topic is a warning', () => {
  const result = checkPipeline(`${STREAM}sink paid into kafka topic 'rides.paid_v2' format avro;`);
  expect(findings(result)).toEqual([{ code: 'topic-mixes-period-underscore', line: 2, column: 28 }]);
  expect(result.diagnostics[0]?.severity).toBe('warning');
});

test('the usual names pass', () => {
  expect(runRule(externalNamesRule, `${STREAM}sink paid into kafka topic 'payments-paid' format avro;\nsink paid into postgres table 'collections.paid' via connection warehouse upsert key (payment_id);`)).toEqual([]);
});
