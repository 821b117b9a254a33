/** Printing diagnostics for the chosen output format (edge: stdout/stderr). */
import { renderGithub, renderHuman, summary, toJson, type SourceLookup } from '../diagnostics/render.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../diagnostics/order.ts';
import { escapeControls } from '../diagnostics/user-text.ts';

export type OutputFormat = 'human' | 'json' | 'github';

/** Where diagnostics point: the files' text (for excerpts) and the `.pipe` files in import order (imported first). */
export interface DiagnosticContext {
  readonly sources: SourceLookup;
  readonly fileOrder: readonly string[];
}

export interface Printer {
  diagnostics(diagnostics: readonly Diagnostic[], context: DiagnosticContext): void;
  /** One line; paths and names in it are the user's, so control characters in it are escaped. */
  info(line: string): void;
}

export function printer(format: OutputFormat, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Printer {
  return {
    diagnostics(diagnostics, { sources, fileOrder }) {
      const sorted = sortDiagnostics(diagnostics, fileOrder);
      switch (format) {
        case 'json':
          out.write(`${JSON.stringify({ diagnostics: sorted.map((d) => toJson(d, sources)), summary: counts(sorted) }, null, 2)}\n`);
          return;
        case 'github':
          // Annotations for the pull request, plus the readable form for the log.
          for (const d of sorted) out.write(`${renderGithub(d, sources)}\n`);
          for (const d of sorted) err.write(`${renderHuman(d, sources)}\n\n`);
          if (sorted.length > 0) err.write(`${summary(sorted)}\n`);
          return;
        case 'human':
          for (const d of sorted) err.write(`${renderHuman(d, sources)}\n\n`);
          if (sorted.length > 0) err.write(`${summary(sorted)}\n`);
          return;
      }
    },
    info(line) {
      // In JSON mode stdout carries only the JSON document.
      (format === 'json' ? err : out).write(`${escapeControls(line)}\n`);
    },
  };
}

function counts(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  return { errors: diagnostics.filter((d) => d.severity === 'error').length, warnings: diagnostics.filter((d) => d.severity === 'warning').length };
}
