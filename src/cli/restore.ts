import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from '../database/data-source-options.js';
import { TransactionService } from '../database/transaction.service.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { AuditEvent } from '../modules/audit/entities/audit-event.entity.js';
import {
  BACKUP_FORMAT_VERSION,
  DATA_FOLDER,
  MANIFEST,
  PG_TABLES_SQL,
  pgToolConnection,
  quoteIdent,
  runTool,
  sha256File,
  sqliteTables,
  type BackupFile,
  type BackupManifest,
} from './backup.js';
import { CliFailure, say, type CliIo } from './io.js';

const COMMAND = 'restore';
const ENGINE_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

function parseArgs(args: string[]): { dir: string; force: boolean } {
  let dir: string | undefined;
  let force = false;
  for (const arg of args) {
    if (arg === '--force') force = true;
    else if (arg.startsWith('--')) throw new CliFailure(`${COMMAND}: unknown option ${arg}`);
    else if (dir === undefined) dir = arg;
    else throw new CliFailure(`${COMMAND}: unexpected argument "${arg}"`);
  }
  if (!dir) throw new CliFailure(`${COMMAND}: name the backup directory (restore <dir>)`);
  return { dir: resolve(dir), force };
}

function readManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new CliFailure(`${COMMAND}: ${path} not found: not a backup`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch {
    throw new CliFailure(`${COMMAND}: ${path} is not valid JSON: the backup is damaged`);
  }
  if (manifest.format !== 'szifa-backup' || typeof manifest.formatVersion !== 'number') {
    throw new CliFailure(`${COMMAND}: ${path} is not a SZIFA backup manifest`);
  }
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new CliFailure(
      `${COMMAND}: backup format ${manifest.formatVersion} is newer than this version understands (${BACKUP_FORMAT_VERSION})`,
    );
  }
  return manifest;
}

/** A manifest path, refused unless it stays inside the backup (a manifest is input too). */
function insideBackup(dir: string, file: BackupFile): string {
  const path = resolve(dir, file.path);
  if (!path.startsWith(dir + sep)) {
    throw new CliFailure(`${COMMAND}: manifest names a file outside the backup: ${file.path}`);
  }
  return path;
}

/** Every byte is checked before anything is written: a damaged backup changes nothing. */
async function checkBackup(dir: string, manifest: BackupManifest): Promise<void> {
  for (const file of [manifest.database, ...manifest.files]) {
    const path = insideBackup(dir, file);
    if (!existsSync(path)) throw new CliFailure(`${COMMAND}: backup is missing ${file.path}`);
    if ((await sha256File(path)) !== file.sha256) {
      throw new CliFailure(
        `${COMMAND}: ${file.path} does not match its SHA-256 in the manifest: the backup is damaged`,
      );
    }
  }
}

async function existingTables(config: AppConfig): Promise<string[]> {
  if (config.usesPostgres) {
    const client = new pg.Client({ connectionString: config.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<{ tablename: string }>(PG_TABLES_SQL)).rows.map(
        (row) => row.tablename,
      );
    } finally {
      await client.end();
    }
  }
  if (!existsSync(config.SQLITE_PATH)) return [];
  const db = new Database(config.SQLITE_PATH, { readonly: true, fileMustExist: true });
  try {
    return sqliteTables(db);
  } finally {
    db.close();
  }
}

async function restoreSqlite(config: AppConfig, source: string): Promise<void> {
  const target = resolve(config.SQLITE_PATH);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.restoring`;
  await copyFile(source, temp);
  // A -wal file left beside the restored database would be replayed into it.
  for (const suffix of ['-wal', '-shm', '-journal']) await rm(target + suffix, { force: true });
  await rename(temp, target);
}

async function restorePostgres(config: AppConfig, source: string, force: boolean): Promise<void> {
  const tool = pgToolConnection(config.DATABASE_URL as string);
  await runTool(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      ...(force ? ['--clean', '--if-exists'] : []),
      `--dbname=${tool.dbname}`,
      source,
    ],
    tool.env,
  );
}

interface Verification {
  problems: string[];
  lines: string[];
}

/** Counts, hashes and the audit chain of what was restored, against the manifest. */
async function verifyRestored(
  config: AppConfig,
  manifest: BackupManifest,
  restoredFiles: Array<{ file: BackupFile; path: string }>,
): Promise<Verification> {
  const problems: string[] = [];
  const lines: string[] = [];
  const ds = new DataSource(buildDataSourceOptions(config));
  await ds.initialize();
  try {
    const names = config.usesPostgres
      ? (await ds.query<Array<{ tablename: string }>>(PG_TABLES_SQL)).map((r) => r.tablename)
      : (
          await ds.query<Array<{ name: string }>>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
          )
        ).map((r) => r.name);
    const present = new Set(names);
    let rows = 0;
    for (const [table, expected] of Object.entries(manifest.tables)) {
      if (!present.has(table)) {
        problems.push(`table ${table} is missing (manifest: ${expected} rows)`);
        continue;
      }
      const [{ n }] = await ds.query<Array<{ n: number | string }>>(
        `SELECT COUNT(*) AS n FROM ${quoteIdent(table)}`,
      );
      if (Number(n) !== expected) {
        problems.push(`table ${table} has ${n} rows, the manifest says ${expected}`);
      }
      rows += Number(n);
    }
    const extra = names.filter((name) => !(name in manifest.tables));
    lines.push(
      `Rows: ${Object.keys(manifest.tables).length} tables, ${rows} rows checked against the manifest` +
        (extra.length ? ` (tables not in the backup, left as they were: ${extra.join(', ')})` : ''),
    );

    const audit = await new AuditService(
      ds.getRepository(AuditEvent),
      new TransactionService(ds),
    ).verify();
    if (audit.ok) {
      lines.push(`Audit chain OK: ${audit.checked} events`);
    } else {
      const at = audit.firstBreak;
      problems.push(
        at
          ? `audit chain BROKEN at event seq=${at.seq} id=${at.id} (${at.reason})`
          : 'audit chain BROKEN',
      );
    }
  } finally {
    await ds.destroy();
  }

  for (const { file, path } of restoredFiles) {
    if (!existsSync(path) || (await sha256File(path)) !== file.sha256) {
      problems.push(`${path} does not match its SHA-256 in the manifest`);
    }
  }
  lines.push(`Files: ${restoredFiles.length} restored into DATA_DIR, SHA-256 checked`);
  return { problems, lines };
}

/**
 * `restore <backup-dir> [--force]`: puts a backup made by `backup` into the configured database
 * and DATA_DIR, then checks row counts, file hashes and the audit chain against the manifest.
 * Refuses a damaged backup before writing anything, and a database that already has tables
 * unless --force. The server must be stopped while it runs.
 */
export async function restore(config: AppConfig, args: string[], io: CliIo): Promise<number> {
  const { dir, force } = parseArgs(args);
  const manifest = readManifest(dir);
  const engine = config.usesPostgres ? 'postgres' : 'sqlite';
  if (manifest.engine !== engine) {
    throw new CliFailure(
      `${COMMAND}: the backup is of ${ENGINE_NAMES[manifest.engine] ?? manifest.engine}, the configured database is ${ENGINE_NAMES[engine]}; moving between them is not supported`,
    );
  }
  await checkBackup(dir, manifest);

  const tables = await existingTables(config);
  if (tables.length > 0 && !force) {
    throw new CliFailure(
      `${COMMAND}: the target database is not empty (${tables.length} tables); restore into a fresh database, or add --force to replace it`,
    );
  }

  const database = insideBackup(dir, manifest.database);
  if (engine === 'postgres') await restorePostgres(config, database, force);
  else await restoreSqlite(config, database);

  const dataDir = resolve(config.DATA_DIR);
  const restoredFiles: Array<{ file: BackupFile; path: string }> = [];
  for (const file of manifest.files) {
    const source = insideBackup(dir, file);
    const rel = file.path.startsWith(`${DATA_FOLDER}/`)
      ? file.path.slice(DATA_FOLDER.length + 1)
      : file.path;
    const destination = resolve(dataDir, rel);
    if (!destination.startsWith(dataDir + sep)) {
      throw new CliFailure(`${COMMAND}: manifest names a file outside DATA_DIR: ${file.path}`);
    }
    await mkdir(dirname(destination), { recursive: true });
    await copyFile(source, destination);
    restoredFiles.push({ file, path: destination });
  }

  const where =
    engine === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `SQLite at ${config.SQLITE_PATH}`;
  say(io, `Restored ${dir} (made ${manifest.createdAt}) into ${where}`);
  const { problems, lines } = await verifyRestored(config, manifest, restoredFiles);
  for (const line of lines) say(io, line);
  if (problems.length > 0) {
    for (const problem of problems) say(io, `MISMATCH: ${problem}`);
    say(io, 'Restore FAILED verification: do not start the server on this database.');
    return 1;
  }
  say(io, `Restore verified: ${manifest.migrations.length} migrations; start the server.`);
  return 0;
}
