/**
 * Avro named types (records, enums, fixed) and their full names (Avro specification, "Names"):
 * a dotted `name` is the full name; else `namespace` applies; else the enclosing definition's namespace.
 * Shared by the mapper and the compatibility checker.
 */
import { isRecord } from './mapping.ts';

export const PRIMITIVES: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
export const NAMED_KINDS: ReadonlySet<string> = new Set(['record', 'error', 'enum', 'fixed']);

export interface NamedDef {
  readonly fullName: string;
  readonly namespace: string;
  readonly json: Record<string, unknown>;
}

export type NameTable = ReadonlyMap<string, NamedDef>;

/** Every named type defined in the given schemas (references first), by full name. */
export function nameTable(schemas: readonly unknown[]): Map<string, NamedDef> {
  const names = new Map<string, NamedDef>();
  for (const schema of schemas) collectNames(schema, '', names);
  return names;
}

function collectNames(json: unknown, enclosing: string, names: Map<string, NamedDef>): void {
  if (Array.isArray(json)) {
    for (const branch of json) collectNames(branch, enclosing, names);
    return;
  }
  if (!isRecord(json)) return;
  const type = json['type'];
  if (typeof type === 'string' && NAMED_KINDS.has(type)) {
    const fullName = fullNameOf(json, enclosing);
    const namespace = namespaceOf(fullName);
    if (!names.has(fullName)) names.set(fullName, { fullName, namespace, json });
    if (type === 'record' || type === 'error') {
      const fields = json['fields'];
      if (Array.isArray(fields)) for (const f of fields) if (isRecord(f)) collectNames(f['type'], namespace, names);
    }
    return;
  }
  if (type === 'array') collectNames(json['items'], enclosing, names);
  else if (type === 'map') collectNames(json['values'], enclosing, names);
  else if (typeof type === 'object') collectNames(type, enclosing, names);
}

export function fullNameOf(json: Record<string, unknown>, enclosing: string): string {
  const name = typeof json['name'] === 'string' ? json['name'] : '';
  if (name.includes('.')) return name;
  const ns = typeof json['namespace'] === 'string' ? json['namespace'] : enclosing;
  return ns ? `${ns}.${name}` : name;
}

export function namespaceOf(fullName: string): string {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? '' : fullName.slice(0, dot);
}

export function shortName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

/** A reference `name` seen in namespace `namespace`: tried as `namespace.name` first, then as given. */
export function lookupName(names: NameTable, name: string, namespace: string): NamedDef | undefined {
  if (!name.includes('.') && namespace) {
    const qualified = names.get(`${namespace}.${name}`);
    if (qualified) return qualified;
  }
  return names.get(name);
}
