/**
 * The Flink lines pipec targets, one entry per line, oldest first: everything that differs between them, as
 * data. The config schemas, the binder, function gating (`since` in stdlib/functions.ts), the local stack's
 * and the harnesses' jar sets (Maven gets the versions from here) and the deployer all read this table and
 * never test a version number. Adding a line is one new entry plus its tests.
 */
import { z } from 'zod';

export interface FlinkLineModel {
  /** The exact Flink release the local stack, the planner harness and `pipec test` run. */
  readonly release: string;
  /** Where the planner derives different changelog modes; each fact observed with `EXPLAIN CHANGELOG_MODE`. */
  readonly semantics: {
    /**
     * Deduplication keeping the first row by event time: 1.20 emits updates (a late row with an earlier event
     * time replaces the one emitted); 2.2 emits inserts only (examples/payments_dedupe.pipe: `I,UA,D` on 1.20,
     * `I` on 2.2).
     */
    readonly rowtimeKeepFirstIsAppendOnly: boolean;
  };
  /** Cluster and job configuration keys. */
  readonly configKeys: {
    readonly checkpointDir: string;
    /** 1.20 deprecates `state.savepoints.dir` for this key; 2.x's default config uses only this one. */
    readonly savepointDir: string;
    /** What a job restores from (since 1.20; the older `execution.savepoint.path` is gone in 2.x). */
    readonly stateRecoveryPath: string;
    /** The deprecated checkpoint and savepoint folder keys the line still documents first, set as well. */
    readonly legacyStateDirs?: { readonly checkpoints: string; readonly savepoints: string };
  };
  /**
   * Maven versions of the artifacts released apart from Flink. Every other Flink artifact (planner, SQL
   * gateway, flink-json, flink-sql-avro-confluent-registry, flink-protobuf…) is at `release`.
   */
  readonly artifacts: {
    /** `org.apache.flink:flink-connector-kafka`, the release built for this line. */
    readonly kafkaConnector: string;
  };
}

const CONFIG_KEYS = {
  checkpointDir: 'execution.checkpointing.dir',
  savepointDir: 'execution.checkpointing.savepoint-dir',
  stateRecoveryPath: 'execution.state-recovery.path',
} as const;

// Maven Central has flink-protobuf and flink-sql-avro-confluent-registry only for 1.20.0 and 2.2.0 among the
// 1.20.x / 2.2.x patches, so each line stays on that patch for one consistent jar set.
const LINES = {
  '1.20': {
    release: '1.20.0',
    semantics: { rowtimeKeepFirstIsAppendOnly: false },
    configKeys: { ...CONFIG_KEYS, legacyStateDirs: { checkpoints: 'state.checkpoints.dir', savepoints: 'state.savepoints.dir' } },
    artifacts: { kafkaConnector: '3.4.0-1.20' },
  },
  '2.2': {
    release: '2.2.0',
    semantics: { rowtimeKeepFirstIsAppendOnly: true },
    configKeys: CONFIG_KEYS,
    artifacts: { kafkaConnector: '5.0.0-2.2' },
  },
} as const satisfies Readonly<Record<string, FlinkLineModel>>;

/** A Flink line, as `flink.version` in pipec.yaml names it. */
export type FlinkLine = keyof typeof LINES;

export const FLINK_LINES: Readonly<Record<FlinkLine, FlinkLineModel>> = LINES;

/** The lines, oldest first (the table's order). */
export const FLINK_LINE_NAMES = Object.keys(LINES) as [FlinkLine, ...FlinkLine[]];

/** The line a project targets when its pipec.yaml names none (applied once, by the config schema). */
export const DEFAULT_FLINK_LINE: FlinkLine = '1.20';

export const flinkLineSchema = z.enum(FLINK_LINE_NAMES);

/** Whether `line` is `since` or a later line: what a function's or an overload's `since` is checked with. */
export const lineAtLeast = (line: FlinkLine, since: FlinkLine): boolean => FLINK_LINE_NAMES.indexOf(line) >= FLINK_LINE_NAMES.indexOf(since);

/**
 * The Maven properties pipec's poms (local/pom.xml, the planner harness, the test runner) take for a line's
 * jar set: the poms pin no Flink version themselves.
 */
export const flinkMavenProperties = (line: FlinkLine): Readonly<Record<string, string>> => ({
  'flink.version': FLINK_LINES[line].release,
  'flink.kafka.connector.version': FLINK_LINES[line].artifacts.kafkaConnector,
});
