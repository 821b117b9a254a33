/**
 * `pipec/deploy/confluent-cloud`: the deployer's Confluent Cloud flavour (api.ts). The API is loaded only after
 * its peer dependencies are found (../peer.ts).
 */
import { requirePeers } from '../peer.ts';
import type * as Api from './api.ts';

requirePeers('pipec/deploy/confluent-cloud', ['@pulumi/pulumi', '@pulumi/confluentcloud']);
const api: typeof Api = await import('./api.ts');

export const { ConfluentCloudPipelineStack, readConfluentCloudBuild, statementUpgrade, StatefulChangeRefused, managedConnector, UnmappableConnector, statementName, STATEMENT_NAME, statefulParts } = api;
export type ConfluentCloudPipelineStack = Api.ConfluentCloudPipelineStack;
export type StatefulChangeRefused = Api.StatefulChangeRefused;
export type UnmappableConnector = Api.UnmappableConnector;
export type * from './api.ts';
export { MissingPeerDependency } from '../peer.ts';
