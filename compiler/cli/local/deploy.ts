/**
 * `pipec local deploy`: applies a build to the running local stack through the deployer's own implementation
 * functions (deploy/impl/), called as the Pulumi providers call them, without Pulumi. Pulumi's state is replaced
 * by deploy-state.ts: an item whose declared inputs are what was applied last is not touched (a second deploy
 * of the same build changes nothing), a changed one is updated (a job keeps its state through a savepoint, as
 * with `pipec deploy`), and a job or connector no longer in the build is stopped.
 *
 * The local stack is a sandbox that belongs to its user: what exists there under a build's name is taken over
 * (`adopt`). Topics a pipeline reads but does not own (another team's) are created for it, with their schema as
 * the compile read it, when the sandbox has none yet — so a new project runs without setting up its inputs.
 * Placeholders are filled with the stack's endpoints; `secret('name')` from the variable PIPEC_SECRET_<NAME>.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PipelinePlan } from '../../plan/plan.ts';
import { assertNever } from '../../util/invariant.ts';
import { readDeployBuild, type DeployItem } from '../../../deploy/build.ts';
import * as connectorImpl from '../../../deploy/impl/connector.ts';
import * as jobImpl from '../../../deploy/impl/job.ts';
import * as subjectImpl from '../../../deploy/impl/subject.ts';
import * as topicImpl from '../../../deploy/impl/topic.ts';
import { fillPlaceholders, placeholder, placeholdersIn, secretVariable } from '../../../stdlib/placeholders.ts';
import { stableJson } from '../../../targets/stable-json.ts';
import { SchemaRegistryClient, registryErrorCode } from '../../../clients/schema-registry.ts';
import type { CompatibilityLevel } from '../../../clients/schema-registry-api.ts';
import { apicurioUrl, type LocalEndpoints } from '../../../local/endpoints.ts';
import { LocalStackError } from '../../../local/errors.ts';
import { kafkaClient, withAdmin } from '../../../local/kafka-client.ts';
import { deployStateFile, newSalt, readDeployState, storedApplied, storedForm, updateBase, writeDeployState, type Applied, type DeployState } from './deploy-state.ts';
import type { ResetStart } from '../../../targets/flink-sql/reset-start.ts';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'stopped' | 'deleted' | 'kept';

export type DeployEvent =
  | { readonly kind: 'applying'; readonly what: string; readonly action: 'create' | 'update' | 'stop' | 'delete' }
  | { readonly kind: 'applied'; readonly what: string; readonly outcome: Outcome; readonly note?: string | undefined };

export interface LocalDeployOptions {
  readonly buildDir: string;
  readonly endpoints: LocalEndpoints;
  /** Let a job change that cannot keep state start from empty state. */
  readonly allowStateReset: boolean;
  /** Where a job that starts from empty state on a change reads its sources from. */
  readonly resetStart: ResetStart;
  /** Where `secret('name')` values are read from (PIPEC_SECRET_<NAME>). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onEvent: (event: DeployEvent) => void;
}

/** Placeholders the deployer fills per job itself. */
const FILLED_PER_JOB = 'flink.plan_path';

/** Inputs that say how, not what: a change of them alone is no change (as in the providers' diff). */
const NOT_COMPARED: readonly string[] = ['adopt', 'allowStateReset', 'resetStart', 'stableTimeoutSeconds', 'savepointDir', 'planDir', 'deleteOnDestroy'];

/** The value of each placeholder on the local stack, or undefined when it has none. */
function localValue(name: string, endpoints: LocalEndpoints, env: LocalDeployOptions['env']): string | undefined {
  switch (name) {
    case 'kafka.bootstrap_servers':
      return endpoints.kafkaBootstrap;
    case 'registry.url':
      return endpoints.schemaRegistryUrl;
    case 'registry.apicurio_url':
      return apicurioUrl(endpoints);
    default:
      return name.startsWith('secret.') ? env[secretVariable(name.slice('secret.'.length))] : undefined;
  }
}

function whatToSet(name: string): string {
  if (name.startsWith('secret.')) return `export ${secretVariable(name.slice('secret.'.length))}=…`;
  return `${placeholder(name)} has no value on the local stack (it runs without TLS, SASL or registry credentials): deploy an environment of pipec.yaml without them (\`pipec local deploy --env <name>\`)`;
}

/** Every value the build's connectors and jobs need, refused as a whole before anything is applied. */
function placeholderValues(items: readonly DeployItem[], options: LocalDeployOptions): Record<string, string> {
  const values: Record<string, string> = {};
  const missing = new Set<string>();
  for (const d of items) {
    const used = d.kind === 'connector' ? placeholdersIn(JSON.stringify(d.config)) : d.kind === 'job' ? d.item.placeholders : [];
    for (const p of used) {
      if (p === FILLED_PER_JOB) continue;
      const v = localValue(p, options.endpoints, options.env);
      if (v === undefined) missing.add(p);
      else values[p] = v;
    }
  }
  if (missing.size > 0) {
    throw new LocalStackError('deploy-failed', `the build needs ${[...missing].map(placeholder).join(', ')}, so nothing was deployed`, [...missing].map(whatToSet).join('; '));
  }
  return values;
}

type Inputs = topicImpl.TopicInputs | subjectImpl.SubjectInputs | connectorImpl.ConnectorInputs | jobImpl.JobInputs;

function sameInputs(kind: Applied['kind'], previous: object, next: Inputs): boolean {
  const keys = Object.keys(next).filter((k) => !NOT_COMPARED.includes(k));
  const value = (o: object, k: string): string => stableJson((o as Record<string, unknown>)[k] ?? null);
  if (kind === 'subject' && !subjectImpl.sameSchema(previous as subjectImpl.SubjectInputs, next as subjectImpl.SubjectInputs)) return false;
  return keys.filter((k) => !(kind === 'subject' && k === 'schema')).every((k) => value(previous, k) === value(next, k));
}

function describe(d: DeployItem): string {
  switch (d.kind) {
    case 'topic':
      return `topic ${d.item.name}`;
    case 'subject':
      return `subject ${d.item.subject}`;
    case 'connector':
      return `connector ${d.item.name}`;
    case 'job':
      return `job ${d.item.name}`;
    default:
      return assertNever(d, 'deploy item');
  }
}

export interface LocalDeployResult {
  readonly counts: Readonly<Record<Outcome, number>>;
}

export async function deployLocal(options: LocalDeployOptions): Promise<LocalDeployResult> {
  const { endpoints, onEvent } = options;
  const build = readDeployBuild(options.buildDir);
  const values = placeholderValues(build.items, options);
  const plans = build.items.flatMap((d) => (d.kind === 'job' ? [JSON.parse(d.plan) as PipelinePlan] : []));
  for (const d of build.items) {
    if (d.kind === 'job' && d.item.flinkVersion !== endpoints.flinkLine) {
      throw new LocalStackError('deploy-failed', `job ${d.item.name} is built for Flink ${d.item.flinkVersion}, the local stack runs Flink ${endpoints.flinkLine}`, `restart the stack with that line (\`pipec local down\`, then \`pipec local up --flink ${d.item.flinkVersion}\`), or set flink.version in pipec.yaml`);
    }
  }
  const stateFile = deployStateFile(endpoints.dir);
  const previous = readDeployState(stateFile);
  const salt = previous?.salt ?? newSalt();
  // As the file keeps them: secrets digested (deploy-state.ts).
  const applied: Record<string, Applied> = { ...previous?.items };
  const save = (): void => writeDeployState(stateFile, { version: 2, buildDir: build.dir, salt, items: applied } satisfies DeployState);
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, stopped: 0, deleted: 0, kept: 0 };
  const report = (what: string, outcome: Outcome, note?: string): void => {
    counts[outcome] += 1;
    onEvent({ kind: 'applied', what, outcome, note });
  };

  await seedSources(plans, new Set(build.items.flatMap((d) => (d.kind === 'topic' ? [d.item.name] : []))), endpoints, report);

  const planDir = join(endpoints.dir, 'data', 'flink', 'plans');
  mkdirSync(planDir, { recursive: true });
  for (const d of build.items) {
    const what = describe(d);
    const before = applied[d.item.id];
    const inputs = inputsOf(d, endpoints, values, { planDir: pathToFileURL(planDir).href, allowStateReset: options.allowStateReset, resetStart: options.resetStart });
    if (before && before.kind === d.kind && sameInputs(d.kind, before.outputs, storedForm(d.kind, inputs, salt))) {
      report(what, 'unchanged');
      continue;
    }
    const update = before !== undefined && before.kind === d.kind;
    onEvent({ kind: 'applying', what, action: update ? 'update' : 'create' });
    const base = update ? ({ kind: before.kind, outputs: updateBase(before.kind, before.outputs, inputs) } as Applied) : undefined;
    applied[d.item.id] = storedApplied(await apply(d.kind, inputs, base), salt);
    save();
    report(what, update ? 'updated' : 'created');
  }

  const inBuild = new Set(build.items.map((d) => d.item.id));
  for (const [id, a] of Object.entries(applied)) {
    if (inBuild.has(id)) continue;
    await retire(a, onEvent, report);
    delete applied[id];
    save();
  }
  save();
  return { counts };
}

function inputsOf(d: DeployItem, endpoints: LocalEndpoints, values: Readonly<Record<string, string>>, jobs: { planDir: string; allowStateReset: boolean; resetStart: ResetStart }): Inputs {
  switch (d.kind) {
    case 'topic':
      // One broker: a replication factor above 1 cannot be met locally.
      return { bootstrapServers: endpoints.kafkaBootstrap, name: d.item.name, partitions: d.item.partitions, replication: 1, configs: d.item.configs, adopt: true };
    case 'subject':
      return { registryUrl: endpoints.schemaRegistryUrl, subject: d.item.subject, schemaType: d.item.schemaType, schema: d.item.schema, compatibility: d.item.compatibility as CompatibilityLevel | undefined, adopt: true };
    case 'connector':
      return { connectUrl: endpoints.connectUrl, name: d.item.name, config: JSON.parse(fillPlaceholders(JSON.stringify(d.config), values, 'json-string')) as Record<string, string>, state: 'RUNNING', adopt: true };
    case 'job':
      return {
        name: d.item.name,
        sqlGatewayUrl: endpoints.sqlGatewayUrl,
        flinkRestUrl: endpoints.flinkRestUrl,
        flinkVersion: d.item.flinkVersion,
        jobName: d.compilePlan.jobName,
        statements: d.compilePlan.statements,
        plan: d.plan,
        hash: d.item.hash,
        placeholders: Object.fromEntries(d.item.placeholders.filter((p) => p !== FILLED_PER_JOB).map((p) => [p, values[p] ?? ''])),
        planDir: jobs.planDir,
        savepointDir: pathToFileURL(endpoints.savepointDir).href,
        allowStateReset: jobs.allowStateReset,
        resetStart: jobs.resetStart,
      };
    default:
      return assertNever(d, 'deploy item');
  }
}

/** One deployer call, as the providers' create (no previous record) or update make it. */
async function apply(kind: Applied['kind'], inputs: Inputs, before: Applied | undefined): Promise<Applied> {
  switch (kind) {
    case 'topic': {
      const i = inputs as topicImpl.TopicInputs;
      return { kind, outputs: before?.kind === 'topic' ? await topicImpl.updateTopic(before.outputs, i) : await topicImpl.createTopic(i) };
    }
    case 'subject': {
      const i = inputs as subjectImpl.SubjectInputs;
      return { kind, outputs: await subjectImpl.applySubject(i, before?.kind === 'subject' ? before.outputs : undefined) };
    }
    case 'connector': {
      const i = inputs as connectorImpl.ConnectorInputs;
      return { kind, outputs: before?.kind === 'connector' ? await connectorImpl.updateConnector(before.outputs, i) : await connectorImpl.createConnector(i) };
    }
    case 'job': {
      const i = inputs as jobImpl.JobInputs;
      return { kind, outputs: before?.kind === 'job' ? await jobImpl.updateJob(before.outputs, i) : await jobImpl.createJob(i) };
    }
    default:
      return assertNever(kind, 'deploy item kind');
  }
}

/** What a build no longer has: jobs stop with a savepoint, connectors are deleted, topics and subjects kept. */
async function retire(a: Applied, onEvent: LocalDeployOptions['onEvent'], report: (what: string, outcome: Outcome, note?: string) => void): Promise<void> {
  switch (a.kind) {
    case 'job': {
      onEvent({ kind: 'applying', what: `job ${a.outputs.name}`, action: 'stop' });
      const savepoint = await jobImpl.deleteJob(a.outputs);
      report(`job ${a.outputs.name}`, 'stopped', savepoint ? `savepoint ${savepoint}` : undefined);
      return;
    }
    case 'connector':
      onEvent({ kind: 'applying', what: `connector ${a.outputs.name}`, action: 'delete' });
      await connectorImpl.deleteConnector(a.outputs);
      report(`connector ${a.outputs.name}`, 'deleted');
      return;
    case 'topic':
      report(`topic ${a.outputs.name}`, 'kept', 'no longer in the build; its records stay');
      return;
    case 'subject':
      report(`subject ${a.outputs.subject}`, 'kept', 'no longer in the build');
      return;
    default:
      assertNever(a, 'applied item');
  }
}

/**
 * The Kafka topics the pipelines read but the build does not own, created when the sandbox lacks them, with the
 * schema each source was compiled against registered under its subject (Avro: what Flink's reader resolves
 * records by). What exists already is left as it is.
 */
async function seedSources(plans: readonly PipelinePlan[], owned: ReadonlySet<string>, endpoints: LocalEndpoints, report: (what: string, outcome: Outcome, note?: string) => void): Promise<void> {
  const sources = plans.flatMap((p) => p.sources.filter((s) => s.system === 'kafka' && !owned.has(s.topic)).map((s) => ({ pipeline: p.name, source: s })));
  if (sources.length === 0) return;
  const existing = new Set(await withAdmin(kafkaClient(endpoints.kafkaBootstrap, 'pipec-local-deploy'), (admin) => admin.listTopics()));
  const registry = new SchemaRegistryClient(endpoints.schemaRegistryUrl);
  const seen = new Set<string>();
  for (const { pipeline, source } of sources) {
    const note = `read by ${pipeline}; created for the local stack`;
    if (!existing.has(source.topic) && !seen.has(`topic:${source.topic}`)) {
      await topicImpl.createTopic({ bootstrapServers: endpoints.kafkaBootstrap, name: source.topic, partitions: 1, replication: 1, configs: {} });
      report(`topic ${source.topic}`, 'created', note);
    }
    seen.add(`topic:${source.topic}`);
    for (const format of [source.value, source.key]) {
      if (!format || format.format !== 'avro' || !format.subject || !format.avroSchema || seen.has(`subject:${format.subject}`)) continue;
      seen.add(`subject:${format.subject}`);
      const present = await registry.version(format.subject, 'latest').then(
        () => true,
        (e: unknown) => {
          if (registryErrorCode(e) === 40401 || registryErrorCode(e) === 40402) return false;
          throw e;
        },
      );
      if (present) continue;
      await subjectImpl.applySubject({ registryUrl: endpoints.schemaRegistryUrl, subject: format.subject, schemaType: 'AVRO', schema: format.avroSchema });
      report(`subject ${format.subject}`, 'created', `${note}, with the schema the compile read`);
    }
  }
}
