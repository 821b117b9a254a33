/**
 * `$ref` resolution for JSON Schema, shared by the mapper and the compatibility checker: `#/…` JSON
 * pointers and `#name` anchors within a document, and other documents by their Confluent reference name
 * or `$id` (also relative to the referring document's `$id`). Small enough that a library would add more
 * than it saves; what it does not do (remote fetching, dynamic refs) Confluent does not do either.
 */
import { isRecord } from './mapping.ts';

export interface JsonDoc {
  /** The reference name; '' for the subject's own document. */
  readonly key: string;
  readonly root: unknown;
  readonly id: string | undefined;
}

export type RefTarget =
  | { readonly kind: 'ok'; readonly node: unknown; readonly doc: JsonDoc; readonly pointer: string }
  | { readonly kind: 'no-document'; readonly base: string }
  | { readonly kind: 'no-target'; readonly ref: string };

export function jsonDoc(key: string, root: unknown): JsonDoc {
  return { key, root, id: isRecord(root) && typeof root['$id'] === 'string' ? root['$id'] : undefined };
}

export function resolveRef(ref: string, from: JsonDoc, docs: readonly JsonDoc[]): RefTarget {
  const hash = ref.indexOf('#');
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  const doc = base === '' ? from : findDoc(base, from, docs);
  if (!doc) return { kind: 'no-document', base };
  if (fragment === '' || fragment === '/') return { kind: 'ok', node: doc.root, doc, pointer: '' };
  if (fragment.startsWith('/')) {
    const node = pointerGet(doc.root, fragment);
    return node === undefined ? { kind: 'no-target', ref } : { kind: 'ok', node, doc, pointer: fragment };
  }
  // A plain-name fragment: draft-07 `"$id": "#name"` or 2019+ `$anchor`.
  const anchored = findAnchor(doc.root, fragment);
  return anchored === undefined ? { kind: 'no-target', ref } : { kind: 'ok', node: anchored, doc, pointer: `anchor:${fragment}` };
}

function findDoc(base: string, from: JsonDoc, docs: readonly JsonDoc[]): JsonDoc | undefined {
  const exact = docs.find((d) => d.key !== '' && (d.key === base || d.id === base));
  if (exact) return exact;
  const absolute = resolveUrl(base, from.id);
  if (absolute === undefined) return undefined;
  return docs.find((d) => d.key !== '' && (resolveUrl(d.key, from.id) === absolute || (d.id !== undefined && resolveUrl(d.id, from.id) === absolute)));
}

function resolveUrl(ref: string, base: string | undefined): string | undefined {
  try {
    return new URL(ref, base ?? 'pipec:/').href;
  } catch {
    return undefined;
  }
}

function pointerGet(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isRecord(node)) node = node[token];
    else return undefined;
  }
  return node;
}

function findAnchor(node: unknown, name: string): unknown {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findAnchor(item, name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isRecord(node)) return undefined;
  if (node['$anchor'] === name || node['$id'] === `#${name}`) return node;
  for (const value of Object.values(node)) {
    const found = findAnchor(value, name);
    if (found !== undefined) return found;
  }
  return undefined;
}
