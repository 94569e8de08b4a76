import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingDate, beijingYear } from '../../../src/common/time/beijing.js';
import { AuditEvent } from '../../../src/modules/audit/entities/audit-event.entity.js';
import { Certificate } from '../../../src/modules/certificates/entities/certificate.entity.js';
import { DisputeTicket } from '../../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { DisputeTimelineEntry } from '../../../src/modules/disputes/entities/dispute-timeline-entry.entity.js';
import { Settlement } from '../../../src/modules/disputes/entities/settlement.entity.js';
import { Firm } from '../../../src/modules/membership/entities/firm.entity.js';
import { Invoice } from '../../../src/modules/membership/entities/invoice.entity.js';
import { Payment } from '../../../src/modules/membership/entities/payment.entity.js';
import { issuedCertificate } from '../../factories/certificates.js';
import {
  daysFromToday,
  mediationWithSignatory,
  ticketWithParties,
} from '../../factories/disputes.js';
import { createFirm, loginAs } from '../../factories/index.js';
import { createDuesInvoice, createListedFirm, statusEventsOf } from '../../factories/lifecycle.js';
import { bearer } from '../../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

/**
 * Issue 8 §4: two people acting on the same record at the same moment. Exactly one wins, the
 * other gets 409 (CONFLICT, or the domain's "already done" code), and the record's history
 * holds one transition. Each case runs a few rounds, so that both orders of arrival are tried.
 */
const ROUNDS = 3;

interface Answer {
  status: number;
  body: { code?: string };
}

/** The two answers as [winner, loser]; fails unless one is `ok` and the other a 409. */
function oneWins(answers: Answer[], ok: number): { winner: number; loser: Answer } {
  expect(answers.map((a) => a.status).sort()).toEqual([ok, 409].sort());
  const winner = answers.findIndex((a) => a.status === ok);
  return { winner, loser: answers[1 - winner] };
}

describe('two concurrent transitions of one record', () => {
  let t: TestApp;
  let staff: string;
  let otherStaff: string;

  const count = (action: string, subjectId: string): Promise<number> =>
    t.dataSource.getRepository(AuditEvent).countBy({ action, subjectId });
  const timeline = (ticketId: string): Promise<DisputeTimelineEntry[]> =>
    t.dataSource.getRepository(DisputeTimelineEntry).findBy({ ticketId });

  beforeAll(async () => {
    t = await startTestApp();
    staff = (await loginAs(t, 'staff_admin')).token;
    otherStaff = (await loginAs(t, 'staff_admin')).token;
  });
  afterAll(() => t.close());

  it('a suspension and an expulsion of the same firm at the same version: one 201, one 409 CONFLICT, one status event', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const firm = await createListedFirm(t);
      const before = (await statusEventsOf(t, firm.id)).length;
      const post = (token: string, body: Record<string, unknown>) =>
        t.http
          .post(`/api/v1/firms/${firm.id}/status-transitions`)
          .set(...bearer(token))
          .send({ reason: '并发处分测试', reasonCategory: 'misconduct', version: 1, ...body });
      const answers = await Promise.all([
        post(staff, { action: 'suspend' }),
        post(otherStaff, { action: 'expel', decisionRef: '深互金协〔2026〕9号' }),
      ]);
      const { winner, loser } = oneWins(answers, 201);
      expect(loser.body.code).toBe('CONFLICT');
      const stored = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
      expect(stored).toMatchObject({
        status: winner === 0 ? 'suspended' : 'expelled',
        version: 2,
      });
      expect(await statusEventsOf(t, firm.id)).toHaveLength(before + 1);
    }
  });

  it('two payments against the same invoice version: one 200, one 409 CONFLICT, one payment kept', async () => {
    const today = beijingDate(new Date());
    for (let round = 0; round < ROUNDS; round++) {
      const firm = await createListedFirm(t);
      const invoice = await createDuesInvoice(t, firm.id, {
        year: beijingYear(new Date()),
        dueOn: today,
        amountFen: 2_000_000,
      });
      const pay = (token: string, reference: string) =>
        t.http
          .post(`/api/v1/invoices/${invoice.id}/payments`)
          .set(...bearer(token))
          .send({ amount: '5000.00', paidOn: today, bankReference: reference, version: 1 });
      const answers = await Promise.all([pay(staff, 'TWICE-A'), pay(otherStaff, 'TWICE-B')]);
      const { winner, loser } = oneWins(answers, 200);
      expect(loser.body.code).toBe('CONFLICT');
      const payments = await t.dataSource.getRepository(Payment).findBy({ invoiceId: invoice.id });
      expect(payments.map((p) => p.bankReference)).toEqual([winner === 0 ? 'TWICE-A' : 'TWICE-B']);
      const stored = await t.dataSource.getRepository(Invoice).findOneByOrFail({ id: invoice.id });
      expect(stored).toMatchObject({ paidFen: 500_000, version: 2 });
      expect(await count('membership.payment_recorded', invoice.id)).toBe(1);
    }
  });

  it('two revocations of one certificate: one 200, one 409, one revocation recorded', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const firm = await createFirm(t);
      const cert = await issuedCertificate(t, staff, 'membership', firm.id);
      const revoke = (token: string, reason: string) =>
        t.http
          .post(`/api/v1/certificates/${cert.id}/revoke`)
          .set(...bearer(token))
          .send({ reason });
      const answers = await Promise.all([revoke(staff, '理由甲'), revoke(otherStaff, '理由乙')]);
      const { winner, loser } = oneWins(answers, 200);
      // Whether the loser read the row before or after the winner committed, it is told the
      // certificate is already revoked.
      expect(loser.body.code).toBe('ALREADY_REVOKED');
      const stored = await t.dataSource.getRepository(Certificate).findOneByOrFail({ id: cert.id });
      expect(stored).toMatchObject({
        status: 'revoked',
        revokedNote: winner === 0 ? '理由甲' : '理由乙',
      });
      expect(await count('certificates.revoked', cert.id)).toBe(1);
    }
  });

  it('staff accepting and rejecting one filed complaint at once: one 200, one 409, one triage entry on the timeline', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { ticket } = await ticketWithParties(t, { state: 'filed' });
      const post = (token: string, action: string, body: Record<string, unknown>) =>
        t.http
          .post(`/api/v1/disputes/tickets/${ticket.id}/${action}`)
          .set(...bearer(token))
          .send({ expectedVersion: 1, ...body });
      const answers = await Promise.all([
        post(staff, 'accept', {}),
        post(otherStaff, 'reject', { reason: 'not_financial' }),
      ]);
      const { winner, loser } = oneWins(answers, 200);
      expect(['CONFLICT', 'TRANSITION_NOT_ALLOWED']).toContain(loser.body.code);
      const stored = await t.dataSource
        .getRepository(DisputeTicket)
        .findOneByOrFail({ id: ticket.id });
      expect(stored.version).toBe(2);
      expect(stored.state).not.toBe('filed');
      const triage = (await timeline(ticket.id)).filter((e) =>
        ['accept', 'reject'].includes(e.action),
      );
      expect(triage.map((e) => e.action)).toEqual([winner === 0 ? 'accept' : 'reject']);
    }
  });

  it('a mediator sending one settlement draft twice at once: one 200, one 409, sent once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const s = await mediationWithSignatory(t);
      const drafted = await t.http
        .post(`/api/v1/disputes/tickets/${s.ticket.id}/settlements`)
        .set(...bearer(s.mediator.token))
        .send({
          facts: '平台未告知即收取服务费。',
          terms: '乙方退还服务费。',
          amount: '100.00',
          performanceDeadline: daysFromToday(14),
        })
        .expect(201);
      const id = (drafted.body as { id: string }).id;
      const send = () =>
        t.http
          .post(`/api/v1/disputes/settlements/${id}/send`)
          .set(...bearer(s.mediator.token))
          .send({});
      const { loser } = oneWins(await Promise.all([send(), send()]), 200);
      expect(['CONFLICT', 'SETTLEMENT_NOT_DRAFT']).toContain(loser.body.code);
      const stored = await t.dataSource.getRepository(Settlement).findOneByOrFail({ id });
      expect(stored.status).toBe('awaiting_signatures');
      const sent = (await timeline(s.ticket.id)).filter((e) => e.action === 'settlement_sent');
      expect(sent).toHaveLength(1);
    }
  }, 60_000);
});
