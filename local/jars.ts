/**
 * Jar sets from Maven Central, resolved by local/pom.xml into a per-version cache folder. Maven runs only when
 * the folder for that version is missing or its part of the pom changed (its fingerprint is in the marker file).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlinkLine } from './config.ts';
import { LocalStackError } from './errors.ts';
import { commandExists } from './proc.ts';
import { pomPath, readEngineVersions } from './versions.ts';

export type Component = 'kafka' | 'debezium' | 'apicurio' | 'flink-1.20' | 'flink-2.2';

export interface ResolveContext {
  cacheDir: string;
  logDir: string;
  mavenRepoLocal: string | undefined;
}

export interface ResolvedComponent {
  component: Component;
  dir: string;
  /** True when Maven did not have to run. */
  cached: boolean;
}

const MARKER = '.pipec-complete';
const launcherSource = fileURLToPath(new URL('./launcher/PipecFlinkLocal.java', import.meta.url));
/** The pipec Flink runtime (targets/flink-sql/runtime/README.md): its sources and service files. */
const runtimeMain = fileURLToPath(new URL('../targets/flink-sql/runtime/src/main/', import.meta.url));
export const RUNTIME_JAR_NAME = 'pipec-flink-runtime.jar';

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function componentFolderName(component: Component): string {
  const v = readEngineVersions();
  switch (component) {
    case 'kafka':
      return `kafka-${v.kafka}`;
    case 'debezium':
      return `debezium-${v.debezium}-jdbc-${v.debeziumJdbc}`;
    case 'apicurio':
      return `apicurio-${v.apicurio}`;
    case 'flink-1.20':
    case 'flink-2.2': {
      const f = v.flink[component === 'flink-1.20' ? '1.20' : '2.2'];
      return `flink-${f.flink}-kafka-${f.kafkaConnector}`;
    }
  }
}

export function flinkComponent(line: FlinkLine): Component {
  return line === '1.20' ? 'flink-1.20' : 'flink-2.2';
}

function mavenArgs(component: Component): string[] {
  switch (component) {
    case 'kafka':
      return ['-P', 'jars-kafka'];
    case 'debezium':
      return ['-P', 'jars-debezium'];
    case 'apicurio':
      return ['-P', 'jars-apicurio'];
    case 'flink-1.20':
      return ['-P', 'jars-flink', '-Dflink.line=1.20'];
    case 'flink-2.2':
      return ['-P', 'jars-flink', '-Dflink.line=2.2'];
  }
}

/** What a complete jar set must contain (a sanity check on Maven's output). */
function expectedEntries(component: Component): string[] {
  switch (component) {
    case 'kafka':
      return [`libs/kafka_2.13-${readEngineVersions().kafka}.jar`, `libs/connect-runtime-${readEngineVersions().kafka}.jar`];
    case 'debezium':
      return ['plugins/debezium-connector-postgres', 'plugins/debezium-connector-jdbc', 'plugins/apicurio-converter'];
    case 'apicurio':
      return ['quarkus-run.jar', 'lib'];
    case 'flink-1.20':
    case 'flink-2.2': {
      const v = readEngineVersions().flink[component === 'flink-1.20' ? '1.20' : '2.2'].flink;
      return [`lib/flink-runtime-${v}.jar`, `lib/flink-sql-gateway-${v}.jar`];
    }
  }
}

export function componentDir(ctx: ResolveContext, component: Component): string {
  return join(ctx.cacheDir, componentFolderName(component));
}

/**
 * What the jar set depends on besides the versions in its folder name: its profile in the pom, the managed
 * dependencies (Flink), and the values of the properties those use. Editing another component's profile
 * does not invalidate this one.
 */
export function componentFingerprint(component: Component, pom = readFileSync(pomPath, 'utf8')): string {
  const profileId = mavenArgs(component)[1] ?? '';
  const profiles = pom.split('<profile>').filter((p) => p.includes(`<id>${profileId}</id>`));
  const managed = component.startsWith('flink') ? (/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/.exec(pom)?.[0] ?? '') : '';
  const flinkProfile = component === 'flink-2.2' ? pom.split('<profile>').filter((p) => p.includes('<id>flink-2.2</id>')) : [];
  const text = [...profiles, managed, ...flinkProfile].join('\n');
  const props = [...new Set([...text.matchAll(/\$\{([\w.-]+)\}/g)].map((m) => m[1] ?? ''))].sort();
  const values = props.map((name) => `${name}=${new RegExp(`<${name.replace(/\./g, '\\.')}>([^<]*)</`).exec(pom)?.[1] ?? ''}`);
  return sha([text, ...values].join('\n'));
}

export function isResolved(ctx: ResolveContext, component: Component): boolean {
  const marker = join(componentDir(ctx, component), MARKER);
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === componentFingerprint(component);
}

/** Names the artifact Maven could not get, from its log. */
export function missingArtifact(mavenLog: string): string | undefined {
  const patterns = [
    /Could not (?:find|transfer) artifact (\S+)/,
    /following artifacts could not be resolved: ([^\s,]+?)(?::? Could|,|\s|$)/,
    /Failure to find (\S+)/,
    /Plugin (\S+) or one of its dependencies could not be resolved/,
  ];
  for (const p of patterns) {
    const m = p.exec(mavenLog);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

function run(cmd: string, args: string[], logFile: string, cwd: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const out = createWriteStream(logFile);
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.on('error', reject);
    child.on('close', (code) => out.end(() => resolvePromise(code ?? 1)));
  });
}

export async function resolveComponent(ctx: ResolveContext, component: Component): Promise<ResolvedComponent> {
  const dir = componentDir(ctx, component);
  if (isResolved(ctx, component)) return { component, dir, cached: true };
  if (!(await commandExists('mvn'))) {
    throw new LocalStackError('maven-missing', `Maven (mvn) is needed once to fetch the ${component} jars and is not on PATH`, 'install it (Debian: apt-get install -y maven) and run again');
  }
  mkdirSync(ctx.cacheDir, { recursive: true });
  mkdirSync(ctx.logDir, { recursive: true });
  // Resolve into a scratch folder and rename at the end, so a half-finished run never looks complete.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const logFile = join(ctx.logDir, `maven-${component}.log`);
  const args = ['-B', '-ntp', '-f', pomPath, ...mavenArgs(component), `-Dpipec.out=${partial}`, 'generate-resources'];
  if (ctx.mavenRepoLocal) args.push(`-Dmaven.repo.local=${ctx.mavenRepoLocal}`);
  const code = await run('mvn', args, logFile, ctx.cacheDir);
  if (code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    const artifact = missingArtifact(log);
    throw new LocalStackError(
      'maven-resolve',
      artifact ? `Maven cannot resolve ${artifact} (for ${component})` : `Maven failed to resolve the ${component} jars (exit ${code})`,
      `check the network to Maven Central and the version in local/pom.xml; Maven's log: ${logFile}`,
    );
  }
  const missing = expectedEntries(component).filter((e) => !existsSync(join(partial, e)));
  if (missing.length > 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new LocalStackError('maven-resolve', `Maven finished but the ${component} jar set lacks ${missing.join(', ')}`, `see Maven's log: ${logFile}`);
  }
  writeFileSync(join(partial, MARKER), `${componentFingerprint(component)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return { component, dir, cached: false };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Builds the pipec Flink runtime jar with javac and jar against the resolved Flink jars, once per content of its
 * sources; returns the jar's path. No Maven: the Flink jar set already holds everything it compiles against.
 */
export async function ensureFlinkRuntime(flinkDir: string, javaHome: string, logDir: string): Promise<string> {
  const files = filesUnder(runtimeMain);
  const out = join(flinkDir, `runtime-${sha(files.map((f) => `${relative(runtimeMain, f)}\n${readFileSync(f, 'utf8')}`).join('\n'))}`);
  const jar = join(out, RUNTIME_JAR_NAME);
  if (existsSync(join(out, MARKER))) return jar;
  const tool = (name: string): string => {
    const path = join(javaHome, 'bin', name);
    if (!existsSync(path)) throw new LocalStackError('java-missing', `no ${name} in ${javaHome} (a JDK is needed to build the pipec Flink runtime)`, 'install a JDK 17+ (Debian: apt-get install -y openjdk-17-jdk-headless) or set local.java_home');
    return path;
  };
  rmSync(out, { recursive: true, force: true });
  const classes = join(out, 'classes');
  mkdirSync(classes, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'javac-flink-runtime.log');
  const sources = files.filter((f) => f.endsWith('.java'));
  if ((await run(tool('javac'), ['--release', '17', '-d', classes, '-cp', `${join(flinkDir, 'lib')}/*`, ...sources], logFile, flinkDir)) !== 0) {
    throw new LocalStackError('process-exited', 'javac failed to compile the pipec Flink runtime', `see ${logFile}`);
  }
  const resources = join(runtimeMain, 'resources');
  if ((await run(tool('jar'), ['--create', '--file', jar, '-C', classes, '.', '-C', resources, '.'], join(logDir, 'jar-flink-runtime.log'), flinkDir)) !== 0) {
    throw new LocalStackError('process-exited', 'jar failed to package the pipec Flink runtime', `see ${join(logDir, 'jar-flink-runtime.log')}`);
  }
  writeFileSync(join(out, MARKER), 'ok\n');
  return jar;
}

/**
 * Compiles the Flink launcher (local/launcher/PipecFlinkLocal.java) against the resolved Flink jars, once per
 * source version; returns the classes folder.
 */
export async function ensureFlinkLauncher(flinkDir: string, javaHome: string, logDir: string): Promise<string> {
  const source = readFileSync(launcherSource, 'utf8');
  const out = join(flinkDir, `launcher-${sha(source)}`);
  if (existsSync(join(out, MARKER))) return out;
  const javac = join(javaHome, 'bin', 'javac');
  if (!existsSync(javac)) {
    throw new LocalStackError('java-missing', `no javac in ${javaHome} (a JDK is needed to build the Flink launcher)`, 'install a JDK 17+ (Debian: apt-get install -y openjdk-17-jdk-headless) or set local.java_home');
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'javac-flink-launcher.log');
  const code = await run(javac, ['-d', out, '-cp', `${join(flinkDir, 'lib')}/*`, launcherSource], logFile, flinkDir);
  if (code !== 0) {
    throw new LocalStackError('process-exited', `javac failed to compile the Flink launcher (exit ${code})`, `see ${logFile}`);
  }
  writeFileSync(join(out, MARKER), 'ok\n');
  return out;
}
