// A small round-robin reverse proxy for the two-instance check (two-instances.ts) and the
// throughput bench (bench/scale.ts). It stands in for nginx or a cloud load balancer: it is not
// meant for production. Run alone: `node proxy.js <port> <backend URL>...`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are not forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** How long a backend that refused a connection is left out of the rotation. */
const DOWN_MS = 2_000;

export interface Proxy {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Requests handed to each backend (by its URL), answered or not. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

interface Backend {
  url: URL;
  downUntil: number;
}

/**
 * Listens on `port` (0: any free one) on 127.0.0.1 and hands each request to the next backend in
 * turn. Bodies are streamed both ways. The client's address is appended to X-Forwarded-For and
 * X-Forwarded-Proto is set to `http`, which the server believes only with TRUST_PROXY=true
 * (Express `trust proxy` 1: the last hop). A backend that refuses a connection is skipped for
 * two seconds; a GET or HEAD it refused is retried once on the next backend (nothing was sent),
 * anything else answers 502.
 */
export async function startProxy(backendUrls: string[], port = 0): Promise<Proxy> {
  if (backendUrls.length === 0) throw new Error('startProxy: no backends');
  const backends: Backend[] = backendUrls.map((u) => ({ url: new URL(u), downUntil: 0 }));
  const counts = new Map(backendUrls.map((u) => [u, 0]));
  // Keep-alive to the backends, as nginx's upstream keepalive does; without it every request
  // pays a TCP handshake and the benchmark measures connection set-up.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;

  const pick = (exclude: Backend | null): Backend => {
    const now = Date.now();
    for (let i = 0; i < backends.length; i++) {
      const candidate = backends[next++ % backends.length];
      if (candidate !== exclude && candidate.downUntil <= now) return candidate;
    }
    // Every backend is marked down: try the next one anyway rather than refuse outright.
    return backends[next++ % backends.length];
  };

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    backend: Backend,
    retried: boolean,
  ): void => {
    const key = backend.url.toString().replace(/\/$/, '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    }
    const client = req.socket.remoteAddress ?? 'unknown';
    const prior = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${String(prior)}, ${client}` : client;
    headers['x-forwarded-proto'] = 'http';
    const upstream = http.request(
      {
        host: backend.url.hostname,
        port: backend.url.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (answer) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          // Set-Cookie stays an array: several cookies must not be folded into one line.
          if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        backend.downUntil = Date.now() + DOWN_MS;
        const bodiless = req.method === 'GET' || req.method === 'HEAD';
        if (bodiless && !retried && backends.length > 1) {
          forward(req, res, pick(backend), true);
          return;
        }
      }
      if (res.headersSent) {
        res.destroy();
      } else {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`bad gateway: ${error.code ?? error.message}\n`);
      }
    });
    // The client went away before the answer was complete: stop the backend's work on it.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (retried) upstream.end();
    else req.pipe(upstream);
  };

  const server = http.createServer((req, res) => forward(req, res, pick(null), false));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `node proxy.js <port> <backend>...`: the bench runs the proxy in a process of its own so that
// it does not share an event loop with the load generator.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [portArg, ...backendArgs] = process.argv.slice(2);
  startProxy(backendArgs, Number(portArg)).then(
    (proxy) => {
      console.log(
        JSON.stringify({ event: 'proxy.started', url: proxy.url, backends: backendArgs }),
      );
      const stop = (): void => void proxy.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
