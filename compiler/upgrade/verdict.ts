/**
 * What the upgrade classifier answers: a verdict per change that matters for a running job's state, under
 * the row of the rule table (docs/upgrades.md) it falls under.
 */
import type { Span } from '../source/source.ts';

export type StateVerdict = 'compatible' | 'compatible-dropping-state' | 'incompatible';

/** Which row of the rule table a change falls under. */
export type StateRule =
  | 'flink-version'
  | 'job-setting'
  | 'state-ttl-toggled'
  | 'mini-batch-toggled'
  | 'source-identity'
  | 'source-compatible'
  | 'source-added'
  | 'source-removed'
  | 'group-keys'
  | 'aggregates'
  | 'window'
  | 'join'
  | 'rank'
  | 'distinct'
  | 'operator-input'
  | 'operator-added'
  | 'operator-removed'
  | 'union-inputs'
  | 'union-reordered'
  | 'stateless-view'
  | 'sink-added'
  | 'sink-removed'
  | 'sink-changed'
  | 'sink-materializer';

export interface StateChange {
  readonly verdict: StateVerdict;
  readonly rule: StateRule;
  /** What changed, e.g. `view hourly_volume`, `sink top_merchants_topic`, `source payments`. */
  readonly subject: string;
  /** The change, in words, e.g. `group keys changed from (currency) to (currency, status)`. */
  readonly change: string;
  /** Where in the new `.pipe` text (absent when the thing was removed). */
  readonly span: Span | undefined;
}

export interface Classification {
  readonly verdict: StateVerdict;
  /** True when the plans are the same once spans and comments are ignored. */
  readonly identical: boolean;
  /** Every change that matters for state, worst first. */
  readonly changes: readonly StateChange[];
}

export interface ClassifyOptions {
  /** The Flink version each plan was compiled for (the manifest's `job.flinkVersion`). */
  readonly previousFlinkVersion?: string | undefined;
  readonly nextFlinkVersion?: string | undefined;
}

/** Worse verdicts rank higher. */
export const VERDICT_RANK: Readonly<Record<StateVerdict, number>> = { compatible: 0, 'compatible-dropping-state': 1, incompatible: 2 };

export function worst(verdicts: readonly StateVerdict[]): StateVerdict {
  return verdicts.reduce<StateVerdict>((a, b) => (VERDICT_RANK[b] > VERDICT_RANK[a] ? b : a), 'compatible');
}
