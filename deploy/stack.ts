/**
 * `PipelineStack`: one Pulumi component that deploys a pipec build — its topics, subjects, connectors and Flink
 * jobs — in dependency order, filling the build's `${pipec:…}` placeholders with the environment's values.
 */
import * as pulumi from '@pulumi/pulumi';
import { fillPlaceholders } from '../targets/placeholders.ts';
import { readDeployBuild, type DeployItem } from './build.ts';
import type { CompatibilityLevel } from '../local/clients/schema-registry.ts';
import type { ConnectorRunState } from './impl/connector.ts';
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
  };
  /**
   * Values of the other placeholders, by name without `${pipec:…}` (e.g. `secret.pg_password`,
   * `kafka.properties.sasl.jaas.config`). Pass secrets as Pulumi secrets (`config.requireSecret`).
   */
  readonly values?: Readonly<Record<string, pulumi.Input<string>>> | undefined;
  /** Let job upgrades that cannot keep state start from empty state (default: refuse them). */
  readonly allowStateReset?: boolean | undefined;
  /** Run state per connector name (default RUNNING). */
  readonly connectorStates?: Readonly<Record<string, ConnectorRunState>> | undefined;
  /** Compatibility level to set on every subject the build registers, unless the manifest names one. */
  readonly subjectCompatibility?: CompatibilityLevel | undefined;
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

  constructor(name: string, args: PipelineStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pipec:index:PipelineStack', name, {}, opts);
    const build = readDeployBuild(args.buildDir, args.pipelines);
    const values: Record<string, pulumi.Input<string>> = {
      'kafka.bootstrap_servers': args.kafka.bootstrapServers,
      'registry.url': args.registry.url,
      ...args.values,
    };
    const filledValues = pulumi.all(values);
    const fill = (text: string): pulumi.Output<string> => filledValues.apply((v) => fillPlaceholders(text, v));
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
      const resource = this.create(d, rname, ropts, args, values, filledValues, fill);
      if (d.kind === 'job') jobs[d.item.name] = resource as FlinkJob;
      if (d.kind === 'connector') connectors[d.item.name] = resource as Connector;
      resources.set(d.item.id, resource);
    }
    this.resources = resources;
    this.dependencies = dependencies;
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
    fill: (text: string) => pulumi.Output<string>,
  ): pulumi.CustomResource {
    switch (d.kind) {
      case 'topic':
        return new KafkaTopic(rname, { bootstrapServers: args.kafka.bootstrapServers, name: d.item.name, partitions: d.item.partitions, replication: d.item.replication, configs: d.item.configs, ssl: args.kafka.ssl, sasl: args.kafka.sasl }, ropts);
      case 'subject':
        return new RegistrySubject(rname, { registryUrl: args.registry.url, subject: d.item.subject, schemaType: d.item.schemaType, schema: d.item.schema, compatibility: (d.item.compatibility as CompatibilityLevel | undefined) ?? args.subjectCompatibility }, ropts);
      case 'connector': {
        if (!args.connect) throw new Error(`pipec deploy: the build has connector ${d.item.name} (pipeline ${d.pipeline}) but PipelineStack got no connect.url`);
        const config = fill(JSON.stringify(d.config)).apply((text) => JSON.parse(text) as Record<string, string>);
        return new Connector(rname, { connectUrl: args.connect.url, name: d.item.name, config, state: args.connectorStates?.[d.item.name] ?? 'RUNNING' }, ropts);
      }
      case 'job': {
        // Only the values this job uses go into its inputs, so a value another job needs does not restart it.
        const used = d.item.placeholders.filter((p) => p !== 'flink.plan_path');
        const missing = used.filter((p) => values[p] === undefined);
        if (missing.length > 0) throw new Error(`pipec deploy: job ${d.item.name} needs ${missing.map((m) => `\${pipec:${m}}`).join(', ')}; pass ${missing.length > 1 ? 'them' : 'it'} in PipelineStack's values`);
        const placeholders = filledValues.apply((v) => Object.fromEntries(used.map((p) => [p, v[p] ?? ''])));
        return new FlinkJob(
          rname,
          {
            name: d.item.name,
            sqlGatewayUrl: args.flink.sqlGatewayUrl,
            flinkRestUrl: args.flink.restUrl,
            flinkVersion: d.item.flinkVersion,
            compilePlanSql: d.compilePlanSql,
            plan: d.plan,
            hash: d.item.hash,
            placeholders,
            planDir: args.flink.planDir,
            savepointDir: args.flink.savepointDir,
            stableTimeoutSeconds: args.flink.stableTimeoutSeconds,
            allowStateReset: args.allowStateReset ?? false,
          },
          ropts,
        );
      }
      default:
        return assertNever(d, 'deploy item');
    }
  }
}
