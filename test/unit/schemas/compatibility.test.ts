import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import type { CompatibilityLevel, RegisteredSchema, SchemaType, SinkSubject } from '../../../compiler/schemas/catalog.ts';
import { checkSinkCompatibility } from '../../../compiler/schemas/compatibility.ts';
import { avroReadProblems } from '../../../compiler/schemas/avro-compatibility.ts';
import { generateSinkSchema } from '../../../compiler/schemas/sink-schema.ts';
import { t, type RowField } from '../../../compiler/types/types.ts';
import { fixture } from './helpers.ts';

const SUBJECT = 'enriched-orders-value';

function sink(versions: readonly unknown[], compatibility: CompatibilityLevel = 'BACKWARD', schemaType: SchemaType = 'AVRO', referenced: RegisteredSchema[] = []): SinkSubject {
  return {
    subject: SUBJECT,
    exists: versions.length > 0,
    compatibility,
    versions: versions.map((schema, i) => ({
      subject: SUBJECT,
      version: i + 1,
      id: 100 + i,
      schemaType,
      schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
      references: [],
    })),
    referenced,
  };
}

const avro = (fields: unknown[], name = 'Order') => ({ type: 'record', name, namespace: 'shop', fields });

/** `problem || rule` of each finding, for compact assertions. */
function check(s: SinkSubject, candidate: unknown, schemaType: SchemaType = 'AVRO'): string[] {
  return checkSinkCompatibility(s, { schemaType, schema: typeof candidate === 'string' ? candidate : JSON.stringify(candidate) }).map((d) => `${d.message} || ${d.hints.join(' ')}`);
}

function problems(s: SinkSubject, candidate: unknown, schemaType: SchemaType = 'AVRO'): string[] {
  return checkSinkCompatibility(s, { schemaType, schema: typeof candidate === 'string' ? candidate : JSON.stringify(candidate) }).map((d) => d.message.replace(/^.*?: /, ''));
}

const id = { name: 'id', type: 'string' };

describe('Avro rules (Avro schema resolution, as the registry applies it)', () => {
  it('BACKWARD: a field added without a default breaks it, naming the field and the rule', () => {
    expect(check(sink([avro([id])]), avro([id, { name: 'amount', type: 'double' }]))).toEqual([
      'the schema pipec would register for `enriched-orders-value` breaks BACKWARD compatibility with version 1: field `amount` was added without a default || BACKWARD: consumers using the new schema must read data written with version 1, which has no `amount`; make the column nullable (pipec writes nullable fields with "default": null)',
    ]);
  });

  it('BACKWARD: a nullable field with "default": null, or a removed field, is fine', () => {
    expect(check(sink([avro([id])]), avro([id, { name: 'note', type: ['null', 'string'], default: null }]))).toEqual([]);
    expect(check(sink([avro([id, { name: 'gone', type: 'int' }])]), avro([id]))).toEqual([]);
  });

  it('FORWARD: removing a field old readers need breaks it', () => {
    expect(check(sink([avro([id, { name: 'amount', type: 'double' }])], 'FORWARD'), avro([id]))).toEqual([
      'the schema pipec would register for `enriched-orders-value` breaks FORWARD compatibility with version 1: field `amount` was removed, and version 1 gives it no default || FORWARD: consumers still using version 1 must read data written with the new schema, which lacks `amount`; keep the column',
    ]);
    expect(check(sink([avro([id, { name: 'amount', type: 'double', default: 0 }])], 'FORWARD'), avro([id]))).toEqual([]);
  });

  it('type changes: promotions are fine one way only', () => {
    expect(problems(sink([avro([id, { name: 'n', type: 'int' }])]), avro([id, { name: 'n', type: 'long' }]))).toEqual([]);
    expect(problems(sink([avro([id, { name: 'n', type: 'long' }])]), avro([id, { name: 'n', type: 'int' }]))).toEqual(['field `n` changed type from long to int']);
    expect(problems(sink([avro([id, { name: 'n', type: 'int' }])], 'FORWARD'), avro([id, { name: 'n', type: 'long' }]))).toEqual(['field `n` changed type from int to long']);
    expect(problems(sink([avro([id, { name: 'n', type: 'string' }])]), avro([id, { name: 'n', type: 'bytes' }]))).toEqual([]);
  });

  it('nullability: dropping null breaks BACKWARD, adding it breaks FORWARD', () => {
    const nullable = avro([id, { name: 'note', type: ['null', 'string'], default: null }]);
    const required = avro([id, { name: 'note', type: 'string' }]);
    expect(check(sink([nullable]), required)).toEqual([
      'the schema pipec would register for `enriched-orders-value` breaks BACKWARD compatibility with version 1: field `note` is no longer nullable || BACKWARD: consumers using the new schema must read data written with version 1, which may hold null in `note`; keep the column nullable',
    ]);
    expect(problems(sink([required]), nullable)).toEqual([]);
    expect(problems(sink([required], 'FORWARD'), nullable)).toEqual(['field `note` became nullable']);
  });

  it('enums: lost symbols break BACKWARD, new symbols break FORWARD, unless the reader has a default', () => {
    const e = (symbols: string[], extra = {}) => avro([id, { name: 'status', type: { type: 'enum', name: 'Status', symbols, ...extra } }]);
    expect(problems(sink([e(['NEW', 'PAID', 'SHIPPED'])]), e(['NEW', 'PAID']))).toEqual(['field `status` (enum Status) lost the symbols SHIPPED']);
    expect(problems(sink([e(['NEW', 'PAID'])], 'FORWARD'), e(['NEW', 'PAID', 'SHIPPED']))).toEqual(['field `status` (enum Status) gained the symbols SHIPPED']);
    expect(problems(sink([e(['NEW', 'PAID'], { default: 'NEW' })], 'FORWARD'), e(['NEW', 'PAID', 'SHIPPED']))).toEqual([]);
  });

  it('names and fixed sizes', () => {
    expect(problems(sink([avro([id])]), avro([id], 'Purchase'))).toEqual(['the record: record Order was renamed to record Purchase']);
    expect(problems(sink([avro([id])]), { ...avro([id], 'Purchase'), aliases: ['shop.Order'] })).toEqual([]);
    const f = (size: number) => avro([id, { name: 'hash', type: { type: 'fixed', name: 'Hash', size } }]);
    expect(problems(sink([f(16)]), f(32))).toEqual(['field `hash` changed size from fixed(16) to fixed(32)']);
  });

  it('names nested fields by their path', () => {
    const v1 = avro([id, { name: 'customer', type: { type: 'record', name: 'Customer', fields: [{ name: 'address', type: ['null', { type: 'record', name: 'Address', fields: [{ name: 'zip', type: 'int' }] }], default: null }] } }]);
    const v2 = avro([id, { name: 'customer', type: { type: 'record', name: 'Customer', fields: [{ name: 'address', type: ['null', { type: 'record', name: 'Address', fields: [{ name: 'zip', type: 'string' }] }], default: null }] } }]);
    expect(problems(sink([v1]), v2)).toEqual(['field `customer.address.zip` changed type from int to string']);
  });

  it('_TRANSITIVE levels check every version, plain levels only the latest', () => {
    const v1 = avro([id, { name: 'amount', type: 'double' }]);
    const v2 = avro([id]);
    const next = avro([id, { name: 'amount', type: ['null', 'string'], default: null }]);
    expect(problems(sink([v1, v2], 'BACKWARD'), next)).toEqual([]);
    expect(check(sink([v1, v2], 'BACKWARD_TRANSITIVE'), next)).toEqual([
      'the schema pipec would register for `enriched-orders-value` breaks BACKWARD_TRANSITIVE compatibility with version 1: field `amount` changed type from double to string || BACKWARD: consumers using the new schema must read data written with version 1, and Avro cannot read double as string (it promotes only int → long → float → double and string ↔ bytes)',
    ]);
  });

  it('FULL checks both directions; NONE checks nothing; a new subject has nothing to break', () => {
    const v1 = avro([id, { name: 'n', type: 'int' }]);
    const next = avro([id, { name: 'n', type: 'long' }, { name: 'extra', type: 'string' }]);
    expect(problems(sink([v1], 'FULL'), next)).toEqual(['field `extra` was added without a default', 'field `n` changed type from int to long']);
    expect(problems(sink([v1], 'NONE'), next)).toEqual([]);
    expect(problems(sink([]), next)).toEqual([]);
  });

  it('a subject keeps its schema type', () => {
    expect(checkSinkCompatibility(sink([avro([id])]), { schemaType: 'JSON', schema: '{}' }).map((d) => d.message)).toEqual([
      'subject `enriched-orders-value` holds AVRO schemas, but the sink writes JSON',
    ]);
  });

  it('resolves the registered version\'s references', () => {
    const money = fixture('avro/shop.Money.avsc');
    const s: SinkSubject = {
      ...sink([]),
      exists: true,
      versions: [{ subject: SUBJECT, version: 1, id: 7, schemaType: 'AVRO', schema: fixture('avro/payments-value.avsc'), references: [{ name: 'shop.Money', subject: 'shop.Money', version: 1 }] }],
      referenced: [{ subject: 'shop.Money', version: 1, id: 6, schemaType: 'AVRO', schema: money, references: [] }],
    };
    const inlined = JSON.parse(fixture('avro/payments-value.avsc')) as { fields: { name: string; type: unknown }[] };
    const moneyJson = JSON.parse(money) as unknown;
    const candidate = { ...inlined, fields: inlined.fields.map((f) => (f.name === 'total' ? { ...f, type: moneyJson } : f)) };
    expect(checkSinkCompatibility(s, { schemaType: 'AVRO', schema: JSON.stringify(candidate) })).toEqual([]);
  });

  it('agrees with avsc\'s resolver on a corpus of evolutions', () => {
    const base = [id, { name: 'n', type: 'int' }, { name: 'tags', type: { type: 'array', items: 'string' } }];
    const variants: unknown[][] = [
      base,
      [id],
      [...base, { name: 'x', type: 'long' }],
      [...base, { name: 'x', type: ['null', 'long'], default: null }],
      [id, { name: 'n', type: 'long' }, base[2]],
      [id, { name: 'n', type: 'float' }, base[2]],
      [id, { name: 'n', type: ['null', 'int'], default: null }, base[2]],
      [id, { name: 'n', type: 'int' }, { name: 'tags', type: { type: 'array', items: 'bytes' } }],
      [id, { name: 'n', type: 'int' }, { name: 'tags', type: { type: 'map', values: 'string' } }],
      [id, { name: 'n', type: 'string' }, base[2]],
    ];
    for (const reader of variants) {
      for (const writer of variants) {
        const r = avro(reader);
        const w = avro(writer);
        let avscOk = true;
        try {
          avsc.Type.forSchema(r as avsc.Schema).createResolver(avsc.Type.forSchema(w as avsc.Schema));
        } catch {
          avscOk = false;
        }
        const ours = avroReadProblems({ schema: JSON.stringify(r), references: [] }, { schema: JSON.stringify(w), references: [] }).length === 0;
        expect({ reader, writer, compatible: ours }).toEqual({ reader, writer, compatible: avscOk });
      }
    }
  });

  it('works on schemas pipec generates: a nullable column is a compatible addition, a NOT NULL one is not', () => {
    const gen = (row: RowField[]) => {
      const r = generateSinkSchema({ subject: SUBJECT, schemaType: 'AVRO', row, namespace: 'shop', name: 'EnrichedOrder' });
      if (!r.ok) throw new Error('generation failed');
      return r.schema;
    };
    const v1 = gen([{ name: 'order_id', type: t.string(false) }, { name: 'amount', type: t.decimal(10, 2, false) }]);
    expect(problems(sink([v1]), gen([{ name: 'order_id', type: t.string(false) }, { name: 'amount', type: t.decimal(10, 2, false) }, { name: 'channel', type: t.string(true) }]))).toEqual([]);
    expect(problems(sink([v1]), gen([{ name: 'order_id', type: t.string(false) }, { name: 'amount', type: t.decimal(10, 2, false) }, { name: 'channel', type: t.string(false) }]))).toEqual([
      'field `channel` was added without a default',
    ]);
  });
});

describe('JSON Schema rules (Confluent\'s main rules)', () => {
  const closed = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required, additionalProperties: false });
  const open = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required });
  const s = (schema: unknown, level: CompatibilityLevel = 'BACKWARD') => sink([schema], level, 'JSON');
  const str = { type: 'string' };

  it('adding an optional property: fine on a closed object, breaks an open one', () => {
    expect(problems(s(closed({ id: str }, ['id'])), closed({ id: str, note: str }, ['id']), 'JSON')).toEqual([]);
    expect(check(s(open({ id: str })), open({ id: str, note: str }), 'JSON')).toEqual([
      'the schema pipec would register for `enriched-orders-value` breaks BACKWARD compatibility with version 1: property `note` was added to an object that allows additional properties || BACKWARD: the new schema must accept every document valid under version 1, and those may already hold `note` with any value; declare the object closed (pipec writes "additionalProperties": false)',
    ]);
  });

  it('removing a property: breaks a closed object, fine on an open one', () => {
    expect(problems(s(closed({ id: str, note: str })), closed({ id: str }), 'JSON')).toEqual(['property `note` was removed from a closed object']);
    expect(problems(s(open({ id: str, note: str })), open({ id: str }), 'JSON')).toEqual([]);
  });

  it('required, types, null and enums', () => {
    expect(problems(s(closed({ id: str, note: str }, ['id'])), closed({ id: str, note: str }, ['id', 'note']), 'JSON')).toEqual(['property `note` became required']);
    expect(problems(s(closed({ n: { type: 'integer' } })), closed({ n: { type: 'number' } }), 'JSON')).toEqual([]);
    expect(problems(s(closed({ n: { type: 'number' } })), closed({ n: { type: 'integer' } }), 'JSON')).toEqual(['field `n` changed from number to integer']);
    expect(problems(s(closed({ n: { type: 'string' } })), closed({ n: { type: 'integer' } }), 'JSON')).toEqual(['field `n` changed from string to integer']);
    expect(problems(s(closed({ n: { oneOf: [{ type: 'null' }, str] } })), closed({ n: str }), 'JSON')).toEqual(['field `n` no longer accepts null']);
    expect(problems(s(closed({ n: { enum: ['a', 'b'] } })), closed({ n: { enum: ['a'] } }), 'JSON')).toEqual(['field `n` lost enum values']);
    expect(problems(s(closed({ n: { enum: ['a'] } })), closed({ n: { enum: ['a', 'b'] } }), 'JSON')).toEqual([]);
    expect(problems(s(open({ id: str })), closed({ id: str }), 'JSON')).toEqual(['the record no longer allows additional properties']);
  });

  it('FORWARD swaps the roles', () => {
    expect(problems(s(closed({ id: str }), 'FORWARD'), closed({ id: str, note: str }), 'JSON')).toEqual(['property `note` was added to an object version 1 closes']);
    expect(problems(s(closed({ n: { type: 'integer' } }), 'FORWARD'), closed({ n: { type: 'number' } }), 'JSON')).toEqual(['field `n` changed from integer to number']);
  });

  it('follows $refs into definitions and nested objects', () => {
    const v1 = { ...closed({ home: { $ref: '#/definitions/A' } }), definitions: { A: closed({ zip: { type: 'integer' } }) } };
    const v2 = { ...closed({ home: { $ref: '#/definitions/A' } }), definitions: { A: closed({ zip: { type: 'string' } }) } };
    expect(problems(s(v1), v2, 'JSON')).toEqual(['field `home.zip` changed from integer to string']);
  });

  it('works on schemas pipec generates', () => {
    const gen = (row: RowField[]) => {
      const r = generateSinkSchema({ subject: SUBJECT, schemaType: 'JSON', row, namespace: 'shop', name: 'EnrichedOrder' });
      if (!r.ok) throw new Error('generation failed');
      return r.schema;
    };
    const v1 = gen([{ name: 'id', type: t.string(false) }]);
    expect(problems(s(v1), gen([{ name: 'id', type: t.string(false) }, { name: 'note', type: t.string(true) }]), 'JSON')).toEqual([]);
    expect(problems(s(v1), gen([{ name: 'id', type: t.string(false) }, { name: 'note', type: t.string(false) }]), 'JSON')).toEqual(['property `note` became required']);
  });
});

describe('Protobuf rules (Confluent\'s main rules)', () => {
  const proto = (body: string, pkg = 'shop') => `syntax = "proto3";\npackage ${pkg};\n${body}\n`;
  const s = (schema: string, level: CompatibilityLevel = 'BACKWARD') => sink([schema], level, 'PROTOBUF');

  it('adding and removing fields is fine; so are wire-compatible type changes', () => {
    const v1 = proto('message Order { string id = 1; int32 n = 2; }');
    expect(problems(s(v1), proto('message Order { string id = 1; int32 n = 2; string note = 3; }'), 'PROTOBUF')).toEqual([]);
    expect(problems(s(v1), proto('message Order { string id = 1; }'), 'PROTOBUF')).toEqual([]);
    expect(problems(s(v1), proto('message Order { string id = 1; int64 n = 2; }'), 'PROTOBUF')).toEqual([]);
    expect(problems(s(v1), proto('message Order { bytes id = 1; int32 n = 2; }'), 'PROTOBUF')).toEqual([]);
  });

  it('a field number that changes type, kind or label breaks it', () => {
    const v1 = proto('message Order { string id = 1; int32 n = 2; Line line = 3; message Line { string sku = 1; } }');
    expect(check(s(v1), proto('message Order { string id = 1; string n = 2; Line line = 3; message Line { string sku = 1; } }'), 'PROTOBUF')).toEqual([
      'the schema pipec would register for `enriched-orders-value` breaks BACKWARD compatibility with version 1: field `Order.n` changed from int32 to string || consumers of version 1 and of the new schema decode the same bytes by field number; a number keeps a wire-compatible type (int32/uint32/int64/uint64/bool, sint32/sint64, fixed32/sfixed32, fixed64/sfixed64, string/bytes); rename the column so it gets a new number',
    ]);
    expect(problems(s(v1), proto('message Order { string id = 1; int32 n = 2; string line = 3; }'), 'PROTOBUF')).toEqual(['field `Order.line` changed from shop.Order.Line to string']);
    expect(problems(s(v1), proto('message Order { string id = 1; repeated int32 n = 2; Line line = 3; message Line { string sku = 1; } }'), 'PROTOBUF')).toEqual([
      'field `Order.n` changed from int32 to repeated int32',
    ]);
    expect(problems(s(v1), proto('message Order { string id = 1; int32 n = 2; Line line = 3; message Line { int64 sku = 1; } }'), 'PROTOBUF')).toEqual([
      'field `Order.line.sku` changed from string to int64',
    ]);
  });

  it('package and message changes, oneofs and proto2 required fields', () => {
    const v1 = proto('message Order { string id = 1; int32 n = 2; oneof pay { string card = 3; } }');
    expect(problems(s(v1), proto('message Order { string id = 1; int32 n = 2; oneof pay { string card = 3; } }', 'billing'), 'PROTOBUF')).toEqual(['the package changed from shop to billing']);
    expect(problems(s(v1), proto('message Purchase { string id = 1; }'), 'PROTOBUF')).toEqual(['message shop.Order is no longer the subject\'s message (now shop.Purchase)']);
    expect(problems(s(v1), proto('message Order { string id = 1; oneof pay { string card = 3; int32 n = 2; } }'), 'PROTOBUF')).toEqual(['field `Order.n` moved into an existing oneof']);
    const p2 = (body: string) => `syntax = "proto2";\npackage shop;\n${body}\n`;
    expect(problems(s(p2('message Order { optional string id = 1; }')), p2('message Order { optional string id = 1; required int32 n = 2; }'), 'PROTOBUF')).toEqual([
      'field `Order.n` changed from (absent) to required int32',
    ]);
  });

  it('FULL reports a problem once, not once per direction', () => {
    const v1 = proto('message Order { string id = 1; int32 n = 2; }');
    expect(problems(s(v1, 'FULL'), proto('message Order { string id = 1; string n = 2; }'), 'PROTOBUF')).toHaveLength(1);
  });

  it('field numbers stay stable across generated versions, so renaming-free evolutions are compatible', () => {
    const gen = (row: RowField[], previous?: string) => {
      const r = generateSinkSchema({ subject: SUBJECT, schemaType: 'PROTOBUF', row, namespace: 'shop', name: 'Order', previous });
      if (!r.ok) throw new Error('generation failed');
      return r.schema;
    };
    const v1 = gen([{ name: 'id', type: t.string() }, { name: 'n', type: t.int() }]);
    const v2 = gen([{ name: 'note', type: t.string() }, { name: 'id', type: t.string() }], v1);
    expect(problems(s(v1, 'FULL_TRANSITIVE'), v2, 'PROTOBUF')).toEqual([]);
    const v3 = gen([{ name: 'id', type: t.string() }, { name: 'n', type: t.string() }], v1);
    expect(problems(s(v1), v3, 'PROTOBUF')).toEqual(['field `Order.n` changed from int32 to string']);
  });
});
