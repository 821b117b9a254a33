/**
 * Deploys the compiled example project: `pipec compile` first (it writes ../build), then `pulumi up`.
 * Endpoints come from the stack's config, secrets from `pulumi config set --secret`.
 */
import * as pulumi from '@pulumi/pulumi';
import { PipelineStack } from 'pipec/deploy';

const config = new pulumi.Config('pipec');
const buildDir = config.get('buildDir') ?? new URL('../build', import.meta.url).pathname;

const stack = new PipelineStack('lendwell', {
  buildDir,
  pipelines: config.getObject<string[]>('pipelines'),
  kafka: { bootstrapServers: config.require('kafkaBootstrapServers') },
  registry: { url: config.require('registryUrl') },
  connect: { url: config.require('connectUrl') },
  flink: {
    sqlGatewayUrl: config.require('sqlGatewayUrl'),
    restUrl: config.require('flinkRestUrl'),
    planDir: config.require('planDir'),
    savepointDir: config.get('savepointDir'),
  },
  // Placeholders the build lists in manifest.json: Apicurio's core API root for the connectors' Avro converter,
  // `${pipec:secret.<name>}` values and others. A build with a placeholder left without a value is refused.
  values: { 'registry.apicurio_url': config.require('registryApicurioUrl'), ...config.getObject<Record<string, string>>('values') },
  allowStateReset: config.getBoolean('allowStateReset') ?? false,
});

export const jobIds = stack.jobIds;
export const restoredFrom = stack.restoredFrom;
export const savepoints = stack.savepoints;
export const connectorStates = stack.connectorStates;

// On Confluent Cloud instead (deploy/README.md, "The Confluent Cloud flavour"; pipec.yaml has
// `flink: { confluent_cloud: true }`, so the build holds each job's confluent-cloud.json):
//
//   import { ConfluentCloudPipelineStack } from 'pipec/deploy/confluent-cloud';
//   const key = (name: string) => ({ key: config.require(`${name}ApiKey`), secret: config.requireSecret(`${name}ApiSecret`) });
//   const cloud = new ConfluentCloudPipelineStack('lendwell', {
//     buildDir,
//     previousBuildDir: config.get('previousBuildDir'),   // the build deployed now: changed stateless jobs keep their offsets
//     organizationId: config.require('organizationId'),
//     environmentId: config.require('environmentId'),
//     kafka: { clusterId: config.require('kafkaClusterId'), restEndpoint: config.require('kafkaRestEndpoint'), credentials: key('kafka') },
//     schemaRegistry: { clusterId: config.require('registryClusterId'), restEndpoint: config.require('registryRestEndpoint'), credentials: key('registry') },
//     flink: {
//       computePoolId: config.require('computePoolId'),
//       principalId: config.require('flinkPrincipalId'),
//       restEndpoint: config.require('flinkRestEndpoint'),
//       credentials: key('flink'),
//       catalog: config.require('environmentName'),
//       database: config.require('kafkaClusterName'),
//     },
//     connectors: { kafkaAuth: { serviceAccountId: config.require('connectorServiceAccountId') } },
//     // `${env:NAME}` references of the connector configs, e.g. { 'env:LOANS_DB_PASSWORD': … } (set them as secrets).
//     values: config.getObject<Record<string, string>>('cloudValues') ?? {},
//     allowStateReset: config.getBoolean('allowStateReset') ?? false,
//   });
//   export const statementNames = cloud.statementNames;
