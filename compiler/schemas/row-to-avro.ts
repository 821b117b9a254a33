/**
 * Sink columns → an Avro record for `avro-confluent` (pure).
 *
 * Unlike Flink's own AvroSchemaConverter.convertToSchema, the record gets the caller's namespace and name
 * (Flink names it `org.apache.flink.avro.generated.record`, which clashes with pre-registered schemas,
 * FLINK-31085), nested records get deterministic names (`<Parent>_<field>`, Flink's convention, in the same
 * namespace), and every nullable field is `["null", T]` with `"default": null`, so adding a nullable column
 * later stays BACKWARD compatible. Types follow the legacy timestamp mapping avro-confluent uses: it can
 * write TIMESTAMP(0..3) and TIME(0..3) only, and no TIMESTAMP_LTZ.
 */
import { fieldsOfNullableRow, formatType, type RowField, type SqlType } from '../types/types.ts';
import { assertNever } from '../util/invariant.ts';
import type { ColumnProblem, GeneratedText, GenerateOptions } from './mapping.ts';

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Run {
  readonly namespace: string;
  readonly usedNames: Set<string>;
  readonly problems: ColumnProblem[];
}

export function rowToAvro(row: readonly RowField[], options: GenerateOptions): GeneratedText {
  const problems: ColumnProblem[] = [];
  for (const part of options.namespace === '' ? [] : options.namespace.split('.')) {
    if (!AVRO_NAME.test(part)) problems.push({ path: [], type: '', kind: 'name', reason: `namespace ${options.namespace} must be dot-separated names of letters, digits and _` });
  }
  if (!AVRO_NAME.test(options.name)) problems.push({ path: [], type: '', kind: 'name', reason: 'an Avro record name starts with a letter or _ and has only letters, digits and _' });
  const run: Run = { namespace: options.namespace, usedNames: new Set([options.name]), problems };
  const record = recordSchema(row, options.name, [], run, options.doc);
  if (problems.length > 0) return { ok: false, problems };
  const schema = options.namespace === '' ? record : { ...record, namespace: options.namespace };
  // Key order as Avro users write it: type, name, namespace, doc, fields.
  const { type, name, namespace, doc, fields } = schema as Record<string, unknown>;
  return { ok: true, schema: JSON.stringify({ type, name, ...(namespace === undefined ? {} : { namespace }), ...(doc === undefined ? {} : { doc }), fields }, null, 2) };
}

function recordSchema(row: readonly RowField[], name: string, path: readonly string[], run: Run, doc?: string): Record<string, unknown> {
  const seen = new Set<string>();
  const fields = row.map((field) => {
    const fieldPath = [...path, field.name];
    if (!AVRO_NAME.test(field.name)) {
      run.problems.push({ path: fieldPath, type: formatType(field.type), kind: 'name', reason: 'Avro field names start with a letter or _ and have only letters, digits and _' });
    }
    if (seen.has(field.name)) run.problems.push({ path: fieldPath, type: formatType(field.type), kind: 'name', reason: 'field names of an Avro record must be unique' });
    seen.add(field.name);
    const type = fieldType(field.type, `${name}_${field.name}`, fieldPath, run);
    return {
      name: field.name,
      ...(field.doc === undefined ? {} : { doc: field.doc }),
      type,
      ...(field.type.nullable ? { default: null } : {}),
    };
  });
  return { type: 'record', name, ...(doc === undefined ? {} : { doc }), fields };
}

/** The Avro type of a value of `type`, nullable as a `["null", T]` union. */
function fieldType(type: SqlType, recordName: string, path: readonly string[], run: Run): unknown {
  const base = baseType(type, recordName, path, run);
  return type.nullable ? ['null', base] : base;
}

function baseType(type: SqlType, recordName: string, path: readonly string[], run: Run): unknown {
  const problem = (reason: string, fix?: string): unknown => {
    run.problems.push({ path, type: formatType(type), reason, fix, kind: 'type' });
    return 'null';
  };
  switch (type.kind) {
    case 'BOOLEAN':
      return 'boolean';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
      return 'int';
    case 'BIGINT':
      return 'long';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'DECIMAL':
      return { type: 'bytes', logicalType: 'decimal', precision: type.precision, scale: type.scale };
    case 'CHAR':
    case 'VARCHAR':
      return 'string';
    case 'BINARY':
    case 'VARBINARY':
      return 'bytes';
    case 'DATE':
      return { type: 'int', logicalType: 'date' };
    case 'TIME':
      // The format's own schema for a TIME column is TIME(3) (time-millis) while the planner holds TIME(0): Flink
      // refuses the sink table whatever schema pipec registers.
      return problem("Flink's avro-confluent format cannot write TIME (it maps time-millis to TIME(3), which never equals the table's TIME(0))", `write it as text: CAST(${last(path)} AS STRING)`);
    case 'TIMESTAMP':
      if (type.precision > 3) {
        return problem(
          "Flink's avro-confluent format uses the legacy timestamp mapping, which writes TIMESTAMP with at most millisecond precision",
          `cast it: CAST(${last(path)} AS TIMESTAMP(3))`,
        );
      }
      return { type: 'long', logicalType: 'timestamp-millis' };
    case 'TIMESTAMP_LTZ':
      return problem(
        "Flink's avro-confluent format uses the legacy timestamp mapping, which cannot write TIMESTAMP_LTZ",
        `cast it to a UTC timestamp: CAST(${last(path)} AS TIMESTAMP(3)), with table.local-time-zone = 'UTC'`,
      );
    case 'INTERVAL':
      return problem('Avro has no interval type Flink can write', `convert it to a number, e.g. the milliseconds as BIGINT`);
    case 'MULTISET':
      return problem('Flink writes a MULTISET as an Avro map but reads that map back as MAP, so the sink table could not declare it', 'aggregate it into a MAP<STRING, INT> or an ARRAY first');
    case 'ARRAY':
      return { type: 'array', items: fieldType(type.element, recordName, [...path, '[]'], run) };
    case 'MAP':
      if (type.key.kind !== 'VARCHAR' && type.key.kind !== 'CHAR') {
        return problem('Avro map keys are strings', `cast the keys to STRING, e.g. with TRANSFORM_KEYS or by building the map from STRING keys`);
      }
      return { type: 'map', values: fieldType(type.value, recordName, [...path, '{}'], run) };
    case 'ROW':
      // Flink compares a pinned schema with the table's type, where a nullable ROW's fields are all nullable.
      return recordSchema(type.nullable ? fieldsOfNullableRow(type.fields) : type.fields, uniqueName(recordName, run), path, run);
    case 'NULL':
      return problem('a column that is always NULL has no Avro type', `give it a type: CAST(NULL AS STRING)`);
    case 'ERROR':
      // Already reported where the expression failed; no second diagnostic.
      run.problems.push({ path, type: 'ERROR', reason: '', kind: 'poison' });
      return 'null';
    default:
      return assertNever(type, 'SQL type');
  }
}

function uniqueName(base: string, run: Run): string {
  let name = base;
  for (let i = 2; run.usedNames.has(name); i++) name = `${base}${i}`;
  run.usedNames.add(name);
  return name;
}

function last(path: readonly string[]): string {
  return path.filter((p) => p !== '[]' && p !== '{}').join('.') || 'column';
}
