import type { BenchDialect } from '../lib.js';

/**
 * The large data set the HTTP benchmark runs against: 100,000 firms, 1,000,000 dispute tickets
 * and 10,000 certificates, plus the signed-in people who read and write them.
 *
 * CONTRACT (shared by bench/http/seed.ts, owned by the seed helper, and the harness in
 * bench/http/*.ts): do not change the shape of SeedFacts without telling the lead.
 */
export interface SeedSizes {
  firms: number; // default 100_000 (BENCH_FIRMS)
  tickets: number; // default 1_000_000 (BENCH_TICKETS)
  certificates: number; // default 10_000 (BENCH_CERTIFICATES)
}

/** A person the benchmark signs in as (no TOTP enrolled; password sign-in works). */
export interface SeedUser {
  id: string;
  email: string;
  password: string;
}

export interface SeedFacts {
  sizes: SeedSizes;
  /** Association staff (role admin). */
  admin: SeedUser;
  /** A mediator with many assigned tickets (some open). */
  mediator: SeedUser;
  /** A firm admin of an active member firm, and that firm's id. */
  firmAdmin: SeedUser & { firmId: string };
  /** A consumer with several complaints (tickets) of their own. */
  complainant: SeedUser;
  /** An active member firm (public profile readable). */
  activeFirmId: string;
  /** A ticket assigned to `mediator`, still open (messages can be posted). */
  openTicketId: string;
  /** A valid certificate's serial (public verification). */
  certificateSerial: string;
  /** How long seeding took, ms, per table group. */
  timings: Record<string, number>;
}

/**
 * Creates the schema by running every migration on the empty database (SQLite file path, or
 * PostgreSQL URL) and bulk-loads the data set with plain SQL. Deterministic (seeded generator).
 */
export async function seedLarge(
  dialect: BenchDialect,
  target: string,
  sizes: SeedSizes,
): Promise<SeedFacts> {
  void dialect;
  void target;
  void sizes;
  throw new Error('seedLarge: not written yet');
}
