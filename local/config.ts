/**
 * Reading the `local:` section of pipec.yaml for the local stack (its schema: compiler/config/local-stack.ts).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { localStackConfigSchema, type LocalStackConfig } from '../compiler/config/local-stack.ts';
import { describeIssue } from '../compiler/diagnostics/validation-issues.ts';
import { LocalStackError } from './errors.ts';

export function parseLocalStackConfig(input: unknown, where = 'local'): LocalStackConfig {
  const parsed = localStackConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const described = first ? describeIssue(first, input ?? {}) : undefined;
    const path = described?.path ? `${where}.${described.path}` : where;
    throw new LocalStackError('config', `invalid ${path}: ${described?.problem ?? 'invalid value'}`, described?.hint ?? 'fix the `local:` section of pipec.yaml (see docs/local-stack.md)');
  }
  return parsed.data;
}

/** Reads the `local:` section of a pipec.yaml (the rest of the file is the compiler's business). */
export function loadLocalConfigFile(path: string): LocalStackConfig {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new LocalStackError('config', `cannot read ${path}: ${(e as Error).message}`, 'check the path and the YAML syntax');
  }
  const local = typeof doc === 'object' && doc !== null && 'local' in doc ? (doc as { local: unknown }).local : undefined;
  return parseLocalStackConfig(local, `${path}: local`);
}

export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

export function resolveFrom(base: string, p: string): string {
  const e = expandHome(p);
  return isAbsolute(e) ? e : resolve(base, e);
}

export function defaultCacheDir(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'pipec', 'local');
}
