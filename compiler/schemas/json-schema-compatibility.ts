/**
 * JSON Schema compatibility, locally: does the *reader* schema accept every document the *writer* schema
 * accepts? (BACKWARD asks it of the new schema against an old one, FORWARD the other way round.)
 * These are the main rules of Confluent's JSON Schema checker (io.confluent.kafka.schemaregistry.json.diff):
 * - a type may widen (integer → number, adding a type) but not narrow; dropping `null` narrows;
 * - a property added to an *open* object (additionalProperties absent or true) is incompatible, since old
 *   documents may already carry that name with any value; added to a closed object it is fine;
 * - a property removed from a *closed* object is incompatible (old documents carry it); from an open one it
 *   is fine; newly `required` properties are incompatible;
 * - closing an open object (additionalProperties: false) is incompatible; enums may gain values, not lose them.
 * Apicurio's ccompat compatibility endpoint fails on schemas with references (HTTP 500/422 in 3.3.3), so a
 * local check is also the only one that works everywhere; the registry still checks again on registration.
 */
import { jsonDoc, resolveRef, type JsonDoc } from './json-schema-refs.ts';
import { isRecord } from './mapping.ts';

export type JsonProblemKind =
  | 'type-narrowed'
  | 'null-removed'
  | 'property-added-to-open-object'
  | 'property-removed-from-closed-object'
  | 'required-added'
  | 'object-closed'
  | 'enum-narrowed'
  | 'unresolved';

export interface JsonProblem {
  readonly kind: JsonProblemKind;
  readonly path: string;
  readonly reader: string;
  readonly writer: string;
}

export interface JsonSchemaText {
  readonly schema: string;
  readonly references: readonly { readonly name: string; readonly schema: string }[];
}

interface Located {
  readonly node: unknown;
  readonly doc: JsonDoc;
  readonly docs: readonly JsonDoc[];
}

interface Shape {
  readonly any: boolean;
  readonly nullable: boolean;
  readonly types: ReadonlySet<string>;
  readonly properties: ReadonlyMap<string, Located>;
  readonly required: ReadonlySet<string>;
  readonly additional: 'open' | 'closed' | Located;
  readonly items: Located | undefined;
  readonly enumValues: readonly string[] | undefined;
  readonly unresolved: string | undefined;
}

export function jsonAcceptProblems(reader: JsonSchemaText, writer: JsonSchemaText): JsonProblem[] {
  const problems: JsonProblem[] = [];
  accepts(load(reader), load(writer), '', problems, new Set());
  return problems;
}

function load(text: JsonSchemaText): Located {
  const docs = text.references.map((r) => jsonDoc(r.name, JSON.parse(r.schema) as unknown));
  const main = jsonDoc('', JSON.parse(text.schema) as unknown);
  return { node: main.root, doc: main, docs: [main, ...docs] };
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function identity(x: unknown): number {
  if (typeof x !== 'object' || x === null) return 0;
  let id = ids.get(x);
  if (id === undefined) {
    id = nextId++;
    ids.set(x, id);
  }
  return id;
}

function accepts(r: Located, w: Located, path: string, problems: JsonProblem[], seen: Set<string>): void {
  const pair = `${identity(r.node)}|${identity(w.node)}`;
  if (seen.has(pair)) return;
  seen.add(pair);
  const rs = shape(r);
  const ws = shape(w);
  const problem = (kind: JsonProblemKind, readerText = describe(rs), writerText = describe(ws)): void => {
    problems.push({ kind, path, reader: readerText, writer: writerText });
  };
  if (rs.unresolved !== undefined || ws.unresolved !== undefined) return problem('unresolved', rs.unresolved ?? '', ws.unresolved ?? '');
  if (rs.any) return;
  if (ws.any) return problem('type-narrowed');
  if (ws.nullable && !rs.nullable) problem('null-removed');
  const readerTypes = rs.types;
  const lost = [...ws.types].filter((t) => !readerTypes.has(t) && !(t === 'integer' && readerTypes.has('number')));
  if (lost.length > 0) return problem('type-narrowed');
  if (rs.enumValues !== undefined) {
    const allowed = new Set(rs.enumValues);
    if (ws.enumValues === undefined || ws.enumValues.some((v) => !allowed.has(v))) problem('enum-narrowed');
  }
  if (ws.types.has('object') && rs.types.has('object')) compareObjects(rs, ws, path, problems, seen);
  if (ws.types.has('array') && rs.types.has('array') && rs.items !== undefined) {
    if (ws.items === undefined) problems.push({ kind: 'type-narrowed', path: `${path}[]`, reader: describe(shape(rs.items)), writer: 'any value' });
    else accepts(rs.items, ws.items, `${path}[]`, problems, seen);
  }
}

function compareObjects(rs: Shape, ws: Shape, path: string, problems: JsonProblem[], seen: Set<string>): void {
  const at = (name: string): string => (path === '' ? name : `${path}.${name}`);
  for (const [name, rp] of rs.properties) {
    const wp = ws.properties.get(name);
    if (wp) accepts(rp, wp, at(name), problems, seen);
    else if (ws.additional === 'open') {
      if (!shape(rp).any) problems.push({ kind: 'property-added-to-open-object', path: at(name), reader: describe(shape(rp)), writer: '(not declared)' });
    } else if (ws.additional !== 'closed') accepts(rp, ws.additional, at(name), problems, seen);
  }
  for (const [name, wp] of ws.properties) {
    if (rs.properties.has(name)) continue;
    if (rs.additional === 'closed') problems.push({ kind: 'property-removed-from-closed-object', path: at(name), reader: '(not declared)', writer: describe(shape(wp)) });
    else if (rs.additional !== 'open') accepts(rs.additional, wp, at(name), problems, seen);
  }
  for (const name of rs.required) {
    if (!ws.required.has(name)) problems.push({ kind: 'required-added', path: at(name), reader: 'required', writer: 'optional' });
  }
  if (rs.additional === 'closed' && ws.additional !== 'closed') {
    problems.push({ kind: 'object-closed', path, reader: 'additionalProperties: false', writer: ws.additional === 'open' ? 'additional properties allowed' : 'additional properties of a schema' });
  } else if (rs.additional !== 'open' && rs.additional !== 'closed') {
    if (ws.additional === 'open' && !shape(rs.additional).any) problems.push({ kind: 'object-closed', path, reader: 'additionalProperties limited by a schema', writer: 'additional properties allowed' });
    else if (ws.additional !== 'open' && ws.additional !== 'closed') accepts(rs.additional, ws.additional, `${path}{}`, problems, seen);
  }
}

function shape(loc: Located, depth = 0): Shape {
  const base: Shape = { any: false, nullable: false, types: new Set(), properties: new Map(), required: new Set(), additional: 'open', items: undefined, enumValues: undefined, unresolved: undefined };
  const node = loc.node;
  if (node === true || (isRecord(node) && Object.keys(node).every((k) => ANNOTATIONS.has(k)))) return { ...base, any: true, nullable: true };
  if (!isRecord(node) || depth > 32) return base;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const target = resolveRef(ref, loc.doc, loc.docs);
    if (target.kind !== 'ok') return { ...base, unresolved: ref };
    return shape({ node: target.node, doc: target.doc, docs: loc.docs }, depth + 1);
  }
  const alternatives = [node['oneOf'], node['anyOf']].find(Array.isArray);
  if (alternatives !== undefined) {
    const shapes = alternatives.map((a) => shape({ node: a, doc: loc.doc, docs: loc.docs }, depth + 1));
    const nonNull = shapes.filter((s) => !(s.types.size === 0 && s.nullable && !s.any));
    const merged = nonNull.length === 1 && nonNull[0] ? nonNull[0] : mergeAlternatives(nonNull, base);
    return { ...merged, nullable: merged.nullable || nonNull.length < shapes.length };
  }
  if (Array.isArray(node['allOf'])) {
    const parts = node['allOf'].map((a) => shape({ node: a, doc: loc.doc, docs: loc.docs }, depth + 1));
    return parts.reduce(mergeAll, base);
  }
  const declared = node['type'];
  const types = typeof declared === 'string' ? [declared] : Array.isArray(declared) ? declared.filter((x): x is string => typeof x === 'string') : inferTypes(node);
  const properties = isRecord(node['properties'])
    ? new Map(Object.entries(node['properties']).map(([k, v]) => [k, { node: v, doc: loc.doc, docs: loc.docs }] as const))
    : new Map<string, Located>();
  const additionalRaw = node['additionalProperties'];
  const additional: Shape['additional'] = additionalRaw === false ? 'closed' : isRecord(additionalRaw) ? { node: additionalRaw, doc: loc.doc, docs: loc.docs } : 'open';
  const enumRaw = Array.isArray(node['enum']) ? node['enum'] : 'const' in node ? [node['const']] : undefined;
  return {
    ...base,
    nullable: types.includes('null') || (enumRaw?.includes(null) ?? false),
    types: new Set(types.filter((t) => t !== 'null')),
    properties,
    required: new Set(Array.isArray(node['required']) ? node['required'].filter((x): x is string => typeof x === 'string') : []),
    additional,
    items: node['items'] === undefined || Array.isArray(node['items']) ? undefined : { node: node['items'], doc: loc.doc, docs: loc.docs },
    enumValues: enumRaw?.filter((v) => v !== null).map((v) => JSON.stringify(v)),
  };
}

const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples', 'default', '$schema', '$id', 'definitions', '$defs', 'readOnly', 'writeOnly', 'deprecated']);

function mergeAlternatives(shapes: readonly Shape[], base: Shape): Shape {
  if (shapes.some((s) => s.any)) return { ...base, any: true, nullable: true };
  const first = shapes.find((s) => s.types.has('object'));
  return {
    ...base,
    nullable: shapes.some((s) => s.nullable),
    types: new Set(shapes.flatMap((s) => [...s.types])),
    properties: first?.properties ?? base.properties,
    required: first?.required ?? base.required,
    additional: first?.additional ?? base.additional,
    items: shapes.find((s) => s.items !== undefined)?.items,
  };
}

function mergeAll(acc: Shape, part: Shape): Shape {
  return {
    ...acc,
    any: false,
    nullable: acc.types.size === 0 ? part.nullable : acc.nullable && part.nullable,
    types: acc.types.size === 0 ? part.types : new Set([...acc.types].filter((t) => part.types.size === 0 || part.types.has(t))),
    properties: new Map([...acc.properties, ...part.properties]),
    required: new Set([...acc.required, ...part.required]),
    additional: acc.additional === 'closed' || part.additional === 'closed' ? 'closed' : acc.additional === 'open' ? part.additional : acc.additional,
    items: acc.items ?? part.items,
    enumValues: acc.enumValues ?? part.enumValues,
    unresolved: acc.unresolved ?? part.unresolved,
  };
}

function inferTypes(node: Record<string, unknown>): string[] {
  if (isRecord(node['properties']) || node['additionalProperties'] !== undefined) return ['object'];
  if (node['items'] !== undefined) return ['array'];
  const values = Array.isArray(node['enum']) ? node['enum'] : 'const' in node ? [node['const']] : undefined;
  if (values !== undefined) return [...new Set(values.map((v) => (v === null ? 'null' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v)))];
  return ['string', 'integer', 'number', 'boolean', 'object', 'array'];
}

function describe(s: Shape): string {
  if (s.any) return 'any value';
  const types = [...s.types].sort();
  const text = types.length === 0 ? 'nothing' : types.join(' or ');
  return s.nullable ? `${text} or null` : text;
}
