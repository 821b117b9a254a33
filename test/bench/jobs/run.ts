/**
 * Runs one prepared variant on the stack and measures it from Flink's own bookkeeping (REST): the job's
 * start and end times, and the checkpointed state size. Several jobs (one per sink) are submitted at the
 * same time from their own sessions, as a deployer would, and measured from the first start to the last end.
 */
import { z } from 'zod';
import { HttpClient } from '../../../clients/http.ts';
import type { SqlGatewayClient } from '../../../clients/sql-gateway.ts';
import { FlinkRestClient } from '../../../clients/flink-rest.ts';
import { processCpuSeconds } from './process-cpu.ts';
import type { PreparedJob, PreparedRun } from './prepare.ts';

const jobDetailsSchema = z.object({
  jid: z.string(),
  state: z.string(),
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
});

const statsSchema = z.object({ max: z.number() }).partial();
const checkpointingSchema = z.object({
  counts: z.object({ completed: z.number(), failed: z.number() }),
  summary: z.object({ state_size: statsSchema.optional(), checkpointed_size: statsSchema.optional() }).partial(),
});

export interface RunMeasurement {
  readonly jobIds: readonly string[];
  /** First job start to last job end, as the JobManager recorded them. */
  readonly durationMs: number;
  /** The largest completed checkpoint's full state size, summed over the jobs. */
  readonly stateBytes: number;
  readonly checkpoints: number;
  /** CPU time the Flink JVM used from submitting the INSERTs (their planning included) to the jobs' end. */
  readonly cpuSeconds: number;
}

const FINAL = new Set(['FINISHED', 'FAILED', 'CANCELED']);

async function openWithSetup(gateway: SqlGatewayClient, job: PreparedJob, sessions: string[]): Promise<{ session: string; job: PreparedJob }> {
  const session = await gateway.openSession();
  sessions.push(session);
  for (const statement of job.setup) await gateway.execute(session, statement);
  return { session, job };
}

export async function runPrepared(gateway: SqlGatewayClient, flinkRestUrl: string, flinkPid: number, run: PreparedRun, timeoutMs = 20 * 60_000): Promise<RunMeasurement> {
  const rest = new HttpClient(flinkRestUrl);
  const sessions: string[] = [];
  let jobIds: string[] = [];
  let cpuSeconds = Number.NaN;
  try {
    // Sessions and DDL first, then every job at once: the CPU count covers the INSERTs' planning and the jobs.
    const opened = await Promise.all(run.jobs.map((job) => openWithSetup(gateway, job, sessions)));
    const cpuBefore = processCpuSeconds(flinkPid);
    jobIds = await Promise.all(opened.map(({ session, job }) => gateway.executeInsert(session, job.statement)));
    // Restarts (checkpointing on) would hide a failure behind RUNNING; any exception ends the run.
    for (const deadline = Date.now() + timeoutMs; ; ) {
      const states = await Promise.all(jobIds.map(async (id) => (await rest.get(`/jobs/${id}`, jobDetailsSchema)).state));
      for (const id of jobIds) {
        const failure = await new FlinkRestClient(flinkRestUrl).failureCause(id);
        if (failure) throw new Error(`job ${id} failed: ${failure}`);
      }
      if (states.every((s) => FINAL.has(s))) {
        if (states.some((s) => s !== 'FINISHED')) throw new Error(`jobs ended ${states.join(', ')}`);
        cpuSeconds = processCpuSeconds(flinkPid) - cpuBefore;
        break;
      }
      if (Date.now() > deadline) throw new Error(`jobs not finished after ${timeoutMs / 1000} s: ${states.join(', ')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const details = await Promise.all(jobIds.map((id) => rest.get(`/jobs/${id}`, jobDetailsSchema)));
    const checkpoints = await Promise.all(jobIds.map((id) => rest.get(`/jobs/${id}/checkpoints`, checkpointingSchema)));
    return {
      jobIds,
      durationMs: Math.max(...details.map((d) => d['end-time'])) - Math.min(...details.map((d) => d['start-time'])),
      stateBytes: checkpoints.reduce((sum, c) => sum + (c.summary.state_size?.max ?? 0), 0),
      checkpoints: checkpoints.reduce((sum, c) => sum + c.counts.completed, 0),
      cpuSeconds,
    };
  } catch (e) {
    for (const id of jobIds) await rest.request('PATCH', `/jobs/${id}`, { query: { mode: 'cancel' }, ok: () => true }).catch(() => undefined);
    throw e;
  } finally {
    for (const session of sessions) await gateway.closeSession(session).catch(() => undefined);
  }
}
