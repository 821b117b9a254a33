/**
 * Flink (JobManager) REST client: cluster overview, jobs, savepoints and stop-with-savepoint, checkpoints.
 * Note the request bodies' spelling: stop takes camelCase (`targetDirectory`), savepoints takes hyphens
 * (`target-directory`, `cancel-job`).
 */
import { z } from 'zod';
import { RestClient, poll } from './http.ts';

const overviewSchema = z.object({
  taskmanagers: z.number(),
  'slots-total': z.number(),
  'slots-available': z.number(),
  'jobs-running': z.number(),
  'flink-version': z.string(),
});

const jobOverviewSchema = z.object({ jid: z.string(), name: z.string(), state: z.string(), 'start-time': z.number().optional() });
const jobsOverviewSchema = z.object({ jobs: z.array(jobOverviewSchema) });
const vertexSchema = z.object({ name: z.string(), status: z.string(), parallelism: z.number().optional() });
const jobSchema = z.object({ jid: z.string(), name: z.string(), state: z.string(), vertices: z.array(vertexSchema).optional() });
const exceptionsSchema = z.object({ exceptionHistory: z.object({ entries: z.array(z.object({ exceptionName: z.string().optional(), stacktrace: z.string().optional(), timestamp: z.number().optional() })).optional() }).optional() });
const triggerSchema = z.object({ 'request-id': z.string() });
/** A 404's error body parses too (no interval). */
const checkpointConfigSchema = z.object({ interval: z.number().optional() });

const savepointStatusSchema = z.object({
  status: z.object({ id: z.enum(['IN_PROGRESS', 'COMPLETED']) }),
  operation: z.object({ location: z.string().optional(), 'failure-cause': z.object({ 'stack-trace': z.string().optional(), class: z.string().optional() }).passthrough().optional() }).optional(),
});

const restoredSchema = z.object({ id: z.number(), restore_timestamp: z.number(), is_savepoint: z.boolean(), external_path: z.string().nullish() });
const completedSchema = z.object({ id: z.number(), external_path: z.string().nullish(), is_savepoint: z.boolean().optional(), latest_ack_timestamp: z.number().optional() });
const checkpointsSchema = z.object({
  counts: z.object({ restored: z.number(), total: z.number(), completed: z.number(), failed: z.number(), in_progress: z.number() }),
  latest: z.object({ restored: restoredSchema.nullish(), completed: completedSchema.nullish(), savepoint: completedSchema.nullish() }),
});

export type FlinkOverview = z.infer<typeof overviewSchema>;
export type FlinkJobOverview = z.infer<typeof jobOverviewSchema>;
export type FlinkCheckpoints = z.infer<typeof checkpointsSchema>;
export type SavepointStatus = { state: 'in-progress' } | { state: 'completed'; location: string } | { state: 'failed'; cause: string };

export class FlinkRestClient extends RestClient {
  constructor(baseUrl: string, options: { timeoutMs?: number } = {}) {
    super(baseUrl, { timeoutMs: options.timeoutMs ?? 30_000 });
  }

  overview(): Promise<FlinkOverview> {
    return this.http.get('/overview', overviewSchema);
  }

  async jobs(): Promise<FlinkJobOverview[]> {
    return (await this.http.get('/jobs/overview', jobsOverviewSchema)).jobs;
  }

  job(jobId: string): Promise<z.infer<typeof jobSchema>> {
    return this.http.get(`/jobs/${jobId}`, jobSchema);
  }

  /** Stops the job after a savepoint (drain=true also flushes event time to the end). Returns the trigger id. */
  async stopWithSavepoint(jobId: string, options: { targetDirectory?: string; drain?: boolean } = {}): Promise<string> {
    const res = await this.http.request('POST', `/jobs/${jobId}/stop`, { body: { drain: options.drain ?? false, ...(options.targetDirectory ? { targetDirectory: options.targetDirectory } : {}) }, schema: triggerSchema });
    return res.data['request-id'];
  }

  async triggerSavepoint(jobId: string, options: { targetDirectory?: string; cancelJob?: boolean } = {}): Promise<string> {
    const res = await this.http.request('POST', `/jobs/${jobId}/savepoints`, { body: { 'cancel-job': options.cancelJob ?? false, ...(options.targetDirectory ? { 'target-directory': options.targetDirectory } : {}) }, schema: triggerSchema });
    return res.data['request-id'];
  }

  async savepointStatus(jobId: string, triggerId: string): Promise<SavepointStatus> {
    const s = await this.http.get(`/jobs/${jobId}/savepoints/${triggerId}`, savepointStatusSchema);
    if (s.status.id === 'IN_PROGRESS') return { state: 'in-progress' };
    const failure = s.operation?.['failure-cause'];
    if (failure || !s.operation?.location) return { state: 'failed', cause: failure?.['stack-trace']?.split('\n')[0] ?? failure?.class ?? 'no location reported' };
    return { state: 'completed', location: s.operation.location };
  }

  /** Waits for a savepoint (or stop-with-savepoint) trigger and returns the savepoint's location. */
  async awaitSavepoint(jobId: string, triggerId: string, timeoutMs = 120_000): Promise<string> {
    const status = await poll(`savepoint ${triggerId} of job ${jobId} at ${this.baseUrl}`, timeoutMs, async () => {
      const s = await this.savepointStatus(jobId, triggerId);
      return s.state === 'in-progress' ? undefined : s;
    });
    if (status.state === 'failed') throw new Error(`savepoint of job ${jobId} failed: ${status.cause}`);
    if (status.state !== 'completed') throw new Error(`savepoint of job ${jobId} did not complete`);
    return status.location;
  }

  checkpoints(jobId: string): Promise<FlinkCheckpoints> {
    return this.http.get(`/jobs/${jobId}/checkpoints`, checkpointsSchema);
  }

  /** Whether the job takes periodic checkpoints (Flink answers 404 for the config of a job that does not). */
  async checkpointing(jobId: string): Promise<boolean> {
    const res = await this.http.request('GET', `/jobs/${jobId}/checkpoints/config`, { ok: (s) => s === 200 || s === 404, schema: checkpointConfigSchema });
    // Flink 1.20 answers 200 for a job without periodic checkpoints too, with the interval Long.MAX_VALUE.
    const interval = res.status === 200 ? res.data.interval : undefined;
    return interval !== undefined && interval < Number.MAX_SAFE_INTEGER;
  }

  /**
   * Why the job failed, from its exception history: the last "Caused by" of the oldest entry (what set it off;
   * a job that keeps failing restarts forever under checkpointing and may look RUNNING in between).
   */
  async failureCause(jobId: string): Promise<string | undefined> {
    return (await this.failures(jobId)).firstCause;
  }

  /** How often the job failed (each failure restarts it or ends it), when it last did, and what set it off. */
  async failures(jobId: string): Promise<{ count: number; lastAt: number | undefined; firstCause: string | undefined }> {
    const entries = (await this.http.get(`/jobs/${jobId}/exceptions`, exceptionsSchema)).exceptionHistory?.entries ?? [];
    const first = entries.at(-1);
    const lines = (first?.stacktrace ?? first?.exceptionName ?? 'no details').split('\n');
    const firstCause = first ? (lines.filter((l) => l.startsWith('Caused by: ')).at(-1) ?? lines[0] ?? '').replace(/^Caused by: /, '') : undefined;
    return { count: entries.length, lastAt: entries[0]?.timestamp, firstCause };
  }

  async cancel(jobId: string): Promise<void> {
    await this.http.request('PATCH', `/jobs/${jobId}`, { query: { mode: 'cancel' }, ok: (s) => s === 202 || s === 200 });
  }

  /** Waits until the job is in one of `states` (e.g. RUNNING); fails early if it FAILED instead. */
  async awaitJobState(jobId: string, states: readonly string[], timeoutMs = 120_000): Promise<string> {
    return poll(`job ${jobId} to be ${states.join('/')} at ${this.baseUrl}`, timeoutMs, async () => {
      const { state } = await this.job(jobId);
      if (states.includes(state)) return state;
      if (state === 'FAILED' && !states.includes('FAILED')) throw new Error(`job ${jobId} FAILED (see GET ${this.baseUrl}/jobs/${jobId}/exceptions)`);
      return undefined;
    });
  }
}
