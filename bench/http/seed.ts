import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { beijingYear } from '../../src/common/time/beijing.js';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import type { BenchDialect } from '../lib.js';
import { openBulk, type BulkConnection } from '../seed/bulk.js';
import { isRevoked, loadCertificates, type CertificateHolder } from '../seed/certificates.js';
import { loadFirmsPostgres, loadFirmsSqlite, seedFirms, type SeedFirm } from '../seed/firms.js';
import { firmId, mediatorId, ticketId, userId } from '../seed/ids.js';
import {
  loadTicketsPostgres,
  loadTicketsSqlite,
  openTicketOf,
  ticketCounters,
  type TicketPlan,
} from '../seed/tickets.js';
import {
  complainantEmail,
  firmAdminEmail,
  firmAdminId,
  loadPeople,
  mediatorEmail,
  SEED_PASSWORD,
  staffEmail,
  staffId,
} from '../seed/users.js';

/**
 * The large data set the HTTP benchmark runs against: 100,000 firms, 1,000,000 dispute tickets
 * and 10,000 certificates, plus the signed-in people who read and write them.
 *
 * CONTRACT (shared by bench/http/seed.ts, owned by the seed helper, and the harness in
 * bench/http/*.ts): do not change the shape of SeedFacts without telling the lead.
 */
export interface SeedSizes {
  firms: number; // default 100_000 (BENCH_FIRMS)
  tickets: number; // default 1_000_000 (BENCH_TICKETS)
  certificates: number; // default 10_000 (BENCH_CERTIFICATES)
}

/** A person the benchmark signs in as (no TOTP enrolled; password sign-in works). */
export interface SeedUser {
  id: string;
  email: string;
  password: string;
}

export interface SeedFacts {
  sizes: SeedSizes;
  /** Association staff (role admin). */
  admin: SeedUser;
  /** A mediator with many assigned tickets (some open). */
  mediator: SeedUser;
  /** A firm admin of an active member firm, and that firm's id. */
  firmAdmin: SeedUser & { firmId: string };
  /** A consumer with several complaints (tickets) of their own. */
  complainant: SeedUser;
  /** An active member firm (public profile readable). */
  activeFirmId: string;
  /** A ticket assigned to `mediator`, still open (messages can be posted). */
  openTicketId: string;
  /** A valid certificate's serial (public verification). */
  certificateSerial: string;
  /** How long seeding took, ms, per table group. */
  timings: Record<string, number>;
  /** How many people of each kind were seeded (all share `admin.password`). */
  people?: { staff: number; mediators: number; firmAdmins: number; complainants: number };
}

/** Sizes from BENCH_FIRMS / BENCH_TICKETS / BENCH_CERTIFICATES, or the issue's defaults. */
export function seedSizesFromEnv(env: NodeJS.ProcessEnv = process.env): SeedSizes {
  return {
    firms: Number(env.BENCH_FIRMS ?? 100_000),
    tickets: Number(env.BENCH_TICKETS ?? 1_000_000),
    certificates: Number(env.BENCH_CERTIFICATES ?? 10_000),
  };
}

/** Seconds between two seeded tickets: a million span January 2024 to November 2025. */
const TICKET_STEP_SECONDS = 60;
/** A complainant has about this many tickets; capped so the users table stays plausible. */
const TICKETS_PER_COMPLAINANT = 5;
const MAX_COMPLAINANTS = 200_000;
const MAX_MEDIATORS = 100;

/** People and ticket spread for the sizes (small sizes stay consistent, e.g. for the check). */
export function ticketPlanFor(sizes: SeedSizes): TicketPlan {
  if (sizes.firms < 1 || sizes.tickets < 100)
    throw new Error('seedLarge: needs at least 1 firm and 100 tickets');
  let complainants = Math.max(
    1,
    Math.min(MAX_COMPLAINANTS, Math.ceil(sizes.tickets / TICKETS_PER_COMPLAINANT)),
  );
  // Ticket i belongs to complainant (31 i) mod complainants: a multiple of 31 would leave
  // most complainants without a ticket.
  if (complainants % 31 === 0) complainants += 1;
  const mediators = Math.max(1, Math.min(MAX_MEDIATORS, Math.floor(sizes.tickets / 200)));
  return {
    count: sizes.tickets,
    firms: sizes.firms,
    complainants,
    mediators,
    stepSeconds: TICKET_STEP_SECONDS,
    flavour: 'realistic',
  };
}

async function timed(
  timings: Record<string, number>,
  name: string,
  work: () => unknown,
): Promise<void> {
  const start = process.hrtime.bigint();
  await Promise.resolve(work());
  timings[name] = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
}

/** Runs every migration, exactly as the server does on start (MIGRATIONS_RUN). */
async function migrate(dialect: BenchDialect, target: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'szifa-seed-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: join(dir, 'data'),
      ...(dialect === 'postgres' ? { DATABASE_URL: target } : { SQLITE_PATH: target }),
    });
    const dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writeCounters(
  db: BulkConnection,
  counters: Array<{ name: string; value: number }>,
): Promise<void> {
  if (counters.length === 0) return;
  await db.insert(
    'sequence_counters',
    ['name', 'value'],
    counters.map((c) => [c.name, c.value]),
  );
}

/**
 * Creates the schema by running every migration on the empty database (SQLite file path, or
 * PostgreSQL URL) and bulk-loads the data set with plain SQL. Deterministic (seeded generator;
 * certificates are dated in the current Beijing year so that they verify as valid).
 *
 * Entity column types follow DATABASE_URL at load time: call it for 'postgres' in a process
 * whose DATABASE_URL is a PostgreSQL URL, for 'sqlite' in one without (see perDatabase).
 */
export async function seedLarge(
  dialect: BenchDialect,
  target: string,
  sizes: SeedSizes,
  options: { publicUrl?: string } = {},
): Promise<SeedFacts> {
  const pgEnv = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');
  if ((dialect === 'postgres') !== pgEnv)
    throw new Error(
      `seedLarge(${dialect}): DATABASE_URL must ${dialect === 'postgres' ? '' : 'not '}be a PostgreSQL URL in this process`,
    );
  const plan = ticketPlanFor(sizes);
  const timings: Record<string, number> = {};
  const total = process.hrtime.bigint();

  await timed(timings, 'migrations', () => migrate(dialect, target));
  const db = await openBulk(dialect, target);
  try {
    // Firms: the first active one is the benchmark's firm; active firms hold the certificates.
    let activeFirm: SeedFirm | null = null;
    const holders: CertificateHolder[] = [];
    function* firms(): Generator<SeedFirm> {
      for (const firm of seedFirms(sizes.firms, firmId)) {
        if (firm.status === 'active') {
          activeFirm ??= firm;
          if (holders.length < sizes.certificates)
            holders.push({
              firmId: firm.id,
              holder: {
                firmNameZh: firm.name,
                firmNameEn: firm.nameEn,
                creditCode: firm.creditCode,
              },
            });
        }
        yield firm;
      }
    }
    await timed(timings, 'firms', () =>
      db.sqlite
        ? loadFirmsSqlite(db.sqlite, firms(), db.time(Date.UTC(2024, 0, 1)) as string)
        : loadFirmsPostgres(db.pg!, firms(), new Date(Date.UTC(2024, 0, 1))),
    );
    const firm = activeFirm as SeedFirm | null;
    if (!firm) throw new Error('seedLarge: no active firm among the seeded firms');

    await timed(timings, 'users', () =>
      loadPeople(db, {
        firms: sizes.firms,
        complainants: plan.complainants,
        mediators: plan.mediators,
      }),
    );

    await timed(timings, 'tickets', async () => {
      if (db.sqlite) loadTicketsSqlite(db.sqlite, plan);
      else await loadTicketsPostgres(db.pg!, plan);
      await writeCounters(db, ticketCounters(plan));
    });

    let serials: string[] = [];
    await timed(timings, 'certificates', async () => {
      const loaded = await loadCertificates(
        db,
        {
          count: sizes.certificates,
          year: beijingYear(new Date()),
          publicUrl: options.publicUrl ?? 'http://localhost:3000',
        },
        holders,
      );
      serials = loaded.serials;
      await writeCounters(db, loaded.counters);
    });

    if (dialect === 'postgres')
      // What autovacuum does shortly after a bulk load: planner statistics and the visibility
      // map (index-only scans), as in the other benchmarks.
      await timed(timings, 'vacuumAnalyze', () => db.exec('VACUUM ANALYZE'));
    timings.total = Math.round(Number(process.hrtime.bigint() - total) / 1e6);

    const m = 12 % plan.mediators;
    const open = openTicketOf(plan, m);
    if (open < 0) throw new Error('seedLarge: too few tickets for an open mediated ticket');
    const certificate = serials.find((_, k) => !isRevoked(k));
    if (!certificate) throw new Error('seedLarge: needs at least one certificate');
    const person = (id: string, email: string): SeedUser => ({
      id,
      email,
      password: SEED_PASSWORD,
    });
    const c = 42 % plan.complainants;
    return {
      sizes,
      admin: person(staffId(0), staffEmail(0)),
      mediator: person(mediatorId(m), mediatorEmail(m)),
      firmAdmin: { ...person(firmAdminId(firm.n), firmAdminEmail(firm.n)), firmId: firm.id },
      complainant: person(userId(c), complainantEmail(c)),
      activeFirmId: firm.id,
      openTicketId: ticketId(open),
      certificateSerial: certificate,
      timings,
      people: {
        staff: 2,
        mediators: plan.mediators,
        firmAdmins: sizes.firms,
        complainants: plan.complainants,
      },
    };
  } finally {
    await db.close();
  }
}
