/**
 * The PipelineStack arguments that point the deployer at the local stack.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PipelineStackArgs } from '../../../deploy/stack.ts';
import type { LocalEndpoints } from '../../../local/endpoints.ts';
import { apicurioUrl } from '../kafka-connect/helpers.ts';

/** PipelineStack arguments for the local stack; plans go to a folder of the test's own. */
export function localStackArgs(endpoints: LocalEndpoints, buildDir: string, over: Partial<PipelineStackArgs> = {}): PipelineStackArgs {
  const planDir = path.join(endpoints.dir, 'data', 'deploy-plans');
  mkdirSync(planDir, { recursive: true });
  return {
    buildDir,
    kafka: { bootstrapServers: endpoints.kafkaBootstrap },
    registry: { url: endpoints.schemaRegistryUrl },
    connect: { url: endpoints.connectUrl },
    flink: { sqlGatewayUrl: endpoints.sqlGatewayUrl, restUrl: endpoints.flinkRestUrl, planDir: `file://${planDir}`, savepointDir: `file://${endpoints.savepointDir}` },
    values: { 'registry.apicurio_url': apicurioUrl(endpoints) },
    ...over,
  };
}
