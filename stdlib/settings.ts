import { MIN_CHECKPOINT_MILLIS } from './durations.ts';
import { RANGES, type NumberRange } from './ranges.ts';

/** The settings a pipeline header takes (`with (parallelism = 4, checkpoint = 30 s, …)`), as data. */
export type SettingKind = 'positive-integer' | 'duration' | 'boolean' | { readonly oneOf: readonly string[] };

export interface PipelineSettingSpec {
  readonly kind: SettingKind;
  readonly doc: string;
  /** For whole numbers: the range beyond being greater than 0. */
  readonly range?: NumberRange;
  /** For durations: the least the target takes (all durations are greater than 0). */
  readonly minMillis?: number;
}

export const STARTUP_MODES = ['earliest', 'latest', 'group_offsets', 'timestamp', 'specific_offsets'] as const;
export const DELIVERY_GUARANTEES = ['at_least_once', 'exactly_once'] as const;

export const PIPELINE_SETTINGS: Readonly<Record<string, PipelineSettingSpec>> = {
  parallelism: { kind: 'positive-integer', doc: 'Default parallelism of the Flink job.', range: RANGES.parallelism },
  checkpoint: { kind: 'duration', doc: 'Checkpoint interval; exactly-once delivery needs checkpoints.', minMillis: MIN_CHECKPOINT_MILLIS },
  state_ttl: { kind: 'duration', doc: 'How long idle state (per key) is kept: bounds the state of joins, aggregates and dedupes.' },
  startup: { kind: { oneOf: STARTUP_MODES }, doc: 'Where sources start reading when the job starts without state.' },
  delivery: { kind: { oneOf: DELIVERY_GUARANTEES }, doc: 'Delivery guarantee of Kafka sinks.' },
  idle_timeout: { kind: 'duration', doc: 'A source partition without records for this long stops holding back watermarks.' },
  mini_batch: { kind: 'boolean', doc: 'Buffer group-aggregate input briefly to cut state access (on by default for group aggregations).' },
};
