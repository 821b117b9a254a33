/**
 * The class path a planner run needs for jobs that use the pipec Flink runtime (targets/flink-sql/runtime/: its
 * `pipec-guard` format, `PIPEC_RAISE_ERROR`): the runtime jar, built as the local stack builds it (local/jars.ts:
 * javac against the line's Flink jar set in the local cache), and flink-connector-files, which a Flink
 * distribution has in lib/ and the planner harness lacks — the guard looks at every format factory on the class
 * path, and flink-csv's implements one of that jar's interfaces.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '../../local/config.ts';
import { ensureFlinkRuntime, flinkComponent, resolveComponent } from '../../local/jars.ts';
import { findJava } from '../../local/java.ts';

export async function runtimeClasspath(line: '1.20' | '2.2'): Promise<string[]> {
  const logDir = mkdtempSync(join(tmpdir(), 'pipec-runtime-jar-'));
  const flink = await resolveComponent({ cacheDir: defaultCacheDir(), logDir, mavenRepoLocal: undefined }, flinkComponent(line));
  const java = await findJava(undefined, 17, 'the pipec Flink runtime');
  const files = readdirSync(join(flink.dir, 'lib')).filter((f) => f.startsWith('flink-connector-files-')).map((f) => join(flink.dir, 'lib', f));
  return [await ensureFlinkRuntime(flink.dir, java.home, logDir), ...files];
}
