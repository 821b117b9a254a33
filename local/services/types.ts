/**
 * What every local-stack process definition provides. A process may serve more than one service: the Flink
 * JVM serves both the Flink REST API and the SQL Gateway.
 */
import { join } from 'node:path';
import type { FlinkLine, LocalStackConfig, PortName } from '../config.ts';
import type { JavaHome } from '../java.ts';
import type { StartSpec } from '../proc.ts';

export type ProcessName = 'postgres' | 'kafka' | 'schema-registry' | 'connect' | 'flink';
export type ServiceName = ProcessName | 'sql-gateway';

/** Start order; `down` stops in reverse. */
export const processNames: readonly ProcessName[] = ['postgres', 'kafka', 'schema-registry', 'flink', 'connect'];
export const serviceNames: readonly ServiceName[] = ['postgres', 'kafka', 'schema-registry', 'connect', 'flink', 'sql-gateway'];

export interface StackPaths {
  root: string;
  state: string;
  logs: string;
  conf: string;
  data: string;
  run: string;
}

export function stackPaths(root: string): StackPaths {
  return { root, state: join(root, 'state.json'), logs: join(root, 'logs'), conf: join(root, 'conf'), data: join(root, 'data'), run: join(root, 'run') };
}

export function logFile(paths: StackPaths, name: ProcessName): string {
  return join(paths.logs, `${name}.log`);
}

/** Everything a process needs to be started: resolved jars, JVMs, folders. */
export interface LaunchContext {
  config: LocalStackConfig;
  paths: StackPaths;
  flinkLine: FlinkLine;
  jars: {
    kafka: string;
    debezium: string;
    apicurio: string;
    flink: string;
    flinkLauncher: string;
    /** The pipec Flink runtime jar (targets/flink-sql/runtime), on Flink's class path. */
    flinkRuntime: string;
  };
  java: JavaHome;
  registryJava: JavaHome;
  postgresBin: string;
  /** Set when we run as root: PostgreSQL runs as this user. */
  postgresUser: { uid: number; gid: number } | undefined;
}

export interface HealthCheck {
  service: ServiceName;
  port: PortName;
  /** Resolves to undefined when healthy, else a short reason. */
  probe(): Promise<string | undefined>;
}

export interface ProcessDef {
  name: ProcessName;
  /** Ports the process binds; all must be free before it starts. */
  ports: PortName[];
  dependsOn: ProcessName[];
  /** How `down` asks it to stop first, and how long it may take before SIGKILL. */
  stopSignal: NodeJS.Signals;
  graceMs: number;
  /** Substring of the process's command line proving a pid is this process of this stack. */
  marker(paths: StackPaths): string;
  /** Writes configs, prepares data (format, initdb) and returns how to start it. */
  prepare(ctx: LaunchContext): Promise<StartSpec>;
  /** Runs once the health checks pass (e.g. set the registry's compatibility, create databases). */
  afterHealthy?(ctx: LaunchContext): Promise<void>;
  /** Extra check at `up` only, beyond the health checks (e.g. the Debezium plugins were loaded). */
  readyCheck?(config: LocalStackConfig): Promise<string | undefined>;
  checks(config: LocalStackConfig, paths: StackPaths): HealthCheck[];
}

/** JVM options shared by every service: the stack marker, and fast start-up over peak speed on 2 cores. */
export function jvmBase(name: ProcessName, paths: StackPaths, heapMb: number): string[] {
  return [
    `-Xms${Math.min(256, heapMb)}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseG1GC',
    '-XX:TieredStopAtLevel=1',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    jvmMarker(name, paths),
  ];
}

export function processMarker(name: ProcessName, paths: StackPaths): string {
  return `${name}@${paths.root}`;
}

/** The command-line marker of a JVM started by jvmBase. */
export function jvmMarker(name: ProcessName, paths: StackPaths): string {
  return `-Dpipec.local.process=${processMarker(name, paths)}`;
}

export async function httpProbe(url: string, accept: (status: number, body: string) => string | undefined = (s) => (s === 200 ? undefined : `HTTP ${s}`)): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return accept(res.status, await res.text());
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return cause ?? (e as Error).message;
  }
}

export const log4j2Console = `status = warn
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{ISO8601} %-5p %c{1.} - %m%n
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = console
logger.reflections.name = org.reflections
logger.reflections.level = ERROR
logger.yarn.name = org.apache.flink.client.cli.CliFrontend
logger.yarn.level = WARN
`;
