/**
 * Integration global setup: starts the real local stack once per run, hands its endpoints to the test files
 * (`inject('pipecLocal')`), and always stops it at the end, also when tests fail or the start fails halfway.
 *
 * Environment:
 * - PIPEC_LOCAL_EXTERNAL=1   use an already running stack (`pipec local up`) and leave it running.
 * - PIPEC_LOCAL_FLINK=2.2    start the Flink 2.2 line instead of 1.20.
 * - PIPEC_LOCAL_CONFIG=file  a pipec.yaml whose `local:` section to use (ports, folder, memory).
 */
import type { TestProject } from 'vitest/node';
import type { LocalEndpoints } from '../../local/index.ts';
import { down, up } from '../../local/index.ts';
import { explainStackError, externalStack, stackOptionsFromEnv } from '../helpers/local-stack-env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pipecLocal: LocalEndpoints;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const options = stackOptionsFromEnv();
  if (process.env['PIPEC_LOCAL_EXTERNAL'] === '1') {
    project.provide('pipecLocal', (await externalStack(options)).endpoints);
    return async () => {};
  }

  let stopping: Promise<unknown> | undefined;
  const teardown = async (): Promise<void> => {
    stopping ??= down(options).then(
      (r) => process.stderr.write(`[pipec local] stopped ${r.stopped.map((s) => `${s.process}(${s.how})`).join(', ')}\n`),
      (e: unknown) => process.stderr.write(`[pipec local] down failed: ${explainStackError(e).message}\n`),
    );
    await stopping;
  };
  // Ctrl-C or a killed runner must not leave five JVMs behind.
  const onSignal = (sig: NodeJS.Signals): void => {
    void teardown().finally(() => process.kill(process.pid, sig));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const t0 = Date.now();
  try {
    const res = await up(options, (p) => {
      if (p.kind === 'resolved' || p.kind === 'starting' || p.kind === 'healthy') process.stderr.write(`[pipec local] ${p.kind} ${'component' in p ? p.component : 'process' in p ? p.process : p.service}\n`);
    });
    process.stderr.write(`[pipec local] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (Flink ${res.flinkVersion}${res.alreadyRunning ? ', was already running' : ''})\n`);
    project.provide('pipecLocal', res.endpoints);
  } catch (e) {
    await teardown();
    throw explainStackError(e);
  }
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown();
  };
}
