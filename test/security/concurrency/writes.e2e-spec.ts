import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingDate, beijingYear } from '../../../src/common/time/beijing.js';
import { AuditService } from '../../../src/modules/audit/audit.service.js';
import { AuditEvent } from '../../../src/modules/audit/entities/audit-event.entity.js';
import { DisputeMessage } from '../../../src/modules/disputes/entities/dispute-message.entity.js';
import { FirmInvitation } from '../../../src/modules/membership/entities/firm-invitation.entity.js';
import { FirmRevision } from '../../../src/modules/membership/entities/firm-revision.entity.js';
import { FirmStatusEvent } from '../../../src/modules/membership/entities/firm-status-event.entity.js';
import { Firm } from '../../../src/modules/membership/entities/firm.entity.js';
import { Invoice } from '../../../src/modules/membership/entities/invoice.entity.js';
import { Payment } from '../../../src/modules/membership/entities/payment.entity.js';
import { mediatedTicket } from '../../factories/disputes.js';
import { loginAs } from '../../factories/index.js';
import { createDuesInvoice, createListedFirm } from '../../factories/lifecycle.js';
import { bearer } from '../../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

/**
 * Issue 8 §4: 50 writes at once on one write path answer no 5xx, and every one of them is kept.
 * Each path is a different kind of contention: many writers on one ticket, one firm, many
 * invoices sharing the audit chain, many firms sharing the status history.
 */
const N = 50;

const statuses = (responses: Array<{ status: number }>): number[] => responses.map((r) => r.status);

describe('50 concurrent writes through the API', () => {
  let t: TestApp;
  let staff: string;

  beforeAll(async () => {
    t = await startTestApp();
    staff = (await loginAs(t, 'staff_admin')).token;
  });
  afterAll(() => t.close());

  it('keeps all 50 messages posted at once on one ticket by its three parties', async () => {
    const setup = await mediatedTicket(t);
    const writers = [setup.complainant.token, setup.firmAdmin.token, setup.mediator.token];
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.http
          .post(`/api/v1/disputes/tickets/${setup.ticket.id}/messages`)
          .set(...bearer(writers[i % writers.length]))
          .send({ body: `并发消息 ${i}`, visibility: 'parties' }),
      ),
    );
    expect(statuses(responses)).toEqual(responses.map(() => 201));

    const listed = await t.http
      .get(`/api/v1/disputes/tickets/${setup.ticket.id}/messages`)
      .set(...bearer(setup.mediator.token))
      .expect(200);
    const bodies = (listed.body as { items: Array<{ body: string }> }).items.map((m) => m.body);
    expect([...bodies].sort()).toEqual(Array.from({ length: N }, (_, i) => `并发消息 ${i}`).sort());
    expect(
      await t.dataSource.getRepository(DisputeMessage).countBy({ ticketId: setup.ticket.id }),
    ).toBe(N);
  });

  it('keeps all 50 colleague invitations a firm administrator sends at once', async () => {
    const firm = await createListedFirm(t);
    const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
    const emails = Array.from({ length: N }, (_, i) => `colleague.${i}.${firm.id}@example.cn`);
    const responses = await Promise.all(
      emails.map((email) =>
        t.http
          .post(`/api/v1/firms/${firm.id}/invitations`)
          .set(...bearer(admin.token))
          .send({ email, role: 'firm_member' }),
      ),
    );
    expect(statuses(responses)).toEqual(responses.map(() => 201));
    const stored = await t.dataSource.getRepository(FirmInvitation).findBy({ firmId: firm.id });
    expect(stored.map((i) => i.email).sort()).toEqual([...emails].sort());
    expect(
      await t.dataSource
        .getRepository(AuditEvent)
        .countBy({ action: 'membership.invitation_sent' }),
    ).toBeGreaterThanOrEqual(N);
  });

  it('applies 50 profile edits of one firm sent at once: each answered 200, each change one revision', async () => {
    const firm = await createListedFirm(t);
    const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
    const sites = Array.from({ length: N }, (_, i) => `https://site-${i}.example.cn`);
    const responses = await Promise.all(
      sites.map((website) =>
        t.http
          .patch(`/api/v1/firms/${firm.id}/profile`)
          .set(...bearer(admin.token))
          .send({ website }),
      ),
    );
    expect(statuses(responses)).toEqual(responses.map(() => 200));
    const stored = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
    expect(sites).toContain(stored.website);
    // Every edit changed the website the one before it left, so each wrote a revision.
    expect(
      await t.dataSource.getRepository(FirmRevision).countBy({ firmId: firm.id, kind: 'edit' }),
    ).toBe(N);
  });

  it('records 50 payments against 50 invoices at once: every invoice paid, every payment audited', async () => {
    const year = beijingYear(new Date());
    const today = beijingDate(new Date());
    const invoices: Invoice[] = [];
    for (let i = 0; i < N; i++) {
      const firm = await createListedFirm(t);
      invoices.push(
        await createDuesInvoice(t, firm.id, { year, dueOn: today, amountFen: 1_000_00 + i }),
      );
    }
    const responses = await Promise.all(
      invoices.map((invoice, i) =>
        t.http
          .post(`/api/v1/invoices/${invoice.id}/payments`)
          .set(...bearer(staff))
          .send({
            amount: ((1_000_00 + i) / 100).toFixed(2),
            paidOn: today,
            bankReference: `CONC-${i}`,
            version: invoice.version,
          }),
      ),
    );
    expect(statuses(responses)).toEqual(responses.map(() => 200));

    const ids = invoices.map((i) => i.id);
    const stored = await t.dataSource
      .getRepository(Invoice)
      .find({ where: ids.map((id) => ({ id })) });
    expect(stored.map((i) => i.status)).toEqual(stored.map(() => 'paid'));
    const payments = await t.dataSource
      .getRepository(Payment)
      .find({ where: ids.map((invoiceId) => ({ invoiceId })) });
    expect(payments.map((p) => p.bankReference).sort()).toEqual(
      Array.from({ length: N }, (_, i) => `CONC-${i}`).sort(),
    );
    const audited = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'membership.payment_recorded' });
    expect(new Set(audited.map((e) => e.subjectId))).toEqual(new Set(ids));
  }, 60_000);

  it('suspends 50 firms at once: 50 status changes, each in the public history and the audit trail', async () => {
    const firms: Firm[] = [];
    for (let i = 0; i < N; i++) firms.push(await createListedFirm(t));
    const responses = await Promise.all(
      firms.map((firm) =>
        t.http
          .post(`/api/v1/firms/${firm.id}/status-transitions`)
          .set(...bearer(staff))
          .send({
            action: 'suspend',
            reasonCategory: 'misconduct',
            reason: '并发暂停测试',
            version: firm.version,
          }),
      ),
    );
    expect(statuses(responses)).toEqual(responses.map(() => 201));
    const ids = firms.map((f) => f.id);
    const stored = await t.dataSource
      .getRepository(Firm)
      .find({ where: ids.map((id) => ({ id })) });
    expect(stored.map((f) => f.status)).toEqual(stored.map(() => 'suspended'));
    const events = await t.dataSource
      .getRepository(FirmStatusEvent)
      .find({ where: ids.map((firmId) => ({ firmId, status: 'suspended' })) });
    expect(events.map((e) => e.firmId).sort()).toEqual([...ids].sort());
    const audited = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'membership.suspended' });
    expect(new Set(audited.map((e) => e.subjectId))).toEqual(new Set(ids));
  }, 60_000);

  it('leaves a gap-free audit sequence and a chain that verifies after all of it', async () => {
    const seqs = (
      await t.dataSource
        .getRepository(AuditEvent)
        .find({ select: { seq: true }, order: { seq: 'ASC' } })
    ).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await t.app.get(AuditService).verify()).toMatchObject({ ok: true, firstBreak: null });
  });
});
