import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalog, SubjectRef } from '../../../compiler/schemas/catalog.ts';
import { findSubject } from '../../../compiler/schemas/catalog.ts';
import { createCachedStore } from '../../../compiler/schemas/cache.ts';
import { createFolderStore } from '../../../compiler/schemas/local-folder.ts';
import { checkFrozen, createLockedSource, lockFromCatalog, parseLock, readLock, renderLock, writeLock } from '../../../compiler/schemas/lockfile.ts';
import { createSchemaSource, resolveCatalog } from '../../../compiler/schemas/resolve.ts';
import type { SchemaStore } from '../../../compiler/schemas/store.ts';
import { brief, fixturePath } from './helpers.ts';

const folder = fixturePath('folder');
const refs: SubjectRef[] = [
  { subject: 'orders-value', version: 'latest', span: { file: 'a.pipe', start: 5, end: 19 } },
  { subject: 'payments-value', version: 'latest', span: { file: 'b.pipe', start: 3, end: 19 } },
];

/** Records every call, to prove which requests a source makes. */
function counting(inner: SchemaStore): SchemaStore & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    location: inner.location,
    auth: inner.auth,
    getVersion: (s, v) => (calls.push(`getVersion ${s} ${v}`), inner.getVersion(s, v)),
    listVersions: (s) => (calls.push(`listVersions ${s}`), inner.listVersions(s)),
    getCompatibility: (s) => (calls.push(`getCompatibility ${s}`), inner.getCompatibility(s)),
    listSubjects: () => (calls.push('listSubjects'), inner.listSubjects()),
  };
}

async function catalog(): Promise<Catalog> {
  return (await resolveCatalog(createFolderStore(folder), refs)).catalog;
}

describe('pipec.lock', () => {
  it('records every subject read, references included, and round-trips through YAML', async () => {
    const lock = lockFromCatalog(await catalog());
    expect(Object.keys(lock.subjects)).toEqual(['orders-value', 'payments-value', 'shop.Money']);
    expect(lock.subjects['orders-value']).toMatchObject({ version: 3, id: 12, schemaType: 'AVRO' });
    const text = renderLock(lock);
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# pipec.lock: the schema versions this project compiles against. Written by pipec; commit it.',
      'lockfileVersion: 1',
      'subjects:',
      '  orders-value:',
    ]);
    expect(parseLock(text, 'pipec.lock')).toEqual({ ok: true, lock });
  });

  it('is clean when nothing drifted, and names each drifted subject otherwise', async () => {
    const current = await catalog();
    const lock = lockFromCatalog(current);
    expect(checkFrozen(current, lock, refs)).toEqual([]);
    const drifted = {
      lockfileVersion: 1 as const,
      subjects: {
        'orders-value': { ...lock.subjects['orders-value']!, version: 2 },
        'payments-value': { ...lock.subjects['payments-value']!, fingerprint: `sha256:${'0'.repeat(64)}` },
      },
    };
    const found = checkFrozen(current, drifted, refs);
    expect(brief(found)).toEqual([
      "lock-version-drift: pipec.lock pins `orders-value` at version 2, but the registry's latest is now version 3",
      'lock-fingerprint-drift: version 2 of `payments-value` is not the schema pipec.lock recorded (its fingerprint or id changed)',
      'lock-subject-missing: subject `shop.Money` is not in pipec.lock',
    ]);
    expect(found[0]?.span).toEqual(refs[0]?.span);
  });

  it('pins `latest` to the locked version: no latest lookups for locked subjects', async () => {
    const lock = lockFromCatalog(await catalog());
    const store = counting(createFolderStore(folder));
    const { catalog: pinned, diagnostics } = await createLockedSource(createSchemaSource(store), lock).resolve(refs);
    expect(diagnostics).toEqual([]);
    expect(store.calls.filter((c) => c.endsWith('latest'))).toEqual([]);
    expect(store.calls.sort()).toEqual(['getVersion orders-value 3', 'getVersion payments-value 2', 'getVersion shop.Money 1']);
    expect(findSubject(pinned, 'orders-value', 'latest')?.version).toBe(3);
  });

  it('serves pinned versions from the cache on the second run: a warm lockfile and cache make no requests', async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'pipec-cache-'));
    const lock = lockFromCatalog(await catalog());
    const cold = counting(createFolderStore(folder));
    await createLockedSource(createSchemaSource(createCachedStore(cold, cacheDir)), lock).resolve(refs);
    expect(cold.calls).toHaveLength(3);
    const warm = counting(createFolderStore(folder));
    const cached = createCachedStore(warm, cacheDir);
    const { catalog: again } = await createLockedSource(createSchemaSource(cached), lock).resolve(refs);
    expect(warm.calls).toEqual([]);
    expect(cached.hits()).toBe(3);
    expect(again).toEqual(await catalog());
  });

  it('reads a missing lockfile as none, reports an invalid one, and writes atomically', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pipec-lock-'));
    expect(await readLock(path.join(dir, 'pipec.lock'))).toEqual({ ok: true, lock: undefined });
    await writeFile(path.join(dir, 'bad.lock'), 'lockfileVersion: 2\nsubjects: {}\n');
    const bad = await readLock(path.join(dir, 'bad.lock'), 'bad.lock');
    expect(brief(bad.ok ? [] : bad.diagnostics)).toEqual([
      'lockfile-invalid: bad.lock is not a valid pipec lockfile: lockfileVersion: expected 1, found the number 2',
    ]);
    const lock = lockFromCatalog(await catalog());
    expect(await writeLock(path.join(dir, 'pipec.lock'), lock)).toEqual([]);
    expect(await readLock(path.join(dir, 'pipec.lock'))).toEqual({ ok: true, lock });
    expect((await readdir(dir)).sort()).toEqual(['bad.lock', 'pipec.lock']);
    expect(await readFile(path.join(dir, 'pipec.lock'), 'utf8')).toBe(renderLock(lock));
  });
});
