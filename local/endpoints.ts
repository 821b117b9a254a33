/**
 * Where the local stack's services answer, as tests and the CLI need them. The integration global setup
 * computes these once and hands them to the test files (vitest provide/inject, key `pipecLocal`).
 */
import { join } from 'node:path';
import type { LocalStackConfig } from '../compiler/config/local-stack.ts';
import type { FlinkLine } from '../stdlib/flink-lines.ts';
import { ccompatPath } from './services/schema-registry.ts';
import type { StackPaths } from './services/types.ts';

export interface LocalEndpoints {
  flinkLine: FlinkLine;
  /** host:port for Kafka clients (PLAINTEXT). */
  kafkaBootstrap: string;
  connectUrl: string;
  flinkRestUrl: string;
  sqlGatewayUrl: string;
  /** The Confluent-compatible API base (what Flink's avro-confluent.url and Confluent clients take). */
  schemaRegistryUrl: string;
  postgres: { host: string; port: number; user: string; password: string; database: string; jdbcUrl: string };
  /** Folders the Flink cluster writes savepoints and checkpoints to (local paths, use as file:// URIs). */
  savepointDir: string;
  checkpointDir: string;
  /** The stack folder (logs/, data/, conf/). */
  dir: string;
}

export function endpointsFor(config: LocalStackConfig, paths: StackPaths, flinkLine: FlinkLine): LocalEndpoints {
  const host = '127.0.0.1';
  const { ports } = config;
  const database = config.postgres.databases[0] ?? 'postgres';
  return {
    flinkLine,
    kafkaBootstrap: `${host}:${ports.kafka}`,
    connectUrl: `http://${host}:${ports.connect}`,
    flinkRestUrl: `http://${host}:${ports.flink_rest}`,
    sqlGatewayUrl: `http://${host}:${ports.sql_gateway}`,
    schemaRegistryUrl: `http://${host}:${ports.schema_registry}${ccompatPath}`,
    postgres: { host, port: ports.postgres, user: config.postgres.user, password: config.postgres.password, database, jdbcUrl: `jdbc:postgresql://${host}:${ports.postgres}/${database}` },
    savepointDir: join(paths.data, 'flink', 'savepoints'),
    checkpointDir: join(paths.data, 'flink', 'checkpoints'),
    dir: paths.root,
  };
}

/** Apicurio's core API root, which its Kafka Connect converter talks to (`${pipec:registry.apicurio_url}`). */
export function apicurioUrl(endpoints: Pick<LocalEndpoints, 'schemaRegistryUrl'>): string {
  return endpoints.schemaRegistryUrl.replace(/\/apis\/ccompat\/v\d+$/, '/apis/registry/v2');
}
