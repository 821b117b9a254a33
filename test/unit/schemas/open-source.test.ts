import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registryConfigSchema, resolveRegistryConfig } from '../../../compiler/schemas/config.ts';
import { findSubject, lockFromCatalog, openSchemaSource } from '../../../compiler/schemas/index.ts';
import { fixturePath } from './helpers.ts';

async function config(raw: unknown) {
  const resolved = await resolveRegistryConfig(registryConfigSchema.parse(raw), { root: fixturePath(''), env: {}, defaultFolder: 'folder' });
  if (!resolved.ok) throw new Error('config');
  return resolved.config;
}

describe('openSchemaSource', () => {
  it('reads the local folder when no registry is configured, or with --offline', async () => {
    const offline = openSchemaSource(await config({}));
    expect(offline.store.location).toBe(`folder ${fixturePath('folder')}`);
    const { catalog, diagnostics } = await offline.source.resolve([{ subject: 'orders-value', version: 'latest' }]);
    expect(diagnostics).toEqual([]);
    expect(findSubject(catalog, 'orders-value', 'latest')?.version).toBe(3);
    const forced = openSchemaSource(await config({ url: 'http://127.0.0.1:9/apis/ccompat/v7' }), { offline: true });
    expect(forced.store.location).toBe(`folder ${fixturePath('folder')}`);
  });

  it('talks to the registry through the cache when a URL is configured, pinned to the lock when given', async () => {
    const cache = await mkdtemp(path.join(tmpdir(), 'pipec-open-'));
    const online = openSchemaSource(await config({ url: 'http://127.0.0.1:9/apis/ccompat/v7', cache_dir: cache, retries: 0 }));
    expect(online.store.location).toBe('http://127.0.0.1:9/apis/ccompat/v7');
    const dead = await online.source.resolve([{ subject: 'orders-value', version: 'latest' }]);
    expect(dead.diagnostics.map((d) => d.code)).toEqual(['registry-unreachable']);
    // With a lock, `latest` becomes the locked version: the request that fails is for version 3.
    const lock = lockFromCatalog((await openSchemaSource(await config({})).source.resolve([{ subject: 'orders-value', version: 'latest' }])).catalog);
    const pinned = openSchemaSource(await config({ url: 'http://127.0.0.1:9/apis/ccompat/v7', cache_dir: cache, retries: 0 }), { lock });
    const failed = await pinned.source.resolve([{ subject: 'orders-value', version: 'latest' }]);
    expect(failed.diagnostics[0]?.message).toContain('/subjects/orders-value/versions/3:');
  });
});
