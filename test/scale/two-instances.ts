// Issue 8 §8, run by `npm run test:scale` (PostgreSQL only: SQLite is single-instance). Two real
// server processes on one scratch PostgreSQL database and one shared DATA_DIR, with the
// scheduler on in both, behind the round-robin proxy of proxy.ts. It checks that
//   a. every scheduled job runs once per period although both instances try it, and its effect
//      happens once; an instance that stops leaves the other serving; a late starter runs nothing;
//   b. a web session, its CSRF tokens and an API token made on one instance work on the other,
//      and signing out on one ends the session on both;
//   c. requests through the proxy land on both instances without errors, and the instances see
//      the client's address (X-Forwarded-For, TRUST_PROXY=true).
// It prints PASS/FAIL lines and exits 1 on any failure. See README.md beside this file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { DEMO_PASSWORDS } from '../../src/database/seeds/demo-data.js';
import { transpileServer } from '../helpers/transpile-server.js';
import { startProxy, type Proxy } from './proxy.js';
import { freePort } from '../helpers/free-port.js';

const ROOT = process.cwd();

/**
 * Every job registered with the scheduler (`grep -rn "scheduler.register(" src`; membership
 * registers four). A job in job_runs that is missing here fails the check, so the list cannot
 * fall behind silently.
 */
const JOBS = [
  'membership.renewal-invoices',
  'membership.dues-reminders',
  'membership.lapse',
  'membership.suspensions-ended',
  'disputes.overdue',
  'disputes.settlement-lapse',
  'certificates.pledge-superseded',
  'pledges.deadline',
  'ratings.expiry',
  'ratings.cycles',
];

/** How long to wait for something the instances do by themselves (first tick is at 5 s). */
const WAIT_MS = 90_000;

type Row = Record<string, unknown>;

const results: Array<{ ok: boolean; what: string; detail: string }> = [];
function check(ok: boolean, what: string, detail = ''): boolean {
  results.push({ ok, what, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
  return ok;
}

// ---- The scratch database -------------------------------------------------------------------

interface Scratch {
  url: string;
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

async function adminRun(baseUrl: string, sql: string): Promise<void> {
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function openScratch(url: string): Promise<Scratch> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    url,
    async query(sql, params = []) {
      return (await client.query(sql, params)).rows as Row[];
    },
    close: () => client.end(),
  };
}

/** The database URL an instance uses: its application_name tells its connections apart. */
function urlFor(base: string, name: string): string {
  const url = new URL(base);
  url.searchParams.set('application_name', name);
  return url.toString();
}

// ---- A mail server that counts what arrives ---------------------------------------------------

interface MailSink {
  /** The SMTP_URL of each instance: one listener each, to tell who sent what. */
  urls: Map<string, string>;
  /** Every message received: which instance sent it, to whom. */
  received: Array<{ from: string; to: string[] }>;
  close(): Promise<void>;
}

async function startMailSink(instances: string[]): Promise<MailSink> {
  const received: MailSink['received'] = [];
  const urls = new Map<string, string>();
  const servers: SMTPServer[] = [];
  for (const name of instances) {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received.push({ from: name, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as net.AddressInfo;
    urls.set(name, `smtp://127.0.0.1:${port}`);
    servers.push(server);
  }
  return {
    urls,
    received,
    close: () =>
      Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      ).then(() => undefined),
  };
}

// ---- Processes ------------------------------------------------------------------------------

function serverEnv(dbUrl: string, dataDir: string, smtpUrl?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SMTP_URL: smtpUrl,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: dbUrl,
    DATA_DIR: dataDir,
    // No APP_SECRET: both instances read the one seed:demo generated in the shared DATA_DIR.
    APP_SECRET: undefined,
    TRUST_PROXY: 'true',
    SCHEDULER_ENABLED: 'true',
  };
}

function cli(build: string, env: NodeJS.ProcessEnv, args: string[]): void {
  const run = spawnSync(process.execPath, [join(build, 'src', 'cli.js'), ...args], {
    cwd: ROOT,
    env: { ...env, SCHEDULER_ENABLED: 'false' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`cli ${args.join(' ')}: ${run.stdout}${run.stderr}`);
}

interface Instance {
  name: string;
  base: string;
  child: ChildProcess;
  /** Every JSON log line it wrote. */
  logs: Row[];
  exited: Promise<void>;
}

async function startInstance(
  build: string,
  name: string,
  dbUrl: string,
  dataDir: string,
  smtpUrl: string,
): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(build, 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...serverEnv(urlFor(dbUrl, name), dataDir, smtpUrl),
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Row[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Row;
          logs.push(entry);
          if (entry.msg === 'server.started') resolve();
        } catch {
          // not a log line
        }
      }
    });
    void exited.then(() => reject(new Error(`${name} exited early: ${stderr.slice(-2000)}`)));
  });
  return { name, base: `http://127.0.0.1:${port}`, child, logs, exited };
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode === null && instance.child.signalCode === null)
    instance.child.kill('SIGTERM');
  await instance.exited;
}

/** Polls `probe` until it answers true, or gives up after WAIT_MS. */
async function until(what: string, probe: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`  gave up waiting for ${what} after ${WAIT_MS / 1000} s`);
  return false;
}

// ---- HTTP -----------------------------------------------------------------------------------

/** Cookies as a browser would keep them for one site (names only; no paths or expiry). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

interface Page {
  status: number;
  location: string | null;
  text: string;
}

async function page(
  base: string,
  path: string,
  jar: Jar,
  form?: Record<string, string>,
): Promise<Page> {
  const res = await fetch(`${base}${path}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      cookie: jar.header(),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.take(res);
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field on the page');
  return match[1];
}

async function api(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: Row }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Row;
  try {
    parsed = text ? (JSON.parse(text) as Row) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

/** A request sent from another loopback address, to see what the server takes as the client. */
function requestFrom(
  localAddress: string,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

// ---- The checks -----------------------------------------------------------------------------

interface Fodder {
  /** Firms whose open invoice was pushed past its grace period: the lapse job's work. */
  lapsingFirms: string[];
  /** Open deadlines pushed into the past: the overdue job's work. */
  lateDeadlines: Array<{ id: string; ticketId: string; kind: string }>;
  overdueNoticesBefore: number;
}

/** Gives two jobs something to do that is easy to count afterwards. */
async function seedFodder(db: Scratch): Promise<Fodder> {
  const invoices = await db.query(
    `UPDATE invoices SET "dueOn" = '2020-01-31' WHERE id IN (
       SELECT i.id FROM invoices i JOIN firms f ON f.id = i."firmId"
        WHERE i.status = 'open' AND f.status = 'active' ORDER BY i.id LIMIT 3)
     RETURNING "firmId"`,
  );
  const deadlines = await db.query(
    `UPDATE dispute_deadlines SET "dueOn" = '2020-01-02' WHERE id IN (
       SELECT id FROM dispute_deadlines WHERE status = 'open' AND "breachedAt" IS NULL
        ORDER BY id LIMIT 3)
     RETURNING id, "ticketId", kind`,
  );
  const [notices] = await db.query(
    `SELECT COUNT(*)::int AS n FROM notifications WHERE kind = 'disputes.overdue'`,
  );
  return {
    lapsingFirms: [...new Set(invoices.map((r) => String(r.firmId)))],
    lateDeadlines: deadlines.map((r) => ({
      id: String(r.id),
      ticketId: String(r.ticketId),
      kind: String(r.kind),
    })),
    overdueNoticesBefore: Number(notices.n),
  };
}

/**
 * seed:demo ran without SMTP_URL, so its e-mails were kept, not sent. Marking them pending gives
 * both instances' senders the same backlog to race for when their first pass comes round.
 */
async function queueSeedMail(db: Scratch): Promise<number> {
  const rows = await db.query(
    `UPDATE email_outbox SET status = 'pending', "nextAttemptAt" = NULL WHERE status = 'kept'
     RETURNING id`,
  );
  return rows.length;
}

/** Every e-mail in the outbox was delivered exactly once, by one instance or the other. */
async function checkMailOnce(db: Scratch, mail: MailSink, queued: number): Promise<void> {
  // The senders look every 30 s (RETRY_INTERVAL_MS), e-mails queued by the jobs at once.
  const drained = await until('the outbox to drain', async () => {
    const [row] = await db.query(
      `SELECT COUNT(*)::int AS n FROM email_outbox WHERE status = 'pending'`,
    );
    return Number(row.n) === 0;
  });
  const sent = await db.query(`SELECT recipient FROM email_outbox WHERE status = 'sent'`);
  const tally = (list: string[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const to of list) counts.set(to, (counts.get(to) ?? 0) + 1);
    return counts;
  };
  const expected = tally(sent.map((r) => String(r.recipient)));
  const got = tally(mail.received.flatMap((m) => m.to));
  const by = (name: string): number => mail.received.filter((m) => m.from === name).length;
  const off = [...new Set([...expected.keys(), ...got.keys()])]
    .filter((to) => expected.get(to) !== got.get(to))
    .map((to) => `${to}: ${got.get(to) ?? 0} received, ${expected.get(to) ?? 0} in the outbox`);
  check(
    queued > 0 && drained && off.length === 0 && mail.received.length === sent.length,
    'every outbox e-mail was delivered exactly once (both instances send)',
    off.slice(0, 3).join('; ') ||
      `${queued} queued before start, ${sent.length} sent, ${mail.received.length} received: ` +
        `${by('scale-a')} from scale-a, ${by('scale-b')} from scale-b`,
  );
}

/** How long a won claim stays uncommitted (see watchClaims). */
const HOLD_CLAIM_S = 8;

/**
 * Test scaffolding on the scratch database only. A BEFORE INSERT trigger on job_runs records
 * every claim an instance tries, won or not (it fires for each proposed row, also one that
 * ON CONFLICT DO NOTHING then drops), with the connection's application_name. An AFTER INSERT
 * trigger, which fires only for the row that went in, holds the winner's transaction open for
 * HOLD_CLAIM_S: the other instance's claim then meets an uncommitted row and must wait for it,
 * the narrowest race there is, instead of finding a committed one.
 */
async function watchClaims(db: Scratch): Promise<void> {
  await db.query(
    `CREATE TABLE scale_claim_attempts (job varchar(64), "runKey" varchar(64), instance text,
       at timestamptz DEFAULT clock_timestamp())`,
  );
  await db.query(
    `CREATE FUNCTION scale_note_claim() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO scale_claim_attempts (job, "runKey", instance)
       VALUES (NEW.job, NEW."runKey", current_setting('application_name'));
       RETURN NEW;
     END $$`,
  );
  await db.query(
    `CREATE TRIGGER scale_note_claim BEFORE INSERT ON job_runs
       FOR EACH ROW EXECUTE FUNCTION scale_note_claim()`,
  );
  await db.query(
    `CREATE FUNCTION scale_hold_claim() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN PERFORM pg_sleep(${HOLD_CLAIM_S}); RETURN NULL; END $$`,
  );
  await db.query(
    `CREATE TRIGGER scale_hold_claim AFTER INSERT ON job_runs
       FOR EACH ROW EXECUTE FUNCTION scale_hold_claim()`,
  );
}

/** Instances that have tried to claim every job. */
async function claimants(db: Scratch): Promise<Map<string, number>> {
  const rows = await db.query(
    `SELECT instance, COUNT(DISTINCT job)::int AS jobs FROM scale_claim_attempts GROUP BY instance`,
  );
  return new Map(rows.map((r) => [String(r.instance), Number(r.jobs)]));
}

const ranBy = (instance: Instance): string[] =>
  instance.logs.filter((l) => l.msg === 'job.ran').map((l) => String(l.job));

async function checkJobsOnce(db: Scratch, a: Instance, b: Instance, fodder: Fodder) {
  const bothTried = await until('both instances to try every job', async () => {
    const seen = await claimants(db);
    return seen.get(a.name) === JOBS.length && seen.get(b.name) === JOBS.length;
  });
  const seen = await claimants(db);
  // How close the two claims of each job came: a few milliseconds means a real race.
  const [gap] = await db.query(
    `SELECT MAX(spread)::int AS max, MIN(spread)::int AS min,
            COUNT(*) FILTER (WHERE spread < $1 * 1000)::int AS raced FROM (
       SELECT job, EXTRACT(EPOCH FROM MAX(at) - MIN(at)) * 1000 AS spread
         FROM scale_claim_attempts WHERE instance IN ($2, $3) GROUP BY job) s`,
    [HOLD_CLAIM_S, a.name, b.name],
  );
  check(
    bothTried,
    'both instances tried to claim every job',
    `${a.name} ${seen.get(a.name) ?? 0}, ${b.name} ${seen.get(b.name) ?? 0} of ${JOBS.length}; ` +
      `the two claims of a job came ${String(gap.min)}–${String(gap.max)} ms apart`,
  );
  check(
    gap.raced === JOBS.length,
    'every second claim met the first one still uncommitted (a true race)',
    `${String(gap.raced)} of ${JOBS.length} within ${HOLD_CLAIM_S} s`,
  );
  // A run logs job.ran after it records its end, and the line reaches us through a pipe: wait
  // for both, or a run could look as if no instance had logged it.
  await until('every job run to finish and be logged', async () => {
    const [row] = await db.query(
      `SELECT COUNT(*)::int AS n FROM job_runs WHERE "finishedAt" IS NOT NULL`,
    );
    return Number(row.n) >= JOBS.length && ranBy(a).length + ranBy(b).length >= Number(row.n);
  });
  const runs = await db.query(
    `SELECT job, "runKey", "finishedAt", outcome FROM job_runs ORDER BY job`,
  );
  const unknown = runs.filter((r) => !JOBS.includes(String(r.job))).map((r) => String(r.job));
  check(unknown.length === 0, 'job_runs names only the jobs this check knows', unknown.join(', '));
  const perJob = JOBS.map((job) => ({
    job,
    rows: runs.filter((r) => r.job === job),
    ranOnA: ranBy(a).filter((j) => j === job).length,
    ranOnB: ranBy(b).filter((j) => j === job).length,
  }));
  const wrong = perJob.filter(
    (j) => j.rows.length !== 1 || j.rows[0].finishedAt === null || j.ranOnA + j.ranOnB !== 1,
  );
  check(
    wrong.length === 0,
    'each job ran exactly once (one finished job_runs row, one job.ran line across both logs)',
    wrong.length > 0
      ? wrong.map((j) => `${j.job}: ${j.rows.length} rows, ran ${j.ranOnA}+${j.ranOnB}`).join('; ')
      : `${ranBy(a).length} ran on ${a.name}, ${ranBy(b).length} on ${b.name}`,
  );

  // membership.lapse: each firm lapsed once, with one status event and one audit event.
  const lapseWrong: string[] = [];
  for (const firmId of fodder.lapsingFirms) {
    const [firm] = await db.query(`SELECT status FROM firms WHERE id = $1`, [firmId]);
    const [events] = await db.query(
      `SELECT COUNT(*)::int AS n FROM firm_status_events WHERE "firmId" = $1 AND status = 'lapsed'`,
      [firmId],
    );
    const [audits] = await db.query(
      `SELECT COUNT(*)::int AS n FROM audit_events
        WHERE action = 'membership.lapsed' AND "subjectId" = $1`,
      [firmId],
    );
    if (firm.status !== 'lapsed' || events.n !== 1 || audits.n !== 1)
      lapseWrong.push(
        `${firmId}: ${String(firm.status)}, ${Number(events.n)} events, ${Number(audits.n)} audits`,
      );
  }
  check(
    fodder.lapsingFirms.length > 0 && lapseWrong.length === 0,
    'membership.lapse: each overdue firm lapsed once (one status event, one audit event)',
    lapseWrong.join('; ') || `${fodder.lapsingFirms.length} firms`,
  );

  // disputes.overdue: each late clock escalated once (one timeline entry), and the notices the
  // run reported are the notices written.
  const overdueWrong: string[] = [];
  for (const d of fodder.lateDeadlines) {
    const [deadline] = await db.query(`SELECT "breachedAt" FROM dispute_deadlines WHERE id = $1`, [
      d.id,
    ]);
    const [entries] = await db.query(
      `SELECT COUNT(*)::int AS n FROM dispute_timeline WHERE "ticketId" = $1
          AND action = 'deadline_breached' AND detail LIKE $2`,
      [d.ticketId, `%"kind":"${d.kind}"%`],
    );
    if (deadline.breachedAt === null || entries.n !== 1)
      overdueWrong.push(
        `${d.id}: breached ${String(deadline.breachedAt)}, ${Number(entries.n)} entries`,
      );
  }
  const outcome = runs.find((r) => r.job === 'disputes.overdue')?.outcome;
  const notified =
    typeof outcome === 'string' ? Number((JSON.parse(outcome) as Row).notified) : NaN;
  const [notices] = await db.query(
    `SELECT COUNT(*)::int AS n FROM notifications WHERE kind = 'disputes.overdue'`,
  );
  const written = Number(notices.n) - fodder.overdueNoticesBefore;
  if (written !== notified)
    overdueWrong.push(`${written} notices written, run reported ${notified}`);
  check(
    fodder.lateDeadlines.length > 0 && overdueWrong.length === 0,
    'disputes.overdue: each late deadline escalated once; notices written = notices reported',
    overdueWrong.join('; ') || `${fodder.lateDeadlines.length} deadlines, ${written} notices`,
  );
}

async function checkSessions(db: Scratch, a: Instance, b: Instance, admin: string) {
  const password = DEMO_PASSWORDS.staff_admin;
  // Web: sign in on A's form.
  const jar = new Jar();
  const form = await page(a.base, '/sign-in', jar);
  const signedIn = await page(a.base, '/sign-in', jar, {
    _csrf: csrfFrom(form.text),
    email: admin,
    password,
  });
  check(
    signedIn.status === 303 && jar.has('szifa_session'),
    'web sign-in on A sets the session cookie',
    `status ${signedIn.status}`,
  );
  // The cookie on B: a signed-in page, and a form posted with B's own CSRF token.
  const list = await page(b.base, '/notifications', jar);
  check(list.status === 200, 'A’s session cookie opens a signed-in page on B', `${list.status}`);
  const unread = /action="\/notifications\/([0-9a-f-]{36})\/read"/.exec(list.text);
  if (check(unread !== null, 'the page on B lists an unread notification to mark read')) {
    const id = unread?.[1] ?? '';
    const posted = await page(b.base, `/notifications/${id}/read`, jar, {
      _csrf: csrfFrom(list.text),
    });
    const [row] = await db.query(`SELECT "readAt" FROM notifications WHERE id = $1`, [id]);
    check(
      posted.status === 303 && row.readAt !== null,
      'a form posted on B with B’s CSRF token works (notification marked read)',
      `status ${posted.status}`,
    );
    // And the token from B's page is good on A too: both derive it from the shared secret.
    const again = await page(a.base, '/notifications', jar);
    check(
      again.status === 200 && csrfFrom(again.text) === csrfFrom(list.text),
      'A and B derive the same CSRF token from the browser’s cookie',
    );
  }
  // API: a token from A works on B; sign-out on B ends it on A.
  const token = await api(a.base, 'POST', '/api/v1/auth/token', null, { email: admin, password });
  const bearer = typeof token.body.accessToken === 'string' ? token.body.accessToken : '';
  const me = await api(b.base, 'GET', '/api/v1/auth/me', bearer);
  check(
    token.status === 200 && me.status === 200,
    'an API token from A is accepted by B',
    `${token.status}/${me.status}`,
  );
  const logout = await api(b.base, 'POST', '/api/v1/auth/logout', bearer);
  const meAfter = await api(a.base, 'GET', '/api/v1/auth/me', bearer);
  check(
    logout.status < 300 && meAfter.status === 401,
    'API sign-out on B: A refuses the token',
    `${logout.status}/${meAfter.status}`,
  );
  // Web sign-out on B (B's CSRF token), then A treats the cookie as signed out.
  const beforeOut = await page(b.base, '/account', jar);
  const cookieBefore = jar.header();
  const out = await page(b.base, '/sign-out', jar, { _csrf: csrfFrom(beforeOut.text) });
  const onA = await fetch(`${a.base}/notifications`, {
    redirect: 'manual',
    headers: { accept: 'text/html', cookie: cookieBefore },
  });
  check(
    out.status === 303 && onA.status !== 200,
    'web sign-out on B: A no longer accepts the old session cookie',
    `sign-out ${out.status}, then A answers ${onA.status}${onA.headers.get('location') ? ` → ${onA.headers.get('location')}` : ''}`,
  );
}

async function checkProxy(
  db: Scratch,
  proxy: Proxy,
  a: Instance,
  b: Instance,
  admin: string,
): Promise<void> {
  const password = DEMO_PASSWORDS.staff_admin;
  const token = await api(proxy.url, 'POST', '/api/v1/auth/token', null, {
    email: admin,
    password,
  });
  const bearer = typeof token.body.accessToken === 'string' ? token.body.accessToken : '';
  const jar = new Jar();
  const form = await page(proxy.url, '/sign-in', jar);
  await page(proxy.url, '/sign-in', jar, {
    _csrf: csrfFrom(form.text),
    email: admin,
    password,
  });
  // X-Forwarded-For: a client on 127.0.0.9 signs in through the proxy; the session records
  // that address, not the proxy's.
  const viaOther = await requestFrom('127.0.0.9', 'POST', `${proxy.url}/api/v1/auth/token`, {
    email: admin,
    password,
  });
  const [seen] = await db.query(`SELECT COUNT(*)::int AS n FROM sessions WHERE ip = '127.0.0.9'`);
  check(
    viaOther.status === 200 && seen.n === 1,
    'behind the proxy the server sees the client’s address (X-Forwarded-For, TRUST_PROXY)',
    `sign-in ${viaOther.status}, sessions from 127.0.0.9: ${String(seen.n)}`,
  );
  const firms = await db.query(`SELECT id FROM firms WHERE status = 'active' LIMIT 5`);
  const mix: Array<() => RequestInit & { path: string }> = [
    () => ({ path: '/api/v1/directory?limit=5' }),
    () => ({ path: '/directory', headers: { accept: 'text/html' } }),
    () => ({ path: `/api/v1/directory/${String(firms[0]?.id)}` }),
    () => ({ path: '/api/v1/auth/me', headers: { authorization: `Bearer ${bearer}` } }),
    () => ({ path: '/notifications', headers: { accept: 'text/html', cookie: jar.header() } }),
    () => ({
      path: '/api/v1/disputes/tickets?limit=5',
      headers: { authorization: `Bearer ${bearer}` },
    }),
    () => ({ path: '/health/ready' }),
    () => ({
      path: '/api/v1/auth/token',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin, password }),
    }),
  ];
  const tag = randomBytes(4).toString('hex');
  const failures: string[] = [];
  const TOTAL = 200;
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < TOTAL) {
      const n = sent++;
      const { path, headers, ...init } = mix[n % mix.length]();
      const res = await fetch(`${proxy.url}${path}`, {
        redirect: 'manual',
        ...init,
        headers: { ...(headers as Record<string, string>), 'x-request-id': `scale-${tag}-${n}` },
      });
      await res.arrayBuffer();
      if (res.status !== 200) failures.push(`${init.method ?? 'GET'} ${path} → ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, () => worker()));
  const landed = (instance: Instance): number =>
    instance.logs.filter(
      (l) => l.msg === 'http.request' && String(l.requestId).startsWith(`scale-${tag}-`),
    ).length;
  // The last log lines may still be in the pipe.
  await until('both logs to show every request', () =>
    Promise.resolve(landed(a) + landed(b) === TOTAL),
  );
  check(
    failures.length === 0,
    `${TOTAL} mixed requests through the proxy, none failed`,
    failures.slice(0, 5).join('; '),
  );
  check(
    landed(a) > 0 && landed(b) > 0 && landed(a) + landed(b) === TOTAL,
    'they landed on both instances (counted by X-Request-Id in each log)',
    `${a.name} ${landed(a)}, ${b.name} ${landed(b)}`,
  );
}

/**
 * The sign-in throttle keeps its count in the database, so it holds across instances; the
 * request rate limiter counts in memory, per instance (documented in docs/operations.md).
 */
async function checkLimits(a: Instance, b: Instance): Promise<void> {
  const email = `nobody.${randomBytes(4).toString('hex')}@example.cn`;
  const statuses: number[] = [];
  // LOGIN_MAX_FAILURES is 5 by default: five failures, alternating instances, then a sixth.
  for (let i = 0; i < 6; i++) {
    const on = i % 2 === 0 ? a : b;
    statuses.push(
      (await api(on.base, 'POST', '/api/v1/auth/token', null, { email, password: 'wrong-Pass-1' }))
        .status,
    );
  }
  check(
    statuses.slice(0, 5).every((s) => s === 401) && statuses[5] === 429,
    'the sign-in throttle counts across instances (5 failures split A/B, the 6th is refused)',
    statuses.join(','),
  );
  // A client of its own (127.0.0.10), two requests to A, then one to B: B starts from its full
  // budget, which a shared counter would not.
  const remaining = async (on: Instance): Promise<number> => {
    const res = await requestFrom('127.0.0.10', 'GET', `${on.base}/api/v1/directory?limit=1`);
    return Number(res.headers['ratelimit-remaining']);
  };
  const a1 = await remaining(a);
  const a2 = await remaining(a);
  const b1 = await remaining(b);
  check(
    a2 === a1 - 1 && b1 === a1,
    'the request rate limiter counts per instance (as documented; not shared)',
    `RateLimit-Remaining: A ${a1} then ${a2}, then B ${b1}`,
  );
}

async function checkFailover(proxy: Proxy, a: Instance, b: Instance): Promise<void> {
  await stopInstance(a);
  const direct = await api(b.base, 'GET', '/health/ready', null);
  let ok = 0;
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await api(proxy.url, 'GET', '/api/v1/directory?limit=5', null);
    statuses.push(res.status);
    if (res.status === 200) ok++;
  }
  check(
    direct.status === 200 && ok === 20,
    `${a.name} stopped: ${b.name} keeps serving, directly and through the proxy`,
    `direct ${direct.status}, ${ok}/20 through the proxy`,
  );
}

async function checkLateStarter(db: Scratch, late: Instance): Promise<void> {
  const before = await db.query(`SELECT job, "startedAt" FROM job_runs ORDER BY job`);
  const tried = await until(`${late.name} to try every job`, async () => {
    return (await claimants(db)).get(late.name) === JOBS.length;
  });
  const after = await db.query(`SELECT job, "startedAt" FROM job_runs ORDER BY job`);
  check(
    tried && ranBy(late).length === 0 && JSON.stringify(after) === JSON.stringify(before),
    `an instance started later (${late.name}) tries every job and runs none`,
    `${ranBy(late).length} ran, job_runs ${before.length} → ${after.length} rows`,
  );
}

/**
 * SCALE_SABOTAGE=1 proves the check can fail: without job_runs' primary key a claim never
 * conflicts, both instances run every job, and the run must fail.
 */
async function sabotage(db: Scratch): Promise<void> {
  const [pk] = await db.query(
    `SELECT conname FROM pg_constraint WHERE conrelid = 'job_runs'::regclass AND contype = 'p'`,
  );
  await db.query(`ALTER TABLE job_runs DROP CONSTRAINT "${String(pk.conname)}"`);
  console.log(`sabotaged: job_runs primary key ${String(pk.conname)} dropped`);
}

async function main(): Promise<number> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    console.error(
      'test:scale needs PostgreSQL: set DATABASE_URL (a scratch database is made beside it).',
    );
    return 1;
  }
  const build = transpileServer();
  const name = `szifa_scale_${randomBytes(5).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'szifa-scale-'));
  const dataDir = join(dir, 'data');
  const dbUrl = new URL(baseUrl);
  dbUrl.pathname = `/${name}`;
  const instances: Instance[] = [];
  let proxy: Proxy | null = null;
  let db: Scratch | null = null;
  const mail = await startMailSink(['scale-a', 'scale-b', 'scale-a2']);
  const smtp = (instance: string): string => mail.urls.get(instance) ?? '';
  await adminRun(baseUrl, `CREATE DATABASE ${name}`);
  try {
    // Migrated once, seeded once, by the CLI, before any instance starts.
    cli(build, serverEnv(dbUrl.toString(), dataDir), ['seed:demo']);
    db = await openScratch(dbUrl.toString());
    const [staff] = await db.query(
      `SELECT email FROM users WHERE role = 'staff_admin' ORDER BY email LIMIT 1`,
    );
    const admin = String(staff.email);
    const fodder = await seedFodder(db);
    await watchClaims(db);
    const queued = await queueSeedMail(db);
    if (process.env.SCALE_SABOTAGE === '1') await sabotage(db);

    const [a, b] = await Promise.all([
      startInstance(build, 'scale-a', dbUrl.toString(), dataDir, smtp('scale-a')),
      startInstance(build, 'scale-b', dbUrl.toString(), dataDir, smtp('scale-b')),
    ]);
    instances.push(a, b);
    proxy = await startProxy([a.base, b.base]);
    console.log(`instances ${a.base} and ${b.base}, proxy ${proxy.url}, database ${name}`);

    await checkJobsOnce(db, a, b, fodder);
    await checkMailOnce(db, mail, queued);
    await checkSessions(db, a, b, admin);
    await checkProxy(db, proxy, a, b, admin);
    await checkLimits(a, b);
    await checkFailover(proxy, a, b);
    const late = await startInstance(
      build,
      'scale-a2',
      dbUrl.toString(),
      dataDir,
      smtp('scale-a2'),
    );
    instances.push(late);
    await checkLateStarter(db, late);
    const errors = instances.flatMap((i) =>
      i.logs.filter((l) => l.level === 'error').map((l) => `${i.name}: ${JSON.stringify(l)}`),
    );
    check(
      errors.length === 0,
      'no error lines in any instance’s log',
      errors.slice(0, 3).join('; '),
    );
  } finally {
    await proxy?.close();
    for (const instance of instances) await stopInstance(instance);
    await db?.close();
    await mail.close();
    await adminRun(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`two instances: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
