/**
 * The job state guard's check: the first resource of a pipeline to register, it refuses an upgrade that would
 * lose the running job's state (naming the change), lets compatible changes and explicit resets through.
 */
import { describe, expect, test } from 'vitest';
import { stateGuardProvider, type StateGuardInputs } from '../../../deploy/providers.ts';
import { planOf } from '../../helpers/check.ts';

const agg = (keys: string): string => `stream s as select ${keys}, count(*) as n from payments group by ${keys};\nsink s into kafka topic 'out' format avro upsert key (${keys});`;
const guard = (plan: string, allowStateReset = false): StateGuardInputs => ({ name: 'p', plan, flinkVersion: '1.20', allowStateReset });

describe('job state guard', () => {
  test('a first deploy has nothing to keep', async () => {
    expect((await stateGuardProvider.check?.({} as StateGuardInputs, guard(planOf(agg('currency')))))?.failures).toEqual([]);
  });

  test('new group keys are refused, naming the view and the change', async () => {
    const check = await stateGuardProvider.check?.(guard(planOf(agg('currency'))), guard(planOf(agg('currency, status'))));
    expect(check?.failures).toEqual([{ property: '', reason: expect.stringMatching(/^view s: group keys changed from \(currency\) to \(currency, status\) \(the running job's state cannot carry over; set allowStateReset/) }]);
  });

  test('an explicit state reset lets the same change through', async () => {
    expect((await stateGuardProvider.check?.(guard(planOf(agg('currency'))), guard(planOf(agg('currency, status')), true)))?.failures).toEqual([]);
  });

  test('a compatible change (parallelism) passes, and diff sees it', async () => {
    const olds = guard(planOf(agg('currency')));
    const news = guard(planOf(agg('currency'), 'pipeline p with (checkpoint = 10 s, parallelism = 4);'));
    expect((await stateGuardProvider.check?.(olds, news))?.failures).toEqual([]);
    expect((await stateGuardProvider.diff?.('p', olds, news))?.changes).toBe(true);
    expect((await stateGuardProvider.diff?.('p', olds, { ...olds, allowStateReset: true }))?.changes).toBe(false);
  });
});
