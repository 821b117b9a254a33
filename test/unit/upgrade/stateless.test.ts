/** statefulParts: what of a pipeline keeps state, for Confluent Cloud's offset carry-over. */
import { expect, test } from 'vitest';
import { statefulParts } from '../../../compiler/upgrade/stateless.ts';
import { decodePlanFile } from '../../../compiler/plan/plan-file.ts';
import { compileExamples } from '../../helpers/examples.ts';
import { compileProject } from '../../helpers/compile-project.ts';

test('what of each example keeps state, and where (the quality gate only filters: none)', async () => {
  const compiled = await compileExamples('1.20');
  const parts = Object.fromEntries((compiled.plan?.pipelines ?? []).map((p) => [p.name, statefulParts(p)]));
  expect(parts).toEqual({
    fraud_login_country: ['view suspicious_authorizations has an interval join'],
    loans_changelog: ['source loans reads a CDC changelog', 'sink open_loans_topic is an upsert sink'],
    merchant_leaders: [
      'source merchants is an upsert table (primary key merchant_id)',
      'view hourly_volume has a tumbling window',
      'view hourly_volume aggregates',
      'view top_merchants keeps the top 3 per window_start, window_end',
      'view category_volume has a temporal join',
      'view category_volume aggregates',
      'sink top_merchants_topic is an upsert sink',
      'sink category_volume_elasticsearch is an upsert sink',
    ],
    missed_payments: [
      'source loans reads a CDC changelog',
      'view missed has a temporal join',
      'view missed_per_hour has a tumbling window',
      'view missed_per_hour aggregates',
      'sink missed_per_hour_postgres is an upsert sink',
    ],
    payments_dedupe: ['view unique_payments deduplicates per payment_id', 'sink unique_payments_topic is an upsert sink'],
    payments_enriched: ['source loans reads a CDC changelog', 'view enriched has a temporal join'],
    payments_per_minute: ['view volume has a tumbling window', 'view volume aggregates'],
    payments_quality: [],
  });
});

test('filters, projections, UNION ALL and UNNEST keep none; a plan read back from plan.json judges the same', async () => {
  const { result } = await compileProject({
    'stateless.pipe': `pipeline stateless
  owner 'x';

import payments from 'shared/sources.pipe';

stream big as select payment_id, amount * 2 as doubled, event_time from payments where amount > 100 and status <> 'PAID';
stream small as select payment_id, amount as doubled, event_time from payments where amount < 1;
stream both as select * from big union all select * from small;

sink both into kafka topic 'payments.both'
  format avro;
`,
  });
  const plan = result.plan?.pipelines.find((p) => p.name === 'stateless');
  if (!plan) throw new Error('no plan');
  expect(statefulParts(plan)).toEqual([]);
  const planJson = result.output?.artifacts.find((a) => a.path === 'stateless/plan.json')?.contents ?? '';
  expect(statefulParts(decodePlanFile(planJson, 'stateless/plan.json'))).toEqual([]);
  const distinct = { ...plan, views: plan.views.map((v) => (v.query.kind === 'select' ? { ...v, query: { ...v.query, distinct: true } } : v)) };
  expect(statefulParts(distinct)).toEqual(['view big selects distinct rows', 'view small selects distinct rows']);
});
