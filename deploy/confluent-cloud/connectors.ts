/**
 * A connector config of the build (for self-managed Kafka Connect: Debezium, JDBC, Elasticsearch classes,
 * converters, dead-letter topics) as the config of a fully managed Confluent Cloud connector: its plugin name,
 * its own key names, formats instead of converters (the environment's registry is implied), and no worker
 * settings. Pure.
 *
 * Key names follow Confluent's connector docs (PostgreSQL/MySQL CDC Source V2, PostgreSQL/MySQL Sink,
 * Elasticsearch Service Sink) and published Terraform configs; they could not be tried against Confluent Cloud
 * here. A key this module does not know is an error, not passed through, so nothing is silently dropped.
 */
import { credentialInValue, isCredentialKey } from '../../stdlib/credentials.ts';

export interface ManagedConnectorConfig {
  readonly nonsensitive: Readonly<Record<string, string>>;
  /** Passwords and other secret-looking keys: Terraform's `config_sensitive`, never read back. */
  readonly sensitive: Readonly<Record<string, string>>;
}

export class UnmappableConnector extends Error {
  constructor(connector: string, why: string) {
    super(
      `pipec deploy: connector ${connector} cannot be deployed as a fully managed Confluent Cloud connector: ${why}. ` +
        'Run it on a self-managed Connect cluster (or as a Confluent Cloud custom connector) and name it in connectors.external, ' +
        'so this stack leaves it alone; or deploy the pipelines that need it with PipelineStack.',
    );
    this.name = 'UnmappableConnector';
  }
}

type Role = 'source' | 'sink';

/** How one kind maps: keys kept as they are, keys renamed or rewritten, and what the managed plugin needs set. */
interface Mapping {
  readonly plugin: (config: Readonly<Record<string, string>>) => string;
  readonly same: readonly string[];
  readonly rewrite: Readonly<Record<string, (value: string, config: Readonly<Record<string, string>>) => Record<string, string>>>;
  readonly fixed: Readonly<Record<string, string>>;
}

const CDC_SAME = ['database.hostname', 'database.port', 'database.user', 'database.password', 'topic.prefix', 'table.include.list', 'message.key.columns', 'snapshot.mode', 'heartbeat.interval.ms', 'time.precision.mode', 'decimal.handling.mode', 'schema.name.adjustment.mode', 'field.name.adjustment.mode'];

/** The Flink job reads Debezium's envelope (before/after/op); V2 connectors default to the after state only. */
const CDC_FIXED = { 'after.state.only': 'false' };

const MAPPINGS: Readonly<Record<string, Mapping>> = {
  'io.debezium.connector.postgresql.PostgresConnector': {
    plugin: () => 'PostgresCdcSourceV2',
    // replica.identity.autoset.values: the Debezium 2.5+ key V2 runs on; Confluent validates it when creating.
    same: [...CDC_SAME, 'database.dbname', 'plugin.name', 'slot.name', 'publication.name', 'publication.autocreate.mode', 'replica.identity.autoset.values'],
    rewrite: {},
    fixed: CDC_FIXED,
  },
  'io.debezium.connector.mysql.MySqlConnector': {
    plugin: () => 'MySqlCdcSourceV2',
    same: [...CDC_SAME, 'database.server.id', 'database.include.list'],
    // The managed connector keeps its schema history itself.
    rewrite: { 'schema.history.internal.kafka.bootstrap.servers': () => ({}), 'schema.history.internal.kafka.topic': () => ({}) },
    fixed: CDC_FIXED,
  },
  'io.debezium.connector.jdbc.JdbcSinkConnector': {
    plugin: (config) => {
      const system = /^jdbc:(postgresql|mysql):/.exec(config['connection.url'] ?? '')?.[1];
      if (system === 'postgresql') return 'PostgresSink';
      if (system === 'mysql') return 'MySqlSink';
      throw new Error(`a JDBC URL that is neither PostgreSQL nor MySQL (${config['connection.url'] ?? 'none'})`);
    },
    same: ['topics', 'delete.enabled'],
    rewrite: {
      'connection.url': (url) => {
        const m = /^jdbc:[a-z]+:\/\/([^/:]+)(?::(\d+))?\/([^?]+)/.exec(url);
        if (!m) throw new Error(`connection.url ${url} is not jdbc:<system>://host[:port]/database`);
        return { 'connection.host': m[1] ?? '', ...(m[2] ? { 'connection.port': m[2] } : {}), 'db.name': m[3] ?? '' };
      },
      'connection.username': (v) => ({ 'connection.user': v }),
      'connection.password': (v) => ({ 'connection.password': v }),
      'collection.name.format': (v) => ({ 'table.name.format': v }),
      'insert.mode': (v) => ({ 'insert.mode': v.toUpperCase() }),
      'primary.key.mode': (v) => ({ 'pk.mode': v }),
      'primary.key.fields': (v) => ({ 'pk.fields': v }),
      'schema.evolution': (v) => ({ 'auto.create': String(v === 'basic'), 'auto.evolve': String(v === 'basic') }),
      'use.time.zone': (v) => ({ 'db.timezone': v }),
    },
    fixed: {},
  },
  'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector': {
    plugin: () => 'ElasticsearchSink',
    same: ['topics', 'connection.url', 'connection.username', 'connection.password', 'key.ignore', 'schema.ignore', 'behavior.on.null.values'],
    rewrite: { 'write.method': (v) => ({ 'write.method': v.toUpperCase() }) },
    fixed: {},
  },
};

const CONVERTER_FORMATS: Readonly<Record<string, string>> = {
  'io.apicurio.registry.utils.converter.AvroConverter': 'AVRO',
  'io.confluent.connect.avro.AvroConverter': 'AVRO',
  'org.apache.kafka.connect.converters.ByteArrayConverter': 'BYTES',
  'org.apache.kafka.connect.storage.StringConverter': 'STRING',
};

/**
 * Keys of a self-managed worker that a managed connector has no counterpart for, and why they may go: the
 * registry is the environment's, topics are created by the service, dead-letter topics (`dlq-lcc-…`) too.
 */
const WORKER_ONLY = [/^(key|value)\.converter\./, /^topic\.creation\./, /^errors\.deadletterqueue\./, /^errors\.log\./];

export function managedConnector(name: string, role: Role, config: Readonly<Record<string, string>>): ManagedConnectorConfig {
  const cls = config['connector.class'] ?? '';
  const mapping = MAPPINGS[cls];
  if (!mapping) throw new UnmappableConnector(name, `pipec has no mapping of ${cls || 'a connector without connector.class'} to a managed plugin (it maps ${Object.keys(MAPPINGS).join(', ')})`);
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  try {
    out['connector.class'] = mapping.plugin(config);
    for (const [key, value] of Object.entries(config)) {
      const rewrite = mapping.rewrite[key];
      if (key === 'connector.class') continue;
      else if (key === 'name' || key === 'tasks.max' || mapping.same.includes(key)) out[key] = value;
      // Sinks tolerate bad records into the service's dead-letter topic; sources fail fast, the managed default.
      else if (key === 'errors.tolerance') Object.assign(out, role === 'sink' ? { [key]: value } : {});
      else if (key === 'transforms' || key.startsWith('transforms.')) out[key] = value;
      else if (rewrite) Object.assign(out, rewrite(value, config));
      else if (key === 'key.converter' || key === 'value.converter') Object.assign(out, format(role, key, value, config));
      else if (!WORKER_ONLY.some((r) => r.test(key))) unknown.push(key);
    }
  } catch (e) {
    throw new UnmappableConnector(name, (e as Error).message);
  }
  if (unknown.length > 0) throw new UnmappableConnector(name, `its config has ${unknown.sort().join(', ')}, which pipec does not know for ${out['connector.class']}`);
  Object.assign(out, mapping.fixed);
  const nonsensitive: Record<string, string> = {};
  const sensitive: Record<string, string> = {};
  for (const [key, value] of Object.entries(out)) {
    if (isCredentialKey(key) || credentialInValue(value) || value.includes('${pipec:secret.')) sensitive[key] = value;
    else nonsensitive[key] = value;
  }
  return { nonsensitive, sensitive };
}

/** `value.converter` → `output.data.format` (sources) or `input.data.format` (sinks); the key likewise. */
function format(role: Role, key: 'key.converter' | 'value.converter', converter: string, config: Readonly<Record<string, string>>): Record<string, string> {
  const target = `${role === 'source' ? 'output' : 'input'}.${key === 'key.converter' ? 'key' : 'data'}.format`;
  if (converter === 'org.apache.kafka.connect.json.JsonConverter') {
    // Schemaless JSON is the managed JSON format; JSON with an embedded schema has no managed counterpart.
    if (config[`${key}.schemas.enable`] === 'true') throw new Error(`${key} is JSON with embedded schemas, which no managed format writes`);
    return { [target]: 'JSON' };
  }
  const f = CONVERTER_FORMATS[converter];
  if (!f) throw new Error(`${key} ${converter} has no managed format`);
  return { [target]: f };
}
