/**
 * An environment overrides only what it names: its settings are merged over the base as written, and the merged
 * settings validated with their defaults afterwards, so a default never overwrites a base value.
 */
import { expect, test } from 'vitest';
import { parseConfig } from '../../../compiler/config/load.ts';

const BASE = [
  'project: demo',
  'flink:',
  '  version: "2.2"',
  '  rest_url: http://flink-dev:8081',
  'kafka:',
  '  bootstrap_servers: kafka-dev:9092',
  '  default_partitions: 6',
  '  default_replication: 3',
];

test('an environment overriding endpoints keeps the base Flink line and partition counts', () => {
  const text = [...BASE, 'environments:', '  prod:', '    flink:', '      rest_url: http://flink-prod:8081', '    kafka:', '      bootstrap_servers: kafka-prod:9092', ''].join('\n');
  const result = parseConfig({ path: 'pipec.yaml', text }, 'prod');
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  expect(result.config.flink).toEqual({ version: '2.2', rest_url: 'http://flink-prod:8081' });
  expect(result.config.kafka).toEqual({ bootstrap_servers: 'kafka-prod:9092', properties: {}, default_partitions: 6, default_replication: 3 });
});

test('an environment may override one field of a setting that has required ones', () => {
  const text = [...BASE, 'environments:', '  staging:', '    kafka:', '      default_partitions: 3', ''].join('\n');
  const result = parseConfig({ path: 'pipec.yaml', text }, 'staging');
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  expect(result.config.kafka).toEqual({ bootstrap_servers: 'kafka-dev:9092', properties: {}, default_partitions: 3, default_replication: 3 });
  expect(result.config.flink?.version).toBe('2.2');
});

test("an environment's value is still checked at its line", () => {
  const text = [...BASE, 'environments:', '  prod:', '    kafka:', '      default_partitions: 0', ''].join('\n');
  const result = parseConfig({ path: 'pipec.yaml', text }, 'prod');
  expect(result.ok).toBe(false);
  expect(result.diagnostics.map((d) => [d.code, text.slice(0, d.span?.start).split('\n').length])).toEqual([['config-invalid', 12]]);
});
