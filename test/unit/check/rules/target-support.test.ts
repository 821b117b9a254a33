import { expect, test } from 'vitest';
import { targetSupportRule } from '../../../../compiler/check/rules/target-support.ts';
import { compileFiles, runRule } from '../../../helpers/check.ts';

const MESSAGE = "Flink SQL cannot run this: the protobuf format (Flink reads Protobuf only through compiled Java message classes, not the registry's wire format)";

test('a Protobuf source or sink is refused at its format clause; avro and json are not', () => {
  expect(runRule(targetSupportRule, "source pb from kafka topic 'payments' format protobuf;\nstream s as select * from pb;\nsink s into kafka topic 'o';")).toEqual([
    { code: 'unsupported-by-target', at: 'format protobuf', message: MESSAGE },
  ]);
  expect(runRule(targetSupportRule, "stream s as select * from payments;\nsink s into kafka topic 'o' key format protobuf upsert key (payment_id);")).toEqual([
    { code: 'unsupported-by-target', at: 'key format protobuf', message: MESSAGE },
  ]);
  for (const format of ['avro', 'json']) {
    expect(runRule(targetSupportRule, `source j from kafka topic 'payments' format ${format};\nstream s as select * from j;\nsink s into kafka topic 'o' format ${format};`)).toEqual([]);
  }
});

test('reported with the other errors of the same run, once per declaration however many pipelines import it', () => {
  const result = compileFiles({
    'lib.pipe': "source pb from kafka topic 'payments' format protobuf;\n",
    'a.pipe': "pipeline a with (checkpoint = 10 s);\nimport pb from 'lib.pipe';\nstream s as select amout from pb;\nsink s into kafka topic 'a';\n",
    'b.pipe': "pipeline b with (checkpoint = 10 s);\nimport pb from 'lib.pipe';\nstream t as select * from pb;\nsink t into kafka topic 'b';\n",
  });
  expect(result.diagnostics.map((d) => `${d.code} ${d.span?.file ?? ''}`)).toEqual(['unsupported-by-target lib.pipe', 'unknown-column a.pipe']);
  expect(result.output).toBeUndefined();
});

test('a key schema sharing some but not all of its fields with the value is refused, also next to other errors', () => {
  const body = "source accounts from kafka topic 'accounts' format avro key format avro;\nstream s as select * from accounts;\nsink s into kafka topic 'o';";
  expect(runRule(targetSupportRule, body)).toEqual([
    { code: 'unsupported-key-layout', at: "source accounts from kafka topic 'accounts' format avro key format avro;", message: 'the key of `accounts` shares some but not all of its fields with the value (`account_id`)' },
  ]);
  const result = compileFiles({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${body.replace('select *', 'select acount_id')}\n` });
  expect(result.diagnostics.map((d) => d.code)).toEqual(['unsupported-key-layout', 'unknown-column']);
});

test('CDC sources of one connection in two formats are refused, also next to other errors; a pipeline without sinks runs no connector', () => {
  const sources = "source a from postgres table 'public.loans' via connection loans_db format avro primary key (loan_id);\nsource b from postgres table 'public.loans' via connection loans_db format json primary key (loan_id);\n";
  const result = compileFiles({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${sources}stream s as select loan_id from a where statuss = 'x' union all select loan_id from b;\nsink s into kafka topic 'o' upsert key (loan_id);\n` });
  expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.span?.start ?? ''}`)).toEqual([`cdc-mixed-formats ${result.parsed[0]?.source.text.indexOf('source b') ?? -1}`, expect.stringMatching(/^unknown-column /)]);
  expect(runRule(targetSupportRule, sources)).toEqual([]);
});
