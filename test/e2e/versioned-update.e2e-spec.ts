import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../../src/database/transaction.service.js';
import { updateVersioned } from '../../src/database/versioned-update.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { createFirm } from '../factories/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('versioned updates', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lets one of two writers holding the same version win; the other gets CONFLICT', async () => {
    const firm = await createFirm(t);
    const tx = t.app.get(TransactionService);
    const results = await Promise.allSettled([
      tx.run((m) => updateVersioned(m, Firm, firm.id, firm.version, { status: 'active' })),
      tx.run((m) => updateVersioned(m, Firm, firm.id, firm.version, { status: 'rejected' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected');
    expect((failure as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    const stored = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
    expect(stored.version).toBe(firm.version + 1);
  });
});
