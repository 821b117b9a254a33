/**
 * Where a job started with no state (a state reset) reads its sources from. By default it goes on where the
 * previous job stopped: every append Kafka source with a `startup` of its own (or the pipeline's) is
 * redefined, for this start only, to read from its consumer group's committed offsets, which Flink commits as
 * checkpoints complete; where the group has none, from the earliest offset (the latest for `startup latest`).
 * CDC and upsert sources are left alone: with empty state, the table they describe must be read whole.
 *
 * The statements run after COMPILE PLAN and before EXECUTE PLAN. A compiled plan names the tables it reads,
 * and EXECUTE PLAN looks them up in the session, so the redefined table is the one the job reads. A temporary
 * table cannot be altered: it is copied with the new options (`LIKE`), dropped, and made again from the copy.
 * Pure.
 */
import type { PipelinePlan, SourcePlan } from '../../compiler/plan/plan.ts';
import type { ExecutableStatement } from './sql-ast.ts';

export type ResetStart = 'committed-offsets' | 'startup';

/** The table a source is read as: a source with a dead-letter topic is read through its guarded table. */
const tableOf = (s: SourcePlan): string => (s.onError?.kind === 'dead-letter' ? s.onError.guardedTable : s.name);

export function resetStartStatements(plan: PipelinePlan, start: ResetStart): ExecutableStatement[] {
  if (start === 'startup') return [];
  return plan.sources.flatMap((s): ExecutableStatement[] => {
    const startup = s.startup?.mode ?? plan.settings.startup;
    if (s.system !== 'kafka' || s.primaryKey.length > 0 || startup === undefined || startup === 'group_offsets') return [];
    const table = tableOf(s);
    const copy = `__pipec_reset_${table}`;
    return [
      { kind: 'create-table-like', name: copy, like: table, options: { 'scan.startup.mode': 'group-offsets', 'properties.auto.offset.reset': startup === 'latest' ? 'latest' : 'earliest' } },
      { kind: 'drop-table', name: table },
      { kind: 'create-table-like', name: table, like: copy, options: {} },
    ];
  });
}
