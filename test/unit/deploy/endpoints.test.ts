/**
 * The deployer reads each environment's endpoints from pipec.yaml, so they live in one place.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectEndpoints } from '../../../deploy/endpoints.ts';
import { EXAMPLES } from '../../helpers/examples.ts';

const file = path.join(EXAMPLES, 'pipec.yaml');

describe('projectEndpoints', () => {
  test('the top level for the default environment', async () => {
    expect(await projectEndpoints(file)).toEqual({
      environment: 'default',
      kafka: { bootstrapServers: 'localhost:19092' },
      registry: undefined,
      connect: { url: 'http://localhost:18083' },
      flink: { sqlGatewayUrl: 'http://localhost:18091', restUrl: 'http://localhost:18081', savepointDir: undefined },
    });
  });

  test('an environment overrides what it names', async () => {
    const prod = await projectEndpoints(file, 'prod');
    expect(prod.kafka.bootstrapServers).toBe('kafka-1.prod.lendwell.internal:9093,kafka-2.prod.lendwell.internal:9093');
    expect(prod.flink.restUrl).toBe('https://flink.prod.lendwell.internal');
    expect(prod.connect?.url).toBe('https://connect.prod.lendwell.internal');
  });

  test('an unknown environment is an error naming it', async () => {
    await expect(projectEndpoints(file, 'staging')).rejects.toThrow(/cannot be read for environment staging/);
  });
});
