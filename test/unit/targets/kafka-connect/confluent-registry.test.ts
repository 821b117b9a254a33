/**
 * The Confluent Schema Registry flavour (`registry.kind: confluent`): connectors use Confluent's Avro converter on
 * the registry's Confluent API, with basic auth through a config provider, and sinks never register a schema;
 * Flink's registry formats send the registry's user info. Confluent's converter is not on Maven Central, so these
 * configs are held to goldens and to a zod schema of Confluent's documented converter options, not to a worker.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseFiles, staticSchemas } from '../../../helpers/check.ts';
import { compileProgram } from '../../../../compiler/compile.ts';
import { registryConfigSchema } from '../../../../compiler/schemas/config.ts';
import { CONNECTOR_SCHEMAS } from '../../../../targets/kafka-connect/index.ts';
import { configMap, converterConfig } from '../../../../targets/kafka-connect/common.ts';
import { connectConfig, PROJECT, rows } from './fixtures.ts';

const golden = path.join(import.meta.dirname, 'golden', 'confluent');
const registry = registryConfigSchema.parse({ url: 'https://sr.acme.internal', kind: 'confluent', auth: { type: 'basic', username: 'ci', password: 'secret-at-compile-time' } });
const result = compileProgram(parseFiles({ 'everything.pipe': PROJECT }), { ...connectConfig, registry }, staticSchemas(rows), 'pipec test');
const artifact = (suffix: string): Record<string, string> => JSON.parse(result.output?.artifacts.find((a) => a.path.endsWith(suffix))?.contents ?? '{}') as Record<string, string>;

describe('registry.kind: confluent', () => {
  test('compiles without errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  });

  const kinds = { 'acme-staging-pg': 'debezium-postgres', 'acme-staging-everything-per_customer_postgres': 'jdbc-sink' } as const;
  for (const [name, kind] of Object.entries(kinds)) {
    test(`${kind}: golden, and it passes its schema and Confluent's converter options`, async () => {
      const config = artifact(`/connect/${name}.json`);
      await expect(`${JSON.stringify(config, null, 2)}\n`).toMatchFileSnapshot(path.join(golden, `${kind}.json`));
      expect(configMap.pipe(converterConfig).pipe(CONNECTOR_SCHEMAS[kind]).parse(config)).toEqual(config);
      expect(Object.keys(config).filter((k) => k.includes('apicurio'))).toEqual([]);
    });
  }

  test('a source registers what Debezium derives; a sink reads the subjects pipec registered, never registering one', () => {
    expect(artifact('/connect/acme-staging-pg.json')).toMatchObject({
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': '${pipec:registry.url}',
      'value.converter.auto.register.schemas': 'true',
      'value.converter.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.basic.auth.user.info': '${env:PIPEC_REGISTRY_USER_INFO}',
    });
    expect(artifact('/connect/acme-staging-pg.json')['value.converter.use.latest.version']).toBeUndefined();
    expect(artifact('/connect/acme-staging-everything-per_customer_postgres.json')).toMatchObject({
      'key.converter': 'io.confluent.connect.avro.AvroConverter',
      'key.converter.auto.register.schemas': 'false',
      'key.converter.use.latest.version': 'true',
      'value.converter.auto.register.schemas': 'false',
      'value.converter.use.latest.version': 'true',
    });
  });

  test('the connectors need no Apicurio URL: the registry URL is the deployer\'s registry.url (MySQL\'s schema history needs Kafka)', () => {
    const placeholders = new Set(result.output?.manifest.pipelines.flatMap((p) => p.connectors.flatMap((c) => c.placeholders)));
    expect([...placeholders].sort()).toEqual(['kafka.bootstrap_servers', 'registry.url']);
  });

  test('Flink\'s registry formats send the registry\'s user info', () => {
    const job = result.output?.artifacts.find((a) => a.path === 'everything/job.sql')?.contents ?? '';
    expect(job).toContain("'value.avro-confluent.basic-auth.credentials-source' = 'USER_INFO'");
    expect(job).toContain("'value.avro-confluent.basic-auth.user-info' = '${pipec:registry.user_info}'");
    expect(job).toContain("'value.debezium-avro-confluent.basic-auth.user-info' = '${pipec:registry.user_info}'");
    expect(job).not.toContain('secret-at-compile-time');
  });

  test('options Confluent does not document, a missing user info or a literal one are refused', () => {
    const sink = artifact('/connect/acme-staging-everything-per_customer_postgres.json');
    const problems = (config: Record<string, string>): string[] => {
      const r = converterConfig.safeParse(config);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems(sink)).toEqual([]);
    expect(problems({ ...sink, 'value.converter.apicurio.registry.url': 'http://x' })).toEqual([expect.stringContaining('apicurio.registry.url')]);
    const { ['value.converter.basic.auth.user.info']: _, ...withoutUserInfo } = sink;
    expect(problems(withoutUserInfo)).toEqual(['value.converter: `basic.auth.credentials.source=USER_INFO` needs `basic.auth.user.info`']);
    expect(problems({ ...sink, 'value.converter.basic.auth.user.info': 'ci:hunter2' })[0]).toMatch(/^value\.converter\.basic\.auth\.user\.info: a Connect config-provider reference/);
    expect(configMap.safeParse({ ...sink, 'value.converter.basic.auth.user.info': 'ci:hunter2' }).success).toBe(false);
  });
});

describe('registry.kind: apicurio (the default) keeps Apicurio\'s converter', () => {
  test('no registry section, or kind apicurio: the same configs', () => {
    const apicurio = compileProgram(parseFiles({ 'everything.pipe': PROJECT }), { ...connectConfig, registry: registryConfigSchema.parse({ kind: 'apicurio' }) }, staticSchemas(rows), 'pipec test');
    const plain = compileProgram(parseFiles({ 'everything.pipe': PROJECT }), connectConfig, staticSchemas(rows), 'pipec test');
    const connect = (r: typeof plain): string[] => (r.output?.artifacts ?? []).filter((a) => a.path.includes('/connect/')).map((a) => a.contents);
    expect(connect(apicurio)).toEqual(connect(plain));
    expect(connect(plain).join('\n')).toContain('io.apicurio.registry.utils.converter.AvroConverter');
  });
});
