/**
 * Helpers for deploying compiled snippets onto the local stack with the deployer: write a build folder the way
 * `pipec compile` does, and the PipelineStack arguments that point at the stack.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PipelineStackArgs } from '../../../deploy/stack.ts';
import type { LocalEndpoints } from '../../../local/endpoints.ts';
import type { EmitResult } from '../../../targets/emit.ts';
import { apicurioUrl } from '../kafka-connect/helpers.ts';

export function writeBuild(output: EmitResult, name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pipec-${name}-`));
  for (const a of output.artifacts) {
    mkdirSync(path.dirname(path.join(dir, a.path)), { recursive: true });
    writeFileSync(path.join(dir, a.path), a.contents);
  }
  return dir;
}

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
