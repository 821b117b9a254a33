/**
 * The shared HTTP layer of the REST clients (SQL Gateway, Flink REST, Connect, Schema Registry): axios with
 * every status handed back to us, JSON bodies checked against a zod schema, and errors that name the method,
 * the endpoint and what the server answered.
 */
import type { AxiosInstance } from 'axios';
import axios from 'axios';
import type { z } from 'zod';

export class HttpError extends Error {
  readonly method: string;
  readonly url: string;
  /** undefined when no answer came (refused, timed out). */
  readonly status: number | undefined;
  /** The server's answer, as text (truncated). */
  readonly body: string | undefined;

  constructor(method: string, url: string, status: number | undefined, body: string | undefined, detail?: string) {
    const answer = status === undefined ? (detail ?? 'no answer') : `HTTP ${status}${detail ? ` (${detail})` : ''}${body ? `: ${body.slice(0, 2000)}` : ''}`;
    super(`${method} ${url} failed: ${answer}`);
    this.name = 'HttpError';
    this.method = method;
    this.url = url;
    this.status = status;
    this.body = body;
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions<T> {
  body?: unknown;
  /** Checks and types the JSON answer; without it the answer is discarded. */
  schema?: z.ZodType<T>;
  /** Statuses that count as success (default: any 2xx). */
  ok?: (status: number) => boolean;
  query?: Record<string, string | number | boolean>;
  timeoutMs?: number;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
}

export class HttpClient {
  readonly baseUrl: string;
  private readonly axios: AxiosInstance;

  constructor(baseUrl: string, options: { timeoutMs?: number; headers?: Record<string, string> } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.axios = axios.create({
      baseURL: this.baseUrl,
      timeout: options.timeoutMs ?? 30_000,
      headers: { Accept: 'application/json', ...options.headers },
      // We judge statuses ourselves and keep the raw text for error messages.
      validateStatus: () => true,
      transformResponse: (raw: unknown) => raw,
      responseType: 'text',
    });
  }

  async request<T = undefined>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<HttpResponse<T>> {
    const url = `${this.baseUrl}${path}`;
    let status: number;
    let text: string;
    try {
      const res = await this.axios.request<string>({
        method,
        url: path,
        data: options.body === undefined ? undefined : JSON.stringify(options.body),
        // Always JSON: without a body axios would send PUT/POST as form-urlencoded, which Connect answers with 415.
        headers: { 'Content-Type': 'application/json' },
        params: options.query,
        ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      });
      status = res.status;
      text = typeof res.data === 'string' ? res.data : '';
    } catch (e) {
      const err = e as { code?: string; message?: string };
      throw new HttpError(method, url, undefined, undefined, err.code ?? err.message);
    }
    const ok = options.ok ?? ((s: number) => s >= 200 && s < 300);
    if (!ok(status)) throw new HttpError(method, url, status, text);
    if (!options.schema) return { status, data: undefined as T };
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      throw new HttpError(method, url, status, text, 'answer is not JSON');
    }
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(method, url, status, text.slice(0, 500), `unexpected answer shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
    }
    return { status, data: parsed.data };
  }

  async get<T>(path: string, schema: z.ZodType<T>, options: Omit<RequestOptions<T>, 'schema'> = {}): Promise<T> {
    return (await this.request('GET', path, { ...options, schema })).data;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `step` until it returns a value (not undefined), or throws after timeoutMs naming `what`. */
export async function poll<T>(what: string, timeoutMs: number, step: () => Promise<T | undefined>, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await step();
      if (v !== undefined) return v;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** The client of one REST API: the HTTP client its calls go through, and where the API is. */
export abstract class RestClient {
  protected readonly http: HttpClient;

  protected constructor(baseUrl: string, options: { timeoutMs: number; headers?: Record<string, string> }) {
    this.http = new HttpClient(baseUrl, options);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }
}
