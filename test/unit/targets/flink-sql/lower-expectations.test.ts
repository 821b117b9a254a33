/** Expectations in the generated Flink SQL: the checked view, the rejected rows' view and dead-letter sink, `else fail`. */
import { expect, test } from 'vitest';
import { compileFiles, PRELUDE } from '../../../helpers/check.ts';
import type { PipelinePlan } from '../../../../compiler/plan/plan.ts';

function compiled(stream: string): { job: string; plan: PipelinePlan; manifest: string } {
  const result = compileFiles({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${PRELUDE}\n${stream}\nsink s into kafka topic 'o' format avro;` });
  const file = (path: string): string => {
    const contents = result.output?.artifacts.find((a) => a.path === path)?.contents;
    if (!contents) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
    return contents;
  };
  return { job: file('p/job.sql'), plan: JSON.parse(file('p/plan.json')) as PipelinePlan, manifest: file('manifest.json') };
}

test('a stream without expectations is one view, as before', () => {
  const { plan, job } = compiled('stream s as select payment_id from payments;');
  expect(plan.views.map((v) => v.name)).toEqual(['s']);
  expect(job).not.toContain('PIPEC_RAISE_ERROR');
});

test('valid rows flow on through the stream\'s view; `drop` is only a filter, NULL counting as not met', () => {
  const { plan, job } = compiled('stream s as select payment_id, amount from payments\n  expect positive: amount > 0\n  expect named: payment_id <> \'\' else drop;');
  expect(plan.views.map((v) => v.name)).toEqual(['s__unchecked', 's']);
  expect(plan.sinks.map((s) => s.topic)).toEqual(['o']);
  expect(job).toContain([
    'CREATE TEMPORARY VIEW `s` AS',
    '  SELECT `s`.`payment_id`, `s`.`amount`',
    '  FROM `s__unchecked` AS `s`',
    "  WHERE `s`.`amount` > 0 AND `s`.`payment_id` <> '';",
  ].join('\n'));
});

test('a dead-letter topic is a sink of its own: the rejected rows with the expectation\'s name, one branch per expectation', () => {
  const { plan, job, manifest } = compiled("stream s as select payment_id, amount, currency from payments\n  expect positive: amount > 0 else dead letter 'payments.rejected'\n  expect known: currency in ('EUR', 'USD') else dead letter 'payments.rejected';");
  expect(plan.views.map((v) => v.name)).toEqual(['s__unchecked', 's', 's__rejected']);
  const deadLetter = plan.sinks.find((s) => s.topic === 'payments.rejected');
  expect(deadLetter?.input).toBe('s__rejected');
  expect(deadLetter?.columns.map((c) => c.name)).toEqual(['pipec_expectation', 'payment_id', 'amount', 'currency']);
  expect(deadLetter?.value.subject).toBe('payments.rejected-value');
  expect(job).toContain("  SELECT\n    CAST('positive' AS STRING) AS `pipec_expectation`,");
  expect(job).toContain('  WHERE CASE WHEN `s`.`amount` > 0 THEN FALSE ELSE TRUE END\n  UNION ALL\n');
  expect(job).toContain('INSERT INTO `s_rejected_topic` (`pipec_expectation`, `payment_id`, `amount`, `currency`)');
  // The deployer creates the topic and registers its subject like any sink's.
  const topics = (JSON.parse(manifest) as { pipelines: { topics: { name: string }[]; subjects: { subject: string }[] }[] }).pipelines[0];
  expect(topics?.topics.map((t) => t.name)).toContain('payments.rejected');
  expect(topics?.subjects.map((s) => s.subject)).toContain('payments.rejected-value');
});

test('`else fail` raises through the runtime\'s function, naming stream and expectation', () => {
  const { plan, job } = compiled('stream s as select payment_id, amount from payments\n  expect bounded: amount < 1000000 else fail;');
  expect(plan.views.find((v) => v.name === 's')?.failUnless?.map((f) => f.expectation)).toEqual(['bounded']);
  expect(job).toContain("CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS `PIPEC_RAISE_ERROR` AS 'dev.pipec.flink.RaiseError' LANGUAGE JAVA;");
  expect(job).toContain("  WHERE `s`.`amount` < 1000000 OR PIPEC_RAISE_ERROR('pipec: a row of stream s does not meet expectation bounded');");
});
