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
    // One statement: creates the counter at 1 or increments it, and returns the new value.
    const rows = await manager.query<Array<{ value: number | string }>>(
      this.tx.isPostgres
        ? `INSERT INTO sequence_counters (name, value) VALUES ($1, 1)
           ON CONFLICT (name) DO UPDATE SET value = sequence_counters.value + 1 RETURNING value`
        : `INSERT INTO sequence_counters (name, value) VALUES (?, 1)
           ON CONFLICT (name) DO UPDATE SET value = sequence_counters.value + 1 RETURNING value`,
      [name],
    );
    return Number(rows[0].value);
  }
}
