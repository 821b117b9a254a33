/**
 * The harness fails clearly when it cannot run: no Java, no Maven, or a jar Maven cannot resolve (named in the
 * message). A rejected job is never such an error (see planner.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildPlannerHarness,
  checkWithFlinkPlanner,
  isPlannerHarnessError,
  unresolvedArtifact,
  type PlannerHarnessErrorKind,
} from '../../planner-check/index.ts';

const fixture = join(import.meta.dirname, 'fixtures', 'ok-exactly-once.sql');
const scratch = mkdtempSync(join(tmpdir(), 'pipec-harness-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function failure(p: Promise<unknown>): Promise<{ kind: PlannerHarnessErrorKind; message: string; hint: string; detail: string }> {
  try {
    await p;
  } catch (e) {
    if (isPlannerHarnessError(e)) return { kind: e.kind, message: e.message, hint: e.hint, detail: e.detail };
    throw e;
  }
  throw new Error('expected a PlannerHarnessError');
}

describe('harness errors', () => {
  it('says so when there is no Java', async () => {
    const e = await failure(checkWithFlinkPlanner([fixture], '1.20', { javaHome: join(scratch, 'no-jdk') }));
    expect(e.kind).toBe('java-missing');
    expect(e.message).toMatch(/needs Java 17\+, and no java was found in .*no-jdk\/bin/);
    expect(e.hint).toMatch(/install a JDK 17\+/);
  });

  it('says so when there is no Maven', async () => {
    const e = await failure(checkWithFlinkPlanner([fixture], '1.20', { mvn: join(scratch, 'no-maven', 'mvn'), cacheDir: join(scratch, 'cache-a') }));
    expect(e.kind).toBe('maven-missing');
    expect(e.message).toMatch(/resolves Flink's jars with Maven, and .*no-maven\/mvn could not be started \(ENOENT\)/);
  });

  it('names the artifact Maven cannot resolve', async () => {
    const e = await failure(
      buildPlannerHarness('1.20', { mavenProperties: { 'flink.kafka.connector.version': '0.0.0-pipec-missing' }, cacheDir: join(scratch, 'cache-b') }),
    );
    expect(e.kind).toBe('maven-resolve');
    expect(e.message).toBe('Maven could not resolve org.apache.flink:flink-connector-kafka:jar:0.0.0-pipec-missing for the Flink 1.20 planner harness');
    expect(e.detail).toMatch(/\[ERROR\]/);
  });

  it("reads the artifact out of Maven's messages", () => {
    expect(unresolvedArtifact('[ERROR] Failed to execute goal on project x: Could not resolve dependencies for project a:b:jar:1: Could not find artifact org.apache.flink:flink-json:jar:9.9.9 in central (https://repo.maven.apache.org/maven2) -> [Help 1]')).toBe(
      'org.apache.flink:flink-json:jar:9.9.9',
    );
    expect(unresolvedArtifact('[ERROR] Plugin org.apache.maven.plugins:maven-dependency-plugin:3.8.1 or one of its dependencies could not be resolved: …')).toBe(
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1',
    );
    expect(unresolvedArtifact('[ERROR] Could not transfer artifact org.apache.flink:flink-core:pom:2.2.0 from/to central: Connection refused')).toBe('org.apache.flink:flink-core:pom:2.2.0');
    expect(unresolvedArtifact('[ERROR] something else')).toBeUndefined();
  });

  it('reuses an up-to-date build', async () => {
    await buildPlannerHarness('1.20');
    const again = await buildPlannerHarness('1.20');
    expect(again.built).toBe(false);
    expect(again.classpath.some((j) => /flink-table-planner-loader-1\.20\.\d+\.jar$/.test(j))).toBe(true);
  });
});
