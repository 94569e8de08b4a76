import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { JsonLogger } from '../common/logging/json-logger.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { resolveAppSecret } from '../config/secrets.js';
import { buildDataSourceOptions } from '../database/data-source-options.js';
import { CliFailure } from './io.js';

/**
 * The configuration the CLI runs with: the server's, except that logging defaults to `warn`,
 * so a command prints its own lines and not the framework's start-up chatter, and scheduled
 * jobs never start: a command is one-shot work, and a job firing halfway through it (seed:demo
 * takes a while) would act on a half-written database. The running servers do the jobs.
 */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadConfig({ ...env, LOG_LEVEL: env.LOG_LEVEL || 'warn', SCHEDULER_ENABLED: 'false' });
}

/**
 * Runs `work` with the whole application wired up (services, transactions, audit) but no HTTP
 * server, then closes it. Pending migrations run first when MIGRATIONS_RUN is on (the default);
 * with it off, a schema that is behind is refused rather than written to.
 */
export async function withAppContext<T>(
  config: AppConfig,
  work: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  await probeDatabase(config);
  const logger = new JsonLogger(config.LOG_LEVEL);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, resolveAppSecret(config), logger),
    { logger, abortOnError: false },
  );
  try {
    if (!config.MIGRATIONS_RUN && (await app.get(DataSource).showMigrations())) {
      throw new CliFailure(
        'The database schema is behind the code and MIGRATIONS_RUN=false: run `npm run migration:run` first.',
      );
    }
    return await work(app);
  } finally {
    await app.close();
  }
}

/**
 * Connects once before Nest does: the framework retries a refused connection ten times, three
 * seconds apart, logging each try, which is right for a server waiting on its database but not
 * for a command an operator is watching.
 */
async function probeDatabase(config: AppConfig): Promise<void> {
  const dataSource = new DataSource(buildDataSourceOptions(config));
  await dataSource.initialize();
  await dataSource.destroy();
}
