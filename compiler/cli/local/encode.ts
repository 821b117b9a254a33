/**
 * Rows as a user writes them (YAML or JSON, the readable values of test files) → Kafka records in a source's
 * declared formats: Avro in the Confluent wire format with the registry's schema of the subject, JSON as Flink's
 * JSON format reads it (ISO-8601 timestamps), raw as the one column's text; the key likewise when the source has
 * one. Every row is checked against the source's columns first, so nothing is sent when one does not fit.
 */
import avro from 'avsc';
import { canonicalize, type CanonicalValue } from '../../testing/values.ts';
import type { ColumnPlan, FormatPlan } from '../../plan/plan.ts';
import { formatType } from '../../types/types.ts';
import { registryErrorCode, type SchemaRegistryClient } from '../../../clients/schema-registry.ts';
import { LocalStackError } from '../../../local/errors.ts';
import type { OutgoingRecord } from '../../../local/kafka-client.ts';
import { AvroFitError, toAvroDatum, type AvroSchema } from './avro-values.ts';
import { frame } from './confluent-avro.ts';
import type { TopicShape } from './targets.ts';

type CanonicalRow = Readonly<Record<string, CanonicalValue>>;

const FIX_HINT = 'fix the record (`pipec explain <file>` lists the source\'s columns and types; values are written as in test files: docs/testing.md)';

/** The rows in canonical values, or every problem found, each naming the record (1-based) and the column. */
export function canonicalRows(rows: readonly unknown[], shape: TopicShape): CanonicalRow[] {
  const columns = [...shape.valueColumns, ...shape.keyColumns.filter((k) => !shape.valueColumns.some((c) => c.name === k.name))];
  const problems: string[] = [];
  const out = rows.map((row, i) => {
    const where = `record ${i + 1}`;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      problems.push(`${where}: expected a mapping of column to value, e.g. { ${columns.map((c) => `${c.name}: …`).slice(0, 3).join(', ')} }`);
      return {};
    }
    const given = row as Record<string, unknown>;
    for (const name of Object.keys(given)) {
      if (!columns.some((c) => c.name === name)) problems.push(`${where}: ${shape.what} has no column ${name} (it has ${columns.map((c) => c.name).join(', ')})`);
    }
    const canonical: Record<string, CanonicalValue> = {};
    for (const c of columns) {
      const v = canonicalize(given[c.name], c.type);
      if (v.ok) canonical[c.name] = v.value;
      else problems.push(`${where}: column ${c.name} (${formatType(c.type)}): expected ${v.expected}${c.name in given ? `, got ${JSON.stringify(given[c.name], (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}` : ''}`);
    }
    return canonical;
  });
  if (problems.length > 0) throw new LocalStackError('bad-record', `nothing was produced: ${problems.length === 1 ? 'a record does' : 'records do'} not fit ${shape.what}:\n  ${problems.join('\n  ')}`, FIX_HINT);
  return out;
}

type PartEncoder = (row: CanonicalRow, index: number) => Buffer | string;

async function registrySchema(registry: SchemaRegistryClient, format: FormatPlan, shape: TopicShape): Promise<{ id: number; schema: AvroSchema }> {
  const subject = format.subject ?? '';
  try {
    const v = await registry.version(subject, format.version);
    return { id: v.id, schema: JSON.parse(v.schema) as AvroSchema };
  } catch (e) {
    if (registryErrorCode(e) !== 40401 && registryErrorCode(e) !== 40402) throw e;
    throw new LocalStackError('not-deployed', `subject ${subject} (${shape.what}) has no schema in the local registry`, 'run `pipec local deploy` first: it registers the schemas of the topics your pipelines read');
  }
}

async function partEncoder(format: FormatPlan, columns: readonly ColumnPlan[], shape: TopicShape, registry: SchemaRegistryClient): Promise<PartEncoder> {
  const pick = (row: CanonicalRow): Record<string, CanonicalValue> => Object.fromEntries(columns.map((c) => [c.name, row[c.name] ?? null]));
  switch (format.format) {
    case 'avro': {
      const { id, schema } = await registrySchema(registry, format, shape);
      const type = avro.Type.forSchema(schema as avro.Schema);
      return (row, index) => {
        try {
          return frame(id, type.toBuffer(toAvroDatum(pick(row), schema)));
        } catch (e) {
          const reason = e instanceof AvroFitError ? e.message : (e as Error).message;
          throw new LocalStackError('bad-record', `nothing was produced: record ${index + 1} does not fit the registry's schema of subject ${format.subject ?? ''} (id ${id}): ${reason}`, FIX_HINT);
        }
      };
    }
    case 'json':
      return (row) => JSON.stringify(pick(row));
    case 'raw': {
      const [only] = columns;
      return (row) => (only === undefined ? '' : typeof row[only.name] === 'string' ? (row[only.name] as string) : JSON.stringify(row[only.name]));
    }
    case 'protobuf':
      throw new LocalStackError('bad-record', `${shape.what} is written in protobuf, which pipec local produce does not encode`, 'produce with a Kafka client that writes the registry\'s protobuf wire format');
  }
}

/** Kafka records for the rows, all encoded before any is sent. */
export async function encodeRecords(rows: readonly unknown[], shape: TopicShape, registry: SchemaRegistryClient): Promise<OutgoingRecord[]> {
  const canonical = canonicalRows(rows, shape);
  const value = await partEncoder(shape.value, shape.valueColumns, shape, registry);
  const key = shape.key && shape.keyColumns.length > 0 ? await partEncoder(shape.key, shape.keyColumns, shape, registry) : undefined;
  return canonical.map((row, i) => ({ key: key ? key(row, i) : null, value: value(row, i) }));
}
