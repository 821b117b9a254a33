import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactUrl, registryConfigSchema, resolveRegistryConfig } from '../../../compiler/schemas/config.ts';
import { brief, fixturePath } from './helpers.ts';

describe('registry config', () => {
  it('validates the section with defaults', () => {
    expect(registryConfigSchema.parse({ url: 'http://localhost:18085/apis/ccompat/v7' })).toEqual({
      url: 'http://localhost:18085/apis/ccompat/v7',
      kind: 'apicurio',
      timeout_ms: 10_000,
      retries: 3,
      concurrency: 8,
      lockfile: 'pipec.lock',
      cache_dir: '.pipec/cache/schemas',
      default_compatibility: 'BACKWARD',
    });
    expect(registryConfigSchema.safeParse({ auth: { type: 'basic', username: 'x' } }).success).toBe(false);
    expect(registryConfigSchema.safeParse({ retries: 100 }).success).toBe(false);
    expect(registryConfigSchema.safeParse({ urll: 'x' }).success).toBe(false);
    expect(registryConfigSchema.parse({ kind: 'confluent' }).kind).toBe('confluent');
    expect(registryConfigSchema.safeParse({ kind: 'karapace' }).success).toBe(false);
  });

  it('resolves ${env:…} credentials at the edge, keeps them out of every printout, and reads the CA file', async () => {
    const config = registryConfigSchema.parse({
      url: 'https://sr.example.com/',
      auth: { type: 'basic', username: '${env:SR_USER}', password: '${env:SR_PASSWORD}' },
      ca_file: 'tls/localhost.crt',
    });
    const result = await resolveRegistryConfig(config, { root: fixturePath(''), env: { SR_USER: 'ci', SR_PASSWORD: 'hunter2' } });
    if (!result.ok) throw new Error('expected ok');
    expect(result.config.url).toBe('https://sr.example.com');
    expect(result.config.auth?.type === 'basic' && result.config.auth.password.reveal()).toBe('hunter2');
    expect(result.config.ca).toContain('BEGIN CERTIFICATE');
    expect(result.config.folder).toBe(fixturePath('schemas'));
    const printed = `${JSON.stringify(result.config)} ${inspect(result.config, { depth: 5 })} ${String(result.config.auth?.type === 'basic' ? result.config.auth.password : '')}`;
    expect(printed).not.toContain('hunter2');
    expect(printed).toContain('***');
  });

  it('names a missing variable, never a value', async () => {
    const config = registryConfigSchema.parse({ url: 'http://x', auth: { type: 'bearer', token: '${env:SR_TOKEN}' }, ca_file: 'missing.pem' });
    const result = await resolveRegistryConfig(config, { root: '/nonexistent', env: {} });
    expect(result.ok).toBe(false);
    expect(brief(result.ok ? [] : result.diagnostics)).toEqual([
      'registry-secret-missing: `registry.auth.token` refers to the environment variable `SR_TOKEN`, which is not set',
      "registry-ca-unreadable: cannot read the registry CA certificate missing.pem: ENOENT: no such file or directory, open '/nonexistent/missing.pem'",
    ]);
  });

  it('takes `registry.url` from environment variables and checks the URL they make', async () => {
    const config = registryConfigSchema.parse({ url: '${env:SR_URL}' });
    const resolved = await resolveRegistryConfig(config, { root: '/p', env: { SR_URL: 'https://sr.example.com/apis/ccompat/v7/' } });
    expect(resolved.ok && resolved.config.url).toBe('https://sr.example.com/apis/ccompat/v7');
    const composed = await resolveRegistryConfig(registryConfigSchema.parse({ url: 'https://${env:SR_HOST}:8081' }), { root: '/p', env: { SR_HOST: 'sr.internal' } });
    expect(composed.ok && composed.config.url).toBe('https://sr.internal:8081');
    const notUrl = await resolveRegistryConfig(config, { root: '/p', env: { SR_URL: 'sr.example.com secret-ish' } });
    expect(brief(notUrl.ok ? [] : notUrl.diagnostics)).toEqual(['registry-url-invalid: `registry.url` is not an http(s) URL once its environment variables are filled in']);
    expect(JSON.stringify(notUrl)).not.toContain('secret-ish');
    expect(registryConfigSchema.safeParse({ url: 'not a url' }).success).toBe(false);
    expect(registryConfigSchema.safeParse({ url: 'ftp://sr.example.com' }).success).toBe(false);
  });

  it('redacts credentials in URLs', () => {
    expect(redactUrl('https://user:pw@sr.example.com/apis')).toBe('https://sr.example.com/apis');
    expect(redactUrl('http://sr:8081')).toBe('http://sr:8081');
  });
});
