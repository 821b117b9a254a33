/**
 * The `local:` section's Flink task slots: the default, an override, a refused value, and that the Flink
 * process's config.yaml carries the configured number (what the MiniCluster reads at start).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseLocalStackConfig, type LocalStackConfig } from '../../../local/config.ts';
import { isLocalStackError } from '../../../local/errors.ts';
import { flink } from '../../../local/services/flink.ts';
import { stackPaths, type LaunchContext } from '../../../local/services/types.ts';

const root = mkdtempSync(join(tmpdir(), 'pipec-local-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The slots Flink's config.yaml gets from `prepare` (no JVM is started). */
async function preparedSlots(config: LocalStackConfig, name: string): Promise<unknown> {
  const paths = stackPaths(join(root, name));
  const java = { home: '/nonexistent', java: '/nonexistent/bin/java', major: 17 };
  const ctx: LaunchContext = { config, paths, flinkLine: '1.20', jars: { kafka: '', debezium: '', apicurio: '', flink: '/jars', flinkLauncher: '/launcher', flinkRuntime: '/runtime.jar' }, java, registryJava: java, postgresBin: '', postgresUser: undefined };
  await flink.prepare(ctx);
  const conf = parseYaml(readFileSync(join(paths.conf, 'flink', 'config.yaml'), 'utf8')) as Record<string, unknown>;
  return conf['taskmanager.numberOfTaskSlots'];
}

describe('local.flink_task_slots', () => {
  test('defaults to 8 when left out', async () => {
    const config = parseLocalStackConfig({});
    expect(config.flink_task_slots).toBe(8);
    expect(await preparedSlots(config, 'default')).toBe(8);
  });

  test('an override reaches the TaskManager config', async () => {
    const config = parseLocalStackConfig({ flink_task_slots: 24 });
    expect(config.flink_task_slots).toBe(24);
    expect(await preparedSlots(config, 'override')).toBe(24);
  });

  test('zero slots is refused, naming the key', () => {
    let caught: unknown;
    try {
      parseLocalStackConfig({ flink_task_slots: 0 });
    } catch (e) {
      caught = e;
    }
    expect(isLocalStackError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/local\.flink_task_slots/);
  });
});
