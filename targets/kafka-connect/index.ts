/**
 * Plan → Kafka Connect connector configs. Pure. Each connector kind is a module with a zod schema of the config
 * it produces and a builder of the values; a handlebars layout (stdlib/connectors/, or the project's
 * connectors/) lays them out; the sink's `with (…)` properties are merged over; the result is checked for
 * plaintext secrets and validated with the kind's schema before it becomes `<pipeline>/connect/<name>.json`.
 *
 * - CDC sources: one Debezium connector per connection (`<project>-<env>-<connection>`), shared by every
 *   pipeline that reads a table through it; the job that reads its topics depends on it.
 * - Sinks: one connector per Connect sink (`<project>-<env>-<pipeline>-<sink table>`), reading the topic the job writes;
 *   it depends on that topic and its subjects.
 */
import type { z } from 'zod';
import type { Connection } from '../../compiler/config/schema.ts';
import { diagnostic, type Diagnostic } from '../../compiler/diagnostics/diagnostic.ts';
import type { Plan, SinkPlan, SourcePlan } from '../../compiler/plan/plan.ts';
import { suggestionList } from '../../compiler/diagnostics/suggest.ts';
import type { Span } from '../../compiler/source/source.ts';
import { assertNever, invariant } from '../../compiler/util/invariant.ts';
import { configMap, converterConfig, sortedConfig, type ConnectorConfig, type RegistryFlavour } from './common.ts';
import { connectorName } from '../../compiler/semantic/endpoints.ts';
import { plaintextCredential } from '../../stdlib/credentials.ts';
import { ownEntry } from '../../compiler/util/own.ts';
import { buildDebeziumMysql, debeziumMysqlSchema } from './debezium-mysql.ts';
import { buildDebeziumPostgres, debeziumPostgresSchema, type CdcInput } from './debezium-postgres.ts';
import { buildSearchSink, elasticsearchSinkSchema, opensearchSinkSchema } from './elasticsearch-sink.ts';
import { buildGenericSink, genericSinkSchema, TEMPLATE_PREFIX, templateView } from './generic.ts';
import { buildJdbcSink, jdbcSinkSchema } from './jdbc-sink.ts';
import { buildS3Sink, s3SinkSchema } from './s3-sink.ts';
import { userOptions, type SinkInput } from './sink-common.ts';
import { renderLayout, stdlibTemplate } from './templates.ts';

export interface ConnectTargetOptions {
  readonly project: string;
  readonly environment: string;
  readonly connections: Readonly<Record<string, Connection>>;
  /** Partitions of topics pipec creates without `partitions N` (a sink's `tasks.max` is its topic's partitions). */
  readonly defaultPartitions: number;
  readonly defaultReplication: number;
  /** The project's own layouts (`connectors/<name>.hbs`), by name. */
  readonly templates: Readonly<Record<string, string>>;
  /** The registry the Avro converters talk to (`registry.kind` of pipec.yaml). */
  readonly registry: RegistryFlavour;
}

export interface ConnectorArtifact {
  readonly name: string;
  readonly kind: 'source' | 'sink';
  readonly config: ConnectorConfig;
  /** For a CDC connector, the topics it writes; for a sink connector, the topic it reads. */
  readonly topics: readonly string[];
}

export interface ConnectResult {
  /** By pipeline name: the connectors the pipeline needs (CDC connectors appear in each pipeline reading them). */
  readonly byPipeline: ReadonlyMap<string, readonly ConnectorArtifact[]>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Every connector kind: its config schema. `emit` validates each built config with it. */
export const CONNECTOR_SCHEMAS = {
  'debezium-postgres': debeziumPostgresSchema,
  'debezium-mysql': debeziumMysqlSchema,
  'jdbc-sink': jdbcSinkSchema,
  's3-sink': s3SinkSchema,
  'elasticsearch-sink': elasticsearchSinkSchema,
  'opensearch-sink': opensearchSinkSchema,
  generic: genericSinkSchema,
} as const satisfies Record<string, z.ZodType>;

export type ConnectorKind = keyof typeof CONNECTOR_SCHEMAS;

interface Built {
  readonly layout: string;
  readonly view: object;
}

export function emitConnectors(plan: Plan, opts: ConnectTargetOptions): ConnectResult {
  const diagnostics: Diagnostic[] = [];
  const emitted = plan.pipelines.filter((p) => p.sinks.length > 0);

  // CDC: group the CDC sources of all pipelines by connection; one connector per connection.
  const cdcSources = new Map<string, SourcePlan[]>();
  for (const p of emitted) {
    for (const s of p.sources) {
      if (s.system === 'kafka' || !s.connection) continue;
      cdcSources.set(s.connection, [...(cdcSources.get(s.connection) ?? []), s]);
    }
  }
  const cdcConnectors = new Map<string, ConnectorArtifact>();
  for (const [connectionName, sources] of [...cdcSources].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const built = cdcConnector(connectionName, sources, opts, diagnostics);
    if (built) cdcConnectors.set(connectionName, built);
  }

  const byPipeline = new Map<string, ConnectorArtifact[]>();
  for (const p of emitted) {
    const connectors: ConnectorArtifact[] = [];
    const cdcUsed = new Set(p.sources.flatMap((s) => (s.system !== 'kafka' && s.connection ? [s.connection] : [])));
    for (const c of [...cdcUsed].sort()) {
      const connector = cdcConnectors.get(c);
      if (connector) connectors.push(connector);
    }
    for (const s of p.sinks) {
      if (s.system === 'kafka' || !s.connection) continue;
      const name = connectorName(opts.project, opts.environment, p.name, s.table);
      const connector = sinkConnector(name, s, opts, diagnostics);
      if (connector) connectors.push(connector);
    }
    byPipeline.set(p.name, connectors);
  }
  return { byPipeline, diagnostics };
}

function cdcConnector(connectionName: string, declared: readonly SourcePlan[], opts: ConnectTargetOptions, diagnostics: Diagnostic[]): ConnectorArtifact | undefined {
  const connection = ownEntry(opts.connections, connectionName);
  const first = declared[0];
  if (!connection || !first) return undefined;
  // compiler/check/rules/target-support.ts refuses mixed formats, and only a program without errors is emitted.
  invariant(declared.every((s) => s.value.format === first.value.format), `the CDC sources of connection ${connectionName} mix formats`);
  // The same table read by several pipelines (an imported source) is captured once.
  const sources = declared.filter((s, i) => declared.findIndex((x) => x.topic === s.topic) === i);
  const name = connectorName(opts.project, opts.environment, connectionName);
  const input = (topicPrefix: string): CdcInput => ({ name, project: opts.project, environment: opts.environment, connectionName, sources, topicPrefix, registry: opts.registry });
  // User properties of the CDC sources go to the Debezium connector (Flink ignores them for CDC tables).
  const options = Object.fromEntries(sources.flatMap((s) => Object.entries(userOptions(s.options))));
  let built: Built;
  let kind: ConnectorKind;
  switch (connection.type) {
    case 'postgres':
      built = buildDebeziumPostgres(input(connection.topic_prefix ?? connectionName), connection);
      kind = 'debezium-postgres';
      break;
    case 'mysql':
      built = buildDebeziumMysql(input(connection.topic_prefix ?? connectionName), connection);
      kind = 'debezium-mysql';
      break;
    case 's3': case 'elasticsearch': case 'opensearch': case 'connector':
      // The binder reports a connection of the wrong type (connection-type-mismatch).
      return undefined;
    default:
      return assertNever(connection, 'connection');
  }
  const config = finish(name, kind, built, options, first.span, diagnostics);
  return config ? { name, kind: 'source', config, topics: sources.map((s) => s.topic).sort() } : undefined;
}

function sinkConnector(name: string, sink: SinkPlan, opts: ConnectTargetOptions, diagnostics: Diagnostic[]): ConnectorArtifact | undefined {
  const connection = sink.connection ? ownEntry(opts.connections, sink.connection) : undefined;
  if (!connection) return undefined;
  const input: SinkInput = { name, sink, tasksMax: sink.partitions ?? opts.defaultPartitions, replication: sink.replication ?? opts.defaultReplication, registry: opts.registry };
  const options = userOptions(sink.options);
  const result = (config: ConnectorConfig | undefined): ConnectorArtifact | undefined => (config ? { name, kind: 'sink', config, topics: [sink.topic] } : undefined);
  switch (connection.type) {
    // Connect sinks read what the job writes for them: Avro through the registry (the binder fixes the format).
    case 'postgres': case 'mysql':
      return result(finish(name, 'jdbc-sink', buildJdbcSink(input, connection), options, sink.span, diagnostics));
    case 's3':
      return result(finish(name, 's3-sink', buildS3Sink(input, connection), options, sink.span, diagnostics));
    case 'elasticsearch': case 'opensearch': {
      const built = buildSearchSink(input, connection);
      return result(finish(name, connection.type === 'elasticsearch' ? 'elasticsearch-sink' : 'opensearch-sink', built, options, sink.span, diagnostics));
    }
    case 'connector': {
      if (!sink.object.startsWith(TEMPLATE_PREFIX)) return result(finish(name, 'generic', buildGenericSink(input, connection), options, sink.span, diagnostics));
      const template = sink.object.slice(TEMPLATE_PREFIX.length);
      if (opts.templates[template] === undefined) {
        diagnostics.push(diagnostic('connect-template-not-found', { template, candidates: suggestionList(template, Object.keys(opts.templates).sort()) }, sink.span));
        return undefined;
      }
      // The project's layout gets the sink's properties in its view (`options`) and lays them out itself.
      return result(finish(name, 'generic', { layout: template, view: templateView(input, connection) }, {}, sink.span, diagnostics, opts.templates));
    }
    default:
      return assertNever(connection, 'connection');
  }
}

/** Layout → merge the user's properties → no plaintext secret → the kind's schema → sorted keys. */
function finish(name: string, kind: ConnectorKind, built: Built, options: Readonly<Record<string, string>>, span: Span, diagnostics: Diagnostic[], projectTemplates?: Readonly<Record<string, string>>): ConnectorConfig | undefined {
  const template = projectTemplates ? projectTemplates[built.layout] : stdlibTemplate(built.layout);
  if (template === undefined) throw new Error(`pipec bug: no connector layout ${built.layout}`);
  const rendered = renderLayout(template, built.view);
  if (!rendered.ok) {
    diagnostics.push(diagnostic('connect-template-invalid', { template: built.layout, problem: rendered.problem }, span));
    return undefined;
  }
  const nonString = Object.entries(rendered.config).find(([, v]) => typeof v !== 'string');
  if (nonString) {
    diagnostics.push(diagnostic('connect-template-invalid', { template: built.layout, problem: `\`${nonString[0]}\` is not a string (Connect takes only strings)` }, span));
    return undefined;
  }
  // The connector's name is pipec's (a layout or a property cannot rename it: the manifest refers to it).
  const config = { ...(rendered.config as Record<string, string>), ...options, name };
  const plaintext = Object.entries(config).flatMap(([key, value]) => {
    const found = plaintextCredential(key, value);
    return found ? [{ key, found }] : [];
  });
  if (plaintext.length > 0) {
    diagnostics.push(...plaintext.sort((a, b) => (a.key < b.key ? -1 : 1)).map(({ key, found }) => diagnostic('connect-plaintext-secret', { connector: name, key, found }, span)));
    return undefined;
  }
  const checked = configMap.pipe(converterConfig).pipe(CONNECTOR_SCHEMAS[kind]).safeParse(config);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    diagnostics.push(diagnostic('connect-config-invalid', { connector: name, key: issue?.path.join('.') ?? '', problem: issue?.message ?? 'invalid' }, span));
    return undefined;
  }
  return sortedConfig(config);
}
