/**
 * `pipec local deploy` keeps what it applied in the stack's data/deploy.json: no secret's value may reach that
 * file, yet a second deploy must still tell an unchanged item from one whose secret changed. The deployer's calls
 * are replaced by records of them (no engines): a job's outputs are its inputs, as the real ones are.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { compileProject } from '../../helpers/compile-project.ts';
import { readDeployState, storedForm, writeDeployState, type Applied } from '../../../compiler/cli/local/deploy-state.ts';
import type { LocalEndpoints } from '../../../local/endpoints.ts';
import type { JobInputs, JobOutputs } from '../../../deploy/impl/job.ts';
import type { ConnectorInputs } from '../../../deploy/impl/connector.ts';
import type { TopicInputs, TopicOutputs } from '../../../deploy/impl/topic.ts';
import type { SubjectInputs } from '../../../deploy/impl/subject.ts';

const calls: { readonly call: string; readonly name: string; readonly olds?: unknown; readonly inputs: unknown }[] = [];

vi.mock('../../../deploy/impl/job.ts', async (original) => ({
  ...(await original<object>()),
  createJob: async (inputs: JobInputs) => {
    calls.push({ call: 'createJob', name: inputs.name, inputs });
    return { ...inputs, jobId: `job-${inputs.name}`, planPath: `${inputs.planDir}/${inputs.name}.json` };
  },
  updateJob: async (olds: JobOutputs, inputs: JobInputs) => {
    calls.push({ call: 'updateJob', name: inputs.name, olds, inputs });
    return { ...inputs, jobId: `job-${inputs.name}-2`, planPath: olds.planPath };
  },
}));
vi.mock('../../../deploy/impl/connector.ts', async (original) => ({
  ...(await original<object>()),
  createConnector: async (inputs: ConnectorInputs) => {
    calls.push({ call: 'createConnector', name: inputs.name, inputs });
    return { ...inputs, status: 'RUNNING', tasks: 1 };
  },
}));
vi.mock('../../../deploy/impl/topic.ts', async (original) => ({
  ...(await original<object>()),
  createTopic: async (inputs: TopicInputs): Promise<TopicOutputs> => ({ ...inputs, actualPartitions: inputs.partitions }),
}));
vi.mock('../../../deploy/impl/subject.ts', async (original) => ({
  ...(await original<object>()),
  applySubject: async (inputs: SubjectInputs) => ({ ...inputs, schemaId: 1, version: 1 }),
}));
// The sources' topics and subjects exist already, so nothing is seeded.
vi.mock('../../../local/kafka-client.ts', async (original) => ({
  ...(await original<object>()),
  withAdmin: async () => ['payments', 'loans.public.loans'],
}));
vi.mock('../../../clients/schema-registry.ts', async (original) => ({
  ...(await original<object>()),
  SchemaRegistryClient: class {
    async version(): Promise<object> {
      return {};
    }
  },
}));

const { deployLocal } = await import('../../../compiler/cli/local/deploy.ts');

// A Flink job that writes with a Kafka SASL login given as secret('kafka-jaas'), a JDBC sink and the CDC source
// of the loans table, whose connections' passwords are `${env:…}` references in pipec.yaml.
const PIPE = `pipeline paid_out
  owner 'payments'
  with (parallelism = 1, checkpoint = 30 s);

import payments, loans from 'shared/sources.pipe';

stream paid as
  select p.payment_id, p.loan_id, l.customer_id, p.amount, p.event_time
  from payments p
  join loans for system_time as of p.event_time l on p.loan_id = l.loan_id
  where p.status = 'PAID';

sink paid into kafka topic 'payments.paid'
  format json
  with ('properties.sasl.jaas.config' = secret('kafka-jaas'));

sink paid into postgres table 'analytics.paid'
  via connection warehouse
  upsert key (payment_id);
`;

const JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="paid-out" password="planted-Kafka-p4ss";';

let buildDir = '';
let stackDir = '';

function endpoints(): LocalEndpoints {
  return {
    flinkLine: '1.20',
    kafkaBootstrap: '127.0.0.1:1',
    connectUrl: 'http://127.0.0.1:1',
    flinkRestUrl: 'http://127.0.0.1:1',
    sqlGatewayUrl: 'http://127.0.0.1:1',
    schemaRegistryUrl: 'http://127.0.0.1:1/apis/ccompat/v7',
    postgres: { host: '127.0.0.1', port: 1, user: 'pipec', password: 'pipec', database: 'pipec', jdbcUrl: 'jdbc:postgresql://127.0.0.1:1/pipec' },
    savepointDir: path.join(stackDir, 'data', 'flink', 'savepoints'),
    checkpointDir: path.join(stackDir, 'data', 'flink', 'checkpoints'),
    dir: stackDir,
  };
}

async function deploy(secret: string) {
  return deployLocal({ buildDir, endpoints: endpoints(), allowStateReset: false, resetStart: 'committed-offsets', env: { PIPEC_SECRET_KAFKA_JAAS: secret }, onEvent: () => {} });
}

const stateText = (): string => readFileSync(path.join(stackDir, 'data', 'deploy.json'), 'utf8');

beforeAll(async () => {
  ({ buildDir } = await compileProject({ 'paid_out.pipe': PIPE }));
}, 120_000);

beforeEach(() => {
  stackDir = mkdtempSync(path.join(tmpdir(), 'pipec-local-stack-'));
  calls.length = 0;
});

describe('the local deploy state keeps no secret', () => {
  test('the job was given the secret, and deploy.json does not hold it', async () => {
    await deploy(JAAS);
    const job = calls.find((c) => c.call === 'createJob');
    // The deployer had the value: the test would see a leak if the state stored it.
    expect((job?.inputs as JobInputs).placeholders['secret.kafka-jaas']).toBe(JAAS);
    const text = stateText();
    expect(text).not.toContain('planted-Kafka-p4ss');
    expect(text).not.toContain(JSON.stringify(JAAS).slice(1, -1));
    // The connectors' passwords stay the references the build has.
    expect(calls.filter((c) => c.call === 'createConnector').length).toBe(2);
    expect(text).toContain('${env:WAREHOUSE_PASSWORD}');
    expect(text).toContain('${env:LOANS_DB_PASSWORD}');
  });

  test('only its owner may read deploy.json', async () => {
    await deploy(JAAS);
    expect(statSync(path.join(stackDir, 'data', 'deploy.json')).mode & 0o777).toBe(0o600);
  });

  test('the same secret again is no change; another secret updates the job, which gets the new value', async () => {
    const first = await deploy(JAAS);
    expect(first.counts.created).toBeGreaterThan(0);
    calls.length = 0;
    const again = await deploy(JAAS);
    expect(again.counts).toMatchObject({ created: 0, updated: 0 });
    expect(calls).toEqual([]);

    const rotated = JAAS.replace('planted-Kafka-p4ss', 'rotated-Kafka-p4ss');
    const changed = await deploy(rotated);
    expect(changed.counts).toMatchObject({ created: 0, updated: 1 });
    expect(calls.map((c) => `${c.call} ${c.name}`)).toEqual(['updateJob paid_out']);
    const update = calls[0];
    expect((update?.inputs as JobInputs).placeholders['secret.kafka-jaas']).toBe(rotated);
    // What a rollback would restart: the previous statements as built, with today's values (not their digests).
    const olds = update?.olds as JobOutputs;
    expect(olds.placeholders['secret.kafka-jaas']).toBe(rotated);
    expect(olds.statements.join('\n')).toContain("'properties.sasl.jaas.config' = '${pipec:secret.kafka-jaas}'");
    expect(olds.jobId).toBe('job-paid_out');
    expect(stateText()).not.toContain('Kafka-p4ss');

    calls.length = 0;
    expect((await deploy(rotated)).counts).toMatchObject({ created: 0, updated: 0 });
  });

  test('two stacks store the same secret under different digests', async () => {
    await deploy(JAAS);
    const one = stateText();
    stackDir = mkdtempSync(path.join(tmpdir(), 'pipec-local-stack-'));
    await deploy(JAAS);
    const digests = (text: string): string[] => [...text.matchAll(/"secret\.kafka-jaas": "([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(digests(one)).toHaveLength(1);
    expect(digests(stateText())).toHaveLength(1);
    expect(digests(one)).not.toEqual(digests(stateText()));
  });
});

describe('what is digested', () => {
  const salt = 'ab'.repeat(32);
  const connector = { connectUrl: 'http://connect:8083', name: 'c', state: 'RUNNING', status: 'RUNNING', tasks: 1, config: { 'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector', 'connection.password': 'hunter2', 'connection.username': '${env:WAREHOUSE_USER}', 'connection.url': 'jdbc:postgresql://db/w?password=hunter3', 'database.password': '${env:WAREHOUSE_PASSWORD}' } } as const;

  test("a connector's credentials by stdlib/credentials.ts, and nothing else of its config", () => {
    const stored = storedForm('connector', connector, salt);
    expect(JSON.stringify(stored)).not.toMatch(/hunter/);
    expect(stored.config['connection.password']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(stored.config['connection.url']).toMatch(/^hmac-sha256:/);
    expect(stored.config).toMatchObject({ 'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector', 'connection.username': '${env:WAREHOUSE_USER}', 'database.password': '${env:WAREHOUSE_PASSWORD}' });
    expect(stored).toMatchObject({ name: 'c', connectUrl: 'http://connect:8083' });
    // The same value under the same key digests the same; under another key it differs.
    expect(storedForm('connector', connector, salt)).toEqual(stored);
    expect(storedForm('connector', connector, 'cd'.repeat(32)).config['connection.password']).not.toBe(stored.config['connection.password']);
  });

  test("a registry URL's user info, and a topic's SASL login", () => {
    expect(storedForm('subject', { registryUrl: 'https://u:s3cret@registry' }, salt).registryUrl).toMatch(/^hmac-sha256:/);
    expect(storedForm('subject', { registryUrl: 'http://registry:8081' }, salt).registryUrl).toBe('http://registry:8081');
    const topic = storedForm('topic', { name: 't', sasl: { mechanism: 'plain', username: 'u', password: 's3cret' } }, salt);
    expect(JSON.stringify(topic)).not.toContain('s3cret');
    expect(topic.name).toBe('t');
  });

  test('a state file of the earlier format is read with its values digested, and written back without them', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pipec-local-stack-')), 'data', 'deploy.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, buildDir: '/b', items: { c: { kind: 'connector', outputs: connector } } }));
    const state = readDeployState(file);
    expect(state?.version).toBe(2);
    const item = state?.items['c'] as Applied;
    expect(item.outputs).toEqual(storedForm('connector', connector, state?.salt ?? ''));
    if (state) writeDeployState(file, state);
    expect(readFileSync(file, 'utf8')).not.toMatch(/hunter/);
    expect(readDeployState(file)).toEqual(state);
  });
});
