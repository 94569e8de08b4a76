import { DataSource, MigrationExecutor } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from '../database/data-source-options.js';
import { expectNoArguments } from './args.js';
import { say, type CliIo } from './io.js';

async function withDataSource<T>(
  config: AppConfig,
  work: (ds: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = new DataSource(buildDataSourceOptions(config));
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

function describeDatabase(config: AppConfig): string {
  return config.usesPostgres ? 'PostgreSQL (DATABASE_URL)' : `SQLite at ${config.SQLITE_PATH}`;
}

/** `migration:run`: applies every pending migration, each in its own transaction. */
export async function migrationRun(config: AppConfig, args: string[], io: CliIo): Promise<number> {
  expectNoArguments('migration:run', args);
  const applied = await withDataSource(config, (ds) => ds.runMigrations({ transaction: 'each' }));
  say(io, `Database: ${describeDatabase(config)}`);
  if (applied.length === 0) {
    say(io, 'No pending migrations: the schema is current.');
    return 0;
  }
  for (const migration of applied) say(io, `Applied ${migration.name}`);
  say(io, `${applied.length} migration(s) applied; the schema is current.`);
  return 0;
}

/** `migration:revert`: undoes the most recently applied migration (one per call). */
export async function migrationRevert(
  config: AppConfig,
  args: string[],
  io: CliIo,
): Promise<number> {
  expectNoArguments('migration:revert', args);
  const reverted = await withDataSource(config, async (ds) => {
    // Newest first: TypeORM reverts the migration with the highest id, which this names.
    const [latest] = await new MigrationExecutor(ds).getExecutedMigrations();
    if (!latest) return null;
    await ds.undoLastMigration({ transaction: 'each' });
    return latest.name;
  });
  say(io, `Database: ${describeDatabase(config)}`);
  say(io, reverted ? `Reverted ${reverted}` : 'Nothing to revert: no migration has been applied.');
  return 0;
}
