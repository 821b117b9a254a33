/**
 * What differs between the Flink versions pipec targets, as data. Each flag says what it switches and
 * why; lower.ts reads flags and never tests a version number.
 */
export type FlinkVersion = '1.20' | '2.2';

export interface FlinkDialect {
  readonly version: FlinkVersion;
  /** The Kafka connector release built for this Flink line (Maven `flink-connector-kafka`). */
  readonly kafkaConnector: string;
  /**
   * Config key of the savepoint directory. 1.20 deprecates `state.savepoints.dir` in favour of
   * `execution.checkpointing.savepoint-dir`; 2.x's default config uses only the new key.
   */
  readonly savepointDirKey: string;
  /** Config key a job restores from (`execution.state-recovery.path` since 1.20; the old `execution.savepoint.path` is gone in 2.x). */
  readonly stateRecoveryPathKey: string;
}

export const FLINK_1_20: FlinkDialect = {
  version: '1.20',
  kafkaConnector: '3.4.0-1.20',
  savepointDirKey: 'execution.checkpointing.savepoint-dir',
  stateRecoveryPathKey: 'execution.state-recovery.path',
};

export const FLINK_2_2: FlinkDialect = {
  ...FLINK_1_20,
  version: '2.2',
  kafkaConnector: '5.0.0-2.2',
};

export const DIALECTS: Readonly<Record<FlinkVersion, FlinkDialect>> = { '1.20': FLINK_1_20, '2.2': FLINK_2_2 };
