import { describe, expect, test } from 'vitest';
import { decodePlanFile } from '../../../../compiler/plan/plan-file.ts';
import { printExecutable } from '../../../../targets/flink-sql/print.ts';
import { resetStartStatements } from '../../../../targets/flink-sql/reset-start.ts';
import { planOf } from '../../../helpers/check.ts';

const BODY = `stream big as select * from payments where amount > 10;
sink big into kafka topic 'big' format json;
stream seen as select * from logins;
sink seen into kafka topic 'seen' format json;
stream m as select * from merchants;
sink m into kafka topic 'm' format json upsert key (merchant_id);
stream l as select * from loans;
sink l into kafka topic 'l' format json upsert key (loan_id);`;

const printed = (header: string, start: 'committed-offsets' | 'startup'): string[] =>
  resetStartStatements(decodePlanFile(planOf(BODY, header), 'plan.json'), start).map(printExecutable);

describe('where a reset job reads its sources from', () => {
  test("the pipeline's startup: every append Kafka source is redefined to read from the group's offsets; upsert and CDC sources are not", () => {
    expect(printed('pipeline p with (checkpoint = 10 s, startup = earliest);', 'committed-offsets')).toEqual([
      "CREATE TEMPORARY TABLE `__pipec_reset_payments` WITH (\n  'properties.auto.offset.reset' = 'earliest',\n  'scan.startup.mode' = 'group-offsets'\n) LIKE `payments`",
      'DROP TEMPORARY TABLE `payments`',
      'CREATE TEMPORARY TABLE `payments` LIKE `__pipec_reset_payments`',
      "CREATE TEMPORARY TABLE `__pipec_reset_logins` WITH (\n  'properties.auto.offset.reset' = 'earliest',\n  'scan.startup.mode' = 'group-offsets'\n) LIKE `logins`",
      'DROP TEMPORARY TABLE `logins`',
      'CREATE TEMPORARY TABLE `logins` LIKE `__pipec_reset_logins`',
    ]);
  });

  test("a source with a dead-letter topic is read through its guarded table, which is the one redefined; a source's own startup counts", () => {
    // Only `raw` has a startup (its own); payments and logins of the prelude start from the group's offsets.
    const plan = planOf(`source raw from kafka topic 'payments' format avro startup earliest on error dead letter 'payments.dlq';\nstream r as select amount from raw;\nsink r into kafka topic 'r' format json;`);
    const tables = resetStartStatements(decodePlanFile(plan, 'plan.json'), 'committed-offsets').flatMap((s) => (s.kind === 'drop-table' ? [s.name] : []));
    expect(tables).toEqual(['raw__guarded']);
  });

  test('startup latest falls back to the latest offset where the group has none', () => {
    expect(printed('pipeline p with (checkpoint = 10 s, startup = latest);', 'committed-offsets')[0]).toContain("'properties.auto.offset.reset' = 'latest'");
  });

  test('sources that already start from the group offsets, and the startup choice, need nothing', () => {
    expect(printed('pipeline p with (checkpoint = 10 s);', 'committed-offsets')).toEqual([]);
    expect(printed('pipeline p with (checkpoint = 10 s, startup = group_offsets);', 'committed-offsets')).toEqual([]);
    expect(printed('pipeline p with (checkpoint = 10 s, startup = earliest);', 'startup')).toEqual([]);
  });
});
