/**
 * Kafka Connect REST client: worker info, plugins, config validation, connector CRUD and state.
 */
import { z } from 'zod';
import { RestClient, poll } from './http.ts';

const infoSchema = z.object({ version: z.string(), commit: z.string(), kafka_cluster_id: z.string() });
const pluginSchema = z.object({ class: z.string(), type: z.string(), version: z.string().optional() });
const connectorSchema = z.object({ name: z.string(), config: z.record(z.string(), z.string()), tasks: z.array(z.object({ connector: z.string(), task: z.number() })), type: z.string().optional() });
const stateSchema = z.object({ state: z.string(), worker_id: z.string().optional(), trace: z.string().optional() });
const statusSchema = z.object({ name: z.string(), connector: stateSchema, tasks: z.array(stateSchema.extend({ id: z.number() })), type: z.string().optional() });
const validationSchema = z.object({
  name: z.string(),
  error_count: z.number(),
  configs: z.array(z.object({ value: z.object({ name: z.string(), value: z.string().nullish(), errors: z.array(z.string()) }).nullish() })),
});

export type ConnectorConfig = Record<string, string>;
export type ConnectorStatus = z.infer<typeof statusSchema>;

export interface ValidationResult {
  connectorClass: string;
  errorCount: number;
  /** Field name → its errors, for fields that have any. */
  errors: Record<string, string[]>;
}

export class ConnectClient extends RestClient {
  constructor(baseUrl: string, options: { timeoutMs?: number } = {}) {
    super(baseUrl, { timeoutMs: options.timeoutMs ?? 60_000 });
  }

  info(): Promise<z.infer<typeof infoSchema>> {
    return this.http.get('/', infoSchema);
  }

  plugins(): Promise<z.infer<typeof pluginSchema>[]> {
    return this.http.get('/connector-plugins', z.array(pluginSchema));
  }

  /** PUT /connector-plugins/{class}/config/validate; the config must name the same connector.class. */
  async validate(connectorClass: string, config: ConnectorConfig): Promise<ValidationResult> {
    const res = await this.http.request('PUT', `/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`, { body: { 'connector.class': connectorClass, ...config }, schema: validationSchema });
    const errors: Record<string, string[]> = {};
    for (const c of res.data.configs) if (c.value && c.value.errors.length > 0) errors[c.value.name] = c.value.errors;
    return { connectorClass: res.data.name, errorCount: res.data.error_count, errors };
  }

  connectors(): Promise<string[]> {
    return this.http.get('/connectors', z.array(z.string()));
  }

  /** Creates or updates (PUT /connectors/{name}/config). */
  async putConnector(name: string, config: ConnectorConfig): Promise<{ created: boolean; connector: z.infer<typeof connectorSchema> }> {
    const res = await this.http.request('PUT', `/connectors/${encodeURIComponent(name)}/config`, { body: config, schema: connectorSchema });
    return { created: res.status === 201, connector: res.data };
  }

  async createConnector(name: string, config: ConnectorConfig): Promise<z.infer<typeof connectorSchema>> {
    return (await this.http.request('POST', '/connectors', { body: { name, config }, schema: connectorSchema })).data;
  }

  async connectorConfig(name: string): Promise<ConnectorConfig> {
    return this.http.get(`/connectors/${encodeURIComponent(name)}/config`, z.record(z.string(), z.string()));
  }

  status(name: string): Promise<ConnectorStatus> {
    return this.http.get(`/connectors/${encodeURIComponent(name)}/status`, statusSchema);
  }

  /** Deletes a connector; true when it existed. */
  async deleteConnector(name: string): Promise<boolean> {
    const res = await this.http.request('DELETE', `/connectors/${encodeURIComponent(name)}`, { ok: (s) => s === 204 || s === 200 || s === 404 });
    return res.status !== 404;
  }

  async pause(name: string): Promise<void> {
    await this.http.request('PUT', `/connectors/${encodeURIComponent(name)}/pause`);
  }

  async resume(name: string): Promise<void> {
    await this.http.request('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
  }

  async stop(name: string): Promise<void> {
    await this.http.request('PUT', `/connectors/${encodeURIComponent(name)}/stop`);
  }

  async restart(name: string, options: { includeTasks?: boolean; onlyFailed?: boolean } = {}): Promise<void> {
    await this.http.request('POST', `/connectors/${encodeURIComponent(name)}/restart`, { query: { includeTasks: options.includeTasks ?? true, onlyFailed: options.onlyFailed ?? false } });
  }

  /** Waits until the connector and all its tasks (at least one) are RUNNING; fails at once on FAILED. */
  async awaitRunning(name: string, timeoutMs = 120_000): Promise<ConnectorStatus> {
    return poll(`connector ${name} to be RUNNING at ${this.baseUrl}`, timeoutMs, async () => {
      const s = await this.status(name);
      const failed = [s.connector, ...s.tasks].find((t) => t.state === 'FAILED');
      if (failed) throw new Error(`connector ${name} FAILED: ${(failed.trace ?? '').split('\n')[0]}`);
      return s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING') ? s : undefined;
    });
  }
}
