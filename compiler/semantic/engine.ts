/**
 * Where the Flink lines pipec targets derive different changelog modes, as data. Each fact was observed on
 * the real planner with the planner harness (test/planner-check), `EXPLAIN CHANGELOG_MODE`.
 */
export type EngineVersion = '1.20' | '2.2';

export interface EngineSemantics {
  readonly version: EngineVersion;
  /**
   * Deduplication keeping the first row by event time: 1.20 emits updates (a late row with an earlier event
   * time replaces the one emitted); 2.2 emits inserts only (examples/payments_dedupe.pipe: `I,UA,D` on 1.20,
   * `I` on 2.2).
   */
  readonly rowtimeKeepFirstIsAppendOnly: boolean;
}

export const ENGINES: Readonly<Record<EngineVersion, EngineSemantics>> = {
  '1.20': { version: '1.20', rowtimeKeepFirstIsAppendOnly: false },
  '2.2': { version: '2.2', rowtimeKeepFirstIsAppendOnly: true },
};
