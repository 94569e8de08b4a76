import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService } from '../../src/modules/audit/audit.service.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { createUser, type CreatedUser } from '../factories/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const PARALLEL = 40;

describe('audit chain under concurrent writes', () => {
  let t: TestApp;

  async function seqs(): Promise<number[]> {
    const events = await t.dataSource
      .getRepository(AuditEvent)
      .find({ select: { seq: true }, order: { seq: 'ASC' } });
    return events.map((e) => e.seq);
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it(`records ${PARALLEL} simultaneous sign-ins with no error, a gap-free sequence and a chain that verifies`, async () => {
    const users: CreatedUser[] = [];
    for (let i = 0; i < PARALLEL; i++) users.push(await createUser(t));

    const responses = await Promise.all(
      users.map((user) =>
        t.http.post('/api/v1/auth/token').send({ email: user.email, password: user.password }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(users.map(() => 200));

    const all = await seqs();
    expect(all).toEqual(all.map((_, i) => i + 1));
    const signIns = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'auth.sign_in' });
    expect(new Set(signIns.map((e) => e.actorId))).toEqual(new Set(users.map((u) => u.id)));
    expect(await t.app.get(AuditService).verify()).toEqual({
      ok: true,
      checked: all.length,
      firstBreak: null,
    });
  });

  it(`keeps the chain whole when ${PARALLEL} transactions append at once, some of them rolled back`, async () => {
    const audit = t.app.get(AuditService);
    const tx = t.app.get(TransactionService);
    const before = (await seqs()).length;
    const results = await Promise.allSettled(
      Array.from({ length: PARALLEL }, (_, i) =>
        tx.run(async (manager) => {
          await audit.record(manager, {
            actor: null,
            action: 'test.parallel',
            subjectType: 'thing',
            subjectId: String(i),
          });
          // A failure after the event is recorded takes the event (and its seq) back with it.
          if (i % 5 === 0) throw new Error('rolled back on purpose');
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(PARALLEL / 5);
    const all = await seqs();
    expect(all).toEqual(all.map((_, i) => i + 1));
    expect(all.length - before).toBe(PARALLEL - PARALLEL / 5);
    expect((await audit.verify(7)).ok).toBe(true);
  });
});
