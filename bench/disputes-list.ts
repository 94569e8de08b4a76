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
import {
  encodeTicketCursor,
  fetchTicketPage,
  ticketPageSql,
  TICKET_PAGE_DEFAULT,
  type TicketListFilters,
  type TicketScope,
} from '../src/modules/disputes/tickets-list.js';
import { firmId, mediatorId, userId } from './seed/ids.js';
import { loadTicketsPostgres, loadTicketsSqlite, type TicketPlan } from './seed/tickets.js';

type Dialect = 'sqlite' | 'postgres';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;
const FIRMS = 500;
const COMPLAINANTS = 200_000;
const MEDIATORS = 100;
const RESULTS_DIR = join(process.cwd(), 'bench', 'results');

const PLAN: TicketPlan = {
  count: TICKETS,
  firms: FIRMS,
  complainants: COMPLAINANTS,
  mediators: MEDIATORS,
  stepSeconds: 1,
  flavour: 'list-bench',
};

function seedSqlite(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  loadTicketsSqlite(db, PLAN);
  db.close();
}

async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await loadTicketsPostgres(client, PLAN);
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
