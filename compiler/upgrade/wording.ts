/**
 * The upgrade classifier's words: how a change is named in its verdict (operators, keys, windows, aggregates,
 * changelogs). Pure.
 */
import type { PlanExpr, SourcePlan } from '../plan/plan.ts';
import type { OperatorKind, WindowShape } from './analysis.ts';
import { canon } from './canonical.ts';

export const KIND_WORDS: Readonly<Record<OperatorKind, string>> = {
  'group-aggregate': 'aggregate',
  'window-aggregate': 'window aggregate',
  distinct: 'distinct',
  join: 'join',
  rank: 'rank',
};

export function show(v: string | undefined): string {
  return v === undefined ? '(none)' : `'${v}'`;
}

export function describeChangelog(s: SourcePlan): string {
  const c = s.changelog;
  return c.kind === 'append' ? 'append' : `updating by (${(c.key ?? s.primaryKey).join(', ')})`;
}

export function keyNames(keys: readonly PlanExpr[]): string {
  return keys.map(exprText).join(', ');
}

function exprText(e: PlanExpr): string {
  switch (e.kind) {
    case 'column':
      return e.column;
    case 'call':
      return `${e.function}(${e.distinct ? 'distinct ' : ''}${e.star ? '*' : e.args.map(exprText).join(', ')})`;
    case 'literal':
      return e.text;
    default:
      return e.kind;
  }
}

export function windowText(w: WindowShape | undefined): string {
  if (!w) return 'none';
  return `${w.function}(${w.time}, ${w.sizes.map((m) => `${m} ms`).join(', ')})`;
}

export function aggregateChange(before: readonly PlanExpr[], after: readonly PlanExpr[]): string {
  const a = before.map(exprText);
  const b = after.map(exprText);
  const added = b.filter((x) => !a.includes(x));
  const removed = a.filter((x) => !b.includes(x));
  const distinct = [...added, ...removed].some((x) => x.includes('(distinct '));
  const reordered = added.length === 0 && removed.length === 0 && a.length === b.length && a.join() !== b.join() ? `reordered from ${a.join(', ')} to ${b.join(', ')}` : '';
  const parts = [added.length > 0 ? `added ${added.join(', ')}` : '', removed.length > 0 ? `removed ${removed.join(', ')}` : '', reordered].filter(Boolean).join('; ');
  return `aggregates changed (${parts || 'arguments or types'})${distinct ? ': distinct aggregates keep per-value state' : ': a group\'s accumulators are one row, one field per aggregate in the order written, which Flink restores by position'}`;
}

/** A part's canonical text, cut to 80 characters. */
export function short(part: unknown): string {
  const t = canon(part);
  return t.length > 80 ? `${t.slice(0, 77)}…` : t;
}
