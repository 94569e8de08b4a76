import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The hash the first event links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers, in canonical form. */
export interface ChainedContent {
  seq: number;
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId: string;
  summary: string;
  ip: string | null;
  requestId: string | null;
  prevHash: string;
}

export function hashEvent(content: ChainedContent): string {
  const canonical = canonicalJson({
    seq: content.seq,
    id: content.id,
    // Millisecond precision: both databases keep at least that much.
    occurredAt: new Date(content.occurredAt).toISOString(),
    actorId: content.actorId,
    actorRole: content.actorRole,
    action: content.action,
    subjectType: content.subjectType,
    subjectId: content.subjectId,
    summary: content.summary,
    ip: content.ip,
    requestId: content.requestId,
    prevHash: content.prevHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export type ChainBreak =
  | { seq: number; id: string; reason: 'HASH_MISMATCH' }
  | { seq: number; id: string; reason: 'PREV_HASH_MISMATCH' }
  | { seq: number; id: string; reason: 'SEQUENCE_GAP' };

/** Checks events given in seq order, continuing from `prev` (the last verified event). */
export function findBreak(
  events: Iterable<ChainedContent & { hash: string }>,
  prev: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): { break: ChainBreak | null; last: { seq: number; hash: string }; count: number } {
  let last = prev;
  let count = 0;
  for (const event of events) {
    if (event.seq !== last.seq + 1) {
      return { break: { seq: event.seq, id: event.id, reason: 'SEQUENCE_GAP' }, last, count };
    }
    if (event.prevHash !== last.hash) {
      return { break: { seq: event.seq, id: event.id, reason: 'PREV_HASH_MISMATCH' }, last, count };
    }
    if (hashEvent(event) !== event.hash) {
      return { break: { seq: event.seq, id: event.id, reason: 'HASH_MISMATCH' }, last, count };
    }
    last = { seq: event.seq, hash: event.hash };
    count++;
  }
  return { break: null, last, count };
}
