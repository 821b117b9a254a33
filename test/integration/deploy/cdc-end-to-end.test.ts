/**
 * End to end on the local stack, deployed by the deployer: PostgreSQL → Debezium → Kafka → Flink → Kafka →
 * JDBC sink → PostgreSQL. One pipeline captures a table, filters and derives a column in Flink, and upserts
 * the result into another table; `pulumi up` creates the Debezium source, the sink topic and its subjects, the
 * Flink job and the JDBC sink. Inserts, updates and deletes upstream must show as the expected rows downstream;
 * `destroy` removes the connectors and the job.
 */
import { afterAll, describe, expect, inject, test } from 'vitest';
import { PipelineStack } from '../../../deploy/stack.ts';
import { t } from '../../../compiler/types/types.ts';
import { ConnectClient } from '../../../clients/connect.ts';
import { staticSchemas } from '../../helpers/check.ts';
import { InProcessEngine } from '../../helpers/in-process-engine.ts';
import { compileSnippet, connectorConfigs, connectSecretsFile, localProjectConfig } from '../kafka-connect/helpers.ts';
import { psql, unique } from '../local-stack/helpers.ts';
import { localStackArgs } from './helpers.ts';
import { writeBuild } from '../../helpers/compile-project.ts';

const endpoints = inject('pipecLocal');
const connect = new ConnectClient(endpoints.connectUrl);
const project = unique('e2e');
const prefix = unique('e2ecdc');
const source = unique('loans');
const target = unique('open_loans');
const engine = new InProcessEngine();

const row = [{ name: 'loan_id', type: t.string(false) }, { name: 'principal', type: t.decimal(12, 2, false) }, { name: 'status', type: t.string(false) }];
const schemas = staticSchemas({ [`${prefix}.public.${source}-value`]: [{ name: 'before', type: t.row(row) }, { name: 'after', type: t.row(row) }, { name: 'op', type: t.string(false) }] });
const config = { ...localProjectConfig(endpoints, connectSecretsFile(endpoints), prefix), project };
const output = compileSnippet(
  {
    'loans.pipe': `pipeline open_loans with (parallelism = 1, checkpoint = 2 s);
source loans from postgres table 'public.${source}' via connection src_db format avro primary key (loan_id);
stream open_loans as
  select loan_id, principal, cast(principal * 100 as bigint) as principal_cents, status
  from loans
  where status <> 'CLOSED';
sink open_loans into postgres table 'public.${target}' via connection dw upsert key (loan_id);`,
  },
  config,
  schemas,
);

/** The downstream table as `id|principal|cents|status` lines, or '' while the sink has not created it. */
async function downstream(): Promise<string> {
  return psql(endpoints, `SELECT CASE WHEN to_regclass('public.${target}') IS NULL THEN '' ELSE (SELECT coalesce(string_agg(loan_id || '|' || principal || '|' || principal_cents || '|' || status, ',' ORDER BY loan_id), '') FROM public.${target}) END`).then((s) => s.trim());
}

async function awaitDownstream(expected: string, timeoutMs = 180_000): Promise<string> {
  let rows = '';
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
    rows = await downstream().catch(() => '');
    if (rows === expected) break;
  }
  return rows;
}

afterAll(async () => {
  await engine.destroy().catch(() => undefined);
  // Deleting a Debezium connector leaves its replication slot, which would hold WAL on this shared database.
  const slot = connectorConfigs(output).find((c) => c.config['slot.name'])?.config['slot.name'];
  if (slot) await psql(endpoints, `SELECT pg_drop_replication_slot('${slot}') FROM pg_replication_slots WHERE slot_name = '${slot}' AND NOT active`).catch(() => undefined);
});

describe('PostgreSQL → Debezium → Kafka → Flink → Kafka → JDBC sink → PostgreSQL, deployed by the deployer', () => {
  test('the build has both connectors and a job between them', () => {
    const [pipeline] = output.manifest.pipelines;
    expect(pipeline?.connectors.map((c) => c.kind).sort()).toEqual(['sink', 'source']);
    expect(connectorConfigs(output).map((c) => c.config['connector.class']).sort()).toEqual(['io.debezium.connector.jdbc.JdbcSinkConnector', 'io.debezium.connector.postgresql.PostgresConnector']);
  });

  test('rows that exist before the deploy arrive, then inserts, updates and deletes follow', { timeout: 600_000 }, async () => {
    await psql(endpoints, `CREATE TABLE public.${source} (loan_id TEXT PRIMARY KEY, principal NUMERIC(12,2) NOT NULL, status TEXT NOT NULL)`);
    await psql(endpoints, `INSERT INTO public.${source} VALUES ('L1', 100.50, 'OPEN'), ('L2', 250.00, 'OPEN'), ('L3', 75.25, 'LATE'), ('L4', 10.00, 'CLOSED')`);

    const buildDir = await writeBuild(output.artifacts, `pipec-${project}-`);
    const steps = await engine.up(() => new PipelineStack(project, localStackArgs(endpoints, buildDir)));
    expect(steps.filter((s) => s.op === 'create').map((s) => s.type.replace(/^.*:/, '')).sort()).toEqual(['Connector', 'Connector', 'FlinkJob', 'JobStateGuard', 'KafkaTopic', 'RegistrySubject', 'RegistrySubject']);
    for (const c of connectorConfigs(output)) expect((await connect.status(c.config['name'] ?? '')).connector.state).toBe('RUNNING');
    // Debezium set REPLICA IDENTITY FULL, without which Flink fails on the first update (no `before` row).
    expect((await psql(endpoints, `SELECT relreplident FROM pg_class WHERE oid = 'public.${source}'::regclass`)).trim()).toBe('f');

    // The snapshot: the closed loan is filtered out.
    expect(await awaitDownstream('L1|100.50|10050|OPEN,L2|250.00|25000|OPEN,L3|75.25|7525|LATE')).toBe('L1|100.50|10050|OPEN,L2|250.00|25000|OPEN,L3|75.25|7525|LATE');

    await psql(endpoints, `INSERT INTO public.${source} VALUES ('L5', 300.00, 'OPEN')`);
    await psql(endpoints, `UPDATE public.${source} SET principal = 120.00 WHERE loan_id = 'L1'`);
    await psql(endpoints, `UPDATE public.${source} SET status = 'CLOSED' WHERE loan_id = 'L2'`);
    await psql(endpoints, `UPDATE public.${source} SET status = 'OPEN' WHERE loan_id = 'L4'`);
    await psql(endpoints, `DELETE FROM public.${source} WHERE loan_id = 'L3'`);
    // L1 updated, L2 closed (gone downstream), L3 deleted, L4 reopened (appears), L5 inserted.
    expect(await awaitDownstream('L1|120.00|12000|OPEN,L4|10.00|1000|OPEN,L5|300.00|30000|OPEN')).toBe('L1|120.00|12000|OPEN,L4|10.00|1000|OPEN,L5|300.00|30000|OPEN');
  });

  test('a second deploy of the same build changes nothing', { timeout: 120_000 }, async () => {
    const buildDir = await writeBuild(output.artifacts, `pipec-${project}-`);
    const steps = await engine.up(() => new PipelineStack(project, localStackArgs(endpoints, buildDir)));
    expect(steps.length).toBe(7);
    expect(steps.every((s) => s.op === 'same')).toBe(true);
  });

  test('destroy removes the connectors and stops the job', { timeout: 300_000 }, async () => {
    const steps = await engine.destroy();
    expect(steps.filter((s) => s.op === 'delete').length).toBe(7);
    const names = new Set(await connect.connectors());
    for (const c of connectorConfigs(output)) expect(names.has(c.config['name'] ?? '')).toBe(false);
  });
});
