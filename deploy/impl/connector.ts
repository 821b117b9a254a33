/**
 * Kafka Connect connectors: create or update by config (PUT /connectors/{name}/config), pause and resume,
 * delete. The config is what the build says with placeholders filled; it may hold secrets.
 */
import { sameRecord } from './topic.ts';

export type ConnectorRunState = 'RUNNING' | 'PAUSED';

export interface ConnectorInputs {
  readonly connectUrl: string;
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly state: ConnectorRunState;
}

export interface ConnectorOutputs extends ConnectorInputs {
  /** The connector's state as Connect reported it after the last create or update. */
  readonly status: string;
  readonly tasks: number;
}

async function client(url: string) {
  const { ConnectClient } = await import('../../local/clients/connect.ts');
  return new ConnectClient(url);
}

async function settle(c: Awaited<ReturnType<typeof client>>, inputs: ConnectorInputs): Promise<ConnectorOutputs> {
  const { poll } = await import('../../local/clients/http.ts');
  const want = inputs.state;
  const s = await poll(`connector ${inputs.name} to be ${want} at ${inputs.connectUrl}`, 120_000, async () => {
    const st = await c.status(inputs.name);
    const failed = [st.connector, ...st.tasks].find((t) => t.state === 'FAILED');
    if (failed) throw new Error(`connector ${inputs.name} FAILED at ${inputs.connectUrl}: ${(failed.trace ?? '').split('\n')[0]}`);
    return st.connector.state === want && st.tasks.every((t) => t.state === want) ? st : undefined;
  });
  return { ...inputs, status: s.connector.state, tasks: s.tasks.length };
}

export async function createConnector(inputs: ConnectorInputs): Promise<ConnectorOutputs> {
  const c = await client(inputs.connectUrl);
  await c.putConnector(inputs.name, { ...inputs.config });
  if (inputs.state === 'PAUSED') await c.pause(inputs.name);
  return settle(c, inputs);
}

export async function updateConnector(olds: ConnectorOutputs, news: ConnectorInputs): Promise<ConnectorOutputs> {
  const c = await client(news.connectUrl);
  if (!sameRecord(olds.config, news.config)) await c.putConnector(news.name, { ...news.config });
  if (olds.state !== news.state) {
    if (news.state === 'PAUSED') await c.pause(news.name);
    else await c.resume(news.name);
  }
  return settle(c, news);
}

export async function deleteConnector(props: ConnectorOutputs): Promise<void> {
  const c = await client(props.connectUrl);
  await c.deleteConnector(props.name);
  // Debezium keeps its PostgreSQL replication slot when the connector is deleted, and the database keeps WAL
  // for it until someone drops it: say so, naming it (the deployer has no database access).
  const slot = props.config['slot.name'];
  if (props.config['connector.class'] === 'io.debezium.connector.postgresql.PostgresConnector' && slot) {
    console.log(`pipec: connector ${props.name} deleted; its replication slot ${slot} still holds WAL on ${props.config['database.hostname'] ?? 'the database'}: SELECT pg_drop_replication_slot('${slot}');`);
  }
}
