/**
 * A counting reverse proxy in front of a real service (Connect, the registry, the SQL Gateway, Flink REST):
 * every request is forwarded unchanged and recorded; `mutations` are the ones that may change something
 * (anything but GET and HEAD). Tests assert no-op deploys with it; the deploy benchmark counts calls with it.
 *
 * It can also misbehave (`fault`): answer a request itself with an error status, or never answer (the client
 * times out), so tests can break a deploy in the middle and check what is left and that a re-run converges.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request: forward it (undefined), answer it with `status`, or never answer. */
export type FaultAnswer = undefined | { readonly status: number; readonly body: string } | 'hang';

/** Decides per request; `index` counts every request the proxy has seen, from 0. */
export type Fault = (request: { readonly method: string; readonly path: string; readonly index: number }) => FaultAnswer;

export interface CountingProxy {
  readonly url: string;
  /** `METHOD /path` of every request, in arrival order. */
  readonly requests: string[];
  /** `METHOD /path` of every request other than GET and HEAD. */
  readonly mutations: string[];
  /** `METHOD /path` of the requests the fault answered or left hanging. */
  readonly faulted: string[];
  /** Sets (or, with undefined, clears) the misbehaviour for the requests that follow. */
  setFault(fault: Fault | undefined): void;
  close(): Promise<void>;
}

/** Fails every request after the first `n` (counted from now) with `status`, as a service that went down. */
export function failAfter(n: number, status = 503, body = '{"error_code":503,"message":"service unavailable (injected)"}'): Fault {
  let seen = 0;
  return () => (seen++ < n ? undefined : { status, body });
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const base = new URL(target);
  const requests: string[] = [];
  const mutations: string[] = [];
  const faulted: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  let fault: Fault | undefined;
  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    const index = requests.length;
    requests.push(line);
    if (req.method !== 'GET' && req.method !== 'HEAD') mutations.push(line);
    const answer = fault?.({ method: req.method ?? 'GET', path: req.url ?? '/', index });
    if (answer !== undefined) {
      faulted.push(line);
      req.resume();
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.body);
      return;
    }
    const upstream = http.request({ host: base.hostname, port: base.port, method: req.method, path: `${base.pathname.replace(/\/$/, '')}${req.url ?? ''}`, headers: { ...req.headers, host: base.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    mutations,
    faulted,
    setFault: (f) => {
      fault = f;
    },
    close: () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
