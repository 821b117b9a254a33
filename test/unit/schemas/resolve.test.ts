import { describe, expect, it } from 'vitest';
import { findSubject, findSink, type SubjectRef } from '../../../compiler/schemas/catalog.ts';
import { lookupOf } from '../../../compiler/driver/schemas.ts';
import { createHttpRegistry } from '../../../compiler/schemas/http-registry.ts';
import { createFolderStore } from '../../../compiler/schemas/local-folder.ts';
import { resolveCatalog } from '../../../compiler/schemas/resolve.ts';
import { brief, columns, fixturePath } from './helpers.ts';

const folder = fixturePath('folder');
const span = (start: number) => ({ file: 'pipelines/orders.pipe', start, end: start + 10 });
const read = (subject: string, version: number | 'latest' = 'latest', at = 0): SubjectRef => ({ subject, version, span: span(at) });

describe('resolveCatalog over the local folder', () => {
  it('resolves subjects of all three types with their references, into a JSON-able snapshot', async () => {
    const { catalog, diagnostics } = await resolveCatalog(createFolderStore(folder), [read('orders-value'), read('payments-value'), read('customers-value'), read('invoices-value')]);
    expect(brief(diagnostics)).toEqual([]);
    expect(catalog.subjects.map((s) => [s.subject, s.version, s.schemaType, s.id])).toEqual([
      ['customers-value', 1, 'JSON', null],
      ['invoices-value', 1, 'PROTOBUF', null],
      ['orders-value', 3, 'AVRO', 12],
      ['payments-value', 2, 'AVRO', 21],
    ]);
    expect(catalog.latest).toEqual({ 'customers-value': 1, 'invoices-value': 1, 'orders-value': 3, 'payments-value': 2 });
    expect(catalog.referenced.map((s) => `${s.subject}@${s.version}`)).toEqual(['money.proto@1', 'shop.Money@1']);
    expect(columns(findSubject(catalog, 'payments-value', 'latest')?.row ?? [])).toContain('total ROW<`amount` DECIMAL(18, 4), `currency` STRING> NOT NULL');
    expect(findSubject(catalog, 'orders-value', 3)?.flinkSchema).toContain('"name":"shop.orders.Order"');
    expect(findSubject(catalog, 'orders-value', 'latest')?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
    expect(lookupOf(catalog).get('invoices-value', 'latest')?.recordName).toBe('shop.billing.Invoice');
  });

  it('reports an unknown subject at the ref, with did-you-mean over the folder', async () => {
    const { diagnostics } = await resolveCatalog(createFolderStore(folder), [read('order-value', 'latest', 42)]);
    expect(brief(diagnostics)).toEqual([`local-schema-not-found: no schema for subject \`order-value\` in ${folder}`]);
    expect(diagnostics[0]?.hints[0]).toMatch(/^did you mean `orders-value`/);
    expect(diagnostics[0]?.span).toEqual(span(42));
  });

  it('reports a pinned version the folder does not hold, ambiguous files and invalid metadata', async () => {
    const { diagnostics } = await resolveCatalog(createFolderStore(folder), [read('orders-value', 2), read('dup-value'), read('bad-meta-value')]);
    expect(brief(diagnostics).sort()).toEqual([
      `local-meta-invalid: ${folder}/bad-meta-value.meta.yaml is not valid: version: expected a number, found the text 'three'`,
      'local-schema-ambiguous: subject `dup-value` has more than one schema file: dup-value.avsc, dup-value.json',
      `local-schema-version-mismatch: the pipeline asks for version 2 of \`orders-value\`, but ${folder}/orders-value.avsc holds version 3`,
    ]);
  });

  it('fetches history and level for sink subjects, and accepts a sink subject that does not exist yet', async () => {
    const refs: SubjectRef[] = [
      { subject: 'enriched-orders-value', version: 'latest', purpose: 'write', span: span(1) },
      { subject: 'brand-new-value', version: 'latest', purpose: 'write', span: span(2) },
    ];
    const { catalog, diagnostics } = await resolveCatalog(createFolderStore(folder), refs, { defaultCompatibility: 'BACKWARD_TRANSITIVE' });
    expect(diagnostics).toEqual([]);
    expect(findSink(catalog, 'enriched-orders-value')).toMatchObject({ exists: true, compatibility: 'FULL', versions: [{ version: 4, id: 40 }] });
    expect(findSink(catalog, 'brand-new-value')).toEqual({ subject: 'brand-new-value', exists: false, compatibility: 'BACKWARD_TRANSITIVE', versions: [], referenced: [] });
    expect(catalog.subjects).toEqual([]);
  });

  it('carries the mapper\'s field notes on the subject, for the binder to report where a column is selected', async () => {
    const { catalog, diagnostics } = await resolveCatalog(createFolderStore(folder), [read('events-value', 'latest', 7)]);
    expect(diagnostics).toEqual([]);
    expect(catalog.subjects[0]?.notes?.map((n) => [n.path.join('.'), n.logicalType])).toEqual([['recorded_at', 'timestamp-micros']]);
    expect(columns(catalog.subjects[0]?.row ?? [])).toEqual(['id STRING NOT NULL', 'recorded_at BIGINT NOT NULL']);
  });

  it('reports a dead registry once, not once per subject', async () => {
    const store = createHttpRegistry({ url: 'http://127.0.0.1:9/apis/ccompat/v7', retries: 1, backoffMs: 1 });
    const { diagnostics } = await resolveCatalog(store, ['a', 'b', 'c', 'd', 'e'].map((s) => read(`${s}-value`)));
    expect(diagnostics.map((d) => d.code)).toEqual(['registry-unreachable']);
    expect(diagnostics[0]?.message).toMatch(/^cannot reach the schema registry at http:\/\/127\.0\.0\.1:9\/apis\/ccompat\/v7\/subjects\/\w-value\/versions\/latest: connection refused \(nothing listens there\) \(after 2 attempts\)$/);
  });
});
