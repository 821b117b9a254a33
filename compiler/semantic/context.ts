/** The binder's shared state: where diagnostics go. Reporting never throws; binding continues with poison types. */
import { diagnostic, type Diagnostic, type DiagnosticOptions } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode, DiagnosticParams } from '../diagnostics/messages.ts';
import type { Span } from '../source/source.ts';

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  report<C extends DiagnosticCode>(code: C, params: DiagnosticParams[C], span: Span | undefined, options?: DiagnosticOptions): void {
    this.diagnostics.push(diagnostic(code, params, span, options));
  }
}
