/**
 * Kafka Connect connectors: create or update by config (PUT /connectors/{name}/config), pause and resume,
 * delete. The config is what the build says with placeholders filled; it may hold secrets.
 *
 * Ownership: a connector that exists and is not in the stack's state is refused unless adopted — except one
 * whose config is exactly the declared one, which is what an interrupted create of this same deploy leaves.
 * A deploy succeeds only once the connector and every one of its tasks run; a failed task is reported by the
 * root cause of its trace.
 */
import { sameRecord } from './topic.ts';

export type ConnectorRunState = 'RUNNING' | 'PAUSED';

export interface ConnectorInputs {
  readonly connectUrl: string;
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly state: ConnectorRunState;
  /** Take over a connector of this name that exists already (its config is replaced by the declared one). */
  readonly adopt?: boolean | undefined;
}

export interface ConnectorOutputs extends ConnectorInputs {
  /** The connector's state as Connect reported it after the last create or update. */
  readonly status: string;
  readonly tasks: number;
}

async function client(url: string) {
  const { ConnectClient } = await import('../../clients/connect.ts');
  return new ConnectClient(url);
}

/**
 * The first line of a Java stack trace says what failed where (e.g. "Could not find table"); the last
 * "Caused by:" says why (e.g. "schema analytics does not exist"). Both, the cause first.
 */
export function traceCause(trace: string | undefined): string {
  const lines = (trace ?? '').split('\n').map((l) => l.trim());
  const first = lines[0] ?? '';
  const cause = lines.filter((l) => l.startsWith('Caused by: ')).at(-1)?.slice('Caused by: '.length);
  if (!cause || cause === first) return first || 'no trace';
  return `${cause} (reported as: ${first})`;
}

/**
 * How long a connector and its tasks must keep running before a deploy counts it as running: a sink task starts,
 * reads the records already in its topic and fails on the first one it cannot write (a missing table or
 * schema), so "RUNNING" right after the start is not yet success.
 */
const STABLE_MS = 5_000;

/**
 * What a failure means where its trace hides the reason. Debezium's JDBC sink logs the database's error (e.g.
 * "schema analytics does not exist") only in the worker's log and reports "Could not find table" in the task's
 * trace, after its CREATE TABLE failed.
 */
export function failureHint(config: Readonly<Record<string, string>>, cause: string): string | undefined {
  const table = /Could not find table: (\S+)/.exec(cause)?.[1];
  if (config['connector.class'] !== 'io.debezium.connector.jdbc.JdbcSinkConnector' || !table) return undefined;
  const schema = table.includes('.') ? table.slice(0, table.lastIndexOf('.')) : undefined;
  return schema
    ? `the sink could not create table ${table}: the database's reason is in the Connect worker's log; most often schema "${schema}" does not exist (CREATE SCHEMA ${schema}) or the connector's user may not create tables in it`
    : `the sink could not create table ${table}: the database's reason is in the Connect worker's log (may the connector's user create tables?)`;
}

async function settle(c: Awaited<ReturnType<typeof client>>, inputs: ConnectorInputs, timeoutMs = 120_000): Promise<ConnectorOutputs> {
  const { HttpError, sleep } = await import('../../clients/http.ts');
  const want = inputs.state;
  let last = 'no status yet';
  let runningSince: number | undefined;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(500)) {
    // Right after a create the worker may not have a status yet (404); any other failure is the deploy's.
    const st = await c.status(inputs.name).catch((e: unknown) => {
      if (e instanceof HttpError && e.status === 404) return undefined;
      throw e;
    });
    if (!st) continue;
    const failed = [{ ...st.connector, what: 'connector' }, ...st.tasks.map((t) => ({ ...t, what: `task ${t.id}` }))].find((t) => t.state === 'FAILED');
    if (failed) {
      const cause = traceCause(failed.trace);
      const hint = failureHint(inputs.config, cause);
      throw new Error(`connector ${inputs.name} at ${inputs.connectUrl}: ${failed.what} FAILED: ${cause}${hint ? `; ${hint}` : ''}`);
    }
    // A connector just created has no tasks yet: it runs only once it has tasks and all of them run.
    const settled = st.connector.state === want && st.tasks.length > 0 && st.tasks.every((t) => t.state === want);
    runningSince = settled ? (runningSince ?? Date.now()) : undefined;
    if (runningSince !== undefined && (want === 'PAUSED' || Date.now() - runningSince >= STABLE_MS)) return { ...inputs, status: st.connector.state, tasks: st.tasks.length };
    last = `connector ${st.connector.state}, tasks ${st.tasks.map((t) => `${t.id} ${t.state}`).join(', ') || 'none'}`;
  }
  throw new Error(`connector ${inputs.name} at ${inputs.connectUrl} is not ${want} after ${timeoutMs / 1000} s (${last})`);
}

export async function createConnector(inputs: ConnectorInputs): Promise<ConnectorOutputs> {
  const c = await client(inputs.connectUrl);
  const existing = (await c.connectors()).includes(inputs.name) ? await c.connectorConfig(inputs.name) : undefined;
  const leftByThisDeploy = existing !== undefined && sameRecord(existing, { ...inputs.config, name: inputs.name });
  if (existing && !leftByThisDeploy && !inputs.adopt) {
    throw new Error(
      `connector ${inputs.name} already exists at ${inputs.connectUrl} with another config and is not in this stack's state: pipec does not take over a connector it did not create. ` +
        `Adopt it explicitly (PipelineStack's \`adopt: { connectors: ['${inputs.name}'] }\`; its config is then replaced by the declared one) or remove it`,
    );
  }
  if (!leftByThisDeploy) await c.putConnector(inputs.name, { ...inputs.config });
  if (inputs.state === 'PAUSED') await c.pause(inputs.name);
  else if (leftByThisDeploy) await c.resume(inputs.name);
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
    console.log(`pipec: connector ${props.name} deleted; its replication slot ${slot} still holds WAL on ${props.config['database.hostname'] ?? 'the database'}: drop the slot with PostgreSQL's pg_drop_replication_slot once nothing reads it`);
  }
}
