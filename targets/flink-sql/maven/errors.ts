/**
 * The one error type of the Flink planner harness. It is about the harness itself (no Java, no Maven, a jar
 * Maven cannot resolve, a JVM that died); a job that Flink rejects is a result with `ok: false`, never an error.
 */
export type PlannerHarnessErrorKind =
  | 'java-missing'
  | 'maven-missing'
  | 'maven-resolve'
  | 'javac'
  | 'jvm'
  | 'output';

export class PlannerHarnessError extends Error {
  readonly kind: PlannerHarnessErrorKind;
  /** What to do about it. */
  readonly hint: string;
  /** The tail of the failing tool's output, for debugging. */
  readonly detail: string;

  constructor(kind: PlannerHarnessErrorKind, message: string, hint: string, detail = '') {
    super(message);
    this.name = 'PlannerHarnessError';
    this.kind = kind;
    this.hint = hint;
    this.detail = detail;
  }
}

export function isPlannerHarnessError(e: unknown): e is PlannerHarnessError {
  return e instanceof PlannerHarnessError;
}
