/**
 * A Confluent-compatible Schema Registry over HTTP (edge: network I/O). Works with Confluent, Karapace,
 * Redpanda and Apicurio's `/apis/ccompat/v7`.
 *
 * - `GET /subjects/{s}/versions/{n|latest}`: an absent `schemaType` means AVRO, absent `references` none;
 * - `GET /config/{s}?defaultToGlobal=true`, falling back to `GET /config`, for compatibility levels;
 * - basic or bearer auth, a custom CA;
 * - a deadline per attempt that covers connecting, the headers and the whole body (a registry that trickles
 *   its answer is cut off like one that never answers), and a cap on the body's size;
 * - retries with exponential backoff on network errors and HTTP 5xx, never on 4xx (a 4xx will not change);
 * - at most `concurrency` requests in flight; the backoff wait does not hold a slot;
 * - every GET is made at most once per store (promises are memoized by path), and `latest` seeds the
 *   memo of the version it resolved to, so a subject is fetched once however often it is referenced.
 * Every response body is validated with zod; anything unexpected is a `malformed` failure naming the URL.
 */
import type { AxiosError, AxiosInstance, AxiosResponse, CreateAxiosDefaults } from 'axios';
import { z } from 'zod';
import { COMPATIBILITY_LEVELS, compatibilityResponse, subjectVersionResponse } from '../../clients/schema-registry-api.ts';
import type { CompatibilityLevel, RegisteredSchema, SchemaReference, SchemaType } from './catalog.ts';
import { redactUrl, type ResolvedAuth } from './config.ts';
import { failed, fetched, type Fetched, type SchemaStore, type StoreFailure } from './store.ts';

export interface HttpRegistryOptions {
  readonly url: string;
  readonly auth?: ResolvedAuth | undefined;
  /** PEM text of a CA to trust for https URLs. */
  readonly ca?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly retries?: number | undefined;
  readonly concurrency?: number | undefined;
  /** First backoff wait; doubled per attempt, capped at 5 s. */
  readonly backoffMs?: number | undefined;
  /** The largest body read; a larger answer is a failure, not an out-of-memory. */
  readonly maxResponseBytes?: number | undefined;
  /** Injected by tests to observe or skip the backoff waits. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface RequestStats {
  /** HTTP requests sent, retries included. */
  readonly requests: number;
  /** Requests per path (method and path), retries included. */
  readonly byPath: Readonly<Record<string, number>>;
}

export interface HttpRegistry extends SchemaStore {
  stats(): RequestStats;
  /** `POST /subjects/{s}/versions`: registers a schema, returns its id. Not memoized. */
  register(subject: string, schema: SchemaPayload): Promise<Fetched<number>>;
  /** `POST /compatibility/subjects/{s}/versions/{v}?verbose=true`; `all` checks against every version. */
  testCompatibility(subject: string, schema: SchemaPayload, version: number | 'latest' | 'all'): Promise<Fetched<{ compatible: boolean; messages: readonly string[] }>>;
  /** `PUT /config/{s}`. */
  setCompatibility(subject: string, level: CompatibilityLevel): Promise<Fetched<CompatibilityLevel>>;
}

export interface SchemaPayload {
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references?: readonly SchemaReference[] | undefined;
}

const versionsResponse = z.array(z.number().int());
const subjectsResponse = z.array(z.string());
const configResponse = z.union([
  z.object({ compatibilityLevel: z.enum(COMPATIBILITY_LEVELS) }),
  z.object({ compatibility: z.enum(COMPATIBILITY_LEVELS) }),
]);
const errorResponse = z.object({ error_code: z.number().optional(), message: z.string().optional() });
const idResponse = z.object({ id: z.number().int() });

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const MAX_BACKOFF_MS = 5_000;
/** Far above any real schema (Confluent caps a schema at a few MB), far below what would hurt the process. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function createHttpRegistry(options: HttpRegistryOptions): HttpRegistry {
  const base = options.url.replace(/\/+$/, '');
  const shownBase = redactUrl(base);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limit = limiter(options.concurrency ?? 8);
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const clientOptions: CreateAxiosDefaults = {
    baseURL: base,
    maxContentLength: maxResponseBytes,
    // Keep the raw body: it is validated here, and quoted when it is not what a registry sends.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    headers: { Accept: `${CONTENT_TYPE}, application/json;q=0.9` },
  };
  // axios (and node:https, for a CA's agent) is loaded at the first request: most runs (the local schema folder,
  // a warm lock) send none, and loading it was a quarter of a second of every `pipec` start.
  let client: Promise<AxiosInstance> | undefined;
  const clientOf = (): Promise<AxiosInstance> =>
    (client ??= Promise.all([import('axios'), options.ca === undefined ? undefined : import('node:https')]).then(([{ default: axios }, https]) =>
      axios.create(https === undefined || options.ca === undefined ? clientOptions : { ...clientOptions, httpsAgent: new https.Agent({ ca: options.ca }) }),
    ));
  const memo = new Map<string, Promise<Fetched<unknown>>>();
  const counts = new Map<string, number>();
  let total = 0;

  const authHeader = (): Record<string, string> => {
    const auth = options.auth;
    if (auth === undefined) return {};
    if (auth.type === 'basic') return { Authorization: `Basic ${Buffer.from(`${auth.username.reveal()}:${auth.password.reveal()}`).toString('base64')}` };
    return { Authorization: `Bearer ${auth.token.reveal()}` };
  };

  /** One request with retries; returns the parsed JSON body of a 2xx, or a failure. */
  async function request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Fetched<{ status: number; json: unknown }>> {
    const url = `${shownBase}${path}`;
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      total++;
      counts.set(`${method} ${path}`, (counts.get(`${method} ${path}`) ?? 0) + 1);
      let response: AxiosResponse<string> | undefined;
      let networkError: unknown;
      try {
        response = await limit(async () =>
          (await clientOf()).request<string>({
            method,
            url: path,
            headers: { ...authHeader(), ...(body === undefined ? {} : { 'Content-Type': CONTENT_TYPE }) },
            ...(body === undefined ? {} : { data: JSON.stringify(body) }),
            // Started once a slot is free, so waiting for one does not count; axios' own `timeout` only
            // watches for an idle socket, which a slowly trickled body never is.
            signal: AbortSignal.timeout(timeoutMs),
          }),
        );
      } catch (e) {
        networkError = e;
      }
      if (response === undefined) {
        const failure = networkFailure(networkError, url, { timeoutMs, maxResponseBytes, attempts: attempt, elapsedMs: Math.round(performance.now() - started) });
        // A body past the cap would be as large on the next attempt.
        if (failure.kind !== 'too-large' && attempt <= retries) {
          await sleep(Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS));
          continue;
        }
        return failed(failure);
      }
      if (response.status >= 500 && attempt <= retries) {
        await sleep(Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS));
        continue;
      }
      return interpret(response, url, attempt);
    }
  }

  function get<T>(path: string, parse: (json: unknown, url: string, status: number) => Fetched<T>): Promise<Fetched<T>> {
    const cached = memo.get(path);
    if (cached) return cached as Promise<Fetched<T>>;
    const promise = request('GET', path).then((r) => (r.ok ? parse(r.value.json, `${shownBase}${path}`, r.value.status) : r));
    memo.set(path, promise);
    return promise;
  }

  const versionPath = (subject: string, version: number | 'latest'): string => `/subjects/${encodeURIComponent(subject)}/versions/${version}`;

  const store: HttpRegistry = {
    location: shownBase,
    auth: options.auth?.type ?? 'none',

    async getVersion(subject, version) {
      const result = await get(versionPath(subject, version), (json, url, status) => parseWith(subjectVersionResponse, json, url, status));
      if (!result.ok) return result;
      const r = result.value;
      const schema: RegisteredSchema = { subject: r.subject, version: r.version, id: r.id, schemaType: r.schemaType ?? 'AVRO', schema: r.schema, references: r.references ?? [] };
      // `latest` resolved: the pinned path needs no request of its own.
      if (version === 'latest' && !memo.has(versionPath(subject, r.version))) memo.set(versionPath(subject, r.version), Promise.resolve(fetched(r)));
      return fetched(schema);
    },

    listVersions(subject) {
      return get(`/subjects/${encodeURIComponent(subject)}/versions`, (json, url, status) => parseWith(versionsResponse, json, url, status));
    },

    async getCompatibility(subject) {
      const own = await get(`/config/${encodeURIComponent(subject)}?defaultToGlobal=true`, (json, url, status) => parseWith(configResponse, json, url, status));
      if (own.ok) return fetched(levelOf(own.value));
      if (own.failure.kind !== 'not-found') return own;
      // Registries without `defaultToGlobal` answer 404 (40408) for a subject with no level of its own.
      const global = await get('/config', (json, url, status) => parseWith(configResponse, json, url, status));
      if (global.ok) return fetched(levelOf(global.value));
      return global.failure.kind === 'not-found' ? fetched(undefined) : global;
    },

    listSubjects() {
      return get('/subjects', (json, url, status) => parseWith(subjectsResponse, json, url, status));
    },

    stats() {
      return { requests: total, byPath: Object.fromEntries(counts) };
    },

    async register(subject, payload) {
      const path = `/subjects/${encodeURIComponent(subject)}/versions`;
      const result = await request('POST', path, payloadBody(payload));
      if (!result.ok) return result;
      const parsed = parseWith(idResponse, result.value.json, `${shownBase}${path}`, result.value.status);
      return parsed.ok ? fetched(parsed.value.id) : parsed;
    },

    async testCompatibility(subject, payload, version) {
      const path = `/compatibility/subjects/${encodeURIComponent(subject)}/versions${version === 'all' ? '' : `/${version}`}?verbose=true`;
      const result = await request('POST', path, payloadBody(payload));
      if (!result.ok) {
        // No such subject: nothing to be incompatible with.
        return result.failure.kind === 'not-found' ? fetched({ compatible: true, messages: [] }) : result;
      }
      const parsed = parseWith(compatibilityResponse, result.value.json, `${shownBase}${path}`, result.value.status);
      if (!parsed.ok) return parsed;
      return fetched({ compatible: parsed.value.is_compatible, messages: (parsed.value.messages ?? []).map((m) => (typeof m === 'string' ? m : JSON.stringify(m))) });
    },

    async setCompatibility(subject, level) {
      const path = `/config/${encodeURIComponent(subject)}`;
      const result = await request('PUT', path, { compatibility: level });
      return result.ok ? fetched(level) : result;
    },
  };
  return store;
}

function payloadBody(payload: SchemaPayload): Record<string, unknown> {
  return {
    schema: payload.schema,
    // Confluent omits schemaType for Avro; sending it is accepted too, but omitting is the portable form.
    ...(payload.schemaType === 'AVRO' ? {} : { schemaType: payload.schemaType }),
    ...(payload.references && payload.references.length > 0 ? { references: payload.references } : {}),
  };
}

function levelOf(config: z.infer<typeof configResponse>): CompatibilityLevel {
  return 'compatibilityLevel' in config ? config.compatibilityLevel : config.compatibility;
}

/** Status and body → a value or a failure; 2xx bodies must be JSON. */
function interpret(response: AxiosResponse<string>, url: string, attempts: number): Fetched<{ status: number; json: unknown }> {
  const text = typeof response.data === 'string' ? response.data : '';
  let json: unknown;
  let parsedOk = true;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsedOk = false;
  }
  const status = response.status;
  if (status >= 200 && status < 300) {
    if (!parsedOk || json === undefined) return failed({ kind: 'malformed', url, status, issue: parsedOk ? 'the body is empty' : 'the body is not JSON', excerpt: excerpt(text) });
    return fetched({ status, json });
  }
  const answer = answerOf(parsedOk ? json : undefined, text, status);
  if (status === 401 || status === 403) return failed({ kind: 'auth', url, status, answer });
  if (status === 404) {
    const code = parsedOk ? errorResponse.safeParse(json).data?.error_code : undefined;
    return failed({ kind: 'not-found', what: code === 40402 ? 'version' : 'subject', url, answer });
  }
  return failed({ kind: 'http', url, status, answer, attempts });
}

/** The registry's answer as users see it: `error_code 40401: Subject 'x' not found.` */
function answerOf(json: unknown, text: string, status: number): string {
  const parsed = errorResponse.safeParse(json);
  if (parsed.success && (parsed.data.message !== undefined || parsed.data.error_code !== undefined)) {
    const code = parsed.data.error_code === undefined ? '' : `error_code ${parsed.data.error_code}: `;
    return `${code}${parsed.data.message ?? ''}`.trim();
  }
  return text.trim() === '' ? `an empty body (HTTP ${status})` : excerpt(text);
}

function parseWith<T>(schema: z.ZodType<T>, json: unknown, url: string, status: number): Fetched<T> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return fetched(parsed.data);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  return failed({ kind: 'malformed', url, status, issue: `${issue?.message ?? 'unexpected shape'}${where}`, excerpt: excerpt(JSON.stringify(json) ?? '') });
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

function networkFailure(error: unknown, url: string, at: { readonly timeoutMs: number; readonly maxResponseBytes: number; readonly attempts: number; readonly elapsedMs: number }): StoreFailure {
  const { timeoutMs, attempts } = at;
  const code = isAxiosError(error) ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (/maxContentLength/.test(message)) return { kind: 'too-large', url, limitBytes: at.maxResponseBytes };
  // ERR_CANCELED: the attempt's deadline signal fired.
  if (code === 'ERR_CANCELED' || code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) return { kind: 'timeout', url, timeoutMs, attempts, elapsedMs: at.elapsedMs };
  const reasons: Readonly<Record<string, string>> = {
    ECONNREFUSED: 'connection refused (nothing listens there)',
    ECONNRESET: 'the connection was reset',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be resolved (DNS)',
    EHOSTUNREACH: 'the host is unreachable',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed; set `registry.ca_file`',
    SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain is self-signed; set `registry.ca_file`',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate cannot be verified; set `registry.ca_file`',
  };
  const cause = isAxiosError(error) && error.cause instanceof Error ? (error.cause as NodeJS.ErrnoException).code : undefined;
  const key = code ?? cause ?? '';
  return { kind: 'network', url, reason: reasons[key] ?? (code ? `${code}: ${message}` : message), attempts };
}

/** What axios.isAxiosError tests, without loading axios. */
function isAxiosError(error: unknown): error is AxiosError {
  return typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true;
}

/** At most `max` calls of `fn` run at once; a finished call hands its slot straight to the next waiter. */
function limiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
