import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { parseOptions } from './args.js';
import { CliFailure, say, type CliIo } from './io.js';

const COMMAND = 'backup';

/** Bumped when the layout changes in a way an older `restore` would misread. */
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const SQLITE_FILE = 'szifa.sqlite';
export const PG_DUMP_FILE = 'database.dump';
/** The copy of DATA_DIR inside a backup. */
export const DATA_FOLDER = 'data';

export interface BackupFile {
  /** Relative to the backup directory, with forward slashes. */
  path: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: 'szifa-backup';
  formatVersion: number;
  createdAt: string;
  engine: 'sqlite' | 'postgres';
  appVersion: string;
  /** Names from schema_migrations, oldest first: the schema the backup holds. */
  migrations: string[];
  /** Rows per table as they are in the backup (one consistent snapshot). */
  tables: Record<string, number>;
  database: BackupFile;
  /** Everything copied from DATA_DIR: uploads, signing keys, the generated app secret. */
  files: BackupFile[];
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeFile(root: string, path: string): Promise<BackupFile> {
  const rel = relative(root, path).split(sep).join('/');
  return { path: rel, size: (await stat(path)).size, sha256: await sha256File(path) };
}

/** Every regular file under `dir`, depth first, in a stable order. */
export async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * The files of DATA_DIR that belong in a backup: not the live SQLite database (the backup has
 * its own consistent copy; a copy of a WAL database being written is not one), and not the
 * partial uploads in files/tmp.
 */
export async function dataFiles(config: AppConfig): Promise<string[]> {
  const dataDir = resolve(config.DATA_DIR);
  const database = resolve(config.SQLITE_PATH);
  const skip = new Set(['', '-wal', '-shm', '-journal'].map((suffix) => database + suffix));
  const partial = join(dataDir, 'files', 'tmp') + sep;
  return (await listFiles(dataDir)).filter((path) => !skip.has(path) && !path.startsWith(partial));
}

/** Quotes an identifier the same way for SQLite and PostgreSQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Tables of a SQLite file (virtual-table shadows included: they hold data too). */
export function sqliteTables(db: Database.Database): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as Array<{ name: string }>
  ).map((row) => row.name);
}

export const PG_TABLES_SQL =
  'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename';

/**
 * The connection for pg_dump/pg_restore: the URL without its password, which goes into the
 * environment instead, so it never shows in the process list.
 */
export function pgToolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    dbname: parsed.toString(),
    env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env },
  };
}

/** Runs a PostgreSQL client tool; its stderr becomes the error message when it fails. */
export function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CliFailure(
          error.code === 'ENOENT'
            ? `${command} was not found: install the PostgreSQL client tools (same major version as the server)`
            : `${command} could not start: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new CliFailure(`${command} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}

function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `20261127T120501Z`: sorts by time and is a valid file name everywhere. */
function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

interface DatabaseCopy {
  migrations: string[];
  tables: Record<string, number>;
}

/**
 * SQLite: the online backup API copies the live database page by page from one read
 * transaction, so it is consistent while the server keeps writing (WAL readers never block
 * writers). All pages go in one step: a step interrupted by another connection's write would
 * make SQLite start over, possibly forever under steady writes.
 */
async function backupSqlite(config: AppConfig, target: string): Promise<DatabaseCopy> {
  if (!existsSync(config.SQLITE_PATH)) {
    throw new CliFailure(`${COMMAND}: no database at SQLITE_PATH=${config.SQLITE_PATH}`);
  }
  const live = new Database(config.SQLITE_PATH, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 10000');
    await live.backup(target, { progress: () => 0x7fffffff });
  } finally {
    live.close();
  }
  // Counted in the copy, not the live database, which has moved on since. Journal mode DELETE
  // makes the copy one self-contained file (the server turns WAL back on when it opens it).
  const copy = new Database(target);
  try {
    copy.pragma('journal_mode = DELETE');
    const tables: Record<string, number> = {};
    for (const name of sqliteTables(copy)) {
      tables[name] = (
        copy.prepare(`SELECT COUNT(*) AS n FROM ${quoteIdent(name)}`).get() as {
          n: number;
        }
      ).n;
    }
    const migrations = tables.schema_migrations
      ? (
          copy.prepare('SELECT name FROM schema_migrations ORDER BY id').all() as Array<{
            name: string;
          }>
        ).map((row) => row.name)
      : [];
    return { migrations, tables };
  } finally {
    copy.close();
  }
}

/**
 * PostgreSQL: a repeatable-read transaction exports its snapshot, pg_dump dumps exactly that
 * snapshot, and the rows are counted in it too, so the counts are those of the dump whatever
 * commits meanwhile.
 */
async function backupPostgres(config: AppConfig, target: string): Promise<DatabaseCopy> {
  const url = config.DATABASE_URL as string;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshot: string }>(
      'SELECT pg_export_snapshot() AS snapshot',
    );
    const tool = pgToolConnection(url);
    const dumped = runTool(
      'pg_dump',
      ['--format=custom', `--snapshot=${rows[0].snapshot}`, `--file=${target}`, tool.dbname],
      tool.env,
    );
    // Awaited below; a failure to start (no pg_dump) must not count as unhandled meanwhile.
    dumped.catch(() => undefined);
    const tables: Record<string, number> = {};
    let migrations: string[] = [];
    try {
      const names = (await client.query<{ tablename: string }>(PG_TABLES_SQL)).rows;
      for (const { tablename } of names) {
        const count = await client.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM ${quoteIdent(tablename)}`,
        );
        tables[tablename] = Number(count.rows[0].n);
      }
      if (tables.schema_migrations !== undefined) {
        migrations = (
          await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')
        ).rows.map((row) => row.name);
      }
    } finally {
      // The snapshot must stay exported until pg_dump has taken it.
      await dumped;
    }
    await client.query('COMMIT');
    return { migrations, tables };
  } finally {
    await client.end();
  }
}

/**
 * `backup [--out DIR]`: writes DIR/backup-<UTC time>/ with a consistent copy of the database,
 * the files of DATA_DIR, and manifest.json (row counts, migrations, SHA-256 of every file).
 * Safe while the server runs. The database is copied first, then the files: uploads are
 * written before the rows that name them, so every file the copied database refers to exists.
 */
export async function backup(config: AppConfig, args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(COMMAND, args, ['out'] as const);
  const started = Date.now();
  const createdAt = new Date();
  const out = resolve(options.out ?? 'backups');
  const dir = join(out, `backup-${stamp(createdAt)}`);
  const dataDir = resolve(config.DATA_DIR);
  if (dir === dataDir || dir.startsWith(dataDir + sep)) {
    throw new CliFailure(`${COMMAND}: --out must be outside DATA_DIR (${config.DATA_DIR})`);
  }
  await mkdir(out, { recursive: true });
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliFailure(`${COMMAND}: ${dir} already exists; try again in a second`);
    }
    throw error;
  }

  const engine = config.usesPostgres ? 'postgres' : 'sqlite';
  const databasePath = join(dir, engine === 'postgres' ? PG_DUMP_FILE : SQLITE_FILE);
  const copy =
    engine === 'postgres'
      ? await backupPostgres(config, databasePath)
      : await backupSqlite(config, databasePath);

  const files: BackupFile[] = [];
  for (const source of await dataFiles(config)) {
    const destination = join(dir, DATA_FOLDER, relative(dataDir, source));
    await mkdir(dirname(destination), { recursive: true });
    await copyFile(source, destination);
    // Hash the copy: it is what restore will check.
    files.push(await describeFile(dir, destination));
  }

  const manifest: BackupManifest = {
    format: 'szifa-backup',
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt: createdAt.toISOString(),
    engine,
    appVersion: appVersion(),
    migrations: copy.migrations,
    tables: copy.tables,
    database: await describeFile(dir, databasePath),
    files,
  };
  await writeFile(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });

  const rows = Object.values(copy.tables).reduce((sum, n) => sum + n, 0);
  const bytes = files.reduce((sum, f) => sum + f.size, manifest.database.size);
  say(io, `Backup written to ${dir}`);
  say(
    io,
    `${engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}: ${Object.keys(copy.tables).length} tables, ` +
      `${rows} rows, ${copy.migrations.length} migrations; ${files.length} files from DATA_DIR; ` +
      `${formatBytes(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  say(io, 'It holds secrets (signing keys, the app secret): keep it as safe as the server.');
  return 0;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
