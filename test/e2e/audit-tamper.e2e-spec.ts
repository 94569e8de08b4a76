import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { hashEvent } from '../../src/modules/audit/audit-chain.js';
import { AuditService } from '../../src/modules/audit/audit.service.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { loginAs, type CreatedUser } from '../factories/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Row = Record<string, unknown> & { seq: number; id: string; summary: string };

const COLUMNS = [
  'seq',
  'id',
  'occurredAt',
  'actorId',
  'actorRole',
  'action',
  'subjectType',
  'subjectId',
  'summary',
  'ip',
  'requestId',
  'prevHash',
  'hash',
] as const;

/** Raw SQL, as someone with database access would write it (bypassing the ORM entirely). */
function sql<T = unknown>(t: TestApp, text: string, params: unknown[] = []): Promise<T> {
  let n = 0;
  const query =
    t.dataSource.options.type === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  return t.dataSource.query(query, params);
}

async function row(t: TestApp, seq: number): Promise<Row> {
  const rows = await sql<Row[]>(
    t,
    `SELECT ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM audit_events WHERE seq = ?`,
    [seq],
  );
  return { ...rows[0], seq: Number(rows[0].seq) };
}

async function reinsert(t: TestApp, original: Row): Promise<void> {
  await sql(
    t,
    `INSERT INTO audit_events (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    COLUMNS.map((c) => original[c]),
  );
}

describe('audit chain tamper evidence', () => {
  let t: TestApp;
  let admin: CreatedUser & { token: string };
  let audit: AuditService;
  let tx: TransactionService;

  const verifyApi = async () =>
    (
      await t.http
        .get('/api/v1/audit/verify')
        .set('Authorization', `Bearer ${admin.token}`)
        .expect(200)
    ).body as {
      ok: boolean;
      checked: number;
      firstBreak: { seq: number; id: string; reason: string } | null;
    };

  beforeAll(async () => {
    t = await startTestApp();
    audit = t.app.get(AuditService);
    tx = t.app.get(TransactionService);
    admin = await loginAs(t, 'staff_admin');
    for (let i = 0; i < 6; i++) await loginAs(t, 'complainant');
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    // Each case starts from, and must leave, an intact chain.
    expect((await audit.verify()).ok).toBe(true);
  });

  it('names exactly the event whose summary was edited by raw SQL', async () => {
    const victim = await row(t, 4);
    await sql(t, 'UPDATE audit_events SET summary = ? WHERE seq = ?', ['{"channel":"forged"}', 4]);

    const result = await verifyApi();
    expect(result).toEqual({
      ok: false,
      checked: 3,
      firstBreak: { seq: 4, id: victim.id, reason: 'HASH_MISMATCH' },
    });
    expect((await audit.verify(2)).firstBreak).toEqual({
      seq: 4,
      id: victim.id,
      reason: 'HASH_MISMATCH',
    });

    await sql(t, 'UPDATE audit_events SET summary = ? WHERE seq = ?', [victim.summary, 4]);
    expect((await verifyApi()).ok).toBe(true);
  });

  it('names the next event when the edited event was re-hashed to cover the edit', async () => {
    const victim = await t.dataSource.getRepository(AuditEvent).findOneByOrFail({ seq: 3 });
    const next = await row(t, 4);
    const forged = { ...victim, summary: '{"channel":"forged"}' };
    await sql(t, 'UPDATE audit_events SET summary = ?, hash = ? WHERE seq = ?', [
      forged.summary,
      hashEvent(forged),
      3,
    ]);

    expect((await verifyApi()).firstBreak).toEqual({
      seq: 4,
      id: next.id,
      reason: 'PREV_HASH_MISMATCH',
    });

    await sql(t, 'UPDATE audit_events SET summary = ?, hash = ? WHERE seq = ?', [
      victim.summary,
      victim.hash,
      3,
    ]);
  });

  it('names the event after a deleted middle event', async () => {
    const deleted = await row(t, 5);
    const next = await row(t, 6);
    await sql(t, 'DELETE FROM audit_events WHERE seq = ?', [5]);

    const result = await verifyApi();
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(4);
    expect(result.firstBreak).toEqual({ seq: 6, id: next.id, reason: 'SEQUENCE_GAP' });

    await reinsert(t, deleted);
  });

  it('names the broken event on the staff page too', async () => {
    const victim = await row(t, 2);
    await sql(t, 'UPDATE audit_events SET "actorRole" = ? WHERE seq = ?', ['staff_admin', 2]);
    const user = await t.app.get(UsersService).findById(admin.id);
    const { token } = await t.app.get(AuthService).signIn(user!, 'web', {});
    const res = await t.http
      .get('/staff/audit?verify=1&lang=en')
      .set('Cookie', `szifa_session=${token}`)
      .expect(200);
    expect(res.text).toContain('data-ok="false"');
    expect(res.text).toContain(`The chain is broken at event #2 (${victim.id})`);
    await sql(t, 'UPDATE audit_events SET "actorRole" = ? WHERE seq = ?', [victim.actorRole, 2]);
  });

  describe('the ORM refuses to change recorded events', () => {
    it('refuses an update', async () => {
      await expect(
        tx.run((m) => m.update(AuditEvent, { seq: 2 }, { summary: '{}' })),
      ).rejects.toThrow(/append-only/);
    });

    it('refuses saving a changed event', async () => {
      const event = await t.dataSource.getRepository(AuditEvent).findOneByOrFail({ seq: 2 });
      event.summary = '{}';
      await expect(tx.run((m) => m.save(event))).rejects.toThrow(/append-only/);
    });

    it('refuses a delete and a remove', async () => {
      await expect(tx.run((m) => m.delete(AuditEvent, { seq: 2 }))).rejects.toThrow(/append-only/);
      const event = await t.dataSource.getRepository(AuditEvent).findOneByOrFail({ seq: 2 });
      await expect(tx.run((m) => m.remove(event))).rejects.toThrow(/append-only/);
    });

    it('rolls back the rest of a transaction that tried', async () => {
      const before = await t.dataSource.getRepository(AuditEvent).count();
      await expect(
        tx.run(async (m) => {
          await audit.record(m, {
            actor: null,
            action: 'test.rolled_back',
            subjectType: 'thing',
            subjectId: '1',
          });
          await m.delete(AuditEvent, { action: 'test.rolled_back' });
        }),
      ).rejects.toThrow(/append-only/);
      expect(await t.dataSource.getRepository(AuditEvent).count()).toBe(before);
      const unchanged = await t.dataSource.getRepository(AuditEvent).findOneByOrFail({ seq: 2 });
      expect(unchanged.summary).not.toBe('{}');
    });
  });
});
