/**
 * Throughput with one instance and with two behind the round-robin proxy of
 * test/scale/proxy.ts (issue 8 §8), on PostgreSQL: the server as `npm run start:prod` runs it
 * (dist/src/main.js), driven by autocannon over HTTP. How to run it and what the numbers mean:
 * bench/README.md, "Two instances".
 *
 * Three set-ups, each endpoint in turn: one instance straight (no proxy: the proxy's own cost),
 * one instance behind the proxy, two instances behind the proxy. Both instances run throughout;
 * the second is idle in the first two set-ups. The set-ups take turns for BENCH_ROUNDS rounds,
 * so that a burst of other work on the machine does not land on one set-up only, and each
 * figure is the median of its rounds.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { DEMO_PASSWORDS } from '../src/database/seeds/demo-data.js';
// The proxy runs in a process of its own (it must not share an event loop with autocannon);
// this import also puts proxy.ts in the program, so `tsc -p bench/tsconfig.json` emits it.
import type { Proxy } from '../test/scale/proxy.js';
import { machineFacts, scratchPostgres } from './lib.js';
import { freePort } from '../test/helpers/free-port.js';

const ROOT = process.cwd();
const DIST = join(ROOT, 'dist');
const PROXY_JS = fileURLToPath(new URL('../test/scale/proxy.js', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const RESULTS = join(ROOT, 'bench', 'results', 'scale-postgres.json');

async function waitReady(url: string, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not become ready`);
}

interface Proc {
  url: Proxy['url'];
  child: ChildProcess;
}

async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  await exited;
}

async function startInstance(env: NodeJS.ProcessEnv): Promise<Proc> {
  const port = await freePort();
  // The request log goes to /dev/null: written as in production, not parsed here.
  const child = spawn(process.execPath, [join(DIST, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/health/ready`, child, 'server');
  return { url, child };
}

async function startProxy(backends: string[]): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, [PROXY_JS, String(port), ...backends], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/health/live`, child, 'proxy');
  return { url, child };
}

interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Sample {
  setup: string;
  endpoint: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** The machine's one-minute load average when the sample started. */
  load: number;
}

interface Figure {
  setup: string;
  endpoint: string;
  /** Medians over the rounds. */
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function measure(
  setup: string,
  base: string,
  endpoint: Endpoint,
  round: number,
): Promise<Sample> {
  const options = {
    url: `${base}${endpoint.path}`,
    method: endpoint.method,
    headers: endpoint.headers,
    body: endpoint.body,
    connections: CONNECTIONS,
  };
  await autocannon({ ...options, duration: WARMUP_SECONDS });
  const load = Math.round(loadavg()[0] * 100) / 100;
  const result = await autocannon({ ...options, duration: SECONDS });
  const figure: Sample = {
    setup,
    endpoint: endpoint.name,
    round,
    load,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  console.log(
    `${round} ${setup.padEnd(22)} ${endpoint.name.padEnd(36)} ${String(figure.rps).padStart(5)} req/s ` +
      `p50 ${figure.p50} ms p99 ${figure.p99} ms non-2xx ${figure.non2xx} errors ${figure.errors} ` +
      `load ${load}`,
  );
  return figure;
}

async function main(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    console.log('bench:scale needs PostgreSQL: set DATABASE_URL (see bench/README.md).');
    process.exit(1);
  }
  const scratch = await scratchPostgres(baseUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'szifa-bench-scale-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: scratch.url,
    DATA_DIR: dataDir,
    TRUST_PROXY: 'true',
    // Timers would add noise; the load comes from one address, which the limiter would stop.
    SCHEDULER_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '1000000000',
    LOG_LEVEL: 'info',
  };
  const procs: Proc[] = [];
  try {
    const seeded = spawnSync(process.execPath, [join(DIST, 'src', 'cli.js'), 'seed:demo'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    if (seeded.status !== 0) throw new Error(`seed:demo: ${seeded.stdout}${seeded.stderr}`);
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    const one = async (sql: string): Promise<Record<string, unknown>> =>
      (await db.query(sql)).rows[0] as Record<string, unknown>;
    const staff = await one(`SELECT email FROM users WHERE role = 'staff_admin' LIMIT 1`);
    const complainant = await one(`SELECT email FROM users WHERE role = 'complainant' LIMIT 1`);
    const firm = await one(`SELECT id FROM firms WHERE status = 'active' ORDER BY id LIMIT 1`);
    const sizes = await one(
      `SELECT (SELECT COUNT(*) FROM firms)::int AS firms,
              (SELECT COUNT(*) FROM dispute_tickets)::int AS tickets`,
    );
    await db.end();

    const a = await startInstance(env);
    procs.push(a);
    const b = await startInstance(env);
    procs.push(b);
    const token = async (email: unknown, password: string): Promise<string> => {
      const res = await fetch(`${a.url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      const body = (await res.json()) as { accessToken?: string };
      if (!body.accessToken) throw new Error(`sign-in ${String(email)}: ${res.status}`);
      return body.accessToken;
    };
    const staffToken = await token(staff.email, DEMO_PASSWORDS.staff_admin);
    const complainantToken = await token(complainant.email, DEMO_PASSWORDS.complainant);
    const endpoints: Endpoint[] = [
      { name: 'GET /api/v1/directory', method: 'GET', path: '/api/v1/directory' },
      {
        name: 'GET /directory (page)',
        method: 'GET',
        path: '/directory',
        headers: { accept: 'text/html' },
      },
      {
        name: 'GET /api/v1/disputes/tickets (staff)',
        method: 'GET',
        path: '/api/v1/disputes/tickets',
        headers: { authorization: `Bearer ${staffToken}` },
      },
      {
        name: 'POST /api/v1/disputes/tickets',
        method: 'POST',
        path: '/api/v1/disputes/tickets',
        headers: {
          authorization: `Bearer ${complainantToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          firmId: firm.id,
          category: 'fee_dispute',
          amount: '88.00',
          facts: '基准测试：平台在未告知的情况下收取了服务费。',
          claim: '退还服务费。',
          contactPhone: '13800138000',
          accountRef: 'BENCH-SCALE',
        }),
      },
    ];

    const proxyOne = await startProxy([a.url]);
    procs.push(proxyOne);
    const proxyTwo = await startProxy([a.url, b.url]);
    procs.push(proxyTwo);
    const setups: Array<[string, string]> = [
      ['one instance, direct', a.url],
      ['one instance, proxy', proxyOne.url],
      ['two instances, proxy', proxyTwo.url],
    ];
    console.log(
      `${Number(sizes.firms)} firms, ${Number(sizes.tickets)} tickets (seed:demo); ${CONNECTIONS} connections, ` +
        `${SECONDS} s per endpoint after ${WARMUP_SECONDS} s warm-up, ${ROUNDS} rounds`,
    );
    const samples: Sample[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [setup, base] of setups) {
        for (const endpoint of endpoints) samples.push(await measure(setup, base, endpoint, round));
      }
    }
    const figures: Figure[] = setups.flatMap(([setup]) =>
      endpoints.map((endpoint) => {
        const mine = samples.filter((x) => x.setup === setup && x.endpoint === endpoint.name);
        return {
          setup,
          endpoint: endpoint.name,
          rps: median(mine.map((x) => x.rps)),
          p50: median(mine.map((x) => x.p50)),
          p99: median(mine.map((x) => x.p99)),
          non2xx: mine.reduce((sum, x) => sum + x.non2xx, 0),
          errors: mine.reduce((sum, x) => sum + x.errors, 0),
        };
      }),
    );
    console.log('\nmedians (req/s, p50 ms, p99 ms):');
    for (const f of figures)
      console.log(
        `${f.setup.padEnd(22)} ${f.endpoint.padEnd(36)} ${String(f.rps).padStart(5)} ` +
          `${String(f.p50).padStart(5)} ${String(f.p99).padStart(5)}`,
      );

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      RESULTS,
      JSON.stringify(
        {
          machine: machineFacts(),
          database: 'postgres',
          data: { ...sizes, seed: 'seed:demo' },
          connections: CONNECTIONS,
          seconds: SECONDS,
          warmupSeconds: WARMUP_SECONDS,
          rounds: ROUNDS,
          figures,
          samples,
        },
        null,
        2,
      ) + '\n',
    );
    console.log(`written ${RESULTS}`);
  } finally {
    for (const proc of procs.reverse()) await stop(proc);
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
