/**
 * The endpoints of one environment of pipec.yaml, shaped for PipelineStack, so that a project keeps each endpoint
 * in one place — pipec.yaml's environments — and its Pulumi stacks hold only secrets and what only the deployer
 * needs (the plan folder). Edge (reads the file).
 */
import { loadConfig } from '../compiler/config/load.ts';

export interface ProjectEndpoints {
  /** The pipec environment read (`default` for the top level). */
  readonly environment: string;
  readonly kafka: { readonly bootstrapServers: string };
  /** Absent when pipec.yaml names no registry (a project compiling from its local schema folder). */
  readonly registry: { readonly url: string } | undefined;
  readonly connect: { readonly url: string } | undefined;
  readonly flink: { readonly sqlGatewayUrl: string; readonly restUrl: string; readonly savepointDir: string | undefined };
}

export async function projectEndpoints(configPath: string, environment?: string): Promise<ProjectEndpoints> {
  const loaded = await loadConfig(configPath, environment);
  if (!loaded.ok) throw new Error(`pipec deploy: ${configPath} cannot be read for environment ${environment ?? 'default'}: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const c = loaded.config;
  const missing = [
    c.kafka?.bootstrap_servers === undefined ? 'kafka.bootstrap_servers' : undefined,
    c.flink?.sql_gateway_url === undefined ? 'flink.sql_gateway_url' : undefined,
    c.flink?.rest_url === undefined ? 'flink.rest_url' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (!c.kafka || !c.flink?.sql_gateway_url || !c.flink.rest_url || missing.length > 0) {
    throw new Error(`pipec deploy: ${configPath} has no ${missing.join(', ')} for environment ${environment ?? 'default'}; the deployer needs ${missing.length > 1 ? 'them' : 'it'}`);
  }
  return {
    environment: environment ?? 'default',
    kafka: { bootstrapServers: c.kafka.bootstrap_servers },
    registry: c.registry?.url === undefined ? undefined : { url: c.registry.url },
    connect: c.connect ? { url: c.connect.url } : undefined,
    flink: { sqlGatewayUrl: c.flink.sql_gateway_url, restUrl: c.flink.rest_url, savepointDir: c.flink.savepoint_dir },
  };
}
