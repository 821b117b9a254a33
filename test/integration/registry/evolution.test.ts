/**
 * Sink schema evolution against the real registry: pipec's local compatibility verdict (which names the
 * field and the rule) must agree with what the registry does when the schema is registered: accept it, or
 * answer 409. Schemas are the ones pipec generates for sinks.
 */
import { describe, expect, inject, it } from 'vitest';
import { findSink, type CompatibilityLevel, type SchemaType } from '../../../compiler/schemas/catalog.ts';
import { checkSinkCompatibility } from '../../../compiler/schemas/compatibility.ts';
import { checkCompatibilityOnline } from '../../../compiler/schemas/compatibility-online.ts';
import { resolveCatalog } from '../../../compiler/schemas/resolve.ts';
import { generateSinkSchema } from '../../../compiler/schemas/sink-schema.ts';
import { t, type RowField } from '../../../compiler/types/types.ts';
import { brief, client, register, unique } from './helpers.ts';

const registryUrl = inject('pipecLocal').schemaRegistryUrl;
const registry = client(registryUrl);

const base: RowField[] = [
  { name: 'order_id', type: t.string(false) },
  { name: 'customer_id', type: t.bigint(false) },
  { name: 'amount', type: t.double(false) },
];

function schemaFor(schemaType: SchemaType, row: RowField[], previous?: string): string {
  const generated = generateSinkSchema({ subject: 's', schemaType, row, namespace: 'shop.analytics', name: 'EnrichedOrder', previous });
  if (!generated.ok) throw new Error(brief(generated.diagnostics).join('\n'));
  return generated.schema;
}

/** A subject at `level` holding `history`; returns what pipec and the registry say about `next`. */
async function verdicts(schemaType: SchemaType, level: CompatibilityLevel, history: string[], next: string) {
  const subject = `${unique('evolve')}-value`;
  const set = await registry.setCompatibility(subject, 'NONE');
  expect(set.ok).toBe(true);
  for (const schema of history) await register(registry, subject, { schemaType, schema });
  expect((await registry.setCompatibility(subject, level)).ok).toBe(true);
  const { catalog, diagnostics } = await resolveCatalog(client(registryUrl), [{ subject, version: 'latest', purpose: 'write' }]);
  expect(diagnostics).toEqual([]);
  const sink = findSink(catalog, subject);
  if (!sink) throw new Error('no sink in the catalog');
  expect(sink.compatibility).toBe(level);
  expect(sink.versions.map((v) => v.version)).toEqual(history.map((_, i) => i + 1));
  const local = checkSinkCompatibility(sink, { schemaType, schema: next });
  const registered = await registry.register(subject, { schemaType, schema: next });
  return {
    local: local.map((d) => d.message.replace(/^.*?: /, '')),
    registry: registered.ok ? 'registered' : registered.failure.kind === 'http' ? `HTTP ${registered.failure.status}` : registered.failure.kind,
    sink,
  };
}

describe('sink schema evolution: pipec and the registry agree', () => {
  it('Avro BACKWARD: a nullable column is a compatible addition', async () => {
    const v = await verdicts('AVRO', 'BACKWARD', [schemaFor('AVRO', base)], schemaFor('AVRO', [...base, { name: 'channel', type: t.string(true) }]));
    expect(v).toMatchObject({ local: [], registry: 'registered' });
  });

  it('Avro BACKWARD: a NOT NULL column is not, and pipec names it', async () => {
    const v = await verdicts('AVRO', 'BACKWARD', [schemaFor('AVRO', base)], schemaFor('AVRO', [...base, { name: 'channel', type: t.string(false) }]));
    expect(v).toMatchObject({ local: ['field `channel` was added without a default'], registry: 'HTTP 409' });
  });

  it('Avro BACKWARD: narrowing a type is not', async () => {
    const v = await verdicts('AVRO', 'BACKWARD', [schemaFor('AVRO', base)], schemaFor('AVRO', [...base.slice(0, 2), { name: 'amount', type: t.float(false) }]));
    expect(v).toMatchObject({ local: ['field `amount` changed type from double to float'], registry: 'HTTP 409' });
  });

  it('Avro FORWARD: dropping a column old readers need is not', async () => {
    const v = await verdicts('AVRO', 'FORWARD', [schemaFor('AVRO', base)], schemaFor('AVRO', base.slice(0, 2)));
    expect(v).toMatchObject({ local: ['field `amount` was removed, and version 1 gives it no default'], registry: 'HTTP 409' });
  });

  it('Avro BACKWARD_TRANSITIVE checks every version; BACKWARD only the latest', async () => {
    const history = [schemaFor('AVRO', base), schemaFor('AVRO', base.slice(0, 2))];
    const next = schemaFor('AVRO', [...base.slice(0, 2), { name: 'amount', type: t.string(true) }]);
    expect(await verdicts('AVRO', 'BACKWARD', history, next)).toMatchObject({ local: [], registry: 'registered' });
    expect(await verdicts('AVRO', 'BACKWARD_TRANSITIVE', history, next)).toMatchObject({ local: ['field `amount` changed type from double to string'], registry: 'HTTP 409' });
  });

  it('Avro FULL: both directions', async () => {
    const v = await verdicts('AVRO', 'FULL', [schemaFor('AVRO', base)], schemaFor('AVRO', [...base, { name: 'channel', type: t.string(true) }]));
    expect(v).toMatchObject({ local: [], registry: 'registered' });
    const w = await verdicts('AVRO', 'FULL', [schemaFor('AVRO', base)], schemaFor('AVRO', [base[0] as RowField, { name: 'customer_id', type: t.bigint(true) }, base[2] as RowField]));
    expect(w).toMatchObject({ local: ['field `customer_id` became nullable'], registry: 'HTTP 409' });
  });

  it('the registry\'s own compatibility endpoint agrees for Avro', async () => {
    const v = await verdicts('AVRO', 'BACKWARD', [schemaFor('AVRO', base)], schemaFor('AVRO', base));
    const bad = schemaFor('AVRO', [...base, { name: 'channel', type: t.string(false) }]);
    const online = await checkCompatibilityOnline(registry, v.sink, { schemaType: 'AVRO', schema: bad });
    expect(online.map((d) => d.code)).toEqual(['sink-schema-rejected-by-registry']);
    expect(await checkCompatibilityOnline(registry, v.sink, { schemaType: 'AVRO', schema: schemaFor('AVRO', [...base, { name: 'channel', type: t.string(true) }]) })).toEqual([]);
  });

  it('JSON Schema BACKWARD: an optional property on a closed object is compatible, a required one is not', async () => {
    const ok = await verdicts('JSON', 'BACKWARD', [schemaFor('JSON', base)], schemaFor('JSON', [...base, { name: 'channel', type: t.string(true) }]));
    expect(ok).toMatchObject({ local: [], registry: 'registered' });
    const bad = await verdicts('JSON', 'BACKWARD', [schemaFor('JSON', base)], schemaFor('JSON', [...base, { name: 'channel', type: t.string(false) }]));
    expect(bad).toMatchObject({ local: ['property `channel` became required'], registry: 'HTTP 409' });
  });

  it('JSON Schema BACKWARD: changing a property\'s type is not compatible', async () => {
    const v = await verdicts('JSON', 'BACKWARD', [schemaFor('JSON', base)], schemaFor('JSON', [base[0] as RowField, { name: 'customer_id', type: t.string(false) }, base[2] as RowField]));
    expect(v).toMatchObject({ local: ['field `customer_id` changed from integer to string'], registry: 'HTTP 409' });
  });

  it('Protobuf BACKWARD: a new field is compatible; a field number changing type is not', async () => {
    const v1 = schemaFor('PROTOBUF', base);
    const ok = await verdicts('PROTOBUF', 'BACKWARD', [v1], schemaFor('PROTOBUF', [...base, { name: 'channel', type: t.string(true) }], v1));
    expect(ok).toMatchObject({ local: [], registry: 'registered' });
    const bad = await verdicts('PROTOBUF', 'BACKWARD', [v1], schemaFor('PROTOBUF', [base[0] as RowField, { name: 'customer_id', type: t.string(true) }, base[2] as RowField], v1));
    expect(bad).toMatchObject({ local: ['field `EnrichedOrder.customer_id` changed from int64 to string'], registry: 'HTTP 409' });
  });
});
