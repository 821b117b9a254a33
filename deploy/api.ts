/**
 * `pipec/deploy`: the Pulumi deployer of pipec builds.
 *
 *   import { PipelineStack } from 'pipec/deploy';
 *   const stack = new PipelineStack('lendwell', { buildDir: 'build', kafka: {…}, registry: {…}, connect: {…}, flink: {…} });
 *   export const jobIds = stack.jobIds;

 * On Confluent Cloud: `pipec/deploy/confluent-cloud` (its own entry, so self-managed programs do not load
 * @pulumi/confluentcloud).
 */
export { PipelineStack, type PipelineStackArgs, type OwnedNames } from './stack.ts';
export { KafkaTopic, RegistrySubject, Connector, FlinkJob, topicProvider, subjectProvider, connectorProvider, jobProvider } from './providers.ts';
export type { TopicArgs, SubjectArgs, ConnectorArgs, JobArgs } from './providers.ts';
export { readDeployBuild, dependencyOrder, type DeployBuild, type DeployItem } from './build.ts';
export { projectEndpoints, type ProjectEndpoints } from './endpoints.ts';
export { StateResetRefused, planPathFor, type JobInputs, type JobOutputs } from './impl/job.ts';
export type { TopicInputs, TopicOutputs } from './impl/topic.ts';
export type { SubjectInputs, SubjectOutputs } from './impl/subject.ts';
export type { ConnectorInputs, ConnectorOutputs, ConnectorRunState } from './impl/connector.ts';
export { classify, type Classification, type StateChange, type StateVerdict } from '../compiler/upgrade/classify.ts';
