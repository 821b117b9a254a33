/**
 * What a name given to `pipec local produce` or `tail` means in the deployed build: a source (by its name or
 * its topic) with the columns and formats records are written in, or a sink (by its name or topic) with the
 * columns rows are read back as. Pure.
 */
import type { ColumnPlan, FormatPlan, PipelinePlan, SinkPlan, SourcePlan } from '../../plan/plan.ts';

export interface TopicShape {
  readonly topic: string;
  /** `source orders (pipeline orders_per_minute)`, for messages. */
  readonly what: string;
  /** The columns of the record's value. */
  readonly valueColumns: readonly ColumnPlan[];
  /** The columns of its key (some may be in the value too). */
  readonly keyColumns: readonly ColumnPlan[];
  readonly value: FormatPlan;
  readonly key: FormatPlan | undefined;
}

export function sourceShape(pipeline: string, s: SourcePlan): TopicShape {
  const keyNames = s.key?.columns ?? [];
  return {
    topic: s.topic,
    what: `source ${s.name} (pipeline ${pipeline})`,
    valueColumns: s.columns.filter((c) => c.origin === 'value'),
    keyColumns: keyNames.flatMap((n) => s.columns.filter((c) => c.name === n && (c.origin === 'key' || c.origin === 'value'))),
    value: s.value,
    key: s.key,
  };
}

export function sinkShape(pipeline: string, s: SinkPlan): TopicShape {
  return { topic: s.topic, what: `sink ${s.table} (pipeline ${pipeline})`, valueColumns: s.columns, keyColumns: s.columns.filter((c) => s.keyColumns.includes(c.name)), value: s.value, key: s.key };
}

/** A Kafka source of the build named `name`, or reading topic `name`. */
export function findSource(plans: readonly PipelinePlan[], name: string): TopicShape | undefined {
  const kafka = plans.flatMap((p) => p.sources.filter((s) => s.system === 'kafka').map((s) => ({ p, s })));
  const hit = kafka.find(({ s }) => s.name === name) ?? kafka.find(({ s }) => s.topic === name);
  return hit && sourceShape(hit.p.name, hit.s);
}

/** A Kafka sink of the build named `name` (its table or the stream it writes), or writing topic `name`. */
export function findSink(plans: readonly PipelinePlan[], name: string): TopicShape | undefined {
  const kafka = plans.flatMap((p) => p.sinks.filter((s) => s.system === 'kafka').map((s) => ({ p, s })));
  const hit = kafka.find(({ s }) => s.table === name || s.input === name) ?? kafka.find(({ s }) => s.topic === name);
  return hit && sinkShape(hit.p.name, hit.s);
}

/** Every name `produce` (sources) or `tail` (sinks and sources) accepts, for the message about an unknown one. */
export function knownNames(plans: readonly PipelinePlan[], kind: 'source' | 'sink'): string[] {
  const names = plans.flatMap((p) => (kind === 'source' ? p.sources.filter((s) => s.system === 'kafka').map((s) => `${s.name} (topic ${s.topic})`) : p.sinks.filter((s) => s.system === 'kafka').map((s) => `${s.input} (topic ${s.topic})`)));
  return [...new Set(names)].sort();
}
