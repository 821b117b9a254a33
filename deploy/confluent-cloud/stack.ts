/**
 * `ConfluentCloudPipelineStack`: the Confluent Cloud flavour of the deployer. One Pulumi component that
 * deploys a pipec build with `@pulumi/confluentcloud` resources, in the manifest's dependency order:
 * topics (KafkaTopic), subjects (Schema, and SubjectConfig for a compatibility level), connectors (fully
 * managed Connector) and jobs (FlinkStatement: the ALTER TABLE statements of confluent-cloud.json, then the
 * job's statement).
 *
 * A job's statement is named by its content (statement-name.ts), so an unchanged job keeps its statement. A
 * changed one is a new statement; given the build now deployed (`previousBuildDir`), the old statement is kept
 * declared with `stopped: true` and the new one waits for it, taking over its source offsets when both jobs
 * are stateless (upgrade.ts) — otherwise the change is refused unless `allowStateReset`.
 *
 * A separate component rather than a `flavour` switch on PipelineStack: the two take different endpoints and
 * give different outputs (no job ids or savepoints here), and each keeps precise argument types. They share the
 * build reading and ordering (deploy/build.ts).
 */
import * as confluentcloud from '@pulumi/confluentcloud';
import * as pulumi from '@pulumi/pulumi';
import type { CompatibilityLevel } from '../../clients/schema-registry-api.ts';
import { assertNever } from '../../compiler/util/invariant.ts';
import type { DeployItem } from '../build.ts';
import { readConfluentCloudBuild, type CloudJob } from './build.ts';
import { managedConnector, type ManagedConnectorConfig } from './connectors.ts';
import { statementUpgrade, type StatementUpgrade } from './upgrade.ts';
import { fillReferences, referencesIn } from './values.ts';

/** A Confluent Cloud API key; pass the secret as a Pulumi secret (`config.requireSecret`). */
export interface ApiKey {
  readonly key: pulumi.Input<string>;
  readonly secret: pulumi.Input<string>;
}

export interface ConfluentCloudPipelineStackArgs {
  /** The folder `pipec compile` wrote (holding manifest.json). */
  readonly buildDir: string;
  /**
   * The build that is deployed now (CI keeps it), to hand a changed job over from its running statement. Without
   * it a changed job's new statement starts from its sources' startup position while the old one is deleted.
   */
  readonly previousBuildDir?: string | undefined;
  /** Deploy only these pipelines (default: all of the build). */
  readonly pipelines?: readonly string[] | undefined;
  readonly organizationId: pulumi.Input<string>;
  readonly environmentId: pulumi.Input<string>;
  readonly kafka: {
    readonly clusterId: pulumi.Input<string>;
    /** e.g. `https://pkc-00000.us-central1.gcp.confluent.cloud:443` */
    readonly restEndpoint: pulumi.Input<string>;
    readonly credentials: ApiKey;
  };
  readonly schemaRegistry: {
    readonly clusterId: pulumi.Input<string>;
    readonly restEndpoint: pulumi.Input<string>;
    readonly credentials: ApiKey;
  };
  readonly flink: {
    readonly computePoolId: pulumi.Input<string>;
    /** The service account (or user, identity pool) statements run as. */
    readonly principalId: pulumi.Input<string>;
    /** e.g. `https://flink.us-east-1.aws.confluent.cloud` */
    readonly restEndpoint: pulumi.Input<string>;
    readonly credentials: ApiKey;
    /** `sql.current-catalog`: the environment's name, which Flink tables are resolved in. */
    readonly catalog: pulumi.Input<string>;
    /** `sql.current-database`: the Kafka cluster's name. */
    readonly database: pulumi.Input<string>;
  };
  readonly connectors?: {
    /** How managed connectors reach the cluster. */
    readonly kafkaAuth: { readonly serviceAccountId: pulumi.Input<string> } | { readonly apiKey: ApiKey };
    /** Connectors run elsewhere (self-managed, custom): not created here, and jobs do not wait for them. */
    readonly external?: readonly string[] | undefined;
    /** Run state per connector name (default RUNNING). */
    readonly states?: Readonly<Record<string, 'RUNNING' | 'PAUSED'>> | undefined;
  } | undefined;
  /**
   * Values of the connectors' references: `env:NAME` for `${env:NAME}` (the config providers of a self-managed
   * worker), `NAME` for `${pipec:NAME}`. Pass secrets as Pulumi secrets.
   */
  readonly values?: Readonly<Record<string, pulumi.Input<string>>> | undefined;
  /** Let a changed stateful job start a new statement from scratch (default: refuse the change). */
  readonly allowStateReset?: boolean | undefined;
  /** Compatibility level to set on every subject the build registers, unless the manifest names one. */
  readonly subjectCompatibility?: CompatibilityLevel | undefined;
}

interface StatementSpec {
  readonly name: string;
  readonly statement: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly stopped?: boolean;
}

/** Set once, when the statement is created; later deploys must not replace the statement over it. */
const CARRY_OVER = 'sql.tables.initial-offset-from';

export class ConfluentCloudPipelineStack extends pulumi.ComponentResource {
  /** The statement each pipeline's job runs as. */
  readonly statementNames: Readonly<Record<string, string>>;
  /** What this deploy does to each pipeline's statement. */
  readonly upgrades: Readonly<Record<string, StatementUpgrade['kind']>>;
  /** For each pipeline whose new statement continues from its predecessor's offsets: that statement's name. */
  readonly carriedOverFrom: Readonly<Record<string, string>>;
  /** Every resource by manifest item id (a job: its statement; a subject: its Schema). */
  readonly resources: ReadonlyMap<string, pulumi.CustomResource>;
  /** The item ids each resource was given as `dependsOn` (what the manifest says, for review and tests). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** The ALTER TABLE statements, by statement name (one per distinct change, whichever pipelines need it). */
  readonly tableStatements: ReadonlyMap<string, confluentcloud.FlinkStatement>;

  private readonly args: ConfluentCloudPipelineStackArgs;

  constructor(name: string, args: ConfluentCloudPipelineStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pipec:index:ConfluentCloudPipelineStack', name, {}, opts);
    this.args = args;
    const next = readConfluentCloudBuild(args.buildDir, args.pipelines);
    const previous = args.previousBuildDir ? readConfluentCloudBuild(args.previousBuildDir) : undefined;
    const jobs = [...next.jobs.values()];
    const unsupported = jobs.filter((j) => j.artifact.unsupported.length > 0);
    if (unsupported.length > 0) {
      throw new Error(`pipec deploy: cannot run on Confluent Cloud as compiled:\n${unsupported.map((j) => `  ${j.pipeline}:\n${j.artifact.unsupported.map((u) => `    - ${u}`).join('\n')}`).join('\n')}\nChange these pipelines, or leave them out with the pipelines option.`);
    }
    checkTableChanges(jobs);
    // Every decision and every check before any resource: a refused deploy registers nothing.
    const upgrades = new Map(jobs.map((j) => [j.pipeline, statementUpgrade(previous?.jobs.get(j.pipeline), j, args.allowStateReset ?? false)]));
    const external = new Set(args.connectors?.external ?? []);
    const connectors = new Map(next.build.items.flatMap((d) => (d.kind === 'connector' && !external.has(d.item.name) ? [[d.item.id, this.connectorConfig(d)] as const] : [])));

    const resources = new Map<string, pulumi.CustomResource>();
    const dependencies = new Map<string, readonly string[]>();
    const tableStatements = new Map<string, confluentcloud.FlinkStatement>();
    for (const d of next.build.items) {
      if (d.kind === 'connector' && external.has(d.item.name)) continue;
      const deps = d.dependsOn.filter((id) => resources.has(id));
      dependencies.set(d.item.id, deps);
      const dependsOn = deps.map((id) => resources.get(id)).filter((r): r is pulumi.CustomResource => r !== undefined);
      const rname = `${name}-${d.item.id}`;
      if (d.kind === 'job') {
        const job = next.jobs.get(d.pipeline);
        const upgrade = upgrades.get(d.pipeline);
        if (!job || !upgrade) throw new Error(`pipec deploy: no Confluent Cloud job for pipeline ${d.pipeline}`);
        resources.set(d.item.id, this.job(name, job, upgrade, dependsOn, tableStatements));
      } else {
        resources.set(d.item.id, this.create(d, rname, dependsOn, connectors.get(d.item.id)));
      }
    }
    this.resources = resources;
    this.dependencies = dependencies;
    this.tableStatements = tableStatements;
    this.statementNames = Object.fromEntries(jobs.map((j) => [j.pipeline, j.name]));
    this.upgrades = Object.fromEntries([...upgrades].map(([p, u]) => [p, u.kind]));
    this.carriedOverFrom = Object.fromEntries([...upgrades].flatMap(([p, u]) => (u.kind === 'carry-over' ? [[p, u.previous.name]] : [])));
    this.registerOutputs({ statementNames: this.statementNames, upgrades: this.upgrades, carriedOverFrom: this.carriedOverFrom });
  }

  /** The managed config of a connector, checked: it maps, and every reference in it has a value. */
  private connectorConfig(d: Extract<DeployItem, { kind: 'connector' }>): ManagedConnectorConfig {
    if (!this.args.connectors?.kafkaAuth) throw new Error(`pipec deploy: the build has connector ${d.item.name} (pipeline ${d.pipeline}) but ConfluentCloudPipelineStack got no connectors.kafkaAuth (or name it in connectors.external)`);
    const mapped = managedConnector(d.item.name, d.item.kind, d.config);
    const missing = referencesIn(JSON.stringify(mapped)).filter((r) => this.args.values?.[r] === undefined);
    if (missing.length > 0) throw new Error(`pipec deploy: connector ${d.item.name} needs ${missing.join(', ')}; pass ${missing.length > 1 ? 'them' : 'it'} in ConfluentCloudPipelineStack's values`);
    return mapped;
  }

  private create(d: Exclude<DeployItem, { kind: 'job' }>, rname: string, dependsOn: readonly pulumi.Resource[], mapped: ManagedConnectorConfig | undefined): pulumi.CustomResource {
    const { args } = this;
    const ropts: pulumi.CustomResourceOptions = { parent: this, dependsOn: [...dependsOn] };
    switch (d.kind) {
      case 'topic':
        // Confluent Cloud replicates every topic three times; the manifest's replication has no say there.
        return new confluentcloud.KafkaTopic(rname, { kafkaCluster: { id: args.kafka.clusterId }, restEndpoint: args.kafka.restEndpoint, credentials: args.kafka.credentials, topicName: d.item.name, partitionsCount: d.item.partitions, config: d.item.configs }, ropts);
      case 'subject': {
        const registry = { schemaRegistryCluster: { id: args.schemaRegistry.clusterId }, restEndpoint: args.schemaRegistry.restEndpoint, credentials: args.schemaRegistry.credentials };
        const level = d.item.compatibility ?? args.subjectCompatibility;
        // The level is set first, so the schema is checked against it.
        const config = level === undefined ? undefined : new confluentcloud.SubjectConfig(`${rname}-config`, { ...registry, subjectName: d.item.subject, compatibilityLevel: level }, ropts);
        return new confluentcloud.Schema(rname, { ...registry, subjectName: d.item.subject, format: d.item.schemaType, schema: d.item.schema }, { parent: this, dependsOn: [...dependsOn, ...toArray(config)] });
      }
      case 'connector': {
        const auth = args.connectors?.kafkaAuth;
        if (!auth || !mapped) throw new Error(`pipec deploy: connector ${d.item.name} was not checked before its creation (a pipec bug)`);
        const kafkaAuth = 'serviceAccountId' in auth
          ? { nonsensitive: { 'kafka.auth.mode': 'SERVICE_ACCOUNT', 'kafka.service.account.id': auth.serviceAccountId }, sensitive: {} }
          : { nonsensitive: { 'kafka.auth.mode': 'KAFKA_API_KEY', 'kafka.api.key': auth.apiKey.key }, sensitive: { 'kafka.api.secret': auth.apiKey.secret } };
        return new confluentcloud.Connector(
          rname,
          {
            environment: { id: args.environmentId },
            kafkaCluster: { id: args.kafka.clusterId },
            // Filled separately, so a secret value makes only the sensitive part secret.
            configNonsensitive: this.filled(mapped.nonsensitive, kafkaAuth.nonsensitive),
            configSensitive: this.filled(mapped.sensitive, kafkaAuth.sensitive),
            status: args.connectors?.states?.[d.item.name] ?? 'RUNNING',
          },
          ropts,
        );
      }
      default:
        return assertNever(d, 'deploy item');
    }
  }

  private filled(config: Readonly<Record<string, string>>, extra: Readonly<Record<string, pulumi.Input<string>>>): pulumi.Output<Record<string, string>> {
    const values = Object.fromEntries(referencesIn(JSON.stringify(config)).map((r) => [r, this.args.values?.[r] ?? '']));
    return pulumi.all([pulumi.all(values), pulumi.all(extra)]).apply(([v, e]) => ({ ...Object.fromEntries(Object.entries(config).map(([k, x]) => [k, fillReferences(x, v)])), ...e }));
  }

  /** The job's table changes (shared with other pipelines), the statement it replaces (stopped), its statement. */
  private job(name: string, job: CloudJob, upgrade: StatementUpgrade, dependsOn: readonly pulumi.Resource[], tableStatements: Map<string, confluentcloud.FlinkStatement>): confluentcloud.FlinkStatement {
    const changes = job.tableChanges.map((c, i) => {
      const existing = tableStatements.get(c.name);
      if (existing) return existing;
      // ALTERs of one table run in order: a watermark on a column needs the column.
      const earlier = job.tableChanges.slice(0, i).filter((x) => x.table === c.table).flatMap((x) => toArray(tableStatements.get(x.name)));
      // A table change waits for what the job waits for: a CDC connector creates the topic it alters.
      const r = this.statement(`${name}-table:${c.name}`, { name: c.name, statement: c.statement, properties: {} }, [...dependsOn, ...earlier]);
      tableStatements.set(c.name, r);
      return r;
    });
    let predecessor: confluentcloud.FlinkStatement | undefined;
    if (upgrade.kind === 'carry-over' || upgrade.kind === 'reset') {
      // Declared as it was created (its name and content come from the previous build), now stopped.
      const p = upgrade.previous;
      predecessor = this.statement(`${name}-statement:${p.name}`, { name: p.name, statement: p.statement, properties: p.artifact.properties, stopped: true }, []);
    }
    const properties = { ...job.artifact.properties, ...(upgrade.kind === 'carry-over' ? { [CARRY_OVER]: upgrade.previous.name } : {}) };
    return this.statement(`${name}-statement:${job.name}`, { name: job.name, statement: job.statement, properties, stopped: false }, [...dependsOn, ...changes, ...toArray(predecessor)]);
  }

  private statement(rname: string, spec: StatementSpec, dependsOn: readonly pulumi.Resource[]): confluentcloud.FlinkStatement {
    const { flink } = this.args;
    return new confluentcloud.FlinkStatement(
      rname,
      {
        organization: { id: this.args.organizationId },
        environment: { id: this.args.environmentId },
        computePool: { id: flink.computePoolId },
        principal: { id: flink.principalId },
        restEndpoint: flink.restEndpoint,
        credentials: flink.credentials,
        statementName: spec.name,
        statement: spec.statement,
        properties: { 'sql.current-catalog': flink.catalog, 'sql.current-database': flink.database, ...spec.properties },
        ...(spec.stopped === undefined ? {} : { stopped: spec.stopped }),
      },
      {
        parent: this,
        dependsOn: [...dependsOn],
        // The same name must not exist twice, so a replacement deletes first.
        deleteBeforeReplace: true,
        ignoreChanges: [`properties["${CARRY_OVER}"]`],
      },
    );
  }
}

/** Two pipelines reading one topic share its table: they must not change the same part of it differently. */
function checkTableChanges(jobs: readonly CloudJob[]): void {
  const seen = new Map<string, { pipeline: string; statement: string }>();
  for (const j of jobs) {
    for (const c of j.tableChanges) {
      const key = `${c.table}\u0000${c.target}`;
      const other = seen.get(key);
      if (other && other.statement !== c.statement) {
        throw new Error(`pipec deploy: pipelines ${other.pipeline} and ${j.pipeline} change the ${c.target} of topic ${c.table}'s table differently:\n  ${other.statement}\n  ${c.statement}\nOn Confluent Cloud a topic has one table, shared by everything reading it: declare the source the same way in both (an import of one declaration does).`);
      }
      if (!other) seen.set(key, { pipeline: j.pipeline, statement: c.statement });
    }
  }
}

function toArray<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
