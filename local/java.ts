/**
 * Finding the JVMs: Kafka 4.x, Connect and Flink need Java 17+; Apicurio Registry 3.3 is compiled for Java 21
 * (class file 65), so the registry gets the newest JDK 21+ on the machine.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalStackError } from './errors.ts';
import { execText } from './proc.ts';

export interface JavaHome {
  home: string;
  java: string;
  major: number;
}

async function majorOf(java: string): Promise<number | undefined> {
  const r = await execText(java, ['-version'], { timeoutMs: 20_000 });
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr + r.stdout);
  if (!m?.[1]) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

async function fromHome(home: string): Promise<JavaHome | undefined> {
  const java = join(home, 'bin', 'java');
  if (!existsSync(java)) return undefined;
  const major = await majorOf(java);
  return major === undefined ? undefined : { home, java, major };
}

async function onPath(): Promise<JavaHome | undefined> {
  const r = await execText('sh', ['-c', 'command -v java']);
  const path = r.stdout.trim();
  if (r.code !== 0 || !path) return undefined;
  return fromHome(dirname(dirname(realpathSync(path))));
}

async function installed(): Promise<JavaHome[]> {
  const root = '/usr/lib/jvm';
  if (!existsSync(root)) return [];
  const found: JavaHome[] = [];
  for (const name of readdirSync(root)) {
    const j = await fromHome(join(root, name));
    if (j) found.push(j);
  }
  return found.sort((a, b) => b.major - a.major);
}

export async function findJava(configured: string | undefined, minMajor: number, forWhat: string): Promise<JavaHome> {
  const candidates: (JavaHome | undefined)[] = [];
  if (configured) {
    const j = await fromHome(configured);
    if (!j) throw new LocalStackError('java-missing', `no java in ${configured} (configured for ${forWhat})`, `point the setting at a JDK ${minMajor}+ folder (the one with bin/java)`);
    candidates.push(j);
  } else {
    const env = process.env['JAVA_HOME'];
    if (env) candidates.push(await fromHome(env));
    candidates.push(await onPath());
    candidates.push(...(await installed()));
  }
  const ok = candidates.find((j): j is JavaHome => j !== undefined && j.major >= minMajor);
  if (ok) return ok;
  const seen = candidates.filter((j): j is JavaHome => j !== undefined).map((j) => `${j.home} (Java ${j.major})`);
  throw new LocalStackError(
    'java-missing',
    `${forWhat} needs Java ${minMajor}+; ${seen.length > 0 ? `found only ${seen.join(', ')}` : 'no Java was found'}`,
    `install a JDK ${minMajor}+ (Debian: apt-get install -y openjdk-${minMajor}-jdk-headless) or set ${configured ? 'a different folder' : 'JAVA_HOME / local.java_home'}`,
  );
}
