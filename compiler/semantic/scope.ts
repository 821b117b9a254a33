/** Column lookup over a query's inputs: qualified (`p.amount`) and unqualified (`amount`) references. */
import type { BoundInput, Column, RelationType } from './bound.ts';
import { nameKey } from '../project/modules.ts';

/**
 * False when an earlier error left the relation's columns unknown or untyped (a poisoned relation): a name it
 * does not have may be a column the error hides, so it is not reported again.
 */
export function columnsKnown(type: RelationType): boolean {
  return type.columnsUnknown !== true && !type.columns.some((c) => c.type.kind === 'ERROR');
}

export type ColumnLookup =
  | { readonly kind: 'found'; readonly input: number; readonly column: Column }
  | { readonly kind: 'ambiguous'; readonly inputs: readonly string[] }
  /** `poisoned`: not found, but an input the name could belong to has columns an earlier error hides. */
  | { readonly kind: 'not-found'; readonly candidates: readonly string[]; readonly poisoned: boolean }
  | { readonly kind: 'unknown-qualifier' };

export function findColumn(inputs: readonly BoundInput[], qualifier: string | undefined, name: string): ColumnLookup {
  const key = nameKey(name);
  if (qualifier !== undefined) {
    const index = inputs.findIndex((i) => nameKey(i.alias) === nameKey(qualifier));
    const input = inputs[index];
    if (!input) return { kind: 'unknown-qualifier' };
    const column = input.type.columns.find((c) => nameKey(c.name) === key);
    return column ? { kind: 'found', input: index, column } : { kind: 'not-found', candidates: input.type.columns.map((c) => c.name), poisoned: !columnsKnown(input.type) };
  }
  const hits: { input: number; column: Column }[] = [];
  inputs.forEach((input, index) => {
    const column = input.type.columns.find((c) => nameKey(c.name) === key);
    if (column) hits.push({ input: index, column });
  });
  const [first] = hits;
  if (hits.length === 1 && first) return { kind: 'found', input: first.input, column: first.column };
  if (hits.length > 1) return { kind: 'ambiguous', inputs: hits.map((h) => inputs[h.input]?.alias ?? '') };
  return { kind: 'not-found', candidates: inputs.flatMap((i) => i.type.columns.map((c) => c.name)), poisoned: inputs.some((i) => !columnsKnown(i.type)) };
}
