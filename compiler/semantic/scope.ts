/** Column lookup over a query's inputs: qualified (`p.amount`) and unqualified (`amount`) references. */
import type { BoundInput, Column } from './bound.ts';
import { nameKey } from '../project/modules.ts';

export type ColumnLookup =
  | { readonly kind: 'found'; readonly input: number; readonly column: Column }
  | { readonly kind: 'ambiguous'; readonly inputs: readonly string[] }
  | { readonly kind: 'not-found'; readonly candidates: readonly string[] }
  | { readonly kind: 'unknown-qualifier' };

export function findColumn(inputs: readonly BoundInput[], qualifier: string | undefined, name: string): ColumnLookup {
  const key = nameKey(name);
  if (qualifier !== undefined) {
    const index = inputs.findIndex((i) => nameKey(i.alias) === nameKey(qualifier));
    const input = inputs[index];
    if (!input) return { kind: 'unknown-qualifier' };
    const column = input.type.columns.find((c) => nameKey(c.name) === key);
    return column ? { kind: 'found', input: index, column } : { kind: 'not-found', candidates: input.type.columns.map((c) => c.name) };
  }
  const hits: { input: number; column: Column }[] = [];
  inputs.forEach((input, index) => {
    const column = input.type.columns.find((c) => nameKey(c.name) === key);
    if (column) hits.push({ input: index, column });
  });
  const [first] = hits;
  if (hits.length === 1 && first) return { kind: 'found', input: first.input, column: first.column };
  if (hits.length > 1) return { kind: 'ambiguous', inputs: hits.map((h) => inputs[h.input]?.alias ?? '') };
  return { kind: 'not-found', candidates: inputs.flatMap((i) => i.type.columns.map((c) => c.name)) };
}
