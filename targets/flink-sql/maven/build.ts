/**
 * Building a Flink JVM project (the planner harness, `pipec test`'s runner) for one Flink line: Maven resolves the jar set (dependency:build-classpath, so only the
 * dependency plugin is fetched besides the jars) and javac compiles src/main/java against it into a cache
 * folder under target/. Skipped when the pom, the sources, the Maven properties and the JDK are unchanged and
 * every jar is still in the local Maven repository.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { PlannerHarnessError } from './errors.ts';
import { flinkMavenProperties, type FlinkLine } from '../../../stdlib/flink-lines.ts';

/** A Maven project taking a Flink line's Maven properties, with src/main/java. */
export interface MavenProject {
  readonly dir: string;
  /** What it is called in progress lines and build errors ("planner harness"). */
  readonly name: string;
  /** Java files of another folder compiled with it (classes the project shares with the pipec runtime). */
  readonly extraSources?: readonly string[];
}

export interface BuildOptions {
  /** A JDK 17+ folder (with bin/java and bin/javac); default: JAVA_HOME, else java on PATH. */
  javaHome?: string | undefined;
  /** The Maven executable; default `mvn` on PATH. */
  mvn?: string | undefined;
  /** Overrides of the line's Maven properties (-Dk=v), e.g. { 'flink.version': '1.20.1' } to try another patch release. */
  mavenProperties?: Readonly<Record<string, string>> | undefined;
  /** Where builds are cached; default target/ beside the pom (git-ignored). */
  cacheDir?: string | undefined;
  /** Called with progress lines ("resolving jars for Flink 1.20 with Maven…"). */
  log?: ((line: string) => void) | undefined;
}

export interface HarnessBuild {
  line: FlinkLine;
  java: string;
  /** The JVM class path: the compiled harness first, then the resolved jars. */
  classpath: string[];
  /** Whether this call built (false: the cache was up to date). */
  built: boolean;
  buildMs: number;
}

interface Stamp {
  key: string;
  jars: string[];
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the executable could not be started (ENOENT and the like). */
  spawnError?: NodeJS.ErrnoException | undefined;
}

export function runTool(cmd: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ToolRun> {
  return new Promise((resolvePromise) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(cmd, [...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30 * 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolvePromise({ code: null, stdout, stderr, spawnError: e });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export interface Jdk {
  java: string;
  javac: string;
  /** `java -version` output, part of the build stamp. */
  version: string;
  major: number;
}

const jdks = new Map<string, Promise<Jdk>>();

/** Finds a JDK 17+ (java and javac), or throws a 'java-missing' error that says what was found. Cached per process. */
export function findJdk(javaHome: string | undefined): Promise<Jdk> {
  const key = javaHome ?? process.env['JAVA_HOME'] ?? '';
  let found = jdks.get(key);
  if (!found) {
    found = probeJdk(javaHome);
    found.catch(() => jdks.delete(key));
    jdks.set(key, found);
  }
  return found;
}

async function probeJdk(javaHome: string | undefined): Promise<Jdk> {
  const home = javaHome ?? process.env['JAVA_HOME'];
  const java = home ? join(home, 'bin', 'java') : 'java';
  const javac = home ? join(home, 'bin', 'javac') : 'javac';
  const where = home ? `in ${home}/bin` : 'on PATH';
  const hint = 'install a JDK 17+ (Debian: apt-get install -y openjdk-17-jdk-headless), or pass javaHome / set JAVA_HOME';
  const v = await runTool(java, ['-version'], { timeoutMs: 60_000 });
  if (v.spawnError || v.code !== 0) {
    throw new PlannerHarnessError('java-missing', `running Flink needs Java 17+, and no java was found ${where}`, hint, v.stderr);
  }
  const version = (v.stderr + v.stdout).trim();
  const m = /version "(\d+)(?:\.(\d+))?/.exec(version);
  const first = Number(m?.[1] ?? 0);
  const major = first === 1 ? Number(m?.[2] ?? 0) : first;
  if (major < 17) {
    throw new PlannerHarnessError('java-missing', `running Flink needs Java 17+, but ${java} is Java ${major}`, hint, version);
  }
  const c = await runTool(javac, ['-version'], { timeoutMs: 60_000 });
  if (c.spawnError || c.code !== 0) {
    throw new PlannerHarnessError('java-missing', `pipec compiles the Java source of its Flink harnesses, and no javac was found ${where} (a JRE is not enough)`, hint, c.stderr);
  }
  return { java, javac, version, major };
}

function sourceFiles(projectDir: string): string[] {
  const root = join(projectDir, 'src', 'main', 'java');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.java')) out.push(p);
    }
  };
  walk(root);
  return out;
}

function resourceFiles(projectDir: string): string[] {
  const root = join(projectDir, 'src', 'main', 'resources');
  return existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort() : [];
}

/** Every Java file the build compiles. */
const javaFiles = (project: MavenProject): string[] => [...sourceFiles(project.dir), ...(project.extraSources ?? [])];

function buildKey(line: FlinkLine, jdk: Jdk, props: Readonly<Record<string, string>>, project: MavenProject): string {
  const h = createHash('sha256');
  h.update(`line=${line}\njdk=${jdk.version}\n`);
  for (const [k, v] of Object.entries(props).sort(([a], [b]) => a.localeCompare(b))) h.update(`-D${k}=${v}\n`);
  h.update(readFileSync(join(project.dir, 'pom.xml')));
  for (const f of [...javaFiles(project), ...resourceFiles(project.dir)]) {
    h.update(relative(project.dir, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

function readStamp(file: string): Stamp | undefined {
  try {
    const s: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof s === 'object' && s !== null && 'key' in s && 'jars' in s && typeof s.key === 'string' && Array.isArray(s.jars)) {
      return { key: s.key, jars: s.jars.filter((j): j is string => typeof j === 'string') };
    }
  } catch {
    // no stamp or a broken one: rebuild
  }
  return undefined;
}

/**
 * Names the artifact in a Maven resolution failure, e.g. "org.apache.flink:flink-json:jar:9.9.9", from Maven's
 * own [ERROR] lines; undefined when the output names none.
 */
export function unresolvedArtifact(mavenOutput: string): string | undefined {
  const coordinate = String.raw`([A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+){1,3})`;
  const patterns = [
    new RegExp(String.raw`Could not find artifact ${coordinate}`),
    new RegExp(String.raw`Failure to find ${coordinate}`),
    new RegExp(String.raw`artifacts could not be resolved: ${coordinate}`),
    new RegExp(String.raw`Failed to read artifact descriptor for ${coordinate}`),
    new RegExp(String.raw`Could not transfer artifact ${coordinate}`),
    new RegExp(String.raw`Plugin ${coordinate} or one of its dependencies could not be resolved`),
    new RegExp(String.raw`Failed to collect dependencies at ${coordinate}`),
    // a failure Maven cached from an earlier attempt
    new RegExp(String.raw`${coordinate} was (?:not found|cached) in`),
  ];
  const plain = mavenOutput.replace(/\u001b\[[0-9;]*m/g, '');
  for (const p of patterns) {
    const m = p.exec(plain);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

function tail(s: string, max = 4000): string {
  return s.length <= max ? s : `…${s.slice(s.length - max)}`;
}

/** Builds (or reuses) a project for one Flink line. */
export async function buildMavenProject(line: FlinkLine, project: MavenProject, options: BuildOptions = {}): Promise<HarnessBuild> {
  const started = Date.now();
  const jdk = await findJdk(options.javaHome);
  const props = { ...flinkMavenProperties(line), ...options.mavenProperties };
  const projectDir = project.dir;
  const name = project.name;
  const key = buildKey(line, jdk, props, project);
  const cacheRoot = options.cacheDir ?? join(projectDir, 'target');
  const dir = join(cacheRoot, `flink-${line}`);
  const classes = join(dir, 'classes');
  const stampFile = join(dir, 'stamp.json');
  const stamp = readStamp(stampFile);
  if (stamp && stamp.key === key && existsSync(classes) && stamp.jars.every((j) => existsSync(j))) {
    return { line, java: jdk.java, classpath: [classes, ...stamp.jars], built: false, buildMs: Date.now() - started };
  }

  mkdirSync(cacheRoot, { recursive: true });
  const work = join(cacheRoot, `.flink-${line}-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    // 1. Resolve the jar set.
    const mvn = options.mvn ?? 'mvn';
    const cpFile = join(work, 'classpath.txt');
    const args = ['-B', '-q', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`, `-Dmdep.pathSeparator=${delimiter}`];
    for (const [k, v] of Object.entries(props)) args.push(`-D${k}=${v}`);
    options.log?.(`resolving the Flink ${line} jar set with Maven (slow the first time)…`);
    const r = await runTool(mvn, args, { cwd: projectDir, timeoutMs: 45 * 60_000 });
    if (r.spawnError) {
      throw new PlannerHarnessError(
        'maven-missing',
        `the Flink ${name} resolves Flink's jars with Maven, and ${mvn} could not be started (${r.spawnError.code ?? r.spawnError.message})`,
        'install Maven 3.8+ (Debian: apt-get install -y maven) or pass the mvn option',
      );
    }
    const out = r.stdout + r.stderr;
    if (r.code !== 0 || !existsSync(cpFile)) {
      const artifact = unresolvedArtifact(out);
      throw new PlannerHarnessError(
        'maven-resolve',
        artifact
          ? `Maven could not resolve ${artifact} for the Flink ${line} ${name}`
          : `Maven failed to resolve the Flink ${line} ${name}'s jars (exit ${String(r.code)})`,
        `check that Flink ${line}'s versions in stdlib/flink-lines.ts are on Maven Central, and that Maven Central is reachable`,
        tail(out),
      );
    }
    const jars = readFileSync(cpFile, 'utf8').trim().split(delimiter).filter((j) => j.length > 0);

    // 2. Compile the harness against it.
    options.log?.(`compiling the Flink ${line} ${name}…`);
    const workClasses = join(work, 'classes');
    mkdirSync(workClasses, { recursive: true });
    const c = await runTool(jdk.javac, ['--release', '17', '-nowarn', '-encoding', 'UTF-8', '-d', workClasses, '-cp', jars.join(delimiter), ...javaFiles(project)], { timeoutMs: 10 * 60_000 });
    if (c.spawnError || c.code !== 0) {
      throw new PlannerHarnessError('javac', `javac failed on the Flink ${line} ${name}`, 'the harness source must compile against both Flink lines', tail(c.stdout + c.stderr));
    }
    // Service registrations (META-INF/services) beside the classes, where the JVM's ServiceLoader finds them.
    const resources = join(projectDir, 'src', 'main', 'resources');
    if (existsSync(resources)) cpSync(resources, workClasses, { recursive: true });
    writeFileSync(join(work, 'stamp.json'), JSON.stringify({ key, jars } satisfies Stamp, null, 2));

    // 3. Swap it in.
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(work, dir);
    } catch (e) {
      // another process built the same thing at the same time: use its build if it is complete
      const other = readStamp(stampFile);
      if (!other || other.key !== key) throw e;
    }
    return { line, java: jdk.java, classpath: [classes, ...jars], built: true, buildMs: Date.now() - started };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
