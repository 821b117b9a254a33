/**
 * Flink SQL Gateway REST client (API v2, served by Flink 1.20 and 2.x): sessions, statements and the result
 * fetch loop. A failed statement raises SqlGatewayError carrying the statement and Flink's root cause.
 */
import { z } from 'zod';
import { RestClient, HttpError, sleep } from './http.ts';

const sessionSchema = z.object({ sessionHandle: z.string() });
const operationSchema = z.object({ operationHandle: z.string() });
const statusSchema = z.object({ status: z.string() });
const infoSchema = z.object({ productName: z.string(), version: z.string() });

const resultSchema = z.object({
  resultType: z.enum(['NOT_READY', 'PAYLOAD', 'EOS']),
  isQueryResult: z.boolean().optional(),
  jobID: z.string().nullish(),
  resultKind: z.string().optional(),
  results: z
    .object({
      columns: z.array(z.object({ name: z.string(), logicalType: z.unknown().optional() })).optional(),
      data: z.array(z.object({ kind: z.string(), fields: z.array(z.unknown()) })).optional(),
    })
    .optional(),
  nextResultUri: z.string().nullish(),
});

export interface StatementResult {
  columns: string[];
  rows: { kind: string; fields: unknown[] }[];
  /** The job an INSERT (or a streaming query) was submitted as. */
  jobId: string | undefined;
  resultKind: string | undefined;
  isQueryResult: boolean;
  /** False when maxRows stopped the fetch before the end of the result. */
  complete: boolean;
}

export class SqlGatewayError extends Error {
  readonly statement: string;
  readonly rootCause: string;

  constructor(statement: string, rootCause: string, cause: HttpError) {
    super(`Flink SQL Gateway rejected the statement (${cause.method} ${cause.url}, HTTP ${cause.status ?? 'no answer'}): ${rootCause}\n  statement: ${statement.slice(0, 300)}`, { cause });
    this.name = 'SqlGatewayError';
    this.statement = statement;
    this.rootCause = rootCause;
  }
}

/** The most specific message in a gateway error body (its `errors` hold Java stack traces). */
export function rootCauseOf(body: string | undefined): string {
  if (!body) return 'no details';
  let text = body;
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) text = parsed.errors.map(String).join('\n');
  } catch {
    // Not JSON: use the text as is.
  }
  const causes = text.split('\n').filter((l) => l.startsWith('Caused by: '));
  const last = causes.at(-1) ?? text.split('\n').find((l) => l.trim().length > 0 && !l.startsWith('\tat ')) ?? text;
  return last.replace(/^Caused by: /, '').trim().slice(0, 1500);
}

export interface FetchOptions {
  /** Give up waiting for the end of the result after this long (default 120 s). */
  timeoutMs?: number;
  /** Stop once this many rows arrived (for unbounded queries). */
  maxRows?: number;
}

export class SqlGatewayClient extends RestClient {
  constructor(baseUrl: string, options: { timeoutMs?: number } = {}) {
    super(baseUrl, { timeoutMs: options.timeoutMs ?? 60_000 });
  }

  info(): Promise<z.infer<typeof infoSchema>> {
    return this.http.get('/v2/info', infoSchema);
  }

  async openSession(properties: Record<string, string> = {}, sessionName?: string): Promise<string> {
    const res = await this.http.request('POST', '/v2/sessions', { body: { properties, ...(sessionName ? { sessionName } : {}) }, schema: sessionSchema });
    return res.data.sessionHandle;
  }

  async closeSession(session: string): Promise<void> {
    await this.http.request('DELETE', `/v2/sessions/${session}`, { ok: (s) => s === 200 || s === 404 });
  }

  async heartbeat(session: string): Promise<void> {
    await this.http.request('POST', `/v2/sessions/${session}/heartbeat`);
  }

  /** For DDL, SET, USE, ADD JAR: statements that only change the session. */
  async configureSession(session: string, statement: string): Promise<void> {
    try {
      await this.http.request('POST', `/v2/sessions/${session}/configure-session`, { body: { statement } });
    } catch (e) {
      throw e instanceof HttpError ? new SqlGatewayError(statement, rootCauseOf(e.body), e) : e;
    }
  }

  async submit(session: string, statement: string, executionConfig?: Record<string, string>): Promise<string> {
    try {
      const res = await this.http.request('POST', `/v2/sessions/${session}/statements`, { body: { statement, ...(executionConfig ? { executionConfig } : {}) }, schema: operationSchema });
      return res.data.operationHandle;
    } catch (e) {
      throw e instanceof HttpError ? new SqlGatewayError(statement, rootCauseOf(e.body), e) : e;
    }
  }

  async operationStatus(session: string, operation: string): Promise<string> {
    return (await this.http.get(`/v2/sessions/${session}/operations/${operation}/status`, statusSchema)).status;
  }

  async cancel(session: string, operation: string): Promise<void> {
    await this.http.request('POST', `/v2/sessions/${session}/operations/${operation}/cancel`, { ok: (s) => s === 200 || s === 404 });
  }

  async closeOperation(session: string, operation: string): Promise<void> {
    await this.http.request('DELETE', `/v2/sessions/${session}/operations/${operation}/close`, { ok: (s) => s === 200 || s === 404 });
  }

  /** Follows the result pages until EOS (or maxRows). */
  async fetch(session: string, operation: string, statement: string, options: FetchOptions = {}): Promise<StatementResult> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    const out: StatementResult = { columns: [], rows: [], jobId: undefined, resultKind: undefined, isQueryResult: false, complete: false };
    let uri: string | undefined = `/v2/sessions/${session}/operations/${operation}/result/0?rowFormat=JSON`;
    let backoff = 50;
    while (uri) {
      let page: z.infer<typeof resultSchema>;
      try {
        page = (await this.http.request('GET', uri, { schema: resultSchema })).data;
      } catch (e) {
        throw e instanceof HttpError && e.status !== undefined ? new SqlGatewayError(statement, rootCauseOf(e.body), e) : e;
      }
      out.jobId = page.jobID ?? out.jobId;
      out.resultKind = page.resultKind ?? out.resultKind;
      out.isQueryResult = page.isQueryResult ?? out.isQueryResult;
      if (page.results?.columns && out.columns.length === 0) out.columns = page.results.columns.map((c) => c.name);
      if (page.resultType === 'EOS') {
        out.complete = true;
        break;
      }
      if (page.resultType === 'PAYLOAD') {
        out.rows.push(...(page.results?.data ?? []));
        backoff = 50;
        // An INSERT answers with its job id and then only NOT_READY while the (unbounded) job runs.
        if (out.jobId && !out.isQueryResult) {
          out.complete = true;
          break;
        }
        if (options.maxRows !== undefined && out.rows.length >= options.maxRows) break;
        uri = page.nextResultUri ?? undefined;
        continue;
      }
      if (Date.now() > deadline) throw new Error(`SQL Gateway: no complete result within ${options.timeoutMs ?? 120_000} ms for: ${statement.slice(0, 200)}`);
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 1000);
      uri = page.nextResultUri ?? uri;
    }
    return out;
  }

  /** Submits a statement and reads its whole result. */
  async execute(session: string, statement: string, options: FetchOptions & { executionConfig?: Record<string, string> } = {}): Promise<StatementResult> {
    const op = await this.submit(session, statement, options.executionConfig);
    const res = await this.fetch(session, op, statement, options);
    if (res.complete) await this.closeOperation(session, op);
    return res;
  }

  /** Submits an INSERT (or statement set) and returns the job id Flink gave it. */
  async executeInsert(session: string, statement: string, options: { executionConfig?: Record<string, string>; timeoutMs?: number } = {}): Promise<string> {
    const res = await this.execute(session, statement, options);
    if (!res.jobId) throw new Error(`SQL Gateway returned no job id for: ${statement.slice(0, 200)}`);
    return res.jobId;
  }
}
