import { describe, expect, it } from '@jest/globals';
import { findBreak, GENESIS_HASH, hashEvent, type ChainedContent } from './audit-chain.js';

type Event = ChainedContent & { hash: string };

function chain(length: number): Event[] {
  const events: Event[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const content: ChainedContent = {
      seq,
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      occurredAt: new Date(Date.UTC(2026, 2, 1, 8, 0, seq)),
      actorId: seq % 2 ? '11111111-1111-4111-8111-111111111111' : null,
      actorRole: seq % 2 ? 'staff_admin' : 'system',
      action: 'test.event',
      subjectType: 'thing',
      subjectId: String(seq),
      summary: JSON.stringify({ n: seq }),
      ip: '127.0.0.1',
      requestId: null,
      prevHash,
    };
    const hash = hashEvent(content);
    events.push({ ...content, hash });
    prevHash = hash;
  }
  return events;
}

describe('findBreak', () => {
  it('accepts an intact chain and counts every event', () => {
    const events = chain(5);
    expect(findBreak(events)).toEqual({
      break: null,
      last: { seq: 5, hash: events[4].hash },
      count: 5,
    });
  });

  it('accepts an empty chain', () => {
    expect(findBreak([])).toEqual({ break: null, last: { seq: 0, hash: GENESIS_HASH }, count: 0 });
  });

  it('names the edited event when its content no longer matches its hash', () => {
    const events = chain(5);
    events[2] = { ...events[2], summary: JSON.stringify({ n: 999 }) };
    expect(findBreak(events)).toMatchObject({
      break: { seq: 3, id: events[2].id, reason: 'HASH_MISMATCH' },
      count: 2,
    });
  });

  it('names the next event when an edited event was re-hashed to hide the edit', () => {
    const events = chain(5);
    const forged = { ...events[2], subjectId: 'other' };
    events[2] = { ...forged, hash: hashEvent(forged) };
    expect(findBreak(events).break).toEqual({
      seq: 4,
      id: events[3].id,
      reason: 'PREV_HASH_MISMATCH',
    });
  });

  it('names the event after a deleted one as a sequence gap', () => {
    const events = chain(5);
    events.splice(2, 1);
    expect(findBreak(events).break).toEqual({ seq: 4, id: events[2].id, reason: 'SEQUENCE_GAP' });
  });

  it('names a chain that does not start at seq 1 (the first events deleted)', () => {
    const events = chain(3).slice(1);
    expect(findBreak(events).break).toEqual({ seq: 2, id: events[0].id, reason: 'SEQUENCE_GAP' });
  });

  it('notices a changed time, actor, ip or request id, not only the summary', () => {
    const changes: Array<Partial<Event>> = [
      { occurredAt: new Date(Date.UTC(2026, 2, 1, 8, 0, 59)) },
      { actorId: '22222222-2222-4222-8222-222222222222' },
      { actorRole: 'firm_admin' },
      { ip: '10.0.0.1' },
      { requestId: 'forged-request' },
      { action: 'test.other' },
    ];
    for (const change of changes) {
      const events = chain(3);
      events[1] = { ...events[1], ...change };
      expect(findBreak(events).break).toEqual({
        seq: 2,
        id: events[1].id,
        reason: 'HASH_MISMATCH',
      });
    }
  });

  it('continues from a previous batch and catches a break at the batch boundary', () => {
    const events = chain(6);
    const first = findBreak(events.slice(0, 3));
    expect(findBreak(events.slice(3), first.last)).toMatchObject({ break: null, count: 3 });
    const skipped = findBreak(events.slice(4), first.last);
    expect(skipped.break).toEqual({ seq: 5, id: events[4].id, reason: 'SEQUENCE_GAP' });
  });

  it('hashes the same for the same instant given as a Date or as a string', () => {
    const [event] = chain(1);
    const fromString = { ...event, occurredAt: new Date(event.occurredAt.toISOString()) };
    expect(hashEvent(fromString)).toBe(event.hash);
  });
});
