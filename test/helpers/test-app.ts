import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import pg from 'pg';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import { JsonLogger } from '../../src/common/logging/json-logger.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  dataSource: DataSource;
  http: ReturnType<typeof request>;
  /** Every log line the app wrote, as parsed JSON. */
  logs: string[];
  close(): Promise<void>;
}

/** Creates an empty PostgreSQL database beside the one DATABASE_URL names; returns its URL. */
export async function createScratchPostgres(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `szifa_t_${randomBytes(6).toString('hex')}`;
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
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
    const scratch = await createScratchPostgres(process.env.DATABASE_URL);
    vars.DATABASE_URL = scratch.url;
    dropDb = scratch.drop;
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
