/**
 * `pipec local`: the real streaming stack as local JVM processes (no Docker). Programmatic API for the CLI
 * and the integration tests: up, down, status, logs.
 *
 * Everything the stack writes lives under one folder (default .pipec/local): logs/, conf/, data/, run/ and
 * state.json with the pids it started. Jars come from Maven Central through local/pom.xml and are cached per
 * version outside the project (default ~/.cache/pipec/local).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalStackConfig, LocalStackConfigInput, PortName } from '../compiler/config/local-stack.ts';
import { defaultCacheDir, parseLocalStackConfig, resolveFrom } from './config.ts';
import type { LocalEndpoints } from './endpoints.ts';
import { endpointsFor } from './endpoints.ts';
import { LocalStackError } from './errors.ts';
import type { Component, ResolveContext } from './jars.ts';
import { ensureFlinkLauncher, ensureFlinkRuntime, flinkComponent, resolveComponent } from './jars.ts';
import { findJava } from './java.ts';
import { execText, isOurs, memAvailableMb, portFree, portHolder, rssMb, sleep, startDetached, stopPid, tail } from './proc.ts';
import { connect } from './services/connect.ts';
import { flink } from './services/flink.ts';
import { kafka } from './services/kafka.ts';
import { postgres, postgresBinDir, postgresRoot } from './services/postgres.ts';
import { schemaRegistry } from './services/schema-registry.ts';
import type { HealthCheck, LaunchContext, ProcessDef, ProcessName, ServiceName, StackPaths } from './services/types.ts';
import { logFile, processNames, serviceNames, stackPaths } from './services/types.ts';
import type { StackState } from './state.ts';
import { readState, removeState, writeState } from './state.ts';
import { readEngineVersions } from './versions.ts';
import { FLINK_LINES, type FlinkLine } from '../stdlib/flink-lines.ts';

export { LocalStackError, isLocalStackError } from './errors.ts';
export type { LocalStackErrorKind } from './errors.ts';
export { loadLocalConfigFile } from './config.ts';
export { localStackConfigSchema } from '../compiler/config/local-stack.ts';
export type { LocalStackConfig, LocalStackConfigInput } from '../compiler/config/local-stack.ts';
export type { FlinkLine } from '../stdlib/flink-lines.ts';
export type { LocalEndpoints } from './endpoints.ts';
export type { ProcessName, ServiceName } from './services/types.ts';

export interface LocalStackOptions {
  /** The `local:` section of pipec.yaml (raw or parsed); defaults apply to what is left out. */
  config?: LocalStackConfigInput;
  /** Relative paths in the config resolve against this folder (default: the current directory). */
  projectDir?: string;
  /** Overrides config.flink for this `up`. */
  flink?: FlinkLine;
}

export type Health = 'healthy' | 'unhealthy' | 'crashed' | 'stopped';

export interface ServiceStatus {
  service: ServiceName;
  process: ProcessName;
  pid: number | undefined;
  port: number;
  health: Health;
  /** Resident memory of the process in MiB (shared by flink and sql-gateway, which are one JVM). */
  rssMb: number | undefined;
  /** Why it is not healthy, or a hint. */
  detail: string | undefined;
}

export type UpProgress =
  | { kind: 'resolving'; component: Component }
  | { kind: 'resolved'; component: Component; cached: boolean; ms: number }
  | { kind: 'starting'; process: ProcessName; pid: number }
  | { kind: 'waiting'; service: ServiceName; reason: string; elapsedMs: number }
  | { kind: 'healthy'; service: ServiceName; elapsedMs: number }
  | { kind: 'running'; processes: ProcessName[] };

export interface UpResult {
  /** True when every service was already running and healthy: nothing was started. */
  alreadyRunning: boolean;
  flink: FlinkLine;
  flinkVersion: string;
  dir: string;
  services: ServiceStatus[];
  endpoints: LocalEndpoints;
  elapsedMs: number;
}

export interface DownResult {
  dir: string;
  stopped: { process: ProcessName; pid: number; how: 'stopped' | 'killed' | 'not-running' }[];
}

export interface StatusResult {
  dir: string;
  /** False when there is no state file (never started, or stopped with `down`). */
  running: boolean;
  flink: FlinkLine | undefined;
  services: ServiceStatus[];
  endpoints: LocalEndpoints | undefined;
}

export interface LogsResult {
  service: ServiceName;
  file: string;
  text: string;
}

const defs: Record<ProcessName, ProcessDef> = { postgres, kafka, 'schema-registry': schemaRegistry, connect, flink };

export function processOf(service: ServiceName): ProcessName {
  return service === 'sql-gateway' ? 'flink' : service;
}

interface Resolved {
  config: LocalStackConfig;
  paths: StackPaths;
  cacheDir: string;
}

function resolveOptions(options: LocalStackOptions): Resolved {
  const config = parseLocalStackConfig(options.config ?? {});
  const base = options.projectDir ?? process.cwd();
  return { config, paths: stackPaths(resolveFrom(base, config.dir)), cacheDir: config.cache_dir ? resolveFrom(base, config.cache_dir) : defaultCacheDir() };
}

function portOf(config: LocalStackConfig, name: PortName): number {
  return config.ports[name];
}

async function probeProcess(def: ProcessDef, r: Resolved): Promise<{ check: HealthCheck; reason: string | undefined }[]> {
  return Promise.all(def.checks(r.config, r.paths).map(async (check) => ({ check, reason: await check.probe() })));
}

function lastLogLine(paths: StackPaths, name: ProcessName): string {
  return tail(logFile(paths, name), 1).trim().slice(0, 200);
}

async function collectStatus(r: Resolved, state: StackState | undefined): Promise<ServiceStatus[]> {
  const out: ServiceStatus[] = [];
  for (const name of processNames) {
    const def = defs[name];
    const entry = state?.processes[name];
    const checks = def.checks(r.config, r.paths);
    if (!entry) {
      for (const c of checks) out.push({ service: c.service, process: name, pid: undefined, port: portOf(r.config, c.port), health: 'stopped', rssMb: undefined, detail: undefined });
      continue;
    }
    if (!isOurs(entry.pid, entry.marker)) {
      const last = lastLogLine(r.paths, name);
      for (const c of checks) {
        out.push({ service: c.service, process: name, pid: entry.pid, port: portOf(r.config, c.port), health: 'crashed', rssMb: undefined, detail: `process ${entry.pid} is gone; see \`pipec local logs ${c.service}\`${last ? ` (last line: ${last})` : ''}` });
      }
      continue;
    }
    const rss = rssMb(entry.pid);
    for (const { check, reason } of await probeProcess(def, r)) {
      out.push({ service: check.service, process: name, pid: entry.pid, port: portOf(r.config, check.port), health: reason === undefined ? 'healthy' : 'unhealthy', rssMb: rss, detail: reason });
    }
  }
  return out.sort((a, b) => serviceNames.indexOf(a.service) - serviceNames.indexOf(b.service));
}

/** Memory a process needs beyond its heap (metaspace, code cache, threads, direct buffers), in MiB. */
function footprintMb(name: ProcessName, config: LocalStackConfig): number {
  const m = config.memory_mb;
  switch (name) {
    case 'postgres':
      return m.postgres_shared_buffers + 100;
    case 'kafka':
      return m.kafka + 250;
    case 'connect':
      return m.connect + 300;
    case 'schema-registry':
      return m.schema_registry + 250;
    case 'flink':
      // Managed (128m) and network (64m) memory live off-heap in the MiniCluster.
      return m.flink + 192 + 350;
  }
}

async function postgresInstall(config: LocalStackConfig): Promise<{ bin: string; user: { uid: number; gid: number } | undefined }> {
  let bin = postgresBinDir(config);
  if (!bin) {
    const r = await execText('pg_config', ['--bindir']);
    const candidate = r.stdout.trim();
    if (r.code === 0 && existsSync(join(candidate, 'initdb'))) bin = candidate;
  }
  if (!bin || !existsSync(join(bin, 'postgres'))) {
    throw new LocalStackError('postgres-missing', 'no PostgreSQL server found (initdb and postgres)', 'install it (Debian: apt-get install -y postgresql) or set local.postgres.bin_dir; pipec runs its own cluster, not the system service');
  }
  if (process.getuid?.() !== 0) return { bin, user: undefined };
  // initdb and postgres refuse to run as root.
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { bin, user: { uid, gid } };
  } catch {
    throw new LocalStackError('postgres-missing', 'running as root, and there is no `postgres` user to run PostgreSQL as (it refuses root)', 'create one (useradd --system --home /var/lib/postgresql postgres) or run pipec as a normal user');
  }
}

function rotateLog(file: string): void {
  if (existsSync(file)) renameSync(file, `${file}.1`);
}

async function stopProcesses(state: StackState, only?: ReadonlySet<ProcessName>): Promise<DownResult['stopped']> {
  const stopped: DownResult['stopped'] = [];
  // Connect first (it commits offsets to Kafka), PostgreSQL last (Debezium holds replication connections).
  const waves: ProcessName[][] = [['connect'], ['flink', 'schema-registry'], ['kafka'], ['postgres']];
  for (const wave of waves) {
    await Promise.all(
      wave.map(async (name) => {
        const entry = state.processes[name];
        if (!entry || (only && !only.has(name))) return;
        const def = defs[name];
        // Never signal a pid that no longer runs our command: after a crash the pid may be someone else's.
        const how = isOurs(entry.pid, entry.marker) ? await stopPid(entry.pid, def.graceMs, def.stopSignal) : 'not-running';
        stopped.push({ process: name, pid: entry.pid, how });
      }),
    );
  }
  return stopped;
}

/** How long `down` waits for the ports of the processes it stopped to be released. */
const PORT_RELEASE_MS = 15_000;

async function waitPortFree(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await portFree(port))) {
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
  return true;
}

function cleanData(paths: StackPaths): void {
  rmSync(paths.data, { recursive: true, force: true });
  rmSync(paths.run, { recursive: true, force: true });
  const pg = postgresRoot(paths);
  if (pg) rmSync(pg, { recursive: true, force: true });
}

export async function up(options: LocalStackOptions = {}, onProgress: (p: UpProgress) => void = () => {}): Promise<UpResult> {
  const t0 = Date.now();
  const r = resolveOptions(options);
  const { config, paths } = r;
  let state = readState(paths.state);
  const alive = new Set<ProcessName>(processNames.filter((n) => state?.processes[n] && isOurs(state.processes[n].pid, state.processes[n].marker)));
  // A running stack keeps its Flink line unless one is asked for explicitly.
  const running = state && alive.size > 0 ? state.flink : undefined;
  const flinkLine = options.flink ?? running ?? config.flink;
  if (running && running !== flinkLine) {
    throw new LocalStackError('stack-mismatch', `the stack in ${paths.root} runs Flink ${running}, not ${flinkLine}`, 'run `pipec local down` first to switch the Flink line');
  }
  const versions = readEngineVersions();
  const flinkVersion = FLINK_LINES[flinkLine].release;
  const endpoints = endpointsFor(config, paths, flinkLine);
  if (state && alive.size === processNames.length) {
    const services = await collectStatus(r, state);
    if (services.every((s) => s.health === 'healthy')) {
      onProgress({ kind: 'running', processes: [...alive] });
      return { alreadyRunning: true, flink: state.flink, flinkVersion: state.flinkVersion, dir: paths.root, services, endpoints, elapsedMs: Date.now() - t0 };
    }
  }
  const toStart = processNames.filter((n) => !alive.has(n));

  // Fail fast, before downloading anything: memory, ports, Java, PostgreSQL.
  const needMb = toStart.reduce((sum, n) => sum + footprintMb(n, config), 0);
  const availMb = memAvailableMb();
  if (availMb !== undefined && availMb < needMb) {
    throw new LocalStackError('memory', `the stack needs about ${needMb} MiB and only ${availMb} MiB are available`, 'stop other programs or lower local.memory_mb in pipec.yaml (see docs/local-stack.md)');
  }
  for (const name of toStart) {
    for (const p of defs[name].ports) {
      const port = portOf(config, p);
      // A moment's grace for a process stopped just before (by `down`, or by the user).
      if (!(await waitPortFree(port, 5_000))) {
        const holder = await portHolder(port);
        throw new LocalStackError('port-taken', `port ${port} (${name}, local.ports.${p}) is taken${holder ? ` by ${holder}` : ''}`, `stop that process, or pick another port: local.ports.${p} in pipec.yaml`);
      }
    }
  }
  const java = await findJava(config.java_home, 17, 'Kafka, Connect and Flink');
  const registryJava = await findJava(config.registry_java_home, 21, `Apicurio Registry ${versions.apicurio}`);
  const pg = await postgresInstall(config);

  mkdirSync(paths.logs, { recursive: true });
  const rctx: ResolveContext = { cacheDir: r.cacheDir, logDir: paths.logs, mavenRepoLocal: config.maven_repo_local ? resolveFrom(options.projectDir ?? process.cwd(), config.maven_repo_local) : undefined };
  const jarDirs: Partial<Record<Component, string>> = {};
  for (const component of ['kafka', 'debezium', 'apicurio', flinkComponent(flinkLine)] as const) {
    const tc = Date.now();
    onProgress({ kind: 'resolving', component });
    const res = await resolveComponent(rctx, component);
    jarDirs[component] = res.dir;
    onProgress({ kind: 'resolved', component, cached: res.cached, ms: Date.now() - tc });
  }
  const flinkDir = jarDirs[flinkComponent(flinkLine)] ?? '';
  const ctx: LaunchContext = {
    config,
    paths,
    flinkLine,
    jars: {
      kafka: jarDirs.kafka ?? '',
      debezium: jarDirs.debezium ?? '',
      apicurio: jarDirs.apicurio ?? '',
      flink: flinkDir,
      flinkLauncher: await ensureFlinkLauncher(flinkDir, java.home, paths.logs),
      flinkRuntime: await ensureFlinkRuntime(flinkDir, java.home, paths.logs),
    },
    java,
    registryJava,
    postgresBin: pg.bin,
    postgresUser: pg.user,
  };

  if (alive.size === 0) {
    // A fresh start: data from a stack that crashed or was killed would be inconsistent (the registry keeps
    // schemas in memory), so start clean.
    cleanData(paths);
    state = undefined;
  }
  state = state ?? { version: 1, flink: flinkLine, flinkVersion, startedAt: new Date().toISOString(), processes: {} };
  for (const n of toStart) delete state.processes[n];
  writeState(paths.state, state);
  mkdirSync(paths.run, { recursive: true });

  const started = new Set<ProcessName>();
  const healthy = new Set<ProcessName>(alive);
  const deadline = t0 + config.start_timeout_s * 1000;
  try {
    const launch = async (name: ProcessName): Promise<void> => {
      const def = defs[name];
      rotateLog(logFile(paths, name));
      const spec = await def.prepare(ctx);
      const pid = startDetached(spec);
      started.add(name);
      const current = state;
      if (current) {
        current.processes[name] = { pid, marker: def.marker(paths), startedAt: new Date().toISOString() };
        writeState(paths.state, current);
      }
      onProgress({ kind: 'starting', process: name, pid });
    };
    const lastReport = new Map<ServiceName, number>();
    while (healthy.size < processNames.length) {
      // Start whatever has its dependencies healthy (independent services start together).
      // (Preparing, e.g. Kafka's storage format or initdb, also runs in parallel.)
      // allSettled: when one fails, the others must have finished starting before we stop them.
      const launches = await Promise.allSettled(toStart.filter((name) => !started.has(name) && defs[name].dependsOn.every((d) => healthy.has(d))).map(launch));
      const failed = launches.find((l): l is PromiseRejectedResult => l.status === 'rejected');
      if (failed) throw failed.reason;
      for (const name of [...started]) {
        if (healthy.has(name)) continue;
        const entry = state.processes[name];
        if (!entry) continue;
        if (!isOurs(entry.pid, entry.marker)) {
          const log = logFile(paths, name);
          throw new LocalStackError('process-exited', `${name} exited during start-up. Last lines of ${log}:\n${tail(log, 15)}`, `see \`pipec local logs ${name}\``);
        }
        const results = await probeProcess(defs[name], r);
        let pending: { service: ServiceName; reason: string } | undefined;
        for (const x of results) if (x.reason !== undefined && !pending) pending = { service: x.check.service, reason: x.reason };
        if (!pending) {
          const extra = await defs[name].readyCheck?.(config);
          if (extra !== undefined) pending = { service: results[0]?.check.service ?? name, reason: extra };
        }
        if (!pending) {
          await defs[name].afterHealthy?.(ctx);
          healthy.add(name);
          for (const x of results) onProgress({ kind: 'healthy', service: x.check.service, elapsedMs: Date.now() - t0 });
          continue;
        }
        if (Date.now() - (lastReport.get(pending.service) ?? t0) > 10_000) {
          lastReport.set(pending.service, Date.now());
          onProgress({ kind: 'waiting', service: pending.service, reason: pending.reason, elapsedMs: Date.now() - t0 });
        }
      }
      if (healthy.size === processNames.length) break;
      if (Date.now() > deadline) {
        const waiting = processNames.filter((n) => !healthy.has(n));
        throw new LocalStackError('health-timeout', `not healthy after ${config.start_timeout_s} s: ${waiting.join(', ')}`, `see \`pipec local logs ${waiting[0] ?? ''}\`; on a slow machine raise local.start_timeout_s`);
      }
      await sleep(1000);
    }
  } catch (e) {
    // Leave nothing half-started behind: stop exactly what this call started.
    await stopProcesses(state, started);
    if (alive.size === 0) {
      removeState(paths.state);
      cleanData(paths);
    } else {
      for (const n of started) delete state.processes[n];
      writeState(paths.state, state);
    }
    throw e;
  }
  const services = await collectStatus(r, state);
  return { alreadyRunning: false, flink: flinkLine, flinkVersion, dir: paths.root, services, endpoints, elapsedMs: Date.now() - t0 };
}

export async function down(options: LocalStackOptions = {}): Promise<DownResult> {
  const r = resolveOptions(options);
  const state = readState(r.paths.state);
  if (!state) return { dir: r.paths.root, stopped: [] };
  const stopped = await stopProcesses(state);
  // A process is gone before the kernel has closed all its sockets: `down && up` must find the ports free.
  const ended = stopped.filter((x) => x.how !== 'not-running').map((x) => x.process);
  await Promise.all(ended.flatMap((n) => defs[n].ports.map((p) => waitPortFree(portOf(r.config, p), PORT_RELEASE_MS))));
  removeState(r.paths.state);
  cleanData(r.paths);
  return { dir: r.paths.root, stopped };
}

export async function status(options: LocalStackOptions = {}): Promise<StatusResult> {
  const r = resolveOptions(options);
  const state = readState(r.paths.state);
  const services = await collectStatus(r, state);
  return { dir: r.paths.root, running: state !== undefined, flink: state?.flink, services, endpoints: state ? endpointsFor(r.config, r.paths, state.flink) : undefined };
}

export function logs(options: LocalStackOptions, service: ServiceName, lines = 200): LogsResult {
  const r = resolveOptions(options);
  const file = logFile(r.paths, processOf(service));
  if (!existsSync(file)) {
    throw new LocalStackError('not-running', `no log for ${service} in ${r.paths.logs}`, 'start the stack with `pipec local up`');
  }
  return { service, file, text: tail(file, lines) };
}

/** The endpoints of the stack described by these options (whether or not it runs). */
export function endpoints(options: LocalStackOptions = {}): LocalEndpoints {
  const r = resolveOptions(options);
  const state = readState(r.paths.state);
  return endpointsFor(r.config, r.paths, state?.flink ?? options.flink ?? r.config.flink);
}
