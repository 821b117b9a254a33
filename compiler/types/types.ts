/**
 * pipec's column types: Flink SQL's logical types with nullability.
 * Every schema source (Avro, JSON Schema, Protobuf) maps into these, the checker computes with them,
 * and targets print them. Plain serializable data; `nullable` sits on the type, as in Flink.
 */
export type SqlType =
  | { readonly kind: 'BOOLEAN'; readonly nullable: boolean }
  | { readonly kind: 'TINYINT'; readonly nullable: boolean }
  | { readonly kind: 'SMALLINT'; readonly nullable: boolean }
  | { readonly kind: 'INT'; readonly nullable: boolean }
  | { readonly kind: 'BIGINT'; readonly nullable: boolean }
  | { readonly kind: 'FLOAT'; readonly nullable: boolean }
  | { readonly kind: 'DOUBLE'; readonly nullable: boolean }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number; readonly nullable: boolean }
  /** `length` undefined means unbounded (Flink's STRING = VARCHAR(2147483647)). */
  | { readonly kind: 'CHAR'; readonly length: number; readonly nullable: boolean }
  | { readonly kind: 'VARCHAR'; readonly length: number | undefined; readonly nullable: boolean }
  | { readonly kind: 'BINARY'; readonly length: number; readonly nullable: boolean }
  | { readonly kind: 'VARBINARY'; readonly length: number | undefined; readonly nullable: boolean }
  | { readonly kind: 'DATE'; readonly nullable: boolean }
  | { readonly kind: 'TIME'; readonly precision: number; readonly nullable: boolean }
  /** `timeAttribute` marks Flink's rowtime / proctime attributes, which windows and interval joins need. */
  | { readonly kind: 'TIMESTAMP'; readonly precision: number; readonly nullable: boolean; readonly timeAttribute?: TimeAttribute }
  | { readonly kind: 'TIMESTAMP_LTZ'; readonly precision: number; readonly nullable: boolean; readonly timeAttribute?: TimeAttribute }
  | { readonly kind: 'INTERVAL'; readonly unit: 'DAY_TIME' | 'YEAR_MONTH'; readonly nullable: boolean }
  | { readonly kind: 'ARRAY'; readonly element: SqlType; readonly nullable: boolean }
  | { readonly kind: 'MULTISET'; readonly element: SqlType; readonly nullable: boolean }
  | { readonly kind: 'MAP'; readonly key: SqlType; readonly value: SqlType; readonly nullable: boolean }
  | { readonly kind: 'ROW'; readonly fields: readonly RowField[]; readonly nullable: boolean }
  /** The type of the NULL literal before it meets a context. */
  | { readonly kind: 'NULL'; readonly nullable: true }
  /** Poison: an expression that already produced a diagnostic. Never reported twice. */
  | { readonly kind: 'ERROR'; readonly nullable: true };

export type TimeAttribute = 'rowtime' | 'proctime';

export interface RowField {
  readonly name: string;
  readonly type: SqlType;
  readonly doc?: string;
}

export type SqlTypeKind = SqlType['kind'];

export const ERROR_TYPE: SqlType = { kind: 'ERROR', nullable: true };
export const NULL_TYPE: SqlType = { kind: 'NULL', nullable: true };

export function withNullable<T extends SqlType>(type: T, nullable: boolean): T {
  if (type.kind === 'NULL' || type.kind === 'ERROR' || type.nullable === nullable) return type;
  return { ...type, nullable };
}

/**
 * `type` as Flink's planner holds it once nullable: the fields of a nullable ROW are nullable too, all the way down
 * through nested ROWs (Calcite's rule for struct types); arrays and maps keep their elements' nullability.
 */
function nullableInPlanner(type: SqlType): SqlType {
  return type.kind === 'ROW' ? { ...type, nullable: true, fields: fieldsOfNullableRow(type.fields) } : withNullable(type, true);
}

/** The fields of a nullable ROW as Flink's planner holds them (see nullableInPlanner). */
export function fieldsOfNullableRow(fields: readonly RowField[]): readonly RowField[] {
  return fields.map((f) => ({ ...f, type: nullableInPlanner(f.type) }));
}

export const NUMERIC_KINDS: ReadonlySet<SqlTypeKind> = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL']);
export const INTEGER_KINDS: ReadonlySet<SqlTypeKind> = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);
export const STRING_KINDS: ReadonlySet<SqlTypeKind> = new Set(['CHAR', 'VARCHAR']);
export const BINARY_KINDS: ReadonlySet<SqlTypeKind> = new Set(['BINARY', 'VARBINARY']);
export const TEMPORAL_KINDS: ReadonlySet<SqlTypeKind> = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ']);

export const t = {
  boolean: (nullable = true): SqlType => ({ kind: 'BOOLEAN', nullable }),
  tinyint: (nullable = true): SqlType => ({ kind: 'TINYINT', nullable }),
  smallint: (nullable = true): SqlType => ({ kind: 'SMALLINT', nullable }),
  int: (nullable = true): SqlType => ({ kind: 'INT', nullable }),
  bigint: (nullable = true): SqlType => ({ kind: 'BIGINT', nullable }),
  float: (nullable = true): SqlType => ({ kind: 'FLOAT', nullable }),
  double: (nullable = true): SqlType => ({ kind: 'DOUBLE', nullable }),
  decimal: (precision: number, scale: number, nullable = true): SqlType => ({ kind: 'DECIMAL', precision, scale, nullable }),
  string: (nullable = true): SqlType => ({ kind: 'VARCHAR', length: undefined, nullable }),
  bytes: (nullable = true): SqlType => ({ kind: 'VARBINARY', length: undefined, nullable }),
  date: (nullable = true): SqlType => ({ kind: 'DATE', nullable }),
  time: (precision = 0, nullable = true): SqlType => ({ kind: 'TIME', precision, nullable }),
  timestamp: (precision = 3, nullable = true): SqlType => ({ kind: 'TIMESTAMP', precision, nullable }),
  timestampLtz: (precision = 3, nullable = true): SqlType => ({ kind: 'TIMESTAMP_LTZ', precision, nullable }),
  array: (element: SqlType, nullable = true): SqlType => ({ kind: 'ARRAY', element, nullable }),
  map: (key: SqlType, value: SqlType, nullable = true): SqlType => ({ kind: 'MAP', key, value, nullable }),
  row: (fields: readonly RowField[], nullable = true): SqlType => ({ kind: 'ROW', fields, nullable }),
} as const;

/** The same timestamp type marked as a time attribute (rowtime or proctime). */
export function asTimeAttribute(type: SqlType, attribute: TimeAttribute): SqlType {
  if (type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ') return { ...type, timeAttribute: attribute };
  return type;
}

/** Flink SQL spelling of a type, e.g. `DECIMAL(10, 2) NOT NULL`; used in messages, docs and DDL. */
export function formatType(type: SqlType): string {
  const base = formatTypeBase(type);
  return type.nullable ? base : `${base} NOT NULL`;
}

function formatTypeBase(type: SqlType): string {
  switch (type.kind) {
    case 'BOOLEAN': case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT':
    case 'FLOAT': case 'DOUBLE': case 'DATE': case 'NULL': case 'ERROR':
      return type.kind;
    case 'DECIMAL': return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'CHAR': return `CHAR(${type.length})`;
    case 'VARCHAR': return type.length === undefined ? 'STRING' : `VARCHAR(${type.length})`;
    case 'BINARY': return `BINARY(${type.length})`;
    case 'VARBINARY': return type.length === undefined ? 'BYTES' : `VARBINARY(${type.length})`;
    case 'TIME': return `TIME(${type.precision})`;
    case 'TIMESTAMP': return `TIMESTAMP(${type.precision})`;
    case 'TIMESTAMP_LTZ': return `TIMESTAMP_LTZ(${type.precision})`;
    case 'INTERVAL': return type.unit === 'DAY_TIME' ? 'INTERVAL DAY TO SECOND' : 'INTERVAL YEAR TO MONTH';
    case 'ARRAY': return `ARRAY<${formatType(type.element)}>`;
    case 'MULTISET': return `MULTISET<${formatType(type.element)}>`;
    case 'MAP': return `MAP<${formatType(type.key)}, ${formatType(type.value)}>`;
    case 'ROW': return `ROW<${type.fields.map((f) => `\`${f.name.replaceAll('`', '``')}\` ${formatType(f.type)}`).join(', ')}>`;
  }
}
