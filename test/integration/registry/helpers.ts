/** Shared by the registry integration tests: unique subject names and schema fixtures. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { createHttpRegistry, type HttpRegistry } from '../../../compiler/schemas/http-registry.ts';

/** A per-run suffix, so re-runs against a long-lived registry never collide. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

const fixtures = fileURLToPath(new URL('../../unit/schemas/fixtures/', import.meta.url));

export function fixture(path: string): string {
  return readFileSync(`${fixtures}${path}`, 'utf8');
}

export function client(url: string, extra: Partial<Parameters<typeof createHttpRegistry>[0]> = {}): HttpRegistry {
  return createHttpRegistry({ url, retries: 3, backoffMs: 20, timeoutMs: 5_000, ...extra });
}

export function brief(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}: ${d.message}`);
}

/** Registers or fails the test with the registry's answer. */
export async function register(registry: HttpRegistry, subject: string, payload: Parameters<HttpRegistry['register']>[1]): Promise<number> {
  const result = await registry.register(subject, payload);
  if (!result.ok) throw new Error(`registering ${subject} failed: ${JSON.stringify(result.failure)}`);
  return result.value;
}
