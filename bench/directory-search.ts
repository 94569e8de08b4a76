import { machineFacts, perDatabase, stats, time } from './lib.js';
/**
 * Directory search benchmark: 100,000 firms, first page of typical searches through the real
 * DirectoryService vs the same SQL run bare on the driver, on SQLite and PostgreSQL.
 * How to run it and what the numbers mean: bench/README.md.
 *
 * The parent process makes a scratch database per engine and runs one child per engine:
 * entity column types are fixed from DATABASE_URL when the entity files are first imported
 * (src/database/column-types.ts), so one process cannot map both engines.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import {
  directoryPageSql,
  pageCategoriesSql,
  type Dialect,
  type DirectoryFilters,
} from '../src/modules/membership/directory.repository.js';
import {
  decodeDirectoryCursor,
  DIRECTORY_PAGE_DEFAULT,
  DirectoryService,
  normaliseDirectoryFilters,
} from '../src/modules/membership/directory.service.js';
import { loadFirmsPostgres, loadFirmsSqlite, seedFirms } from './seed/firms.js';

const FIRMS = Number(process.env.BENCH_FIRMS ?? 100_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;
const RESULTS_DIR = join(process.cwd(), 'bench', 'results');

interface Case {
  name: string;
  filters: DirectoryFilters;
  /** Start from the page after the first (a cursor taken from the first page). */
  secondPage?: boolean;
}

async function seedSqlite(file: string): Promise<void> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const at = new Date().toISOString().replace('T', ' ').replace('Z', '');
  loadFirmsSqlite(db, seedFirms(FIRMS), at);
  db.close();
  return Promise.resolve();
}

async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await loadFirmsPostgres(client, seedFirms(FIRMS), new Date());
  // What autovacuum does shortly after a bulk load: statistics for the planner, and the
  // visibility map, without which an index-only scan still visits every row's heap page.
  await client.query('VACUUM ANALYZE');
  await client.end();
}

/** A bare runner: the same two statements the service sends, straight on the driver. */
interface BareRunner {
  run(filters: DirectoryFilters, cursor: string | undefined): Promise<number>;
  explain(sql: string, params: unknown[]): Promise<string>;
  close(): Promise<void>;
}

function sqliteRunner(file: string): BareRunner {
  const db = new Database(file, { readonly: true });
  // Prepared once per statement text, as TypeORM's driver caches them: the bare side gets the
  // same advantage, so the ratio is the service's own overhead.
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
    run(filters, cursor) {
      const after = cursor ? decodeDirectoryCursor(cursor) : null;
      const page = directoryPageSql(
        'sqlite',
        normaliseDirectoryFilters(filters),
        after,
        DIRECTORY_PAGE_DEFAULT,
      );
      const rows = prepare(page.sql).all(...page.params) as Array<{ id: string }>;
      const ids = rows.slice(0, DIRECTORY_PAGE_DEFAULT).map((r) => r.id);
      if (ids.length > 0) {
        const cats = pageCategoriesSql('sqlite', ids);
        prepare(cats.sql).all(...cats.params);
      }
      return Promise.resolve(ids.length);
    },
    explain(sql, params) {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{
        id: number;
        parent: number;
        detail: string;
      }>;
      const depth = new Map<number, number>([[0, -1]]);
      return Promise.resolve(
        rows
          .map((r) => {
            const d = (depth.get(r.parent) ?? -1) + 1;
            depth.set(r.id, d);
            return `${'  '.repeat(d)}${r.detail}`;
          })
          .join('\n'),
      );
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
    async run(filters, cursor) {
      const after = cursor ? decodeDirectoryCursor(cursor) : null;
      const page = directoryPageSql(
        'postgres',
        normaliseDirectoryFilters(filters),
        after,
        DIRECTORY_PAGE_DEFAULT,
      );
      const rows = (await client.query<{ id: string }>(page.sql, page.params)).rows;
      const ids = rows.slice(0, DIRECTORY_PAGE_DEFAULT).map((r) => r.id);
      if (ids.length > 0) {
        const cats = pageCategoriesSql('postgres', ids);
        await client.query(cats.sql, cats.params);
      }
      return ids.length;
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

/** One engine, in its own process: migrate, seed, measure, write the results file. */
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
    if (dialect === 'sqlite') await seedSqlite(sqlitePath);
    else await seedPostgres(url);
    const seedSeconds = (Date.now() - seedStart) / 1000;

    const dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
    const service = new DirectoryService(dataSource);
    const bare = dialect === 'sqlite' ? sqliteRunner(sqlitePath) : await postgresRunner(url);

    const sample = (
      await dataSource.query<Array<{ name: string; creditCode: string }>>(
        `SELECT name, "creditCode" FROM firms WHERE status = 'active' ORDER BY "creditCode" LIMIT 1 OFFSET 4321`,
      )
    )[0];
    const cases: Case[] = [
      { name: 'no filter', filters: {} },
      { name: 'no filter, second page', filters: {}, secondPage: true },
      { name: 'district', filters: { district: 'nanshan' } },
      { name: 'category', filters: { category: 'online_lending' } },
      { name: 'tier', filters: { tier: 'council' } },
      {
        name: 'district + category',
        filters: { district: 'futian', category: 'equity_crowdfunding' },
      },
      { name: 'district + tier, few matches', filters: { district: 'dapeng', tier: 'president' } },
      {
        name: 'district + tier + category, fewer',
        filters: { district: 'dapeng', tier: 'president', category: 'equity_crowdfunding' },
      },
      { name: 'name, common (Chinese)', filters: { q: '金融科技' } },
      { name: 'name, common (English, any case)', filters: { q: 'PENGCHENG' } },
      { name: 'name, one firm (Chinese)', filters: { q: sample.name.slice(3, 12) } },
      { name: 'name, no match', filters: { q: '不存在的机构' } },
      { name: 'credit code', filters: { creditCode: sample.creditCode } },
    ];

    const results = [];
    for (const c of cases) {
      const cursor = c.secondPage
        ? ((await service.search(c.filters)).nextCursor ?? undefined)
        : undefined;
      const viaService = (): Promise<unknown> => service.search(c.filters, { cursor });
      const viaBare = (): Promise<unknown> => bare.run(c.filters, cursor);
      for (let i = 0; i < WARMUP; i++) {
        await viaService();
        await viaBare();
      }
      const serviceTimes: number[] = [];
      const bareTimes: number[] = [];
      // Interleaved, so drift (caches, GC, the machine's other work) hits both alike.
      for (let i = 0; i < ITERATIONS; i++) {
        if (i % 2 === 0) {
          serviceTimes.push(await time(viaService));
          bareTimes.push(await time(viaBare));
        } else {
          bareTimes.push(await time(viaBare));
          serviceTimes.push(await time(viaService));
        }
      }
      const rows = (await service.search(c.filters, { cursor })).items.length;
      const s = stats(serviceTimes);
      const b = stats(bareTimes);
      const after = cursor ? decodeDirectoryCursor(cursor) : null;
      const statement = directoryPageSql(
        dialect,
        normaliseDirectoryFilters(c.filters),
        after,
        DIRECTORY_PAGE_DEFAULT,
      );
      results.push({
        name: c.name,
        filters: c.filters,
        rows,
        service: s,
        bare: b,
        ratio: {
          p50: Math.round((s.p50 / b.p50) * 100) / 100,
          p95: Math.round((s.p95 / b.p95) * 100) / 100,
        },
        plan: await bare.explain(statement.sql, statement.params),
      });
      console.log(
        `${dialect.padEnd(8)} ${c.name.padEnd(34)} rows ${String(rows).padStart(3)}  service p50 ${s.p50.toFixed(2)} p95 ${s.p95.toFixed(2)} ms  bare p50 ${b.p50.toFixed(2)} p95 ${b.p95.toFixed(2)} ms  ratio ${(s.p50 / b.p50).toFixed(2)}×`,
      );
    }
    await bare.close();
    await dataSource.destroy();

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `directory-${dialect}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          database: dialect,
          firms: FIRMS,
          iterations: ITERATIONS,
          pageSize: DIRECTORY_PAGE_DEFAULT,
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
  `Seeding ${FIRMS} firms per database; ${ITERATIONS} timed runs per query.`,
  child,
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
