/** A `kafka.properties` name becomes the placeholder `${pipec:kafka.properties.<name>}`: it takes only what a placeholder can hold. */
import { expect, test } from 'vitest';
import { parseConfig } from '../../../compiler/config/load.ts';

test('a property name the placeholder cannot hold is a configuration error at the property', () => {
  const source = { path: 'pipec.yaml', text: "project: demo\nkafka:\n  bootstrap_servers: k:9092\n  properties:\n    'sasl jaas': x\n    ssl.endpoint.identification.algorithm: https\n" };
  const result = parseConfig(source, undefined);
  expect(result.ok).toBe(false);
  expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([['config-invalid', '`kafka.properties.sasl jaas`: a Kafka property name takes only letters, digits, `.`, `_` and `-`']]);
});
