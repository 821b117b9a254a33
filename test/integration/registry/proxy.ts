/**
 * A small misbehaving HTTP proxy in front of the real registry: it forwards every request unchanged,
 * except where a fault says otherwise (answer with a status, drop the connection, delay, send HTML,
 * demand a token). It counts requests per path and the most in flight at once, so tests can prove
 * retries, memoization and the concurrency bound against real registry answers.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body: string; readonly times?: number; readonly match?: (path: string) => boolean }
  | { readonly kind: 'drop'; readonly times?: number; readonly match?: (path: string) => boolean }
  | { readonly kind: 'delay'; readonly ms: number; readonly times?: number; readonly match?: (path: string) => boolean }
  | { readonly kind: 'auth'; readonly token: string; readonly match?: (path: string) => boolean };

export interface RegistryProxy {
  /** The registry URL as seen through the proxy (same path as the target). */
  readonly url: string;
  readonly requests: { readonly method: string; readonly path: string }[];
  maxInFlight(): number;
  /** Replaces the faults and clears the counters. */
  reset(faults?: readonly Fault[]): void;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<RegistryProxy> {
  const upstream = new URL(target);
  let faults: { fault: Fault; left: number }[] = [];
  const requests: { method: string; path: string }[] = [];
  let inFlight = 0;
  let max = 0;

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const headers = { ...req.headers, host: upstream.host };
    const out = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('proxy: upstream failed');
    });
    out.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push({ method: req.method ?? '', path });
      inFlight++;
      max = Math.max(max, inFlight);
      res.on('close', () => inFlight--);
      const active = faults.find((f) => f.left > 0 && (f.fault.match?.(path) ?? true));
      const fault = active?.fault;
      if (active && fault?.kind !== 'auth') active.left--;
      switch (fault?.kind) {
        case undefined:
          return forward(req, res, Buffer.concat(chunks));
        case 'status':
          res.writeHead(fault.status, { 'Content-Type': fault.body.startsWith('<') ? 'text/html' : 'application/json' });
          return res.end(fault.body);
        case 'drop':
          return req.socket.destroy();
        case 'delay':
          return void setTimeout(() => forward(req, res, Buffer.concat(chunks)), fault.ms);
        case 'auth':
          if (req.headers.authorization === `Bearer ${fault.token}`) return forward(req, res, Buffer.concat(chunks));
          res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
          return res.end(JSON.stringify({ error_code: 40101, message: 'Unauthorized: a bearer token is required' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, '')}`,
    requests,
    maxInFlight: () => max,
    reset(next = []) {
      faults = next.map((fault) => ({ fault, left: fault.kind === 'auth' ? Number.POSITIVE_INFINITY : (fault.times ?? Number.POSITIVE_INFINITY) }));
      requests.length = 0;
      max = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
