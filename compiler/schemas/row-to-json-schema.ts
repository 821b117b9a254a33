/**
 * Sink columns → a JSON Schema (draft-07, as Confluent's JSON Schema serializer registers) (pure).
 *
 * Objects are closed (`additionalProperties: false`): under Confluent's rules adding an optional property
 * to a closed object is BACKWARD compatible, to an open one it is not. NOT NULL columns are `required`;
 * nullable ones are `oneOf: [{"type": "null"}, T]`, the shape Confluent's Connect converter writes and
 * reads. Numbers carry Connect's `connect.type` so INT stays INT (JSON has only integer and number).
 * Values are written the way Flink's json format writes them (dates and times as text, bytes as base64).
 */
import { formatType, type RowField, type SqlType } from '../types/types.ts';
import { assertNever } from '../util/invariant.ts';
import { CONNECT_DECIMAL, LOCAL_DATE_TIME_FORMAT } from './json-schema-to-row.ts';
import type { ColumnProblem, GeneratedText, GenerateOptions } from './mapping.ts';

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

export function rowToJsonSchema(row: readonly RowField[], options: GenerateOptions): GeneratedText {
  const problems: ColumnProblem[] = [];
  const body = objectSchema(row, [], problems);
  if (problems.length > 0) return { ok: false, problems };
  const title = options.namespace === '' ? options.name : `${options.namespace}.${options.name}`;
  const schema = { $schema: JSON_SCHEMA_DRAFT, title, ...(options.doc === undefined ? {} : { description: options.doc }), ...body };
  return { ok: true, schema: JSON.stringify(schema, null, 2) };
}

function objectSchema(row: readonly RowField[], path: readonly string[], problems: ColumnProblem[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const field of row) {
    const schema = valueSchema(field.type, [...path, field.name], problems);
    properties[field.name] = field.doc === undefined ? schema : withDescription(schema, field.doc);
  }
  const required = row.filter((f) => !f.type.nullable).map((f) => f.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function withDescription(schema: Record<string, unknown>, doc: string): Record<string, unknown> {
  return { description: doc, ...schema };
}

function valueSchema(type: SqlType, path: readonly string[], problems: ColumnProblem[]): Record<string, unknown> {
  const base = baseSchema(type, path, problems);
  return type.nullable ? { oneOf: [{ type: 'null' }, base] } : base;
}

function baseSchema(type: SqlType, path: readonly string[], problems: ColumnProblem[]): Record<string, unknown> {
  const problem = (reason: string, fix?: string): Record<string, unknown> => {
    problems.push({ path, type: formatType(type), reason, fix, kind: 'type' });
    return {};
  };
  switch (type.kind) {
    case 'BOOLEAN':
      return { type: 'boolean' };
    case 'TINYINT':
      return { type: 'integer', 'connect.type': 'int8' };
    case 'SMALLINT':
      return { type: 'integer', 'connect.type': 'int16' };
    case 'INT':
      return { type: 'integer', 'connect.type': 'int32' };
    case 'BIGINT':
      return { type: 'integer', 'connect.type': 'int64' };
    case 'FLOAT':
      return { type: 'number', 'connect.type': 'float32' };
    case 'DOUBLE':
      return { type: 'number', 'connect.type': 'float64' };
    case 'DECIMAL':
      return {
        type: 'number',
        title: CONNECT_DECIMAL,
        'connect.type': 'bytes',
        'connect.parameters': { scale: String(type.scale), 'connect.decimal.precision': String(type.precision) },
      };
    case 'CHAR':
    case 'VARCHAR':
      return { type: 'string' };
    case 'BINARY':
    case 'VARBINARY':
      return { type: 'string', contentEncoding: 'base64', 'connect.type': 'bytes' };
    case 'DATE':
      return { type: 'string', format: 'date' };
    case 'TIME':
      return { type: 'string', format: 'time' };
    case 'TIMESTAMP':
      return { type: 'string', format: LOCAL_DATE_TIME_FORMAT };
    case 'TIMESTAMP_LTZ':
      return { type: 'string', format: 'date-time' };
    case 'INTERVAL':
      return problem('JSON has no interval type', 'convert it to a number, e.g. the milliseconds as BIGINT');
    case 'MULTISET':
      return problem('pipec writes no JSON Schema for a MULTISET', 'aggregate it into a MAP<STRING, INT> or an ARRAY first');
    case 'ARRAY':
      return { type: 'array', items: valueSchema(type.element, [...path, '[]'], problems) };
    case 'MAP':
      if (type.key.kind !== 'VARCHAR' && type.key.kind !== 'CHAR') {
        return problem("Flink's json format writes only maps with string keys", 'cast the keys to STRING');
      }
      return { type: 'object', additionalProperties: valueSchema(type.value, [...path, '{}'], problems), 'connect.type': 'map' };
    case 'ROW':
      return objectSchema(type.fields, path, problems);
    case 'NULL':
      return problem('a column that is always NULL has no JSON Schema type', 'give it a type: CAST(NULL AS STRING)');
    case 'ERROR':
      problems.push({ path, type: 'ERROR', reason: '', kind: 'poison' });
      return {};
    default:
      return assertNever(type, 'SQL type');
  }
}
