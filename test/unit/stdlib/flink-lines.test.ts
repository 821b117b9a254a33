/** The table of Flink lines, and what is derived from it: the config default, the jar sets, the Maven versions. */
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../compiler/config/load.ts';
import { DEFAULT_FLINK_LINE, FLINK_LINES, FLINK_LINE_NAMES, flinkLineSchema, flinkMavenProperties, lineAtLeast } from '../../../stdlib/flink-lines.ts';
import { componentFolderName, flinkComponent } from '../../../local/jars.ts';

describe.each(FLINK_LINE_NAMES)('Flink %s', (line) => {
  const model = FLINK_LINES[line];

  test('its release is a patch of the line, and its Kafka connector is the build for the line', () => {
    expect(model.release.startsWith(`${line}.`)).toBe(true);
    expect(model.artifacts.kafkaConnector.endsWith(`-${line}`)).toBe(true);
  });

  test('Maven resolves the jar sets with the table\'s versions', () => {
    expect(flinkMavenProperties(line)).toEqual({ 'flink.version': model.release, 'flink.kafka.connector.version': model.artifacts.kafkaConnector });
  });

  test('the local stack caches the jar set in a folder named by the table\'s versions', () => {
    expect(componentFolderName(flinkComponent(line))).toBe(`flink-${model.release}-kafka-${model.artifacts.kafkaConnector}`);
  });

  test('is accepted as `flink.version`', () => {
    expect(flinkLineSchema.parse(line)).toBe(line);
  });
});

test('the jar set folders keep their names (a stack\'s cache stays valid)', () => {
  expect(FLINK_LINE_NAMES.map((line) => componentFolderName(flinkComponent(line)))).toEqual(['flink-1.20.0-kafka-3.4.0-1.20', 'flink-2.2.0-kafka-5.0.0-2.2']);
});

test('lines are ordered oldest first, which `since` in the stdlib is checked against', () => {
  expect(FLINK_LINE_NAMES).toEqual(['1.20', '2.2']);
  expect(lineAtLeast('2.2', '1.20')).toBe(true);
  expect(lineAtLeast('1.20', '2.2')).toBe(false);
  expect(lineAtLeast('1.20', '1.20')).toBe(true);
});

test('a line the table lacks is refused', () => {
  expect(flinkLineSchema.safeParse('1.19').success).toBe(false);
});

describe('the default line is applied once, by the config schema', () => {
  test('a pipec.yaml without `flink:` targets the default line', () => {
    const result = parseConfig({ path: 'pipec.yaml', text: 'project: p\n' }, undefined);
    expect(result.ok && result.config.flink.version).toBe(DEFAULT_FLINK_LINE);
  });

  test('a `flink:` section without a version too', () => {
    const result = parseConfig({ path: 'pipec.yaml', text: 'project: p\nflink:\n  rest_url: http://f:8081\n' }, undefined);
    expect(result.ok && result.config.flink).toEqual({ version: DEFAULT_FLINK_LINE, rest_url: 'http://f:8081' });
  });
});
