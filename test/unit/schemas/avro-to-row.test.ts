import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import type { ResolvedReference } from '../../../compiler/schemas/catalog.ts';
import { avroToRow } from '../../../compiler/schemas/avro-to-row.ts';
import { brief, columns, fixture } from './helpers.ts';

const ctx = { subject: 'orders-value' };

function mapped(schema: string, refs: readonly ResolvedReference[] = []) {
  const result = avroToRow(schema, refs, ctx);
  if (!result.ok) throw new Error(brief(result.diagnostics).join('\n'));
  return result;
}

const record = (fields: unknown[], name = 'R'): string => JSON.stringify({ type: 'record', name, namespace: 'test', fields });

describe('avroToRow (Flink avro-confluent, legacy timestamp mapping)', () => {
  it('maps a realistic order record the way AvroSchemaConverter.convertToDataType does', () => {
    const result = mapped(fixture('avro/orders-value.avsc'));
    expect(result.recordName).toBe('shop.orders.Order');
    expect(result.diagnostics).toEqual([]);
    expect(columns(result.row)).toEqual([
      'order_id STRING NOT NULL',
      'customer_id BIGINT NOT NULL',
      'quantity INT NOT NULL',
      'express BOOLEAN NOT NULL',
      'weight_kg FLOAT NOT NULL',
      'score DOUBLE NOT NULL',
      'amount DECIMAL(12, 2) NOT NULL',
      'placed_on DATE NOT NULL',
      'placed_time INT NOT NULL',
      'placed_at TIMESTAMP(3) NOT NULL',
      'status STRING NOT NULL',
      'checksum VARBINARY(16) NOT NULL',
      'note STRING',
      'coupon STRING',
      'channel STRING NOT NULL',
      'shipping ROW<`street` STRING, `zip` STRING> NOT NULL',
      'billing ROW<`street` STRING, `zip` STRING>',
      'lines ARRAY<ROW<`sku` STRING NOT NULL, `price` DECIMAL(10, 2) NOT NULL> NOT NULL> NOT NULL',
      'attributes MAP<STRING NOT NULL, STRING> NOT NULL',
      'previous_status STRING',
    ]);
    expect(result.row[0]?.doc).toBe('Order key.');
  });

  it('pins a reader schema that Flink maps to the same row and that can read the registered data', () => {
    const schema = fixture('avro/orders-value.avsc');
    const result = mapped(schema);
    const again = mapped(result.flinkSchema ?? '');
    expect(again.row).toEqual(result.row);
    expect(again.diagnostics).toEqual([]);
    const reader = JSON.parse(result.flinkSchema ?? '') as { fields: { name: string; type: unknown }[] };
    // A record column reads through its variant with nullable fields (see the record-column test below).
    expect(reader.fields.find((f) => f.name === 'billing')?.type).toEqual(['null', 'shop.orders.Address_nullable']);
    expect(() => avsc.Type.forSchema(JSON.parse(result.flinkSchema ?? '')).createResolver(avsc.Type.forSchema(JSON.parse(schema)))).not.toThrow();
  });

  it('inlines referenced named types, so Flink can parse the pinned schema on its own', () => {
    const money = fixture('avro/shop.Money.avsc');
    const refs = [{ name: 'shop.Money', subject: 'shop.Money', version: 1, schemaType: 'AVRO' as const, schema: money }];
    const result = mapped(fixture('avro/payments-value.avsc'), refs);
    expect(columns(result.row)).toEqual([
      'payment_id STRING NOT NULL',
      'total ROW<`amount` DECIMAL(18, 4), `currency` STRING> NOT NULL',
      'refunded ROW<`amount` DECIMAL(18, 4), `currency` STRING>',
      'currency_hint STRING',
    ]);
    // Parses with no registry: the definitions of shop.Money and shop.Currency are inside.
    expect(() => avsc.Type.forSchema(JSON.parse(result.flinkSchema ?? ''))).not.toThrow();
    expect(result.flinkSchema).toContain('"name":"shop.Money_nullable"');
    expect(result.flinkSchema).toContain('"aliases":["shop.Money"]');
    expect(result.flinkSchema).toContain('"name":"shop.Currency"');
  });

  it('reports a reference the schema uses but nobody provides', () => {
    const result = avroToRow(fixture('avro/payments-value.avsc'), [], { subject: 'payments-value' });
    expect(result.ok).toBe(false);
    expect(brief(result.diagnostics)).toEqual(['schema-reference-missing: subject `payments-value` uses `shop.Money`, which none of its schema references provides']);
  });

  it('reads timestamp-micros and time-micros as BIGINT, time-millis as INT, and strips the logical type from the reader schema', () => {
    const result = mapped(
      record([
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'tod', type: { type: 'long', logicalType: 'time-micros' } },
        { name: 'local', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
        { name: 'opens', type: ['null', { type: 'int', logicalType: 'time-millis' }] },
      ]),
    );
    expect(columns(result.row)).toEqual(['at BIGINT NOT NULL', 'tod BIGINT NOT NULL', 'local BIGINT NOT NULL', 'opens INT']);
    // Noted, not reported: the binder reports a note where a pipeline selects the column.
    expect(result.diagnostics).toEqual([]);
    expect(result.notes.map((n) => [n.path.join('.'), n.logicalType, n.flinkType, n.fix])).toEqual([
      ['at', 'timestamp-micros', 'BIGINT', 'micros-to-timestamp'],
      ['tod', 'time-micros', 'BIGINT', undefined],
      ['local', 'local-timestamp-millis', 'BIGINT', 'local-millis-to-timestamp'],
      ['opens', 'time-millis', 'INT', undefined],
    ]);
    const reader = JSON.parse(result.flinkSchema ?? '') as { fields: { type: unknown }[] };
    expect(reader.fields.map((f) => f.type)).toEqual(['long', 'long', { type: 'long', logicalType: 'local-timestamp-millis' }, ['null', 'int']]);
  });

  it('reads a record column through a variant whose fields are nullable, down through nested records (array elements keep theirs)', () => {
    const address = { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'geo', type: { type: 'record', name: 'Geo', fields: [{ name: 'lat', type: 'double' }] } }] };
    const schema = record([
      { name: 'home', type: ['null', address], default: null },
      { name: 'work', type: 'test.Address' },
      { name: 'billing', type: ['null', 'test.Address'], default: null },
      { name: 'past', type: { type: 'array', items: 'test.Address' } },
    ]);
    const result = mapped(schema);
    expect(columns(result.row)).toEqual([
      'home ROW<`city` STRING, `geo` ROW<`lat` DOUBLE>>',
      'work ROW<`city` STRING, `geo` ROW<`lat` DOUBLE>> NOT NULL',
      'billing ROW<`city` STRING, `geo` ROW<`lat` DOUBLE>>',
      'past ARRAY<ROW<`city` STRING NOT NULL, `geo` ROW<`lat` DOUBLE> NOT NULL> NOT NULL> NOT NULL',
    ]);
    // The pinned schema maps to the same row, and reads what the registered schema writes (Avro resolution by alias).
    const reader = result.flinkSchema ?? '';
    expect(mapped(reader).row).toEqual(result.row);
    const fields = (JSON.parse(reader) as { fields: { name: string; type: unknown }[] }).fields;
    expect(fields.map((f) => f.type)).toEqual([
      ['null', expect.objectContaining({ name: 'test.Address_nullable', aliases: ['test.Address'] })],
      'test.Address_nullable',
      ['null', 'test.Address_nullable'],
      { type: 'array', items: expect.objectContaining({ name: 'test.Address' }) },
    ]);
    const writerType = avsc.Type.forSchema(JSON.parse(schema) as avsc.Schema);
    const readerType = avsc.Type.forSchema(JSON.parse(reader) as avsc.Schema);
    const value = { home: { city: 'Oslo', geo: { lat: 59.9 } }, work: { city: 'Bergen', geo: { lat: 60.4 } }, billing: null, past: [{ city: 'Tromsø', geo: { lat: 69.6 } }] };
    const read = readerType.fromBuffer(writerType.toBuffer(value), readerType.createResolver(writerType)) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(read))).toEqual({
      home: { city: 'Oslo', geo: { lat: 59.9 } },
      work: { city: 'Bergen', geo: { lat: 60.4 } },
      billing: null,
      past: [{ city: 'Tromsø', geo: { lat: 69.6 } }],
    });
  });

  it("keeps the fields of a Debezium envelope's before and after as the schema declares them (the debezium formats pin nothing)", () => {
    const value = { type: 'record', name: 'Value', fields: [{ name: 'id', type: 'long' }] };
    const result = mapped(record([{ name: 'before', type: ['null', value], default: null }, { name: 'after', type: ['null', 'test.Value'], default: null }, { name: 'op', type: 'string' }], 'Envelope'));
    expect(columns(result.row)).toEqual(['before ROW<`id` BIGINT NOT NULL>', 'after ROW<`id` BIGINT NOT NULL>', 'op STRING NOT NULL']);
  });

  it('leaves out fields Flink cannot read and keeps the rest', () => {
    const result = mapped(
      record([
        { name: 'id', type: 'string' },
        { name: 'either', type: ['int', 'string'] },
        { name: 'maybe_either', type: ['null', 'int', 'string'] },
        { name: 'nothing', type: 'null' },
        { name: 'huge', type: { type: 'bytes', logicalType: 'decimal', precision: 40, scale: 2 } },
      ]),
    );
    expect(columns(result.row)).toEqual(['id STRING NOT NULL']);
    expect(brief(result.diagnostics)).toEqual([
      "schema-field-unsupported: field `either` of `orders-value` (union of int, string) is left out of the columns: Flink's avro-confluent format reads only unions of one type with null (others become RAW, which it cannot decode)",
      "schema-field-unsupported: field `maybe_either` of `orders-value` (union of null, int, string) is left out of the columns: Flink's avro-confluent format reads only unions of one type with null (others become RAW, which it cannot decode)",
      'schema-field-unsupported: field `nothing` of `orders-value` (null) is left out of the columns: a field of type null carries no data',
      "schema-field-unsupported: field `huge` of `orders-value` (bytes decimal(40)) is left out of the columns: Flink's DECIMAL holds at most 38 digits",
    ]);
    const reader = JSON.parse(result.flinkSchema ?? '') as { fields: { name: string }[] };
    expect(reader.fields.map((f) => f.name)).toEqual(['id']);
  });

  it('treats invalid decimals as Avro does: the logical type is ignored', () => {
    const result = mapped(
      record([
        { name: 'a', type: { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 6 } },
        { name: 'b', type: { type: 'fixed', name: 'Tiny', size: 2, logicalType: 'decimal', precision: 9, scale: 2 } },
      ]),
    );
    expect(columns(result.row)).toEqual(['a BYTES NOT NULL', 'b VARBINARY(2) NOT NULL']);
    expect(result.notes.map((n) => [n.path.join('.'), n.logicalType])).toEqual([['a', 'decimal'], ['b', 'decimal']]);
  });

  it('rejects recursive records, naming the record and where it recurs', () => {
    const result = avroToRow(
      record(
        [
          { name: 'value', type: 'int' },
          { name: 'children', type: { type: 'array', items: 'Node' } },
        ],
        'Node',
      ),
      [],
      { subject: 'tree-value' },
    );
    expect(result.ok).toBe(false);
    expect(brief(result.diagnostics)).toEqual(['schema-recursive: subject `tree-value` is recursive: `test.Node` contains itself at `children[]`']);
  });

  it('rejects recursion through a nullable field of a nested record', () => {
    const schema = record([
      { name: 'head', type: { type: 'record', name: 'Cell', fields: [{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'Cell'] }] } },
    ]);
    const result = avroToRow(schema, [], ctx);
    expect(brief(result.diagnostics)).toEqual(['schema-recursive: subject `orders-value` is recursive: `test.Cell` contains itself at `head.next`']);
  });

  it('rejects a schema that is not a record', () => {
    const result = avroToRow('"string"', [], { subject: 'orders-key' });
    expect(brief(result.diagnostics)).toEqual([
      'schema-not-a-record: subject `orders-key` holds the type `string`, but Flink reads a topic\'s value as a row, which needs an Avro record',
    ]);
  });

  it('rejects an invalid schema with avsc\'s reason', () => {
    const result = avroToRow(JSON.stringify({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'strng' }] }), [], ctx);
    expect(result.diagnostics[0]?.code).toBe('schema-reference-missing');
    const bad = avroToRow('{"type": "enum", "name": "E", "symbols": ["a", "a"]}', [], ctx);
    expect(bad.diagnostics[0]?.code).toBe('schema-invalid');
    expect(avroToRow('{not json', [], ctx).diagnostics[0]?.message).toMatch(/^the AVRO schema of subject `orders-value` is not valid: not JSON/);
  });

  it('reports a record whose every field is unreadable', () => {
    const result = avroToRow(record([{ name: 'x', type: ['int', 'string'] }]), [], ctx);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['schema-field-unsupported', 'schema-no-columns']);
  });

  it('keeps an explicit empty namespace for nested definitions in the reader schema', () => {
    const schema = record([{ name: 'p', type: { type: 'record', name: 'Plain', namespace: '', fields: [{ name: 'x', type: 'int' }] } }]);
    const result = mapped(schema);
    const reader = JSON.parse(result.flinkSchema ?? '') as { fields: { type: { name: string; namespace?: string } }[] };
    expect(reader.fields[0]?.type).toMatchObject({ name: 'Plain_nullable', namespace: '', aliases: ['Plain'] });
    expect(() => avsc.Type.forSchema(JSON.parse(result.flinkSchema ?? ''))).not.toThrow();
  });
});
