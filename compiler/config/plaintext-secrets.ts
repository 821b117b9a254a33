/**
 * Credentials in pipec.yaml are references (`${env:NAME}`, `${file:path:key}`), never values: the file is
 * committed with the project. Covers every connection setting and `kafka.properties`, in the base and in
 * each environment. Which keys and values are credentials: stdlib/credentials.ts. Pure.
 */
import { plaintextCredential, type PlaintextCredential } from '../../stdlib/credentials.ts';
import type { ProjectConfig } from './schema.ts';

export interface PlaintextSetting {
  /** Where it is in the YAML, e.g. `['environments', 'prod', 'connections', 'search', 'url']`. */
  readonly path: readonly string[];
  readonly found: PlaintextCredential;
}

interface Settings {
  readonly connections?: ProjectConfig['connections'] | undefined;
  readonly kafka?: { readonly properties?: Readonly<Record<string, string>> | undefined } | undefined;
}

export function plaintextSettings(config: ProjectConfig): PlaintextSetting[] {
  return [
    ...inSettings(config, []),
    ...Object.entries(config.environments).flatMap(([env, settings]) => inSettings(settings, ['environments', env])),
  ];
}

function inSettings(settings: Settings, at: readonly string[]): PlaintextSetting[] {
  const out: PlaintextSetting[] = [];
  const visit = (path: readonly string[], key: string, value: unknown): void => {
    if (typeof value === 'string') {
      const found = plaintextCredential(key, value);
      if (found) out.push({ path, found });
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) visit([...path, k], k, v);
    }
  };
  for (const [name, connection] of Object.entries(settings.connections ?? {})) visit([...at, 'connections', name], name, connection);
  for (const [key, value] of Object.entries(settings.kafka?.properties ?? {})) visit([...at, 'kafka', 'properties', key], key, value);
  return out;
}
