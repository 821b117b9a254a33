import { describe, expect, it } from 'vitest';
import type { ResolvedReference } from '../../../compiler/schemas/catalog.ts';
import { jsonSchemaToRow } from '../../../compiler/schemas/json-schema-to-row.ts';
import { brief, columns, fixture } from './helpers.ts';

const ctx = { subject: 'customers-value' };

function mapped(schema: unknown, refs: readonly ResolvedReference[] = []) {
  const result = jsonSchemaToRow(typeof schema === 'string' ? schema : JSON.stringify(schema), refs, ctx);
  if (!result.ok) throw new Error(brief(result.diagnostics).join('\n'));
  return result;
}

const object = (properties: Record<string, unknown>, required: string[] = Object.keys(properties), extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required,
  ...extra,
});

describe('jsonSchemaToRow (as Flink\'s json format reads conforming documents)', () => {
  it('maps a realistic customer schema', () => {
    const result = mapped(fixture('json/customers-value.json'));
    expect(result.recordName).toBe('Customer');
    expect(result.diagnostics).toEqual([]);
    expect(columns(result.row)).toEqual([
      'id BIGINT NOT NULL',
      'name STRING NOT NULL',
      'email STRING',
      'vip BOOLEAN NOT NULL',
      'balance DOUBLE NOT NULL',
      'loyalty_points INT NOT NULL',
      'birthday DATE NOT NULL',
      'wake_up TIME(0) NOT NULL',
      'created_at TIMESTAMP_LTZ(3) NOT NULL',
      'avatar BYTES NOT NULL',
      'tier STRING NOT NULL',
      'credit_limit DECIMAL(12, 2) NOT NULL',
      'home ROW<`street` STRING NOT NULL, `city` STRING NOT NULL, `zip` STRING> NOT NULL',
      'work ROW<`street` STRING NOT NULL, `city` STRING NOT NULL, `zip` STRING>',
      'tags ARRAY<STRING NOT NULL> NOT NULL',
      'preferences MAP<STRING NOT NULL, BOOLEAN NOT NULL> NOT NULL',
      'extra STRING',
      'payload MAP<STRING NOT NULL, STRING>',
    ]);
    expect(result.row[0]?.doc).toBe('Customer key.');
  });

  it('resolves $ref to referenced schemas by reference name, transitively', () => {
    const refs: ResolvedReference[] = [
      { name: 'geo.json', subject: 'geo', version: 1, schemaType: 'JSON', schema: fixture('json/geo.json') },
      { name: 'address.json', subject: 'address', version: 1, schemaType: 'JSON', schema: fixture('json/address.json') },
    ];
    const result = jsonSchemaToRow(fixture('json/shipments-value.json'), refs, { subject: 'shipments-value' });
    expect(result.ok && columns(result.row)).toEqual([
      'id STRING NOT NULL',
      'to ROW<`street` STRING NOT NULL, `zip` STRING, `geo` ROW<`lat` DOUBLE NOT NULL, `lon` DOUBLE NOT NULL>> NOT NULL',
      'from ROW<`street` STRING NOT NULL, `zip` STRING, `geo` ROW<`lat` DOUBLE NOT NULL, `lon` DOUBLE NOT NULL>>',
    ]);
  });

  it('reports a $ref to a document no reference provides', () => {
    const result = jsonSchemaToRow(fixture('json/shipments-value.json'), [], { subject: 'shipments-value' });
    expect(brief(result.diagnostics)).toEqual(['schema-reference-missing: subject `shipments-value` uses `address.json`, which none of its schema references provides']);
  });

  it('reads nullability from type arrays, oneOf/anyOf with null, and `required`', () => {
    const result = mapped(
      object(
        {
          a: { type: ['integer', 'null'] },
          b: { oneOf: [{ type: 'string' }, { type: 'null' }] },
          c: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
          d: { type: 'string' },
          e: { type: 'string' },
        },
        ['a', 'b', 'c', 'd'],
      ),
    );
    expect(columns(result.row)).toEqual(['a BIGINT', 'b STRING', 'c BOOLEAN', 'd STRING NOT NULL', 'e STRING']);
  });

  it('merges allOf objects and honours Confluent connect.type annotations', () => {
    const result = mapped({
      type: 'object',
      allOf: [{ $ref: '#/definitions/Base' }, object({ extra: { type: 'number', 'connect.type': 'float32' } })],
      definitions: { Base: object({ id: { type: 'integer', 'connect.type': 'int16' }, small: { type: 'integer', 'connect.type': 'int8' } }) },
    });
    expect(columns(result.row)).toEqual(['id SMALLINT NOT NULL', 'small TINYINT NOT NULL', 'extra FLOAT NOT NULL']);
  });

  it('leaves out unions and tuples Flink cannot read, with a warning each', () => {
    const result = mapped(
      object({
        id: { type: 'string' },
        either: { type: ['string', 'integer'] },
        shape: { oneOf: [object({ r: { type: 'number' } }), object({ w: { type: 'number' } })] },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] },
        nothing: { type: 'null' },
      }),
    );
    expect(columns(result.row)).toEqual(['id STRING NOT NULL']);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message.split(':')[0]}`)).toEqual([
      'schema-field-unsupported field `either` of `customers-value` (string | integer) is left out of the columns',
      'schema-field-unsupported field `shape` of `customers-value` (oneOf of 2 schemas) is left out of the columns',
      'schema-field-unsupported field `pair` of `customers-value` (tuple array) is left out of the columns',
      'schema-field-unsupported field `nothing` of `customers-value` (null) is left out of the columns',
    ]);
  });

  it('rejects recursive $refs, naming the reference and the path', () => {
    const result = jsonSchemaToRow(
      JSON.stringify({ $ref: '#/definitions/Node', definitions: { Node: object({ value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/definitions/Node' } } }) } }),
      [],
      { subject: 'tree-value' },
    );
    expect(brief(result.diagnostics)).toEqual(['schema-recursive: subject `tree-value` is recursive: `#/definitions/Node` contains itself at `children[]`']);
  });

  it('rejects schemas that are not objects with properties', () => {
    expect(brief(jsonSchemaToRow('{"type": "string"}', [], ctx).diagnostics)).toEqual([
      "schema-not-a-record: subject `customers-value` holds a string, but Flink reads a topic's value as a row, which needs a JSON object with `properties`",
    ]);
    expect(jsonSchemaToRow('{"type": "object", "additionalProperties": {"type": "integer"}}', [], ctx).diagnostics[0]?.message).toContain('an object without `properties` (a map)');
    expect(jsonSchemaToRow('[1]', [], ctx).diagnostics[0]?.code).toBe('schema-invalid');
    expect(jsonSchemaToRow('{"$ref": "#/nowhere"}', [], ctx).diagnostics[0]?.message).toBe('the JSON schema of subject `customers-value` is not valid: `$ref` #/nowhere points at nothing');
  });

  it('maps pipec\'s local-date-time format and anchors', () => {
    const result = mapped({
      type: 'object',
      properties: { at: { type: 'string', format: 'local-date-time' }, where: { $ref: '#place' } },
      required: ['at'],
      definitions: { Place: { $id: '#place', type: 'string' } },
    });
    expect(columns(result.row)).toEqual(['at TIMESTAMP(3) NOT NULL', 'where STRING']);
  });
});
