/**
 * Apicurio Registry 3.x (the released Quarkus app), serving the Confluent Schema Registry API at
 * /apis/ccompat/v7. Storage is its default in-memory H2: the stack's data is thrown away at `down` anyway.
 * Confluent defaults to BACKWARD compatibility and Apicurio to none, so `up` sets BACKWARD globally.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStackError } from '../errors.ts';
import type { ProcessDef } from './types.ts';
import { httpProbe, jvmBase, jvmMarker } from './types.ts';

export const ccompatPath = '/apis/ccompat/v7';

export const schemaRegistry: ProcessDef = {
  name: 'schema-registry',
  ports: ['schema_registry'],
  dependsOn: [],
  stopSignal: 'SIGTERM',
  graceMs: 15_000,
  marker: (paths) => jvmMarker('schema-registry', paths),

  async prepare(ctx) {
    const { paths, config } = ctx;
    const work = join(paths.data, 'schema-registry');
    mkdirSync(work, { recursive: true });
    const props: Record<string, string> = {
      'quarkus.http.host': '127.0.0.1',
      'quarkus.http.port': String(config.ports.schema_registry),
      // Its management interface would take port 9000; health is served on the main port instead.
      'quarkus.management.enabled': 'false',
      // …but that switch is fixed when Apicurio is built, so it still binds one: keep it off 9000, beside the main port.
      'quarkus.management.host': '127.0.0.1',
      'quarkus.management.port': String(config.ports.schema_registry + 1000),
      'quarkus.log.console.color': 'false',
      // Confluent's API lets clients delete subjects and versions; Apicurio needs that switched on.
      'apicurio.rest.deletion.artifact.enabled': 'true',
      'apicurio.rest.deletion.artifact-version.enabled': 'true',
      'apicurio.rest.deletion.group.enabled': 'true',
    };
    return {
      command: ctx.registryJava.java,
      args: [...jvmBase('schema-registry', paths, config.memory_mb.schema_registry), ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`), '-jar', join(ctx.jars.apicurio, 'quarkus-run.jar')],
      cwd: work,
      logFile: join(paths.logs, 'schema-registry.log'),
    };
  },

  async afterHealthy(ctx) {
    const url = `http://127.0.0.1:${ctx.config.ports.schema_registry}${ccompatPath}/config`;
    const res = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ compatibility: 'BACKWARD' }), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new LocalStackError('process-exited', `PUT ${url} answered HTTP ${res.status}: ${await res.text()}`, 'see pipec local logs schema-registry');
  },

  checks(config) {
    return [{ service: 'schema-registry', port: 'schema_registry', probe: () => httpProbe(`http://127.0.0.1:${config.ports.schema_registry}${ccompatPath}/subjects`) }];
  },
};
