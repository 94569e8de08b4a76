import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config.js';
import { JsonLogger } from './common/logging/json-logger.js';
import { createApp } from './bootstrap.js';
import { UsersService } from './modules/users/users.service.js';

/** In-flight requests get this long to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

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
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    });
  }
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

void main();
