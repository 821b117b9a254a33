/**
 * Will a running job's state carry over to the new plan? Compares the previous and the new plan of one
 * pipeline (both as written to `<pipeline>/plan.json`) and judges the upgrade, naming every change that
 * matters for state. Pure.
 *
 * The model: a savepoint holds state per operator, and inside an operator by position and type (a group's
 * accumulators are one row in the order the aggregates are written; a join keeps its input rows, pruned to
 * the columns read; a rank keeps whole rows). pipec starts jobs from compiled plans whose operator ids follow
 * the deployed plan, so an operator finds its state while it, its state's shape and what feeds it stay the
 * same. The stateful operators are group and window aggregates, `select distinct`, joins (regular, interval,
 * temporal) and ranks (dedupe, top-N); sources (offsets) and sinks (writer state) hold state too. The rules,
 * with the reason for each, are the table in docs/upgrades.md, which users read: keep the two in step.
 *
 * Adding a non-distinct aggregate is incompatible here (a vendor that migrates accumulator state keeps the
 * others): open-source Flink (1.20, 2.2) keeps all accumulators of a group in one RowData whose serializer
 * refuses a different field list on restore (RowDataSerializerSnapshot; FLIP-527 for state schema evolution of
 * RowData is not done).
 *
 * One thing per file: analysis.ts analyses one plan, comparison.ts compares two analyses, wording.ts names the
 * changes, canonical.ts is what "the same" means, verdict.ts the answer's types.
 */
import type { PipelinePlan } from '../plan/plan.ts';
import { analyse } from './analysis.ts';
import { canon } from './canonical.ts';
import { operatorChanges, settingChanges, sinkChanges, sourceChanges, unionChanges, viewChanges } from './comparison.ts';
import { VERDICT_RANK, worst, type Classification, type ClassifyOptions, type StateChange } from './verdict.ts';

export { worst, type Classification, type ClassifyOptions, type StateChange, type StateRule, type StateVerdict } from './verdict.ts';

export function classify(previous: PipelinePlan, next: PipelinePlan, options: ClassifyOptions = {}): Classification {
  const identical = canon(comparable(previous)) === canon(comparable(next));
  const changes: StateChange[] = [];
  const versionChanged = options.previousFlinkVersion !== undefined && options.nextFlinkVersion !== undefined && options.previousFlinkVersion !== options.nextFlinkVersion;
  if (versionChanged) {
    changes.push({
      verdict: identical ? 'compatible' : 'incompatible',
      rule: 'flink-version',
      subject: `pipeline ${next.name}`,
      change: identical
        ? `Flink ${options.previousFlinkVersion} → ${options.nextFlinkVersion} with an identical plan: the compiled plan keeps operator ids, but Flink promises no savepoint compatibility between 1.x and 2.x — test the restore first`
        : `Flink ${options.previousFlinkVersion} → ${options.nextFlinkVersion} together with a changed plan: a new planner may lay out operators differently, so state cannot be mapped`,
      span: next.span,
    });
  }
  if (!identical) {
    const before = analyse(previous);
    const after = analyse(next);
    changes.push(...settingChanges(previous, next, before, after));
    changes.push(...sourceChanges(before, after));
    changes.push(...operatorChanges(before, after));
    changes.push(...unionChanges(before, after));
    changes.push(...viewChanges(before, after));
    changes.push(...sinkChanges(before, after));
  }
  const sorted = [...changes].sort((a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict]);
  return { verdict: worst(sorted.map((c) => c.verdict)), identical, changes: sorted };
}

/** What of a pipeline plan runs: not who owns it, how it is described, or which file it lives in. */
function comparable(p: PipelinePlan): unknown {
  return { name: p.name, settings: p.settings, sources: p.sources, views: p.views, sinks: p.sinks };
}
