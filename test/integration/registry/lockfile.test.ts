/**
 * Lockfile drift against the real registry: `--frozen` (checkFrozen) names each drifted subject when a new
 * version is registered, when a version is deleted and registered again with other content (also when the
 * `.pipe` file pins that version and the schema cache already holds the old content), and when a subject is
 * not in the lock; a subject deleted from the registry surfaces as unknown.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { resolveSchemas } from '../../../compiler/driver/schemas.ts';
import { registryConfigSchema } from '../../../compiler/schemas/config.ts';
import { testConfig } from '../../helpers/check.ts';
import type { SubjectRef } from '../../../compiler/schemas/catalog.ts';
import { checkFrozen, lockFromCatalog } from '../../../compiler/schemas/lockfile.ts';
import { resolveCatalog } from '../../../compiler/schemas/resolve.ts';
import { brief, client, register, unique } from './helpers.ts';

const registryUrl = inject('pipecLocal').schemaRegistryUrl;
const registry = client(registryUrl);
const record = (fields: unknown[]) => JSON.stringify({ type: 'record', name: 'Order', namespace: 'shop', fields });
const v1 = record([{ name: 'id', type: 'string' }]);
const v2 = record([{ name: 'id', type: 'string' }, { name: 'note', type: ['null', 'string'], default: null }]);

async function remove(subject: string): Promise<void> {
  for (const suffix of ['', '?permanent=true']) {
    const res = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}${suffix}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
  }
}

describe('pipec.lock against the real registry', () => {
  it('is clean right after locking, and names a subject whose latest version moved', async () => {
    const subject = `${unique('locked')}-value`;
    await register(registry, subject, { schemaType: 'AVRO', schema: v1 });
    const refs: SubjectRef[] = [{ subject, version: 'latest', span: { file: 'a.pipe', start: 0, end: 5 } }];
    const locked = await resolveCatalog(client(registryUrl), refs);
    const lock = lockFromCatalog(locked.catalog);
    expect(checkFrozen(locked.catalog, lock, refs)).toEqual([]);
    await register(registry, subject, { schemaType: 'AVRO', schema: v2 });
    const now = await resolveCatalog(client(registryUrl), refs);
    expect(brief(checkFrozen(now.catalog, lock, refs))).toEqual([`lock-version-drift: pipec.lock pins \`${subject}\` at version 1, but the registry's latest is now version 2`]);
  });

  it('names a version deleted and registered again with other content', async () => {
    const subject = `${unique('reborn')}-value`;
    await register(registry, subject, { schemaType: 'AVRO', schema: v1 });
    const refs: SubjectRef[] = [{ subject, version: 'latest' }];
    const lock = lockFromCatalog((await resolveCatalog(client(registryUrl), refs)).catalog);
    await remove(subject);
    await register(registry, subject, { schemaType: 'AVRO', schema: record([{ name: 'id', type: 'long' }]) });
    const now = await resolveCatalog(client(registryUrl), refs);
    expect(now.catalog.subjects[0]?.version).toBe(1);
    expect(brief(checkFrozen(now.catalog, lock, refs))).toEqual([
      `lock-fingerprint-drift: version 1 of \`${subject}\` is not the schema pipec.lock recorded (its fingerprint or id changed)`,
    ]);
  });

  it('--frozen with a version pinned in the .pipe file and a warm cache still sees a version registered again with other content', async () => {
    const subject = `${unique('pinned')}-value`;
    await register(registry, subject, { schemaType: 'AVRO', schema: v1 });
    const root = await mkdtemp(path.join(tmpdir(), 'pipec-frozen-'));
    const config = { ...testConfig, root, registry: registryConfigSchema.parse({ url: registryUrl }) };
    const refs: SubjectRef[] = [{ subject, version: 1, span: { file: 'a.pipe', start: 0, end: 5 } }];
    // A compile writes pipec.lock and fills the cache; a frozen run right after is clean.
    const first = await resolveSchemas(config, refs, { offline: false, frozen: false });
    expect(first.diagnostics).toEqual([]);
    expect((await resolveSchemas(config, refs, { offline: false, frozen: true })).diagnostics).toEqual([]);
    await remove(subject);
    await register(registry, subject, { schemaType: 'AVRO', schema: record([{ name: 'id', type: 'long' }]) });
    const frozen = await resolveSchemas(config, refs, { offline: false, frozen: true });
    expect(brief(frozen.diagnostics)).toEqual([
      `lock-fingerprint-drift: version 1 of \`${subject}\` is not the schema pipec.lock recorded (its fingerprint or id changed)`,
    ]);
    // The frozen run rewrote the cache: a plain compile now reads what the registry holds.
    const after = await resolveSchemas(config, refs, { offline: false, frozen: false });
    expect(after.catalog.subjects[0]?.row.map((f) => f.type.kind)).toEqual(['BIGINT']);
  });

  it('names a subject the lock does not have, and reports a locked subject the registry lost', async () => {
    const kept = `${unique('kept')}-value`;
    const added = `${unique('added')}-value`;
    await register(registry, kept, { schemaType: 'AVRO', schema: v1 });
    const lock = lockFromCatalog((await resolveCatalog(client(registryUrl), [{ subject: kept, version: 'latest' }])).catalog);
    await register(registry, added, { schemaType: 'AVRO', schema: v1 });
    const both: SubjectRef[] = [{ subject: kept, version: 'latest' }, { subject: added, version: 'latest' }];
    const now = await resolveCatalog(client(registryUrl), both);
    expect(brief(checkFrozen(now.catalog, lock, both))).toEqual([`lock-subject-missing: subject \`${added}\` is not in pipec.lock`]);
    await remove(kept);
    const gone = await resolveCatalog(client(registryUrl), both);
    expect(gone.diagnostics.map((d) => d.code)).toEqual(['unknown-subject']);
  });
});
