/**
 * Apicurio Registry through the Confluent API: register, read back by subject and id, and the BACKWARD
 * default that `pipec local up` configures (as Confluent's own default).
 */
import { describe, expect, inject, it } from 'vitest';
import { HttpError } from '../../../clients/http.ts';
import { SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import { unique } from './helpers.ts';

const endpoints = inject('pipecLocal');
const registry = new SchemaRegistryClient(endpoints.schemaRegistryUrl);

const v1 = JSON.stringify({ type: 'record', name: 'Payment', namespace: 'smoke', fields: [{ name: 'id', type: 'long' }, { name: 'amount', type: 'double' }] });
// Adding a field with a default keeps BACKWARD compatibility; removing the default breaks it.
const v2 = JSON.stringify({ type: 'record', name: 'Payment', namespace: 'smoke', fields: [{ name: 'id', type: 'long' }, { name: 'amount', type: 'double' }, { name: 'currency', type: 'string', default: 'EUR' }] });
const v2Breaking = JSON.stringify({ type: 'record', name: 'Payment', namespace: 'smoke', fields: [{ name: 'id', type: 'long' }, { name: 'amount', type: 'double' }, { name: 'country', type: 'string' }] });

describe('local stack: schema registry (Confluent API on Apicurio)', () => {
  it('has global compatibility BACKWARD', async () => {
    expect(await registry.compatibility()).toBe('BACKWARD');
  });

  it('registers an Avro schema and reads it back by subject and by id', async () => {
    const subject = `${unique('payments')}-value`;
    const id = await registry.register(subject, { schema: v1 });
    expect(id).toBeGreaterThan(0);
    const latest = await registry.version(subject);
    expect(latest).toMatchObject({ subject, id, version: 1, schemaType: 'AVRO' });
    expect(JSON.parse(latest.schema)).toEqual(JSON.parse(v1));
    expect(JSON.parse((await registry.schemaById(id)).schema)).toEqual(JSON.parse(v1));
    expect(await registry.subjects()).toContain(subject);
  });

  it('accepts a compatible evolution and rejects a breaking one with 409', async () => {
    const subject = `${unique('payments')}-value`;
    await registry.register(subject, { schema: v1 });
    expect((await registry.checkCompatibility(subject, { schema: v2 })).compatible).toBe(true);
    expect((await registry.checkCompatibility(subject, { schema: v2Breaking })).compatible).toBe(false);
    await registry.register(subject, { schema: v2 });
    expect((await registry.version(subject)).version).toBe(2);
    const err = await registry.register(subject, { schema: v2Breaking }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(409);
  });
});
