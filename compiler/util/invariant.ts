/** A broken internal assumption: a pipec bug, never a user error (user errors are diagnostics). */
export class InternalCompilerError extends Error {
  constructor(message: string) {
    super(`internal compiler error: ${message} (please report this as a pipec bug)`);
    this.name = 'InternalCompilerError';
  }
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalCompilerError(message);
}

export function assertNever(value: never, what = 'value'): never {
  throw new InternalCompilerError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
