import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';

/** Shared by the benchmarks: timing, percentiles, the machine's facts, scratch databases. */

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** p50, p95 and mean of millisecond samples, to the microsecond. */
export function stats(samples: number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

/** Milliseconds `work` took. */
export async function time(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * What a results file records about the run's machine. Other work on the machine inflates the
 * service and bare columns alike; the ratio is what compares.
 */
export function machineFacts(): {
  measuredAt: string;
  node: string;
  cpu: string;
  cores: number;
  loadAverageAtEnd: number[];
} {
  return {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Creates an empty database beside `baseUrl`; returns its URL and how to drop it. */
export async function scratchPostgres(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `szifa_bench_${randomBytes(5).toString('hex')}`;
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export type BenchDialect = 'sqlite' | 'postgres';

/**
 * Runs a benchmark once per engine, each in a child process of its own (entity column types are
 * fixed from DATABASE_URL when the entity files load): SQLite always, PostgreSQL in a scratch
 * database beside DATABASE_URL when it is set (dropped after unless BENCH_KEEP), BENCH_ONLY to
 * pick one. `self` is the script's own path (fileURLToPath(import.meta.url)); in the child,
 * `child` runs with the engine's name.
 */
export async function perDatabase(
  self: string,
  banner: string,
  child: (dialect: BenchDialect) => Promise<void>,
): Promise<void> {
  const which = process.argv[2];
  if (which === '--child-sqlite') return child('sqlite');
  if (which === '--child-postgres') return child('postgres');
  const spawnChild = (flag: string, env: NodeJS.ProcessEnv): void => {
    const result = spawnSync(process.execPath, [self, flag], { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`${flag} failed (exit ${String(result.status)})`);
  };
  const { DATABASE_URL: baseUrl, ...withoutUrl } = process.env;
  const only = process.env.BENCH_ONLY;
  console.log(banner);
  if (only !== 'postgres') spawnChild('--child-sqlite', withoutUrl);
  if (only === 'sqlite') return;
  if (!baseUrl) {
    console.log('DATABASE_URL is not set: PostgreSQL skipped (see bench/README.md).');
    return;
  }
  const scratch = await scratchPostgres(baseUrl);
  try {
    spawnChild('--child-postgres', { ...withoutUrl, DATABASE_URL: scratch.url });
  } finally {
    if (!process.env.BENCH_KEEP) await scratch.drop();
  }
}
