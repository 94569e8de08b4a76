import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionService } from './transaction.service.js';

/**
 * Gap-free numbering (invoice numbers, ticket numbers, certificate serials). The increment
 * happens in the caller's transaction: a rolled-back transaction gives its number back, and
 * concurrent callers queue on the counter's row lock (PostgreSQL) or the write queue (SQLite).
 */
@Injectable()
export class SequenceService {
  constructor(private readonly tx: TransactionService) {}

  async next(manager: EntityManager, name: string): Promise<number> {
    const pg = this.tx.isPostgres;
    await manager.query(
      pg
        ? 'INSERT INTO sequence_counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING'
        : 'INSERT INTO sequence_counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING',
      [name],
    );
    const rows = (await manager.query(
      pg
        ? 'UPDATE sequence_counters SET value = value + 1 WHERE name = $1 RETURNING value'
        : 'UPDATE sequence_counters SET value = value + 1 WHERE name = ? RETURNING value',
      [name],
    )) as unknown;
    // TypeORM returns [rows, affected] for UPDATE on PostgreSQL and plain rows on SQLite.
    const list = (pg ? (rows as [Array<{ value: number | string }>, number])[0] : rows) as Array<{
      value: number | string;
    }>;
    return Number(list[0].value);
  }
}
