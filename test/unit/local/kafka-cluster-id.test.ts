/**
 * The cluster id the local stack formats Kafka's storage with. Kafka's storage tool parses its arguments with
 * argparse, which reads an id starting with '-' as an option and fails; one random id in 64 starts so.
 */
import { expect, test } from 'vitest';
import { clusterId } from '../../../local/services/kafka.ts';

test('a cluster id is 22 base64url characters and never starts with a dash', () => {
  // 2,000 ids: with a plain random id, the chance that none starts with '-' is (63/64)^2000, about 2e-14.
  const ids = Array.from({ length: 2000 }, clusterId);
  for (const id of ids) {
    expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  }
  expect(new Set(ids).size).toBe(ids.length);
});
