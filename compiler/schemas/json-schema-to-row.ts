/**
 * JSON Schema → Flink columns, as Flink's `json` format reads documents that follow the schema.
 *
 * Flink's json format has no schema of its own: the table declares columns and JsonToRowDataConverters
 * reads each JSON value into the declared type. So the mapping picks, per JSON Schema construct, the Flink
 * type that reads every valid value (docs/types.md has the table):
 * - `integer` → BIGINT, `number` → DOUBLE; Confluent's `connect.type` annotations (int8/16/32, float32,
 *   bytes) and its Decimal (`title: org.apache.kafka.connect.data.Decimal`) narrow them, as Connect does;
 * - `format: date` → DATE; `time` → TIME(0) (Flink parses `HH:mm:ss` and keeps whole seconds);
 *   `date-time` → TIMESTAMP_LTZ(3), which Flink parses only with `'json.timestamp-format.standard' =
 *   'ISO-8601'` and a `Z` offset (JSON_FORMAT_OPTIONS); pipec's own `local-date-time` → TIMESTAMP(3);
 * - nullable: a `type` array with `null`, `oneOf`/`anyOf` with a `{"type": "null"}` branch, or a property
 *   that is not `required`;
 * - an object with `properties` → ROW (extra properties are ignored by Flink); one with only
 *   `additionalProperties` → MAP<STRING, …>; a schema that allows anything → STRING (Flink reads any JSON
 *   value into a STRING column as its JSON text);
 * - `$ref` to `#/…` pointers in the same document and to referenced schemas (by reference name or `$id`).
 * Unions of several non-null types and tuples cannot be read by Flink: those fields are left out, with a
 * warning. Recursive `$ref`s are an error.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { t, withNullable, type RowField, type SqlType } from '../types/types.ts';
import type { ResolvedReference } from './catalog.ts';
import { jsonDoc, resolveRef as resolveIn, type JsonDoc as Doc } from './json-schema-refs.ts';
import { fieldPath, isRecord, type MappingContext, type MappingResult } from './mapping.ts';

/** Format options a Flink `json` table needs for these mappings to parse. */
export const JSON_FORMAT_OPTIONS: Readonly<Record<string, string>> = { 'json.timestamp-format.standard': 'ISO-8601' };

export const CONNECT_DECIMAL = 'org.apache.kafka.connect.data.Decimal';
/** pipec's `format` for a timestamp without offset (RFC 3339 has none); written by row-to-json-schema.ts. */
export const LOCAL_DATE_TIME_FORMAT = 'local-date-time';

type Converted =
  | { readonly kind: 'ok'; readonly type: SqlType }
  | { readonly kind: 'unsupported'; readonly reason: string; readonly sourceType: string }
  | { readonly kind: 'fatal'; readonly diagnostic: Diagnostic };

interface Run {
  readonly ctx: MappingContext;
  readonly docs: readonly Doc[];
  readonly stack: string[];
  readonly warnings: Diagnostic[];
}

export function jsonSchemaToRow(schema: string, references: readonly ResolvedReference[], ctx: MappingContext): MappingResult {
  const fail = (d: Diagnostic): MappingResult => ({ ok: false, diagnostics: [d] });
  const docs: Doc[] = [];
  for (const ref of references.filter((r) => r.schemaType === 'JSON')) {
    try {
      const root: unknown = JSON.parse(ref.schema);
      docs.push(jsonDoc(ref.name, root));
    } catch (e) {
      return fail(diagnostic('schema-invalid', { subject: ctx.subject, schemaType: 'JSON', reason: `its reference ${ref.name} is not JSON: ${errorText(e)}` }, ctx.span));
    }
  }
  let root: unknown;
  try {
    root = JSON.parse(schema);
  } catch (e) {
    return fail(diagnostic('schema-invalid', { subject: ctx.subject, schemaType: 'JSON', reason: `not JSON: ${errorText(e)}` }, ctx.span));
  }
  if (!isRecord(root) && typeof root !== 'boolean') {
    return fail(diagnostic('schema-invalid', { subject: ctx.subject, schemaType: 'JSON', reason: 'a JSON Schema is an object or a boolean' }, ctx.span));
  }
  const main: Doc = jsonDoc('', root);
  const run: Run = { ctx, docs: [main, ...docs], stack: [], warnings: [] };

  const top = convert(root, main, [], run);
  if (top.kind === 'fatal') return fail(top.diagnostic);
  if (top.kind !== 'ok' || top.type.kind !== 'ROW') {
    const found = top.kind === 'ok' ? describeType(top.type) : top.sourceType;
    return { ok: false, diagnostics: [...run.warnings, diagnostic('schema-not-a-record', { subject: ctx.subject, schemaType: 'JSON', found }, ctx.span)] };
  }
  if (top.type.fields.length === 0) return { ok: false, diagnostics: [...run.warnings, diagnostic('schema-no-columns', { subject: ctx.subject }, ctx.span)] };
  const title = isRecord(root) && typeof root['title'] === 'string' ? root['title'] : undefined;
  return { ok: true, row: top.type.fields, ...(title === undefined ? {} : { recordName: title }), diagnostics: run.warnings, notes: [] };
}

// ── conversion ─────────────────────────────────────────────────────────────────────────────────────────

function convert(node: unknown, doc: Doc, path: readonly string[], run: Run): Converted {
  if (node === true) return ok(t.string(true));
  if (node === false) return unsupported('false', 'the schema `false` accepts no value');
  if (!isRecord(node)) return unsupported(String(node), 'it is not a schema');

  const ref = node['$ref'];
  if (typeof ref === 'string') return convertRef(ref, doc, path, run);

  const alternatives = (['oneOf', 'anyOf'] as const).map((k) => node[k]).find(Array.isArray);
  if (alternatives !== undefined) return convertAlternatives(node, alternatives, doc, path, run);
  if (Array.isArray(node['allOf'])) return convertAllOf(node, node['allOf'], doc, path, run);

  const declared = node['type'];
  const types = typeof declared === 'string' ? [declared] : Array.isArray(declared) ? declared.filter((x): x is string => typeof x === 'string') : inferTypes(node);
  const nullable = types.includes('null') || enumAllowsNull(node);
  const nonNull = [...new Set(types.filter((x) => x !== 'null'))];
  // `integer` is a subset of `number`: ["integer", "number"] is a number.
  const effective = nonNull.length === 2 && nonNull.includes('integer') && nonNull.includes('number') ? ['number'] : nonNull;
  if (effective.length === 0) {
    return types.includes('null') ? unsupported('null', 'a property that is always null carries no data') : ok(t.string(true));
  }
  if (effective.length > 1) {
    return unsupported(effective.join(' | '), "Flink's json format reads a column as one type; a union of several JSON types has none");
  }
  const converted = convertType(effective[0] ?? '', node, doc, path, run);
  return converted.kind === 'ok' ? ok(withNullable(converted.type, nullable)) : converted;
}

function convertType(type: string, node: Record<string, unknown>, doc: Doc, path: readonly string[], run: Run): Converted {
  const connectType = typeof node['connect.type'] === 'string' ? node['connect.type'] : undefined;
  switch (type) {
    case 'boolean':
      return ok(t.boolean(false));
    case 'integer':
      if (connectType === 'int8') return ok(t.tinyint(false));
      if (connectType === 'int16') return ok(t.smallint(false));
      if (connectType === 'int32') return ok(t.int(false));
      return ok(t.bigint(false));
    case 'number': {
      const decimal = decimalOf(node);
      if (decimal) return ok(t.decimal(decimal.precision, decimal.scale, false));
      if (connectType === 'int8') return ok(t.tinyint(false));
      if (connectType === 'int16') return ok(t.smallint(false));
      if (connectType === 'int32') return ok(t.int(false));
      if (connectType === 'int64') return ok(t.bigint(false));
      if (connectType === 'float32') return ok(t.float(false));
      return ok(t.double(false));
    }
    case 'string': {
      if (connectType === 'bytes' || node['contentEncoding'] === 'base64') return ok(t.bytes(false));
      switch (node['format']) {
        case 'date':
          return ok(t.date(false));
        case 'time':
          return ok(t.time(0, false));
        case 'date-time':
          return ok(t.timestampLtz(3, false));
        case LOCAL_DATE_TIME_FORMAT:
          return ok(t.timestamp(3, false));
        default:
          return ok(t.string(false));
      }
    }
    case 'object':
      return convertObject(node, doc, path, run);
    case 'array': {
      const items = node['items'];
      if (Array.isArray(items)) return unsupported('tuple array', "Flink's json format cannot read a JSON array as a row (tuple `items`)");
      if (items === undefined) return ok(t.array(t.string(true), false));
      const element = convert(items, doc, [...path, '[]'], run);
      return element.kind === 'ok' ? ok(t.array(element.type, false)) : element;
    }
    default:
      return unsupported(type, `\`${type}\` is not a JSON Schema type`);
  }
}

function convertObject(node: Record<string, unknown>, doc: Doc, path: readonly string[], run: Run): Converted {
  const properties = node['properties'];
  if (!isRecord(properties)) {
    const additional = node['additionalProperties'];
    if (isRecord(additional) || additional === false) {
      if (additional === false) return ok(t.row([], false));
      const value = convert(additional, doc, [...path, '{}'], run);
      return value.kind === 'ok' ? ok(t.map(t.string(false), value.type, false)) : value;
    }
    // A free-form object: Flink reads its members into a map, each value as its JSON text.
    return ok(t.map(t.string(false), t.string(true), false));
  }
  const required = new Set(Array.isArray(node['required']) ? node['required'].filter((x): x is string => typeof x === 'string') : []);
  const fields: RowField[] = [];
  for (const [name, propertySchema] of Object.entries(properties)) {
    const fieldPathParts = [...path, name];
    const converted = convert(propertySchema, doc, fieldPathParts, run);
    if (converted.kind === 'fatal') return converted;
    if (converted.kind === 'unsupported') {
      run.warnings.push(
        diagnostic(
          'schema-field-unsupported',
          { subject: run.ctx.subject, field: fieldPath(fieldPathParts), sourceType: converted.sourceType, reason: converted.reason },
          run.ctx.span,
        ),
      );
      continue;
    }
    const type = required.has(name) ? converted.type : withNullable(converted.type, true);
    const description = isRecord(propertySchema) && typeof propertySchema['description'] === 'string' ? propertySchema['description'] : undefined;
    fields.push(description === undefined ? { name, type } : { name, type, doc: description });
  }
  return ok(t.row(fields, false));
}

/** `oneOf`/`anyOf`: the nullable pattern (one schema plus `{"type": "null"}`) is readable; real unions are not. */
function convertAlternatives(node: Record<string, unknown>, alternatives: readonly unknown[], doc: Doc, path: readonly string[], run: Run): Converted {
  const isNullSchema = (s: unknown): boolean => isRecord(s) && (s['type'] === 'null' || (Array.isArray(s['type']) && s['type'].length === 1 && s['type'][0] === 'null'));
  const nonNull = alternatives.filter((a) => !isNullSchema(a));
  const ownType = node['type'];
  const nullable = nonNull.length < alternatives.length || ownType === 'null' || (Array.isArray(ownType) && ownType.includes('null'));
  if (nonNull.length === 1) {
    const inner = convert(nonNull[0], doc, path, run);
    return inner.kind === 'ok' ? ok(withNullable(inner.type, nullable || inner.type.nullable)) : inner;
  }
  if (nonNull.length === 0) return unsupported('null', 'a property that is always null carries no data');
  // Several string constants (a documented enum) still read as one STRING column.
  if (nonNull.every((a) => isRecord(a) && (typeof a['const'] === 'string' || (Array.isArray(a['enum']) && a['enum'].every((v) => typeof v === 'string'))))) {
    return ok(t.string(nullable));
  }
  return unsupported(`oneOf of ${nonNull.length} schemas`, "Flink's json format reads a column as one type; a union of several schemas has none");
}

/** `allOf` of objects is the usual way to extend a definition: merge their properties. */
function convertAllOf(node: Record<string, unknown>, members: readonly unknown[], doc: Doc, path: readonly string[], run: Run): Converted {
  const { allOf: _allOf, ...own } = node;
  const parts: { node: Record<string, unknown>; doc: Doc }[] = [];
  for (const member of [...members, ...(Object.keys(own).some((k) => k !== 'description' && k !== 'title' && k !== '$schema' && k !== '$id') ? [own] : [])]) {
    const resolved = derefAll(member, doc, path, run);
    if (resolved.kind === 'fatal') return resolved;
    if (resolved.kind === 'unsupported') return resolved;
    parts.push({ node: resolved.node, doc: resolved.doc });
  }
  const single = parts[0];
  if (parts.length === 1 && single) return convert(single.node, single.doc, path, run);
  if (!parts.every((p) => isRecord(p.node['properties']) || p.node['type'] === 'object')) {
    return unsupported('allOf', 'pipec reads `allOf` only when every part is an object (their properties are merged)');
  }
  const fields: RowField[] = [];
  for (const part of parts) {
    const converted = convertObject(part.node, part.doc, path, run);
    if (converted.kind !== 'ok') return converted;
    if (converted.type.kind !== 'ROW') continue;
    for (const field of converted.type.fields) if (!fields.some((f) => f.name === field.name)) fields.push(field);
  }
  const required = new Set(parts.flatMap((p) => (Array.isArray(p.node['required']) ? p.node['required'].filter((x): x is string => typeof x === 'string') : [])));
  return ok(t.row(fields.map((f) => (required.has(f.name) && isNotNullInSomePart(f.name, parts) ? { ...f, type: withNullable(f.type, false) } : f)), false));
}

function isNotNullInSomePart(name: string, parts: readonly { node: Record<string, unknown> }[]): boolean {
  return parts.some((p) => {
    const props = p.node['properties'];
    if (!isRecord(props) || !(name in props)) return false;
    const s = props[name];
    return isRecord(s) && !(Array.isArray(s['type']) && s['type'].includes('null')) && s['type'] !== 'null';
  });
}

// ── $ref ────────────────────────────────────────────────────────────────────────────────────────────

function convertRef(ref: string, doc: Doc, path: readonly string[], run: Run): Converted {
  const target = resolveRef(ref, doc, run);
  if (target.kind !== 'ok') return target.kind === 'missing' ? { kind: 'fatal', diagnostic: target.diagnostic } : target;
  const key = `${target.doc.key}#${target.pointer}`;
  if (run.stack.includes(key)) {
    return {
      kind: 'fatal',
      diagnostic: diagnostic('schema-recursive', { subject: run.ctx.subject, typeName: ref, path: fieldPath(path) || '(top level)' }, run.ctx.span),
    };
  }
  run.stack.push(key);
  try {
    return convert(target.node, target.doc, path, run);
  } finally {
    run.stack.pop();
  }
}

function derefAll(node: unknown, doc: Doc, path: readonly string[], run: Run): { kind: 'ok'; node: Record<string, unknown>; doc: Doc } | Exclude<Converted, { kind: 'ok' }> {
  let current = node;
  let currentDoc = doc;
  for (let hops = 0; hops < 32; hops++) {
    if (!isRecord(current)) return unsupported(String(current), 'it is not a schema object');
    const ref = current['$ref'];
    if (typeof ref !== 'string') return { kind: 'ok', node: current, doc: currentDoc };
    const target = resolveRef(ref, currentDoc, run);
    if (target.kind === 'missing') return { kind: 'fatal', diagnostic: target.diagnostic };
    if (target.kind !== 'ok') return target;
    current = target.node;
    currentDoc = target.doc;
  }
  return { kind: 'fatal', diagnostic: diagnostic('schema-recursive', { subject: run.ctx.subject, typeName: String(isRecord(current) ? current['$ref'] : ''), path: fieldPath(path) || '(top level)' }, run.ctx.span) };
}

type RefTarget =
  | { kind: 'ok'; node: unknown; doc: Doc; pointer: string }
  | { kind: 'missing'; diagnostic: Diagnostic }
  | { kind: 'unsupported'; reason: string; sourceType: string };

function resolveRef(ref: string, from: Doc, run: Run): RefTarget {
  const target = resolveIn(ref, from, run.docs);
  switch (target.kind) {
    case 'ok':
      return target;
    case 'no-document': {
      const known = run.docs.filter((d) => d.key !== '').map((d) => d.key);
      return {
        kind: 'missing',
        diagnostic: diagnostic('schema-reference-missing', { subject: run.ctx.subject, reference: target.base, candidates: known.filter((k) => lastSegment(k) === lastSegment(target.base)) }, run.ctx.span),
      };
    }
    case 'no-target':
      return {
        kind: 'missing',
        diagnostic: diagnostic('schema-invalid', { subject: run.ctx.subject, schemaType: 'JSON', reason: `\`$ref\` ${ref} points at nothing` }, run.ctx.span),
      };
  }
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────────

function inferTypes(node: Record<string, unknown>): string[] {
  if (isRecord(node['properties']) || node['additionalProperties'] !== undefined) return ['object'];
  if (node['items'] !== undefined) return ['array'];
  const values = Array.isArray(node['enum']) ? node['enum'] : 'const' in node ? [node['const']] : undefined;
  if (values !== undefined) {
    const kinds = new Set(values.map(jsonKind));
    return [...kinds];
  }
  if (typeof node['format'] === 'string' || typeof node['pattern'] === 'string' || node['maxLength'] !== undefined) return ['string'];
  return [];
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function enumAllowsNull(node: Record<string, unknown>): boolean {
  return Array.isArray(node['enum']) && node['enum'].includes(null);
}

function decimalOf(node: Record<string, unknown>): { precision: number; scale: number } | undefined {
  if (node['title'] !== CONNECT_DECIMAL) return undefined;
  const params = isRecord(node['connect.parameters']) ? node['connect.parameters'] : {};
  const scale = Number(params['scale'] ?? 0);
  const precision = Number(params['connect.decimal.precision'] ?? 38);
  if (!Number.isInteger(scale) || !Number.isInteger(precision) || precision < 1 || precision > 38 || scale < 0 || scale > precision) return undefined;
  return { precision, scale };
}

function lastSegment(s: string): string {
  return s.split('/').pop() ?? s;
}

function describeType(type: SqlType): string {
  return type.kind === 'MAP' ? 'an object without `properties` (a map)' : `a ${type.kind === 'VARCHAR' ? 'string' : type.kind.toLowerCase()}`;
}

function ok(type: SqlType): Converted {
  return { kind: 'ok', type };
}

function unsupported(sourceType: string, reason: string): { kind: 'unsupported'; reason: string; sourceType: string } {
  return { kind: 'unsupported', reason, sourceType };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
