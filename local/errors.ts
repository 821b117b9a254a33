/**
 * The one error type of the local stack. The CLI prints `message` and `hint` (what to do), never a stack trace.
 */
export type LocalStackErrorKind =
  | 'config'
  | 'java-missing'
  | 'maven-missing'
  | 'maven-resolve'
  | 'postgres-missing'
  | 'port-taken'
  | 'memory'
  | 'process-exited'
  | 'health-timeout'
  | 'stack-mismatch'
  | 'not-running'
  | 'deploy-failed'
  | 'not-deployed'
  | 'unknown-topic'
  | 'bad-record';

export class LocalStackError extends Error {
  readonly kind: LocalStackErrorKind;
  readonly hint: string;

  constructor(kind: LocalStackErrorKind, message: string, hint: string) {
    super(message);
    this.name = 'LocalStackError';
    this.kind = kind;
    this.hint = hint;
  }
}

export function isLocalStackError(e: unknown): e is LocalStackError {
  return e instanceof LocalStackError;
}
