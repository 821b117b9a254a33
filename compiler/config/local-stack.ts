/**
 * The `local:` section of pipec.yaml: where the local stack lives, its ports, the Flink line and memory.
 * Every field has a default, so `local:` may be left out. Engine versions are not here: they are pinned in
 * local/pom.xml, Flink's in stdlib/flink-lines.ts.
 */
import { z } from 'zod';
import { DEFAULT_FLINK_LINE, flinkLineSchema } from '../../stdlib/flink-lines.ts';

const port = z.number().int().min(1024).max(65535);

/** Fixed defaults chosen to avoid the engines' own defaults (8081/8083/8080/9092/5432), which clash. */
export const defaultPorts = {
  kafka: 19092,
  kafka_controller: 19093,
  connect: 18083,
  flink_rest: 18081,
  sql_gateway: 18091,
  schema_registry: 18085,
  postgres: 15432,
} as const;

export const localStackConfigSchema = z
  .object({
    /** Logs, data, configs, pids: everything the stack writes, relative to the project folder. */
    dir: z.string().min(1).default('.pipec/local'),
    /** Resolved jar sets, shared by all projects on the machine; default $XDG_CACHE_HOME/pipec/local. */
    cache_dir: z.string().min(1).optional(),
    /** Passed to Maven as -Dmaven.repo.local (e.g. to measure a cold start); default ~/.m2/repository. */
    maven_repo_local: z.string().min(1).optional(),
    /**
     * The line the stack runs. Not `flink.version` (the line a project compiles for): the stack is started from
     * this section alone, also without a project, and one folder's stack is switched between lines (`--flink`)
     * to run both lines' tests; a project's jobs need a stack of their own line.
     */
    flink: flinkLineSchema.default(DEFAULT_FLINK_LINE),
    /** The MiniCluster's one TaskManager's slots: each running job of parallelism 1 holds one (raise it for many jobs). */
    flink_task_slots: z.number().int().min(1).max(256).default(8),
    ports: z
      .object({
        kafka: port.default(defaultPorts.kafka),
        kafka_controller: port.default(defaultPorts.kafka_controller),
        connect: port.default(defaultPorts.connect),
        flink_rest: port.default(defaultPorts.flink_rest),
        sql_gateway: port.default(defaultPorts.sql_gateway),
        schema_registry: port.default(defaultPorts.schema_registry),
        postgres: port.default(defaultPorts.postgres),
      })
      .strict()
      .prefault({}),
    /** JVM heap (-Xmx) per service, and PostgreSQL's shared_buffers, in MiB. */
    memory_mb: z
      .object({
        kafka: z.number().int().min(128).max(65_536).default(512),
        connect: z.number().int().min(256).max(65_536).default(768),
        flink: z.number().int().min(512).max(65_536).default(1280),
        schema_registry: z.number().int().min(128).max(65_536).default(384),
        postgres_shared_buffers: z.number().int().min(16).max(65_536).default(128),
      })
      .strict()
      .prefault({}),
    /** Java 17+ for Kafka, Connect and Flink; default $JAVA_HOME, else `java` on PATH. */
    java_home: z.string().min(1).optional(),
    /** Java 21+ for Apicurio Registry 3.x; default the newest JDK 21+ under /usr/lib/jvm. */
    registry_java_home: z.string().min(1).optional(),
    postgres: z
      .object({
        user: z.string().min(1).default('postgres'),
        password: z.string().min(1).default('postgres'),
        /** Databases created at start (if missing); the first is the default one. */
        databases: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1).default(['pipec']),
        /** Folder with initdb/postgres/pg_isready; default the newest /usr/lib/postgresql/<v>/bin. */
        bin_dir: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** How long `up` waits for every service to answer its health check. */
    start_timeout_s: z.number().int().min(1).max(86_400).default(420),
  })
  .strict();

export type LocalStackConfigInput = z.input<typeof localStackConfigSchema>;
export type LocalStackConfig = z.output<typeof localStackConfigSchema>;
export type PortName = keyof LocalStackConfig['ports'];
