/**
 * Helpers for the Kafka Connect integration tests: compile a project (or the examples) against the local stack,
 * fill the deploy-time placeholders the way a deployer would, and speak the Confluent wire format.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Type } from 'avsc';
import avro from 'avsc';
import { parse } from '../../../compiler/ast/parse.ts';
import { compileProgram, collectSubjects } from '../../../compiler/compile.ts';
import type { ResolvedConfig } from '../../../compiler/config/schema.ts';
import { loadProject } from '../../../compiler/driver/project.ts';
import { resolveSchemas } from '../../../compiler/driver/schemas.ts';
import type { EmitResult } from '../../../targets/emit.ts';
import type { SchemaLookup } from '../../../compiler/semantic/catalog.ts';
import { fillPlaceholders } from '../../../stdlib/placeholders.ts';
import { apicurioUrl, type LocalEndpoints } from '../../../local/endpoints.ts';
import { EXAMPLES } from '../../helpers/examples.ts';
import { DEFAULT_FLINK_LINE } from '../../../stdlib/flink-lines.ts';

export { apicurioUrl };

/** What the deployer does: placeholders → the local stack's values. */
export function deployable(config: Readonly<Record<string, string>>, endpoints: LocalEndpoints): Record<string, string> {
  const values = { 'registry.apicurio_url': apicurioUrl(endpoints), 'registry.url': endpoints.schemaRegistryUrl, 'kafka.bootstrap_servers': endpoints.kafkaBootstrap };
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, fillPlaceholders(v, values, 'value')]));
}

/**
 * The stack's PostgreSQL credentials in a file the Connect worker reads through FileConfigProvider, so
 * generated connector configs only name them (`${file:<path>:user}`).
 */
export function connectSecretsFile(endpoints: LocalEndpoints): string {
  const file = path.join(endpoints.dir, 'conf', 'kafka-connect-test-secrets.properties');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `user=${endpoints.postgres.user}\npassword=${endpoints.postgres.password}\n`);
  return file;
}

/** A project whose connections `src_db` (CDC, topic prefix `prefix`) and `dw` are the stack's PostgreSQL. */
export function localProjectConfig(endpoints: LocalEndpoints, secretsFile: string, prefix: string): ResolvedConfig {
  const pg = endpoints.postgres;
  const connection = { type: 'postgres' as const, host: pg.host, port: pg.port, database: pg.database, user: `\${file:${secretsFile}:user}`, password: `\${file:${secretsFile}:password}` };
  return {
    project: 'kctest',
    pipelines: '.',
    schemas: 'schemas',
    out: 'build',
    flink: { version: DEFAULT_FLINK_LINE },
    rules: {},
    kafka: { bootstrap_servers: endpoints.kafkaBootstrap, properties: {}, default_partitions: 1, default_replication: 1 },
    connections: { src_db: { ...connection, topic_prefix: prefix }, dw: connection },
    environment: 'it',
    root: '/tmp',
  };
}

/**
 * The examples compiled against the local stack: their PostgreSQL connections point at the stack's database,
 * with credentials the worker reads from `secretsFile` (FileConfigProvider) — Debezium's validation connects.
 */
export async function compileExamplesFor(endpoints: LocalEndpoints, secretsFile: string): Promise<EmitResult> {
  const project = await loadProject({ paths: [EXAMPLES], config: undefined, env: undefined });
  if (!project.config) throw new Error('examples do not load');
  const base = project.config;
  const connections = Object.fromEntries(
    Object.entries(base.connections).map(([name, c]) => [
      name,
      c.type === 'postgres'
        ? { ...c, host: endpoints.postgres.host, port: endpoints.postgres.port, database: endpoints.postgres.database, user: `\${file:${secretsFile}:user}`, password: `\${file:${secretsFile}:password}` }
        : c,
    ]),
  );
  const config: ResolvedConfig = { ...base, connections };
  const schemas = await resolveSchemas(config, collectSubjects(project.parsed, config), { offline: true, frozen: false });
  const result = compileProgram(project.parsed, config, schemas.lookup, 'pipec test');
  if (!result.output) throw new Error(result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return result.output;
}

export function compileSnippet(files: Readonly<Record<string, string>>, config: ResolvedConfig, schemas: SchemaLookup): EmitResult {
  const parsed = Object.entries(files).map(([path, text]) => parse({ path, text }));
  const result = compileProgram(parsed, config, schemas, 'pipec test');
  if (!result.output) throw new Error(result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return result.output;
}

export function connectorConfigs(output: EmitResult): { path: string; config: Record<string, string> }[] {
  return output.artifacts.filter((a) => a.path.includes('/connect/')).map((a) => ({ path: a.path, config: JSON.parse(a.contents) as Record<string, string> }));
}

// ── Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary ─────────────────────

const typeById = new Map<number, Type>();

/** Avro longs as bigints: Debezium's source block carries LSNs and transaction ids beyond 2^53. */
const bigLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** The writer schema of a framed record, looked up by id in the Confluent-compatible API (as Flink does). */
export async function decodeConfluent(endpoints: LocalEndpoints, bytes: Buffer): Promise<{ id: number; value: unknown }> {
  if (bytes[0] !== 0) throw new Error(`not the Confluent wire format: magic byte ${bytes[0]}`);
  const id = bytes.readInt32BE(1);
  let type = typeById.get(id);
  if (!type) {
    const res = await fetch(`${endpoints.schemaRegistryUrl}/schemas/ids/${id}`);
    if (!res.ok) throw new Error(`schema id ${id}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { schema: string };
    type = avro.Type.forSchema(JSON.parse(body.schema) as avro.Schema, { wrapUnions: false, registry: { long: bigLong } });
    typeById.set(id, type);
  }
  return { id, value: type.fromBuffer(bytes.subarray(5)) };
}

export async function registerSchema(endpoints: LocalEndpoints, subject: string, schema: string): Promise<number> {
  const res = await fetch(`${endpoints.schemaRegistryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema }),
  });
  if (!res.ok) throw new Error(`register ${subject}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

export function encodeConfluent(id: number, type: Type, value: unknown): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, type.toBuffer(value)]);
}
