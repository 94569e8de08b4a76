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

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBreak: ChainBreak | null;
}

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
