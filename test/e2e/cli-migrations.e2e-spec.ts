import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { loadCliConfig } from '../../src/cli/context.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { openCliEnv, type CliEnv } from './cli-env.js';

const NAMES = MIGRATIONS.map((m) => new m().name ?? m.name);
const LATEST = NAMES[NAMES.length - 1];

describe('cli migration:run and migration:revert', () => {
  let env: CliEnv;
  beforeAll(async () => {
    env = await openCliEnv();
  });
  afterAll(() => env.close());

  const applied = async (): Promise<string[]> =>
    (await env.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')).map(
      (r) => r.name,
    );

  const drift = async (): Promise<string[]> => {
    const ds = new DataSource(buildDataSourceOptions(env.config));
    await ds.initialize();
    try {
      return (await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    } finally {
      await ds.destroy();
    }
  };

  it('applies every migration to an empty database and names each one', async () => {
    const run = await env.run('migration:run');
    expect(run.code).toBe(0);
    for (const name of NAMES) expect(run.stdout).toContain(`Applied ${name}\n`);
    expect(await applied()).toEqual(NAMES);
    expect(await drift()).toEqual([]);
  });

  it('says so when nothing is pending', async () => {
    const run = await env.run('migration:run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No pending migrations');
  });

  it('reverts the latest migration and names it', async () => {
    const run = await env.run('migration:revert');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Reverted ${LATEST}\n`);
    expect(await applied()).toEqual(NAMES.slice(0, -1));
  });

  it('refuses to write through a schema that is behind when MIGRATIONS_RUN=false', async () => {
    const noAuto = loadCliConfig({
      NODE_ENV: 'test',
      DATA_DIR: env.config.DATA_DIR,
      SQLITE_PATH: env.config.SQLITE_PATH,
      ...(env.config.DATABASE_URL ? { DATABASE_URL: env.config.DATABASE_URL } : {}),
      MIGRATIONS_RUN: 'false',
    });
    const run = await env.run('audit:verify', [], noAuto);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('npm run migration:run');
  });

  it('applies the reverted migration again: the round trip leaves the schema as the code expects', async () => {
    const run = await env.run('migration:run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Applied ${LATEST}\n`);
    expect(await applied()).toEqual(NAMES);
    expect(await drift()).toEqual([]);
  });

  it('reverts all the way down, then says there is nothing left to revert', async () => {
    for (const name of [...NAMES].reverse()) {
      expect((await env.run('migration:revert')).stdout).toContain(`Reverted ${name}\n`);
    }
    const run = await env.run('migration:revert');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Nothing to revert');
    expect(await env.query('SELECT 1 FROM schema_migrations')).toEqual([]);
    expect((await env.run('migration:run')).code).toBe(0);
    expect(await applied()).toEqual(NAMES);
  });
});
