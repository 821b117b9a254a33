/**
 * Expected vs actual rows of one sink. Append sinks compare as multisets (order does not matter); upsert sinks
 * compare the final row per upsert key (the materialized result, robust to how Flink interleaves updates);
 * `changelog:` expectations compare the exact sequence of changes. Pure.
 */
import type { SinkPlan } from '../plan/plan.ts';
import type { ChangeKind } from './test-file.ts';
import { keyOf, type CanonicalRow, type ResolvedExpectation } from './check-tests.ts';
import { canonicalize, type CanonicalValue } from './values.ts';

export interface ActualChange {
  readonly kind: ChangeKind;
  readonly row: CanonicalRow;
}

export type DiffLine =
  | { readonly kind: 'missing' | 'extra'; readonly key: string | undefined; readonly row: CanonicalRow }
  | { readonly kind: 'changed'; readonly key: string; readonly columns: readonly { readonly column: string; readonly expected: CanonicalValue; readonly actual: CanonicalValue }[] }
  | { readonly kind: 'change'; readonly index: number; readonly expected: ActualChange | undefined; readonly actual: ActualChange | undefined };

export interface SinkOutcome {
  readonly sink: SinkPlan;
  readonly mode: 'rows' | 'final-state' | 'changelog';
  readonly passed: boolean;
  readonly diff: readonly DiffLine[];
  /** What the sink holds at the end, in the expectation's own shape (what --update writes). */
  readonly actualRows: readonly CanonicalRow[];
  readonly actualChanges: readonly ActualChange[];
}

/** The runner's JSON rows in canonical form, by the sink's column types. */
export function canonicalChanges(sink: SinkPlan, raw: readonly { readonly kind: string; readonly row: Readonly<Record<string, unknown>> }[]): ActualChange[] {
  return raw.map((c) => {
    const row: Record<string, CanonicalValue> = {};
    for (const col of sink.columns) {
      const raw = c.row[col.name] ?? null;
      const v = canonicalize(raw, { ...col.type, nullable: true });
      // A value pipec cannot read back (a type tests cannot spell) still shows in the diff, as Flink printed it.
      row[col.name] = v.ok ? v.value : JSON.stringify(raw);
    }
    return { kind: c.kind as ChangeKind, row };
  });
}

const same = (a: CanonicalValue, b: CanonicalValue): boolean => JSON.stringify(a) === JSON.stringify(b);
const rowText = (row: CanonicalRow): string => JSON.stringify(row);

/**
 * The final row per key of an upsert sink, in first-seen key order. A `-U` removes the key like a `-D`, as the
 * upsert-kafka sink writes it (a tombstone): the planner sends one without a following `+U` when an update
 * leaves the stream, e.g. a row filtered out after the update.
 */
export function finalState(sink: SinkPlan, changes: readonly ActualChange[]): CanonicalRow[] {
  const state = new Map<string, CanonicalRow>();
  for (const c of changes) {
    const key = keyOf(c.row, sink.keyColumns);
    if (c.kind === '-D' || c.kind === '-U') state.delete(key);
    else state.set(key, c.row);
  }
  return [...state.values()];
}

export function compareSink(expectation: ResolvedExpectation, actual: readonly ActualChange[]): SinkOutcome {
  const sink = expectation.sink;
  const expected = expectation.expected;
  if (expected.mode === 'changelog') {
    const diff: DiffLine[] = [];
    for (let i = 0; i < Math.max(expected.changes.length, actual.length); i++) {
      const e = expected.changes[i];
      const a = actual[i];
      if (!e || !a || e.kind !== a.kind || rowText(e.row) !== rowText(a.row)) diff.push({ kind: 'change', index: i, expected: e, actual: a });
    }
    return { sink, mode: 'changelog', passed: diff.length === 0, diff, actualRows: finalOrRows(sink, actual), actualChanges: actual };
  }
  if (sink.upsert) {
    const rows = finalState(sink, actual);
    const byKey = new Map(rows.map((r) => [keyOf(r, sink.keyColumns), r]));
    const diff: DiffLine[] = [];
    const seen = new Set<string>();
    for (const e of expected.rows) {
      const key = keyOf(e, sink.keyColumns);
      seen.add(key);
      const a = byKey.get(key);
      if (!a) diff.push({ kind: 'missing', key, row: e });
      else {
        const columns = sink.columns.filter((c) => !same(e[c.name] ?? null, a[c.name] ?? null)).map((c) => ({ column: c.name, expected: e[c.name] ?? null, actual: a[c.name] ?? null }));
        if (columns.length > 0) diff.push({ kind: 'changed', key, columns });
      }
    }
    for (const [key, a] of byKey) if (!seen.has(key)) diff.push({ kind: 'extra', key, row: a });
    return { sink, mode: 'final-state', passed: diff.length === 0, diff, actualRows: rows, actualChanges: actual };
  }
  const rows = actual.filter((c) => c.kind === '+I').map((c) => c.row);
  const remaining = new Map<string, number>();
  for (const a of rows) remaining.set(rowText(a), (remaining.get(rowText(a)) ?? 0) + 1);
  const diff: DiffLine[] = [];
  for (const e of expected.rows) {
    const n = remaining.get(rowText(e)) ?? 0;
    if (n > 0) remaining.set(rowText(e), n - 1);
    else diff.push({ kind: 'missing', key: undefined, row: e });
  }
  for (const a of rows) {
    const n = remaining.get(rowText(a)) ?? 0;
    if (n > 0) {
      remaining.set(rowText(a), n - 1);
      diff.push({ kind: 'extra', key: undefined, row: a });
    }
  }
  return { sink, mode: 'rows', passed: diff.length === 0, diff, actualRows: rows, actualChanges: actual };
}

function finalOrRows(sink: SinkPlan, actual: readonly ActualChange[]): CanonicalRow[] {
  return sink.upsert ? finalState(sink, actual) : actual.filter((c) => c.kind === '+I').map((c) => c.row);
}
