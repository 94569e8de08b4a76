import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** One autocannon run against one server, from this (the orchestrating) process. */

export interface Target {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  /** A fixed body, or one made per request (writes that must differ each time). */
  body?: string | (() => string);
}

export interface RunFigures {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU time (user + system) the server process spent per answered request, µs. */
  cpuUs: number;
}

/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * The CPU time a process has used, ms. Unlike requests/s this hardly moves when other work
 * on the machine takes the cores: it is what the work costs, not how fast it got through.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 0, utime field 11, stime field 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export async function load(
  server: { port: number; pid: number },
  target: Target,
  seconds: number,
  connections: number,
): Promise<RunFigures> {
  const { body } = target;
  const request: autocannon.Request = {
    method: target.method,
    path: target.path,
    headers: target.headers,
  };
  if (typeof body === 'string') request.body = body;
  if (typeof body === 'function') request.setupRequest = (req) => ({ ...req, body: body() });
  const cpuBefore = cpuMs(server.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections,
    duration: seconds,
    requests: [request],
  });
  const cpu = cpuMs(server.pid) - cpuBefore;
  return {
    cpuUs: Math.round((cpu * 1000) / Math.max(1, result.requests.total)),
    rps: Math.round((result.requests.total / result.duration) * 10) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
