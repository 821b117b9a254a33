/**
 * `pipec/deploy`: the Pulumi deployer of pipec builds (api.ts).
 *
 *   import { PipelineStack } from 'pipec/deploy';
 *   const stack = new PipelineStack('lendwell', { buildDir: 'build', kafka: {…}, registry: {…}, connect: {…}, flink: {…} });
 *   export const jobIds = stack.jobIds;
 *
 * On Confluent Cloud: `pipec/deploy/confluent-cloud` (its own entry, so self-managed programs do not load
 * @pulumi/confluentcloud). The API is loaded only after its peer dependency is found (peer.ts).
 */
import { requirePeers } from './peer.ts';
import type * as Api from './api.ts';

requirePeers('pipec/deploy', ['@pulumi/pulumi']);
const api: typeof Api = await import('./api.ts');

export const { PipelineStack, KafkaTopic, RegistrySubject, Connector, FlinkJob, topicProvider, subjectProvider, connectorProvider, jobProvider, readDeployBuild, dependencyOrder, StateResetRefused, planPathFor, classify, projectEndpoints } = api;
export type PipelineStack = Api.PipelineStack;
export type KafkaTopic = Api.KafkaTopic;
export type RegistrySubject = Api.RegistrySubject;
export type Connector = Api.Connector;
export type FlinkJob = Api.FlinkJob;
export type StateResetRefused = Api.StateResetRefused;
export type * from './api.ts';
export { MissingPeerDependency } from './peer.ts';
