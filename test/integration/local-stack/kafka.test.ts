/**
 * Kafka (KRaft, combined broker/controller): a record produced is a record consumed.
 */
import { describe, expect, inject, it } from 'vitest';
import { consume, createTopics, produce, unique, withAdmin } from './helpers.ts';

const endpoints = inject('pipecLocal');

describe('local stack: Kafka', () => {
  it('answers metadata with one broker and a controller', async () => {
    const cluster = await withAdmin(endpoints, (admin) => admin.describeCluster());
    expect(cluster.brokers).toHaveLength(1);
    expect(cluster.brokers[0]?.port).toBe(Number(endpoints.kafkaBootstrap.split(':')[1]));
    expect(cluster.controller).toBe(1);
  });

  it('produces and consumes a record', async () => {
    const topic = unique('smoke-kafka');
    await createTopics(endpoints, [topic]);
    await produce(endpoints, topic, [{ key: 'k1', value: JSON.stringify({ hello: 'pipec' }) }]);
    const records = await consume(endpoints, topic, 1);
    expect(records).toEqual([{ key: 'k1', value: '{"hello":"pipec"}', offset: '0' }]);
  });
});
