import Database from 'better-sqlite3';
import pg from 'pg';
import type { BenchDialect } from '../lib.js';
import { sqliteTime } from './tickets.js';

/**
 * A raw connection for bulk loading, beside TypeORM: plain multi-row INSERTs, one transaction
 * per group of rows. Timestamps go in as each engine stores them (`time`).
 */
export interface BulkConnection {
  readonly dialect: BenchDialect;
  /** A stored timestamp for an instant (SQLite datetime text, or a Date for PostgreSQL). */
  time(ms: number): string | Date;
  /** Inserts rows (values in `columns` order), in one transaction. */
  insert(table: string, columns: string[], rows: Iterable<unknown[]>): Promise<void>;
  exec(sql: string): Promise<void>;
  /** The SQLite handle or the pg client, for loaders written per engine. */
  readonly sqlite: Database.Database | null;
  readonly pg: pg.Client | null;
  close(): Promise<void>;
}

/** Bound parameters per statement: well under SQLite's 32,766 and PostgreSQL's 65,535. */
const PARAMS_PER_STATEMENT = 30_000;

const quote = (column: string): string => (/^[a-z]+$/.test(column) ? column : `"${column}"`);

export async function openBulk(dialect: BenchDialect, target: string): Promise<BulkConnection> {
  if (dialect === 'sqlite') {
    const db = new Database(target);
    db.pragma('journal_mode = WAL');
    // A crash mid-seed means seeding again anyway.
    db.pragma('synchronous = OFF');
    return {
      dialect,
      time: sqliteTime,
      sqlite: db,
      pg: null,
      insert(table, columns, rows) {
        const perStatement = Math.min(500, Math.floor(PARAMS_PER_STATEMENT / columns.length));
        const head = `INSERT INTO ${table} (${columns.map(quote).join(', ')}) VALUES `;
        const marks = `(${columns.map(() => '?').join(', ')})`;
        const full = db.prepare(
          head + Array.from({ length: perStatement }, () => marks).join(', '),
        );
        const flush = (batch: unknown[][]): void => {
          const statement =
            batch.length === perStatement
              ? full
              : db.prepare(head + batch.map(() => marks).join(', '));
          statement.run(...batch.flat());
        };
        db.transaction(() => {
          let batch: unknown[][] = [];
          for (const row of rows) {
            batch.push(row);
            if (batch.length === perStatement) {
              flush(batch);
              batch = [];
            }
          }
          if (batch.length) flush(batch);
        })();
        return Promise.resolve();
      },
      exec(sql) {
        db.exec(sql);
        return Promise.resolve();
      },
      close() {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
        return Promise.resolve();
      },
    };
  }
  const client = new pg.Client({ connectionString: target, options: '-c timezone=UTC' });
  await client.connect();
  return {
    dialect,
    time: (ms) => new Date(ms),
    sqlite: null,
    pg: client,
    async insert(table, columns, rows) {
      const perStatement = Math.min(1000, Math.floor(PARAMS_PER_STATEMENT / columns.length));
      const head = `INSERT INTO ${table} (${columns.map(quote).join(', ')}) VALUES `;
      const flush = async (batch: unknown[][]): Promise<void> => {
        const params: unknown[] = [];
        const tuples = batch.map(
          (row) =>
            `(${row
              .map((value) => {
                params.push(value);
                return `$${params.length}`;
              })
              .join(', ')})`,
        );
        await client.query(head + tuples.join(', '), params);
      };
      await client.query('BEGIN');
      try {
        let batch: unknown[][] = [];
        for (const row of rows) {
          batch.push(row);
          if (batch.length === perStatement) {
            await flush(batch);
            batch = [];
          }
        }
        if (batch.length) await flush(batch);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    async exec(sql) {
      await client.query(sql);
    },
    close: () => client.end(),
  };
}
