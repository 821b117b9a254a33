/**
 * What a deploy of a new build would do to an environment running the previous build: per item (topic,
 * subject, connector, job) created / changed / unchanged / deleted, by the manifest's content hashes, and for
 * each changed job whether its state carries over (classify.ts). Pure: the caller reads both builds.
 */
import type { PipelinePlan } from '../plan/plan.ts';
import type { Manifest, PipelineManifest } from '../../targets/manifest.ts';
import { classify, type Classification } from './classify.ts';

export type ItemChange = 'created' | 'changed' | 'unchanged' | 'deleted';

export interface ItemDiff {
  readonly id: string;
  readonly pipeline: string;
  readonly change: ItemChange;
  /** Jobs that run in both builds and changed: whether their state carries over. */
  readonly state?: Classification | undefined;
}

export interface BuildSide {
  readonly manifest: Manifest;
  /** `<pipeline>/plan.json` of each pipeline, by pipeline name. */
  readonly plans: ReadonlyMap<string, PipelinePlan>;
}

interface Item {
  readonly id: string;
  readonly hash: string;
  readonly pipeline: string;
}

function items(p: PipelineManifest): Item[] {
  return [...p.topics, ...p.subjects, ...p.connectors, p.job].map((i) => ({ id: i.id, hash: i.hash, pipeline: p.name }));
}

const ORDER: Readonly<Record<string, number>> = { topic: 0, subject: 1, connector: 2, job: 3 };
const kindOf = (id: string): string => id.slice(0, id.indexOf(':'));

export function diffBuilds(previous: BuildSide, next: BuildSide): ItemDiff[] {
  const before = new Map(previous.manifest.pipelines.flatMap(items).map((i) => [i.id, i]));
  const after = new Map(next.manifest.pipelines.flatMap(items).map((i) => [i.id, i]));
  const out: ItemDiff[] = [];
  for (const [id, item] of after) {
    const old = before.get(id);
    if (!old) {
      out.push({ id, pipeline: item.pipeline, change: 'created' });
      continue;
    }
    const change: ItemChange = old.hash === item.hash ? 'unchanged' : 'changed';
    out.push({ id, pipeline: item.pipeline, change, ...(kindOf(id) === 'job' ? { state: jobState(previous, next, item.pipeline, old.pipeline) } : {}) });
  }
  for (const [id, item] of before) if (!after.has(id)) out.push({ id, pipeline: item.pipeline, change: 'deleted' });
  return out.sort((a, b) => (a.pipeline !== b.pipeline ? (a.pipeline < b.pipeline ? -1 : 1) : (ORDER[kindOf(a.id)] ?? 9) - (ORDER[kindOf(b.id)] ?? 9) || (a.id < b.id ? -1 : 1)));
}

function jobState(previous: BuildSide, next: BuildSide, pipeline: string, oldPipeline: string): Classification | undefined {
  const a = previous.plans.get(oldPipeline);
  const b = next.plans.get(pipeline);
  if (!a || !b) return undefined;
  const versionOf = (side: BuildSide, name: string): string | undefined => side.manifest.pipelines.find((p) => p.name === name)?.job.flinkVersion;
  return classify(a, b, { previousFlinkVersion: versionOf(previous, oldPipeline), nextFlinkVersion: versionOf(next, pipeline) });
}
