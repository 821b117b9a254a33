/**
 * A counting reverse proxy in front of a real service (Connect, the registry, the SQL Gateway, Flink REST):
 * every request is forwarded unchanged and recorded; `mutations` are the ones that may change something
 * (anything but GET and HEAD). Tests assert no-op deploys with it; the deploy benchmark counts calls with it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly url: string;
  /** `METHOD /path` of every request, in arrival order. */
  readonly requests: string[];
  /** `METHOD /path` of every request other than GET and HEAD. */
  readonly mutations: string[];
  close(): Promise<void>;
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const base = new URL(target);
  const requests: string[] = [];
  const mutations: string[] = [];
  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    requests.push(line);
    if (req.method !== 'GET' && req.method !== 'HEAD') mutations.push(line);
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
  return { url: `http://127.0.0.1:${port}`, requests, mutations, close: () => new Promise((r) => server.close(() => r())) };
}
