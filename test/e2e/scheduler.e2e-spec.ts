import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SequenceService } from '../../src/database/sequence.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { SchedulerService } from '../../src/modules/scheduler/scheduler.service.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('scheduled jobs and sequences', () => {
  let t: TestApp;
  let scheduler: SchedulerService;
  let runs = 0;
  let failNext = false;

  beforeAll(async () => {
    t = await startTestApp();
    scheduler = t.app.get(SchedulerService);
    scheduler.register({
      name: 'test.daily',
      everyMs: 60_000,
      runKey: (now) => now.toISOString().slice(0, 10),
      run: () => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('boom'));
        }
        runs++;
        return Promise.resolve({ runs });
      },
    });
  });
  afterAll(() => t.close());

  it('runs a job once per period however many times it is triggered at once', async () => {
    const now = new Date('2026-11-01T02:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => scheduler.runNow('test.daily', now)),
    );
    expect(results.filter((r) => r.ran)).toHaveLength(1);
    expect(runs).toBe(1);
    const again = await scheduler.runNow('test.daily', new Date('2026-11-01T20:00:00Z'));
    expect(again).toMatchObject({ ran: false, reason: 'ALREADY_RAN' });
  });

  it('releases the period when a run fails, so the next tick retries it', async () => {
    const now = new Date('2026-11-02T02:00:00Z');
    failNext = true;
    await expect(scheduler.runNow('test.daily', now)).rejects.toThrow('boom');
    const retry = await scheduler.runNow('test.daily', now);
    expect(retry.ran).toBe(true);
  });

  it('hands out gap-free numbers under 50 concurrent transactions', async () => {
    const tx = t.app.get(TransactionService);
    const sequences = t.app.get(SequenceService);
    const numbers = await Promise.all(
      Array.from({ length: 50 }, () => tx.run((m) => sequences.next(m, 'test:2026'))),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('gives a number back when its transaction rolls back', async () => {
    const tx = t.app.get(TransactionService);
    const sequences = t.app.get(SequenceService);
    await expect(
      tx.run(async (m) => {
        await sequences.next(m, 'rollback:2026');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await tx.run((m) => sequences.next(m, 'rollback:2026'))).toBe(1);
  });
});
