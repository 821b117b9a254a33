/**
 * Checks test files against the pipelines they test: every source, sink and column named exists, and every
 * value fits its column's type. Produces the tests in canonical values (values.ts), ready to run. Pure; runs at
 * `pipec check` time, so a misspelled column in a test fails the pull request like one in a `.pipe` file.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import type { ColumnPlan, PipelinePlan, SinkPlan, SourcePlan } from '../plan/plan.ts';
import type { Span } from '../source/source.ts';
import { formatType } from '../types/types.ts';
import type { ChangeKind, Expectation, FieldValue, RecordNode, TestCase, TestFile } from './test-file.ts';
import { canonicalize, type CanonicalValue } from './values.ts';

export type CanonicalRow = Readonly<Record<string, CanonicalValue>>;

/** One record of a source's input, as a change: keyed sources carry the row it replaces (Debezium's `before`). */
export interface SourceChange {
  readonly op: 'c' | 'u' | 'd';
  readonly before: CanonicalRow | null;
  readonly after: CanonicalRow | null;
}

export interface ResolvedExpectation {
  readonly sink: SinkPlan;
  readonly span: Span;
  readonly expected: { readonly mode: 'rows'; readonly rows: readonly CanonicalRow[] } | { readonly mode: 'changelog'; readonly changes: readonly { readonly kind: ChangeKind; readonly row: CanonicalRow }[] };
}

export interface ResolvedTest {
  readonly file: string;
  readonly name: string;
  readonly span: Span;
  readonly pipeline: PipelinePlan;
  /** Every source of the pipeline, in plan order; a source the test gives nothing is empty. */
  readonly inputs: readonly { readonly source: SourcePlan; readonly changes: readonly SourceChange[] }[];
  readonly expectations: readonly ResolvedExpectation[];
}

/** The columns a test gives for a source: what the topic carries (key, value and metadata), not what the job computes. */
export function givenColumns(source: SourcePlan): ColumnPlan[] {
  return source.columns.filter((c) => c.origin === 'value' || c.origin === 'key' || c.origin === 'metadata').map((c) => ({ name: c.name, type: c.type }));
}

export function checkTestFile(file: TestFile, pipelines: readonly PipelinePlan[]): { tests: ResolvedTest[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!file.pipeline) return { tests: [], diagnostics };
  const pipelineName = file.pipeline.name;
  const found = pipelines.find((p) => p.name === pipelineName);
  if (!found) {
    diagnostics.push(diagnostic('test-unknown-pipeline', { name: pipelineName, candidates: suggestionList(pipelineName, pipelines.map((p) => p.name)) }, file.pipeline.span));
    return { tests: [], diagnostics };
  }
  const pipeline: PipelinePlan = found;

  const sourceNamed = (name: string, span: Span): SourcePlan | undefined => {
    const s = pipeline.sources.find((x) => x.name === name);
    if (!s) diagnostics.push(diagnostic('test-unknown-endpoint', { role: 'source', name, pipeline: pipeline.name, candidates: suggestionList(name, pipeline.sources.map((x) => x.name)) }, span));
    return s;
  };

  /** Values by column, canonical; `partial` leaves out what is missing (defaults), else a missing NOT NULL column is an error. */
  const row = (node: RecordNode, columns: readonly ColumnPlan[], relation: string, base: CanonicalRow, partial: boolean): CanonicalRow | undefined => {
    const out: Record<string, CanonicalValue> = { ...base };
    let good = true;
    for (const f of node.fields) {
      const column = columns.find((c) => c.name === f.name);
      if (!column) {
        diagnostics.push(diagnostic('unknown-column', { column: f.name, relation, candidates: suggestionList(f.name, columns.map((c) => c.name)) }, f.nameSpan));
        good = false;
        continue;
      }
      const c = canonicalize(f.value, column.type);
      if (!c.ok) {
        diagnostics.push(valueError(f, column, c.expected));
        good = false;
        out[f.name] = null; // given, though wrong: not also "missing"
        continue;
      }
      out[f.name] = c.value;
    }
    if (!partial) {
      for (const c of columns) {
        if (c.name in out) continue;
        if (c.type.nullable) out[c.name] = null;
        else {
          diagnostics.push(diagnostic('test-missing-column', { column: c.name, relation, type: formatType(c.type) }, node.span));
          good = false;
        }
      }
    }
    return good ? out : undefined;
  };

  const defaults = new Map<string, CanonicalRow>();
  for (const [name, node] of file.defaults) {
    const source = sourceNamed(name, node.span);
    const r = source ? row(node, givenColumns(source), name, {}, true) : undefined;
    if (r) defaults.set(name, r);
  }

  const tests: ResolvedTest[] = [];
  for (const t of file.tests) {
    const before = diagnostics.length;
    const resolved = resolveTest(t);
    if (resolved && diagnostics.length === before) tests.push(resolved);
  }
  return { tests, diagnostics };

  function resolveTest(t: TestCase): ResolvedTest | undefined {
    const given = new Map<string, SourceChange[]>();
    for (const g of t.given) {
      const source = sourceNamed(g.source, g.span);
      if (!source) continue;
      if (given.has(source.name)) {
        diagnostics.push(diagnostic('test-invalid', { problem: `\`${source.name}\` is given twice`, hint: undefined }, g.span));
        continue;
      }
      const columns = givenColumns(source);
      const keyed = source.primaryKey.length > 0;
      const current = new Map<string, CanonicalRow>();
      const changes: SourceChange[] = [];
      for (const r of g.records) {
        if (r.kind === 'delete' && !keyed) {
          diagnostics.push(diagnostic('test-invalid', { problem: `\`${source.name}\` has no primary key, so its records cannot be deleted`, hint: 'an append-only source only receives new records' }, r.span));
          continue;
        }
        if (r.kind === 'delete') {
          const keyColumns = columns.filter((c) => source.primaryKey.includes(c.name));
          const k = row(r, keyColumns, source.name, {}, false);
          if (!k) continue;
          const key = keyOf(k, source.primaryKey);
          const old = current.get(key);
          if (!old) {
            diagnostics.push(diagnostic('test-invalid', { problem: `the deleted key ${key} of \`${source.name}\` was never given before`, hint: 'a delete removes a row given earlier in the same list' }, r.span));
            continue;
          }
          current.delete(key);
          changes.push({ op: 'd', before: old, after: null });
          continue;
        }
        const full = row(r, columns, source.name, defaults.get(source.name) ?? {}, false);
        if (!full) continue;
        if (!keyed) {
          changes.push({ op: 'c', before: null, after: full });
          continue;
        }
        const key = keyOf(full, source.primaryKey);
        const old = current.get(key);
        current.set(key, full);
        changes.push(old ? { op: 'u', before: old, after: full } : { op: 'c', before: null, after: full });
      }
      given.set(source.name, changes);
    }

    const expectations: ResolvedExpectation[] = [];
    for (const e of t.expect) {
      const sink = sinkNamed(e);
      if (!sink) continue;
      if (e.mode === 'rows') {
        const rows = e.rows.map((r) => row(r, sink.columns, sink.input, {}, false));
        if (rows.every((r): r is CanonicalRow => r !== undefined)) expectations.push({ sink, span: e.span, expected: { mode: 'rows', rows } });
      } else {
        const changes = e.changes.map((c) => ({ kind: c.kind, row: row(c, sink.columns, sink.input, {}, false) }));
        if (changes.every((c): c is { kind: ChangeKind; row: CanonicalRow } => c.row !== undefined)) expectations.push({ sink, span: e.span, expected: { mode: 'changelog', changes } });
      }
    }
    return {
      file: file.path,
      name: t.name,
      span: t.span,
      pipeline,
      inputs: pipeline.sources.map((source) => ({ source, changes: given.get(source.name) ?? [] })),
      expectations,
    };
  }

  function sinkNamed(e: Expectation): SinkPlan | undefined {
    const byTable = pipeline.sinks.find((s) => s.table === e.sink);
    const byInput = pipeline.sinks.filter((s) => s.input === e.sink);
    if (byTable) return byTable;
    if (byInput.length === 1) return byInput[0];
    if (byInput.length > 1) {
      diagnostics.push(diagnostic('test-invalid', { problem: `\`${e.sink}\` goes to ${byInput.length} sinks`, hint: `name the sink's table instead: ${byInput.map((s) => `\`${s.table}\``).join(', ')}` }, e.span));
      return undefined;
    }
    const names = [...new Set(pipeline.sinks.map((s) => s.input))];
    diagnostics.push(diagnostic('test-unknown-endpoint', { role: 'sink', name: e.sink, pipeline: pipeline.name, candidates: suggestionList(e.sink, names) }, e.span));
    return undefined;
  }
}

function valueError(f: FieldValue, column: ColumnPlan, expected: string): Diagnostic {
  return diagnostic('test-value-type', { column: column.name, type: formatType(column.type), expected }, f.valueSpan);
}

/** A row's key as text, for grouping and for diffs: `(p-1)`, `(2026-01-01T10:00:00, c-7)`. */
export function keyOf(row: CanonicalRow, key: readonly string[]): string {
  return `(${key.map((k) => (typeof row[k] === 'string' ? (row[k] as string) : JSON.stringify(row[k] ?? null))).join(', ')})`;
}
