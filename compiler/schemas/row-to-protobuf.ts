/**
 * Sink columns → a proto3 file with a package and one message (pure).
 *
 * Flink's protobuf format writes only what PbSchemaValidationUtils accepts: bool, int32 (TINYINT…INT),
 * int64, float, double, string, bytes, enums, repeated, map and nested messages. DECIMAL and the temporal
 * types have no protobuf counterpart in Flink, so they are errors with a cast to suggest. Nested rows become
 * nested messages named after their field (`lines` → `Lines`).
 *
 * Field numbers are what protobuf compatibility rests on, so when the subject already has a version
 * (`previous`), a column keeps its number by name, new columns get numbers above the highest one used, and
 * numbers of dropped columns are `reserved` so they are never reused.
 */
import protobuf from 'protobufjs';
import { formatType, type RowField, type SqlType } from '../types/types.ts';
import { assertNever } from '../util/invariant.ts';
import type { ColumnProblem, GeneratedText, GenerateOptions } from './mapping.ts';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAP_KEY_KINDS = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'CHAR', 'VARCHAR']);

export interface ProtobufOptions extends GenerateOptions {
  /** The latest registered text of the subject, to keep field numbers stable. */
  readonly previous?: string | undefined;
}

interface MessageNumbers {
  readonly byName: ReadonlyMap<string, number>;
  readonly reserved: readonly number[];
}

/** Field numbers of the previous version, per message path (`Order`, `Order.Lines`). */
type NumberPlan = ReadonlyMap<string, MessageNumbers>;

interface Run {
  readonly problems: ColumnProblem[];
  readonly plan: NumberPlan;
}

export function rowToProtobuf(row: readonly RowField[], options: ProtobufOptions): GeneratedText {
  const problems: ColumnProblem[] = [];
  for (const part of options.namespace === '' ? [] : options.namespace.split('.')) {
    if (!IDENT.test(part)) problems.push({ path: [], type: '', kind: 'name', reason: `package ${options.namespace} must be dot-separated identifiers` });
  }
  if (!IDENT.test(options.name)) problems.push({ path: [], type: '', kind: 'name', reason: 'a message name is an identifier (letters, digits, _)' });
  const run: Run = { problems, plan: numberPlan(options.previous, options.name) };
  const lines = message(row, options.name, options.name, [], run, '', options.doc);
  if (problems.length > 0) return { ok: false, problems };
  const header = ['syntax = "proto3";', ...(options.namespace === '' ? [] : [`package ${options.namespace};`]), ''];
  return { ok: true, schema: `${[...header, ...lines].join('\n')}\n` };
}

function message(row: readonly RowField[], name: string, planKey: string, path: readonly string[], run: Run, indent: string, doc?: string): string[] {
  const plan = run.plan.get(planKey);
  const numbers = assignNumbers(row.map((f) => f.name), plan);
  const nested: string[] = [];
  const usedNested = new Set<string>();
  const fields: string[] = [];
  for (const field of row) {
    const fieldPath = [...path, field.name];
    if (!IDENT.test(field.name)) {
      run.problems.push({ path: fieldPath, type: formatType(field.type), kind: 'name', reason: 'protobuf field names are identifiers (letters, digits, _)' });
      continue;
    }
    const declared = fieldDeclaration(field.type, field.name, planKey, fieldPath, run, indent, nested, usedNested);
    if (declared === undefined) continue;
    const comment = field.doc === undefined ? [] : field.doc.split('\n').map((l) => `${indent}  // ${l}`);
    fields.push(...comment, `${indent}  ${declared} ${field.name} = ${numbers.get(field.name) ?? 0};`);
  }
  const reserved = (plan?.reserved ?? []).concat([...(plan?.byName.entries() ?? [])].filter(([n]) => !row.some((f) => f.name === n)).map(([, num]) => num));
  const reservedLine = reserved.length > 0 ? [`${indent}  reserved ${[...new Set(reserved)].sort((a, b) => a - b).join(', ')};`] : [];
  const docLines = doc === undefined ? [] : doc.split('\n').map((l) => `${indent}// ${l}`);
  return [...docLines, `${indent}message ${name} {`, ...reservedLine, ...fields, ...nested, `${indent}}`];
}

/** The declaration prefix (`repeated string`, `map<string, int64>`, `Lines`) for a column, adding nested messages as needed. */
function fieldDeclaration(
  type: SqlType,
  fieldName: string,
  parentKey: string,
  path: readonly string[],
  run: Run,
  indent: string,
  nested: string[],
  usedNested: Set<string>,
): string | undefined {
  if (type.kind === 'ARRAY') {
    if (type.element.kind === 'ARRAY' || type.element.kind === 'MAP') {
      return problem(run, path, type, 'protobuf has no repeated field of repeated or map values', 'wrap the inner collection in a ROW');
    }
    const element = valueType(type.element, fieldName, parentKey, [...path, '[]'], run, indent, nested, usedNested);
    return element === undefined ? undefined : `repeated ${element}`;
  }
  if (type.kind === 'MAP') {
    if (!MAP_KEY_KINDS.has(type.key.kind)) return problem(run, path, type, 'protobuf map keys are integers, booleans or strings', 'cast the keys to STRING or BIGINT');
    if (type.value.kind === 'ARRAY' || type.value.kind === 'MAP') {
      return problem(run, path, type, 'protobuf map values cannot be repeated or maps', 'wrap the value in a ROW');
    }
    const key = valueType(type.key, fieldName, parentKey, path, run, indent, nested, usedNested);
    const value = valueType(type.value, fieldName, parentKey, [...path, '{}'], run, indent, nested, usedNested);
    return key === undefined || value === undefined ? undefined : `map<${key}, ${value}>`;
  }
  return valueType(type, fieldName, parentKey, path, run, indent, nested, usedNested);
}

function valueType(
  type: SqlType,
  fieldName: string,
  parentKey: string,
  path: readonly string[],
  run: Run,
  indent: string,
  nested: string[],
  usedNested: Set<string>,
): string | undefined {
  switch (type.kind) {
    case 'BOOLEAN':
      return 'bool';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
      return 'int32';
    case 'BIGINT':
      return 'int64';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'CHAR':
    case 'VARCHAR':
      return 'string';
    case 'BINARY':
    case 'VARBINARY':
      return 'bytes';
    case 'ROW': {
      let name = pascal(fieldName);
      for (let i = 2; usedNested.has(name); i++) name = `${pascal(fieldName)}${i}`;
      usedNested.add(name);
      nested.push(...message(type.fields, name, `${parentKey}.${name}`, path, run, `${indent}  `));
      return name;
    }
    case 'DECIMAL':
      return problem(run, path, type, "Flink's protobuf format has no decimal type", `cast it: CAST(${column(path)} AS DOUBLE), or AS STRING to keep every digit`);
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return problem(run, path, type, "Flink's protobuf format has no date or time types", `convert it: UNIX_TIMESTAMP(CAST(${column(path)} AS STRING)) * 1000 as BIGINT milliseconds, or CAST(${column(path)} AS STRING)`);
    case 'INTERVAL':
    case 'MULTISET':
    case 'NULL':
      return problem(run, path, type, `Flink's protobuf format cannot write ${type.kind}`, type.kind === 'NULL' ? 'give it a type: CAST(NULL AS STRING)' : undefined);
    case 'ARRAY':
    case 'MAP':
      return problem(run, path, type, 'protobuf cannot nest a collection directly in another', 'wrap the inner collection in a ROW');
    case 'ERROR':
      run.problems.push({ path, type: 'ERROR', reason: '', kind: 'poison' });
      return undefined;
    default:
      return assertNever(type, 'SQL type');
  }
}

function problem(run: Run, path: readonly string[], type: SqlType, reason: string, fix?: string): undefined {
  run.problems.push({ path, type: formatType(type), reason, fix, kind: 'type' });
  return undefined;
}

function assignNumbers(names: readonly string[], plan: MessageNumbers | undefined): Map<string, number> {
  const numbers = new Map<string, number>();
  const taken = new Set<number>([...(plan?.byName.values() ?? []), ...(plan?.reserved ?? [])]);
  for (const name of names) {
    const kept = plan?.byName.get(name);
    if (kept !== undefined) numbers.set(name, kept);
  }
  let next = Math.max(0, ...taken) + 1;
  for (const name of names) {
    if (numbers.has(name)) continue;
    // 19000–19999 are reserved by protobuf itself.
    if (next >= 19000 && next <= 19999) next = 20000;
    numbers.set(name, next++);
  }
  return numbers;
}

function numberPlan(previous: string | undefined, name: string): NumberPlan {
  const plan = new Map<string, MessageNumbers>();
  if (previous === undefined) return plan;
  let root: protobuf.Root;
  try {
    root = protobuf.parse(previous, { keepCase: true }).root;
  } catch {
    return plan;
  }
  const top = findMessage(root, name);
  if (!top) return plan;
  const walk = (type: protobuf.Type, key: string): void => {
    const byName = new Map(type.fieldsArray.map((f) => [f.name, f.id] as const));
    const reserved = (type.reserved ?? []).flatMap((r) => (Array.isArray(r) ? rangeOf(r[0] ?? 0, r[1] ?? 0) : []));
    plan.set(key, { byName, reserved });
    for (const child of type.nestedArray) if (child instanceof protobuf.Type) walk(child, `${key}.${child.name}`);
  };
  walk(top, name);
  return plan;
}

function rangeOf(from: number, to: number): number[] {
  return to - from > 1000 ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function findMessage(ns: protobuf.NamespaceBase, name: string): protobuf.Type | undefined {
  for (const child of ns.nestedArray) {
    if (child instanceof protobuf.Type && child.name === name) return child;
    if (child instanceof protobuf.Namespace && !(child instanceof protobuf.Type)) {
      const found = findMessage(child, name);
      if (found) return found;
    }
  }
  return undefined;
}

function pascal(name: string): string {
  const parts = name.split('_').filter((p) => p !== '');
  const joined = parts.map((p) => (p[0] ?? '').toUpperCase() + p.slice(1)).join('');
  return IDENT.test(joined) && /^[A-Za-z]/.test(joined) ? joined : `M${joined}`;
}

function column(path: readonly string[]): string {
  return path.filter((p) => p !== '[]' && p !== '{}').join('.') || 'column';
}
