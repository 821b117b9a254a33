/**
 * Pulumi dynamic providers and their resources: Kafka topics, Schema Registry subjects, Kafka Connect
 * connectors and Flink jobs. Each provider is serialized with its closure into the state, so it captures only
 * strings (the URLs of its implementation modules) and imports what it needs inside each method.
 *
 * `diff` compares only what the user declares (the inputs), never what a server reports, so server-side
 * defaults cause no change and a second `pulumi up` with the same build does nothing. `adopt` matters only when
 * a resource is created, so it is no change; `deleteOnDestroy` is (an update with no server call), so that the
 * state holds what a later destroy reads.
 */
import * as pulumi from '@pulumi/pulumi';
import type { ConnectorInputs, ConnectorOutputs } from './impl/connector.ts';
import type { JobInputs, JobOutputs } from './impl/job.ts';
import type { SubjectInputs, SubjectOutputs } from './impl/subject.ts';
import type { TopicInputs, TopicOutputs } from './impl/topic.ts';
import type * as TopicImpl from './impl/topic.ts';
import type * as SubjectImpl from './impl/subject.ts';
import type * as ConnectorImpl from './impl/connector.ts';
import type * as JobImpl from './impl/job.ts';
import { SECRET_OUTPUTS } from './secret-outputs.ts';

// From the sources the modules are `.ts`; from the compiled build (dist/, what an install has) `.js`. Only the
// resulting strings are captured by the providers.
const IMPL_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const TOPIC_IMPL = new URL(`./impl/topic${IMPL_EXT}`, import.meta.url).href;
const SUBJECT_IMPL = new URL(`./impl/subject${IMPL_EXT}`, import.meta.url).href;
const CONNECTOR_IMPL = new URL(`./impl/connector${IMPL_EXT}`, import.meta.url).href;
const JOB_IMPL = new URL(`./impl/job${IMPL_EXT}`, import.meta.url).href;

type DiffResult = pulumi.dynamic.DiffResult;

/**
 * Loads an implementation module. Not with `import()`: a transform (vitest's, a bundler's) rewrites that into a
 * call of its own loader, which the serialized provider would capture and could not carry, and `import()` in a
 * `new Function` has no loader inside vitest. `require` of an ES module works on Node 22.12+ and strips types
 * (from the sources; under node_modules Node strips none, hence the compiled `.js`).
 */
function load<T>(url: string): Promise<T> {
  const { createRequire } = process.getBuiltinModule('node:module');
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const file = fileURLToPath(url);
  return Promise.resolve(createRequire(file)(file) as T);
}

/** Canonical JSON (sorted keys) for comparing declared values. */
function same(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
    if (typeof v === 'object' && v !== null) {
      return `{${Object.entries(v).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => `${JSON.stringify(k)}:${canon(x)}`).join(',')}}`;
    }
    return JSON.stringify(v) ?? 'null';
  };
  return canon(a) === canon(b);
}

function changed<T extends object>(olds: T, news: T, keys: readonly (keyof T)[]): (keyof T)[] {
  return keys.filter((k) => !same(olds[k], news[k]));
}

function result(changes: readonly PropertyKey[], replaces: readonly PropertyKey[] = []): DiffResult {
  const rep = replaces.filter((k) => changes.includes(k)).map(String);
  return { changes: changes.length > 0, replaces: rep, deleteBeforeReplace: rep.length > 0 };
}

// ── Kafka topics ───────────────────────────────────────────────────────────────────────────────────

export const topicProvider: pulumi.dynamic.ResourceProvider<TopicInputs, TopicOutputs> = {
  async diff(_id, olds, news) {
    const keys: (keyof TopicInputs)[] = ['bootstrapServers', 'name', 'partitions', 'replication', 'configs', 'ssl', 'sasl', 'deleteOnDestroy'];
    // Never replaced for a replication change: that would delete the records (update refuses it instead).
    return result(changed<TopicInputs>(olds, news, keys), ['name']);
  },
  async create(inputs) {
    const impl = await load<typeof TopicImpl>(TOPIC_IMPL);
    return { id: inputs.name, outs: await impl.createTopic(inputs) };
  },
  async update(_id, olds, news) {
    const impl = await load<typeof TopicImpl>(TOPIC_IMPL);
    return { outs: await impl.updateTopic(olds, news) };
  },
  async delete(_id, props) {
    const impl = await load<typeof TopicImpl>(TOPIC_IMPL);
    await impl.deleteTopic(props);
  },
};

export type TopicArgs = { [K in keyof TopicInputs]: pulumi.Input<TopicInputs[K]> };

export class KafkaTopic extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly partitions: pulumi.Output<number>;
  declare readonly actualPartitions: pulumi.Output<number>;

  constructor(name: string, args: TopicArgs, opts?: pulumi.CustomResourceOptions) {
    super(topicProvider, name, { ...args, actualPartitions: undefined }, { ...opts, additionalSecretOutputs: [...SECRET_OUTPUTS.topic] }, 'pipec', 'KafkaTopic');
  }
}

// ── Schema Registry subjects ───────────────────────────────────────────────────────────────────────

export const subjectProvider: pulumi.dynamic.ResourceProvider<SubjectInputs, SubjectOutputs> = {
  async diff(_id, olds, news) {
    const impl = await load<typeof SubjectImpl>(SUBJECT_IMPL);
    const keys = changed<SubjectInputs>(olds, news, ['registryUrl', 'subject', 'schemaType', 'compatibility', 'permanentDelete', 'deleteOnDestroy']);
    // The same schema written differently (key order, spacing) is no change.
    if (!impl.sameSchema(olds, news)) keys.push('schema');
    return result(keys, ['subject', 'registryUrl']);
  },
  async create(inputs) {
    const impl = await load<typeof SubjectImpl>(SUBJECT_IMPL);
    return { id: inputs.subject, outs: await impl.applySubject(inputs) };
  },
  async update(_id, olds, news) {
    const impl = await load<typeof SubjectImpl>(SUBJECT_IMPL);
    return { outs: await impl.applySubject(news, olds) };
  },
  async delete(_id, props) {
    const impl = await load<typeof SubjectImpl>(SUBJECT_IMPL);
    await impl.deleteSubject(props);
  },
};

export type SubjectArgs = { [K in keyof SubjectInputs]: pulumi.Input<SubjectInputs[K]> };

export class RegistrySubject extends pulumi.dynamic.Resource {
  declare readonly subject: pulumi.Output<string>;
  declare readonly schemaId: pulumi.Output<number>;
  declare readonly version: pulumi.Output<number>;

  constructor(name: string, args: SubjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(subjectProvider, name, { ...args, schemaId: undefined, version: undefined }, { ...opts, additionalSecretOutputs: [...SECRET_OUTPUTS.subject] }, 'pipec', 'RegistrySubject');
  }
}

// ── Kafka Connect connectors ───────────────────────────────────────────────────────────────────────

export const connectorProvider: pulumi.dynamic.ResourceProvider<ConnectorInputs, ConnectorOutputs> = {
  async diff(_id, olds, news) {
    return result(changed<ConnectorInputs>(olds, news, ['connectUrl', 'name', 'config', 'state']), ['name', 'connectUrl']);
  },
  async create(inputs) {
    const impl = await load<typeof ConnectorImpl>(CONNECTOR_IMPL);
    return { id: inputs.name, outs: await impl.createConnector(inputs) };
  },
  async update(_id, olds, news) {
    const impl = await load<typeof ConnectorImpl>(CONNECTOR_IMPL);
    return { outs: await impl.updateConnector(olds, news) };
  },
  async delete(_id, props) {
    const impl = await load<typeof ConnectorImpl>(CONNECTOR_IMPL);
    await impl.deleteConnector(props);
  },
};

export type ConnectorArgs = { [K in keyof ConnectorInputs]: pulumi.Input<ConnectorInputs[K]> };

export class Connector extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly tasks: pulumi.Output<number>;

  constructor(name: string, args: ConnectorArgs, opts?: pulumi.CustomResourceOptions) {
    super(connectorProvider, name, { ...args, status: undefined, tasks: undefined }, { ...opts, additionalSecretOutputs: [...SECRET_OUTPUTS.connector] }, 'pipec', 'Connector');
  }
}

// ── Flink jobs ─────────────────────────────────────────────────────────────────────────────────────

/** The changes that would lose the running job's state, as check failures (none when a reset is allowed). */
async function stateLossFailures(olds: Partial<StateGuardInputs>, news: StateGuardInputs): Promise<pulumi.dynamic.CheckFailure[]> {
  if (!olds.plan || !olds.flinkVersion || olds.plan === news.plan || news.allowStateReset) return [];
  const impl = await load<typeof JobImpl>(JOB_IMPL);
  const verdict = await impl.classifyJobChange({ name: olds.name ?? news.name, plan: olds.plan, flinkVersion: olds.flinkVersion }, news);
  if (verdict.verdict !== 'incompatible') return [];
  // No property: Pulumi would print the whole plan's JSON in front of the reason.
  return verdict.changes.filter((c) => c.verdict === 'incompatible').map((c) => ({ property: '', reason: `${c.subject}: ${c.change} (the running job's state cannot carry over; set allowStateReset to start from empty state)` }));
}

export const jobProvider: pulumi.dynamic.ResourceProvider<JobInputs, JobOutputs> = {
  async check(olds, news) {
    // Refuse an upgrade that loses state already at preview, naming the change.
    return { inputs: news, failures: await stateLossFailures(olds, news) };
  },
  async diff(_id, olds, news) {
    // What runs: the SQL (by its hash and text), the values filled in, the plan, the Flink version, the runtime
    // jar. Not the allowStateReset switch, the savepoint folder or the plan folder.
    const keys = changed<JobInputs>(olds, news, ['name', 'sqlGatewayUrl', 'flinkRestUrl', 'flinkVersion', 'jobName', 'statements', 'plan', 'hash', 'placeholders', 'runtimeJar']);
    return result(keys, ['name']);
  },
  async create(inputs) {
    const impl = await load<typeof JobImpl>(JOB_IMPL);
    const outs = await impl.createJob(inputs);
    return { id: `${inputs.name}`, outs };
  },
  async update(_id, olds, news) {
    const impl = await load<typeof JobImpl>(JOB_IMPL);
    return { outs: await impl.updateJob(olds, news) };
  },
  async delete(_id, props) {
    const impl = await load<typeof JobImpl>(JOB_IMPL);
    await impl.deleteJob(props);
  },
};

export type JobArgs = { [K in keyof JobInputs]: pulumi.Input<JobInputs[K]> };

export class FlinkJob extends pulumi.dynamic.Resource {
  declare readonly jobId: pulumi.Output<string>;
  declare readonly planPath: pulumi.Output<string>;
  declare readonly restoredFrom: pulumi.Output<string | undefined>;
  declare readonly lastSavepoint: pulumi.Output<string | undefined>;
  declare readonly stateVerdict: pulumi.Output<string | undefined>;

  constructor(name: string, args: JobArgs, opts?: pulumi.CustomResourceOptions) {
    super(jobProvider, name, { ...args, jobId: undefined, planPath: undefined, restoredFrom: undefined, lastSavepoint: undefined, stateVerdict: undefined }, { ...opts, additionalSecretOutputs: [...SECRET_OUTPUTS.job] }, 'pipec', 'FlinkJob');
  }
}

// ── State guards ───────────────────────────────────────────────────────────────────────────────────

/** What a job's state guard compares: the plan the running job was deployed from and the one to deploy. */
export interface StateGuardInputs {
  readonly name: string;
  readonly plan: string;
  readonly flinkVersion: string;
  readonly allowStateReset?: boolean | undefined;
}

/**
 * Every resource of a pipeline depends on its job's guard, which has no dependencies itself. The engine checks
 * a resource when it registers it, and a job registers only after its topics and subjects are applied; the
 * guard registers first, so an upgrade that would lose state is refused before anything of the pipeline is
 * touched (the job's own check stays as the last line).
 */
export const stateGuardProvider: pulumi.dynamic.ResourceProvider<StateGuardInputs, StateGuardInputs> = {
  async check(olds, news) {
    return { inputs: news, failures: await stateLossFailures(olds, news) };
  },
  async diff(_id, olds, news) {
    return result(changed<StateGuardInputs>(olds, news, ['name', 'plan', 'flinkVersion']));
  },
  async create(inputs) {
    return { id: inputs.name, outs: inputs };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
};

export type StateGuardArgs = { [K in keyof StateGuardInputs]: pulumi.Input<StateGuardInputs[K]> };

export class JobStateGuard extends pulumi.dynamic.Resource {
  constructor(name: string, args: StateGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super(stateGuardProvider, name, args, opts, 'pipec', 'JobStateGuard');
  }
}
