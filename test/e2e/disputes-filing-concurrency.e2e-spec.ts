import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingYear } from '../../src/common/time/beijing.js';
import { createDraftViaApi, FILING_CONSENT } from '../factories/disputes.js';
import { createFirm, loginAs } from '../factories/index.js';
import { bearer } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('ticket numbers under concurrent filing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('gives 50 concurrent filings 50 distinct numbers, contiguous from 1 for the year', async () => {
    const firm = await createFirm(t);
    const drafts: Array<{ id: string; token: string }> = [];
    for (let c = 0; c < 5; c++) {
      const complainant = await loginAs(t, 'complainant');
      for (let i = 0; i < 10; i++) {
        const draft = await createDraftViaApi(t, complainant.token, firm.id);
        drafts.push({ id: draft.id, token: complainant.token });
      }
    }
    const responses = await Promise.all(
      drafts.map((d) =>
        t.http
          .post(`/api/v1/disputes/tickets/${d.id}/file`)
          .set(...bearer(d.token))
          .send(FILING_CONSENT),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const numbers = responses.map((r) => (r.body as { number: string }).number);
    expect(new Set(numbers).size).toBe(50);
    const year = beijingYear(new Date());
    const expected = Array.from(
      { length: 50 },
      (_, i) => `SZIFA-M-${year}-${String(i + 1).padStart(6, '0')}`,
    );
    expect([...numbers].sort()).toEqual(expected);
  });
});
