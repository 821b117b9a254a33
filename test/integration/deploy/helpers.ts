/**
 * The PipelineStack arguments that point the deployer at the local stack, and a producer that keeps records
 * flowing while a test deploys.
 */
import { mkdirSync } from 'node:fs';
import { Partitioners } from 'kafkajs';
import path from 'node:path';
import type { PipelineStackArgs } from '../../../deploy/stack.ts';
import type { LocalEndpoints } from '../../../local/endpoints.ts';
import { apicurioUrl } from '../kafka-connect/helpers.ts';
import { kafka } from '../local-stack/helpers.ts';

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

/**
 * Produces records seq = 1, 2, … to the topic, in batches of 10 every 100 ms, until stopped; `stop` returns the last
 * seq produced, `next` the seq the next record gets.
 */
export function startProducing(endpoints: LocalEndpoints, topic: string, record: (seq: number) => { key: string; value: string }): { next: () => number; stop: () => Promise<number> } {
  const producer = kafka(endpoints).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  let seq = 0;
  let running = true;
  const loop = (async () => {
    await producer.connect();
    while (running) {
      const batch = Array.from({ length: 10 }, () => record((seq += 1)));
      await producer.send({ topic, messages: batch });
      await new Promise((r) => setTimeout(r, 100));
    }
    await producer.disconnect();
  })();
  return {
    next: () => seq + 1,
    stop: async () => {
      running = false;
      await loop;
      return seq;
    },
  };
}
