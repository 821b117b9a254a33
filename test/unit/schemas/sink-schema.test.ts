import avsc from 'avsc';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { generateSinkSchema, type SinkSchemaRequest } from '../../../compiler/schemas/sink-schema.ts';
import type { SchemaType } from '../../../compiler/schemas/catalog.ts';
import { t, type RowField, type SqlType } from '../../../compiler/types/types.ts';
import { brief, columns } from './helpers.ts';

const enriched: RowField[] = [
  { name: 'order_id', type: t.string(false), doc: 'Order key.' },
  { name: 'customer_id', type: t.bigint(false) },
  { name: 'quantity', type: t.int(false) },
  { name: 'amount', type: t.decimal(12, 2, false) },
  { name: 'placed_at', type: t.timestamp(3, false) },
  { name: 'note', type: t.string(true) },
  { name: 'customer', type: t.row([{ name: 'name', type: t.string(false) }, { name: 'address', type: t.row([{ name: 'city', type: t.string(true) }], true) }], true) },
  { name: 'lines', type: t.array(t.row([{ name: 'sku', type: t.string(false) }, { name: 'price', type: t.double(false) }], false), false) },
  { name: 'tags', type: t.map(t.string(false), t.string(true), true) },
];

function request(schemaType: SchemaType, row: readonly RowField[], extra: Partial<SinkSchemaRequest> = {}): SinkSchemaRequest {
  return { subject: 'enriched-orders-value', schemaType, row, namespace: 'shop.analytics', name: 'EnrichedOrder', ...extra };
}

function generated(schemaType: SchemaType, row: readonly RowField[], extra: Partial<SinkSchemaRequest> = {}) {
  const result = generateSinkSchema(request(schemaType, row, extra));
  if (!result.ok) throw new Error(brief(result.diagnostics).join('\n'));
  return result;
}

describe('generateSinkSchema: Avro', () => {
  it('writes a named record with logical types, nullable unions defaulting to null and named nested records', () => {
    const result = generated('AVRO', enriched);
    const schema = JSON.parse(result.schema) as Record<string, unknown>;
    expect(schema).toMatchObject({ type: 'record', name: 'EnrichedOrder', namespace: 'shop.analytics' });
    expect(result.schema).not.toContain('org.apache.flink.avro.generated.record');
    const fields = schema['fields'] as { name: string; type: unknown; default?: unknown; doc?: string }[];
    expect(fields.find((f) => f.name === 'order_id')).toEqual({ name: 'order_id', doc: 'Order key.', type: 'string' });
    expect(fields.find((f) => f.name === 'amount')?.type).toEqual({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 });
    expect(fields.find((f) => f.name === 'placed_at')?.type).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
    expect(fields.find((f) => f.name === 'note')).toEqual({ name: 'note', type: ['null', 'string'], default: null });
    expect(fields.find((f) => f.name === 'customer')).toMatchObject({ type: ['null', { type: 'record', name: 'EnrichedOrder_customer' }], default: null });
    expect(result.schema).toContain('"name": "EnrichedOrder_customer_address"');
    expect(() => avsc.Type.forSchema(schema as avsc.Schema)).not.toThrow();
    // What the sink table must declare: the row Flink derives from the schema.
    expect(columns(result.row)).toEqual([
      'order_id STRING NOT NULL',
      'customer_id BIGINT NOT NULL',
      'quantity INT NOT NULL',
      'amount DECIMAL(12, 2) NOT NULL',
      'placed_at TIMESTAMP(3) NOT NULL',
      'note STRING',
      // A nullable record's fields are nullable in Flink's planner, which compares the pinned schema with them.
      'customer ROW<`name` STRING, `address` ROW<`city` STRING>>',
      'lines ARRAY<ROW<`sku` STRING NOT NULL, `price` DOUBLE NOT NULL> NOT NULL> NOT NULL',
      'tags MAP<STRING NOT NULL, STRING>',
    ]);
  });

  it('rejects what the legacy timestamp mapping cannot write, with the cast that fixes it', () => {
    const result = generateSinkSchema(
      request('AVRO', [
        { name: 'at', type: t.timestampLtz(3, false) },
        { name: 'precise', type: t.timestamp(6, true) },
        { name: 'by_id', type: t.map(t.int(false), t.string(), true) },
        { name: 'opens', type: t.time(0, false) },
      ]),
    );
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.message, d.hints])).toEqual([
      [
        "column `at` of type TIMESTAMP_LTZ(3) NOT NULL cannot be written to `enriched-orders-value` as Avro (avro-confluent): Flink's avro-confluent format uses the legacy timestamp mapping, which cannot write TIMESTAMP_LTZ",
        ["cast it to a UTC timestamp: CAST(at AS TIMESTAMP(3)), with table.local-time-zone = 'UTC'"],
      ],
      [
        "column `precise` of type TIMESTAMP(6) cannot be written to `enriched-orders-value` as Avro (avro-confluent): Flink's avro-confluent format uses the legacy timestamp mapping, which writes TIMESTAMP with at most millisecond precision",
        ['cast it: CAST(precise AS TIMESTAMP(3))'],
      ],
      [
        'column `by_id` of type MAP<INT NOT NULL, STRING> cannot be written to `enriched-orders-value` as Avro (avro-confluent): Avro map keys are strings',
        ['cast the keys to STRING, e.g. with TRANSFORM_KEYS or by building the map from STRING keys'],
      ],
      [
        "column `opens` of type TIME(0) NOT NULL cannot be written to `enriched-orders-value` as Avro (avro-confluent): Flink's avro-confluent format cannot write TIME (it maps time-millis to TIME(3), which never equals the table's TIME(0))",
        ['write it as text: CAST(opens AS STRING)'],
      ],
    ]);
  });

  it('rejects names Avro cannot hold, at the column', () => {
    const span = { file: 'p.pipe', start: 10, end: 20 };
    const result = generateSinkSchema(request('AVRO', [{ name: 'order-id', type: t.string(false) }], { columnSpans: { 'order-id': span } }));
    expect(brief(result.diagnostics)).toEqual([
      'sink-name-invalid: `order-id` is not a valid Avro (avro-confluent) name for `enriched-orders-value`: Avro field names start with a letter or _ and have only letters, digits and _',
    ]);
    expect(result.diagnostics[0]?.span).toEqual(span);
  });

  it('rejects a nested row with the same field name twice', () => {
    const nested = t.row([{ name: 'a', type: t.int(false) }, { name: 'a', type: t.string(false) }], false);
    const result = generateSinkSchema(request('AVRO', [{ name: 'pair', type: nested }]));
    expect(brief(result.diagnostics)).toEqual(['sink-name-invalid: `a` is not a valid Avro (avro-confluent) name for `enriched-orders-value`: field names of an Avro record must be unique']);
  });

  it('stays silent about columns that already failed to type', () => {
    const result = generateSinkSchema(request('AVRO', [{ name: 'x', type: { kind: 'ERROR', nullable: true } }]));
    expect(result).toEqual({ ok: false, diagnostics: [] });
  });
});

describe('generateSinkSchema: JSON Schema', () => {
  it('writes draft-07 with closed objects, required NOT NULL columns and Connect annotations', () => {
    const result = generated('JSON', enriched);
    const schema = JSON.parse(result.schema) as Record<string, unknown>;
    expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'shop.analytics.EnrichedOrder', type: 'object', additionalProperties: false });
    expect(schema['required']).toEqual(['order_id', 'customer_id', 'quantity', 'amount', 'placed_at', 'lines']);
    expect((schema['properties'] as Record<string, unknown>)['note']).toEqual({ oneOf: [{ type: 'null' }, { type: 'string' }] });
    expect(columns(result.row)).toEqual([
      'order_id STRING NOT NULL',
      'customer_id BIGINT NOT NULL',
      'quantity INT NOT NULL',
      'amount DECIMAL(12, 2) NOT NULL',
      'placed_at TIMESTAMP(3) NOT NULL',
      'note STRING',
      'customer ROW<`name` STRING NOT NULL, `address` ROW<`city` STRING>>',
      'lines ARRAY<ROW<`sku` STRING NOT NULL, `price` DOUBLE NOT NULL> NOT NULL> NOT NULL',
      'tags MAP<STRING NOT NULL, STRING>',
    ]);
  });
});

describe('generateSinkSchema: Protobuf', () => {
  const protoRow = enriched.filter((f) => f.name !== 'amount' && f.name !== 'placed_at');

  it('writes proto3 with a package, one message and nested messages', () => {
    const result = generated('PROTOBUF', protoRow);
    expect(result.schema).toBe(
      [
        'syntax = "proto3";',
        'package shop.analytics;',
        '',
        'message EnrichedOrder {',
        '  // Order key.',
        '  string order_id = 1;',
        '  int64 customer_id = 2;',
        '  int32 quantity = 3;',
        '  string note = 4;',
        '  Customer customer = 5;',
        '  repeated Lines lines = 6;',
        '  map<string, string> tags = 7;',
        '  message Customer {',
        '    string name = 1;',
        '    Address address = 2;',
        '    message Address {',
        '      string city = 1;',
        '    }',
        '  }',
        '  message Lines {',
        '    string sku = 1;',
        '    double price = 2;',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(() => protobuf.parse(result.schema)).not.toThrow();
  });

  it('keeps field numbers of the previous version and reserves the dropped ones', () => {
    const previous = generated('PROTOBUF', protoRow).schema;
    const next = generated(
      'PROTOBUF',
      [{ name: 'channel', type: t.string() }, ...protoRow.filter((f) => f.name !== 'quantity')],
      { previous },
    );
    expect(next.schema).toContain('  reserved 3;\n');
    expect(next.schema).toContain('  string channel = 8;\n');
    expect(next.schema).toContain('  string order_id = 1;\n');
    expect(next.schema).toContain('  map<string, string> tags = 7;\n');
    const third = generated('PROTOBUF', [...protoRow.filter((f) => f.name !== 'quantity'), { name: 'quantity', type: t.int() }], { previous: next.schema });
    expect(third.schema).toContain('  reserved 3, 8;\n');
    expect(third.schema).toContain('  int32 quantity = 9;\n');
  });

  it('rejects DECIMAL and temporal columns, which Flink\'s protobuf format cannot write', () => {
    const result = generateSinkSchema(request('PROTOBUF', [{ name: 'amount', type: t.decimal(10, 2) }, { name: 'at', type: t.timestamp(3) }]));
    expect(result.diagnostics.map((d) => d.hints[0])).toEqual([
      'cast it: CAST(amount AS DOUBLE), or AS STRING to keep every digit',
      'convert it: UNIX_TIMESTAMP(CAST(at AS STRING)) * 1000 as BIGINT milliseconds, or CAST(at AS STRING)',
    ]);
  });
});

// ── round trips: generate → map back → the same row, up to what each format can express ────────────────

/** What each format keeps of a type (docs/types.md, "Sinks"). */
function normalize(type: SqlType, format: SchemaType): SqlType {
  const n = (x: SqlType): SqlType => normalize(x, format);
  const nullable = format === 'PROTOBUF' ? true : type.nullable;
  switch (type.kind) {
    case 'TINYINT':
    case 'SMALLINT':
      return format === 'JSON' ? { ...type, nullable } : t.int(nullable);
    case 'CHAR':
    case 'VARCHAR':
      return t.string(nullable);
    case 'BINARY':
    case 'VARBINARY':
      return t.bytes(nullable);
    case 'TIME':
      return t.time(0, nullable);
    case 'TIMESTAMP':
      return t.timestamp(3, nullable);
    case 'TIMESTAMP_LTZ':
      return t.timestampLtz(3, nullable);
    case 'ARRAY':
      return t.array(n(type.element), nullable);
    case 'MAP':
      return t.map(format === 'PROTOBUF' ? n(type.key) : t.string(false), n(type.value), nullable);
    case 'ROW': {
      const fields = type.fields.map((f) => ({ name: f.name, type: n(f.type) }));
      // Avro: a nullable record's fields are nullable, down through nested records (Flink's planner sees them so).
      return t.row(format === 'AVRO' && nullable ? fields.map((f) => ({ ...f, type: nullableDown(f.type) })) : fields, nullable);
    }
    default:
      return { ...type, nullable } as SqlType;
  }
}

function nullableDown(type: SqlType): SqlType {
  return type.kind === 'ROW' ? t.row(type.fields.map((f) => ({ ...f, type: nullableDown(f.type) })), true) : ({ ...type, nullable: true } as SqlType);
}

const names = fc.constantFrom('a', 'b', 'c', 'id', 'name', 'value', 'x1', 'total_amount');

function typeArb(format: SchemaType): fc.Arbitrary<SqlType> {
  const nullable = fc.boolean();
  const scalars: fc.Arbitrary<SqlType>[] = [
    nullable.map((b) => t.boolean(b)),
    nullable.map((b) => t.int(b)),
    nullable.map((b) => t.bigint(b)),
    nullable.map((b) => t.smallint(b)),
    nullable.map((b) => t.float(b)),
    nullable.map((b) => t.double(b)),
    nullable.map((b) => t.string(b)),
    nullable.map((b) => t.bytes(b)),
    fc.tuple(fc.integer({ min: 1, max: 255 }), nullable).map(([len, b]): SqlType => ({ kind: 'VARCHAR', length: len, nullable: b })),
  ];
  if (format !== 'PROTOBUF') {
    scalars.push(
      fc.tuple(fc.integer({ min: 1, max: 38 }), nullable).chain(([p, b]) => fc.integer({ min: 0, max: p }).map((s) => t.decimal(p, s, b))),
      nullable.map((b) => t.date(b)),
      fc.tuple(fc.integer({ min: 0, max: 3 }), nullable).map(([p, b]) => t.timestamp(p, b)),
    );
  }
  // Flink's avro-confluent format cannot write TIME (a test below); Protobuf has no time type.
  if (format === 'JSON') scalars.push(fc.tuple(fc.integer({ min: 0, max: 3 }), nullable).map(([p, b]) => t.time(p, b)));
  if (format === 'JSON') scalars.push(nullable.map((b) => t.timestampLtz(3, b)), nullable.map((b) => t.tinyint(b)));
  const scalar = fc.oneof(...scalars);
  const { type } = fc.letrec<{ type: SqlType; row: SqlType }>((tie) => ({
    type: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('row'), fc.tuple(scalar, nullable).map(([e, b]) => t.array(e, b)), fc.tuple(scalar, nullable).map(([v, b]) => t.map(t.string(false), v, b))),
    row: fc.tuple(fc.uniqueArray(fc.tuple(names, tie('type')), { minLength: 1, maxLength: 4, selector: ([n]) => n }), nullable).map(([fields, b]) => t.row(fields.map(([name, ft]) => ({ name, type: ft })), b)),
  }));
  return type;
}

function rowArb(format: SchemaType): fc.Arbitrary<RowField[]> {
  return fc.uniqueArray(fc.tuple(names, typeArb(format)), { minLength: 1, maxLength: 6, selector: ([n]) => n }).map((fs) => fs.map(([name, type]) => ({ name, type })));
}

describe.each(['AVRO', 'JSON', 'PROTOBUF'] as const)('round trip %s: generate → map back', (format) => {
  it('yields the same row, normalised to what the format keeps', () => {
    fc.assert(
      fc.property(rowArb(format), (row) => {
        const result = generated(format, row);
        const expected = row.map((f) => ({ name: f.name, type: normalize(f.type, format) }));
        expect(result.row.map((f) => ({ name: f.name, type: f.type }))).toEqual(expected);
        // The compile path trusts generated Avro without avsc (MappingContext.generated): avsc must accept all of it.
        if (format === 'AVRO') expect(() => avsc.Type.forSchema(JSON.parse(result.schema) as avsc.Schema)).not.toThrow();
      }),
      { numRuns: 300 },
    );
    // 300 schemas compiled by avsc: about half a second alone, past the default 5 s on a busy 2-core machine.
  }, 30_000);

  it('round-trips the realistic enriched-order row', () => {
    const row = format === 'PROTOBUF' ? enriched.filter((f) => f.name !== 'amount' && f.name !== 'placed_at') : enriched;
    const result = generated(format, row);
    expect(result.row.map((f) => ({ name: f.name, type: f.type }))).toEqual(row.map((f) => ({ name: f.name, type: normalize(f.type, format) })));
  });
});
