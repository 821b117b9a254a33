/**
 * The local stack the integration tests and the benchmarks use, chosen by environment:
 * - PIPEC_LOCAL_CONFIG=file  a pipec.yaml whose `local:` section to use (ports, folder, memory);
 * - PIPEC_LOCAL_FLINK=2.2    the Flink line to start instead of 1.20.
 * (PIPEC_LOCAL_EXTERNAL=1, "use the running stack and leave it running", is read by each caller.)
 */
import type { LocalEndpoints, LocalStackOptions, ServiceStatus } from '../../local/index.ts';
import { isLocalStackError, loadLocalConfigFile, status } from '../../local/index.ts';
import { flinkLineSchema } from '../../stdlib/flink-lines.ts';

export function stackOptionsFromEnv(): LocalStackOptions {
  const file = process.env['PIPEC_LOCAL_CONFIG'];
  const flink = process.env['PIPEC_LOCAL_FLINK'];
  return {
    ...(file ? { config: loadLocalConfigFile(file) } : {}),
    ...(flink ? { flink: flinkLineSchema.parse(flink) } : {}),
  };
}

/** PIPEC_LOCAL_EXTERNAL=1: the running stack, which must be healthy in every service. */
export async function externalStack(options: LocalStackOptions): Promise<{ endpoints: LocalEndpoints; services: readonly ServiceStatus[] }> {
  const s = await status(options);
  const bad = s.services.filter((x) => x.health !== 'healthy');
  if (!s.running || !s.endpoints || bad.length > 0) {
    throw new Error(`PIPEC_LOCAL_EXTERNAL=1 but the local stack is not healthy (${bad.map((x) => `${x.service}: ${x.health}`).join(', ') || 'not running'}); run \`pipec local up\``);
  }
  return { endpoints: s.endpoints, services: s.services };
}

/** A local stack failure as one error whose message carries the hint. */
export function explainStackError(e: unknown): Error {
  return isLocalStackError(e) ? new Error(`pipec local: ${e.message}\n  hint: ${e.hint}`) : (e as Error);
}
