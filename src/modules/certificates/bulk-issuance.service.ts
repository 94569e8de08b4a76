import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { In, IsNull, MoreThan } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { CommonError, DomainError } from '../../common/errors/domain-error.js';
import { beijingYear } from '../../common/time/beijing.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { UsersService } from '../users/users.service.js';
import { CertificatesError } from './certificates.errors.js';
import { CertificatesService, isCertificateKind } from './certificates.service.js';
import {
  CertificateBatch,
  CertificateBatchItem,
  type CertificateBatchItemState,
  type CertificateBatchState,
} from './entities/certificate-batch.entity.js';
import type { CertificateKind } from './pdf/certificate-facts.js';

const STAFF = new Set(['staff_admin', 'staff_reviewer']);
/** A runner holds a batch this long after its last item; a dead runner's batch is free after. */
const LEASE_MS = 60_000;
/** Pending items read at a time: memory stays flat however large the batch. */
const PAGE = 200;
/** Rows per INSERT when planning (10 columns: well under either database's parameter limit). */
const INSERT_CHUNK = 500;
/** Serialises planning on PostgreSQL, so two starts at once plan one batch (SQLite: queued). */
const PLAN_LOCK = 0x5a1fb0;
const LIST_MAX = 100;

/** A batch as the API and pages show it. `done` = issued + skipped + failed, out of `total`. */
export interface BatchView {
  id: string;
  kind: CertificateKind;
  year: number | null;
  state: CertificateBatchState;
  total: number;
  issued: number;
  skipped: number;
  failed: number;
  done: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface BatchPage {
  items: BatchView[];
  nextCursor: string | null;
}

/** One failed subject of a batch, with the firm's name and why. */
export interface BatchFailureView {
  position: number;
  subjectId: string;
  firmId: string;
  firmName: string;
  errorCode: string | null;
  /** The eligibility reason code (dues_unpaid, firm_suspended, ...) or the error message. */
  errorDetail: string | null;
}

export interface BatchFailurePage {
  items: BatchFailureView[];
  nextCursor: string | null;
}

export interface StartBatchInput {
  kind: unknown;
  year?: number;
}

export function toBatchView(b: CertificateBatch): BatchView {
  return {
    id: b.id,
    kind: b.kind,
    year: b.year,
    state: b.state,
    total: b.total,
    issued: b.issued,
    skipped: b.skipped,
    failed: b.failed,
    done: b.issued + b.skipped + b.failed,
    createdAt: b.createdAt.toISOString(),
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
  };
}

/** Another runner took the batch over (our lease expired): stop without writing. */
class LeaseLost extends Error {}

interface Outcome {
  state: Exclude<CertificateBatchItemState, 'pending'>;
  certificateId: string | null;
  errorCode: string | null;
  errorDetail: string | null;
}

/** An outcome, and whether it was already recorded in the issuing transaction. */
type IssueResult = Outcome & { recorded: boolean };

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function limitOf(value: number | undefined, fallback: number): number {
  return Math.min(Math.max(Math.trunc(value ?? fallback) || fallback, 1), LIST_MAX);
}

/**
 * Bulk issuance (issue 7 §6): every subject of one kind (membership: every active firm for a
 * year; pledge: each active firm's signature of the convention in force; rating: each active
 * firm's current rating) is planned as a pending item, then issued one by one in the background.
 *
 * Idempotent: issuance is `onceEver`, so a fact that ever had a certificate is skipped, and a
 * second batch issues nothing twice. Resumable: items are committed one at a time with the
 * batch's counters; a runner holds the batch by a lease it renews with every item, and a batch
 * whose runner died (lease expired) or stopped at shutdown is picked up at the next start-up.
 */
@Injectable()
export class BulkIssuanceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BulkIssuanceService.name);
  /** This process, as the holder of leases. */
  readonly instanceId = `${process.pid}-${randomUUID()}`;
  private readonly running = new Map<string, Promise<BatchView>>();
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly certificates: CertificatesService,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Processes that run background work (SCHEDULER_ENABLED: the servers, not CLI commands or
   * tests) resume at start-up the batches that a stopped or dead process left unfinished.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.SCHEDULER_ENABLED) await this.resumeUnfinished();
  }

  /** Starts, in the background, every unfinished batch that no live runner holds. */
  async resumeUnfinished(): Promise<void> {
    let open: CertificateBatch[];
    try {
      open = await this.db.manager.find(CertificateBatch, {
        where: { state: In(['queued', 'running']) },
        order: { createdAt: 'ASC' },
      });
    } catch (error) {
      // E.g. a CLI run before the migration that creates the table.
      this.logger.warn(`could not look for unfinished batches: ${String(error)}`);
      return;
    }
    const now = Date.now();
    for (const batch of open) {
      if (batch.claimedBy && batch.leaseUntil && batch.leaseUntil.getTime() > now) continue;
      this.runInBackground(batch.id);
    }
  }

  /** Stops between items (the rest stay pending) and gives the leases back. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Plans a batch and starts issuing in the background; returns at once. An unfinished batch of
   * the same kind and year is returned instead of planning a second.
   */
  async start(actor: Actor, input: StartBatchInput): Promise<BatchView> {
    const batch = await this.plan(actor, input);
    if (batch.state !== 'done') this.runInBackground(batch.id);
    return batch;
  }

  /**
   * Plans a batch without running it: every subject becomes an item, in firm name order. A firm
   * without the record the kind needs (no signature of the convention in force, no current
   * rating) becomes a failed item with the reason.
   */
  async plan(actor: Actor, input: StartBatchInput): Promise<BatchView> {
    if (actor.role !== 'staff_admin') throw new CommonError('FORBIDDEN');
    if (!isCertificateKind(input.kind)) throw new CertificatesError('KIND_INVALID');
    const kind = input.kind;
    const year = kind === 'membership' ? this.membershipYear(input.year) : null;
    const open = await this.unfinished(this.db.manager, kind, year);
    if (open) return toBatchView(open);

    const firms = await this.firms.withStatus(this.db.manager, ['active']);
    const now = new Date();
    const batchId = randomUUID();
    const items: CertificateBatchItem[] = [];
    for (const [position, firm] of firms.entries()) {
      const item: CertificateBatchItem = {
        id: randomUUID(),
        batchId,
        subjectId: firm.id,
        firmId: firm.id,
        position,
        state: 'pending',
        certificateId: null,
        errorCode: null,
        errorDetail: null,
        updatedAt: now,
      };
      if (kind !== 'membership') {
        try {
          item.subjectId = await this.certificates.subjectFor(kind, firm.id);
        } catch (error) {
          if (!(error instanceof CertificatesError) || error.code !== 'NOT_ELIGIBLE') throw error;
          Object.assign(item, this.failure(error));
        }
      }
      items.push(item);
    }
    const failed = items.filter((i) => i.state === 'failed').length;

    return this.tx.run(async (manager) => {
      await this.tx.lock(manager, PLAN_LOCK);
      const raced = await this.unfinished(manager, kind, year);
      if (raced) return toBatchView(raced);
      const batch = manager.create(CertificateBatch, {
        id: batchId,
        kind,
        year,
        state: 'queued',
        total: items.length,
        issued: 0,
        skipped: 0,
        failed,
        createdBy: actor.id,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        claimedBy: null,
        leaseUntil: null,
        version: 1,
      });
      await manager.insert(CertificateBatch, batch);
      for (let i = 0; i < items.length; i += INSERT_CHUNK)
        await manager.insert(CertificateBatchItem, items.slice(i, i + INSERT_CHUNK));
      await this.audit.record(manager, {
        actor,
        action: 'certificates.batch_started',
        subjectType: 'certificate_batch',
        subjectId: batchId,
        summary: { kind, year, total: items.length, failed },
      });
      return toBatchView(batch);
    });
  }

  /**
   * Processes the batch's pending items to completion in this process and resolves with the
   * batch when done. While another runner holds the lease, resolves at once with the batch as
   * it stands; called again while this process is already on it, joins that run.
   */
  run(batchId: string): Promise<BatchView> {
    const inFlight = this.running.get(batchId);
    if (inFlight) return inFlight;
    const job = this.process(batchId).finally(() => this.running.delete(batchId));
    this.running.set(batchId, job);
    return job;
  }

  async get(actor: Actor, batchId: string): Promise<BatchView> {
    return toBatchView(await this.findVisible(actor, batchId));
  }

  /** Batches, newest first; the cursor is the last id of the previous page. */
  async list(actor: Actor, query: { limit?: number; cursor?: string }): Promise<BatchPage> {
    if (!STAFF.has(actor.role)) throw new CommonError('FORBIDDEN');
    const limit = limitOf(query.limit, 20);
    const qb = this.db.manager
      .createQueryBuilder(CertificateBatch, 'b')
      .orderBy('b.createdAt', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .take(limit + 1);
    if (query.cursor) {
      const last = await this.db.manager.findOneBy(CertificateBatch, { id: query.cursor });
      if (last)
        qb.where('(b.createdAt < :at OR (b.createdAt = :at AND b.id < :id))', {
          at: last.createdAt,
          id: last.id,
        });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map(toBatchView);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }

  /** The batch's failed items in processing order, with firm names; cursor = last position. */
  async failures(
    actor: Actor,
    batchId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<BatchFailurePage> {
    await this.findVisible(actor, batchId);
    const limit = limitOf(query.limit, 50);
    const after = Number.parseInt(query.cursor ?? '', 10);
    const rows = await this.db.manager.find(CertificateBatchItem, {
      where: {
        batchId,
        state: 'failed',
        ...(Number.isInteger(after) ? { position: MoreThan(after) } : {}),
      },
      order: { position: 'ASC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    const names = await this.firms.namesByIds(page.map((r) => r.firmId));
    return {
      items: page.map((r) => ({
        position: r.position,
        subjectId: r.subjectId,
        firmId: r.firmId,
        firmName: names.get(r.firmId)?.name ?? r.firmId,
        errorCode: r.errorCode,
        errorDetail: r.errorDetail,
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1].position) : null,
    };
  }

  private async findVisible(actor: Actor, batchId: string): Promise<CertificateBatch> {
    if (!STAFF.has(actor.role)) throw new CommonError('FORBIDDEN');
    const batch =
      batchId.length <= 64
        ? await this.db.manager.findOneBy(CertificateBatch, { id: batchId })
        : null;
    if (!batch) throw new CertificatesError('BATCH_NOT_FOUND');
    return batch;
  }

  private membershipYear(requested: number | undefined): number {
    const thisYear = beijingYear(new Date());
    const year = requested ?? thisYear;
    if (!Number.isInteger(year) || year < thisYear)
      throw new CertificatesError('NOT_ELIGIBLE', { reason: 'year_past' });
    if (year > thisYear + 1)
      throw new CertificatesError('NOT_ELIGIBLE', { reason: 'year_too_far' });
    return year;
  }

  private unfinished(
    manager: EntityManager,
    kind: CertificateKind,
    year: number | null,
  ): Promise<CertificateBatch | null> {
    return manager.findOne(CertificateBatch, {
      where: { kind, year: year ?? IsNull(), state: In(['queued', 'running']) },
      order: { createdAt: 'ASC' },
    });
  }

  private runInBackground(batchId: string): void {
    this.run(batchId).catch((error: unknown) =>
      this.logger.error(`batch ${batchId} stopped: ${String(error)}`),
    );
  }

  private async process(batchId: string): Promise<BatchView> {
    const found = await this.db.manager.findOneBy(CertificateBatch, { id: batchId });
    if (!found) throw new CertificatesError('BATCH_NOT_FOUND');
    if (found.state === 'done' || this.stopping) return toBatchView(found);
    const batch = await this.claim(found);
    if (!batch) return this.current(batchId);
    const actor = await this.actorFor(batch);
    let after = -1;
    try {
      while (!this.stopping) {
        const items = await this.db.manager.find(CertificateBatchItem, {
          where: { batchId, state: 'pending', position: MoreThan(after) },
          order: { position: 'ASC' },
          take: PAGE,
        });
        if (items.length === 0) return toBatchView(await this.finish(batch));
        for (const item of items) {
          if (this.stopping) break;
          const { recorded, ...outcome } = await this.issue(batch, actor, item);
          if (!recorded) await this.record(batch, item, outcome);
          after = item.position;
          // SQLite answers synchronously: without a turn of the event loop between items the
          // runner would starve the requests this process serves.
          await yieldToEventLoop();
        }
      }
      await this.release(batchId);
      return this.current(batchId);
    } catch (error) {
      if (error instanceof LeaseLost) return this.current(batchId);
      await this.release(batchId).catch(() => undefined);
      throw error;
    }
  }

  private async current(batchId: string): Promise<BatchView> {
    return toBatchView(await this.db.manager.findOneByOrFail(CertificateBatch, { id: batchId }));
  }

  /**
   * Takes the batch if nobody holds it (or the holder's lease ran out): a guarded UPDATE, so of
   * two processes at most one wins. The first claim sets startedAt.
   */
  private async claim(batch: CertificateBatch): Promise<CertificateBatch | null> {
    const now = new Date();
    const claimed = await this.tx.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(CertificateBatch)
        .set({
          state: 'running',
          claimedBy: this.instanceId,
          leaseUntil: new Date(now.getTime() + LEASE_MS),
          startedAt: batch.startedAt ?? now,
          version: () => 'version + 1',
        })
        .where('id = :id AND version = :version AND state <> :done', {
          id: batch.id,
          version: batch.version,
          done: 'done',
        })
        .andWhere('("claimedBy" IS NULL OR "claimedBy" = :me OR "leaseUntil" < :now)', {
          me: this.instanceId,
          now,
        })
        .execute();
      return (result.affected ?? 0) > 0;
    });
    if (!claimed) return null;
    return this.db.manager.findOneByOrFail(CertificateBatch, { id: batch.id });
  }

  /** Issues as the staff member who started the batch (the certificates' issuedBy). */
  private async actorFor(batch: CertificateBatch): Promise<Actor> {
    const user = batch.createdBy ? await this.users.findById(batch.createdBy) : null;
    return {
      id: batch.createdBy ?? 'system',
      // The start was authorised; a later change of the starter's role does not strand the batch.
      role: 'staff_admin',
      firmId: null,
      name: user?.name ?? 'bulk issuance',
      email: user?.email ?? '',
    };
  }

  private async issue(
    batch: CertificateBatch,
    actor: Actor,
    item: CertificateBatchItem,
  ): Promise<IssueResult> {
    try {
      const { outcome, certificate } = await this.certificates.issueOne(
        actor,
        batch.kind,
        item.subjectId,
        {
          year: batch.year ?? undefined,
          onceEver: true,
          // A new certificate and its item commit together: no window for a crash between them.
          onIssued: (manager, created) =>
            this.recordIn(manager, batch, item, {
              state: 'issued',
              certificateId: created.id,
              errorCode: null,
              errorDetail: null,
            }),
        },
      );
      if (outcome === 'issued')
        return {
          state: 'issued',
          certificateId: certificate.id,
          errorCode: null,
          errorDetail: null,
          recorded: true,
        };
      // A certificate the batch's creator issued for this subject while the batch ran (by hand,
      // or by a runner that died before recording it) counts as the batch's: either way nothing
      // was issued twice.
      const ours =
        certificate.issuedBy === batch.createdBy &&
        batch.startedAt !== null &&
        certificate.issuedAt.getTime() >= batch.startedAt.getTime();
      return ours
        ? {
            state: 'issued',
            certificateId: certificate.id,
            errorCode: null,
            errorDetail: null,
            recorded: false,
          }
        : {
            state: 'skipped',
            certificateId: certificate.id,
            errorCode: 'already_issued',
            errorDetail: null,
            recorded: false,
          };
    } catch (error) {
      if (error instanceof LeaseLost) throw error;
      return { certificateId: null, ...this.failure(error), recorded: false };
    }
  }

  private failure(error: unknown): Pick<Outcome, 'state' | 'errorCode' | 'errorDetail'> {
    if (error instanceof CertificatesError && error.code === 'NOT_ELIGIBLE') {
      const reason = (error.details as { reason?: unknown } | undefined)?.reason;
      return {
        state: 'failed',
        errorCode: 'NOT_ELIGIBLE',
        errorDetail: typeof reason === 'string' ? reason : null,
      };
    }
    if (error instanceof DomainError)
      return {
        state: 'failed',
        errorCode: String(error.code).slice(0, 48),
        errorDetail: error.spec.en,
      };
    this.logger.error(`bulk issuance item failed: ${String(error)}`);
    return {
      state: 'failed',
      errorCode: 'ERROR',
      errorDetail: error instanceof Error ? error.message.slice(0, 2000) : String(error),
    };
  }

  /** The item's outcome and the batch's counter in one transaction; renews the lease. */
  private async record(
    batch: CertificateBatch,
    item: CertificateBatchItem,
    outcome: Outcome,
  ): Promise<void> {
    await this.tx.run((manager) => this.recordIn(manager, batch, item, outcome));
  }

  private async recordIn(
    manager: EntityManager,
    batch: CertificateBatch,
    item: CertificateBatchItem,
    outcome: Outcome,
  ): Promise<void> {
    const now = new Date();
    const held = await manager
      .createQueryBuilder()
      .update(CertificateBatch)
      .set({
        [outcome.state]: () => `"${outcome.state}" + 1`,
        leaseUntil: new Date(now.getTime() + LEASE_MS),
        version: () => 'version + 1',
      })
      .where('id = :id AND "claimedBy" = :me', { id: batch.id, me: this.instanceId })
      .execute();
    if (!held.affected) throw new LeaseLost();
    const updated = await manager
      .createQueryBuilder()
      .update(CertificateBatchItem)
      .set({ ...outcome, updatedAt: now })
      .where('id = :id AND state = :pending', { id: item.id, pending: 'pending' })
      .execute();
    // Recorded already (cannot happen while we hold the lease): do not count it twice.
    if (!updated.affected) throw new LeaseLost();
  }

  /** Done: counters recounted from the items (the truth), lease given back, audited. */
  private async finish(batch: CertificateBatch): Promise<CertificateBatch> {
    return this.tx.run(async (manager) => {
      const counts = await manager
        .createQueryBuilder(CertificateBatchItem, 'i')
        .select('i.state', 'state')
        .addSelect('COUNT(*)', 'n')
        .where('i.batchId = :id', { id: batch.id })
        .groupBy('i.state')
        .getRawMany<{ state: CertificateBatchItemState; n: string | number }>();
      const by = (s: CertificateBatchItemState) =>
        Number(counts.find((c) => c.state === s)?.n ?? 0);
      if (by('pending') > 0) throw new LeaseLost();
      const now = new Date();
      const done = await manager
        .createQueryBuilder()
        .update(CertificateBatch)
        .set({
          state: 'done',
          issued: by('issued'),
          skipped: by('skipped'),
          failed: by('failed'),
          finishedAt: now,
          claimedBy: null,
          leaseUntil: null,
          version: () => 'version + 1',
        })
        .where('id = :id AND "claimedBy" = :me', { id: batch.id, me: this.instanceId })
        .execute();
      if (!done.affected) throw new LeaseLost();
      const row = await manager.findOneByOrFail(CertificateBatch, { id: batch.id });
      await this.audit.record(manager, {
        actor: null,
        action: 'certificates.batch_finished',
        subjectType: 'certificate_batch',
        subjectId: batch.id,
        summary: {
          kind: row.kind,
          year: row.year,
          total: row.total,
          issued: row.issued,
          skipped: row.skipped,
          failed: row.failed,
        },
      });
      return row;
    });
  }

  /** Gives the lease back (shutdown): the batch stays running with its pending items. */
  private async release(batchId: string): Promise<void> {
    await this.tx.run((manager) =>
      manager
        .createQueryBuilder()
        .update(CertificateBatch)
        .set({ claimedBy: null, leaseUntil: null, version: () => 'version + 1' })
        .where('id = :id AND "claimedBy" = :me', { id: batchId, me: this.instanceId })
        .execute(),
    );
  }
}
