import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import type { BackupManifest } from '../../src/cli/backup.js';
import { loadCliConfig } from '../../src/cli/context.js';
import { runCommand, type CommandName } from '../../src/cli/run.js';
import { JsonLogger } from '../../src/common/logging/json-logger.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { AuditService } from '../../src/modules/audit/audit.service.js';
import { FileStore } from '../../src/modules/files/file-store.service.js';
import { SigningKeysService } from '../../src/modules/signing/signing-keys.service.js';
import { insertSignedCertificate } from '../factories/certificates-verify.js';
import { SAMPLE_PNG } from '../factories/firm-portal.js';
import { createFirm } from '../factories/index.js';
import { createScratchPostgres, startTestApp, type TestApp } from '../helpers/test-app.js';
import { captureIo } from './cli-env.js';

interface Target {
  config: AppConfig;
  drop(): Promise<void>;
}

/** An empty place to restore into: a new SQLite path and DATA_DIR, or a new PostgreSQL database. */
async function freshTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'szifa-restore-'));
  const vars: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: join(dir, 'data'),
    SQLITE_PATH: join(dir, 'szifa.sqlite'),
  };
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchPostgres(process.env.DATABASE_URL);
    vars.DATABASE_URL = scratch.url;
    dropDb = scratch.drop;
  }
  return {
    config: loadCliConfig(vars),
    async drop() {
      if (dropDb) await dropDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function cli(name: CommandName, args: string[], config: AppConfig) {
  const io = captureIo();
  const code = await runCommand(name, config, args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

async function withDatabase<T>(config: AppConfig, work: (ds: DataSource) => Promise<T>) {
  const ds = new DataSource(buildDataSourceOptions(config));
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}

async function countRows(config: AppConfig, tables: string[]): Promise<Record<string, number>> {
  return withDatabase(config, async (ds) => {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [{ n }] = await ds.query<Array<{ n: number | string }>>(
        `SELECT COUNT(*) AS n FROM "${table}"`,
      );
      counts[table] = Number(n);
    }
    return counts;
  });
}

describe('backup and restore', () => {
  let source: TestApp;
  let sourceCli: AppConfig;
  let out: string;
  let backupDir: string;
  let manifest: BackupManifest;
  let target: Target;
  const targets: Target[] = [];
  let serial: string;
  let upload: { sha256: string; bytes: Buffer };
  let kid: string;

  beforeAll(async () => {
    source = await startTestApp();
    sourceCli = loadCliConfig({
      NODE_ENV: 'test',
      DATA_DIR: source.config.DATA_DIR,
      SQLITE_PATH: source.config.SQLITE_PATH,
      ...(source.config.DATABASE_URL ? { DATABASE_URL: source.config.DATABASE_URL } : {}),
    });
    out = mkdtempSync(join(tmpdir(), 'szifa-backups-'));
    const firm = await createFirm(source, { name: '深圳备份测试金融科技有限公司' });
    serial = (await insertSignedCertificate(source, firm)).row.serial;
    kid = await source.app.get(SigningKeysService).currentKid();
    // An upload only this test makes: its bytes must come back exactly.
    const bytes = Buffer.concat([SAMPLE_PNG, Buffer.from(`backup-test-${Date.now()}`)]);
    upload = { sha256: (await source.app.get(FileStore).put(bytes)).sha256, bytes };
  });

  afterAll(async () => {
    await source.close();
    for (const t of targets) await t.drop();
    rmSync(out, { recursive: true, force: true });
  });

  it('takes a backup while writes continue, with the row counts of its own snapshot', async () => {
    const tx = source.app.get(TransactionService);
    const audit = source.app.get(AuditService);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await tx.run((manager) =>
          audit.record(manager, {
            actor: null,
            action: 'backup_test.write',
            subjectType: 'test',
            subjectId: String(written),
          }),
        );
        written++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    // Let the writer get going first, so the backup starts in the middle of the load.
    while (written < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    const before = written;
    const run = await cli('backup', ['--out', out], sourceCli);
    writing = false;
    await writer;

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(written).toBeGreaterThan(before);
    backupDir = /^Backup written to (.+)$/m.exec(run.stdout)?.[1] ?? '';
    manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as BackupManifest;
    expect(manifest).toMatchObject({
      format: 'szifa-backup',
      formatVersion: 1,
      engine: source.config.usesPostgres ? 'postgres' : 'sqlite',
    });
    expect(manifest.migrations.length).toBeGreaterThan(0);
    expect(manifest.tables.certificates).toBeGreaterThanOrEqual(1);
    // The live chain went on growing after the snapshot the manifest counted.
    const live = await countRows(sourceCli, ['audit_events']);
    expect(live.audit_events).toBeGreaterThan(manifest.tables.audit_events);
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toContain(`data/files/${upload.sha256.slice(0, 2)}/${upload.sha256.slice(2)}`);
    expect(paths).toContain(`data/keys/${kid}.pem`);
    // The live database is in the backup once, as its consistent copy, never as a raw file.
    expect(paths.filter((p) => p.includes('.sqlite'))).toEqual([]);
  });

  it('restores into a fresh database: counts match the manifest, the chain verifies, files are identical', async () => {
    target = await freshTarget();
    targets.push(target);
    const run = await cli('restore', [backupDir], target.config);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Audit chain OK');
    expect(run.stdout).toContain('Restore verified');
    expect(run.code).toBe(0);

    expect(await countRows(target.config, Object.keys(manifest.tables))).toEqual(manifest.tables);
    const restored = join(
      target.config.DATA_DIR,
      'files',
      upload.sha256.slice(0, 2),
      upload.sha256.slice(2),
    );
    expect(readFileSync(restored).equals(upload.bytes)).toBe(true);
    const verify = await cli('audit:verify', [], target.config);
    expect(verify.stdout).toBe(`audit chain OK: ${manifest.tables.audit_events} events\n`);
  });

  it('serves the restored data: the certificate verifies and the same signing key signs on', async () => {
    const app = await createApp(target.config, new JsonLogger('silent'));
    await app.init();
    try {
      const res = await request(app.getHttpServer())
        .get(`/api/v1/certificates/verify/${serial}`)
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'valid',
        checks: { payloadMatchesRecord: true, signatureValid: true },
      });
      // The private key came back with DATA_DIR: no new key was made.
      expect(await app.get(SigningKeysService).currentKid()).toBe(kid);
    } finally {
      await app.close();
    }
  });

  it('refuses to restore over a database that already has tables', async () => {
    const run = await cli('restore', [backupDir], target.config);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^restore: the target database is not empty \(\d+ tables\)/);
  });

  it('refuses a backup with one byte changed, before writing anything', async () => {
    const damaged = join(out, 'damaged');
    cpSync(backupDir, damaged, { recursive: true });
    const file = join(damaged, 'data/files', upload.sha256.slice(0, 2), upload.sha256.slice(2));
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0x01;
    writeFileSync(file, bytes);
    const fresh = await freshTarget();
    targets.push(fresh);

    const run = await cli('restore', [damaged], fresh.config);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `restore: data/files/${upload.sha256.slice(0, 2)}/${upload.sha256.slice(2)} does not match its SHA-256 in the manifest: the backup is damaged\n`,
    );
    expect(existsSync(fresh.config.SQLITE_PATH)).toBe(false);
    expect(existsSync(fresh.config.DATA_DIR)).toBe(false);
    if (fresh.config.usesPostgres) {
      const tables = await withDatabase(fresh.config, (ds) =>
        ds.query<unknown[]>('SELECT 1 FROM pg_tables WHERE schemaname = current_schema()'),
      );
      expect(tables).toEqual([]);
    }
  });
});
