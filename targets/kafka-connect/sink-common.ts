/**
 * What every sink connector shares: the topic the Flink job writes, its key and value converters (as the job
 * writes them: Avro through the registry, the key only for upsert sinks), the dead-letter topic, user options.
 */
import type { PlanOptionValue, SinkPlan } from '../../compiler/plan/plan.ts';
import { deadLetterTopic } from '../../compiler/semantic/endpoints.ts';
import { converter, optionValue, sinkErrorHandling, type RegistryFlavour } from './common.ts';

export interface SinkInput {
  readonly name: string;
  readonly sink: SinkPlan;
  readonly tasksMax: number;
  /** Replication of the dead-letter topic the worker creates. */
  readonly replication: number;
  readonly registry: RegistryFlavour;
}

export function sinkExtra(input: SinkInput): Record<string, string> {
  const s = input.sink;
  return {
    ...converter('key', s.key?.format, 'sink', input.registry),
    ...converter('value', s.value.format, 'sink', input.registry),
    ...sinkErrorHandling(deadLetterTopic(s.topic), input.replication),
  };
}

/** A declaration's `with (…)` properties, secrets as config-provider references. */
export function userOptions(options: Readonly<Record<string, PlanOptionValue>>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, optionValue(v)]));
}
