/**
 * A rendered golden for every diagnostic code of the schema layer, produced by the code path that reports
 * it (not built by hand), rendered exactly as `pipec` prints it. Goldens live with those of every other code,
 * in test/unit/golden/diagnostics/<code>.txt; review them as the user's view of each failure.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { MESSAGES, type DiagnosticCode } from '../../../compiler/diagnostics/messages.ts';
import { renderHuman } from '../../../compiler/diagnostics/render.ts';
import type { SourceFile, Span } from '../../../compiler/source/source.ts';
import { avroToRow } from '../../../compiler/schemas/avro-to-row.ts';
import type { SinkSubject, SubjectRef } from '../../../compiler/schemas/catalog.ts';
import { checkSinkCompatibility } from '../../../compiler/schemas/compatibility.ts';
import { checkCompatibilityOnline } from '../../../compiler/schemas/compatibility-online.ts';
import { registryConfigSchema, resolveRegistryConfig } from '../../../compiler/schemas/config.ts';
import type { HttpRegistry } from '../../../compiler/schemas/http-registry.ts';
import { createFolderStore } from '../../../compiler/schemas/local-folder.ts';
import { checkFrozen, lockFromCatalog, parseLock } from '../../../compiler/schemas/lockfile.ts';
import { protobufToRow } from '../../../compiler/schemas/protobuf-to-row.ts';
import { pullSchemas } from '../../../compiler/schemas/pull.ts';
import { resolveCatalog } from '../../../compiler/schemas/resolve.ts';
import { generateSinkSchema } from '../../../compiler/schemas/sink-schema.ts';
import { failureDiagnostic } from '../../../compiler/schemas/store.ts';
import { t } from '../../../compiler/types/types.ts';
import { fixture, fixturePath } from './helpers.ts';

const PIPE: SourceFile = {
  path: 'pipelines/orders.pipe',
  text: [
    "-- Orders, enriched with the customer, for the analytics team.",
    "source orders from kafka topic 'orders'",
    '  format avro;',
    '',
    "sink enriched_orders into kafka topic 'enriched-orders'",
    '  format avro',
    "  as select order_id, amount, placed_at from orders;",
    '',
  ].join('\n'),
};
const spanOf = (needle: string): Span => {
  const start = PIPE.text.indexOf(needle);
  return { file: PIPE.path, start, end: start + needle.length };
};
const SOURCE = spanOf("'orders'");
const SINK = spanOf("'enriched-orders'");
const render = (d: Diagnostic | undefined): string => (d ? `${renderHuman(d, (p) => (p === PIPE.path ? PIPE : undefined))}\n` : 'missing diagnostic\n');
const ctx = { subject: 'orders-value', span: SOURCE };
const folder = fixturePath('folder');
const registryUrl = 'http://localhost:18085/apis/ccompat/v7';
const sinkSubject = (versions: string[], compatibility: SinkSubject['compatibility'] = 'BACKWARD'): SinkSubject => ({
  subject: 'enriched-orders-value',
  exists: true,
  compatibility,
  versions: versions.map((schema, i) => ({ subject: 'enriched-orders-value', version: i + 1, id: 30 + i, schemaType: 'AVRO', schema, references: [] })),
  referenced: [],
});
const GOLDEN = path.resolve(import.meta.dirname, '../golden/diagnostics');
const avroRecord = (fields: unknown[]) => JSON.stringify({ type: 'record', name: 'EnrichedOrder', namespace: 'shop.analytics', fields });

const scenarios: Record<string, () => Promise<Diagnostic | undefined> | Diagnostic | undefined> = {
  'schema-invalid': () => avroToRow('{"type": "record", "name": "Order", "fields": [', [], ctx).diagnostics[0],
  'schema-not-a-record': () => avroToRow('"string"', [], { subject: 'orders-key', span: SOURCE }).diagnostics[0],
  'schema-no-columns': () => avroToRow(JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'payload', type: ['int', 'string'] }] }), [], ctx).diagnostics[1],
  'schema-recursive': () =>
    avroToRow(JSON.stringify({ type: 'record', name: 'Category', namespace: 'shop', fields: [{ name: 'name', type: 'string' }, { name: 'parent', type: ['null', 'Category'] }] }), [], ctx).diagnostics[0],
  'schema-reference-missing': () => avroToRow(fixture('avro/payments-value.avsc'), [], ctx).diagnostics[0],
  'schema-field-unsupported': () => avroToRow(JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }, { name: 'discount', type: ['null', 'int', 'double'] }] }), [], ctx).diagnostics[0],
  'protobuf-message-not-found': () => protobufToRow(`// pipec:message Ordr\n${'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; }'}`, [], ctx).diagnostics[0],
  'registry-unreachable': () =>
    failureDiagnostic({ kind: 'network', url: `${registryUrl}/subjects/orders-value/versions/latest`, reason: 'connection refused (nothing listens there)', attempts: 4 }, { subject: 'orders-value' }, 'none', SOURCE),
  'registry-timeout': () => failureDiagnostic({ kind: 'timeout', url: `${registryUrl}/subjects/orders-value/versions/latest`, timeoutMs: 10_000, attempts: 4, elapsedMs: 41_437 }, { subject: 'orders-value' }, 'none', SOURCE),
  'registry-response-too-large': () => failureDiagnostic({ kind: 'too-large', url: `${registryUrl}/subjects/orders-value/versions/latest`, limitBytes: 16 * 1024 * 1024 }, { subject: 'orders-value' }, 'none', SOURCE),
  'registry-auth-failed': () =>
    failureDiagnostic({ kind: 'auth', url: `${registryUrl}/subjects/orders-value/versions/latest`, status: 401, answer: 'error_code 40101: Unauthorized' }, { subject: 'orders-value' }, 'none', SOURCE),
  'registry-request-failed': () =>
    failureDiagnostic(
      { kind: 'http', url: `${registryUrl}/subjects/orders-value/versions/latest`, status: 500, answer: 'error_code 50001: Error in the backend data store', attempts: 4 },
      { subject: 'orders-value' },
      'basic',
      SOURCE,
    ),
  'registry-malformed-response': () =>
    failureDiagnostic(
      { kind: 'malformed', url: `${registryUrl}/subjects/orders-value/versions/latest`, status: 200, issue: 'the body is not JSON', excerpt: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
      { subject: 'orders-value' },
      'none',
      SOURCE,
    ),
  'unknown-subject': () =>
    failureDiagnostic(
      { kind: 'not-found', what: 'subject', url: `${registryUrl}/subjects/order-value/versions/latest`, answer: "error_code 40401: Subject 'order-value' not found." },
      { subject: 'order-value', candidates: ['orders-value'] },
      'none',
      SOURCE,
    ),
  'unknown-subject-version': () =>
    failureDiagnostic(
      { kind: 'not-found', what: 'version', url: `${registryUrl}/subjects/orders-value/versions/7`, answer: 'error_code 40402: Version 7 not found.' },
      { subject: 'orders-value', version: 7, available: [1, 2, 3] },
      'none',
      SOURCE,
    ),
  'registry-secret-missing': async () => {
    const r = await resolveRegistryConfig(registryConfigSchema.parse({ url: registryUrl, auth: { type: 'bearer', token: '${env:SR_TOKEN}' } }), { root: '/', env: {} });
    return r.ok ? undefined : r.diagnostics[0];
  },
  'registry-ca-unreadable': async () => {
    const r = await resolveRegistryConfig(registryConfigSchema.parse({ url: registryUrl, ca_file: 'certs/registry-ca.pem' }), { root: '/project', env: {}, readText: () => Promise.reject(new Error("ENOENT: no such file or directory, open '/project/certs/registry-ca.pem'")) });
    return r.ok ? undefined : r.diagnostics[0];
  },
  'local-schema-not-found': async () => (await resolveCatalog(createFolderStore('schemas-relative'), [{ subject: 'orders-value', version: 'latest', span: SOURCE }])).diagnostics[0],
  'local-schema-ambiguous': async () => (await resolveCatalog(createFolderStore(folder), [{ subject: 'dup-value', version: 'latest', span: SOURCE }])).diagnostics[0],
  'local-schema-version-mismatch': async () => {
    const d = (await resolveCatalog(createFolderStore(folder), [{ subject: 'orders-value', version: 2, span: SOURCE }])).diagnostics[0];
    return d && { ...d, message: d.message.replace(folder, 'schemas') };
  },
  'local-meta-invalid': async () => {
    const d = (await resolveCatalog(createFolderStore(folder), [{ subject: 'bad-meta-value', version: 'latest', span: SOURCE }])).diagnostics[0];
    return d && { ...d, message: d.message.replace(folder, 'schemas') };
  },
  'lockfile-invalid': () => {
    const r = parseLock('lockfileVersion: 1\nsubjects:\n  orders-value: { version: 3 }\n', 'pipec.lock');
    return r.ok ? undefined : r.diagnostics[0];
  },
  'lock-subject-missing': async () => {
    const refs: SubjectRef[] = [{ subject: 'orders-value', version: 'latest', span: SOURCE }];
    const { catalog } = await resolveCatalog(createFolderStore(folder), refs);
    return checkFrozen(catalog, { lockfileVersion: 1, subjects: {} }, refs)[0];
  },
  'lock-version-drift': async () => {
    const refs: SubjectRef[] = [{ subject: 'orders-value', version: 'latest', span: SOURCE }];
    const { catalog } = await resolveCatalog(createFolderStore(folder), refs);
    const lock = lockFromCatalog(catalog);
    const entry = lock.subjects['orders-value'];
    return entry && checkFrozen(catalog, { lockfileVersion: 1, subjects: { 'orders-value': { ...entry, version: 2 } } }, refs)[0];
  },
  'lock-fingerprint-drift': async () => {
    const refs: SubjectRef[] = [{ subject: 'orders-value', version: 'latest', span: SOURCE }];
    const { catalog } = await resolveCatalog(createFolderStore(folder), refs);
    const entry = lockFromCatalog(catalog).subjects['orders-value'];
    return entry && checkFrozen(catalog, { lockfileVersion: 1, subjects: { 'orders-value': { ...entry, fingerprint: `sha256:${'ab'.repeat(32)}` } } }, refs)[0];
  },
  'schemas-write-failed': async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pipec-golden-'));
    await writeFile(path.join(dir, 'schemas'), 'a file where the folder should be');
    const { catalog } = await resolveCatalog(createFolderStore(folder), [{ subject: 'orders-value', version: 'latest' }]);
    const d = (await pullSchemas(catalog, path.join(dir, 'schemas'))).diagnostics[0];
    return d && { ...d, message: d.message.replaceAll(dir, '/project') };
  },
  'sink-type-unsupported': () =>
    generateSinkSchema({ subject: 'enriched-orders-value', schemaType: 'AVRO', row: [{ name: 'placed_at', type: t.timestampLtz(3, false) }], namespace: 'shop.analytics', name: 'EnrichedOrder', columnSpans: { placed_at: spanOf('placed_at') } }).diagnostics[0],
  'sink-name-invalid': () =>
    generateSinkSchema({ subject: 'enriched-orders-value', schemaType: 'AVRO', row: [{ name: 'order-id', type: t.string(false) }], namespace: 'shop.analytics', name: 'EnrichedOrder', span: SINK }).diagnostics[0],
  'sink-schema-type-changed': () => checkSinkCompatibility(sinkSubject([avroRecord([{ name: 'order_id', type: 'string' }])]), { schemaType: 'JSON', schema: '{"type":"object"}' }, SINK)[0],
  'sink-schema-incompatible': () =>
    checkSinkCompatibility(
      sinkSubject([avroRecord([{ name: 'order_id', type: 'string' }])]),
      { schemaType: 'AVRO', schema: avroRecord([{ name: 'order_id', type: 'string' }, { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } }]) },
      SINK,
    )[0],
  'sink-schema-rejected-by-registry': async () => {
    const registry = {
      location: registryUrl,
      auth: 'none',
      testCompatibility: async () => ({ ok: true, value: { compatible: false, messages: [] } }),
    } as unknown as HttpRegistry;
    return (await checkCompatibilityOnline(registry, sinkSubject(['"string"'], 'FULL'), { schemaType: 'AVRO', schema: '"int"' }, SINK))[0];
  },
};

/** The codes of the `schemas and the registry` section of messages.ts (but schema-logical-type-ignored, which the binder reports where a column is selected: test/unit/golden/diagnostics). */
const SCHEMA_CODES: readonly DiagnosticCode[] = [
  'schema-invalid', 'schema-not-a-record', 'schema-no-columns', 'schema-recursive', 'schema-reference-missing', 'schema-field-unsupported',
  'protobuf-message-not-found', 'registry-unreachable', 'registry-timeout', 'registry-response-too-large', 'registry-auth-failed',
  'registry-request-failed', 'registry-malformed-response', 'unknown-subject', 'unknown-subject-version', 'registry-secret-missing',
  'registry-ca-unreadable', 'local-schema-not-found', 'local-schema-ambiguous', 'local-schema-version-mismatch', 'local-meta-invalid',
  'lockfile-invalid', 'lock-subject-missing', 'lock-version-drift', 'lock-fingerprint-drift', 'schemas-write-failed', 'sink-type-unsupported',
  'sink-name-invalid', 'sink-schema-type-changed', 'sink-schema-incompatible', 'sink-schema-rejected-by-registry',
];

describe('rendered goldens of the schema layer\'s diagnostics', () => {
  it('has a scenario for every code of the section', () => {
    expect([...SCHEMA_CODES].sort()).toEqual(Object.keys(scenarios).sort());
    for (const code of SCHEMA_CODES) expect(MESSAGES[code]).toBeDefined();
  });

  it.each(Object.keys(scenarios))('%s', async (code) => {
    const d = await scenarios[code]?.();
    expect(d?.code).toBe(code);
    await expect(render(d)).toMatchFileSnapshot(path.join(GOLDEN, `${code}.txt`));
  });
});
