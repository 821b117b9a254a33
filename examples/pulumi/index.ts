/**
 * Deploys the compiled example project: `npm run compile` first (pipec writes ../build), then `pulumi up`.
 *
 * Endpoints live in one place, pipec.yaml: the stack's `pipec:environment` names the pipec environment whose
 * Kafka, Connect and Flink endpoints are used (the `local` stack: the top level, the engines of `pipec local up`;
 * `prod`: `environments.prod`). The stack files hold only what pipec.yaml cannot: the registry's URLs (these
 * examples compile offline from examples/schemas, so pipec.yaml names no registry; a project whose pipec.yaml
 * names one has it read from there), the plan folder, and secrets (`pulumi config set --secret`).
 */
import * as pulumi from '@pulumi/pulumi';
import { PipelineStack, projectEndpoints } from 'pipec/deploy';

const config = new pulumi.Config('pipec');
const here = (rel: string): string => new URL(rel, import.meta.url).pathname;
const buildDir = config.get('buildDir') ?? here('../build');
const endpoints = await projectEndpoints(config.get('pipecYaml') ?? here('../pipec.yaml'), config.get('environment'));

const stack = new PipelineStack('lendwell', {
  buildDir,
  pipelines: config.getObject<string[]>('pipelines'),
  kafka: endpoints.kafka,
  registry: endpoints.registry ?? { url: config.require('registryUrl') },
  connect: endpoints.connect,
  flink: {
    sqlGatewayUrl: endpoints.flink.sqlGatewayUrl,
    restUrl: endpoints.flink.restUrl,
    planDir: config.require('planDir'),
    savepointDir: endpoints.flink.savepointDir,
  },
  // Placeholders the build lists in manifest.json: Apicurio's core API root for the connectors' Avro converter
  // (registry.kind apicurio), `${pipec:secret.<name>}` values and others. A build with a placeholder left without a
  // value is refused before anything is deployed.
  values: { 'registry.apicurio_url': config.require('registryApicurioUrl'), ...config.getObject<Record<string, string>>('values') },
  allowStateReset: config.getBoolean('allowStateReset') ?? false,
  // A reset job reads its append sources from the consumer group's committed offsets ('committed-offsets', the
  // default: it goes on where the old job stopped) or from each source's `startup` ('startup').
  resetStart: config.get('resetStart') === 'startup' ? 'startup' : 'committed-offsets',
  // Topics and subjects that existed before this stack, taken over (only what the build declares is applied).
  adopt: config.getObject<{ topics?: string[]; subjects?: string[]; connectors?: string[] }>('adopt'),
  // Destroy keeps topics and subjects unless this says otherwise (true, or { topics: […], subjects: […] }).
  deleteOnDestroy: config.getObject<boolean | { topics?: string[]; subjects?: string[] }>('deleteOnDestroy'),
});

export const jobIds = stack.jobIds;
export const restoredFrom = stack.restoredFrom;
export const savepoints = stack.savepoints;
export const connectorStates = stack.connectorStates;
export const keptOnDestroy = stack.keptOnDestroy;

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
