import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import { JsonLogger } from '../../src/common/logging/json-logger.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  dataSource: DataSource;
  http: ReturnType<typeof request>;
  /** Every log line the app wrote, as parsed JSON. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Creates a PostgreSQL database beside the one DATABASE_URL names; returns its URL. Empty by
 * default; `template` names a database to copy (see migratedPostgresTemplate).
 */
export async function createScratchPostgres(
  baseUrl: string,
  template?: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `szifa_t_${randomBytes(6).toString('hex')}`;
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await client.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * A fingerprint of every migration's source: a template made from other migrations is never
 * reused, so editing a migration in place cannot leave tests on a stale schema.
 */
function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  const files = readdirSync(MIGRATIONS_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

async function migrate(config: AppConfig): Promise<void> {
  const db = new DataSource(buildDataSourceOptions(config));
  await db.initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
  } finally {
    await db.destroy();
  }
}

/**
 * The name of a PostgreSQL database holding every migration and nothing else, built once per
 * migration fingerprint and then copied for each test app (CREATE DATABASE … TEMPLATE), which is
 * much cheaper than migrating each scratch database. Workers that race to build it each build
 * their own copy; the first rename wins and the others drop theirs. `.ci/run` drops templates at
 * the end; on a workstation they stay, one per schema version, and may be dropped at any time.
 */
async function migratedPostgresTemplate(baseUrl: string): Promise<string> {
  const name = `szifa_tpl_${migrationsFingerprint()}`;
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const sql = async <T>(work: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };
  const exists = await sql(
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount,
  );
  if (exists) return name;
  const building = await createScratchPostgres(baseUrl);
  try {
    await migrate(loadConfig({ NODE_ENV: 'test', DATABASE_URL: building.url }));
    const buildingName = new URL(building.url).pathname.slice(1);
    await sql((c) => c.query(`ALTER DATABASE ${buildingName} RENAME TO ${name}`));
  } catch (error) {
    await building.drop();
    // Another worker finished first (42P04: duplicate_database): use theirs.
    if ((error as { code?: string }).code !== '42P04') throw error;
  }
  return name;
}

/** A migrated SQLite file for this migration fingerprint, copied for each test app. */
async function migratedSqliteTemplate(): Promise<string> {
  const file = join(tmpdir(), `szifa-test-template-${migrationsFingerprint()}.sqlite`);
  if (existsSync(file)) return file;
  const dir = mkdtempSync(join(tmpdir(), 'szifa-template-'));
  try {
    const building = join(dir, 'template.sqlite');
    await migrate(loadConfig({ NODE_ENV: 'test', SQLITE_PATH: building }));
    renameSync(building, file); // atomic: a racing worker's copy simply replaces an identical file
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return file;
}

/**
 * Boots the whole platform against a fresh, migrated database: a temporary SQLite file by
 * default, a scratch PostgreSQL database when DATABASE_URL is set.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'szifa-test-'));
  let dropDb: (() => Promise<void>) | undefined;
  const vars: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATA_DIR: join(dir, 'data'),
    SQLITE_PATH: join(dir, 'szifa.sqlite'),
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '100000',
    // Tests run jobs explicitly (SchedulerService.runNow) with the instant they choose.
    SCHEDULER_ENABLED: 'false',
    ...env,
  };
  if (process.env.DATABASE_URL) {
    const template = await migratedPostgresTemplate(process.env.DATABASE_URL);
    const scratch = await createScratchPostgres(process.env.DATABASE_URL, template);
    vars.DATABASE_URL = scratch.url;
    dropDb = scratch.drop;
  } else if (!env.SQLITE_PATH) {
    copyFileSync(await migratedSqliteTemplate(), vars.SQLITE_PATH);
  }
  const config = loadConfig(vars);
  const logs: string[] = [];
  const logger = new JsonLogger(config.LOG_LEVEL);
  const previousSink = JsonLogger.sink;
  JsonLogger.sink = (line) => logs.push(line);
  const app = await createApp(config, logger);
  await app.init();
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    config,
    dataSource,
    http: request(app.getHttpServer()),
    logs,
    async close() {
      await app.close();
      JsonLogger.sink = previousSink;
      if (dropDb) await dropDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
