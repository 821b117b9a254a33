import { describe, expect, it } from 'vitest';
import { protobufToRow } from '../../../compiler/schemas/protobuf-to-row.ts';
import { brief, columns, fixture } from './helpers.ts';

const money = { name: 'money.proto', subject: 'money.proto', version: 1, schemaType: 'PROTOBUF' as const, schema: fixture('protobuf/money.proto') };

function mapped(schema: string, refs = [money]) {
  const result = protobufToRow(schema, refs, { subject: 'invoices-value' });
  if (!result.ok) throw new Error(brief(result.diagnostics).join('\n'));
  return result;
}

describe('protobufToRow (Flink protobuf format: PbToRowTypeUtil)', () => {
  it('maps a realistic invoice message the way Flink does, unsigned types included', () => {
    const result = mapped(fixture('protobuf/invoices-value.proto'));
    expect(result.recordName).toBe('shop.billing.Invoice');
    expect(result.diagnostics).toEqual([]);
    expect(columns(result.row)).toEqual([
      'id STRING',
      'version INT',
      'lines_count INT',
      'customer_id BIGINT',
      'sequence BIGINT',
      'delta INT',
      'hash BIGINT',
      'total DOUBLE',
      'discount FLOAT',
      'paid BOOLEAN',
      'signature BYTES',
      'status STRING',
      'amount ROW<`units` BIGINT, `nanos` INT, `currency` STRING>',
      'lines ARRAY<ROW<`sku` STRING, `quantity` INT>>',
      'labels ARRAY<STRING>',
      'counters MAP<STRING, BIGINT>',
      'by_position MAP<INT, ROW<`sku` STRING, `quantity` INT>>',
      'issued_at ROW<`seconds` BIGINT, `nanos` INT>',
      'payment_term ROW<`seconds` BIGINT, `nanos` INT>',
      'note ROW<`value` STRING>',
      'card_token STRING',
      'iban STRING',
      'priority INT',
    ]);
  });

  it('reads the message a `// pipec:message` comment names', () => {
    const schema = `// pipec:message Unused\n${fixture('protobuf/invoices-value.proto')}`;
    expect(mapped(schema).recordName).toBe('shop.billing.Unused');
    const wrong = protobufToRow(`// pipec:message Invoyce\n${fixture('protobuf/invoices-value.proto')}`, [money], { subject: 'invoices-value' });
    expect(brief(wrong.diagnostics)).toEqual(['protobuf-message-not-found: subject `invoices-value` declares no message `Invoyce`']);
    expect(wrong.diagnostics[0]?.hints[0]).toBe('did you mean `shop.billing.Invoice`?');
  });

  it('reports an import that no reference provides', () => {
    const result = protobufToRow(fixture('protobuf/invoices-value.proto'), [], { subject: 'invoices-value' });
    expect(brief(result.diagnostics)).toEqual(['schema-reference-missing: subject `invoices-value` uses `money.proto`, which none of its schema references provides']);
  });

  it('leaves out google.protobuf.Struct fields and keeps the rest', () => {
    const result = mapped('syntax = "proto3";\nimport "google/protobuf/struct.proto";\nmessage Event { string id = 1; google.protobuf.Struct attributes = 2; repeated google.protobuf.Value values = 3; }');
    expect(columns(result.row)).toEqual(['id STRING']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['schema-field-unsupported', 'schema-field-unsupported']);
    expect(result.diagnostics[0]?.message).toContain('google.protobuf.Struct is recursive');
  });

  it('maps Any, Empty and wrappers as plain messages', () => {
    const result = mapped(
      'syntax = "proto3";\nimport "google/protobuf/any.proto";\nimport "google/protobuf/empty.proto";\nimport "google/protobuf/wrappers.proto";\nmessage M { google.protobuf.Any detail = 1; google.protobuf.Empty nothing = 2; google.protobuf.Int64Value count = 3; google.protobuf.BytesValue blob = 4; }',
    );
    expect(columns(result.row)).toEqual(['detail ROW<`type_url` STRING, `value` BYTES>', 'nothing ROW<>', 'count ROW<`value` BIGINT>', 'blob ROW<`value` BYTES>']);
  });

  it('rejects recursive messages, naming the message and the path', () => {
    const result = protobufToRow('syntax = "proto3";\npackage t;\nmessage Node { int32 value = 1; repeated Node children = 2; }', [], { subject: 'tree-value' });
    expect(brief(result.diagnostics)).toEqual(['schema-recursive: subject `tree-value` is recursive: `t.Node` contains itself at `children[]`']);
  });

  it('rejects invalid text and files without a message', () => {
    expect(protobufToRow('syntax = "proto3";\nmessage { }', [], { subject: 's' }).diagnostics[0]?.code).toBe('schema-invalid');
    expect(protobufToRow('syntax = "proto3";\nenum E { A = 0; }', [], { subject: 's' }).diagnostics[0]?.message).toBe(
      "subject `s` holds no message, but Flink reads a topic's value as a row, which needs a Protobuf message",
    );
    expect(protobufToRow('syntax = "proto3";\nmessage M { Missing m = 1; }', [], { subject: 's' }).diagnostics[0]?.message).toBe(
      "the PROTOBUF schema of subject `s` is not valid: no such Type or Enum 'Missing' in Type .M",
    );
  });
});
