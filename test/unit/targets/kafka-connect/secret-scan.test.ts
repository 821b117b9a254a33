/**
 * No secret value reaches an artifact: known values are planted where a project keeps secrets (environment
 * variables and a properties file named by pipec.yaml, `secret('…')` names whose deploy-time values are
 * known here), the examples and a test project are compiled, and every file under the build is searched.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileProgram } from '../../../../compiler/compile.ts';
import { parseFiles, staticSchemas, testSchemas } from '../../../helpers/check.ts';
import { compileExamples, EXAMPLES } from '../../../helpers/examples.ts';
import { connectConfig, PROJECT } from './fixtures.ts';
import { t } from '../../../../compiler/types/types.ts';

const PLANTED = {
  LOANS_DB_USER: 'planted-loans-user-8f2c',
  LOANS_DB_PASSWORD: 'planted-loans-pw-Zq91!x',
  WAREHOUSE_USER: 'planted-wh-user-77a1',
  WAREHOUSE_PASSWORD: 'planted-wh-pw-Lk0#3',
  PG_USER: 'planted-pg-user-c3d4',
  MYSQL_PASSWORD: 'planted-mysql-pw-9e9e',
  DW_USER: 'planted-dw-user-1b1b',
  DW_PASSWORD: 'planted-dw-pw-2c2c',
  AWS_ACCESS_KEY_ID: 'AKIAPLANTED00000000',
  AWS_SECRET_ACCESS_KEY: 'planted/aws+secret/key/0123456789abcdef',
  ES_PASSWORD: 'planted-es-pw-5f5f',
  KAFKA_SASL_JAAS_CONFIG: 'planted-jaas-config-6a6a',
  PIPEC_SECRET_AUDIT_TOKEN: 'planted-audit-token-7b7b',
};
const FILE_SECRET = 'planted-file-password-8c8c';

const saved: Record<string, string | undefined> = {};
let secretsFile = '';

beforeAll(() => {
  for (const [k, v] of Object.entries(PLANTED)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  secretsFile = path.join(mkdtempSync(path.join(tmpdir(), 'pipec-secrets-')), 'pg.properties');
  writeFileSync(secretsFile, `password=${FILE_SECRET}\n`);
});

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function leaks(artifacts: readonly { path: string; contents: string }[]): string[] {
  const values = [...Object.values(PLANTED), FILE_SECRET];
  return artifacts.flatMap((a) => values.filter((v) => a.contents.includes(v)).map((v) => `${a.path} contains ${v}`));
}

describe('secret scan', () => {
  test('the examples (prod environment too) contain no planted value', async () => {
    const result = await compileExamples('1.20');
    const artifacts = result.output?.artifacts ?? [];
    expect(artifacts.some((a) => a.path.includes('/connect/'))).toBe(true);
    expect(leaks(artifacts)).toEqual([]);
    // The references themselves are there, for the worker to resolve.
    const all = artifacts.map((a) => a.contents).join('\n');
    expect(all).toContain('${env:LOANS_DB_PASSWORD}');
    expect(all).toContain('${env:WAREHOUSE_PASSWORD}');
    expect(readFileSync(path.join(EXAMPLES, 'pipec.yaml'), 'utf8')).toContain('${env:KAFKA_SASL_JAAS_CONFIG}');
  });

  test('a project with every connector kind, file references and secret() contains no planted value', () => {
    const config = { ...connectConfig, connections: { ...connectConfig.connections, pg: { ...connectConfig.connections['pg'], type: 'postgres' as const, host: 'pg', port: 5432, database: 'app', user: '${env:PG_USER}', password: `\${file:${secretsFile}:password}`, topic_prefix: 'app' } } };
    const rows = {
      ...testSchemas,
      'app.public.loans-value': testSchemas['loans.public.loans-value'] ?? [],
      'crm.crm.customers-value': [
        { name: 'before', type: t.row([{ name: 'customer_id', type: t.string(false) }]) },
        { name: 'after', type: t.row([{ name: 'customer_id', type: t.string(false) }]) },
        { name: 'op', type: t.string(false) },
      ],
    };
    const result = compileProgram(parseFiles({ 'everything.pipe': PROJECT }), config, staticSchemas(rows), 'pipec test');
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const artifacts = result.output?.artifacts ?? [];
    expect(artifacts.filter((a) => a.path.includes('/connect/')).length).toBe(7);
    expect(leaks(artifacts)).toEqual([]);
    const all = artifacts.map((a) => a.contents).join('\n');
    expect(all).toContain(`\${file:${secretsFile}:password}`);
    expect(all).toContain('${env:PIPEC_SECRET_AUDIT_TOKEN}');
  });
});
