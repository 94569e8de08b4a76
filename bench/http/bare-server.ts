import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { hashEvent } from '../../src/modules/audit/audit-chain.js';
import type { Plan, PlannedRoute, PlannedStatement } from './plan.js';

/**
 * The floor the full stack is compared with: node:http, the same database through the same
 * driver (better-sqlite3 with the application's pragmas, or a pg Pool of the application's size
 * and time zone), the same per-request authentication (HS256 JWT with the same secret, issuer
 * and audience; session row not revoked nor expired and belonging to the token's subject; user
 * not disabled; no pending MFA step; role admitted by the route) and the same SQL statements the
 * application issued for the endpoint, as captured from its query log (plan.ts). No routing
 * library, no validation, no middleware: the response is the rows as JSON.
 */

type Row = Record<string, unknown>;

interface Db {
  /** Runs one statement; SELECTs give rows, others an empty list. */
  query(sql: string, params: unknown[], cache: boolean): Promise<Row[]>;
  /** Runs `work` in a transaction on one connection. */
  transaction<T>(work: (q: Db['query']) => Promise<T>): Promise<T>;
}

function sqliteDb(path: string): Db {
  const db = new Database(path, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  const statements = new Map<string, Database.Statement>();
  const query = (sql: string, params: unknown[], cache: boolean): Promise<Row[]> => {
    let statement = cache ? statements.get(sql) : undefined;
    if (!statement) {
      statement = db.prepare(sql);
      if (cache) statements.set(sql, statement);
    }
    if (statement.reader) return Promise.resolve(statement.all(...params) as Row[]);
    statement.run(...params);
    return Promise.resolve([]);
  };
  // One connection: transactions wait their turn, as the application's TransactionService
  // queues them (statements of other requests may still run in between, as there).
  let tail: Promise<unknown> = Promise.resolve();
  return {
    query,
    transaction<T>(work: (q: Db['query']) => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        db.exec('BEGIN');
        try {
          const result = await work(query);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      };
      const result = tail.then(run, run);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

function postgresDb(url: string): Db {
  // As src/database/data-source-options.ts: a pool of 10, UTC sessions.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c timezone=UTC' });
  const run =
    (client: pg.Pool | pg.PoolClient) =>
    async (sql: string, params: unknown[]): Promise<Row[]> =>
      (await client.query<Row>(sql, params)).rows;
  return {
    query: run(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('START TRANSACTION');
        const result = await work(run(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

class Refused extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

interface Caller {
  id: string;
  role: string;
}

interface Claims {
  sub: string;
  sid: string;
  typ: string;
}

const plan = JSON.parse(readFileSync(process.env.BENCH_PLAN ?? '', 'utf8')) as Plan;
const secret = process.env.APP_SECRET ?? '';
const issuer = process.env.JWT_ISSUER ?? 'szifa-platform';
const audience = process.env.JWT_AUDIENCE ?? 'szifa-api';
const db =
  plan.dialect === 'postgres'
    ? postgresDb(process.env.DATABASE_URL ?? '')
    : sqliteDb(process.env.SQLITE_PATH ?? '');
const isSqlite = plan.dialect === 'sqlite';

function verify(token: string): Promise<Claims> {
  return new Promise((resolve, reject) =>
    jwt.verify(token, secret, { algorithms: ['HS256'], issuer, audience }, (error, decoded) =>
      error ? reject(new Refused(401)) : resolve(decoded as Claims),
    ),
  );
}

/** What the access guard and SessionService.authenticate check on every request. */
async function authenticate(request: IncomingMessage, roles: string[]): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) throw new Refused(401);
  const claims = await verify(match[1]);
  if (claims.typ !== 'api' || typeof claims.sid !== 'string') throw new Refused(401);
  const [session] = await db.query(plan.sessionSql, [claims.sid], true);
  const expires = session ? readTime(session.Session_expiresAt) : undefined;
  if (
    !session ||
    session.Session_userId !== claims.sub ||
    !expires ||
    expires.getTime() <= Date.now()
  )
    throw new Refused(401);
  const [user] = await db.query(plan.userSql, [session.Session_userId], true);
  if (!user || user.User_disabledAt) throw new Refused(401);
  if (session.Session_pendingStep) throw new Refused(401);
  const role = user.User_role as string;
  if (!roles.includes(role)) throw new Refused(403);
  return { id: user.User_id as string, role };
}

/** A timestamp column as the driver returns it (SQLite: UTC text without zone). */
function readTime(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(String(value).replace(' ', 'T') + 'Z');
}

/** A timestamp as the driver receives it from TypeORM. */
function dbTime(date: Date): string {
  return isSqlite ? date.toISOString().replace('T', ' ').replace('Z', '') : date.toISOString();
}

/** The captured parameters with this request's fresh ids in place of the captured ones. */
function paramsFor(statement: PlannedStatement, ids: Map<string, string>): unknown[] {
  if (!statement.fresh) return statement.params;
  const params = [...statement.params];
  for (const [index, olds] of Object.entries(statement.fresh)) {
    let value = params[Number(index)] as string;
    for (const old of olds) {
      let id = ids.get(old);
      if (!id) ids.set(old, (id = randomUUID()));
      value = value.split(old).join(id);
    }
    params[Number(index)] = value;
  }
  return params;
}

/**
 * The audit append as AuditService.record does it: the head was read by the statement before;
 * seq + 1, its hash as prevHash, the SHA-256 of the canonical event as hash.
 */
function auditInsert(
  statement: PlannedStatement,
  params: unknown[],
  head: Row | undefined,
): { sql: string; params: unknown[] } {
  const seq = Number(head?.AuditEvent_seq ?? 0) + 1;
  const prevHash = (head?.AuditEvent_hash as string | undefined) ?? '0'.repeat(64);
  const literal = /VALUES \((\d+),/.exec(statement.sql);
  const values = literal ? [seq, ...params] : [...params];
  const occurredAt = new Date();
  const [, id, , actorId, actorRole, action, subjectType, subjectId, summary, ip, requestId] =
    values as string[];
  const hash = hashEvent({
    seq,
    id,
    occurredAt,
    actorId,
    actorRole,
    action,
    subjectType,
    subjectId,
    summary,
    ip,
    requestId,
    prevHash,
  });
  values[0] = seq;
  values[2] = dbTime(occurredAt);
  values[values.length - 2] = prevHash;
  values[values.length - 1] = hash;
  return literal
    ? { sql: statement.sql.replace(literal[0], `VALUES (${seq},`), params: values.slice(1) }
    : { sql: statement.sql, params: values };
}

const TX_START = /^(BEGIN|START TRANSACTION)/i;
const TX_END = /^(COMMIT|ROLLBACK)/i;

/** Runs the captured statements in order; BEGIN..COMMIT runs on one connection. */
async function replay(route: PlannedRoute): Promise<Row[][]> {
  const ids = new Map<string, string>();
  const results: Row[][] = [];
  let previous: Row[] = [];
  const runOne = async (q: Db['query'], statement: PlannedStatement): Promise<void> => {
    const params = paramsFor(statement, ids);
    if (statement.auditInsert) {
      const append = auditInsert(statement, params, previous[0]);
      previous = await q(append.sql, append.params, false);
    } else {
      previous = await q(statement.sql, params, true);
    }
    results.push(previous);
  };
  const statements = route.statements;
  for (let i = 0; i < statements.length; i++) {
    if (TX_START.test(statements[i].sql)) {
      let end = i + 1;
      while (end < statements.length && !TX_END.test(statements[end].sql)) end++;
      const inside = statements.slice(i + 1, end);
      await db.transaction(async (q) => {
        for (const statement of inside) await runOne(q, statement);
      });
      i = end;
    } else {
      await runOne(db.query, statements[i]);
    }
  }
  return results;
}

/**
 * PATCH /firms/:id/profile with { contactPhone }: FirmProfileService.updateProfile's
 * statements (captured: read the row, versioned UPDATE, revision row, audit append; then the
 * three reads of the answer), with the row's version and old value and the body's new value.
 */
async function firmUpdate(route: PlannedRoute, caller: Caller, body: string): Promise<Row[][]> {
  const { contactPhone } = JSON.parse(body) as { contactPhone: string };
  const firmId = /firms\/([^/]+)\/profile/.exec(route.path)?.[1] ?? '';
  const s = route.statements;
  const at = (pattern: RegExp): PlannedStatement => {
    const found = s.find((statement) => pattern.test(statement.sql));
    if (!found) throw new Error(`firm-update: no statement like ${String(pattern)}`);
    return found;
  };
  const begin = s.findIndex((statement) => TX_START.test(statement.sql));
  const end = s.findIndex((statement) => TX_END.test(statement.sql));
  const readFirm = s[begin + 1];
  const update = at(/^UPDATE "firms"/);
  const revision = at(/^INSERT INTO "firm_revisions"/);
  const auditStatements = s
    .slice(begin + 1, end)
    .filter((x) => /audit_events|pg_advisory/.test(x.sql));
  const ids = new Map<string, string>();
  await db.transaction(async (q) => {
    const [firm] = await q(readFirm.sql, readFirm.params, true);
    if (!firm) throw new Refused(404);
    const from = firm.Firm_contactPhone ?? null;
    if (from === contactPhone) return;
    const now = dbTime(new Date());
    const version = Number(firm.Firm_version);
    // SQLite gets the expected version inlined by TypeORM, PostgreSQL as the fourth parameter.
    const inlined = /AND "version" = \d+/.test(update.sql);
    const updateSql = update.sql.replace(/AND "version" = \d+/, `AND "version" = ${version}`);
    const updateParams = [contactPhone, now, firmId, ...(inlined ? [] : [version])];
    await q(updateSql, updateParams, !inlined);
    const changes = JSON.stringify({ contactPhone: { from, to: contactPhone } });
    await q(revision.sql, [randomUUID(), firmId, now, caller.id, 'edit', changes], true);
    let head: Row[] = [];
    for (const statement of auditStatements) {
      const params = paramsFor(statement, ids);
      if (statement.auditInsert) {
        const append = auditInsert(statement, params, head[0]);
        await q(append.sql, append.params, false);
      } else head = await q(statement.sql, params, true);
    }
  });
  const results: Row[][] = [];
  for (const statement of s.slice(end + 1))
    results.push(await db.query(statement.sql, statement.params, true));
  return results;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const routes = new Map(plan.routes.map((route) => [`${route.method} ${route.path}`, route]));

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const route = routes.get(`${request.method ?? ''} ${request.url ?? ''}`);
  if (!route) throw new Refused(404);
  const body = request.method === 'GET' ? '' : await readBody(request);
  const caller = route.roles ? await authenticate(request, route.roles) : undefined;
  const results =
    route.kind === 'firm-update' && caller
      ? await firmUpdate(route, caller, body)
      : await replay(route);
  const json = JSON.stringify({ results });
  response.writeHead(route.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    const status = error instanceof Refused ? error.status : 500;
    if (status === 500) process.stderr.write(`bare-server: ${String(error)}\n`);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status }));
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ ready: true }));
