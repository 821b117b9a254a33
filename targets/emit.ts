/**
 * Plan → the files of `build/`: per pipeline `<name>/job.sql`, `<name>/compile-plan.sql` (and its statements as
 * data, `compile-plan.json`), the schemas it
 * registers, and one `manifest.json` describing every deployable item. Pure: returns file contents (whole, or
 * generated one pipeline at a time for a driver that writes them as they come); the driver writes them atomically.
 */
import type { ResolvedConfig } from '../compiler/config/schema.ts';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.ts';
import type { Plan, PipelinePlan, SinkPlan } from '../compiler/plan/plan.ts';
import { planFileOf } from '../compiler/plan/plan-file.ts';
import { emitFlinkJob, type FlinkTargetOptions } from './flink-sql/index.ts';
import { confluentCloudArtifactSchema } from './flink-sql/confluent-cloud-artifact.ts';
import { compilePlanArtifactSchema } from './flink-sql/compile-plan-artifact.ts';
import { emitConnectors, type ConnectorArtifact } from './kafka-connect/index.ts';
import { contentHash, manifestSchema, MANIFEST_VERSION, type ConnectorItem, type Manifest, type PipelineManifest, type SubjectItem, type TopicItem } from './manifest.ts';
import { placeholdersIn } from '../stdlib/placeholders.ts';
import { compactStableJson, stableJson } from './stable-json.ts';
import { boundedFileName } from '../compiler/util/file-name.ts';

export interface Artifact {
  /** Relative to the build folder, with `/`. */
  readonly path: string;
  readonly contents: string;
}

export interface EmitResult {
  readonly artifacts: readonly Artifact[];
  readonly manifest: Manifest;
  readonly diagnostics: readonly Diagnostic[];
}

export interface EmitOptions {
  /** The project's own connector layouts (`connectors/<name>.hbs`), read by the driver. */
  readonly connectorTemplates?: Readonly<Record<string, string>>;
  /**
   * Write each pipeline's plan.json (default true). `pipec check` writes nothing and leaves it out: the plan's
   * serialization has no findings, and for a large repository it is a good part of generating. The same holds
   * for compile-plan.json (the deployer's statements) and confluent-cloud.json (the job in Confluent Cloud's
   * form, written when `flink.confluent_cloud` is on).
   */
  readonly planFiles?: boolean;
  /**
   * How artifacts name a pipeline's source file (default: as the plan has it, relative to the working folder).
   * The driver passes the path relative to the project root, so job.sql, plan.json — and with them the job's
   * hash, which decides whether a deploy restarts it — do not depend on the folder pipec runs in.
   */
  readonly sourcePath?: ((file: string) => string) | undefined;
}

/**
 * The plan with every `file` (the pipeline's, and those of its spans) renamed by `sourcePath`. Only what holds a
 * renamed file is copied; the rest is shared with the input (a whole copy of a large repository's plan was most
 * of emit's garbage, and the usual run, from the project root, renames nothing).
 */
function withSourcePaths(plan: Plan, sourcePath: (file: string) => string): Plan {
  const names = new Map<string, string>();
  const renamed = (file: string): string => {
    let known = names.get(file);
    if (known === undefined) {
      known = sourcePath(file);
      names.set(file, known);
    }
    return known;
  };
  const rename = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const next = rename(value[i]);
        if (next !== value[i]) (copy ??= [...value])[i] = next;
      }
      return copy ?? value;
    }
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const k of Object.keys(record)) {
      const v = record[k];
      const next = k === 'file' && typeof v === 'string' ? renamed(v) : rename(v);
      if (next !== v) (copy ??= { ...record })[k] = next;
    }
    return copy ?? record;
  };
  return { ...plan, pipelines: plan.pipelines.map((p) => rename(p) as PipelinePlan) };
}

/** The Flink target's options for a project's configuration: the same for `compile` and `pipec test`. */
export function flinkTargetOptions(project: string, environment: string, config: ResolvedConfig): FlinkTargetOptions {
  return {
    project,
    environment,
    kafkaProperties: Object.keys(config.kafka?.properties ?? {}).sort(),
    registryBasicAuth: config.registry?.auth?.type === 'basic',
  };
}

/**
 * What emit knows before it generates any file: its findings (all of them: generating a pipeline's files finds
 * nothing new), the number of pipelines it will generate, and the files, made one pipeline at a time as they are
 * read, so a driver that writes them as they come never holds a large build whole. The manifest comes last.
 */
export interface EmitStream {
  readonly diagnostics: readonly Diagnostic[];
  /** Pipelines with files (a pipeline without sinks runs nothing and has none). */
  readonly pipelines: number;
  /** Each call generates the files anew, in no particular order, and returns the manifest when done. */
  readonly artifacts: () => Generator<Artifact, Manifest, undefined>;
}

export function emitStream(input: Plan, config: ResolvedConfig, generator: string, options: EmitOptions = {}): EmitStream {
  const plan = options.sourcePath ? withSourcePaths(input, options.sourcePath) : input;
  const connect = emitConnectors(plan, {
    project: plan.project,
    environment: plan.environment,
    connections: config.connections,
    defaultPartitions: config.kafka?.default_partitions ?? 1,
    defaultReplication: config.kafka?.default_replication ?? 1,
    templates: options.connectorTemplates ?? {},
    registry: { kind: config.registry?.kind ?? 'apicurio', basicAuth: config.registry?.auth?.type === 'basic' },
  });
  // A pipeline without sinks runs nothing (the checker warns about it): no job, no artifacts.
  const running = plan.pipelines.filter((p) => p.sinks.length > 0);
  const planFiles = options.planFiles ?? true;
  function* artifacts(): Generator<Artifact, Manifest, undefined> {
    const pipelines: PipelineManifest[] = [];
    for (const p of running) {
      const flink = emitFlinkJob(p, { ...flinkTargetOptions(plan.project, plan.environment, config), confluentCloud: planFiles && (config.flink?.confluent_cloud ?? false), compilePlanStatements: planFiles });
      const dir = p.name;
      yield { path: `${dir}/job.sql`, contents: flink.jobSql };
      yield { path: `${dir}/compile-plan.sql`, contents: flink.compilePlanSql };
      // The pipeline's plan (IR): what an upgrade is compared against to judge whether running state carries over.
      // Compact: read by pipec diff and the deployer, rarely by people, and the largest file of a build. Without
      // spans: they are byte offsets into the source, which a comment shifts, and an upgrade ignores them.
      if (planFiles) yield { path: `${dir}/plan.json`, contents: compactStableJson(planFileOf(p), ['span']) };
      // compile-plan.sql statement by statement: what the deployer sends to the SQL Gateway.
      if (flink.compilePlan) yield { path: `${dir}/compile-plan.json`, contents: stableJson(compilePlanArtifactSchema.parse(flink.compilePlan)) };
      // The job for the deployer's Confluent Cloud flavour (flink-sql/confluent-cloud.ts).
      if (flink.confluentCloud) yield { path: `${dir}/confluent-cloud.json`, contents: stableJson(confluentCloudArtifactSchema.parse(flink.confluentCloud)) };
      const connectors = connect.byPipeline.get(p.name) ?? [];
      for (const c of connectors) yield { path: connectorPath(dir, c), contents: stableJson(c.config) };
      pipelines.push(pipelineManifest(p, config, dir, flink.jobSql, flink.compilePlanSql, connectors));
    }
    const manifest = manifestSchema.parse({
      version: MANIFEST_VERSION,
      generator,
      project: plan.project,
      environment: plan.environment,
      pipelines,
    });
    yield { path: 'manifest.json', contents: stableJson(manifest) };
    return manifest;
  }
  return { diagnostics: connect.diagnostics, pipelines: running.length, artifacts };
}

/** The whole build in memory, its files sorted by path. */
export function emit(input: Plan, config: ResolvedConfig, generator: string, options: EmitOptions = {}): EmitResult {
  return collectEmit(emitStream(input, config, generator, options));
}

export function collectEmit(stream: EmitStream): EmitResult {
  const artifacts: Artifact[] = [];
  const generating = stream.artifacts();
  for (let next = generating.next(); ; next = generating.next()) {
    if (next.done) return { artifacts: artifacts.sort((a, b) => (a.path < b.path ? -1 : 1)), manifest: next.value, diagnostics: stream.diagnostics };
    artifacts.push(next.value);
  }
}

function withHash<T extends object>(item: T): T & { hash: string } {
  return { ...item, hash: contentHash(item) };
}

function connectorPath(dir: string, c: ConnectorArtifact): string {
  return `${dir}/connect/${boundedFileName(c.name)}.json`;
}

function pipelineManifest(p: PipelinePlan, config: ResolvedConfig, dir: string, jobSql: string, compilePlanSql: string, connectorArtifacts: readonly ConnectorArtifact[]): PipelineManifest {
  const topic = (name: string, s: SinkPlan | undefined): TopicItem => withHash({ id: `topic:${name}`, name, partitions: s?.partitions ?? config.kafka?.default_partitions ?? 1, replication: s?.replication ?? config.kafka?.default_replication ?? 1, configs: s ? topicConfigs(s) : {} });
  // Sink topics, and the dead-letter topics of sources (`on error dead letter '…'`), created with the defaults.
  const deadLetterTopics = p.sources.flatMap((s) => (s.onError?.kind === 'dead-letter' ? [s.onError.topic] : []));
  const topics: TopicItem[] = [...p.sinks.map((s) => topic(s.topic, s)), ...deadLetterTopics.map((name) => topic(name, undefined))];
  const subjects: SubjectItem[] = p.sinks.flatMap((s) => {
    const out: SubjectItem[] = [];
    for (const f of [s.key, s.value]) {
      if (!f?.subject || !f.registers) continue;
      out.push(withHash({ id: `subject:${f.subject}`, subject: f.subject, schemaType: f.registers.schemaType, schema: f.registers.schema, dependsOn: [] }));
    }
    return out;
  });
  // CDC connectors come first (no dependencies here); a sink connector waits for the topic it reads and its subjects.
  const connectors: ConnectorItem[] = connectorArtifacts.map((c) => {
    const item = {
      id: `connector:${c.name}`,
      name: c.name,
      kind: c.kind,
      config: connectorPath(dir, c),
      placeholders: placeholdersIn(JSON.stringify(c.config)),
      dependsOn: c.kind === 'source' ? [] : [...new Set([...c.topics.map((t) => `topic:${t}`), ...p.sinks.filter((s) => c.topics.includes(s.topic)).flatMap((s) => [s.key, s.value]).flatMap((f) => (f?.subject && f.registers ? [`subject:${f.subject}`] : []))])].sort(),
    };
    // Over the config, not its path: a CDC connector listed by several pipelines has one hash.
    const { config: _path, ...identity } = item;
    return { ...item, hash: contentHash({ ...identity, content: c.config }) };
  });
  const cdcIds = connectors.filter((c) => c.kind === 'source').map((c) => c.id);
  const jobItem = {
    id: `job:${p.name}`,
    name: p.name,
    flinkVersion: config.flink.version,
    sql: `${dir}/job.sql`,
    compilePlanSql: `${dir}/compile-plan.sql`,
    placeholders: placeholdersIn(`${jobSql}\n${compilePlanSql}`),
    reads: p.sources.map((s) => s.topic).sort(),
    writes: [...new Set([...p.sinks.map((s) => s.topic), ...deadLetterTopics])].sort(),
    // Sink topics and their subjects exist before the job writes them; CDC connectors before it reads their topics.
    dependsOn: [...topics.map((t) => t.id), ...subjects.map((s) => s.id), ...cdcIds].sort(),
  };
  // The job's hash covers its SQL, so any change to what it runs changes the hash.
  const job = { ...jobItem, hash: contentHash({ ...jobItem, content: jobSql }) };
  return {
    name: p.name,
    file: p.file,
    ...(p.owner ? { owner: p.owner } : {}),
    topics: dedupeById(topics),
    subjects: dedupeById(subjects),
    connectors: dedupeById(connectors),
    job,
  };
}

function topicConfigs(s: SinkPlan): Record<string, string> {
  const configs: Record<string, string> = {};
  if (s.retentionMillis !== undefined) configs['retention.ms'] = String(s.retentionMillis);
  // Upsert topics keep the latest value per key; compaction is what makes them a table.
  if (s.upsert) configs['cleanup.policy'] = 'compact';
  return configs;
}

function dedupeById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
