/**
 * The local stack the job benchmark runs on, chosen like the integration tests' global setup does:
 * - PIPEC_LOCAL_EXTERNAL=1   use the running stack (`pipec local up`) and leave it running;
 * - otherwise start one (or find it already running) and stop it at the end only if this run started it.
 * PIPEC_LOCAL_CONFIG names a pipec.yaml whose `local:` section to use; PIPEC_LOCAL_FLINK=2.2 the Flink line.
 */
import type { LocalEndpoints, ServiceStatus } from '../../../local/index.ts';
import { down, up } from '../../../local/index.ts';
import { explainStackError, externalStack, stackOptionsFromEnv } from '../../helpers/local-stack-env.ts';

export interface BenchStack {
  readonly endpoints: LocalEndpoints;
  /** The JVM that runs Flink (JobManager, TaskManager and SQL Gateway in one process). */
  readonly flinkPid: number;
  /** Stops the stack if this process started it; does nothing otherwise. */
  readonly release: () => Promise<void>;
}

function flinkPid(services: readonly ServiceStatus[]): number {
  const pid = services.find((x) => x.service === 'flink')?.pid;
  if (pid === undefined) throw new Error('the local stack reports no pid for flink');
  return pid;
}

export async function acquireStack(log: (line: string) => void): Promise<BenchStack> {
  const options = stackOptionsFromEnv();
  if (process.env['PIPEC_LOCAL_EXTERNAL'] === '1') {
    const s = await externalStack(options);
    return { endpoints: s.endpoints, flinkPid: flinkPid(s.services), release: async () => {} };
  }
  const t0 = Date.now();
  try {
    const res = await up(options, (p) => {
      if (p.kind === 'healthy') log(`[pipec local] healthy ${p.service}`);
    });
    log(`[pipec local] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (Flink ${res.flinkVersion}${res.alreadyRunning ? ', was already running' : ''})`);
    // A stack that was already up belongs to someone else: leave it as found.
    return { endpoints: res.endpoints, flinkPid: flinkPid(res.services), release: res.alreadyRunning ? async () => {} : async () => void (await down(options)) };
  } catch (e) {
    throw explainStackError(e);
  }
}
