import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

interface TxContext {
  manager: EntityManager;
  afterCommit: Array<() => unknown>;
}

/**
 * The one way to write. Every state change runs inside `run()`.
 *
 * SQLite: TypeORM's better-sqlite3 driver shares a single connection, so two overlapping
 * transactions would fail with "transaction already started" (or SQLITE_BUSY between
 * processes). Transactions are therefore queued here, one at a time, and the driver's busy
 * timeout covers other processes. PostgreSQL: each run gets its own pooled connection.
 *
 * A `run()` inside another joins the outer transaction, so services can call each other freely.
 */
@Injectable()
export class TransactionService {
  private readonly logger = new Logger(TransactionService.name);
  private readonly storage = new AsyncLocalStorage<TxContext>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.storage.getStore();
    if (outer) return work(outer.manager);
    const context: TxContext = { manager: this.dataSource.manager, afterCommit: [] };
    const execute = (): Promise<T> =>
      this.dataSource.transaction((manager) => {
        context.manager = manager;
        return this.storage.run(context, () => work(manager));
      });
    const result = this.isPostgres ? await execute() : await this.exclusive(execute);
    for (const hook of context.afterCommit) {
      try {
        const pending = hook();
        if (pending instanceof Promise) {
          pending.catch((error: unknown) =>
            this.logger.error(`after-commit hook failed: ${String(error)}`),
          );
        }
      } catch (error) {
        this.logger.error(`after-commit hook failed: ${String(error)}`);
      }
    }
    return result;
  }

  /** Runs `hook` once the current transaction commits (at once when there is none). */
  afterCommit(hook: () => unknown): void {
    const context = this.storage.getStore();
    if (context) context.afterCommit.push(hook);
    else void Promise.resolve().then(hook);
  }

  /** Holds a database-wide lock named by `key` until the transaction ends (PostgreSQL). */
  /**
   * Find options that lock the rows a read returns until the transaction ends: FOR UPDATE on
   * PostgreSQL; nothing on SQLite, whose transactions already run one at a time (exclusive()).
   */
  get rowLock(): { lock?: { mode: 'pessimistic_write' } } {
    return this.isPostgres ? { lock: { mode: 'pessimistic_write' } } : {};
  }

  async lock(manager: EntityManager, key: number): Promise<void> {
    // SQLite transactions are already serialised by exclusive().
    if (this.isPostgres) await manager.query('SELECT pg_advisory_xact_lock($1)', [key]);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
