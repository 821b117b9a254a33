/**
 * Avro → Flink columns, exactly as Flink's `avro-confluent` format reads them.
 *
 * Flink 1.20 and 2.2 both build the table type with `AvroSchemaConverter.convertToDataType(schema)` using the
 * *legacy* timestamp mapping (avro-confluent has no `timestamp_mapping.legacy` option), and when the table
 * pins `'avro-confluent.schema'` Flink requires the table's row type to *equal* that conversion. So this
 * mapper reproduces convertToDataType and also returns `flinkSchema`: the reader schema to pin. Pinning the
 * registered schema (rather than letting Flink derive one from the table) is what makes enums readable
 * (FLINK-24544: a derived reader schema has `string` where the writer has an enum, and resolution fails).
 *
 * The reader schema differs from the registered one only where Flink would fail or misread:
 * - fields Flink cannot read at all (unions of several types, `null`, decimals wider than 38 digits) are left
 *   out; Avro resolution skips writer fields the reader lacks, so the other columns still read;
 * - `timestamp-micros` and `time-micros` lose their logical type and read as BIGINT: Flink's runtime converts
 *   every Avro long timestamp as milliseconds (no logical-type conversions are registered), so TIMESTAMP(6)
 *   would be off by a factor of 1000, and TIME(6) fails on a long;
 * - `time-millis` loses its logical type and reads as INT: the format converts it to TIME(3), the planner holds
 *   every TIME at precision 0, and the two no longer match, so Flink refuses the table;
 * - referenced named types are inlined, since Flink parses the pinned schema on its own.
 * Recursive records are an error: Flink's converter would recurse forever.
 */
import avsc from 'avsc';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { formatType, t, withNullable, type RowField, type SqlType } from '../types/types.ts';
import { fullNameOf, lookupName as lookupIn, NAMED_KINDS, namespaceOf, nameTable, PRIMITIVES, type NamedDef } from './avro-names.ts';
import type { ResolvedReference } from './catalog.ts';
import { fieldPath, isRecord, type MappingContext, type MappingResult, type FieldNote } from './mapping.ts';

const LEGACY_UNMAPPED = "Flink's avro-confluent format uses the legacy timestamp mapping, which does not map this logical type";

const TIME_MILLIS_UNREADABLE =
  "Flink's avro-confluent format reads it as TIME(3), which the planner holds as TIME(0), so Flink would refuse the table (\"Schema provided for 'avro-confluent' format does not match the table schema\"); the column holds milliseconds since midnight";

/** Flink's DECIMAL limit (DecimalType.MAX_PRECISION). */
const MAX_DECIMAL_PRECISION = 38;

type Converted =
  | { readonly kind: 'ok'; readonly type: SqlType; readonly reader: unknown }
  | { readonly kind: 'unsupported'; readonly reason: string; readonly sourceType: string }
  | { readonly kind: 'fatal'; readonly diagnostic: Diagnostic };

/** State of one mapping run; created per call, never shared. */
interface Run {
  readonly ctx: MappingContext;
  readonly names: Map<string, NamedDef>;
  readonly converted: Map<string, SqlType>;
  emitted: Set<string>;
  readonly stack: string[];
  readonly warnings: Diagnostic[];
  readonly notes: FieldNote[];
  /**
   * Fields whose record keeps its fields' nullability: a Debezium envelope's `before` and `after`, which the
   * debezium formats read with a schema derived from the table's columns (nothing pinned, nothing compared).
   */
  readonly plainRecords: ReadonlySet<string>;
}

/**
 * @param references every schema the subject references, directly or not, dependencies first
 *   (what `resolveReferences` returns).
 */
export function avroToRow(schema: string, references: readonly ResolvedReference[], ctx: MappingContext): MappingResult {
  const parsed = parseAll(schema, references, ctx);
  if (!parsed.ok) return parsed;
  const names = parsed.names;
  const top = resolveTop(parsed.main, '', names);
  if (top === undefined || !isRecord(top.json) || (top.json['type'] !== 'record' && top.json['type'] !== 'error')) {
    const found = `the type \`${top ? describe(top.json) : describe(parsed.main)}\``;
    return { ok: false, diagnostics: [diagnostic('schema-not-a-record', { subject: ctx.subject, schemaType: 'AVRO', found }, ctx.span)] };
  }
  const run: Run = { ctx, names, converted: new Map(), emitted: new Set(), stack: [], warnings: [], notes: [], plainRecords: isDebeziumEnvelope(top.json) ? new Set(['before', 'after']) : new Set() };
  const result = convert(top.json, top.namespace, [], run);
  if (result.kind === 'fatal') return { ok: false, diagnostics: [result.diagnostic] };
  if (result.kind === 'unsupported' || result.type.kind !== 'ROW' || result.type.fields.length === 0) {
    return { ok: false, diagnostics: [...run.warnings, diagnostic('schema-no-columns', { subject: ctx.subject }, ctx.span)] };
  }
  return {
    ok: true,
    row: result.type.fields,
    recordName: fullNameOf(top.json, top.namespace),
    flinkSchema: JSON.stringify(result.reader),
    diagnostics: run.warnings,
    notes: run.notes,
  };
}

// ── parsing and the table of named types ─────────────────────────────────────────────────────────────

type Parsed = { ok: true; main: unknown; names: Map<string, NamedDef> } | { ok: false; diagnostics: readonly Diagnostic[] };

function parseAll(schema: string, references: readonly ResolvedReference[], ctx: MappingContext): Parsed {
  const invalid = (reason: string): Parsed => ({
    ok: false,
    diagnostics: [diagnostic('schema-invalid', { subject: ctx.subject, schemaType: 'AVRO', reason }, ctx.span)],
  });
  const jsons: unknown[] = [];
  // avsc validates (names, defaults, symbols) with the referenced types in its registry, as the registry does.
  const registry: Record<string, avsc.Type> = {};
  const avroRefs = references.filter((r) => r.schemaType === 'AVRO');
  for (const ref of avroRefs) {
    let json: unknown;
    try {
      json = JSON.parse(ref.schema);
      avsc.Type.forSchema(json as avsc.Schema, { registry });
    } catch (e) {
      return invalid(`its reference ${ref.name} (${ref.subject} version ${ref.version}) is not valid: ${errorText(e)}`);
    }
    jsons.push(json);
  }
  let main: unknown;
  try {
    main = JSON.parse(schema);
  } catch (e) {
    return invalid(`not JSON: ${errorText(e)}`);
  }
  try {
    if (!ctx.generated) avsc.Type.forSchema(main as avsc.Schema, { registry });
  } catch (e) {
    const message = errorText(e);
    const undefinedName = /undefined type name: (\S+)/.exec(message)?.[1];
    if (undefinedName !== undefined) {
      const known = avroRefs.map((r) => r.name);
      return {
        ok: false,
        diagnostics: [diagnostic('schema-reference-missing', { subject: ctx.subject, reference: undefinedName, candidates: suggestNames(undefinedName, known) }, ctx.span)],
      };
    }
    return invalid(message);
  }
  return { ok: true, main, names: nameTable([...jsons, main]) };
}

/** The shape the binder reads as a Debezium envelope (its columns are `after`'s fields). */
function isDebeziumEnvelope(json: unknown): boolean {
  const fields = isRecord(json) && Array.isArray(json['fields']) ? json['fields'] : [];
  const named = (name: string): boolean => fields.some((f) => isRecord(f) && f['name'] === name);
  return named('after') && named('op');
}

function suggestNames(name: string, known: readonly string[]): string[] {
  const short = name.split('.').pop() ?? name;
  return known.filter((k) => k === name || k.split('.').pop() === short);
}

function lookupName(name: string, namespace: string, run: Run): NamedDef | undefined {
  return lookupIn(run.names, name, namespace);
}

/** The top-level schema may itself be a name of a referenced type. */
function resolveTop(json: unknown, namespace: string, names: Map<string, NamedDef>): { json: unknown; namespace: string } | undefined {
  if (typeof json === 'string' && !PRIMITIVES.has(json)) {
    const def = lookupIn(names, json, namespace);
    return def ? { json: def.json, namespace: def.namespace } : undefined;
  }
  return { json, namespace };
}

// ── conversion (AvroSchemaConverter.convertToDataType, legacy mapping) ───────────────────────────────

/**
 * @param nullableFields a record here reads with nullable fields (see nullableFieldsRecord): it is a column, a field
 *   of a record, or the non-null branch of a union with null — anything but a plain array element or map value.
 */
function convert(json: unknown, namespace: string, path: readonly string[], run: Run, nullableFields = false): Converted {
  if (typeof json === 'string') return PRIMITIVES.has(json) ? convertPrimitive(json, json, {}, path, run) : convertNamedRef(json, namespace, path, run, nullableFields);
  if (Array.isArray(json)) return convertUnion(json, namespace, path, run);
  if (!isRecord(json)) return { kind: 'unsupported', reason: 'it is not an Avro type', sourceType: String(json) };
  const type = json['type'];
  if (typeof type === 'object' && type !== null) return convert(type, namespace, path, run, nullableFields);
  if (typeof type !== 'string') return { kind: 'unsupported', reason: 'it has no type', sourceType: 'unknown' };
  if (PRIMITIVES.has(type)) return convertPrimitive(type, json, json, path, run);
  switch (type) {
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed':
      return convertNamedDef(json, namespace, path, run, nullableFields);
    case 'array': {
      const items = convert(json['items'], namespace, [...path, '[]'], run);
      if (items.kind !== 'ok') return items;
      return { kind: 'ok', type: t.array(items.type, false), reader: { ...json, items: items.reader } };
    }
    case 'map': {
      const values = convert(json['values'], namespace, [...path, '{}'], run);
      if (values.kind !== 'ok') return values;
      return { kind: 'ok', type: t.map(t.string(false), values.type, false), reader: { ...json, values: values.reader } };
    }
    default:
      return convertNamedRef(type, namespace, path, run, nullableFields);
  }
}

function convertNamedRef(name: string, namespace: string, path: readonly string[], run: Run, nullableFields: boolean): Converted {
  const def = lookupName(name, namespace, run);
  // avsc already rejected undefined names; this is a guard, not a user error path.
  if (!def) return { kind: 'unsupported', reason: `the type ${name} is not defined`, sourceType: name };
  return convertNamedDef(def.json, namespaceOf(def.fullName), path, run, nullableFields, def.fullName);
}

function convertNamedDef(json: Record<string, unknown>, enclosing: string, path: readonly string[], run: Run, nullableFields: boolean, knownFullName?: string): Converted {
  const fullName = knownFullName ?? fullNameOf(json, enclosing);
  const isRecordDef = json['type'] === 'record' || json['type'] === 'error';
  if (nullableFields && isRecordDef) return nullableFieldsRecord(json, fullName, path, run);
  if (run.stack.includes(fullName)) return recursive(fullName, path, run);
  const done = run.converted.get(fullName);
  if (done !== undefined && run.emitted.has(fullName)) return { kind: 'ok', type: done, reader: fullName };

  const ownNamespace = namespaceOf(fullName);
  // Definitions are written with their full name; an empty namespace must stay explicit, or a nested
  // definition would inherit the enclosing record's namespace when Flink parses the reader schema.
  const { namespace: _namespace, ...rest } = json;
  const header: Record<string, unknown> = ownNamespace === '' ? { ...rest, name: fullName, namespace: '' } : { ...rest, name: fullName };

  let converted: Converted;
  switch (json['type']) {
    case 'enum':
      // Flink reads enum symbols as strings (AvroToRowDataConverters calls toString()).
      converted = { kind: 'ok', type: t.string(false), reader: header };
      break;
    case 'fixed': {
      const size = typeof json['size'] === 'number' ? json['size'] : 0;
      const decimal = decimalOf(json, size);
      if (decimal.kind === 'decimal') converted = { kind: 'ok', type: t.decimal(decimal.precision, decimal.scale, false), reader: header };
      else if (decimal.kind === 'too-wide') converted = tooWide(decimal.precision, 'fixed');
      else {
        if (decimal.kind === 'invalid') warnIgnored(run, path, 'decimal', `VARBINARY(${size})`, decimal.reason);
        converted = { kind: 'ok', type: { kind: 'VARBINARY', length: size, nullable: false }, reader: header };
      }
      break;
    }
    default:
      converted = convertRecord(json, header, ownNamespace, fullName, path, run, false);
  }
  if (converted.kind === 'ok') {
    run.converted.set(fullName, converted.type);
    run.emitted.add(fullName);
  }
  return converted;
}

/** A record that contains itself: Flink's converter would recurse forever. */
function recursive(fullName: string, path: readonly string[], run: Run): Converted {
  return { kind: 'fatal', diagnostic: diagnostic('schema-recursive', { subject: run.ctx.subject, typeName: fullName, path: fieldPath(path) || '(top level)' }, run.ctx.span) };
}

/**
 * Whether a record at this path reads with nullable fields: in a schema pipec reads, but not in one it generated
 * for a sink (it pins that very schema, whose fields Flink then compares as written) nor in a Debezium envelope.
 */
function readsNullableFields(path: readonly string[], run: Run): boolean {
  return !run.ctx.generated && !run.plainRecords.has(fieldPath(path));
}

/**
 * A record column (or a record field of one) reads with nullable fields, down through nested records. Flink's
 * planner makes every field of a nullable ROW nullable on 1.20 (2.2 keeps them as declared), a dead-letter source
 * declares every column nullable, and Flink requires the pinned schema's type to equal the table's: with nullable
 * fields everywhere the two agree on both lines, with or without a guard. The reader defines a variant named
 * `<full name>_nullable` (its alias is the writer's name, so Avro resolution still matches the two) whose fields
 * are unions with null; it is defined once and referred to by name after. Array elements and map values keep
 * their fields as declared (the planner leaves them so).
 */
function nullableFieldsRecord(json: Record<string, unknown>, fullName: string, path: readonly string[], run: Run): Converted {
  const variant = `${fullName}_nullable`;
  if (run.stack.includes(fullName)) return recursive(fullName, path, run);
  const done = run.converted.get(variant);
  if (done !== undefined && run.emitted.has(variant)) return { kind: 'ok', type: done, reader: variant };
  const ownNamespace = namespaceOf(fullName);
  const { namespace: _namespace, aliases, ...rest } = json;
  const header: Record<string, unknown> = {
    ...rest,
    name: variant,
    ...(ownNamespace === '' ? { namespace: '' } : {}),
    aliases: [...(Array.isArray(aliases) ? aliases.map((a) => (typeof a === 'string' && !a.includes('.') && ownNamespace !== '' ? `${ownNamespace}.${a}` : a)) : []), fullName],
  };
  const converted = convertRecord(json, header, ownNamespace, fullName, path, run, true);
  if (converted.kind === 'ok') {
    run.converted.set(variant, converted.type);
    run.emitted.add(variant);
  }
  return converted;
}

function convertRecord(
  json: Record<string, unknown>,
  header: Record<string, unknown>,
  namespace: string,
  fullName: string,
  path: readonly string[],
  run: Run,
  nullableFields: boolean,
): Converted {
  run.stack.push(fullName);
  const fields: RowField[] = [];
  const readerFields: unknown[] = [];
  const declared = Array.isArray(json['fields']) ? json['fields'] : [];
  try {
    for (const field of declared) {
      if (!isRecord(field) || typeof field['name'] !== 'string') continue;
      const name = field['name'];
      const fieldPathParts = [...path, name];
      // A field Flink cannot read is dropped; what it emitted (named types) must not count as emitted.
      const snapshot = new Set(run.emitted);
      const converted = convert(field['type'], namespace, fieldPathParts, run, readsNullableFields(fieldPathParts, run));
      if (converted.kind === 'fatal') return converted;
      if (converted.kind === 'unsupported') {
        run.emitted = snapshot;
        run.warnings.push(
          diagnostic(
            'schema-field-unsupported',
            { subject: run.ctx.subject, field: fieldPath(fieldPathParts), sourceType: converted.sourceType, reason: converted.reason },
            run.ctx.span,
          ),
        );
        continue;
      }
      const doc = typeof field['doc'] === 'string' ? field['doc'] : undefined;
      const type = nullableFields ? withNullable(converted.type, true) : converted.type;
      fields.push(doc === undefined ? { name, type } : { name, type, doc });
      // A field made nullable reads through a union with null (the writer's plain type resolves to its branch).
      const reader = nullableFields && !converted.type.nullable ? { ...field, type: ['null', converted.reader], default: null } : { ...field, type: converted.reader };
      readerFields.push(reader);
    }
  } finally {
    run.stack.pop();
  }
  return { kind: 'ok', type: t.row(fields, false), reader: { ...header, fields: readerFields } };
}

function convertUnion(branches: readonly unknown[], namespace: string, path: readonly string[], run: Run): Converted {
  const isNull = (b: unknown): boolean => b === 'null' || (isRecord(b) && b['type'] === 'null');
  const nonNull = branches.filter((b) => !isNull(b));
  if (branches.length === 1) {
    const only = convert(branches[0], namespace, path, run, readsNullableFields(path, run));
    return only.kind === 'ok' ? { ...only, reader: [only.reader] } : only;
  }
  if (branches.length === 2 && nonNull.length === 1) {
    const inner = convert(nonNull[0], namespace, path, run, readsNullableFields(path, run));
    if (inner.kind !== 'ok') return inner;
    const reader = branches.map((b) => (isNull(b) ? b : inner.reader));
    return { kind: 'ok', type: withNullable(inner.type, true), reader };
  }
  return {
    kind: 'unsupported',
    sourceType: `union of ${branches.map(describe).join(', ')}`,
    reason: "Flink's avro-confluent format reads only unions of one type with null (others become RAW, which it cannot decode)",
  };
}

function convertPrimitive(type: string, reader: unknown, attrs: Record<string, unknown>, path: readonly string[], run: Run): Converted {
  const logical = typeof attrs['logicalType'] === 'string' ? attrs['logicalType'] : undefined;
  switch (type) {
    case 'null':
      return { kind: 'unsupported', reason: 'a field of type null carries no data', sourceType: 'null' };
    case 'boolean':
      return ok(t.boolean(false), reader);
    case 'float':
      return ok(t.float(false), reader);
    case 'double':
      return ok(t.double(false), reader);
    case 'string':
      // `uuid` and any other logical type on string read as STRING.
      return ok(t.string(false), reader);
    case 'bytes': {
      if (logical !== 'decimal') return ok(t.bytes(false), reader);
      const decimal = decimalOf(attrs, undefined);
      if (decimal.kind === 'decimal') return ok(t.decimal(decimal.precision, decimal.scale, false), reader);
      if (decimal.kind === 'too-wide') return tooWide(decimal.precision, 'bytes');
      if (decimal.kind === 'invalid') warnIgnored(run, path, 'decimal', 'BYTES', decimal.reason);
      return ok(t.bytes(false), reader);
    }
    case 'int':
      if (logical === 'date') return ok(t.date(false), reader);
      if (logical === 'time-millis') {
        warnIgnored(run, path, logical, 'INT', TIME_MILLIS_UNREADABLE);
        return ok(t.int(false), 'int');
      }
      if (logical !== undefined) warnIgnored(run, path, logical, 'INT', wrongBase(logical, 'int'));
      return ok(t.int(false), reader);
    case 'long':
      switch (logical) {
        case undefined:
          return ok(t.bigint(false), reader);
        case 'timestamp-millis':
          return ok(t.timestamp(3, false), reader);
        case 'timestamp-micros':
          warnIgnored(
            run,
            path,
            logical,
            'BIGINT',
            "Flink's avro-confluent format converts every Avro timestamp as milliseconds, so TIMESTAMP(6) would be off by a factor of 1000; the column holds microseconds since the epoch",
            'micros-to-timestamp',
          );
          return ok(t.bigint(false), 'long');
        case 'time-micros':
          warnIgnored(run, path, logical, 'BIGINT', "Flink's avro-confluent format reads TIME only from int milliseconds (a long time-micros fails at run time); the column holds microseconds since midnight");
          return ok(t.bigint(false), 'long');
        case 'local-timestamp-millis':
          warnIgnored(run, path, logical, 'BIGINT', LEGACY_UNMAPPED, 'local-millis-to-timestamp');
          return ok(t.bigint(false), reader);
        case 'local-timestamp-micros':
        case 'local-timestamp-nanos':
        case 'timestamp-nanos':
          warnIgnored(run, path, logical, 'BIGINT', LEGACY_UNMAPPED);
          return ok(t.bigint(false), reader);
        default:
          warnIgnored(run, path, logical, 'BIGINT', wrongBase(logical, 'long'));
          return ok(t.bigint(false), reader);
      }
    default:
      return { kind: 'unsupported', reason: 'unknown primitive', sourceType: type };
  }
}

function ok(type: SqlType, reader: unknown): Converted {
  return { kind: 'ok', type, reader };
}

type DecimalInfo =
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'too-wide'; precision: number }
  | { kind: 'invalid'; reason: string }
  | { kind: 'none' };

/** Avro's own validation of decimal attributes: an invalid decimal is ignored and reads as its base type. */
function decimalOf(attrs: Record<string, unknown>, fixedSize: number | undefined): DecimalInfo {
  if (attrs['logicalType'] !== 'decimal') return { kind: 'none' };
  const precision = attrs['precision'];
  const scale = attrs['scale'] ?? 0;
  if (typeof precision !== 'number' || !Number.isInteger(precision) || precision <= 0) return { kind: 'invalid', reason: 'its precision is not a positive integer, so Avro ignores it' };
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) return { kind: 'invalid', reason: 'its scale is not between 0 and the precision, so Avro ignores it' };
  if (fixedSize !== undefined) {
    const max = Math.floor(Math.log10(2 ** (8 * fixedSize - 1) - 1));
    if (precision > max) return { kind: 'invalid', reason: `fixed(${fixedSize}) holds at most ${max} digits, so Avro ignores it` };
  }
  if (precision > MAX_DECIMAL_PRECISION) return { kind: 'too-wide', precision };
  return { kind: 'decimal', precision, scale };
}

function tooWide(precision: number, base: string): Converted {
  return {
    kind: 'unsupported',
    sourceType: `${base} decimal(${precision})`,
    reason: `Flink's DECIMAL holds at most ${MAX_DECIMAL_PRECISION} digits`,
  };
}

function wrongBase(logical: string, base: string): string {
  return `the Avro specification ignores ${logical} on ${base}`;
}

function warnIgnored(run: Run, path: readonly string[], logicalType: string, flinkType: string, reason: string, fix?: FieldNote['fix']): void {
  run.notes.push({ path, logicalType, flinkType, reason, fix });
}

function describe(json: unknown): string {
  if (typeof json === 'string') return json;
  if (Array.isArray(json)) return `a union of ${json.map(describe).join(', ')}`;
  if (isRecord(json)) {
    const type = json['type'];
    if (typeof type === 'string') {
      if (NAMED_KINDS.has(type) && typeof json['name'] === 'string') return `${type} ${json['name']}`;
      if (typeof json['logicalType'] === 'string') return `${type} (${json['logicalType']})`;
      return type;
    }
    return describe(type);
  }
  return String(json);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** For messages and docs: `ROW<...>` spelling of a mapped row. */
export function formatRow(row: readonly RowField[]): string {
  return formatType(t.row(row, false));
}
