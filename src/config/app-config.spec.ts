import { describe, expect, it } from '@jest/globals';
import { buildDataSourceOptions } from '../database/data-source-options.js';
import { ConfigError, loadConfig } from './app-config.js';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('runs with no environment at all: SQLite at ./data/szifa.sqlite on port 3000', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.SQLITE_PATH).toBe('./data/szifa.sqlite');
    expect(config.usesPostgres).toBe(false);
    expect(config.PUBLIC_URL).toBe('http://localhost:3000');
    expect(config.MIGRATIONS_RUN).toBe(true);
    const options = buildDataSourceOptions(config);
    expect(options.type).toBe('better-sqlite3');
    expect(options.database).toBe('./data/szifa.sqlite');
  });

  it('switches to PostgreSQL when DATABASE_URL is a postgres:// URL', () => {
    const url = 'postgres://szifa:secret@db.internal:5432/szifa';
    const config = loadConfig({ DATABASE_URL: url });
    expect(config.usesPostgres).toBe(true);
    const options = buildDataSourceOptions(config);
    expect(options.type).toBe('postgres');
    expect(options).toEqual(expect.objectContaining({ url }));
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).usesPostgres).toBe(false);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    expect(configError({ DATABASE_URL: 'mysql://x@y/z' }).message).toContain('DATABASE_URL');
  });

  it('refuses PORT=abc with one line naming PORT', () => {
    const error = configError({ PORT: 'abc' });
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/^Invalid configuration: PORT .*"abc"/);
    expect(error.message).toContain('integer');
  });

  it('masks the password of a rejected database URL', () => {
    const error = configError({ DATABASE_URL: 'mysql://szifa:hunter2pass@db/szifa' });
    expect(error.message).not.toContain('hunter2pass');
    expect(error.message).toContain('mysql://szifa:***@db/szifa');
  });

  it('follows PORT in the default PUBLIC_URL', () => {
    expect(loadConfig({ PORT: '8080' }).PUBLIC_URL).toBe('http://localhost:8080');
  });

  it('refuses production without APP_SECRET', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.message).toContain('APP_SECRET');
    expect(error.message).not.toContain('\n');
  });

  it('accepts production with a long enough APP_SECRET', () => {
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 'k'.repeat(32) }).isProduction).toBe(
      true,
    );
  });

  it('refuses a short APP_SECRET without repeating it', () => {
    const error = configError({ APP_SECRET: 'short-secret-value' });
    expect(error.message).toContain('APP_SECRET');
    expect(error.message).not.toContain('short-secret-value');
  });

  it.each([
    ['LOG_LEVEL', 'loud'],
    ['MIGRATIONS_RUN', 'maybe'],
    ['TOKEN_TTL_SECONDS', '5'],
    ['NODE_ENV', 'staging'],
  ])('refuses %s=%s with a line naming it', (key, value) => {
    expect(configError({ [key]: value }).message).toContain(key);
  });

  it('refuses a SIGNING_KEY_PEM that is not a PEM private key without printing it', () => {
    const error = configError({ SIGNING_KEY_PEM: 'not-a-key-but-private-material' });
    expect(error.message).toContain('SIGNING_KEY_PEM');
    expect(error.message).not.toContain('not-a-key-but-private-material');
  });

  it('reads booleans written as true/false or 1/0', () => {
    expect(loadConfig({ MIGRATIONS_RUN: 'false', TRUST_PROXY: '1' })).toEqual(
      expect.objectContaining({ MIGRATIONS_RUN: false, TRUST_PROXY: true }),
    );
  });
});
