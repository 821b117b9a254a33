/**
 * Registry faults, each ending in a clear diagnostic that names the URL and the server's answer: the
 * registry down, slow, demanding credentials (401), failing (500), answering with a body that is not a
 * registry's, and dropping connections. Faults are injected by a proxy in front of the real registry, so
 * every successful answer in these tests is the real registry's.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer } from 'node:net';
import { secret } from '../../../compiler/schemas/config.ts';
import { resolveCatalog } from '../../../compiler/schemas/resolve.ts';
import { brief, client, fixture, register, unique } from './helpers.ts';
import { startProxy, type RegistryProxy } from './proxy.ts';

const registryUrl = inject('pipecLocal').schemaRegistryUrl;
const subject = `${unique('faults')}-value`;
const span = { file: 'pipelines/orders.pipe', start: 31, end: 39 };
const refs = [{ subject, version: 'latest' as const, span }];
let proxy: RegistryProxy;

beforeAll(async () => {
  await register(client(registryUrl), subject, { schemaType: 'AVRO', schema: fixture('avro/orders-value.avsc') });
  proxy = await startProxy(registryUrl);
});

afterAll(async () => {
  await proxy.close();
});

const path = `/subjects/${subject}/versions/latest`;

describe('registry faults', () => {
  it('registry down: names the URL and the refused connection, after the retries', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
    const { diagnostics } = await resolveCatalog(client(url, { retries: 2 }), refs);
    expect(brief(diagnostics)).toEqual([`registry-unreachable: cannot reach the schema registry at ${url}${path}: connection refused (nothing listens there) (after 3 attempts)`]);
    expect(diagnostics[0]?.span).toEqual(span);
  });

  it('slow registry: times out per attempt, retries, then names the URL and the timeout', async () => {
    proxy.reset([{ kind: 'delay', ms: 1_500 }]);
    const { diagnostics } = await resolveCatalog(client(proxy.url, { timeoutMs: 200, retries: 1 }), refs);
    const [timeout] = brief(diagnostics);
    expect(brief(diagnostics)).toHaveLength(1);
    // The real time includes the backoff between the attempts, so it is only bounded.
    expect(timeout).toMatch(new RegExp(`^registry-timeout: the schema registry did not answer ${escapeRegExp(`${proxy.url}${path}`)} in full within 200 ms on any of 2 attempts \\((\\d+\\.\\d) s in all, backoff included\\)$`));
    expect(Number(/\((\d+\.\d) s in all/.exec(timeout ?? '')?.[1])).toBeGreaterThanOrEqual(0.4);
    expect(proxy.requests).toHaveLength(2);
  });

  it('slow but within the timeout: resolves', async () => {
    proxy.reset([{ kind: 'delay', ms: 150 }]);
    const { diagnostics, catalog } = await resolveCatalog(client(proxy.url, { timeoutMs: 2_000 }), refs);
    expect(diagnostics).toEqual([]);
    expect(catalog.subjects).toHaveLength(1);
  });

  it('401: names the URL, the status and the answer, with an auth hint, and is not retried', async () => {
    proxy.reset([{ kind: 'auth', token: 't0ken' }]);
    const { diagnostics } = await resolveCatalog(client(proxy.url), refs);
    expect(brief(diagnostics)).toEqual([
      `registry-auth-failed: the schema registry refused ${proxy.url}${path} (HTTP 401 Unauthorized): error_code 40101: Unauthorized: a bearer token is required`,
    ]);
    expect(diagnostics[0]?.hints[0]).toMatch(/^the registry wants credentials: set `registry.auth`/);
    expect(proxy.requests).toHaveLength(1);
    proxy.reset([{ kind: 'auth', token: 't0ken' }]);
    const authed = await resolveCatalog(client(proxy.url, { auth: { type: 'bearer', token: secret('t0ken') } }), refs);
    expect(authed.diagnostics).toEqual([]);
    expect(authed.catalog.subjects).toHaveLength(1);
  });

  it('500: retried with backoff; a transient one heals, a persistent one names the URL and the answer', async () => {
    const body = JSON.stringify({ error_code: 50001, message: 'Error while retrieving the schema from the backend' });
    proxy.reset([{ kind: 'status', status: 500, body, times: 2 }]);
    const healed = await resolveCatalog(client(proxy.url), refs);
    expect(healed.diagnostics).toEqual([]);
    expect(proxy.requests.map((r) => r.path)).toEqual([`/apis/ccompat/v7${path}`, `/apis/ccompat/v7${path}`, `/apis/ccompat/v7${path}`]);

    proxy.reset([{ kind: 'status', status: 500, body }]);
    const broken = await resolveCatalog(client(proxy.url, { retries: 2 }), refs);
    expect(brief(broken.diagnostics)).toEqual([
      `registry-request-failed: the schema registry answered ${proxy.url}${path} with HTTP 500 (after 3 attempts): error_code 50001: Error while retrieving the schema from the backend`,
    ]);
    expect(proxy.requests).toHaveLength(3);
  });

  it('malformed body: names the URL and quotes what came back', async () => {
    proxy.reset([{ kind: 'status', status: 200, body: '<html><head><title>Maintenance</title></head><body>Back soon</body></html>' }]);
    const { diagnostics } = await resolveCatalog(client(proxy.url), refs);
    expect(brief(diagnostics)).toEqual([`registry-malformed-response: the schema registry answered ${proxy.url}${path} (HTTP 200) with a body pipec cannot read: the body is not JSON`]);
    expect(diagnostics[0]?.hints[0]).toBe('the body starts with: <html><head><title>Maintenance</title></head><body>Back soon</body></html>');
    proxy.reset([{ kind: 'status', status: 200, body: JSON.stringify({ subject, version: 1, schema: 42 }) }]);
    const shape = await resolveCatalog(client(proxy.url), refs);
    expect(shape.diagnostics[0]?.message).toMatch(/with a body pipec cannot read: .* at (id|schema)$/);
  });

  it('dropped connections are retried', async () => {
    proxy.reset([{ kind: 'drop', times: 2 }]);
    const { diagnostics, catalog } = await resolveCatalog(client(proxy.url), refs);
    expect(diagnostics).toEqual([]);
    expect(catalog.subjects).toHaveLength(1);
    expect(proxy.requests).toHaveLength(3);
  });

  it('unknown subject: the real 404 is not retried and names the URL and the answer', async () => {
    proxy.reset();
    const missing = `${unique('nowhere')}-value`;
    const { diagnostics } = await resolveCatalog(client(proxy.url), [{ subject: missing, version: 'latest', span }]);
    expect(brief(diagnostics)).toEqual([
      `unknown-subject: the schema registry has no subject \`${missing}\` (${proxy.url}/subjects/${missing}/versions/latest: error_code 40401: Subject '${missing}' not found.)`,
    ]);
    // One lookup, and one GET /subjects for did-you-mean.
    expect(proxy.requests.map((r) => r.path)).toEqual([`/apis/ccompat/v7/subjects/${missing}/versions/latest`, '/apis/ccompat/v7/subjects']);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
