/**
 * Kafka Connect target: one golden config per connector kind (golden/<kind>.json, read by a human), the zod
 * schema of each kind accepting what its builder produces and rejecting plaintext secrets, the manifest's
 * dependencies, and diagnostics for configs that cannot be generated.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseFiles, staticSchemas } from '../../../helpers/check.ts';
import { compileProgram } from '../../../../compiler/compile.ts';
import { CONNECTOR_SCHEMAS } from '../../../../targets/kafka-connect/index.ts';
import { configMap } from '../../../../targets/kafka-connect/common.ts';
import { connectConfig, PROJECT, rows } from './fixtures.ts';

const golden = path.join(import.meta.dirname, 'golden');

function compile(files: Record<string, string>, templates: Record<string, string> = {}) {
  return compileProgram(parseFiles(files), connectConfig, staticSchemas(rows), 'pipec test', { connectorTemplates: templates });
}

describe('one connector per kind', () => {
  const result = compile({ 'everything.pipe': PROJECT });
  const connect = (result.output?.artifacts ?? []).filter((a) => a.path.includes('/connect/'));

  test('compiles without errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    expect(connect.map((a) => a.path)).toEqual([
      'everything/connect/acme-staging-everything-paid_connector.json',
      'everything/connect/acme-staging-everything-paid_s3.json',
      'everything/connect/acme-staging-everything-per_customer_elasticsearch.json',
      'everything/connect/acme-staging-everything-per_customer_opensearch.json',
      'everything/connect/acme-staging-everything-per_customer_postgres.json',
      'everything/connect/acme-staging-my.json',
      'everything/connect/acme-staging-pg.json',
    ]);
  });

  const kinds: Record<string, keyof typeof CONNECTOR_SCHEMAS> = {
    'acme-staging-pg': 'debezium-postgres',
    'acme-staging-my': 'debezium-mysql',
    'acme-staging-everything-per_customer_postgres': 'jdbc-sink',
    'acme-staging-everything-paid_s3': 's3-sink',
    'acme-staging-everything-per_customer_elasticsearch': 'elasticsearch-sink',
    'acme-staging-everything-per_customer_opensearch': 'opensearch-sink',
    'acme-staging-everything-paid_connector': 'generic',
  };
  for (const [name, kind] of Object.entries(kinds)) {
    test(`${kind}: golden, sorted keys, and its schema round-trips`, async () => {
      const artifact = connect.find((a) => a.path.endsWith(`/${name}.json`));
      expect(artifact).toBeDefined();
      await expect(artifact?.contents).toMatchFileSnapshot(path.join(golden, `${kind}.json`));
      const config = JSON.parse(artifact?.contents ?? '{}') as Record<string, string>;
      expect(Object.keys(config)).toEqual(Object.keys(config).sort());
      expect(config['name']).toBe(name);
      const parsed = configMap.pipe(CONNECTOR_SCHEMAS[kind]).parse(config);
      expect(parsed).toEqual(config);
    });
  }

  test('a plaintext password does not pass a schema', () => {
    const pg = JSON.parse(connect.find((a) => a.path.endsWith('acme-staging-pg.json'))?.contents ?? '{}') as Record<string, string>;
    expect(CONNECTOR_SCHEMAS['debezium-postgres'].safeParse({ ...pg, 'database.password': 'hunter2' }).success).toBe(false);
    expect(configMap.safeParse({ ...pg, 'some.api.token': 'abc' }).success).toBe(false);
  });

  test('manifest: the job waits for its CDC connectors; sink connectors wait for their topic and subjects', () => {
    const p = result.output?.manifest.pipelines[0];
    expect(p?.job.dependsOn).toEqual(expect.arrayContaining(['connector:acme-staging-pg', 'connector:acme-staging-my']));
    const jdbc = p?.connectors.find((c) => c.name === 'acme-staging-everything-per_customer_postgres');
    expect(jdbc?.kind).toBe('sink');
    expect(jdbc?.dependsOn).toEqual(['subject:acme.everything.per_customer-key', 'subject:acme.everything.per_customer-value', 'topic:acme.everything.per_customer']);
    expect(p?.connectors.find((c) => c.name === 'acme-staging-pg')).toMatchObject({ kind: 'source', dependsOn: [], placeholders: ['registry.apicurio_url'] });
  });
});

describe('project templates', () => {
  const layout = `{
  {{#each extra}}{{json @key}}: {{json this}},
  {{/each}}"name": {{json name}},
  "connector.class": "com.acme.Audit",
  "tasks.max": {{json tasksMax}},
  "topics": {{json topic}},
  "audit.endpoint": {{json connection.[audit.endpoint]}},
  "audit.token": {{json options.[audit.token]}}
}`;
  const pipe = `pipeline p with (checkpoint = 10 s);
source payments from kafka topic 'payments' format avro event time event_time watermark 5 s;
stream paid as select payment_id, amount from payments;
sink paid into connector 'template:audit' via connection audit with ('audit.token' = secret('audit-token'));`;

  test('a project layout is rendered and validated like the stdlib ones', () => {
    const result = compile({ 'p.pipe': pipe }, { audit: layout });
    const config = JSON.parse(result.output?.artifacts.find((a) => a.path.includes('/connect/'))?.contents ?? '{}') as Record<string, string>;
    expect(config).toMatchObject({ 'connector.class': 'com.acme.Audit', 'audit.endpoint': 'https://audit.internal', 'audit.token': '${env:PIPEC_SECRET_AUDIT_TOKEN}', name: 'acme-staging-p-paid_connector', 'tasks.max': '2' });
  });

  test('a missing or broken layout is reported', () => {
    expect(compile({ 'p.pipe': pipe }, { audits: layout }).diagnostics.map((d) => d.code)).toContain('connect-template-not-found');
    expect(compile({ 'p.pipe': pipe }, { audit: '{ "name": {{json name}}, ' }).diagnostics.map((d) => d.code)).toContain('connect-template-invalid');
    expect(compile({ 'p.pipe': pipe }, { audit: '{ "name": {{json name}}, "topics": {{json topic}}, "tasks.max": "1" }' }).diagnostics.map((d) => d.code)).toContain('connect-config-invalid');
  });
});
