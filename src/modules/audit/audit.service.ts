import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type EntityManager, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { TransactionService } from '../../database/transaction.service.js';
import { findBreak, GENESIS_HASH, hashEvent, type ChainBreak } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';
import { AuditEvent } from './entities/audit-event.entity.js';

/** Advisory-lock key that serialises appends to the chain on PostgreSQL. */
const AUDIT_CHAIN_LOCK = 0x5a1fa0;

export interface AuditEntry {
  /** Who acted; null for the system (scheduled jobs, CLI). */
  actor: Pick<Actor, 'id' | 'role'> | null;
  action: string;
  subjectType: string;
  subjectId: string;
  /** What changed. Never passwords, tokens or other secrets. */
  summary?: Record<string, unknown>;
  meta?: Partial<RequestMeta>;
}

/** Filters of the audit list; all optional. `from` is inclusive, `to` exclusive. */
export interface AuditQuery {
  action?: string;
  subjectType?: string;
  subjectId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: only events with a smaller seq. */
  before?: number;
  limit: number;
}

/** An event as staff read it: times in ISO 8601 UTC, the summary parsed. */
export interface AuditEventItem {
  seq: number;
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId: string;
  summary: unknown;
  ip: string | null;
  requestId: string | null;
  hash: string;
  prevHash: string;
}

export interface AuditPage {
  items: AuditEventItem[];
  nextCursor: number | null;
}

export function toAuditEventItem(event: AuditEvent): AuditEventItem {
  let summary: unknown;
  try {
    summary = JSON.parse(event.summary) as unknown;
  } catch {
    // Only a row changed behind the application's back is not JSON; show it as it is.
    summary = event.summary;
  }
  return {
    seq: event.seq,
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    actorRole: event.actorRole,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    summary,
    ip: event.ip,
    requestId: event.requestId,
    hash: event.hash,
    prevHash: event.prevHash,
  };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBreak: ChainBreak | null;
}

/**
 * The audit trail: other modules call `record()` inside their own transaction for every state
 * change; staff read it with `list()`; `verify()` re-hashes the chain.
 *
 * Deliberately not audited: failed sign-ins. They change no record, an attacker controls how
 * many there are (so they would flood the chain and make it slow to verify), and they are
 * already kept, per account and per address, in login_failures, where the throttle reads them
 * and the access log has each one. Likewise reads, and e-mail delivery bookkeeping (the outbox
 * row is its own record).
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly tx: TransactionService,
  ) {}

  /**
   * Appends an event inside the caller's transaction, so the event exists exactly when the
   * change does. Call it after the change's own writes.
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    await this.tx.lock(manager, AUDIT_CHAIN_LOCK);
    const [last] = await manager.find(AuditEvent, { order: { seq: 'DESC' }, take: 1 });
    const event = manager.create(AuditEvent, {
      seq: (last?.seq ?? 0) + 1,
      id: randomUUID(),
      // Truncated to whole milliseconds so that the stored value re-hashes identically.
      occurredAt: new Date(Math.floor(Date.now())),
      actorId: entry.actor?.id ?? null,
      actorRole: entry.actor?.role ?? 'system',
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      summary: canonicalJson(entry.summary ?? {}),
      ip: entry.meta?.ip ?? null,
      requestId: entry.meta?.requestId ?? null,
      prevHash: last?.hash ?? GENESIS_HASH,
      hash: '',
    });
    event.hash = hashEvent(event);
    await manager.insert(AuditEvent, event);
    return event;
  }

  /** One page of events, newest first, by keyset on seq (stable while new events arrive). */
  async list(query: AuditQuery): Promise<AuditPage> {
    const qb = this.events.createQueryBuilder('e');
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.subjectType)
      qb.andWhere('e.subjectType = :subjectType', { subjectType: query.subjectType });
    if (query.subjectId) qb.andWhere('e.subjectId = :subjectId', { subjectId: query.subjectId });
    if (query.actorId) qb.andWhere('e.actorId = :actorId', { actorId: query.actorId });
    if (query.from) qb.andWhere('e.occurredAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.occurredAt < :to', { to: query.to });
    if (query.before !== undefined) qb.andWhere('e.seq < :before', { before: query.before });
    // One extra row tells whether another page exists without a COUNT over the filter.
    const rows = await qb
      .orderBy('e.seq', 'DESC')
      .limit(query.limit + 1)
      .getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toAuditEventItem),
      nextCursor: rows.length > query.limit ? page[page.length - 1].seq : null,
    };
  }

  /** Walks the whole chain in batches and names the first event that does not verify. */
  async verify(batchSize = 1000): Promise<VerifyResult> {
    let prev = { seq: 0, hash: GENESIS_HASH };
    let checked = 0;
    for (;;) {
      const batch = await this.events.find({
        where: { seq: MoreThan(prev.seq) },
        order: { seq: 'ASC' },
        take: batchSize,
      });
      if (batch.length === 0) return { ok: true, checked, firstBreak: null };
      const result = findBreak(batch, prev);
      checked += result.count;
      if (result.break) return { ok: false, checked, firstBreak: result.break };
      prev = result.last;
    }
  }
}
