import 'reflect-metadata';
import type { Server, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config.js';
import { JsonLogger } from './common/logging/json-logger.js';
import { createApp } from './bootstrap.js';
import { UsersService } from './modules/users/users.service.js';

/** In-flight requests get this long to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;
/** While stopping, how often connections that have finished their request are closed. */
const IDLE_SWEEP_MS = 100;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      process.exit(1);
    }
    throw error;
  }
  const logger = new JsonLogger(config.LOG_LEVEL);
  const app = await createApp(config, logger);
  exitOnSignals(app, logger);
  await app.listen(config.PORT, config.HOST);
  const db = config.usesPostgres ? 'PostgreSQL (DATABASE_URL)' : `SQLite at ${config.SQLITE_PATH}`;
  logger.event('info', 'server.started', {
    url: config.PUBLIC_URL,
    database: db,
    docs: `${config.PUBLIC_URL}/api/docs`,
  });
  const users = app.get(UsersService);
  if (!(await users.hasAdmin())) {
    logger.event('warn', 'server.no_admin', {
      hint: 'No staff admin exists yet. Create the first one with: npm run cli -- create-admin --email you@example.org --name "Your Name"',
    });
  }
}

/**
 * SIGTERM/SIGINT: Nest's shutdown hooks (createApp enables them) pause the jobs, stop the
 * listener, let requests in flight finish and close the database; then Nest raises the signal
 * again to die by it. This listener stays subscribed, so that second signal lands here instead, and the
 * process exits 0 once the close is done: a clean stop, not a kill. Past the grace period it
 * exits 1 whatever is still running.
 */
function exitOnSignals(app: INestApplication, logger: JsonLogger): void {
  let stopping = false;
  const server = app.getHttpServer() as Server;
  // Keep-alive connections would hold the close open until they time out (5 s): once stopping,
  // each answer closes its connection, and connections left idle are closed as they turn idle.
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (stopping && !response.headersSent) response.setHeader('Connection', 'close');
  });
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.event('info', 'server.stopping', { signal, graceMs: SHUTDOWN_GRACE_MS });
    setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
    setTimeout(() => {
      logger.event('error', 'server.stop_timeout', { graceMs: SHUTDOWN_GRACE_MS });
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => {
        logger.event('info', 'server.stopped', { signal, ms: Date.now() - started });
        process.exit(0);
      },
      (error: unknown) => {
        logger.event('error', 'server.stop_failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
