/**
 * Reads a build folder written by `pipec compile` for deployment: the manifest (validated), every file an item
 * points at, and the items in dependency order. Edge (files); everything after reading is pure.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePlanArtifactSchema, type CompilePlanArtifact } from '../targets/flink-sql/compile-plan-artifact.ts';
import { manifestSchema, type ConnectorItem, type JobItem, type Manifest, type SubjectItem, type TopicItem } from '../targets/manifest.ts';
import { describeIssue, issueSentence } from '../compiler/diagnostics/validation-issues.ts';

export type DeployItem =
  | { readonly kind: 'topic'; readonly pipeline: string; readonly item: TopicItem; readonly dependsOn: readonly string[] }
  | { readonly kind: 'subject'; readonly pipeline: string; readonly item: SubjectItem; readonly dependsOn: readonly string[] }
  | { readonly kind: 'connector'; readonly pipeline: string; readonly item: ConnectorItem; readonly dependsOn: readonly string[]; readonly config: Readonly<Record<string, string>> }
  | { readonly kind: 'job'; readonly pipeline: string; readonly item: JobItem; readonly dependsOn: readonly string[]; readonly compilePlan: CompilePlanArtifact; readonly plan: string };

export interface DeployBuild {
  readonly dir: string;
  readonly manifest: Manifest;
  /** Every item once (by id), each after the items it depends on. */
  readonly items: readonly DeployItem[];
}

export function readDeployBuild(dir: string, only?: readonly string[]): DeployBuild {
  const file = (rel: string): string => {
    const p = path.join(dir, rel);
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      throw new Error(`pipec deploy: cannot read ${p} (named by ${path.join(dir, 'manifest.json')}): ${(e as Error).message}`);
    }
  };
  const compilePlanOf = (rel: string): CompilePlanArtifact => {
    const json: unknown = JSON.parse(file(rel));
    const read = compilePlanArtifactSchema.safeParse(json);
    if (read.success) return read.data;
    const issue = read.error.issues[0];
    throw new Error(`pipec deploy: ${path.join(dir, rel)} is not a compiled job this deployer reads (${issue ? issueSentence(describeIssue(issue, json, { noun: 'field' })) : 'unexpected shape'}); compile again with this pipec version`);
  };
  const manifestJson: unknown = JSON.parse(file('manifest.json'));
  const parsed = manifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`pipec deploy: ${path.join(dir, 'manifest.json')} is not a manifest this deployer reads (${issue ? issueSentence(describeIssue(issue, manifestJson, { noun: 'field' })) : 'unexpected shape'}); compile again with this pipec version`);
  }
  const manifest = parsed.data;
  const unknown = (only ?? []).filter((n) => !manifest.pipelines.some((p) => p.name === n));
  if (unknown.length > 0) throw new Error(`pipec deploy: no pipeline ${unknown.join(', ')} in ${dir} (it has ${manifest.pipelines.map((p) => p.name).join(', ')})`);
  const byId = new Map<string, DeployItem>();
  for (const p of manifest.pipelines) {
    if (only && !only.includes(p.name)) continue;
    const add = (d: DeployItem): void => {
      if (!byId.has(d.item.id)) byId.set(d.item.id, d);
    };
    for (const t of p.topics) add({ kind: 'topic', pipeline: p.name, item: t, dependsOn: [] });
    for (const s of p.subjects) add({ kind: 'subject', pipeline: p.name, item: s, dependsOn: s.dependsOn });
    for (const c of p.connectors) add({ kind: 'connector', pipeline: p.name, item: c, dependsOn: c.dependsOn, config: JSON.parse(file(c.config)) as Record<string, string> });
    const jobFile = (name: string): string => path.posix.join(path.posix.dirname(p.job.compilePlanSql), name);
    add({ kind: 'job', pipeline: p.name, item: p.job, dependsOn: p.job.dependsOn, compilePlan: compilePlanOf(jobFile('compile-plan.json')), plan: file(jobFile('plan.json')) });
  }
  return { dir, manifest, items: dependencyOrder(byId) };
}

/** Topological order by dependsOn, ties by kind then id, so the order (and the resource graph) is stable. */
export function dependencyOrder(byId: ReadonlyMap<string, DeployItem>): DeployItem[] {
  const rank: Readonly<Record<DeployItem['kind'], number>> = { topic: 0, subject: 1, connector: 2, job: 3 };
  const sorted = [...byId.values()].sort((a, b) => rank[a.kind] - rank[b.kind] || (a.item.id < b.item.id ? -1 : 1));
  const out: DeployItem[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (d: DeployItem, trail: readonly string[]): void => {
    const s = state.get(d.item.id);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`pipec deploy: the manifest's dependsOn has a cycle: ${[...trail, d.item.id].join(' → ')}`);
    state.set(d.item.id, 'visiting');
    for (const dep of d.dependsOn) {
      const target = byId.get(dep);
      // An item of a pipeline not deployed here (or created outside pipec) is expected to exist already.
      if (target) visit(target, [...trail, d.item.id]);
    }
    state.set(d.item.id, 'done');
    out.push(d);
  };
  for (const d of sorted) visit(d, []);
  return out;
}
