/**
 * Engine versions besides Flink's, read from local/pom.xml: the pom is the one place they are pinned, so the
 * TypeScript side never repeats a version number. Flink's are in stdlib/flink-lines.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LocalStackError } from './errors.ts';

export const pomPath = fileURLToPath(new URL('./pom.xml', import.meta.url));

export interface EngineVersions {
  kafka: string;
  debezium: string;
  debeziumJdbc: string;
  apicurio: string;
}

function property(pom: string, name: string): string {
  const m = new RegExp(`<${name.replace(/\./g, '\\.')}>([^<$]+)</`).exec(pom);
  if (!m?.[1]) {
    throw new LocalStackError('config', `local/pom.xml has no <${name}> property`, 'restore local/pom.xml from the repository');
  }
  return m[1].trim();
}

export function readEngineVersions(path = pomPath): EngineVersions {
  const pom = readFileSync(path, 'utf8');
  return {
    kafka: property(pom, 'kafka.version'),
    debezium: property(pom, 'debezium.version'),
    debeziumJdbc: property(pom, 'debezium.jdbc.version'),
    apicurio: property(pom, 'apicurio.version'),
  };
}
