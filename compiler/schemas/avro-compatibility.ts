/**
 * Avro reader/writer compatibility, locally: can a consumer holding the *reader* schema decode data written
 * with the *writer* schema? The rules are Avro's schema resolution (specification, "Schema Resolution"), as
 * Avro Java's SchemaCompatibility applies them and Confluent's registry and Apicurio use them:
 * - same primitive, or a promotion: int → long/float/double, long → float/double, float → double,
 *   string ↔ bytes;
 * - records match by unqualified name (or a reader alias); each reader field is found in the writer by
 *   name (or a reader field alias) and is compatible, or has a default;
 * - enums match by name; every writer symbol is a reader symbol, unless the reader has a `default` symbol;
 * - fixed: same name and size; arrays and maps: compatible items / values;
 * - a writer union: every branch must be readable; a reader union: some branch must read the writer.
 * Logical types are not compared (Avro Java does not either).
 * The result is structured (path + kind), so messages can name the field and the rule.
 */
import { lookupName, namespaceOf, nameTable, PRIMITIVES, shortName, type NameTable } from './avro-names.ts';
import { isRecord } from './mapping.ts';

export type AvroProblemKind =
  | 'field-without-default'
  | 'type-mismatch'
  | 'name-mismatch'
  | 'missing-enum-symbols'
  | 'fixed-size-mismatch'
  | 'missing-union-branch';

export interface AvroProblem {
  readonly kind: AvroProblemKind;
  /** Field path from the top record, e.g. `customer.address.city`; empty for the record itself. */
  readonly path: string;
  readonly reader: string;
  readonly writer: string;
  /** Enum symbols the reader lacks, for missing-enum-symbols. */
  readonly symbols?: readonly string[];
}

export interface AvroSchemaText {
  readonly schema: string;
  /** Referenced schema texts, dependencies first. */
  readonly references: readonly string[];
}

type Node =
  | { readonly kind: 'primitive'; readonly name: string }
  | { readonly kind: 'record'; readonly fullName: string; readonly json: Record<string, unknown>; readonly namespace: string }
  | { readonly kind: 'enum'; readonly fullName: string; readonly json: Record<string, unknown> }
  | { readonly kind: 'fixed'; readonly fullName: string; readonly json: Record<string, unknown> }
  | { readonly kind: 'array'; readonly items: unknown; readonly namespace: string }
  | { readonly kind: 'map'; readonly values: unknown; readonly namespace: string }
  | { readonly kind: 'union'; readonly branches: readonly unknown[]; readonly namespace: string };

interface Side {
  readonly names: NameTable;
}

/** Problems that stop `reader` from decoding data written with `writer`; empty when compatible. */
export function avroReadProblems(reader: AvroSchemaText, writer: AvroSchemaText): AvroProblem[] {
  const r = parseSide(reader);
  const w = parseSide(writer);
  const problems: AvroProblem[] = [];
  check(r.main, '', r.side, w.main, '', w.side, '', problems, new Set());
  return problems;
}

function parseSide(text: AvroSchemaText): { main: unknown; side: Side } {
  const refs = text.references.map((s) => JSON.parse(s) as unknown);
  const main = JSON.parse(text.schema) as unknown;
  return { main, side: { names: nameTable([...refs, main]) } };
}

function node(json: unknown, namespace: string, side: Side): Node {
  if (typeof json === 'string') {
    if (PRIMITIVES.has(json)) return { kind: 'primitive', name: json };
    const def = lookupName(side.names, json, namespace);
    if (!def) return { kind: 'primitive', name: json };
    return node(def.json, namespaceOf(def.fullName), side);
  }
  if (Array.isArray(json)) return { kind: 'union', branches: json, namespace };
  if (!isRecord(json)) return { kind: 'primitive', name: String(json) };
  const type = json['type'];
  if (typeof type === 'object' && type !== null) return node(type, namespace, side);
  if (typeof type !== 'string') return { kind: 'primitive', name: 'unknown' };
  if (PRIMITIVES.has(type)) return { kind: 'primitive', name: type };
  switch (type) {
    case 'record':
    case 'error': {
      const def = [...side.names.values()].find((d) => d.json === json);
      const fullName = def?.fullName ?? String(json['name'] ?? '');
      return { kind: 'record', fullName, json, namespace: namespaceOf(fullName) };
    }
    case 'enum':
    case 'fixed': {
      const def = [...side.names.values()].find((d) => d.json === json);
      return { kind: type, fullName: def?.fullName ?? String(json['name'] ?? ''), json };
    }
    case 'array':
      return { kind: 'array', items: json['items'], namespace };
    case 'map':
      return { kind: 'map', values: json['values'], namespace };
    default:
      return node(type, namespace, side);
  }
}

const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

function describe(n: Node): string {
  switch (n.kind) {
    case 'primitive':
      return n.name;
    case 'record':
    case 'enum':
    case 'fixed':
      return `${n.kind} ${shortName(n.fullName)}`;
    case 'array':
      return 'array';
    case 'map':
      return 'map';
    case 'union':
      return 'union';
  }
}

/**
 * The reader union branch that resolves a writer type, as Avro picks it: the first branch of the same
 * kind (same primitive or a promotion, same named type by name, array, map). Problems inside that branch
 * are then reported at their own path, which says more than "no branch matches".
 */
function matchingBranch(reader: Extract<Node, { kind: 'union' }>, r: Side, wn: Node): unknown {
  const sameKind = (b: unknown): boolean => {
    const bn = node(b, reader.namespace, r);
    if (bn.kind === 'primitive' && wn.kind === 'primitive') return bn.name === wn.name;
    if (bn.kind !== wn.kind) return false;
    if ((bn.kind === 'record' || bn.kind === 'enum' || bn.kind === 'fixed') && 'fullName' in wn) return shortName(bn.fullName) === shortName(wn.fullName);
    return true;
  };
  const promotable = (b: unknown): boolean => {
    const bn = node(b, reader.namespace, r);
    return bn.kind === 'primitive' && wn.kind === 'primitive' && (PROMOTIONS[wn.name] ?? []).includes(bn.name);
  };
  return reader.branches.find(sameKind) ?? reader.branches.find(promotable);
}

function check(rJson: unknown, rNs: string, r: Side, wJson: unknown, wNs: string, w: Side, path: string, problems: AvroProblem[], seen: Set<string>): void {
  const rn = node(rJson, rNs, r);
  const wn = node(wJson, wNs, w);
  const problem = (kind: AvroProblemKind, extra: Partial<AvroProblem> = {}): void => {
    problems.push({ kind, path, reader: describe(rn), writer: describe(wn), ...extra });
  };

  if (wn.kind === 'union') {
    // Every value the writer may have written must be readable.
    for (const branch of wn.branches) {
      const bn = node(branch, wn.namespace, w);
      if (rn.kind !== 'union' && bn.kind === 'primitive' && bn.name === 'null' && !(rn.kind === 'primitive' && rn.name === 'null')) {
        problems.push({ kind: 'missing-union-branch', path, reader: describe(rn), writer: 'null' });
      } else {
        check(rJson, rNs, r, branch, wn.namespace, w, path, problems, seen);
      }
    }
    return;
  }
  if (rn.kind === 'union') {
    const branch = matchingBranch(rn, r, wn);
    // A nullable reader (["null", T]) that cannot read the writer: say how T differs, not "no branch".
    const nonNull = rn.branches.filter((b) => {
      const bn = node(b, rn.namespace, r);
      return !(bn.kind === 'primitive' && bn.name === 'null');
    });
    const target = branch ?? (nonNull.length === 1 ? nonNull[0] : undefined);
    if (target === undefined) problem('missing-union-branch');
    else check(target, rn.namespace, r, wJson, wNs, w, path, problems, seen);
    return;
  }

  switch (rn.kind) {
    case 'primitive':
      if (wn.kind !== 'primitive' || (rn.name !== wn.name && !(PROMOTIONS[wn.name] ?? []).includes(rn.name))) problem('type-mismatch');
      return;
    case 'array':
      if (wn.kind !== 'array') return problem('type-mismatch');
      return check(rn.items, rn.namespace, r, wn.items, wn.namespace, w, `${path}[]`, problems, seen);
    case 'map':
      if (wn.kind !== 'map') return problem('type-mismatch');
      return check(rn.values, rn.namespace, r, wn.values, wn.namespace, w, `${path}{}`, problems, seen);
    case 'fixed':
      if (wn.kind !== 'fixed') return problem('type-mismatch');
      if (!namesMatch(rn.fullName, rn.json, wn.fullName)) return problem('name-mismatch');
      if (rn.json['size'] !== wn.json['size']) problem('fixed-size-mismatch', { reader: `fixed(${String(rn.json['size'])})`, writer: `fixed(${String(wn.json['size'])})` });
      return;
    case 'enum': {
      if (wn.kind !== 'enum') return problem('type-mismatch');
      if (!namesMatch(rn.fullName, rn.json, wn.fullName)) return problem('name-mismatch');
      if (typeof rn.json['default'] === 'string') return;
      const readerSymbols = new Set(stringsOf(rn.json['symbols']));
      const missing = stringsOf(wn.json['symbols']).filter((s) => !readerSymbols.has(s));
      if (missing.length > 0) problem('missing-enum-symbols', { symbols: missing });
      return;
    }
    case 'record': {
      if (wn.kind !== 'record') return problem('type-mismatch');
      if (!namesMatch(rn.fullName, rn.json, wn.fullName)) return problem('name-mismatch');
      // Recursive records: a pair already being compared is assumed compatible (as Avro Java does).
      const pair = `${rn.fullName}|${wn.fullName}`;
      if (seen.has(pair)) return;
      seen.add(pair);
      const writerFields = fieldsOf(wn.json);
      for (const rf of fieldsOf(rn.json)) {
        const fieldPath = path === '' ? rf.name : `${path}.${rf.name}`;
        const wf = writerFields.find((f) => f.name === rf.name) ?? writerFields.find((f) => rf.aliases.includes(f.name));
        if (wf) check(rf.type, rn.namespace, r, wf.type, wn.namespace, w, fieldPath, problems, seen);
        else if (!rf.hasDefault) problems.push({ kind: 'field-without-default', path: fieldPath, reader: describe(node(rf.type, rn.namespace, r)), writer: '(absent)' });
      }
      return;
    }
  }
}

function namesMatch(readerFullName: string, readerJson: Record<string, unknown>, writerFullName: string): boolean {
  if (shortName(readerFullName) === shortName(writerFullName)) return true;
  return stringsOf(readerJson['aliases']).some((a) => a === writerFullName || a === shortName(writerFullName));
}

function fieldsOf(json: Record<string, unknown>): { name: string; type: unknown; hasDefault: boolean; aliases: string[] }[] {
  const fields = Array.isArray(json['fields']) ? json['fields'] : [];
  return fields.filter(isRecord).map((f) => ({
    name: String(f['name']),
    type: f['type'],
    hasDefault: 'default' in f,
    aliases: stringsOf(f['aliases']),
  }));
}

function stringsOf(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}
