/** Shared by the schema tests: fixture files and compact row printing. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { formatType, type RowField } from '../../../compiler/types/types.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixture(path: string): string {
  return readFileSync(`${fixtures}${path}`, 'utf8');
}

export function fixturePath(path: string): string {
  return `${fixtures}${path}`;
}

/** One `name TYPE` line per column, nested rows spelled inline as Flink does. */
export function columns(row: readonly RowField[]): string[] {
  return row.map((f) => `${f.name} ${formatType(f.type)}`);
}

/** `code: message` for compact assertions. */
export function brief(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}: ${d.message}`);
}
