import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineFacts, perDatabase, type BenchDialect } from '../lib.js';
import { writeChart } from './chart.js';
import { load, type RunFigures, type Target } from './measure.js';
import {
  isAuthStatement,
  planStatements,
  type CapturedStatement,
  type Plan,
  type PlannedRoute,
} from './plan.js';
import { seedLarge, seedSizesFromEnv, type SeedFacts, type SeedSizes } from './seed.js';
import { ROLES } from '../../src/common/auth/roles.js';

/**
 * HTTP benchmark: the full application (createApp + listen, its own process) against a bare
 * node:http server (its own process) doing the same SQL with the same auth check, driven by
 * autocannon from this process, per endpoint, alternating full/bare. See bench/README.md.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
// BENCH_RESULTS_DIR: where the JSON and the chart go (CI's small smoke run writes elsewhere).
const resultsDir = resolve(process.env.BENCH_RESULTS_DIR ?? join(root, 'bench/results'));

const int = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const DURATION = int('BENCH_DURATION', 5);
const ROUNDS = int('BENCH_ROUNDS', 2);
const ENHANCER_ROUNDS = int('BENCH_ENHANCER_ROUNDS', 4);
const CONNECTIONS = int('BENCH_CONNECTIONS', 10);
const WARMUP = int('BENCH_WARMUP', 2);
const ENHANCER_DURATION = int('BENCH_ENHANCER_DURATION', 4);
/** Measure only the enhancer costs and put them into the existing results file. */
const ENHANCERS_ONLY = process.env.BENCH_ENHANCERS_ONLY === '1';
/** High enough that the guard never refuses: it still counts every request, as in production. */
const RATE_LIMIT = 1_000_000_000;

interface Endpoint {
  name: string;
  kind: 'read' | 'write';
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  /** Who calls: null for public. */
  as: 'mediator' | 'complainant' | 'firmAdmin' | null;
  /** Roles the route admits (from its controller), for the bare server's check. */
  roles: string[] | null;
  status: number;
  body?: () => string;
  bare: PlannedRoute['kind'];
  /** Concurrent connections, when not BENCH_CONNECTIONS. */
  connections?: number;
}

function endpoints(facts: SeedFacts): Endpoint[] {
  // Each request changes the number (an unchanged profile writes nothing); new per run.
  let phone = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  const ticket = `/api/v1/disputes/tickets/${facts.openTicketId}`;
  return [
    {
      name: 'directory search',
      kind: 'read',
      method: 'GET',
      path: '/api/v1/directory',
      as: null,
      roles: null,
      status: 200,
      bare: 'replay',
    },
    {
      name: 'directory search, filtered',
      kind: 'read',
      method: 'GET',
      path: `/api/v1/directory?district=nanshan&category=third_party_payment&q=${encodeURIComponent('科技')}`,
      as: null,
      roles: null,
      status: 200,
      bare: 'replay',
    },
    {
      name: 'firm public profile',
      kind: 'read',
      method: 'GET',
      path: `/api/v1/directory/${facts.activeFirmId}`,
      as: null,
      roles: null,
      status: 200,
      bare: 'replay',
    },
    {
      name: "mediator's tickets",
      kind: 'read',
      method: 'GET',
      path: '/api/v1/disputes/tickets',
      as: 'mediator',
      roles: [...ROLES],
      status: 200,
      bare: 'replay',
    },
    {
      name: "complainant's tickets",
      kind: 'read',
      method: 'GET',
      path: '/api/v1/disputes/tickets',
      as: 'complainant',
      roles: [...ROLES],
      status: 200,
      bare: 'replay',
    },
    {
      name: 'ticket detail (mediator)',
      kind: 'read',
      method: 'GET',
      path: ticket,
      as: 'mediator',
      roles: [...ROLES],
      status: 200,
      bare: 'replay',
    },
    {
      name: 'certificate verification',
      kind: 'read',
      method: 'GET',
      path: `/api/v1/certificates/verify/${encodeURIComponent(facts.certificateSerial)}`,
      as: null,
      roles: null,
      status: 200,
      bare: 'replay',
    },
    {
      name: 'post message (mediator)',
      kind: 'write',
      method: 'POST',
      path: `${ticket}/messages`,
      as: 'mediator',
      roles: [...ROLES],
      status: 201,
      body: () => JSON.stringify({ body: '请双方于本周五前提交补充材料。', visibility: 'parties' }),
      bare: 'replay',
    },
    {
      name: 'firm profile update',
      kind: 'write',
      method: 'PATCH',
      path: `/api/v1/firms/${facts.firmAdmin.firmId}/profile`,
      as: 'firmAdmin',
      roles: ['firm_admin'],
      status: 200,
      body: () => JSON.stringify({ contactPhone: `0755-${String(++phone)}` }),
      bare: 'firm-update',
      // One at a time: edits of one firm queue behind its row lock, so more connections would
      // measure the wait, not the work.
      connections: 1,
    },
  ];
}

/** The global enhancers measured one by one (names as full-server.ts reports them). */
const ENHANCERS = [
  'RateLimitGuard',
  'CsrfGuard',
  'AccessGuard',
  'ValidationPipe',
  'helmet',
  'cookieParser',
  'requestContext',
  'jsonParser',
  'urlencodedParser',
];
/** Where each enhancer's cost is measured: a public read (AccessGuard cannot be removed
 * from a route that needs the caller) and, for the others, a signed-in one. */
const ENHANCER_ENDPOINTS = (process.env.BENCH_ENHANCER_ENDPOINTS ?? 'directory search').split(',');

interface Server {
  port: number;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

let nextPort = 39_100 + Math.floor(Math.random() * 500) * 2;

/** Lets the last run's abandoned requests finish before the other server's turn. */
async function settle(): Promise<void> {
  await sleep(1000);
}

/**
 * Starts a server on the next port. The ports are picked without asking the system, so one may
 * be taken meanwhile (outgoing connections use the same range): a server that exits at start is
 * started again on the following port, up to five times.
 */
async function startServer(file: string, env: NodeJS.ProcessEnv, label: string): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(file, env, label);
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('at start')) throw error;
      console.log(`${label}: ${String(error)}; trying the next port`);
    }
  }
}

async function startServerOnce(
  file: string,
  env: NodeJS.ProcessEnv,
  label: string,
): Promise<Server> {
  const port = nextPort++;
  const child = fork(join(here, file), [], {
    cwd: root,
    env: { ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${label} did not start in 120 s`)), 120_000);
    child.once('message', () => {
      clearTimeout(timer);
      done();
    });
    child.once('exit', (code) => fail(new Error(`${label} exited (${String(code)}) at start`)));
  });
  return {
    port,
    pid: child.pid ?? 0,
    child,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
  };
}

async function signIn(port: number, user: { email: string; password: string }): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (!response.ok || !body.accessToken)
    throw new Error(`sign-in as ${user.email} failed: ${response.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

function targetFor(endpoint: Endpoint, tokens: Record<string, string>): Target {
  const headers: Record<string, string> = {};
  if (endpoint.as) headers.authorization = `Bearer ${tokens[endpoint.as]}`;
  if (endpoint.body) headers['content-type'] = 'application/json';
  return { method: endpoint.method, path: endpoint.path, headers, body: endpoint.body };
}

async function once(port: number, target: Target): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${target.path}`, {
    method: target.method,
    headers: target.headers,
    body: typeof target.body === 'function' ? target.body() : target.body,
  });
  return { status: response.status, text: await response.text() };
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** The SQL the application runs for one request of each endpoint, from its query log. */
async function capturePlan(
  dialect: BenchDialect,
  work: string,
  list: Endpoint[],
  tokens: Record<string, string>,
  port: number,
): Promise<Plan> {
  const file = join(work, 'captured.jsonl');
  const routes: PlannedRoute[] = [];
  let sessionSql = '';
  let userSql = '';
  for (const endpoint of list) {
    writeFileSync(file, '');
    const answer = await once(port, targetFor(endpoint, tokens));
    if (answer.status !== endpoint.status)
      throw new Error(`${endpoint.name}: ${answer.status} ${answer.text.slice(0, 300)}`);
    await sleep(300);
    const captured = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as CapturedStatement);
    let planned = planStatements(endpoint.path, captured);
    if (endpoint.as) {
      // The guard's session and user lookups come first; the bare server does them itself.
      if (
        isAuthStatement(planned[0]?.sql ?? '') !== 'session' ||
        isAuthStatement(planned[1]?.sql ?? '') !== 'user'
      )
        throw new Error(
          `${endpoint.name}: the captured request does not start with the session check`,
        );
      sessionSql = planned[0].sql;
      userSql = planned[1].sql;
      planned = planned.slice(2);
    }
    routes.push({
      name: endpoint.name,
      method: endpoint.method,
      path: endpoint.path,
      roles: endpoint.roles,
      kind: endpoint.bare,
      status: endpoint.status,
      statements: planned,
    });
  }
  return { dialect, sessionSql, userSql, routes };
}

interface Pair {
  full: Aggregate;
  bare: Aggregate;
}

interface Aggregate {
  rps: number;
  cpuUs: number;
  p50: number;
  p99: number;
  non2xx: number;
  rounds: RunFigures[];
}

function aggregate(rounds: RunFigures[]): Aggregate {
  const mean = (pick: (r: RunFigures) => number): number =>
    Math.round((rounds.reduce((sum, r) => sum + pick(r), 0) / rounds.length) * 100) / 100;
  return {
    rps: mean((r) => r.rps),
    cpuUs: mean((r) => r.cpuUs),
    p50: mean((r) => r.p50),
    p99: mean((r) => r.p99),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
    rounds,
  };
}

const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;

async function runDatabase(dialect: BenchDialect): Promise<void> {
  const sizes: SeedSizes = seedSizesFromEnv();
  const work = mkdtempSync(join(tmpdir(), `szifa-http-${dialect}-`));
  const reuse = process.env.BENCH_REUSE;
  let facts: SeedFacts;
  let target: string;
  let seedMs: number;
  if (reuse) {
    ({ facts, target } = JSON.parse(readFileSync(reuse, 'utf8')) as {
      facts: SeedFacts;
      target: string;
    });
    seedMs = 0;
    console.log(`[${dialect}] reusing ${target} (${reuse})`);
  } else {
    target = dialect === 'sqlite' ? join(work, 'bench.sqlite') : (process.env.DATABASE_URL ?? '');
    console.log(`[${dialect}] seeding ${JSON.stringify(sizes)} …`);
    const started = Date.now();
    facts = await seedLarge(dialect, target, sizes);
    seedMs = Date.now() - started;
    console.log(`[${dialect}] seeded in ${(seedMs / 1000).toFixed(1)} s`);
    if (process.env.BENCH_KEEP) {
      const keep = join(tmpdir(), `szifa-http-${dialect}-facts.json`);
      writeFileSync(keep, JSON.stringify({ facts, target }, null, 2));
      console.log(`[${dialect}] kept: ${target}; reuse with BENCH_REUSE=${keep}`);
    }
  }
  const dataDir = join(work, 'data');
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  const dbEnv = dialect === 'sqlite' ? { SQLITE_PATH: target } : { DATABASE_URL: target };
  const { DATABASE_URL: _ignored, ...base } = process.env;
  void _ignored;
  const appEnv: NodeJS.ProcessEnv = {
    ...base,
    ...dbEnv,
    // Production would demand TOTP of the mediator, whom the seed does not enrol; NODE_ENV
    // changes nothing else on these routes (see bench/README.md).
    NODE_ENV: 'development',
    APP_SECRET: secret,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    MIGRATIONS_RUN: 'false',
  };
  const list = endpoints(facts).filter(
    (e) => !process.env.BENCH_ENDPOINTS || process.env.BENCH_ENDPOINTS.split(',').includes(e.name),
  );

  // 1. The application with its query log on: tokens, and the SQL of each endpoint.
  const capture = await startServer(
    'full-server.js',
    { ...appEnv, BENCH_CAPTURE: join(work, 'captured.jsonl') },
    'capture server',
  );
  const tokens: Record<string, string> = {};
  let plan: Plan;
  try {
    tokens.mediator = await signIn(capture.port, facts.mediator);
    tokens.complainant = await signIn(capture.port, facts.complainant);
    tokens.firmAdmin = await signIn(capture.port, facts.firmAdmin);
    plan = await capturePlan(dialect, work, list, tokens, capture.port);
  } finally {
    await capture.stop();
  }
  const planFile = join(work, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan, null, 2));

  // 2. Both servers, measured in turns.
  const full = await startServer('full-server.js', appEnv, 'full server');
  const bare = await startServer(
    'bare-server.js',
    { ...appEnv, BENCH_PLAN: planFile },
    'bare server',
  );
  const results: Record<
    string,
    Pair & { kind: string; method: string; path: string; connections: number; statements: number }
  > = {};
  const enhancerCosts: Record<string, unknown> = {};
  try {
    for (const endpoint of ENHANCERS_ONLY ? [] : list) {
      const t = targetFor(endpoint, tokens);
      for (const server of [full, bare]) {
        const answer = await once(server.port, t);
        if (answer.status !== endpoint.status)
          throw new Error(
            `${endpoint.name} on ${server === full ? 'full' : 'bare'}: ${answer.status} ${answer.text.slice(0, 300)}`,
          );
      }
      const connections = endpoint.connections ?? CONNECTIONS;
      await load(full, t, WARMUP, connections);
      await settle();
      await load(bare, t, WARMUP, connections);
      await settle();
      const fullRuns: RunFigures[] = [];
      const bareRuns: RunFigures[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        fullRuns.push(await load(full, t, DURATION, connections));
        await settle();
        bareRuns.push(await load(bare, t, DURATION, connections));
        await settle();
      }
      const pair = { full: aggregate(fullRuns), bare: aggregate(bareRuns) };
      const statements = plan.routes.find((r) => r.name === endpoint.name)?.statements.length ?? 0;
      results[endpoint.name] = {
        kind: endpoint.kind,
        method: endpoint.method,
        path: endpoint.path,
        connections,
        statements,
        ...pair,
      };
      console.log(
        `[${dialect}] ${endpoint.name.padEnd(28)} full ${pair.full.rps.toFixed(0).padStart(6)} rps p50 ${pair.full.p50} p99 ${pair.full.p99} | bare ${pair.bare.rps.toFixed(0).padStart(6)} rps p50 ${pair.bare.p50} p99 ${pair.bare.p99} | rps ${ratio(pair.full.rps, pair.bare.rps)} p99 ${ratio(pair.full.p99, pair.bare.p99)} | cpu µs/req ${pair.full.cpuUs}/${pair.bare.cpuUs} | non-2xx ${pair.full.non2xx + pair.bare.non2xx}`,
      );
      if (pair.full.non2xx + pair.bare.non2xx > 0)
        throw new Error(
          `${endpoint.name}: ${pair.full.non2xx} full / ${pair.bare.non2xx} bare non-2xx answers or errors`,
        );
    }

    // 3. What each global enhancer costs: the same app with that one removed, in turns.
    if (process.env.BENCH_SKIP_ENHANCERS !== '1') {
      for (const name of ENHANCER_ENDPOINTS) {
        const endpoint = list.find((e) => e.name === name);
        if (!endpoint) continue;
        const t = targetFor(endpoint, tokens);
        const costs: Record<string, unknown> = {};
        // An identical second server first: its "cost" is the noise of the method.
        for (const enhancer of ['(none: A/A noise)', ...ENHANCERS]) {
          if (enhancer === 'AccessGuard' && endpoint.as) continue;
          const without = await startServer(
            'full-server.js',
            enhancer.startsWith('(') ? appEnv : { ...appEnv, BENCH_WITHOUT: enhancer },
            `server without ${enhancer}`,
          );
          try {
            const answer = await once(without.port, t);
            if (answer.status !== endpoint.status)
              throw new Error(
                `${endpoint.name} without ${enhancer}: ${answer.status} ${answer.text.slice(0, 200)}`,
              );
            await load(without, t, WARMUP, CONNECTIONS);
            await settle();
            await load(full, t, WARMUP, CONNECTIONS);
            await settle();
            const withRuns: RunFigures[] = [];
            const withoutRuns: RunFigures[] = [];
            for (let round = 0; round < ENHANCER_ROUNDS; round++) {
              // Which goes first alternates, so that an order effect cancels out.
              const pair = round % 2 === 0 ? [full, without] : [without, full];
              for (const server of pair) {
                const figures = await load(server, t, ENHANCER_DURATION, CONNECTIONS);
                (server === full ? withRuns : withoutRuns).push(figures);
                await settle();
              }
            }
            const pct = (x: number): number => Math.round(x * 1000) / 10;
            const perRound = withRuns.map((w, i) => pct(1 - w.rps / withoutRuns[i].rps));
            const perRoundCpu = withRuns.map((w, i) => pct(1 - withoutRuns[i].cpuUs / w.cpuUs));
            const w = aggregate(withRuns);
            const wo = aggregate(withoutRuns);
            const cost = pct(1 - w.rps / wo.rps);
            const cpuCost = pct(1 - wo.cpuUs / w.cpuUs);
            costs[enhancer] = {
              costPercent: cost,
              perRoundPercent: perRound,
              cpuCostPercent: cpuCost,
              perRoundCpuPercent: perRoundCpu,
              rpsWith: w.rps,
              rpsWithout: wo.rps,
              cpuUsWith: w.cpuUs,
              cpuUsWithout: wo.cpuUs,
              p99With: w.p99,
              p99Without: wo.p99,
              non2xx: w.non2xx + wo.non2xx,
            };
            console.log(
              `[${dialect}] ${endpoint.name}: ${enhancer.padEnd(20)} rps cost ${cost.toFixed(1)} % (rounds ${perRound.join(', ')}) | cpu cost ${cpuCost.toFixed(1)} % (rounds ${perRoundCpu.join(', ')}) | ${w.rps}/${wo.rps} rps, ${w.cpuUs}/${wo.cpuUs} µs`,
            );
            if (w.non2xx + wo.non2xx > 0) throw new Error(`${enhancer}: non-2xx answers`);
          } finally {
            await without.stop();
          }
        }
        enhancerCosts[endpoint.name] = costs;
      }
    }
  } finally {
    await full.stop();
    await bare.stop();
  }

  const output = {
    benchmark: 'http',
    database: dialect,
    machine: { ...machineFacts(), loadAverageAtStart: undefined as number[] | undefined },
    settings: {
      durationSeconds: DURATION,
      rounds: ROUNDS,
      enhancerRounds: ENHANCER_ROUNDS,
      enhancerDurationSeconds: ENHANCER_DURATION,
      connections: CONNECTIONS,
      warmupSeconds: WARMUP,
      rateLimitPerMinute: RATE_LIMIT,
      logLevel: 'warn',
    },
    sizes: facts.sizes,
    seeding: {
      totalMs: reuse ? (facts.timings.total ?? 0) : seedMs,
      timings: facts.timings,
      reusedKeptDatabase: Boolean(reuse),
    },
    goals: { readRpsRatioAtLeast: 0.5, p99RatioAtMost: 2, enhancerCostAtMostPercent: 5 },
    endpoints: Object.fromEntries(
      Object.entries(results).map(([name, r]) => {
        const rpsRatio = ratio(r.full.rps, r.bare.rps);
        const p99Ratio = ratio(r.full.p99, r.bare.p99);
        // bare CPU ÷ full CPU per request: the throughput ratio a machine with nothing else
        // running would show, when the server's own CPU is what limits it.
        const cpuRatio = ratio(r.bare.cpuUs, r.full.cpuUs);
        return [
          name,
          {
            ...r,
            rpsRatio,
            p99Ratio,
            cpuRatio,
            goalsMet: { rps: r.kind === 'read' ? rpsRatio >= 0.5 : null, p99: p99Ratio <= 2 },
          },
        ];
      }),
    ),
    enhancerCosts,
  };
  output.machine.loadAverageAtStart = loadAtStart;
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `http-${dialect}.json`);
  if (ENHANCERS_ONLY) {
    // Only the enhancer costs were measured: they replace those of the last full run.
    const previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    Object.assign(previous, {
      enhancerCosts,
      enhancerRun: { machine: output.machine, settings: output.settings },
    });
    writeFileSync(file, JSON.stringify(previous, null, 2) + '\n');
  } else writeFileSync(file, JSON.stringify(output, null, 2) + '\n');
  console.log(`[${dialect}] wrote ${file}`);
  if (!process.env.BENCH_KEEP && !reuse) rmSync(work, { recursive: true, force: true });
}

const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);

await perDatabase(
  fileURLToPath(import.meta.url),
  `HTTP benchmark: full application vs bare node:http, ${DURATION} s × ${ROUNDS} rounds, ${CONNECTIONS} connections`,
  runDatabase,
);
if (!process.argv[2]?.startsWith('--child')) {
  const files = ['sqlite', 'postgres']
    .map((d) => join(resultsDir, `http-${d}.json`))
    .filter((f) => existsSync(f));
  writeChart(files, join(resultsDir, 'http-throughput.svg'));
  console.log(`wrote ${join(resultsDir, 'http-throughput.svg')}`);
}
