/**
 * `PipelineStack`: one Pulumi component that deploys a pipec build — its topics, subjects, connectors and Flink
 * jobs — in dependency order, filling the build's `${pipec:…}` placeholders with the environment's values.
 * A build that would leave a placeholder unfilled is refused before any resource is registered.
 */
import * as pulumi from '@pulumi/pulumi';
import { fillPlaceholders, placeholder, placeholdersIn } from '../stdlib/placeholders.ts';
import { readDeployBuild, type DeployItem } from './build.ts';
import type { CompatibilityLevel } from '../clients/schema-registry-api.ts';
import type { ConnectorRunState } from './impl/connector.ts';
import type { ResetStart } from '../targets/flink-sql/reset-start.ts';
import { Connector, FlinkJob, JobStateGuard, KafkaTopic, RegistrySubject } from './providers.ts';
import { assertNever } from '../compiler/util/invariant.ts';

export interface PipelineStackArgs {
  /** The folder `pipec compile` wrote (holding manifest.json). */
  readonly buildDir: string;
  /** Deploy only these pipelines (default: all of the build). */
  readonly pipelines?: readonly string[] | undefined;
  readonly kafka: {
    readonly bootstrapServers: pulumi.Input<string>;
    readonly ssl?: boolean | undefined;
    readonly sasl?: pulumi.Input<{ mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }> | undefined;
  };
  /** The Confluent API root of the Schema Registry (basic auth as URL user info). */
  readonly registry: { readonly url: pulumi.Input<string> };
  readonly connect?: { readonly url: pulumi.Input<string> } | undefined;
  readonly flink: {
    readonly sqlGatewayUrl: pulumi.Input<string>;
    readonly restUrl: pulumi.Input<string>;
    /** Folder URI the SQL Gateway writes compiled plans to. */
    readonly planDir: pulumi.Input<string>;
    readonly savepointDir?: pulumi.Input<string> | undefined;
    /**
     * How long a started or upgraded job has to become stable — every task running, a checkpoint completed after
     * the restore and after its last failure — before the deploy counts it as failed (and an upgrade is rolled
     * back). Seconds, default 300.
     */
    readonly stableTimeoutSeconds?: number | undefined;
    /**
     * Where the pipec Flink runtime jar is (targets/flink-sql/runtime/README.md), as a path or URL the SQL
     * Gateway can read; a job whose SQL uses it loads it with ADD JAR. Leave out when Flink's lib/ has the jar.
     */
    readonly runtimeJar?: pulumi.Input<string> | undefined;
  };
  /**
   * Values of the other placeholders, by name without `${pipec:…}` (e.g. `secret.pg_password`,
   * `kafka.properties.sasl.jaas.config`). Pass secrets as Pulumi secrets (`config.requireSecret`).
   */
  readonly values?: Readonly<Record<string, pulumi.Input<string>>> | undefined;
  /** Let job upgrades that cannot keep state start from empty state (default: refuse them). */
  readonly allowStateReset?: boolean | undefined;
  /**
   * Where a job started from empty state by `allowStateReset` reads its append sources from:
   * `'committed-offsets'` (default) goes on where the previous job stopped, from the consumer group's offsets;
   * `'startup'` follows each source's `startup` as a first deploy would (`startup earliest` reads its topic again).
   */
  readonly resetStart?: ResetStart | undefined;
  /** Run state per connector name (default RUNNING). */
  readonly connectorStates?: Readonly<Record<string, ConnectorRunState>> | undefined;
  /** Compatibility level to set on every subject the build registers, unless the manifest names one. */
  readonly subjectCompatibility?: CompatibilityLevel | undefined;
  /**
   * Existing resources this stack takes over although it did not create them: topic names, subjects, connector
   * names. Without it, a topic, subject or connector that exists and is not in the stack's state is refused.
   * Only what the build declares is applied to an adopted resource; nothing else of it changes.
   */
  readonly adopt?: OwnedNames & { readonly connectors?: readonly string[] | undefined } | undefined;
  /**
   * What destroy (or dropping a pipeline from the build) deletes of what holds data: `true` for every topic and
   * subject of the stack, or the topics and subjects named. Default: they are kept, and the log says so.
   */
  readonly deleteOnDestroy?: boolean | OwnedNames | undefined;
}

/** Topics (by name) and subjects of a build. */
export interface OwnedNames {
  readonly topics?: readonly string[] | undefined;
  readonly subjects?: readonly string[] | undefined;
}

export class PipelineStack extends pulumi.ComponentResource {
  /** Flink job id per pipeline. */
  readonly jobIds: pulumi.Output<Record<string, string>>;
  /** Savepoint each job was restored from at its last upgrade (absent: started fresh). */
  readonly restoredFrom: pulumi.Output<Record<string, string | undefined>>;
  /** The savepoint each job's predecessor was stopped with at the last upgrade. */
  readonly savepoints: pulumi.Output<Record<string, string | undefined>>;
  /** Connector state per connector name. */
  readonly connectorStates: pulumi.Output<Record<string, string>>;
  /** Every resource by manifest item id. */
  readonly resources: ReadonlyMap<string, pulumi.CustomResource>;
  /** The item ids each resource was given as `dependsOn` (what the manifest says, for review and tests). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** Topics and subjects a destroy keeps (`topic:<name>`, `subject:<name>`). */
  readonly keptOnDestroy: readonly string[];

  constructor(name: string, args: PipelineStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pipec:index:PipelineStack', name, {}, opts);
    const build = readDeployBuild(args.buildDir, args.pipelines);
    const values: Record<string, pulumi.Input<string>> = {
      'kafka.bootstrap_servers': args.kafka.bootstrapServers,
      'registry.url': args.registry.url,
      ...args.values,
    };
    refuseUnfilled(build.items, values);
    refuseUnknownNames(build.items, args);
    const filledValues = pulumi.all(values);
    const fillJson = (text: string): pulumi.Output<string> => filledValues.apply((v) => fillPlaceholders(text, v, 'json-string'));
    const resources = new Map<string, pulumi.CustomResource>();
    const dependencies = new Map<string, readonly string[]>();
    const jobs: Record<string, FlinkJob> = {};
    const connectors: Record<string, Connector> = {};
    const guards = new Map<string, JobStateGuard>();
    for (const d of build.items) {
      if (d.kind !== 'job') continue;
      guards.set(d.pipeline, new JobStateGuard(`${name}-state-guard:${d.item.name}`, { name: d.item.name, plan: d.plan, flinkVersion: d.item.flinkVersion, allowStateReset: args.allowStateReset ?? false }, { parent: this }));
    }
    for (const d of build.items) {
      const deps = d.dependsOn.filter((id) => resources.has(id));
      dependencies.set(d.item.id, deps);
      const dependsOn: pulumi.Resource[] = deps.map((id) => resources.get(id)).filter((r): r is pulumi.CustomResource => r !== undefined);
      const guard = guards.get(d.pipeline);
      if (guard) dependsOn.push(guard);
      const ropts: pulumi.CustomResourceOptions = { parent: this, dependsOn };
      const rname = `${name}-${d.item.id}`;
      const resource = this.create(d, rname, ropts, args, values, filledValues, fillJson);
      if (d.kind === 'job') jobs[d.item.name] = resource as FlinkJob;
      if (d.kind === 'connector') connectors[d.item.name] = resource as Connector;
      resources.set(d.item.id, resource);
    }
    this.resources = resources;
    this.dependencies = dependencies;
    this.keptOnDestroy = build.items.flatMap((d) => (d.kind === 'topic' && !deletes(args, 'topics', d.item.name) ? [`topic:${d.item.name}`] : d.kind === 'subject' && !deletes(args, 'subjects', d.item.subject) ? [`subject:${d.item.subject}`] : []));
    const record = <T>(entries: Record<string, pulumi.Output<T>>): pulumi.Output<Record<string, T>> => pulumi.all(entries) as pulumi.Output<Record<string, T>>;
    this.jobIds = record(Object.fromEntries(Object.entries(jobs).map(([k, j]) => [k, j.jobId])));
    this.restoredFrom = record(Object.fromEntries(Object.entries(jobs).map(([k, j]) => [k, j.restoredFrom])));
    this.savepoints = record(Object.fromEntries(Object.entries(jobs).map(([k, j]) => [k, j.lastSavepoint])));
    this.connectorStates = record(Object.fromEntries(Object.entries(connectors).map(([k, c]) => [k, c.status])));
    this.registerOutputs({ jobIds: this.jobIds, restoredFrom: this.restoredFrom, savepoints: this.savepoints, connectorStates: this.connectorStates });
  }

  private create(
    d: DeployItem,
    rname: string,
    ropts: pulumi.CustomResourceOptions,
    args: PipelineStackArgs,
    values: Readonly<Record<string, pulumi.Input<string>>>,
    filledValues: pulumi.Output<Record<string, string>>,
    fillJson: (text: string) => pulumi.Output<string>,
  ): pulumi.CustomResource {
    switch (d.kind) {
      case 'topic':
        return new KafkaTopic(
          rname,
          {
            bootstrapServers: args.kafka.bootstrapServers,
            name: d.item.name,
            partitions: d.item.partitions,
            replication: d.item.replication,
            configs: d.item.configs,
            ssl: args.kafka.ssl,
            sasl: args.kafka.sasl,
            adopt: args.adopt?.topics?.includes(d.item.name) ?? false,
            deleteOnDestroy: deletes(args, 'topics', d.item.name),
          },
          ropts,
        );
      case 'subject':
        return new RegistrySubject(
          rname,
          {
            registryUrl: args.registry.url,
            subject: d.item.subject,
            schemaType: d.item.schemaType,
            schema: d.item.schema,
            compatibility: (d.item.compatibility as CompatibilityLevel | undefined) ?? args.subjectCompatibility,
            adopt: args.adopt?.subjects?.includes(d.item.subject) ?? false,
            deleteOnDestroy: deletes(args, 'subjects', d.item.subject),
          },
          ropts,
        );
      case 'connector': {
        if (!args.connect) throw new Error(`pipec deploy: the build has connector ${d.item.name} (pipeline ${d.pipeline}) but PipelineStack got no connect.url`);
        const config = fillJson(JSON.stringify(d.config)).apply((text) => {
          // The last line: a value given as an output that resolved to nothing.
          const left = placeholdersIn(text);
          if (left.length > 0) throw new Error(`pipec deploy: connector ${d.item.name} would be created with ${left.map(placeholder).join(', ')} unfilled: ${left.map(whereToSet).join('; ')}`);
          return JSON.parse(text) as Record<string, string>;
        });
        return new Connector(rname, { connectUrl: args.connect.url, name: d.item.name, config, state: args.connectorStates?.[d.item.name] ?? 'RUNNING', adopt: args.adopt?.connectors?.includes(d.item.name) ?? false }, ropts);
      }
      case 'job': {
        // Only the values this job uses go into its inputs, so a value another job needs does not restart it.
        const used = d.item.placeholders.filter((p) => !FILLED_BY_DEPLOYER.includes(p));
        const placeholders = filledValues.apply((v) => Object.fromEntries(used.map((p) => [p, v[p] ?? ''])));
        return new FlinkJob(
          rname,
          {
            name: d.item.name,
            sqlGatewayUrl: args.flink.sqlGatewayUrl,
            flinkRestUrl: args.flink.restUrl,
            flinkVersion: d.item.flinkVersion,
            jobName: d.compilePlan.jobName,
            statements: d.compilePlan.statements,
            plan: d.plan,
            hash: d.item.hash,
            placeholders,
            planDir: args.flink.planDir,
            savepointDir: args.flink.savepointDir,
            stableTimeoutSeconds: args.flink.stableTimeoutSeconds,
            runtimeJar: args.flink.runtimeJar,
            allowStateReset: args.allowStateReset ?? false,
            resetStart: args.resetStart ?? 'committed-offsets',
          },
          ropts,
        );
      }
      default:
        return assertNever(d, 'deploy item');
    }
  }
}

/** Placeholders the deployer fills itself, per job. */
const FILLED_BY_DEPLOYER: readonly string[] = ['flink.plan_path'];

/** Where a placeholder's value is given to PipelineStack. */
function whereToSet(name: string): string {
  switch (name) {
    case 'kafka.bootstrap_servers':
      return `${placeholder(name)} comes from PipelineStack's kafka.bootstrapServers`;
    case 'registry.url':
      return `${placeholder(name)} comes from PipelineStack's registry.url`;
    default:
      return name.startsWith('secret.')
        ? `set PipelineStack's values['${name}'] (a Pulumi secret, e.g. config.requireSecret)`
        : `set PipelineStack's values['${name}'] (docs/artifacts.md lists every placeholder)`;
  }
}

/**
 * Every `${pipec:…}` of what is about to be applied — connector configs and jobs — must have a value, checked
 * before the first resource is registered: a connector created with a literal placeholder runs and sends every
 * record to its dead-letter topic.
 */
function refuseUnfilled(items: readonly DeployItem[], values: Readonly<Record<string, unknown>>): void {
  const problems: string[] = [];
  for (const d of items) {
    if (d.kind !== 'connector' && d.kind !== 'job') continue;
    const used = d.kind === 'connector' ? placeholdersIn(JSON.stringify(d.config)) : d.item.placeholders;
    const missing = used.filter((p) => !FILLED_BY_DEPLOYER.includes(p) && values[p] === undefined);
    if (missing.length > 0) problems.push(`${d.kind} ${d.item.name} (pipeline ${d.pipeline}) needs ${missing.map(placeholder).join(', ')}: ${missing.map(whereToSet).join('; ')}`);
  }
  if (problems.length > 0) throw new Error(`pipec deploy: the build has placeholders without a value, so nothing was deployed:\n  ${problems.join('\n  ')}`);
}

/** A name in `adopt` or `deleteOnDestroy` that the build does not have is a typo: say so instead of ignoring it. */
function refuseUnknownNames(items: readonly DeployItem[], args: PipelineStackArgs): void {
  const present = {
    topics: new Set(items.flatMap((d) => (d.kind === 'topic' ? [d.item.name] : []))),
    subjects: new Set(items.flatMap((d) => (d.kind === 'subject' ? [d.item.subject] : []))),
    connectors: new Set(items.flatMap((d) => (d.kind === 'connector' ? [d.item.name] : []))),
  };
  const del = typeof args.deleteOnDestroy === 'object' ? args.deleteOnDestroy : {};
  const named: [string, keyof typeof present, readonly string[] | undefined][] = [
    ['adopt', 'topics', args.adopt?.topics],
    ['adopt', 'subjects', args.adopt?.subjects],
    ['adopt', 'connectors', args.adopt?.connectors],
    ['deleteOnDestroy', 'topics', del.topics],
    ['deleteOnDestroy', 'subjects', del.subjects],
  ];
  const unknown = named.flatMap(([option, kind, names]) => (names ?? []).filter((n) => !present[kind].has(n)).map((n) => `${option}.${kind}: ${n}`));
  if (unknown.length > 0) throw new Error(`pipec deploy: not in the build: ${unknown.join(', ')}`);
}

function deletes(args: PipelineStackArgs, kind: keyof OwnedNames, name: string): boolean {
  const d = args.deleteOnDestroy;
  return d === true || (typeof d === 'object' && (d[kind]?.includes(name) ?? false));
}
