// The crash loop of issue 8 §4, run by `npm run test:crash` (see run.js beside this file):
// the real server on a scratch database under write load, killed with SIGKILL at a random
// moment, then checked: the database is whole, every acknowledged write is there, no workflow
// is half-written, and the audit chain verifies. Knobs: CRASH_ROUNDS (default 5),
// CRASH_WRITERS (concurrent writers, default 8), CRASH_MAX_LOAD_MS (latest kill, default 4000),
// CRASH_SABOTAGE=1 (damages the database after the first crash: the run must fail).
// SQLite always; PostgreSQL too when DATABASE_URL is set (a scratch database beside it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { beijingDate } from '../../../src/common/time/beijing.js';
import { DEMO_PASSWORDS } from '../../../src/database/seeds/demo-data.js';
import { freePort } from '../../helpers/free-port.js';

const ROOT = process.cwd();
const BUILD = process.env.CRASH_BUILD ?? '';
const intEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const ROUNDS = intEnv('CRASH_ROUNDS', 5);
const WRITERS = intEnv('CRASH_WRITERS', 8);
const MAX_LOAD_MS = intEnv('CRASH_MAX_LOAD_MS', 4000);
const MIN_LOAD_MS = Math.min(1000, MAX_LOAD_MS);

type Row = Record<string, unknown>;

/** The scratch database, opened directly while the server is down. */
interface Store {
  label: 'sqlite' | 'postgres';
  env: Record<string, string>;
  /** SQL with `?` placeholders and double-quoted camelCase columns (both dialects). */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The engine's own consistency check: a list of problems, empty when whole. */
  integrity(): Promise<string[]>;
  close(): Promise<void>;
  drop(): Promise<void>;
}

function sqliteStore(dir: string): Store {
  const path = join(dir, 'szifa.sqlite');
  let db: Database.Database | null = null;
  const open = (): Database.Database => (db ??= new Database(path));
  return {
    label: 'sqlite',
    env: { SQLITE_PATH: path, DATA_DIR: join(dir, 'data') },
    query(sql, params = []) {
      const statement = open().prepare(sql);
      if (!statement.reader) {
        statement.run(...params);
        return Promise.resolve([]);
      }
      return Promise.resolve(statement.all(...params) as Row[]);
    },
    integrity() {
      const problems = (open().pragma('integrity_check') as Array<{ integrity_check: string }>)
        .map((r) => r.integrity_check)
        .filter((line) => line !== 'ok');
      const keys = open().pragma('foreign_key_check') as Row[];
      return Promise.resolve([
        ...problems,
        ...keys.map((k) => `foreign key: ${JSON.stringify(k)}`),
      ]);
    },
    close() {
      db?.close();
      db = null;
      return Promise.resolve();
    },
    drop: () => Promise.resolve(),
  };
}

async function postgresStore(baseUrl: string, dir: string): Promise<Store> {
  const name = `szifa_crash_${randomBytes(6).toString('hex')}`;
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const adminQuery = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let client: pg.Client | null = null;
  const open = async (): Promise<pg.Client> => {
    if (!client) {
      client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
    }
    return client;
  };
  const query = async (sql: string, params: unknown[] = []): Promise<Row[]> => {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    return (await (await open()).query(text, params)).rows as Row[];
  };
  return {
    label: 'postgres',
    env: { DATABASE_URL: url.toString(), DATA_DIR: join(dir, 'data') },
    query,
    async integrity() {
      // amcheck walks every B-tree index and checks its order and its links; a torn write
      // that PostgreSQL's WAL replay did not repair shows up here.
      await query('CREATE EXTENSION IF NOT EXISTS amcheck');
      const indexes = await query(
        `SELECT c.oid::int AS oid, c.relname AS name FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE a.amname = 'btree' AND n.nspname = 'public'`,
      );
      const problems: string[] = [];
      for (const index of indexes) {
        try {
          await query('SELECT bt_index_check(?::regclass, true)', [index.oid]);
        } catch (error) {
          problems.push(`index ${String(index.name)}: ${(error as Error).message}`);
        }
      }
      if (indexes.length === 0) problems.push('no indexes found to check');
      return problems;
    },
    async close() {
      await client?.end();
      client = null;
    },
    async drop() {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** The environment of the server and the CLI: the scratch database and nothing else. */
function childEnv(store: Store): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    SCHEDULER_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...store.env,
  };
  if (store.label === 'sqlite') delete env.DATABASE_URL;
  return env;
}

function cli(store: Store, args: string[]): { status: number; output: string } {
  const run = spawnSync(process.execPath, [join(BUILD, 'src', 'cli.js'), ...args], {
    cwd: ROOT,
    env: childEnv(store),
    encoding: 'utf8',
  });
  return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
}

async function startServer(store: Store): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(BUILD, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...childEnv(store), PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      if (lines.some((line) => line.includes('"server.started"'))) resolve();
    });
    void exited.then(() => reject(new Error(`server exited early: ${stderr.slice(-2000)}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, exited };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One request; a refused or cut connection answers status 0. */
async function call(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<Answer> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed };
  } catch {
    return { status: 0, body: {} };
  }
}

/** What the server acknowledged (2xx), to look for after the crash. */
type Ack =
  | { kind: 'ticket'; id: string; number: string }
  | { kind: 'draft'; id: string }
  | { kind: 'message'; id: string; ticketId: string }
  | { kind: 'invitation'; id: string }
  | { kind: 'payment'; invoiceId: string; bankReference: string }
  | { kind: 'certificate'; id: string; serial: string };

interface Cast {
  staff: string;
  complainants: Array<{ token: string; ticketId: string | null }>;
  firmAdmins: Array<{ token: string; firmId: string }>;
  /** Active member firms, to complain about and certify. */
  firms: string[];
  invoices: Array<{ id: string; version: number }>;
}

interface Tally {
  requests: number;
  acks: Ack[];
  serverErrors: string[];
}

/** Signs in the demo people the load uses; reads the records it writes against. */
async function castFor(store: Store, base: string): Promise<Cast> {
  const users = await store.query(
    `SELECT u.id, u.email, u.role, u."firmId" FROM users u ORDER BY u.email`,
  );
  const signIn = async (email: string, role: keyof typeof DEMO_PASSWORDS): Promise<string> => {
    const res = await call(base, 'POST', '/api/v1/auth/token', null, {
      email,
      password: DEMO_PASSWORDS[role],
    });
    if (res.status !== 200) throw new Error(`sign-in ${email}: ${res.status}`);
    return String(res.body.accessToken);
  };
  const byRole = (role: string) => users.filter((u) => u.role === role);
  const staffUser = byRole('staff_admin')[0];
  const activeFirms = (
    await store.query(`SELECT id FROM firms WHERE status = 'active' ORDER BY id`)
  ).map((r) => String(r.id));
  const complainants = [];
  for (const u of byRole('complainant').slice(0, 4)) {
    const open = await store.query(
      `SELECT id FROM dispute_tickets WHERE "complainantUserId" = ? AND state = 'in_mediation'
        AND "mediatorUserId" IS NOT NULL LIMIT 1`,
      [u.id],
    );
    complainants.push({
      token: await signIn(String(u.email), 'complainant'),
      ticketId: open[0] ? String(open[0].id) : null,
    });
  }
  const firmAdmins = [];
  for (const u of byRole('firm_admin')
    .filter((u) => activeFirms.includes(String(u.firmId)))
    .slice(0, 3))
    firmAdmins.push({
      token: await signIn(String(u.email), 'firm_admin'),
      firmId: String(u.firmId),
    });
  const invoices = (
    await store.query(
      `SELECT id, version FROM invoices WHERE status = 'open' AND "amountFen" - "paidFen" > 1000 ORDER BY id`,
    )
  ).map((r) => ({ id: String(r.id), version: Number(r.version) }));
  return {
    staff: await signIn(String(staffUser.email), 'staff_admin'),
    complainants,
    firmAdmins,
    firms: activeFirms,
    invoices,
  };
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];

/** One writer: multi-step workflows, one after another, until the server is gone. */
async function writer(
  n: number,
  base: string,
  cast: Cast,
  tally: Tally,
  stop: { stopped: boolean },
): Promise<void> {
  const send = async (method: string, path: string, token: string, body?: unknown) => {
    tally.requests++;
    const res = await call(base, method, path, token, body);
    if (res.status === 0) stop.stopped = true;
    else if (res.status >= 500 && !stop.stopped)
      tally.serverErrors.push(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  // Each writer pays its own invoices, so that versions do not race between writers.
  const myInvoices = cast.invoices.filter((_, i) => i % WRITERS === n);
  for (let step = 0; !stop.stopped; step++) {
    switch ((n + step) % 5) {
      case 0:
      case 1: {
        const c = pick(cast.complainants);
        const draft = await send('POST', '/api/v1/disputes/tickets', c.token, {
          firmId: pick(cast.firms),
          category: 'fee_dispute',
          amount: '88.00',
          facts: '压力测试：平台在未告知的情况下收取了服务费。',
          claim: '退还服务费。',
          contactPhone: '13800138000',
          accountRef: `CRASH-${n}-${step}`,
        });
        if (draft.status !== 201) break;
        const id = String(draft.body.id);
        tally.acks.push({ kind: 'draft', id });
        const filed = await send('POST', `/api/v1/disputes/tickets/${id}/file`, c.token, {
          consent: true,
          rulesVersion: 'rules-2026-1',
        });
        if (filed.status === 200)
          tally.acks.push({ kind: 'ticket', id, number: String(filed.body.number) });
        break;
      }
      case 2: {
        const withTicket = cast.complainants.filter((x) => x.ticketId);
        if (withTicket.length === 0) break;
        const c = pick(withTicket);
        if (!c.ticketId) break;
        const res = await send('POST', `/api/v1/disputes/tickets/${c.ticketId}/messages`, c.token, {
          body: `压力测试消息 ${n}-${step}`,
          visibility: 'parties',
        });
        if (res.status === 201)
          tally.acks.push({ kind: 'message', id: String(res.body.id), ticketId: c.ticketId });
        break;
      }
      case 3: {
        const a = pick(cast.firmAdmins);
        const res = await send('POST', `/api/v1/firms/${a.firmId}/invitations`, a.token, {
          email: `crash.${randomUUID()}@example.cn`,
          role: 'firm_member',
        });
        if (res.status === 201) tally.acks.push({ kind: 'invitation', id: String(res.body.id) });
        break;
      }
      case 4: {
        const invoice = myInvoices.length > 0 ? pick(myInvoices) : null;
        if (invoice && step % 2 === 0) {
          const bankReference = `CRASH-${randomUUID()}`;
          const res = await send('POST', `/api/v1/invoices/${invoice.id}/payments`, cast.staff, {
            amount: '0.01',
            paidOn: beijingDate(new Date()),
            bankReference,
            version: invoice.version,
          });
          if (res.status === 200) {
            invoice.version = Number(res.body.version);
            tally.acks.push({ kind: 'payment', invoiceId: invoice.id, bankReference });
          }
        } else {
          const res = await send('POST', '/api/v1/certificates', cast.staff, {
            kind: 'membership',
            subjectId: pick(cast.firms),
          });
          if (res.status === 201)
            tally.acks.push({
              kind: 'certificate',
              id: String(res.body.id),
              serial: String(res.body.serial),
            });
        }
        break;
      }
    }
  }
}

/** Acknowledged writes that the database no longer has. */
async function missing(store: Store, acks: Ack[]): Promise<string[]> {
  const lost: string[] = [];
  const one = async (sql: string, params: unknown[]) => (await store.query(sql, params)).length;
  for (const ack of acks) {
    let found: number;
    switch (ack.kind) {
      case 'ticket':
        found = await one(
          `SELECT 1 FROM dispute_tickets WHERE id = ? AND number = ? AND state <> 'draft'`,
          [ack.id, ack.number],
        );
        break;
      case 'draft':
        found = await one('SELECT 1 FROM dispute_tickets WHERE id = ?', [ack.id]);
        break;
      case 'message':
        found = await one(`SELECT 1 FROM dispute_messages WHERE id = ? AND "ticketId" = ?`, [
          ack.id,
          ack.ticketId,
        ]);
        break;
      case 'invitation':
        found = await one('SELECT 1 FROM firm_invitations WHERE id = ?', [ack.id]);
        break;
      case 'payment':
        found = await one(`SELECT 1 FROM payments WHERE "invoiceId" = ? AND "bankReference" = ?`, [
          ack.invoiceId,
          ack.bankReference,
        ]);
        break;
      case 'certificate':
        found = await one('SELECT 1 FROM certificates WHERE id = ? AND serial = ?', [
          ack.id,
          ack.serial,
        ]);
        break;
    }
    if (found !== 1) lost.push(JSON.stringify(ack));
  }
  return lost;
}

/**
 * Workflows written half: each query lists what should not exist. A multi-step write is one
 * transaction, so after a crash either every part of it is there or none is.
 */
const HALF_WRITTEN: Array<[string, string]> = [
  [
    'filed ticket without a number',
    `SELECT id FROM dispute_tickets WHERE state <> 'draft' AND number IS NULL`,
  ],
  [
    'filed ticket without its filing entry on the timeline',
    `SELECT t.id FROM dispute_tickets t WHERE t.state <> 'draft' AND NOT EXISTS
       (SELECT 1 FROM dispute_timeline e WHERE e."ticketId" = t.id AND e.action = 'file')`,
  ],
  [
    'ticket filed in this run without its triage clock',
    `SELECT t.id FROM dispute_tickets t WHERE t.state = 'filed' AND NOT EXISTS
       (SELECT 1 FROM dispute_deadlines d WHERE d."ticketId" = t.id AND d.kind = 'triage')`,
  ],
  [
    'timeline entry whose audit event is missing',
    `SELECT e.id FROM dispute_timeline e WHERE e."auditEventId" IS NOT NULL AND NOT EXISTS
       (SELECT 1 FROM audit_events a WHERE a.id = e."auditEventId")`,
  ],
  [
    'message without its timeline entry',
    `SELECT m.id FROM dispute_messages m WHERE NOT EXISTS
       (SELECT 1 FROM dispute_timeline e WHERE e."ticketId" = m."ticketId"
          AND e.action = 'message_posted' AND e.detail LIKE '%' || m.id || '%')`,
  ],
  [
    'message on a ticket that does not exist',
    `SELECT m.id FROM dispute_messages m WHERE NOT EXISTS
       (SELECT 1 FROM dispute_tickets t WHERE t.id = m."ticketId")`,
  ],
  [
    'certificate without its issuance audit event',
    `SELECT c.id FROM certificates c WHERE NOT EXISTS
       (SELECT 1 FROM audit_events a WHERE a.action = 'certificates.issued' AND a."subjectId" = c.id)`,
  ],
  [
    'payment without its audit event',
    `SELECT p.id FROM payments p WHERE NOT EXISTS
       (SELECT 1 FROM audit_events a WHERE a.action = 'membership.payment_recorded'
          AND a."subjectId" = p."invoiceId" AND a.summary LIKE '%' || p.id || '%')`,
  ],
  [
    'invoice whose paid amount differs from its payments',
    `SELECT i.id FROM invoices i WHERE i."paidFen" <>
       (SELECT COALESCE(SUM(p."amountFen"), 0) FROM payments p WHERE p."invoiceId" = i.id)`,
  ],
  [
    'invitation without its audit event',
    `SELECT f.id FROM firm_invitations f WHERE NOT EXISTS
       (SELECT 1 FROM audit_events a WHERE a.action = 'membership.invitation_sent'
          AND a.summary LIKE '%' || f.id || '%')`,
  ],
  [
    'ticket number counter behind the numbers it gave out',
    `SELECT s.name FROM sequence_counters s WHERE s.name LIKE 'dispute-ticket-%' AND s.value <
       (SELECT COUNT(*) FROM dispute_tickets t
         WHERE t.number LIKE 'SZIFA-M-' || substr(s.name, 16, 4) || '-%')`,
  ],
  [
    'audit sequence with a gap',
    `SELECT MAX(seq) AS top FROM audit_events HAVING MAX(seq) <> COUNT(*)`,
  ],
];

async function halfWritten(store: Store): Promise<string[]> {
  const found: string[] = [];
  for (const [what, sql] of HALF_WRITTEN) {
    const rows = await store.query(sql);
    if (rows.length > 0)
      found.push(`${what}: ${rows.length} (${JSON.stringify(rows.slice(0, 3))})`);
  }
  return found;
}

/**
 * CRASH_SABOTAGE=1 proves the checks can fail: after the first crash it deletes one
 * acknowledged write and one filing entry of the timeline, and the run must then fail.
 */
const SABOTAGE = process.env.CRASH_SABOTAGE === '1';

async function sabotage(store: Store, acks: Ack[]): Promise<void> {
  const draft = acks.find((a) => a.kind === 'draft');
  if (draft) await store.query('DELETE FROM dispute_tickets WHERE id = ?', [draft.id]);
  const filing = await store.query(
    `SELECT e.id FROM dispute_timeline e JOIN dispute_tickets t ON t.id = e."ticketId"
      WHERE e.action = 'file' LIMIT 1`,
  );
  if (filing[0]) await store.query('DELETE FROM dispute_timeline WHERE id = ?', [filing[0].id]);
  console.log(
    `[${store.label}] sabotaged: ${draft ? 1 : 0} acknowledged draft, ${filing.length} filing entry deleted`,
  );
}

interface Summary {
  database: string;
  rounds: number;
  requests: number;
  acknowledged: number;
  /** Acknowledged writes per workflow, to show that each was exercised. */
  byKind: Record<string, number>;
  missing: number;
  serverErrors: number;
  failures: string[];
}

async function crashLoop(store: Store): Promise<Summary> {
  const summary: Summary = {
    database: store.label,
    rounds: 0,
    requests: 0,
    acknowledged: 0,
    byKind: {},
    missing: 0,
    serverErrors: 0,
    failures: [],
  };
  const fail = (round: number, what: string) => summary.failures.push(`round ${round}: ${what}`);
  // The seed boots the application, which migrates the empty database first.
  const seeding = Date.now();
  const seeded = cli(store, ['seed:demo']);
  if (seeded.status !== 0) throw new Error(`seed:demo failed: ${seeded.output.slice(-2000)}`);
  console.log(`[${store.label}] migrated and seeded in ${Date.now() - seeding} ms`);
  const acks: Ack[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const booting = Date.now();
    const server = await startServer(store);
    const booted = Date.now() - booting;
    const cast = await castFor(store, server.base);
    await store.close();
    const tally: Tally = { requests: 0, acks: [], serverErrors: [] };
    const stop = { stopped: false };
    const load = Array.from({ length: WRITERS }, (_, n) =>
      writer(n, server.base, cast, tally, stop),
    );
    const delay = MIN_LOAD_MS + Math.floor(Math.random() * (MAX_LOAD_MS - MIN_LOAD_MS + 1));
    await new Promise((resolve) => setTimeout(resolve, delay));
    server.child.kill('SIGKILL');
    await server.exited;
    await Promise.all(load);
    acks.push(...tally.acks);
    summary.rounds = round;
    summary.requests += tally.requests;
    summary.serverErrors += tally.serverErrors.length;
    for (const error of tally.serverErrors) fail(round, `5xx under load: ${error}`);

    if (SABOTAGE && round === 1) await sabotage(store, acks);
    for (const problem of await store.integrity()) fail(round, `integrity: ${problem}`);
    const lost = await missing(store, acks);
    summary.missing = lost.length;
    for (const ack of lost) fail(round, `acknowledged write missing: ${ack}`);
    for (const half of await halfWritten(store)) fail(round, `half-written: ${half}`);
    await store.close();
    const audit = cli(store, ['audit:verify']);
    if (audit.status !== 0) fail(round, `audit:verify: ${audit.output.trim()}`);
    console.log(
      `[${store.label}] round ${round}: up in ${booted} ms, killed after ${delay} ms, ` +
        `${tally.requests} requests, ` +
        `${tally.acks.length} acknowledged writes, ${lost.length} missing, ` +
        `audit chain ${audit.status === 0 ? 'verifies' : 'BROKEN'}`,
    );
  }
  summary.acknowledged = acks.length;
  for (const ack of acks) summary.byKind[ack.kind] = (summary.byKind[ack.kind] ?? 0) + 1;
  // The last restart: the server must come up on what the last crash left.
  const server = await startServer(store);
  const ready = await call(server.base, 'GET', '/health/ready', null);
  if (ready.status !== 200) fail(ROUNDS, `not ready after the last restart: ${ready.status}`);
  server.child.kill('SIGTERM');
  await server.exited;
  return summary;
}

async function main(): Promise<number> {
  if (!BUILD) throw new Error('run through `npm run test:crash`, which builds the server first');
  const summaries: Summary[] = [];
  const targets: Array<() => Promise<Store>> = [
    () => Promise.resolve(sqliteStore(mkdtempSync(join(tmpdir(), 'szifa-crash-')))),
  ];
  const pgUrl = process.env.DATABASE_URL;
  if (pgUrl) targets.push(() => postgresStore(pgUrl, mkdtempSync(join(tmpdir(), 'szifa-crash-'))));
  for (const target of targets) {
    const store = await target();
    try {
      summaries.push(await crashLoop(store));
    } finally {
      await store.close();
      await store.drop();
      rmSync(store.env.DATA_DIR.replace(/\/data$/, ''), { recursive: true, force: true });
    }
  }
  for (const s of summaries) {
    console.log(
      `crash loop ${s.database}: ${s.rounds} rounds, ${s.requests} requests, ` +
        `${s.acknowledged} acknowledged writes ${JSON.stringify(s.byKind)}, ` +
        `${s.missing} missing after restart, ` +
        `${s.serverErrors} server errors, ${s.failures.length} failures`,
    );
    for (const failure of s.failures) console.error(`  FAIL ${failure}`);
  }
  return summaries.every((s) => s.failures.length === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
