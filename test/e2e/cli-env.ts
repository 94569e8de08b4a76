import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import { loadCliConfig } from '../../src/cli/context.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCommand, type CommandName } from '../../src/cli/run.js';
import { JsonLogger } from '../../src/common/logging/json-logger.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { createScratchPostgres } from '../helpers/test-app.js';

/**
 * Support for the CLI tests (not a test file itself). Commands run in-process against a scratch
 * database, configured the way the real CLI configures itself (loadCliConfig), and the API is
 * checked with a server booted afterwards on the same database.
 *
 * Why not startTestApp(): a Nest context registers its passport strategy in passport's
 * process-wide registry, so a CLI context closed inside a running test app would leave that
 * app's sign-in bound to a destroyed database connection.
 */
export interface CliEnv {
  config: AppConfig;
  /** Every log line written while the environment was open (the CLI should write none). */
  logs: string[];
  /** Runs a command as `npm run cli -- <name> <args>` would, capturing both streams. */
  run(name: CommandName, args?: string[], config?: AppConfig): Promise<CliRun>;
  /** Runs SQL on the scratch database (`?` placeholders become `$n` on PostgreSQL). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Boots the HTTP app on the same database and signs in through the API. */
  signIn(
    email: string,
    password: string,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function captureIo(): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: { write: (text: string) => out.push(text) },
    err: { write: (text: string) => err.push(text) },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

export async function openCliEnv(env: Record<string, string> = {}): Promise<CliEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'szifa-cli-'));
  const vars: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: join(dir, 'data'),
    SQLITE_PATH: join(dir, 'szifa.sqlite'),
    ...env,
  };
  let drop: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchPostgres(process.env.DATABASE_URL);
    vars.DATABASE_URL = scratch.url;
    drop = scratch.drop;
  }
  const config = loadCliConfig(vars);
  const logs: string[] = [];
  const previousSink = JsonLogger.sink;
  JsonLogger.sink = (line) => logs.push(line);
  const db = new DataSource(buildDataSourceOptions(config));
  await db.initialize();
  const pg = config.usesPostgres;

  return {
    config,
    logs,
    async run(name, args = [], override) {
      const io = captureIo();
      const code = await runCommand(name, override ?? config, args, io);
      return { code, stdout: io.stdout(), stderr: io.stderr() };
    },
    async query<T>(sql: string, params: unknown[] = []) {
      let n = 0;
      const text = pg ? sql.replace(/\?/g, () => `$${++n}`) : sql;
      return db.query<T[]>(text, params);
    },
    async signIn(email, password) {
      const app = await createApp(config, new JsonLogger('silent'));
      await app.init();
      try {
        const res = await request(app.getHttpServer())
          .post('/api/v1/auth/token')
          .send({ email, password });
        const body = res.body as Record<string, unknown>;
        if (res.status === 200) {
          const me = await request(app.getHttpServer())
            .get('/api/v1/auth/me')
            .set('Authorization', `Bearer ${String(body.accessToken)}`);
          return { status: res.status, body: { ...body, me: me.body as unknown } };
        }
        return { status: res.status, body };
      } finally {
        await app.close();
      }
    },
    async close() {
      await db.destroy();
      JsonLogger.sink = previousSink;
      if (drop) await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Quotes a camelCase column for PostgreSQL; SQLite takes it as is. */
export function col(env: CliEnv, name: string): string {
  return env.config.usesPostgres ? `"${name}"` : name;
}
