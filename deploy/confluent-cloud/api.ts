/**
 * `pipec/deploy/confluent-cloud`: the Confluent Cloud flavour of the deployer (@pulumi/confluentcloud
 * resources; deploy/README.md).
 *
 *   import { ConfluentCloudPipelineStack } from 'pipec/deploy/confluent-cloud';
 *   new ConfluentCloudPipelineStack('lendwell', { buildDir, previousBuildDir, environmentId, kafka: {…}, … });
 */
export { ConfluentCloudPipelineStack, type ConfluentCloudPipelineStackArgs, type ApiKey } from './stack.ts';
export { readConfluentCloudBuild, type CloudBuild, type CloudJob, type CloudTableChange } from './build.ts';
export { statementUpgrade, StatefulChangeRefused, type StatementUpgrade } from './upgrade.ts';
export { managedConnector, UnmappableConnector, type ManagedConnectorConfig } from './connectors.ts';
export { statementName, STATEMENT_NAME } from './statement-name.ts';
export { statefulParts } from '../../compiler/upgrade/stateless.ts';
