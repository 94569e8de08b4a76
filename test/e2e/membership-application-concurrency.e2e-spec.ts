import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApplicationStep } from '../../src/modules/membership/entities/application-step.entity.js';
import { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { MembershipApplication } from '../../src/modules/membership/entities/membership-application.entity.js';
import { createApplication, createCompleteApplicant } from '../factories/applications.js';
import { loginAs } from '../factories/index.js';
import { bearer } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('applications under concurrent staff action', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lets one of two staff acting on the same application at once win; the other gets 409 CONFLICT', async () => {
    const decider = await loginAs(t, 'staff_admin');
    const reviewer = await loginAs(t, 'staff_reviewer');
    for (let round = 0; round < 4; round++) {
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'under_review');
      const send = (token: string, body: object) =>
        t.http
          .post(`/api/v1/applications/${app.id}/transitions`)
          .set(...bearer(token))
          .send({ ...body, version: 1 });
      const [approve, changes] = await Promise.all([
        send(decider.token, { action: 'approve' }),
        send(reviewer.token, { action: 'request_changes', comment: '请补充材料。' }),
      ]);
      expect([approve.status, changes.status].sort()).toEqual([200, 409]);
      const loser = approve.status === 409 ? approve : changes;
      expect(loser.body.code).toBe('CONFLICT');

      const stored = await t.dataSource
        .getRepository(MembershipApplication)
        .findOneByOrFail({ id: app.id });
      expect(stored.version).toBe(2);
      expect(stored.state).toBe(approve.status === 200 ? 'approved' : 'changes_requested');
      const steps = await t.dataSource
        .getRepository(ApplicationStep)
        .findBy({ applicationId: app.id });
      expect(steps).toHaveLength(1);
      const invoices = await t.dataSource.getRepository(Invoice).countBy({ firmId: firm.id });
      expect(invoices).toBe(approve.status === 200 ? 1 : 0);
    }
  });

  it('numbers invoices uniquely and without gaps when 20 applications are approved at once', async () => {
    const decider = await loginAs(t, 'staff_admin');
    const apps = [];
    for (let i = 0; i < 20; i++) {
      const firm = await createCompleteApplicant(t);
      apps.push(await createApplication(t, firm.id, 'under_review'));
    }
    const responses = await Promise.all(
      apps.map((app) =>
        t.http
          .post(`/api/v1/applications/${app.id}/transitions`)
          .set(...bearer(decider.token))
          .send({ action: 'approve', version: 1 }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(apps.map(() => 200));
    const invoices = await t.dataSource
      .getRepository(Invoice)
      .find({ where: apps.map((app) => ({ firmId: app.firmId })) });
    expect(invoices).toHaveLength(20);
    const numbers = invoices.map((i) => i.number);
    expect(new Set(numbers).size).toBe(20);
    const year = invoices[0].year;
    const serials = numbers
      .map((n) => {
        const match = /^SZIFA-INV-(\d{4})-(\d{6})$/.exec(n);
        if (!match || Number(match[1]) !== year) throw new Error(`bad invoice number ${n}`);
        return Number(match[2]);
      })
      .sort((a, b) => a - b);
    expect(serials).toEqual(serials.map((_, i) => serials[0] + i));
  }, 60_000);
});
