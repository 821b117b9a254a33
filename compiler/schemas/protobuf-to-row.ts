/**
 * Protobuf → Flink columns, as Flink's `protobuf` format reads a message (PbToRowTypeUtil and
 * PbSchemaValidationUtils in flink-protobuf 1.20/2.2):
 * - scalars by their Java type: int32/sint32/sfixed32/uint32/fixed32 → INT, the 64-bit ones → BIGINT.
 *   Flink does *not* widen unsigned types (its validation accepts only INT for a Java int), so uint32 values
 *   above 2^31-1 read as negative numbers, as in Java;
 * - enum → STRING, bytes → BYTES, repeated → ARRAY, map<K, V> → MAP<K, V>, message → ROW;
 * - oneof members are ordinary (nullable) columns; every column is nullable, as Flink's types are;
 * - well-known types get no special treatment in Flink: google.protobuf.Timestamp and Duration are
 *   ROW<seconds BIGINT, nanos INT>, wrappers are ROW<value T>, Any is ROW<type_url STRING, value BYTES>.
 *   Struct, Value and ListValue are recursive, so they cannot be read: such fields are left out, with a
 *   warning. A recursive message of the user's own is an error.
 * The message read is the first message of the file, unless a `// pipec:message <Name>` comment names one.
 */
import protobuf from 'protobufjs';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { t, type RowField, type SqlType } from '../types/types.ts';
import type { ResolvedReference } from './catalog.ts';
import { fieldPath, type MappingContext, type MappingResult } from './mapping.ts';

const SCALARS: Readonly<Record<string, () => SqlType>> = {
  double: () => t.double(),
  float: () => t.float(),
  int32: () => t.int(),
  uint32: () => t.int(),
  sint32: () => t.int(),
  fixed32: () => t.int(),
  sfixed32: () => t.int(),
  int64: () => t.bigint(),
  uint64: () => t.bigint(),
  sint64: () => t.bigint(),
  fixed64: () => t.bigint(),
  sfixed64: () => t.bigint(),
  bool: () => t.boolean(),
  string: () => t.string(),
  bytes: () => t.bytes(),
};

const RECURSIVE_WELL_KNOWN = new Set(['google.protobuf.Struct', 'google.protobuf.Value', 'google.protobuf.ListValue']);

/** `// pipec:message shop.Invoice` picks the message to read. */
export const MESSAGE_COMMENT = /^[ \t]*\/\/[ \t]*pipec:message[ \t]+([A-Za-z_][\w.]*)[ \t]*$/m;

type Converted =
  | { readonly kind: 'ok'; readonly type: SqlType }
  | { readonly kind: 'unsupported'; readonly reason: string; readonly sourceType: string }
  | { readonly kind: 'fatal'; readonly diagnostic: Diagnostic };

interface Run {
  readonly ctx: MappingContext;
  readonly stack: string[];
  readonly warnings: Diagnostic[];
}

export function protobufToRow(schema: string, references: readonly ResolvedReference[], ctx: MappingContext): MappingResult {
  const invalid = (reason: string): MappingResult => ({
    ok: false,
    diagnostics: [diagnostic('schema-invalid', { subject: ctx.subject, schemaType: 'PROTOBUF', reason }, ctx.span)],
  });
  const root = new protobuf.Root();
  let main: protobuf.IParserResult;
  try {
    main = protobuf.parse(schema, root, { keepCase: true });
  } catch (e) {
    return invalid(errorText(e));
  }
  const declared = topLevelMessages(root);

  const imports = new Set([...(main.imports ?? []), ...(main.weakImports ?? [])]);
  const protoRefs = references.filter((r) => r.schemaType === 'PROTOBUF');
  for (const ref of protoRefs) {
    try {
      const parsed = protobuf.parse(ref.schema, root, { keepCase: true });
      for (const i of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) imports.add(i);
    } catch (e) {
      return invalid(`its reference ${ref.name} (${ref.subject} version ${ref.version}) is not valid: ${errorText(e)}`);
    }
  }
  const provided = new Set(protoRefs.map((r) => r.name));
  for (const file of [...imports].sort()) {
    if (provided.has(file)) continue;
    const common = protobuf.common.get(file);
    if (common) {
      root.addJSON(common.nested ?? {});
      continue;
    }
    const candidates = suggestionList(file, [...provided]);
    return { ok: false, diagnostics: [diagnostic('schema-reference-missing', { subject: ctx.subject, reference: file, candidates }, ctx.span)] };
  }
  try {
    root.resolveAll();
  } catch (e) {
    return invalid(errorText(e));
  }

  const named = MESSAGE_COMMENT.exec(schema)?.[1];
  let message: protobuf.Type | undefined;
  if (named !== undefined) {
    message = lookupMessage(root, named, main.package);
    if (!message) {
      // Suggest by short name too: `Invoyce` should find `shop.billing.Invoice`.
      const names = allMessages(root).map((m) => m.fullName.slice(1));
      const shortOf = (n: string): string => n.split('.').pop() ?? n;
      const close = new Set([...suggestionList(named, names), ...suggestionList(shortOf(named), names.map(shortOf))]);
      const candidates = names.filter((n) => close.has(n) || close.has(shortOf(n)));
      return { ok: false, diagnostics: [diagnostic('protobuf-message-not-found', { subject: ctx.subject, message: named, candidates }, ctx.span)] };
    }
  } else {
    message = declared[0] === undefined ? undefined : lookupMessage(root, declared[0], undefined);
  }
  if (!message) {
    return { ok: false, diagnostics: [diagnostic('schema-not-a-record', { subject: ctx.subject, schemaType: 'PROTOBUF', found: 'no message' }, ctx.span)] };
  }

  const run: Run = { ctx, stack: [], warnings: [] };
  const result = convertMessage(message, [], run);
  if (result.kind === 'fatal') return { ok: false, diagnostics: [result.diagnostic] };
  if (result.kind !== 'ok' || result.type.kind !== 'ROW' || result.type.fields.length === 0) {
    return { ok: false, diagnostics: [...run.warnings, diagnostic('schema-no-columns', { subject: ctx.subject }, ctx.span)] };
  }
  return { ok: true, row: result.type.fields, recordName: message.fullName.slice(1), diagnostics: run.warnings, notes: [] };
}

function convertMessage(message: protobuf.Type, path: readonly string[], run: Run): Converted {
  const name = message.fullName.slice(1);
  if (run.stack.includes(name)) {
    return { kind: 'fatal', diagnostic: diagnostic('schema-recursive', { subject: run.ctx.subject, typeName: name, path: fieldPath(path) || '(top level)' }, run.ctx.span) };
  }
  run.stack.push(name);
  try {
    const fields: RowField[] = [];
    for (const field of message.fieldsArray) {
      const parts = [...path, field.name];
      const converted = convertField(field, parts, run);
      if (converted.kind === 'fatal') return converted;
      if (converted.kind === 'unsupported') {
        run.warnings.push(
          diagnostic('schema-field-unsupported', { subject: run.ctx.subject, field: fieldPath(parts), sourceType: converted.sourceType, reason: converted.reason }, run.ctx.span),
        );
        continue;
      }
      const doc = field.comment ?? undefined;
      fields.push(doc ? { name: field.name, type: converted.type, doc } : { name: field.name, type: converted.type });
    }
    return { kind: 'ok', type: t.row(fields) };
  } finally {
    run.stack.pop();
  }
}

function convertField(field: protobuf.Field, path: readonly string[], run: Run): Converted {
  if (field instanceof protobuf.MapField) {
    const key = SCALARS[field.keyType];
    if (!key) return { kind: 'unsupported', sourceType: `map<${field.keyType}, …>`, reason: 'unknown map key type' };
    const value = convertSingle(field.type, field.resolvedType, [...path, '{}'], run);
    return value.kind === 'ok' ? { kind: 'ok', type: t.map(key(), value.type) } : value;
  }
  const single = convertSingle(field.type, field.resolvedType, field.repeated ? [...path, '[]'] : path, run);
  if (single.kind !== 'ok' || !field.repeated) return single;
  return { kind: 'ok', type: t.array(single.type) };
}

function convertSingle(typeName: string, resolved: protobuf.Type | protobuf.Enum | null, path: readonly string[], run: Run): Converted {
  const scalar = SCALARS[typeName];
  if (scalar) return { kind: 'ok', type: scalar() };
  if (resolved instanceof protobuf.Enum) return { kind: 'ok', type: t.string() };
  if (resolved instanceof protobuf.Type) {
    const name = resolved.fullName.slice(1);
    if (RECURSIVE_WELL_KNOWN.has(name)) {
      return {
        kind: 'unsupported',
        sourceType: name,
        reason: `${name} is recursive (a Value holds a Struct or a ListValue), which Flink's protobuf format cannot read; publish it as a JSON string instead`,
      };
    }
    return convertMessage(resolved, path, run);
  }
  return { kind: 'unsupported', sourceType: typeName, reason: 'pipec cannot resolve this type' };
}

/** Top-level messages of the file just parsed, in declaration order (package namespaces are walked, messages are not). */
function topLevelMessages(root: protobuf.Namespace): string[] {
  const found: string[] = [];
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) found.push(child.fullName);
      else if (child instanceof protobuf.Namespace && !(child instanceof protobuf.Service)) walk(child);
    }
  };
  walk(root);
  return found;
}

function allMessages(root: protobuf.NamespaceBase): protobuf.Type[] {
  const found: protobuf.Type[] = [];
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) found.push(child);
      if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) walk(child);
    }
  };
  walk(root);
  return found;
}

function lookupMessage(root: protobuf.Root, name: string, pkg: string | undefined): protobuf.Type | undefined {
  const candidates = name.startsWith('.') ? [name] : pkg ? [`.${pkg}.${name}`, `.${name}`] : [`.${name}`];
  for (const candidate of candidates) {
    const found = root.lookup(candidate);
    if (found instanceof protobuf.Type) return found;
  }
  return undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
