import { machineFacts, perDatabase, stats, time } from './lib.js';
/**
 * Ticket list benchmark: 1,000,000 dispute tickets, one page of each list a role sees, through
 * the service's query (ticketPageQuery + TypeORM, as TicketsService.list runs it) vs the same
 * SQL run bare on the driver, on SQLite and PostgreSQL. How to run it: bench/README.md.
 *
 * Like directory-search.ts, the parent runs one child per engine (entity column types are
 * fixed from DATABASE_URL at import time).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { beijingDate } from '../src/common/time/beijing.js';
import { loadConfig } from '../src/config/app-config.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { COMPLAINT_CATEGORIES } from '../src/modules/disputes/categories.js';
import {
  encodeTicketCursor,
  fetchTicketPage,
  ticketPageSql,
  TICKET_PAGE_DEFAULT,
  type TicketListFilters,
  type TicketScope,
} from '../src/modules/disputes/tickets-list.js';

type Dialect = 'sqlite' | 'postgres';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;
const BATCH = 500;
const FIRMS = 500;
const COMPLAINANTS = 200_000;
const MEDIATORS = 100;
const RESULTS_DIR = join(process.cwd(), 'bench', 'results');

/** Ticket states by i % 20: mostly open work, some closed, 1 in 20 a draft. */
const STATES = [
  'draft',
  'filed',
  'filed',
  'awaiting_response',
  'awaiting_response',
  'awaiting_response',
  'in_mediation',
  'in_mediation',
  'in_mediation',
  'in_mediation',
  'in_mediation',
  'settled',
  'settled',
  'mediation_failed',
  'withdrawn',
  'rejected',
  'closed',
  'closed',
  'closed',
  'closed',
];

const hex12 = (n: number): string => n.toString(16).padStart(12, '0');
const ticketId = (i: number): string => `10000000-0000-4000-8000-${hex12(i)}`;
const firmId = (n: number): string => `00000000-0000-4000-8000-${hex12(n)}`;
const userId = (n: number): string => `20000000-0000-4000-8000-${hex12(n)}`;
const mediatorId = (n: number): string => `30000000-0000-4000-8000-${hex12(n)}`;
const BASE = Date.UTC(2024, 0, 1);

/** Column values of ticket i (the PostgreSQL seed computes the same in SQL). */
function ticketRow(i: number, at: (ms: number) => unknown): unknown[] {
  const state = STATES[i % 20];
  const mediated = i % 4 === 0 && state !== 'draft';
  const created = at(BASE + i * 1000);
  return [
    ticketId(i),
    state === 'draft' ? null : `SZIFA-M-2026-${String(i).padStart(7, '0')}`,
    state,
    userId((i * 31) % COMPLAINANTS),
    firmId((i * 7919) % FIRMS),
    COMPLAINT_CATEGORIES[Math.floor(i / 20) % 7],
    (i % 100_000) * 100,
    '',
    '',
    mediated ? mediatorId(i % MEDIATORS) : null,
    mediated ? 'accepted' : 'none',
    created,
    created,
    1,
  ];
}

const COLUMNS = [
  'id',
  'number',
  'state',
  '"complainantUserId"',
  '"firmId"',
  'category',
  '"amountFen"',
  'facts',
  'claim',
  '"mediatorUserId"',
  'assignment',
  '"createdAt"',
  '"updatedAt"',
  'version',
];

const sqliteTime = (ms: number): string =>
  new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

function seedSqlite(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const marks = `(${COLUMNS.map(() => '?').join(', ')})`;
  const insert = db.prepare(
    `INSERT INTO dispute_tickets (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: BATCH }, () => marks).join(', ')}`,
  );
  const insertDeadline = db.prepare(
    `INSERT INTO dispute_deadlines (id, "ticketId", "firmId", kind, "startedOn", "dueOn", status, "metAt", "breachedAt", "createdAt") VALUES (?, ?, ?, 'triage', ?, ?, 'open', NULL, NULL, ?)`,
  );
  const load = db.transaction((from: number, to: number) => {
    for (let start = from; start < to; start += BATCH) {
      const params: unknown[] = [];
      for (let i = start; i < start + BATCH; i++) params.push(...ticketRow(i, sqliteTime));
      insert.run(...params);
    }
    for (let i = from; i < to; i++) {
      const overdue = i % 100 === 1;
      if (!overdue && i % 100 !== 2) continue;
      insertDeadline.run(
        `40000000-0000-4000-8000-${hex12(i)}`,
        ticketId(i),
        firmId((i * 7919) % FIRMS),
        '2026-01-01',
        overdue ? '2026-01-05' : '2099-01-05',
        sqliteTime(BASE + i * 1000),
      );
    }
  });
  const chunk = 50_000;
  for (let from = 0; from < TICKETS; from += chunk) load(from, Math.min(from + chunk, TICKETS));
  db.close();
}

async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const states = `ARRAY[${STATES.map((s) => `'${s}'`).join(',')}]`;
  const categories = `ARRAY[${COMPLAINT_CATEGORIES.map((c) => `'${c}'`).join(',')}]`;
  const uuidOf = (prefix: string, expr: string): string =>
    `'${prefix}-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0')`;
  const chunk = 100_000;
  for (let from = 0; from < TICKETS; from += chunk) {
    const to = Math.min(from + chunk, TICKETS) - 1;
    await client.query(`
      INSERT INTO dispute_tickets (${COLUMNS.join(', ')})
      SELECT ${uuidOf('10000000', 'i')},
             CASE WHEN i % 20 = 0 THEN NULL ELSE 'SZIFA-M-2026-' || lpad(i::text, 7, '0') END,
             (${states})[i % 20 + 1],
             ${uuidOf('20000000', `(i::bigint * 31) % ${COMPLAINANTS}`)},
             ${uuidOf('00000000', `(i::bigint * 7919) % ${FIRMS}`)},
             (${categories})[(i / 20) % 7 + 1],
             (i % 100000) * 100, '', '',
             CASE WHEN i % 4 = 0 AND i % 20 <> 0 THEN ${uuidOf('30000000', `i % ${MEDIATORS}`)} END,
             CASE WHEN i % 4 = 0 AND i % 20 <> 0 THEN 'accepted' ELSE 'none' END,
             timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second',
             timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second',
             1
      FROM generate_series(${from}, ${to}) AS i`);
  }
  await client.query(`
    INSERT INTO dispute_deadlines (id, "ticketId", "firmId", kind, "startedOn", "dueOn", status, "createdAt")
    SELECT ${uuidOf('40000000', 'i')}, ${uuidOf('10000000', 'i')},
           ${uuidOf('00000000', `(i::bigint * 7919) % ${FIRMS}`)}, 'triage', '2026-01-01',
           CASE WHEN i % 100 = 1 THEN '2026-01-05' ELSE '2099-01-05' END, 'open',
           timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second'
    FROM generate_series(0, ${TICKETS - 1}) AS i WHERE i % 100 IN (1, 2)`);
  await client.query('VACUUM ANALYZE');
  await client.end();
}

interface BareRunner {
  run(sql: string, params: unknown[]): Promise<number>;
  explain(sql: string, params: unknown[]): Promise<string>;
  close(): Promise<void>;
}

function sqliteRunner(file: string): BareRunner {
  const db = new Database(file, { readonly: true });
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    run(sql, params) {
      return Promise.resolve(prepare(sql).all(...params).length);
    },
    explain(sql, params) {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{
        detail: string;
      }>;
      return Promise.resolve(rows.map((r) => r.detail).join('\n'));
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

async function postgresRunner(url: string): Promise<BareRunner> {
  const client = new pg.Client({ connectionString: url, options: '-c timezone=UTC' });
  await client.connect();
  return {
    async run(sql, params) {
      return (await client.query(sql, params)).rows.length;
    },
    async explain(sql, params) {
      const result = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`,
        params,
      );
      return result.rows.map((r) => r['QUERY PLAN']).join('\n');
    },
    close: () => client.end(),
  };
}

interface Case {
  name: string;
  scope: TicketScope;
  filters: TicketListFilters;
  secondPage?: boolean;
}

const CASES: Case[] = [
  { name: 'staff, all', scope: { kind: 'staff' }, filters: {} },
  { name: 'staff, all, second page', scope: { kind: 'staff' }, filters: {}, secondPage: true },
  { name: 'staff, by state', scope: { kind: 'staff' }, filters: { state: 'in_mediation' } },
  { name: 'staff, by firm', scope: { kind: 'staff' }, filters: { firmId: firmId(7) } },
  { name: 'staff, by category', scope: { kind: 'staff' }, filters: { category: 'data_leak' } },
  {
    name: 'staff, by mediator',
    scope: { kind: 'staff' },
    filters: { mediatorUserId: mediatorId(12) },
  },
  {
    name: 'staff, by number',
    scope: { kind: 'staff' },
    filters: { number: 'SZIFA-M-2026-0123457' },
  },
  { name: 'staff, overdue', scope: { kind: 'staff' }, filters: { overdue: true } },
  { name: 'complainant, own', scope: { kind: 'complainant', userId: userId(4242) }, filters: {} },
  { name: 'firm, against it', scope: { kind: 'firm', firmId: firmId(7) }, filters: {} },
  { name: 'mediator, assigned', scope: { kind: 'mediator', userId: mediatorId(12) }, filters: {} },
];

async function child(dialect: Dialect): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'szifa-bench-'));
  const sqlitePath = join(dir, 'bench.sqlite');
  const url = process.env.DATABASE_URL ?? '';
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: join(dir, 'data'),
    SQLITE_PATH: sqlitePath,
    ...(dialect === 'postgres' ? { DATABASE_URL: url } : {}),
  });
  try {
    const migrating = new DataSource(buildDataSourceOptions(config));
    await migrating.initialize();
    await migrating.runMigrations();
    await migrating.destroy();

    const seedStart = Date.now();
    if (dialect === 'sqlite') seedSqlite(sqlitePath);
    else await seedPostgres(url);
    const seedSeconds = (Date.now() - seedStart) / 1000;
    console.log(`${dialect}: seeded ${TICKETS} tickets in ${seedSeconds.toFixed(1)} s`);

    const dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
    const bare = dialect === 'sqlite' ? sqliteRunner(sqlitePath) : await postgresRunner(url);
    const today = beijingDate(new Date());
    const limit = TICKET_PAGE_DEFAULT;

    const results = [];
    for (const c of CASES) {
      let after = null;
      if (c.secondPage) {
        const first = await fetchTicketPage(
          dataSource.manager,
          c.scope,
          c.filters,
          null,
          limit,
          today,
        );
        const last = first[limit - 1];
        after = last ? { at: last.createdAt, id: last.id } : null;
      }
      const { sql, params } = ticketPageSql(dialect, c.scope, c.filters, after, limit, today);
      // What TicketsService.list does: build the SQL, run it through TypeORM, type the rows,
      // make the cursor.
      const fetch = (): ReturnType<typeof fetchTicketPage> =>
        fetchTicketPage(dataSource.manager, c.scope, c.filters, after, limit, today);
      const viaService = async (): Promise<unknown> => {
        const rows = await fetch();
        const last = rows[Math.min(rows.length, limit) - 1];
        return last ? encodeTicketCursor({ at: last.createdAt, id: last.id }) : null;
      };
      const viaBare = (): Promise<unknown> => bare.run(sql, params);
      for (let i = 0; i < WARMUP; i++) {
        await viaService();
        await viaBare();
      }
      const serviceTimes: number[] = [];
      const bareTimes: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        if (i % 2 === 0) {
          serviceTimes.push(await time(viaService));
          bareTimes.push(await time(viaBare));
        } else {
          bareTimes.push(await time(viaBare));
          serviceTimes.push(await time(viaService));
        }
      }
      const rows = Math.min((await fetch()).length, limit);
      const s = stats(serviceTimes);
      const b = stats(bareTimes);
      results.push({
        name: c.name,
        scope: c.scope,
        filters: c.filters,
        rows,
        service: s,
        bare: b,
        ratio: {
          p50: Math.round((s.p50 / b.p50) * 100) / 100,
          p95: Math.round((s.p95 / b.p95) * 100) / 100,
        },
        sql,
        plan: await bare.explain(sql, params),
      });
      console.log(
        `${dialect.padEnd(8)} ${c.name.padEnd(26)} rows ${String(rows).padStart(3)}  service p50 ${s.p50.toFixed(2)} p95 ${s.p95.toFixed(2)} ms  bare p50 ${b.p50.toFixed(2)} p95 ${b.p95.toFixed(2)} ms  ratio ${(s.p50 / b.p50).toFixed(2)}×`,
      );
    }
    await bare.close();
    await dataSource.destroy();

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `disputes-list-${dialect}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          database: dialect,
          tickets: TICKETS,
          iterations: ITERATIONS,
          pageSize: limit,
          seedSeconds,
          ...machineFacts(),
          queries: results,
        },
        null,
        2,
      ) + '\n',
    );
    console.log(`${dialect}: wrote ${file}`);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`${dialect}: kept ${sqlitePath} / ${url}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

perDatabase(
  fileURLToPath(import.meta.url),
  `Seeding ${TICKETS} tickets per database; ${ITERATIONS} timed runs per query.`,
  child,
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
