/**
 * The HTTP client's *mechanics* only: retries and backoff, timeouts, memoization, the concurrency bound,
 * auth headers, TLS with a custom CA and body validation, against a tiny local node:http server that
 * misbehaves on purpose. Registry *semantics* (subjects, versions, references, levels, error codes) are
 * proven against the real Apicurio Registry in test/integration/registry/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { secret } from '../../../compiler/schemas/config.ts';
import { createHttpRegistry, type HttpRegistryOptions } from '../../../compiler/schemas/http-registry.ts';
import { failureDiagnostic } from '../../../compiler/schemas/store.ts';
import { fixture } from './helpers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface TestServer {
  readonly url: string;
  readonly requests: { method: string; url: string; authorization: string | undefined }[];
  readonly maxInFlight: () => number;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function serve(handler: Handler, tls = false): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  let inFlight = 0;
  let max = 0;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    inFlight++;
    max = Math.max(max, inFlight);
    res.on('close', () => inFlight--);
    handler(req, res, requests.length);
  };
  const server = tls ? createHttpsServer({ key: fixture('tls/localhost.key'), cert: fixture('tls/localhost.crt') }, listener) : createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? 'https' : 'http'}://localhost:${port}/apis/ccompat/v7`, requests, maxInFlight: () => max };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

const avroVersion = (subject: string, version: number) => ({ subject, version, id: 100 + version, schema: '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}' });

function registry(url: string, extra: Partial<HttpRegistryOptions> = {}) {
  const waits: number[] = [];
  const store = createHttpRegistry({ url, retries: 3, backoffMs: 10, timeoutMs: 2_000, sleep: async (ms) => void waits.push(ms), ...extra });
  return { store, waits };
}

describe('HTTP registry client mechanics', () => {
  it('retries HTTP 5xx with exponential backoff, then succeeds', async () => {
    const server = await serve((_req, res, n) => (n <= 2 ? json(res, 503, { error_code: 50301, message: 'warming up' }) : json(res, 200, avroVersion('orders-value', 3))));
    const { store, waits } = registry(server.url);
    const result = await store.getVersion('orders-value', 3);
    expect(result.ok).toBe(true);
    expect(waits).toEqual([10, 20]);
    expect(store.stats().requests).toBe(3);
  });

  it('gives up after the configured retries and reports the server\'s last answer', async () => {
    const server = await serve((_req, res) => json(res, 500, { error_code: 50001, message: 'Error in the backend data store' }));
    const { store, waits } = registry(server.url);
    const result = await store.getVersion('orders-value', 'latest');
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'http', url: `${server.url}/subjects/orders-value/versions/latest`, status: 500, answer: 'error_code 50001: Error in the backend data store', attempts: 4 },
    });
    expect(waits).toEqual([10, 20, 40]);
  });

  it('never retries a 4xx', async () => {
    const server = await serve((req, res) => {
      if (req.url?.includes('missing')) return json(res, 404, { error_code: 40401, message: "Subject 'missing' not found." });
      if (req.url?.includes('versions/9')) return json(res, 404, { error_code: 40402, message: 'Version 9 not found.' });
      if (req.url?.includes('secret')) return json(res, 401, { error_code: 401, message: 'Unauthorized' });
      return json(res, 422, { error_code: 42202, message: 'The specified version is not valid' });
    });
    const { store, waits } = registry(server.url);
    expect(await store.getVersion('missing', 'latest')).toMatchObject({ ok: false, failure: { kind: 'not-found', what: 'subject', answer: "error_code 40401: Subject 'missing' not found." } });
    expect(await store.getVersion('orders-value', 9)).toMatchObject({ ok: false, failure: { kind: 'not-found', what: 'version', answer: 'error_code 40402: Version 9 not found.' } });
    expect(await store.getVersion('secret', 1)).toMatchObject({ ok: false, failure: { kind: 'auth', status: 401, answer: 'error_code 401: Unauthorized' } });
    expect(await store.getVersion('weird', 1)).toMatchObject({ ok: false, failure: { kind: 'http', status: 422, attempts: 1 } });
    expect(store.stats().requests).toBe(4);
    expect(waits).toEqual([]);
  });

  it('retries when the connection drops, and reports refused connections after the last attempt', async () => {
    const server = await serve((req, res, n) => (n <= 2 ? req.socket.destroy() : json(res, 200, avroVersion('orders-value', 1))));
    const { store, waits } = registry(server.url);
    expect((await store.getVersion('orders-value', 1)).ok).toBe(true);
    expect(waits).toEqual([10, 20]);

    const closed = await serve(() => undefined);
    const url = closed.url;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const down = registry(url, { retries: 2 });
    expect(await down.store.getVersion('orders-value', 1)).toEqual({
      ok: false,
      failure: { kind: 'network', url: `${url}/subjects/orders-value/versions/1`, reason: 'connection refused (nothing listens there)', attempts: 3 },
    });
  });

  it('times out slow answers and retries them', async () => {
    const server = await serve((_req, res) => void setTimeout(() => json(res, 200, avroVersion('orders-value', 1)), 400));
    const { store } = registry(server.url, { timeoutMs: 100, retries: 1 });
    expect(await store.getVersion('orders-value', 1)).toEqual({
      ok: false,
      failure: { kind: 'timeout', url: `${server.url}/subjects/orders-value/versions/1`, timeoutMs: 100, attempts: 2, elapsedMs: expect.any(Number) },
    });
  });

  it('bounds each attempt, body included: a registry that trickles its answer is cut off at the deadline', async () => {
    // Headers at once, then a byte every 50 ms: never idle, never done within the deadline.
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const body = JSON.stringify(avroVersion('orders-value', 1));
      let i = 0;
      const timer = setInterval(() => (i < body.length ? res.write(body[i++]) : (clearInterval(timer), res.end())), 50);
      res.on('close', () => clearInterval(timer));
    });
    const { store } = registry(server.url, { timeoutMs: 300, retries: 1 });
    const started = performance.now();
    const result = await store.getVersion('orders-value', 1);
    const elapsed = performance.now() - started;
    expect(result.ok ? undefined : result.failure.kind).toBe('timeout');
    expect(elapsed).toBeLessThan(2_000);
    const reported = result.ok || result.failure.kind !== 'timeout' ? -1 : result.failure.elapsedMs;
    // What the message states is the real wait: two attempts of 300 ms.
    expect(reported).toBeGreaterThanOrEqual(600);
    expect(reported).toBeLessThanOrEqual(elapsed + 1);
  });

  it('a registry that never answers: the message states the attempts and the real time they took', async () => {
    const server = await serve(() => undefined);
    const store = createHttpRegistry({ url: server.url, retries: 2, backoffMs: 50, timeoutMs: 200 });
    const result = await store.getVersion('orders-value', 1);
    if (result.ok || result.failure.kind !== 'timeout') throw new Error(`expected a timeout, got ${JSON.stringify(result)}`);
    expect(result.failure.attempts).toBe(3);
    // 3 × 200 ms, plus 50 + 100 ms of backoff.
    expect(result.failure.elapsedMs).toBeGreaterThanOrEqual(750);
    expect(result.failure.elapsedMs).toBeLessThan(3_000);
    const message = failureDiagnostic(result.failure, { subject: 'orders-value' }, 'none', undefined).message;
    expect(message).toMatch(/within 200 ms on any of 3 attempts \(\d+\.\d s in all, backoff included\)$/);
  });

  it('stops reading an answer larger than the cap, and does not retry it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // An endless body: only the cap ends it.
      const pump = (): void => {
        while (res.write(chunk)) sent += chunk.length;
        sent += chunk.length;
        res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const { store } = registry(server.url, { maxResponseBytes: 1024 * 1024 });
    const result = await store.getVersion('orders-value', 1);
    expect(result).toEqual({ ok: false, failure: { kind: 'too-large', url: `${server.url}/subjects/orders-value/versions/1`, limitBytes: 1024 * 1024 } });
    expect(store.stats().requests).toBe(1);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('fetches each subject version once, and `latest` once for the version it resolves to', async () => {
    const server = await serve((req, res) => json(res, 200, avroVersion('orders-value', 3)));
    const { store } = registry(server.url);
    const all = await Promise.all([store.getVersion('orders-value', 'latest'), store.getVersion('orders-value', 'latest')]);
    expect(all.every((r) => r.ok)).toBe(true);
    await store.getVersion('orders-value', 3);
    await store.getVersion('orders-value', 'latest');
    expect(server.requests.map((r) => r.url)).toEqual(['/apis/ccompat/v7/subjects/orders-value/versions/latest']);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const server = await serve((req, res) => {
      const subject = decodeURIComponent((req.url ?? '').split('/')[4] ?? '');
      setTimeout(() => json(res, 200, avroVersion(subject, 1)), 30);
    });
    const { store } = registry(server.url, { concurrency: 4 });
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => store.getVersion(`subject-${i}`, 1)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.requests).toHaveLength(24);
    expect(server.maxInFlight()).toBe(4);
  });

  it('sends basic and bearer credentials, and never shows them', async () => {
    const server = await serve((_req, res) => json(res, 200, avroVersion('s', 1)));
    await registry(server.url, { auth: { type: 'basic', username: secret('ci'), password: secret('p4ss') } }).store.getVersion('s', 1);
    await registry(server.url, { auth: { type: 'bearer', token: secret('t0ken') } }).store.getVersion('s', 1);
    expect(server.requests.map((r) => r.authorization)).toEqual([`Basic ${Buffer.from('ci:p4ss').toString('base64')}`, 'Bearer t0ken']);
    expect(JSON.stringify({ token: secret('t0ken') })).toBe('{"token":"***"}');
  });

  it('validates bodies: not JSON, or not the shape a registry sends', async () => {
    const server = await serve((req, res) => {
      if (req.url?.includes('html')) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html><body>Welcome to nginx!</body></html>');
      }
      return json(res, 200, { subject: 'shape', version: 'one', schema: 1 });
    });
    const { store } = registry(server.url);
    expect(await store.getVersion('html', 1)).toMatchObject({ ok: false, failure: { kind: 'malformed', status: 200, issue: 'the body is not JSON', excerpt: '<html><body>Welcome to nginx!</body></html>' } });
    const shape = await store.getVersion('shape', 1);
    expect(shape.ok === false && shape.failure.kind === 'malformed' && shape.failure.issue).toMatch(/at version$/);
  });

  it('reads an absent schemaType as AVRO and absent references as none; keeps them when present', async () => {
    const server = await serve((req, res) =>
      req.url?.includes('proto')
        ? json(res, 200, { subject: 'proto', version: 2, id: 9, schemaType: 'PROTOBUF', schema: 'syntax = "proto3";', references: [{ name: 'a.proto', subject: 'a', version: 1 }] })
        : json(res, 200, avroVersion('avro', 1)),
    );
    const { store } = registry(server.url);
    expect(await store.getVersion('avro', 1)).toMatchObject({ ok: true, value: { schemaType: 'AVRO', references: [] } });
    expect(await store.getVersion('proto', 2)).toMatchObject({ ok: true, value: { schemaType: 'PROTOBUF', references: [{ name: 'a.proto', subject: 'a', version: 1 }] } });
  });

  it('reads the level from /config/{subject}?defaultToGlobal=true, falling back to /config', async () => {
    const server = await serve((req, res) =>
      req.url?.startsWith('/apis/ccompat/v7/config/')
        ? json(res, 404, { error_code: 40408, message: "Subject 'orders-value' does not have subject-level compatibility configured" })
        : json(res, 200, { compatibilityLevel: 'FULL_TRANSITIVE' }),
    );
    const { store } = registry(server.url);
    expect(await store.getCompatibility('orders-value')).toEqual({ ok: true, value: 'FULL_TRANSITIVE' });
    expect(server.requests.map((r) => r.url)).toEqual(['/apis/ccompat/v7/config/orders-value?defaultToGlobal=true', '/apis/ccompat/v7/config']);
  });

  it('trusts a custom CA for https, and explains the failure without it', async () => {
    const server = await serve((_req, res) => json(res, 200, avroVersion('s', 1)), true);
    const without = await registry(server.url, { retries: 0 }).store.getVersion('s', 1);
    expect(without).toMatchObject({ ok: false, failure: { kind: 'network', reason: 'the certificate is self-signed; set `registry.ca_file`' } });
    expect((await registry(server.url, { ca: fixture('tls/localhost.crt') }).store.getVersion('s', 1)).ok).toBe(true);
  });

  it('encodes subjects in paths', async () => {
    const server = await serve((_req, res) => json(res, 200, avroVersion(':.ctx:orders/value', 1)));
    await registry(server.url).store.getVersion(':.ctx:orders/value', 1);
    expect(server.requests[0]?.url).toBe('/apis/ccompat/v7/subjects/%3A.ctx%3Aorders%2Fvalue/versions/1');
  });
});
