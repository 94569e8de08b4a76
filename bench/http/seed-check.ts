import 'reflect-metadata';
/**
 * Self-check of the HTTP benchmark's data set: seeds small sizes (BENCH_FIRMS 2000,
 * BENCH_TICKETS 5000, BENCH_CERTIFICATES 200 unless set) into a temporary SQLite file and, when
 * DATABASE_URL is set, a scratch PostgreSQL database; boots the real application on each and
 * checks through HTTP that the seeded people and records work. Prints OK/FAIL per check; exits
 * non-zero on any failure.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/http/seed-check.js
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import { JsonLogger } from '../../src/common/logging/json-logger.js';
import { loadConfig } from '../../src/config/app-config.js';
import { perDatabase, type BenchDialect } from '../lib.js';
import { ticketId } from '../seed/ids.js';
import { ticketCounters, ticketRow, ticketYears } from '../seed/tickets.js';
import { seedLarge, ticketPlanFor, type SeedUser } from './seed.js';

const SIZES = {
  firms: Number(process.env.BENCH_FIRMS ?? 2000),
  tickets: Number(process.env.BENCH_TICKETS ?? 5000),
  certificates: Number(process.env.BENCH_CERTIFICATES ?? 200),
};

interface Reply {
  status: number;
  body: unknown;
}

async function child(dialect: BenchDialect): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'szifa-seed-check-'));
  const sqlitePath = join(dir, 'seed.sqlite');
  const target = dialect === 'postgres' ? (process.env.DATABASE_URL ?? '') : sqlitePath;
  let failures = 0;
  try {
    const facts = await seedLarge(dialect, target, SIZES);
    console.log(
      `${dialect}: seeded ${JSON.stringify(SIZES)}; ms per group ${JSON.stringify(facts.timings)}`,
    );

    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: join(dir, 'data'),
      SCHEDULER_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...(dialect === 'postgres' ? { DATABASE_URL: target } : { SQLITE_PATH: sqlitePath }),
    });
    if (dialect === 'sqlite')
      console.log(`sqlite: file size ${(statSync(sqlitePath).size / 1048576).toFixed(1)} MiB`);
    const app = await createApp(config, new JsonLogger('error'));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    try {
      const call = async (
        method: string,
        path: string,
        token?: string,
        body?: unknown,
      ): Promise<Reply> => {
        const response = await fetch(base + path, {
          method,
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: keep the text for the report.
        }
        return { status: response.status, body: parsed };
      };
      const check = (name: string, ok: boolean, detail: unknown): void => {
        if (!ok) failures++;
        console.log(
          `${dialect.padEnd(8)} ${ok ? 'OK  ' : 'FAIL'} ${name}${ok ? '' : `: ${JSON.stringify(detail).slice(0, 400)}`}`,
        );
      };
      await checkData(dialect, app.get<DataSource>(getDataSourceToken()), check);
      const signIn = async (label: string, user: SeedUser): Promise<string> => {
        const reply = await call('POST', '/api/v1/auth/token', undefined, {
          email: user.email,
          password: user.password,
        });
        const body = reply.body as { accessToken?: string; pendingStep?: string | null };
        check(
          `${label} signs in (${user.email})`,
          reply.status === 200 && typeof body.accessToken === 'string' && !body.pendingStep,
          reply,
        );
        return body.accessToken ?? '';
      };
      const items = (reply: Reply): unknown[] => {
        const body = reply.body as { items?: unknown[] };
        return Array.isArray(body.items) ? body.items : [];
      };

      const admin = await signIn('admin', facts.admin);
      const mediator = await signIn('mediator', facts.mediator);
      const firmAdmin = await signIn('firm admin', facts.firmAdmin);
      const complainant = await signIn('complainant', facts.complainant);

      const directory = await call('GET', '/api/v1/directory');
      check(
        'directory lists firms',
        directory.status === 200 && items(directory).length > 0,
        directory,
      );
      const firmPage = await call('GET', `/api/v1/directory/${facts.activeFirmId}`);
      check('active firm has a public record', firmPage.status === 200, firmPage);

      const mediatorList = await call('GET', '/api/v1/disputes/tickets', mediator);
      check(
        "mediator's ticket list has rows",
        mediatorList.status === 200 && items(mediatorList).length > 0,
        mediatorList,
      );
      const complainantList = await call('GET', '/api/v1/disputes/tickets', complainant);
      check(
        "complainant's ticket list has rows",
        complainantList.status === 200 && items(complainantList).length > 0,
        complainantList,
      );
      const staffList = await call('GET', '/api/v1/disputes/tickets?state=in_mediation', admin);
      check(
        'staff ticket list has rows',
        staffList.status === 200 && items(staffList).length > 0,
        staffList,
      );
      const firmList = await call('GET', '/api/v1/disputes/tickets', firmAdmin);
      check(
        "firm's ticket list has rows",
        firmList.status === 200 && items(firmList).length > 0,
        firmList,
      );

      const ticket = await call('GET', `/api/v1/disputes/tickets/${facts.openTicketId}`, mediator);
      const ticketState = (ticket.body as { ticket?: { state?: string }; state?: string }) ?? {};
      check(
        'open ticket is readable by its mediator',
        ticket.status === 200 &&
          (ticketState.ticket?.state ?? ticketState.state) === 'in_mediation',
        ticket,
      );
      const messages = await call(
        'GET',
        `/api/v1/disputes/tickets/${facts.openTicketId}/messages`,
        mediator,
      );
      check("open ticket's messages answer", messages.status === 200, messages);
      const posted = await call(
        'POST',
        `/api/v1/disputes/tickets/${facts.openTicketId}/messages`,
        mediator,
        {
          body: '请双方于本周内提交补充材料。 Please send any further evidence this week.',
          visibility: 'parties',
        },
      );
      check('mediator posts a message on the open ticket', posted.status === 201, posted);

      const verification = await call(
        'GET',
        `/api/v1/certificates/verify/${facts.certificateSerial}`,
      );
      check(
        'certificate verifies as valid',
        verification.status === 200 &&
          (verification.body as { status?: string }).status === 'valid',
        verification,
      );

      const profile = await call(
        'GET',
        `/api/v1/firms/${facts.firmAdmin.firmId}/profile`,
        firmAdmin,
      );
      check('firm admin reads their firm', profile.status === 200, profile);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures > 0) {
    console.error(`${dialect}: ${failures} check(s) failed`);
    process.exit(1);
  }
}

/**
 * The rows as stored match what the generator says (PostgreSQL computes tickets in SQL, SQLite
 * in JavaScript), and the sequence counters continue the seeded numbering. Reports the size.
 */
async function checkData(
  dialect: BenchDialect,
  db: DataSource,
  check: (name: string, ok: boolean, detail: unknown) => void,
): Promise<void> {
  const mark = (n: number): string => (dialect === 'postgres' ? `$${n}` : '?');
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T | undefined> =>
    (await db.query<T[]>(sql, params))[0];
  const plan = ticketPlanFor(SIZES);
  const years = ticketYears(plan);
  const samples = new Set([0, 1, 7, 8, 248, 999, plan.count - 1]);
  for (const { first } of years) for (const d of [-1, 0, 1, 20]) samples.add(first + d);
  const mismatches: unknown[] = [];
  for (const i of [...samples].filter((n) => n >= 0 && n < plan.count)) {
    const want = ticketRow(plan, i, (ms) => new Date(ms).toISOString(), years);
    const got = await one<Record<string, unknown>>(
      `SELECT id, number, state, "complainantUserId", "firmId", "mediatorUserId", "createdAt", "filedAt" FROM dispute_tickets WHERE id = ${mark(1)}`,
      [ticketId(i)],
    );
    const iso = (v: unknown): string | null =>
      v instanceof Date
        ? v.toISOString()
        : typeof v === 'string'
          ? new Date(`${v.replace(' ', 'T')}Z`).toISOString()
          : null;
    const gotRow = got
      ? [got.id, got.number, got.state, got.complainantUserId, got.firmId, got.mediatorUserId]
      : null;
    const wantRow = [want[0], want[1], want[2], want[3], want[4], want[9]];
    if (
      JSON.stringify(gotRow) !== JSON.stringify(wantRow) ||
      iso(got?.createdAt) !== want[11] ||
      iso(got?.filedAt) !== want[14]
    )
      mismatches.push({ i, got, want });
  }
  check(
    `tickets match the generator at ${samples.size} sample rows`,
    mismatches.length === 0,
    mismatches,
  );
  const counters = ticketCounters(plan);
  let countersOk = counters.length > 0;
  for (const { name, value } of counters) {
    const year = name.slice('dispute-ticket-'.length);
    const stored = await one<{ value: number | string }>(
      `SELECT value FROM sequence_counters WHERE name = ${mark(1)}`,
      [name],
    );
    const last = await one<{ number: string }>(
      `SELECT max(number) AS number FROM dispute_tickets WHERE number LIKE ${mark(1)}`,
      [`SZIFA-M-${year}-%`],
    );
    countersOk &&=
      Number(stored?.value) === value &&
      last?.number === `SZIFA-M-${year}-${String(value).padStart(6, '0')}`;
  }
  check('ticket number counters continue the seeded numbering', countersOk, counters);
  const certs = await db.query<Array<{ kind: string; n: number | string; last: string }>>(
    'SELECT kind, count(*) AS n, max(serial) AS last FROM certificates GROUP BY kind',
  );
  let certsOk = certs.length > 0;
  for (const row of certs) {
    const name = row.last.replace(/^SZIFA-([A-Z]+)-(\d{4})-.*$/, 'certificate-$1-$2');
    const stored = await one<{ value: number | string }>(
      `SELECT value FROM sequence_counters WHERE name = ${mark(1)}`,
      [name],
    );
    certsOk &&= Number(stored?.value) === Number(row.n);
  }
  check('certificate serial counters match the certificates', certsOk, certs);
  const size =
    dialect === 'postgres'
      ? Number(
          (await one<{ size: string }>('SELECT pg_database_size(current_database()) AS size'))
            ?.size,
        )
      : null;
  if (size !== null) console.log(`${dialect}: database size ${(size / 1048576).toFixed(1)} MiB`);
}

perDatabase(
  fileURLToPath(import.meta.url),
  `Seed check: ${JSON.stringify(SIZES)} per database, then the real application over HTTP.`,
  child,
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
