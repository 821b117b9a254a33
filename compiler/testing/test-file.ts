/**
 * Pipeline test files (`*.test.yaml`): YAML → the test model, with the span of every name and value so the
 * checker can point at a misspelled column or a wrong value. Pure; the format is documented in docs/testing.md.
 *
 *   pipeline: payments_dedupe
 *   defaults: { payments: { currency: EUR } }      # optional: values shared by every record of a source
 *   tests:
 *     - name: a retried payment is kept once
 *       given:
 *         payments: [ { payment_id: p-1, … }, … ]  # records in arrival order; `delete: {…}` on keyed sources
 *       expect:
 *         unique_payments: [ { … } ]               # rows (append) or the final row per key (updating)
 *         other: { changelog: [ { +I: { … } } ] }  # or the exact changelog
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceFile, Span } from '../source/source.ts';

export interface FieldValue {
  readonly name: string;
  readonly nameSpan: Span;
  readonly value: unknown;
  readonly valueSpan: Span;
}

export interface RecordNode {
  readonly fields: readonly FieldValue[];
  readonly span: Span;
}

export type ChangeKind = '+I' | '-U' | '+U' | '-D';
export const CHANGE_KINDS: readonly ChangeKind[] = ['+I', '-U', '+U', '-D'];

export interface GivenRecord extends RecordNode {
  /** `delete: {…}` removes the row with that key from a keyed (upsert or CDC) source; every other record inserts or replaces it. */
  readonly kind: 'upsert' | 'delete';
}

export interface GivenSource {
  readonly source: string;
  readonly span: Span;
  readonly records: readonly GivenRecord[];
}

export type Expectation =
  | { readonly mode: 'rows'; readonly sink: string; readonly span: Span; readonly rows: readonly RecordNode[] }
  | { readonly mode: 'changelog'; readonly sink: string; readonly span: Span; readonly changes: readonly (RecordNode & { readonly kind: ChangeKind })[] };

export interface TestCase {
  readonly name: string;
  readonly span: Span;
  readonly given: readonly GivenSource[];
  readonly expect: readonly Expectation[];
}

export interface TestFile {
  readonly path: string;
  readonly pipeline: { readonly name: string; readonly span: Span } | undefined;
  readonly defaults: ReadonlyMap<string, RecordNode>;
  readonly tests: readonly TestCase[];
}

export const TEST_FILE_SUFFIX = '.test.yaml';

export function parseTestFile(source: SourceFile): { file: TestFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const span = (node: Node | null | undefined): Span => {
    const range = node?.range;
    return { file: source.path, start: range?.[0] ?? 0, end: range?.[1] ?? 0 };
  };
  const invalid = (problem: string, node: Node | null | undefined, hint?: string): void => {
    diagnostics.push(diagnostic('test-invalid', { problem, hint }, span(node)));
  };
  const empty: TestFile = { path: source.path, pipeline: undefined, defaults: new Map(), tests: [] };

  // Integers as BigInt, so a BIGINT id beyond 2^53 keeps its digits.
  const doc = parseDocument(source.text, { prettyErrors: false, uniqueKeys: true, intAsBigInt: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) diagnostics.push(diagnostic('test-syntax', { message: e.message.split('\n')[0] ?? e.message }, { file: source.path, start: e.pos[0], end: e.pos[1] }));
    return { file: empty, diagnostics };
  }
  const root = doc.contents;
  if (!isMap(root)) {
    invalid('a test file is a mapping with `pipeline:` and `tests:`', root);
    return { file: empty, diagnostics };
  }

  const entries = (map: YAMLMap, what: string, allowed?: readonly string[]): Pair<Node, Node>[] => {
    const out: Pair<Node, Node>[] = [];
    for (const pair of map.items as Pair<Node, Node>[]) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
        invalid(`keys of ${what} are names`, pair.key);
      } else if (allowed && !allowed.includes(pair.key.value)) {
        invalid(`${what} has no \`${pair.key.value}\``, pair.key, `its keys are ${allowed.map((a) => `\`${a}\``).join(', ')}`);
      } else {
        out.push(pair);
      }
    }
    return out;
  };
  const keyOf = (pair: Pair<Node, Node>): string => (isScalar(pair.key) ? String(pair.key.value) : '');

  const record = (node: Node | null, what: string): RecordNode | undefined => {
    if (!isMap(node)) {
      invalid(`${what} is a mapping of column names to values`, node);
      return undefined;
    }
    const fields = entries(node, what).map((pair) => ({ name: keyOf(pair), nameSpan: span(pair.key), value: plainValue(pair.value), valueSpan: span(pair.value ?? pair.key) }));
    return { fields, span: span(node) };
  };

  let pipeline: TestFile['pipeline'];
  const defaults = new Map<string, RecordNode>();
  const tests: TestCase[] = [];
  for (const pair of entries(root, 'a test file', ['pipeline', 'defaults', 'tests'])) {
    switch (keyOf(pair)) {
      case 'pipeline':
        if (isScalar(pair.value) && typeof pair.value.value === 'string') pipeline = { name: pair.value.value, span: span(pair.value) };
        else invalid('`pipeline:` names the pipeline under test', pair.value ?? pair.key);
        break;
      case 'defaults':
        if (!isMap(pair.value)) invalid('`defaults:` maps source names to values shared by their records', pair.value ?? pair.key);
        else for (const d of entries(pair.value, '`defaults:`')) {
          const r = record(d.value, `the defaults of \`${keyOf(d)}\``);
          if (r) defaults.set(keyOf(d), r);
        }
        break;
      case 'tests':
        if (!isSeq(pair.value)) invalid('`tests:` is a list of tests', pair.value ?? pair.key);
        else for (const t of pair.value.items as Node[]) {
          const parsed = testCase(t);
          if (parsed) tests.push(parsed);
        }
        break;
    }
  }
  if (!pipeline) invalid('a test file names its pipeline: `pipeline: <name>`', root);

  function testCase(node: Node): TestCase | undefined {
    if (!isMap(node)) {
      invalid('a test is a mapping with `name:`, `given:` and `expect:`', node);
      return undefined;
    }
    let name: string | undefined;
    const given: GivenSource[] = [];
    const expect: Expectation[] = [];
    for (const pair of entries(node, 'a test', ['name', 'given', 'expect'])) {
      const value = pair.value;
      switch (keyOf(pair)) {
        case 'name':
          if (isScalar(value) && typeof value.value === 'string' && value.value.trim() !== '') name = value.value;
          else invalid('`name:` is the test\'s name', value ?? pair.key);
          break;
        case 'given':
          if (!isMap(value)) invalid('`given:` maps source names to lists of records', value ?? pair.key);
          else for (const g of entries(value, '`given:`')) given.push(givenSource(g));
          break;
        case 'expect':
          if (!isMap(value)) invalid('`expect:` maps stream names to the rows their sink receives', value ?? pair.key);
          else for (const e of entries(value, '`expect:`')) {
            const x = expectation(e);
            if (x) expect.push(x);
          }
          break;
      }
    }
    if (name === undefined) {
      invalid('every test has a `name:`', node);
      return undefined;
    }
    if (expect.length === 0) invalid(`test "${name}" expects nothing`, node, 'add `expect:` with the rows a sink must receive (`[]` for none)');
    return { name, span: span(node), given, expect };
  }

  function givenSource(pair: Pair<Node, Node>): GivenSource {
    const records: GivenRecord[] = [];
    if (!isSeq(pair.value)) invalid(`the records of \`${keyOf(pair)}\` are a list`, pair.value ?? pair.key);
    else for (const item of pair.value.items as Node[]) {
      const only = isMap(item) && item.items.length === 1 ? (item.items[0] as Pair<Node, Node>) : undefined;
      if (only && keyOf(only) === 'delete' && isMap(only.value)) {
        const r = record(only.value, 'a deleted record');
        if (r) records.push({ ...r, kind: 'delete', span: span(item) });
      } else {
        const r = record(item, 'a record');
        if (r) records.push({ ...r, kind: 'upsert' });
      }
    }
    return { source: keyOf(pair), span: span(pair.key), records };
  }

  function expectation(pair: Pair<Node, Node>): Expectation | undefined {
    const sink = keyOf(pair);
    const value = pair.value;
    if (isSeq(value)) {
      const rows = (value.items as Node[]).map((item) => record(item, 'an expected row')).filter((r): r is RecordNode => r !== undefined);
      return { mode: 'rows', sink, span: span(pair.key), rows };
    }
    const changelog = isMap(value) && value.items.length === 1 ? (value.items[0] as Pair<Node, Node>) : undefined;
    if (!changelog || keyOf(changelog) !== 'changelog' || !isSeq(changelog.value)) {
      invalid(`the expectation of \`${sink}\` is a list of rows, or \`changelog:\` with a list of changes`, value ?? pair.key);
      return undefined;
    }
    const changes: (RecordNode & { kind: ChangeKind })[] = [];
    for (const item of changelog.value.items as Node[]) {
      const change = isMap(item) && item.items.length === 1 ? (item.items[0] as Pair<Node, Node>) : undefined;
      const kind = change ? CHANGE_KINDS.find((k) => k === keyOf(change)) : undefined;
      if (!change || !kind) {
        invalid('a change is `+I: {…}`, `-U: {…}`, `+U: {…}` or `-D: {…}`', item);
        continue;
      }
      const r = record(change.value, 'a changed row');
      if (r) changes.push({ ...r, kind, span: span(item) });
    }
    return { mode: 'changelog', sink, span: span(pair.key), changes };
  }

  return { file: { path: source.path, pipeline, defaults, tests }, diagnostics };
}

/** A node's value as plain data; unlike the library's toJSON, integers stay BigInt (so they keep every digit). */
function plainValue(node: Node | null | undefined): unknown {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return (node.items as Node[]).map(plainValue);
  if (isMap(node)) return Object.fromEntries((node.items as Pair<Node, Node>[]).map((p) => [isScalar(p.key) ? String(p.key.value) : '', plainValue(p.value)]));
  return null;
}
