/**
 * Protobuf compatibility, locally, by the main rules of Confluent's Protobuf checker
 * (io.confluent.kafka.schemaregistry.protobuf.diff). Protobuf decodes by field number, so the rules are
 * about numbers, and they are the same for BACKWARD and FORWARD:
 * - changing the package or removing the message is incompatible;
 * - a field number may be added or removed (unknown fields are skipped), but not change kind (scalar,
 *   enum, message, map), label (repeated or not), message/enum type, or scalar type outside a wire-
 *   compatible group (int32/uint32/int64/uint64/bool; sint32/sint64; fixed32/sfixed32; fixed64/sfixed64;
 *   string/bytes);
 * - moving a field into a oneof that already existed, and adding or removing a proto2 `required` field,
 *   are incompatible.
 */
import protobuf from 'protobufjs';
import { MESSAGE_COMMENT } from './protobuf-to-row.ts';

export type ProtobufProblemKind =
  | 'package-changed'
  | 'message-removed'
  | 'field-kind-changed'
  | 'field-scalar-changed'
  | 'field-type-changed'
  | 'field-label-changed'
  | 'field-moved-to-oneof'
  | 'required-field-changed'
  | 'unparsable';

export interface ProtobufProblem {
  readonly kind: ProtobufProblemKind;
  /** `Message.field` (by the old field name) or the message name. */
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface ProtobufSchemaText {
  readonly schema: string;
  readonly references: readonly { readonly name: string; readonly schema: string }[];
}

const WIRE_GROUPS: readonly (readonly string[])[] = [
  ['int32', 'uint32', 'int64', 'uint64', 'bool'],
  ['sint32', 'sint64'],
  ['fixed32', 'sfixed32'],
  ['fixed64', 'sfixed64'],
  ['string', 'bytes'],
];

interface Parsed {
  readonly pkg: string;
  readonly message: protobuf.Type | undefined;
}

/** What breaks between the `before` and `after` versions of a subject's schema. */
export function protobufProblems(before: ProtobufSchemaText, after: ProtobufSchemaText): ProtobufProblem[] {
  const old = parse(before);
  const next = parse(after);
  if (typeof old === 'string' || typeof next === 'string') {
    return [{ kind: 'unparsable', path: '', before: typeof old === 'string' ? old : '', after: typeof next === 'string' ? next : '' }];
  }
  const problems: ProtobufProblem[] = [];
  if (old.pkg !== next.pkg) problems.push({ kind: 'package-changed', path: '', before: old.pkg || '(none)', after: next.pkg || '(none)' });
  if (!old.message) return problems;
  if (!next.message || next.message.name !== old.message.name) {
    problems.push({ kind: 'message-removed', path: old.message.name, before: old.message.fullName.slice(1), after: next.message?.fullName.slice(1) ?? '(none)' });
    return problems;
  }
  compareMessages(old.message, next.message, old.message.name, problems, new Set());
  return problems;
}

function parse(text: ProtobufSchemaText): Parsed | string {
  try {
    const root = new protobuf.Root();
    const main = protobuf.parse(text.schema, root, { keepCase: true });
    const first = firstMessage(root);
    for (const ref of text.references) protobuf.parse(ref.schema, root, { keepCase: true });
    for (const file of [...(main.imports ?? [])]) {
      const common = protobuf.common.get(file);
      if (common && !text.references.some((r) => r.name === file)) root.addJSON(common.nested ?? {});
    }
    root.resolveAll();
    const named = MESSAGE_COMMENT.exec(text.schema)?.[1];
    const candidates = named === undefined ? (first === undefined ? [] : [first]) : named.startsWith('.') ? [named] : [...(main.package ? [`.${main.package}.${named}`] : []), `.${named}`];
    const found = candidates.map((c) => root.lookup(c)).find((x) => x instanceof protobuf.Type);
    return { pkg: main.package ?? '', message: found instanceof protobuf.Type ? found : undefined };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function firstMessage(ns: protobuf.NamespaceBase): string | undefined {
  for (const child of ns.nestedArray) {
    if (child instanceof protobuf.Type) return child.fullName;
    if (child instanceof protobuf.Namespace) {
      const found = firstMessage(child);
      if (found) return found;
    }
  }
  return undefined;
}

type Kind = 'scalar' | 'enum' | 'message' | 'map';

function kindOf(field: protobuf.Field): Kind {
  if (field instanceof protobuf.MapField) return 'map';
  if (field.resolvedType instanceof protobuf.Type) return 'message';
  if (field.resolvedType instanceof protobuf.Enum) return 'enum';
  return 'scalar';
}

function describeField(field: protobuf.Field): string {
  const base = field instanceof protobuf.MapField ? `map<${field.keyType}, ${field.type}>` : field.resolvedType ? field.resolvedType.fullName.slice(1) : field.type;
  return `${field.repeated && !(field instanceof protobuf.MapField) ? 'repeated ' : ''}${base}`;
}

function compareMessages(old: protobuf.Type, next: protobuf.Type, path: string, problems: ProtobufProblem[], seen: Set<string>): void {
  const pair = `${old.fullName}|${next.fullName}`;
  if (seen.has(pair)) return;
  seen.add(pair);
  const oldFields = new Map(old.fieldsArray.map((f) => [f.id, f] as const));
  for (const nf of next.fieldsArray) {
    const of = oldFields.get(nf.id);
    if (!of) {
      if (nf.required) problems.push({ kind: 'required-field-changed', path: `${path}.${nf.name}`, before: '(absent)', after: `required ${describeField(nf)}` });
      continue;
    }
    const at = `${path}.${of.name}`;
    const push = (kind: ProtobufProblemKind): void => {
      problems.push({ kind, path: at, before: describeField(of), after: describeField(nf) });
    };
    if (of.required !== nf.required) push('required-field-changed');
    const ok = kindOf(of);
    const nk = kindOf(nf);
    if (ok !== nk) {
      push('field-kind-changed');
      continue;
    }
    if (of.repeated !== nf.repeated && nk !== 'map') {
      push('field-label-changed');
      continue;
    }
    if (!of.partOf && nf.partOf && old.oneofsArray.some((o) => o.name === nf.partOf?.name)) push('field-moved-to-oneof');
    if (nk === 'map' && of instanceof protobuf.MapField && nf instanceof protobuf.MapField && !sameScalarGroup(of.keyType, nf.keyType)) {
      push('field-scalar-changed');
      continue;
    }
    switch (nk) {
      case 'scalar':
      case 'map':
        if (nk === 'scalar' && !sameScalarGroup(of.type, nf.type)) push('field-scalar-changed');
        else if (nk === 'map') compareValueTypes(of, nf, at, problems, seen, push);
        break;
      case 'enum':
        if (of.resolvedType?.name !== nf.resolvedType?.name) push('field-type-changed');
        break;
      case 'message':
        compareValueTypes(of, nf, at, problems, seen, push);
        break;
    }
  }
  for (const of of old.fieldsArray) {
    if (of.required && !next.fieldsArray.some((f) => f.id === of.id)) {
      problems.push({ kind: 'required-field-changed', path: `${path}.${of.name}`, before: `required ${describeField(of)}`, after: '(removed)' });
    }
  }
}

function compareValueTypes(
  of: protobuf.Field,
  nf: protobuf.Field,
  at: string,
  problems: ProtobufProblem[],
  seen: Set<string>,
  push: (kind: ProtobufProblemKind) => void,
): void {
  const ot = of.resolvedType;
  const nt = nf.resolvedType;
  if (ot instanceof protobuf.Type && nt instanceof protobuf.Type) {
    if (ot.name !== nt.name) push('field-type-changed');
    else compareMessages(ot, nt, at, problems, seen);
  } else if (ot instanceof protobuf.Enum || nt instanceof protobuf.Enum) {
    if (ot?.name !== nt?.name) push('field-type-changed');
  } else if (!sameScalarGroup(of.type, nf.type)) {
    push('field-scalar-changed');
  }
}

function sameScalarGroup(a: string, b: string): boolean {
  return a === b || WIRE_GROUPS.some((g) => g.includes(a) && g.includes(b));
}
