/** The binder's shared state: where diagnostics go. Reporting never throws; binding continues with poison types. */
import { diagnostic, type Diagnostic, type DiagnosticOptions } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode, DiagnosticParams } from '../diagnostics/messages.ts';
import type { Span } from '../source/source.ts';

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly reported = new Set<object>();

  /** Reports about `about` (e.g. one source column) only the first time it is met. */
  reportOnce<C extends DiagnosticCode>(about: object, code: C, params: DiagnosticParams[C], span: Span | undefined, options?: DiagnosticOptions): void {
    if (this.reported.has(about)) return;
    this.reported.add(about);
    this.report(code, params, span, options);
  }

  report<C extends DiagnosticCode>(code: C, params: DiagnosticParams[C], span: Span | undefined, options?: DiagnosticOptions): void {
    this.diagnostics.push(diagnostic(code, params, span, options));
  }
}
