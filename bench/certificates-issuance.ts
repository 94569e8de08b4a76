import { machineFacts, perDatabase, stats, time } from './lib.js';
/**
 * Certificate issuance benchmark (issue 7): certificates issued per second through the whole
 * issuance path (eligibility, gap-free serial, render, SHA-256, Ed25519 signature, insert, audit)
 * one at a time and in a bulk batch of 10,000, with peak memory, and the ratio of that path to
 * bare rendering of the same page in the same run (goal ≥ 0.8). Each engine runs in a child
 * process of its own (entity column types are fixed from DATABASE_URL at import time).
 * How to run it and what the numbers mean: bench/README.md.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/bootstrap.js';
import type { Actor } from '../src/common/auth/auth-context.js';
import { JsonLogger } from '../src/common/logging/json-logger.js';
import { beijingDate, beijingYear } from '../src/common/time/beijing.js';
import { loadConfig } from '../src/config/app-config.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { BulkIssuanceService } from '../src/modules/certificates/bulk-issuance.service.js';
import { CertificatesService } from '../src/modules/certificates/certificates.service.js';
import { Certificate } from '../src/modules/certificates/entities/certificate.entity.js';
import { CertificateRenderer } from '../src/modules/certificates/pdf/certificate-renderer.js';
import { creditCodeCheckChar } from '../src/modules/membership/credit-code.js';
import { Firm } from '../src/modules/membership/entities/firm.entity.js';
import { UsersService } from '../src/modules/users/users.service.js';

const SINGLE = Number(process.env.BENCH_ITERATIONS ?? 200);
const BULK = Number(process.env.BENCH_BULK ?? 10_000);
const WARMUP = 20;
const RESULTS_DIR = join(process.cwd(), 'bench', 'results');

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);

const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid 18-character unified social credit code, distinct per n. */
function creditCode(n: number): string {
  let body = '91440300';
  let rest = n;
  for (let i = 0; i < 9; i++) {
    body += CODE_CHARS[rest % CODE_CHARS.length];
    rest = Math.floor(rest / CODE_CHARS.length);
  }
  return body + creditCodeCheckChar(body);
}

/** Active member firms, inserted in chunks (what admission would leave behind). */
async function seedFirms(db: DataSource, count: number): Promise<string[]> {
  const now = new Date();
  const ids: string[] = [];
  const chunk = 500;
  for (let start = 0; start < count; start += chunk) {
    const rows: Partial<Firm>[] = [];
    for (let n = start; n < Math.min(count, start + chunk); n++) {
      const id = randomUUID();
      ids.push(id);
      const name = `深圳市前海第${n + 1}号互联网金融服务有限公司`;
      rows.push({
        id,
        name,
        nameEn: `Qianhai No. ${n + 1} Internet Finance Services Co., Ltd.`,
        searchText: name,
        creditCode: creditCode(n + 1),
        district: 'nanshan',
        status: 'active',
        tier: 'member',
        memberSince: '2025-01-01',
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
    }
    await db.manager.insert(Firm, rows);
  }
  return ids;
}

/** Peak RSS and heap, sampled every 50 ms while `work` runs. */
async function withMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; peakRssMb: number; peakHeapMb: number; startRssMb: number }> {
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  let peakHeap = 0;
  const sample = (): void => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return { result, peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), startRssMb: mb(startRss) };
  } finally {
    clearInterval(timer);
  }
}

async function child(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'szifa-bench-certs-'));
  const config = loadConfig({
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATA_DIR: join(dir, 'data'),
    SQLITE_PATH: join(dir, 'szifa.sqlite'),
    SCHEDULER_ENABLED: 'false',
    PUBLIC_URL: 'https://szifa.example.cn',
  });
  const app = await createApp(config, new JsonLogger('error'));
  await app.init();
  try {
    const db = app.get<DataSource>(getDataSourceToken());
    const certificates = app.get(CertificatesService);
    const bulk = app.get(BulkIssuanceService);
    const renderer = app.get(CertificateRenderer);
    const staffUser = await app.get(TransactionService).run((m) =>
      app.get(UsersService).create(m, {
        email: 'bench-staff@szifa.example.cn',
        name: '基准测试管理员',
        password: 'Bench-Password-2026!',
        role: 'staff_admin',
        emailVerified: true,
      }),
    );
    const actor: Actor = {
      id: staffUser.id,
      role: 'staff_admin',
      firmId: null,
      name: staffUser.name,
      email: staffUser.email,
    };

    const seedMs = await time(() => seedFirms(db, WARMUP + SINGLE + BULK));
    const firms = await db.manager.find(Firm, { select: { id: true }, order: { name: 'ASC' } });
    const singleFirms = firms.slice(0, WARMUP + SINGLE).map((f) => f.id);

    // Bare rendering of the very page issuance renders: the facts and issue data of an issued
    // certificate, so the two columns differ only by what issuance adds around the renderer.
    const year = beijingYear(new Date());
    const sample = await certificates.issueOne(actor, 'membership', singleFirms[0]);
    const facts = JSON.parse(sample.certificate.facts) as never;
    const issue = {
      serial: sample.certificate.serial,
      issuedOn: sample.certificate.issuedOn,
      expiresOn: sample.certificate.expiresOn,
      verifyUrl: sample.certificate.verifyUrl,
    };
    const bare = (): Promise<Buffer> => renderer.render('membership', facts, issue);

    for (let i = 1; i < WARMUP; i++) {
      await bare();
      await certificates.issueOne(actor, 'membership', singleFirms[i]);
    }
    // Interleaved, so that whatever else the machine does hits both alike.
    const bareMs: number[] = [];
    const issueMs: number[] = [];
    for (let i = 0; i < SINGLE; i++) {
      bareMs.push(await time(bare));
      const firmId = singleFirms[WARMUP + i];
      issueMs.push(
        await time(async () => {
          const out = await certificates.issueOne(actor, 'membership', firmId);
          if (out.outcome !== 'issued') throw new Error(`not issued: ${firmId}`);
        }),
      );
    }
    const bareStats = stats(bareMs);
    const issueStats = stats(issueMs);

    // Bulk: every active member's certificate for this year, through the background batch.
    const before = await db.manager.count(Certificate);
    const bulkStart = performance.now();
    const measured = await withMemory(async () => {
      const started = await bulk.start(actor, { kind: 'membership', year });
      let view = await bulk.run(started.id);
      while (view.state !== 'done') {
        await new Promise((r) => setTimeout(r, 200));
        view = await bulk.get(actor, started.id);
      }
      return view;
    });
    const bulkSeconds = (performance.now() - bulkStart) / 1000;
    const view = measured.result;
    const issuedInBulk = (await db.manager.count(Certificate)) - before;
    if (view.issued !== BULK || issuedInBulk !== BULK)
      throw new Error(
        `bulk issued ${view.issued} (rows ${issuedInBulk}), expected ${BULK}; failed ${view.failed}`,
      );
    // Bare rendering again after the batch: the bulk ratio compares with the mean of the rates
    // before and after, so that a change in the machine's load during the batch shows as a
    // difference between the two rather than silently skewing the ratio.
    const bareAfterMs: number[] = [];
    for (let i = 0; i < SINGLE; i++) bareAfterMs.push(await time(bare));
    const bareAfter = stats(bareAfterMs);
    const bulkPerSecond = BULK / bulkSeconds;
    const barePerSecond = 1000 / bareStats.mean;
    const bareAroundBulk = (barePerSecond + 1000 / bareAfter.mean) / 2;

    const result = {
      dialect,
      ...machineFacts(),
      date: beijingDate(new Date()),
      firmsSeeded: WARMUP + SINGLE + BULK,
      seedSeconds: round(seedMs / 1000, 1),
      bareRender: { ...bareStats, perSecond: round(barePerSecond, 1) },
      singleIssuance: {
        ...issueStats,
        perSecond: round(1000 / issueStats.mean, 1),
        ratioToBare: round(bareStats.mean / issueStats.mean, 3),
      },
      bulkIssuance: {
        certificates: BULK,
        seconds: round(bulkSeconds, 1),
        perSecond: round(bulkPerSecond, 1),
        bareRenderPerSecondAfter: round(1000 / bareAfter.mean, 1),
        ratioToBare: round(bulkPerSecond / bareAroundBulk, 3),
        skipped: view.skipped,
        failed: view.failed,
        rssAtStartMb: measured.startRssMb,
        peakRssMb: measured.peakRssMb,
        peakHeapMb: measured.peakHeapMb,
      },
      goal: 'ratioToBare ≥ 0.8',
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `certificates-issuance-${dialect}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    console.log(`${dialect}: wrote ${file}`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

perDatabase(
  fileURLToPath(import.meta.url),
  `${SINGLE} single issuances and a bulk batch of ${BULK} per database.`,
  child,
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
