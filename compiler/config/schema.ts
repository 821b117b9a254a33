/**
 * `pipec.yaml`: the project configuration, validated with zod. Endpoints and credentials live here, never in
 * `.pipe` files; credentials are references (`${env:NAME}`, `${file:path:key}`) that pipec passes through to
 * deploy time and never resolves while compiling.
 */
import { z } from 'zod';
import { MESSAGES } from '../diagnostics/messages.ts';
import { didYouMean, suggestionList } from '../diagnostics/suggest.ts';
import { RULE_LEVELS } from '../diagnostics/manage.ts';
import { registryConfigSchema } from '../schemas/config.ts';
import { localStackConfigSchema } from './local-stack.ts';
import { RANGES } from '../../stdlib/ranges.ts';
import { DEFAULT_FLINK_LINE, flinkLineSchema } from '../../stdlib/flink-lines.ts';

/** A value that may be a secret reference; pipec never inlines what it points to. */
export const secretOrString = z.string().min(1);

const durationMs = z.number().int().min(1).max(600_000);
const port = z.number().int().min(1).max(65_535);

export const flinkConfigSchema = z
  .object({
    /** The Flink line the project targets; every difference between lines is data in stdlib/flink-lines.ts. */
    version: flinkLineSchema.default(DEFAULT_FLINK_LINE),
    rest_url: z.url().optional(),
    sql_gateway_url: z.url().optional(),
    /** Where savepoints go when the deployer upgrades a job. */
    savepoint_dir: z.string().optional(),
    checkpoint_dir: z.string().optional(),
    /** Also write each job's Confluent Cloud form (confluent-cloud.json), for the deployer's Confluent Cloud flavour. */
    confluent_cloud: z.boolean().optional(),
  })
  .strict();

export const kafkaConfigSchema = z
  .object({
    bootstrap_servers: z.string().min(1),
    /**
     * Client properties for every Kafka client pipec configures (SASL, TLS); values may be secret references.
     * Each becomes the placeholder `${pipec:kafka.properties.<key>}`, so a key takes the placeholder's characters.
     */
    properties: z
      .record(z.string(), z.string())
      .superRefine((properties, ctx) => {
        for (const key of Object.keys(properties)) {
          if (!/^[A-Za-z0-9_.-]+$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'a Kafka property name takes only letters, digits, `.`, `_` and `-`' });
        }
      })
      .default({}),
    default_partitions: z.number().int().min(RANGES.partitions.min).max(RANGES.partitions.max).default(1),
    default_replication: z.number().int().min(RANGES.replication.min).max(RANGES.replication.max).default(1),
  })
  .strict();

export const connectConfigSchema = z
  .object({
    url: z.url(),
  })
  .strict();

const postgresConnection = z
  .object({
    type: z.literal('postgres'),
    host: z.string().min(1),
    port: port.default(5432),
    database: z.string().min(1),
    user: secretOrString,
    password: secretOrString,
    /** Debezium topic prefix for CDC sources through this connection; defaults to the connection's name. */
    topic_prefix: z.string().optional(),
  })
  .strict();

const mysqlConnection = postgresConnection.extend({ type: z.literal('mysql'), port: port.default(3306), server_id: z.number().int().min(1).max(4_294_967_295).optional() }).strict();

const s3Connection = z
  .object({
    type: z.literal('s3'),
    bucket: z.string().min(1),
    region: z.string().min(1),
    access_key_id: secretOrString.optional(),
    secret_access_key: secretOrString.optional(),
    endpoint: z.url().optional(),
  })
  .strict();

const searchConnection = z
  .object({
    type: z.enum(['elasticsearch', 'opensearch']),
    url: z.url(),
    user: secretOrString.optional(),
    password: secretOrString.optional(),
  })
  .strict();

const genericConnection = z
  .object({
    type: z.literal('connector'),
    /** Properties every connector through this connection gets (values may be secret references). */
    properties: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const connectionSchema = z.discriminatedUnion('type', [postgresConnection, mysqlConnection, s3Connection, searchConnection, genericConnection]);
export type Connection = z.infer<typeof connectionSchema>;

/** Only warnings have a level: what Flink needs (an error) cannot be turned down. */
const rulesSchema = z.record(z.string(), z.enum(RULE_LEVELS)).superRefine((rules, ctx) => {
  for (const code of Object.keys(rules)) {
    const entry = (MESSAGES as Readonly<Record<string, { readonly severity: string } | undefined>>)[code];
    if (!entry) {
      const close = didYouMean(suggestionList(code, Object.keys(MESSAGES)));
      ctx.addIssue({ code: 'custom', path: [code], message: `no diagnostic has the code \`${code}\`${close ? ` (${close})` : ''}` });
    } else if (entry.severity === 'error') {
      ctx.addIssue({ code: 'custom', path: [code], message: `\`${code}\` is an error (what Flink or the sinks need): only warnings have a level` });
    }
  }
});

/** What an environment may override; everything but the environments themselves. */
const settingsShape = {
  rules: rulesSchema.default({}),
  // Always present, so `flink.version` has its default here and nowhere else.
  flink: flinkConfigSchema.prefault({}),
  kafka: kafkaConfigSchema.optional(),
  connect: connectConfigSchema.optional(),
  registry: registryConfigSchema.optional(),
  connections: z.record(z.string(), connectionSchema).default({}),
  local: localStackConfigSchema.optional(),
  timeouts: z.object({ request_ms: durationMs.default(10_000) }).strict().optional(),
};

/**
 * What an environment may override: any setting, and of a nested one only the fields it names. Overrides are
 * merged over the base as written, and the merged settings validated (with their defaults) only then, so an
 * environment setting `flink.rest_url` keeps the base's `flink.version` instead of resetting it to the default.
 */
const environmentShape = {
  rules: rulesSchema.optional(),
  flink: flinkConfigSchema.partial().optional(),
  kafka: kafkaConfigSchema.partial().optional(),
  connect: connectConfigSchema.partial().optional(),
  registry: registryConfigSchema.partial().optional(),
  connections: settingsShape.connections.optional(),
  local: localStackConfigSchema.partial().optional(),
  timeouts: settingsShape.timeouts,
};

export const projectConfigSchema = z
  .object({
    /** Used in connector, topic and Flink job names (docs/artifacts.md, "Names"). */
    project: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lowercase letters, digits, `-` and `_`, starting with a letter'),
    /** Where `.pipe` files live, relative to pipec.yaml. */
    pipelines: z.string().default('.'),
    /** Where the local schema folder is, relative to pipec.yaml (the offline default). */
    schemas: z.string().default('schemas'),
    out: z.string().default('build'),
    ...settingsShape,
    environments: z.record(z.string(), z.object(environmentShape).strict()).default({}),
  })
  .strict();

/** A project's settings once one environment is merged over the base: what every phase reads. */
export const resolvedSettingsSchema = projectConfigSchema.omit({ environments: true });

export type ProjectConfigInput = z.input<typeof projectConfigSchema>;
export type ProjectConfig = z.infer<typeof projectConfigSchema>;

/** The config one compile runs with: the base merged with one environment's overrides. */
export interface ResolvedConfig extends Omit<ProjectConfig, 'environments'> {
  readonly environment: string;
  /** Absolute folder of pipec.yaml; relative paths in the config are relative to it. */
  readonly root: string;
}
