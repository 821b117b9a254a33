/**
 * Kafka Connect, distributed worker (like bin/connect-distributed.sh), with the Debezium PostgreSQL source and
 * JDBC sink plugins and Apicurio's Avro converter (Confluent wire format) on plugin.path. Converters default to
 * JSON with schemas; pipec sets them per connector. Connector configs reach secrets through the config
 * providers `file`, `env` and `dir` (pipec never writes a secret's value into a config).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaClasspath } from './kafka.ts';
import { ensureConverterServicesJar } from './services-jar.ts';
import type { ProcessDef } from './types.ts';
import { httpProbe, jvmBase, jvmMarker, log4j2Console } from './types.ts';

export const debeziumPostgresClass = 'io.debezium.connector.postgresql.PostgresConnector';
export const debeziumJdbcSinkClass = 'io.debezium.connector.jdbc.JdbcSinkConnector';
export const apicurioAvroConverterClass = 'io.apicurio.registry.utils.converter.AvroConverter';

export const connect: ProcessDef = {
  name: 'connect',
  ports: ['connect'],
  dependsOn: ['kafka'],
  stopSignal: 'SIGTERM',
  graceMs: 30_000,
  marker: (paths) => jvmMarker('connect', paths),

  async prepare(ctx) {
    const { paths, config } = ctx;
    mkdirSync(paths.conf, { recursive: true });
    const props: Record<string, string> = {
      'bootstrap.servers': `127.0.0.1:${config.ports.kafka}`,
      'group.id': 'pipec-local-connect',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'value.converter.schemas.enable': 'true',
      'offset.storage.topic': 'connect-offsets',
      'offset.storage.replication.factor': '1',
      'offset.storage.partitions': '4',
      'config.storage.topic': 'connect-configs',
      'config.storage.replication.factor': '1',
      'status.storage.topic': 'connect-status',
      'status.storage.replication.factor': '1',
      'status.storage.partitions': '2',
      'offset.flush.interval.ms': '5000',
      listeners: `http://127.0.0.1:${config.ports.connect}`,
      'rest.advertised.host.name': '127.0.0.1',
      'rest.advertised.port': String(config.ports.connect),
      'plugin.path': join(ctx.jars.debezium, 'plugins'),
      // Debezium and Kafka's own plugins ship ServiceLoader manifests: skips a ~15 s reflective scan.
      'plugin.discovery': 'service_load',
      // Let connectors override client settings (e.g. a sink's consumer group start offsets).
      'connector.client.config.override.policy': 'All',
      // Secrets in connector configs are references: ${file:/path:key}, ${env:NAME} (KIP-887), ${dir:/path:file}.
      'config.providers': 'file,env,dir',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
      'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      'config.providers.dir.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
    };
    ensureConverterServicesJar(join(ctx.jars.debezium, 'plugins', 'apicurio-converter'), [apicurioAvroConverterClass, 'io.apicurio.registry.utils.converter.ExtJsonConverter']);
    const file = join(paths.conf, 'connect.properties');
    writeFileSync(
      file,
      `${Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    const log4j = join(paths.conf, 'log4j2-connect.properties');
    writeFileSync(log4j, `${log4j2Console}logger.kafka.name = org.apache.kafka\nlogger.kafka.level = WARN\nlogger.runtime.name = org.apache.kafka.connect.runtime\nlogger.runtime.level = INFO\n`);
    return {
      command: ctx.java.java,
      args: [...jvmBase('connect', paths, config.memory_mb.connect), `-Dlog4j2.configurationFile=${log4j}`, '-cp', kafkaClasspath(ctx), 'org.apache.kafka.connect.cli.ConnectDistributed', file],
      cwd: paths.root,
      logFile: join(paths.logs, 'connect.log'),
    };
  },

  async readyCheck(config) {
    // GET / answers before the worker has joined its group; /connectors answers only after, and the plugin
    // list proves Debezium was found on plugin.path.
    const base = `http://127.0.0.1:${config.ports.connect}`;
    const joined = await httpProbe(`${base}/connectors`);
    if (joined) return `worker not ready (${joined})`;
    return httpProbe(`${base}/connector-plugins`, (status, body) =>
      status !== 200 ? `HTTP ${status}` : body.includes(debeziumPostgresClass) && body.includes(debeziumJdbcSinkClass) ? undefined : 'Debezium plugins not loaded (check plugin.path in the connect log)',
    );
  },

  checks(config) {
    return [{ service: 'connect', port: 'connect', probe: () => httpProbe(`http://127.0.0.1:${config.ports.connect}/`) }];
  },
};
