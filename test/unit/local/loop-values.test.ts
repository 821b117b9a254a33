/**
 * `pipec local produce` and `tail`: readable rows → Avro datums → bytes (avsc) → datums → the same readable rows;
 * what does not fit is named by its path; rows are checked against a source's columns before anything is sent.
 */
import avro from 'avsc';
import { describe, expect, test } from 'vitest';
import type { SqlType } from '../../../compiler/types/types.ts';
import { isLocalStackError } from '../../../local/errors.ts';
import { AvroFitError, fromAvroDatum, toAvroDatum, type AvroSchema } from '../../../compiler/cli/local/avro-values.ts';
import { canonicalRows } from '../../../compiler/cli/local/encode.ts';
import { readableRow } from '../../../compiler/cli/local/decode.ts';
import type { TopicShape } from '../../../compiler/cli/local/targets.ts';

const schema: AvroSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'fee', type: { type: 'fixed', name: 'Fee', size: 4, logicalType: 'decimal', precision: 8, scale: 3 } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'at_micros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'time', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'count', type: ['null', 'long'] },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
    { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }, { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } }] } } },
    { name: 'first', type: ['null', 'Line'] },
    { name: 'tags', type: { type: 'map', values: 'int' } },
    { name: 'blob', type: 'bytes' },
  ],
};

const row = {
  id: 'o-1',
  amount: '-12.50',
  fee: '0.125',
  at: '2026-01-31T13:45:00.123',
  at_micros: '2026-01-31T13:45:00.123456',
  day: '2026-01-31',
  time: '13:45:01.5',
  note: null,
  count: 3,
  status: 'PAID',
  lines: [{ sku: 'a', price: '1.00' }, { sku: 'b', price: '1234567.89' }],
  first: { sku: 'a', price: '1.00' },
  tags: { x: 1 },
  blob: Buffer.from('hi').toString('base64'),
};

describe('Avro values', () => {
  test('a row survives encoding to bytes and decoding, spelled as test files spell values', () => {
    const type = avro.Type.forSchema(schema as avro.Schema);
    const bytes = type.toBuffer(toAvroDatum(row, schema));
    expect(fromAvroDatum(type.fromBuffer(bytes), schema)).toEqual(row);
  });

  test('the datum has the underlying types: decimals as two-complement bytes, times as numbers', () => {
    const datum = toAvroDatum(row, schema) as Record<string, unknown>;
    expect(datum['amount']).toEqual(Buffer.from([0xfb, 0x1e]));
    expect(datum['fee']).toEqual(Buffer.from([0, 0, 0, 125]));
    expect(datum['at']).toBe(Date.UTC(2026, 0, 31, 13, 45, 0, 123));
    expect(datum['day']).toBe(Date.UTC(2026, 0, 31) / 86_400_000);
    expect(datum['time']).toBe((13 * 3600 + 45 * 60 + 1) * 1000 + 500);
  });

  test('a time-millis field takes a time or the milliseconds since midnight its INT column holds', () => {
    const millis = (13 * 3600 + 45 * 60 + 1) * 1000 + 500;
    for (const time of [millis, String(millis)]) {
      expect((toAvroDatum({ ...row, time }, schema) as Record<string, unknown>)['time']).toBe(millis);
    }
    // The row passes the source's column check first (Flink reads the field as INT), then encodes.
    const timeShape: TopicShape = { ...shape, valueColumns: [column('time', { kind: 'INT', nullable: false })], keyColumns: [] };
    const [checked] = canonicalRows([{ time: millis }], timeShape);
    expect((toAvroDatum({ ...row, ...checked }, schema) as Record<string, unknown>)['time']).toBe(millis);
    for (const time of [-1, 86_400_000, 1.5, '24:00:00', '25:00', 'noon']) {
      expect(() => toAvroDatum({ ...row, time }, schema)).toThrow("time: expected a time such as '13:45:00' or the milliseconds since midnight (0 to 86399999)");
    }
  });

  test('what does not fit is named by its path', () => {
    const bad = { ...row, lines: [{ sku: 'a', price: '1.00' }, { sku: 7, price: '1.00' }] };
    expect(() => toAvroDatum(bad, schema)).toThrow(new AvroFitError('lines[1].sku', 'a string'));
    expect(() => toAvroDatum({ ...row, status: 'LOST' }, schema)).toThrow('status: expected one of NEW, PAID');
    expect(() => toAvroDatum({ ...row, id: null }, schema)).toThrow('id: expected a value (the field is not nullable)');
    expect(() => toAvroDatum({ ...row, colour: 'red' }, schema)).toThrow('colour: expected no such field');
  });
});

const column = (name: string, type: SqlType): { name: string; type: SqlType } => ({ name, type });
const shape: TopicShape = {
  topic: 'orders',
  what: 'source orders (pipeline p)',
  valueColumns: [column('amount', { kind: 'DECIMAL', nullable: false, precision: 12, scale: 2 }), column('at', { kind: 'TIMESTAMP', nullable: false, precision: 3 }), column('note', { kind: 'VARCHAR', length: undefined, nullable: true })],
  keyColumns: [column('id', { kind: 'VARCHAR', length: undefined, nullable: false })],
  value: { format: 'avro', subject: 'orders-value', version: 'latest', avroSchema: undefined, registers: undefined },
  key: { format: 'raw', subject: undefined, version: 'latest', avroSchema: undefined, registers: undefined },
};

describe('rows of a source', () => {
  test('values take their canonical spelling; a nullable column left out is null', () => {
    expect(canonicalRows([{ id: 'o-1', amount: 12.5, at: '2026-01-31 13:45' }], shape)).toEqual([{ id: 'o-1', amount: '12.50', at: '2026-01-31T13:45:00', note: null }]);
  });

  test('every problem of every record is reported at once, naming the record and the column', () => {
    let error: unknown;
    try {
      canonicalRows([{ id: 'o-1', amount: 1, at: '2026-01-31T10:00:00' }, { id: 'o-2', amount: 'ten', at: '2026-01-31T10:00:00', colour: 'red' }, 'o-3'], shape);
    } catch (e) {
      error = e;
    }
    expect(isLocalStackError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('nothing was produced');
    expect(message).toContain('record 2: source orders (pipeline p) has no column colour (it has amount, at, note, id)');
    expect(message).toContain('record 2: column amount (DECIMAL(12, 2) NOT NULL): expected a decimal with at most 10 digits before the point and 2 after, got "ten"');
    expect(message).toContain('record 3: expected a mapping of column to value');
    expect(message).not.toContain('record 1');
  });

  test('a decoded value is shown with each known column canonical, others as they came', () => {
    expect(readableRow({ at: '2026-01-31T13:45:00.000', amount: '12.5', extra: 1 }, shape)).toEqual({ amount: '12.50', at: '2026-01-31T13:45:00', extra: 1 });
  });
});
