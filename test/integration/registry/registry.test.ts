/**
 * Registry semantics against the real Apicurio Registry of the local stack (Confluent API): register
 * Avro, JSON Schema and Protobuf schemas with references, resolve them into a catalog, pull them into a
 * folder, and prove the request discipline (once per subject version, bounded concurrency, nothing at all
 * with a warm lockfile and cache) by counting at a proxy in front of the registry.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findSubject, type SubjectRef } from '../../../compiler/schemas/catalog.ts';
import { createCachedStore } from '../../../compiler/schemas/cache.ts';
import { createFolderStore } from '../../../compiler/schemas/local-folder.ts';
import { createLockedSource, lockFromCatalog } from '../../../compiler/schemas/lockfile.ts';
import { pullSchemas } from '../../../compiler/schemas/pull.ts';
import { createSchemaSource, resolveCatalog } from '../../../compiler/schemas/resolve.ts';
import { formatType } from '../../../compiler/types/types.ts';
import { brief, client, fixture, register, unique } from './helpers.ts';
import { startProxy, type RegistryProxy } from './proxy.ts';

const registryUrl = inject('pipecLocal').schemaRegistryUrl;
const registry = client(registryUrl);
let proxy: RegistryProxy;

const s = {
  money: unique('money'),
  payments: `${unique('payments')}-value`,
  geo: unique('geo'),
  address: unique('address'),
  shipments: `${unique('shipments')}-value`,
  moneyProto: unique('money-proto'),
  invoices: `${unique('invoices')}-value`,
};
const ids: Record<string, number> = {};

beforeAll(async () => {
  proxy = await startProxy(registryUrl);
  ids['money'] = await register(registry, s.money, { schemaType: 'AVRO', schema: fixture('avro/shop.Money.avsc') });
  ids['payments'] = await register(registry, s.payments, { schemaType: 'AVRO', schema: fixture('avro/payments-value.avsc'), references: [{ name: 'shop.Money', subject: s.money, version: 1 }] });
  await register(registry, s.geo, { schemaType: 'JSON', schema: fixture('json/geo.json') });
  await register(registry, s.address, { schemaType: 'JSON', schema: fixture('json/address.json'), references: [{ name: 'geo.json', subject: s.geo, version: 1 }] });
  ids['shipments'] = await register(registry, s.shipments, { schemaType: 'JSON', schema: fixture('json/shipments-value.json'), references: [{ name: 'address.json', subject: s.address, version: 1 }] });
  await register(registry, s.moneyProto, { schemaType: 'PROTOBUF', schema: fixture('protobuf/money.proto') });
  ids['invoices'] = await register(registry, s.invoices, { schemaType: 'PROTOBUF', schema: fixture('protobuf/invoices-value.proto'), references: [{ name: 'money.proto', subject: s.moneyProto, version: 1 }] });
});

afterAll(async () => {
  await proxy.close();
});

const reads = (): SubjectRef[] => [s.payments, s.shipments, s.invoices].map((subject, i) => ({ subject, version: 'latest', span: { file: 'p.pipe', start: i * 10, end: i * 10 + 5 } }));
const columns = (row: readonly { name: string; type: Parameters<typeof formatType>[0] }[]): string[] => row.map((f) => `${f.name} ${formatType(f.type)}`);

describe('the real registry (Apicurio, Confluent API)', () => {
  it('resolves Avro, JSON Schema and Protobuf subjects with their references', async () => {
    const { catalog, diagnostics } = await resolveCatalog(registry, reads());
    expect(brief(diagnostics)).toEqual([]);
    const payments = findSubject(catalog, s.payments, 'latest');
    // The registry omits schemaType for Avro; pipec reads that as AVRO.
    expect(payments).toMatchObject({ version: 1, id: ids['payments'], schemaType: 'AVRO', references: [{ name: 'shop.Money', subject: s.money, version: 1 }] });
    expect(columns(payments?.row ?? [])).toEqual([
      'payment_id STRING NOT NULL',
      // Record columns read with nullable fields (docs/types.md).
      'total ROW<`amount` DECIMAL(18, 4), `currency` STRING> NOT NULL',
      'refunded ROW<`amount` DECIMAL(18, 4), `currency` STRING>',
      'currency_hint STRING',
    ]);
    expect(columns(findSubject(catalog, s.shipments, 'latest')?.row ?? [])).toEqual([
      'id STRING NOT NULL',
      'to ROW<`street` STRING NOT NULL, `zip` STRING, `geo` ROW<`lat` DOUBLE NOT NULL, `lon` DOUBLE NOT NULL>> NOT NULL',
      'from ROW<`street` STRING NOT NULL, `zip` STRING, `geo` ROW<`lat` DOUBLE NOT NULL, `lon` DOUBLE NOT NULL>>',
    ]);
    expect(findSubject(catalog, s.invoices, 'latest')).toMatchObject({ schemaType: 'PROTOBUF', recordName: 'shop.billing.Invoice' });
    expect(catalog.referenced.map((r) => r.subject).sort()).toEqual([s.address, s.geo, s.money, s.moneyProto].sort());
  });

  it('names an unknown subject with candidates from GET /subjects, and an unknown version with the real ones', async () => {
    const typo = s.payments.replace('payments', 'payment');
    const { diagnostics } = await resolveCatalog(client(registryUrl), [
      { subject: typo, version: 'latest' },
      { subject: s.payments, version: 7 },
    ]);
    expect(brief(diagnostics).sort()).toEqual([
      `unknown-subject-version: subject \`${s.payments}\` has no version 7 (${registryUrl}/subjects/${s.payments}/versions/7: error_code 40402: Version 7 not found.)`,
      `unknown-subject: the schema registry has no subject \`${typo}\` (${registryUrl}/subjects/${typo}/versions/latest: error_code 40401: Subject '${typo}' not found.)`,
    ]);
    expect(diagnostics.find((d) => d.code === 'unknown-subject')?.hints[0]).toContain(`\`${s.payments}\``);
    expect(diagnostics.find((d) => d.code === 'unknown-subject-version')?.hints[0]).toBe('its versions are 1');
  });

  it('fetches every subject version once, shared references included, with at most `concurrency` requests in flight', async () => {
    const many = Array.from({ length: 24 }, () => `${unique('fan')}-value`);
    for (const subject of many) {
      await register(registry, subject, { schemaType: 'AVRO', schema: fixture('avro/payments-value.avsc'), references: [{ name: 'shop.Money', subject: s.money, version: 1 }] });
    }
    proxy.reset();
    const store = client(proxy.url, { concurrency: 4 });
    const refs = [...many, ...many].map((subject) => ({ subject, version: 'latest' as const }));
    const { catalog, diagnostics } = await resolveCatalog(store, refs);
    expect(diagnostics).toEqual([]);
    expect(catalog.subjects).toHaveLength(24);
    const paths = proxy.requests.map((r) => r.path);
    expect(paths).toHaveLength(25);
    expect(new Set(paths).size).toBe(25);
    expect(paths.filter((p) => p.includes(s.money))).toEqual([`/apis/ccompat/v7/subjects/${s.money}/versions/1`]);
    expect(proxy.maxInFlight()).toBeLessThanOrEqual(4);
    expect(store.stats().requests).toBe(25);
  });

  it('needs no request at all with a warm lockfile and schema cache', async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'pipec-sr-cache-'));
    const first = await resolveCatalog(registry, reads());
    const lock = lockFromCatalog(first.catalog);
    proxy.reset();
    const cold = createLockedSource(createSchemaSource(createCachedStore(client(proxy.url), cacheDir)), lock);
    expect((await cold.resolve(reads())).diagnostics).toEqual([]);
    expect(proxy.requests.every((r) => !r.path.endsWith('/latest'))).toBe(true);
    expect(proxy.requests.length).toBeGreaterThan(0);
    proxy.reset();
    const warm = createLockedSource(createSchemaSource(createCachedStore(client(proxy.url), cacheDir)), lock);
    const again = await warm.resolve(reads());
    expect(proxy.requests).toEqual([]);
    expect(again.catalog.subjects).toEqual(first.catalog.subjects);
  });

  it('pulls the schemas into a folder that resolves offline to the same catalog', async () => {
    const online = await resolveCatalog(registry, reads());
    const folder = path.join(await mkdtemp(path.join(tmpdir(), 'pipec-sr-pull-')), 'schemas');
    expect((await pullSchemas(online.catalog, folder)).diagnostics).toEqual([]);
    const offline = await resolveCatalog(createFolderStore(folder), reads());
    expect(offline.diagnostics).toEqual([]);
    expect(offline.catalog.subjects).toEqual(online.catalog.subjects);
    expect(offline.catalog.referenced).toEqual(online.catalog.referenced);
  });
});
