import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/common/auth/auth-context.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { OutboxEmail } from '../../src/modules/notifications/entities/outbox-email.entity.js';
import type { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import { PledgeObligation } from '../../src/modules/pledges/entities/pledge-obligation.entity.js';
import { createUser, loginAs } from '../factories/index.js';
import {
  createSignatoryFirm,
  publishConvention,
  signConvention,
  type SignatoryFirm,
} from '../factories/pledge-lists.js';
import { csrfOf, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface StaffItem {
  firmId: string;
  status: string;
}

describe('staff view of convention signing and reminders', () => {
  let t: TestApp;
  let staff: Actor;
  let adminToken: string;
  let reviewerToken: string;
  let v1: ConventionVersion;
  let signed: SignatoryFirm;
  let pending: SignatoryFirm;
  let overdue: SignatoryFirm;
  let colleagueEmail: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await loginAs(t, 'staff_admin');
    adminToken = admin.token;
    reviewerToken = (await loginAs(t, 'staff_reviewer')).token;
    staff = { id: admin.id, role: 'staff_admin', firmId: null, name: 'Staff', email: admin.email };
    signed = await createSignatoryFirm(t, { name: 'A 已签署公司' });
    pending = await createSignatoryFirm(t, { name: 'B 待签署公司' });
    overdue = await createSignatoryFirm(t, { name: 'C 逾期公司' });
    // A second administrator: reminders reach every admin, and the signatory once.
    colleagueEmail = (await createUser(t, { role: 'firm_admin', firmId: overdue.firm.id })).email;
    v1 = await publishConvention(t, staff);
    await signConvention(t, signed, v1);
    // The deadline passed before the daily job ran: staff see it as overdue already.
    await t.app
      .get(TransactionService)
      .run((em) =>
        em.update(
          PledgeObligation,
          { firmId: overdue.firm.id, conventionVersionId: v1.id },
          { deadlineOn: '2020-01-31' },
        ),
      );
  });
  afterAll(() => t?.close());

  const obligations = (query: Record<string, string> = {}, token = adminToken) =>
    t.http
      .get(`/api/v1/conventions/${v1.versionNumber}/obligations`)
      .query(query)
      .set('Authorization', `Bearer ${token}`);
  const statusOf = (items: StaffItem[], who: SignatoryFirm): string | undefined =>
    items.find((i) => i.firmId === who.firm.id)?.status;
  const reminderEvents = async (firmId: string): Promise<AuditEvent[]> =>
    t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'pledges.reminder_sent', subjectId: firmId });

  it('shows staff who has signed, who is pending and who is overdue, with counts', async () => {
    const res = await obligations().expect(200);
    const items = res.body.items as StaffItem[];
    expect(statusOf(items, signed)).toBe('signed');
    expect(statusOf(items, pending)).toBe('pending');
    expect(statusOf(items, overdue)).toBe('overdue');
    expect(res.body.counts).toEqual({ signed: 1, pending: 1, overdue: 1 });
  });

  it('filters by status', async () => {
    const res = await obligations({ status: 'overdue' }).expect(200);
    expect((res.body.items as StaffItem[]).map((i) => i.firmId)).toEqual([overdue.firm.id]);
    const bad = await obligations({ status: 'late' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('keeps the staff view from firms, complainants and visitors', async () => {
    await t.http.get(`/api/v1/conventions/${v1.versionNumber}/obligations`).expect(401);
    const firmUser = await loginAs(t, 'firm_member', { firmId: pending.firm.id });
    await obligations({}, firmUser.token).expect(403);
    await obligations({}, (await loginAs(t, 'complainant')).token).expect(403);
    await obligations({}, reviewerToken).expect(200);
  });

  it('lets only staff administrators send reminders', async () => {
    await t.http
      .post(`/api/v1/conventions/${v1.versionNumber}/reminders`)
      .set('Authorization', `Bearer ${reviewerToken}`)
      .send({ overdue: true })
      .expect(403);
    expect(await reminderEvents(overdue.firm.id)).toHaveLength(0);
  });

  it('reminds the selected firms that have not signed: signatory and admins by e-mail, one audit event per firm', async () => {
    const res = await t.http
      .post(`/api/v1/conventions/${v1.versionNumber}/reminders`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ firmIds: [pending.firm.id, signed.firm.id, overdue.firm.id] })
      .expect(200);
    // The firm that has signed is skipped.
    expect(res.body.firms).toEqual([
      { firmId: pending.firm.id, recipients: 1 },
      { firmId: overdue.firm.id, recipients: 2 },
    ]);
    expect(await reminderEvents(pending.firm.id)).toHaveLength(1);
    expect(await reminderEvents(overdue.firm.id)).toHaveLength(1);
    expect(await reminderEvents(signed.firm.id)).toHaveLength(0);
    const mails = await t.dataSource
      .getRepository(OutboxEmail)
      .findBy({ template: 'pledge-reminder' });
    const to = mails.map((m) => m.recipient).sort();
    expect(to).toEqual([pending.signatory.email, overdue.signatory.email, colleagueEmail].sort());
    const late = mails.find((m) => m.recipient === overdue.signatory.email)!;
    expect(late.textBody).toContain('2020-01-31');
    expect(late.textBody).toContain('/firm/pledge');
  });

  it('reminds every overdue firm and only those', async () => {
    const res = await t.http
      .post(`/api/v1/conventions/${v1.versionNumber}/reminders`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ overdue: true })
      .expect(200);
    const firms = (res.body as { firms: Array<{ firmId: string }> }).firms;
    expect(firms.map((f) => f.firmId)).toEqual([overdue.firm.id]);
    expect(await reminderEvents(overdue.firm.id)).toHaveLength(2);
    expect(await reminderEvents(pending.firm.id)).toHaveLength(1);
  });

  it('refuses a reminder with no firm to remind', async () => {
    for (const body of [{}, { firmIds: [] }, { firmIds: [signed.firm.id] }]) {
      const res = await t.http
        .post(`/api/v1/conventions/${v1.versionNumber}/reminders`)
        .set('Authorization', `Bearer ${adminToken}`)
        .send(body)
        .expect(400);
      expect(res.body.code).toBe('REMINDER_NO_FIRMS');
    }
    const bad = await t.http
      .post(`/api/v1/conventions/${v1.versionNumber}/reminders`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ firmIds: ['not-a-uuid'] })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('renders the staff page with statuses, and sends reminders from its form with CSRF', async () => {
    const admin = await createUser(t, { role: 'staff_admin' });
    const agent = await signInWeb(t, admin);
    const page = await agent.get('/staff/pledges').expect(200);
    expect(page.text).toContain('data-testid="count-overdue">1<');
    expect(page.text).toContain(`value="${pending.firm.id}"`);
    expect(page.text).not.toContain(`name="firmIds" value="${signed.firm.id}"`);
    const filtered = await agent.get('/staff/pledges').query({ status: 'signed' }).expect(200);
    expect(filtered.text).toContain(signed.firm.name);
    expect(filtered.text).not.toContain(pending.firm.name);

    await agent
      .post('/staff/pledges/reminders')
      .type('form')
      .send({ version: String(v1.versionNumber), firmIds: pending.firm.id, action: 'selected' })
      .expect(403);
    const _csrf = await csrfOf(agent, '/staff/pledges');
    const sent = await agent
      .post('/staff/pledges/reminders')
      .type('form')
      .send({
        _csrf,
        version: String(v1.versionNumber),
        firmIds: pending.firm.id,
        action: 'selected',
      })
      .expect(303);
    expect(sent.headers.location).toBe(`/staff/pledges?version=${v1.versionNumber}&reminded=1`);
    expect(await reminderEvents(pending.firm.id)).toHaveLength(2);
    const done = await agent.get(sent.headers.location).expect(200);
    expect(done.text).toContain('已向 1 家机构发送签署提醒');

    const none = await agent
      .post('/staff/pledges/reminders')
      .type('form')
      .send({ _csrf, version: String(v1.versionNumber), action: 'selected' })
      .expect(303);
    expect(none.headers.location).toContain('remindError=1');
  });

  it('shows reviewers the page without the reminder form, and keeps firms out', async () => {
    const reviewer = await createUser(t, { role: 'staff_reviewer' });
    const agent = await signInWeb(t, reviewer);
    const page = await agent.get('/staff/pledges').expect(200);
    expect(page.text).not.toContain('name="firmIds"');
    expect(page.text).toContain('只有协会管理员可以发送提醒');
    const firmUser = await createUser(t, { role: 'firm_admin', firmId: pending.firm.id });
    const firmAgent = await signInWeb(t, firmUser);
    await firmAgent.get('/staff/pledges').expect(403);
    await t.http.get('/staff/pledges').expect(303);
  });
});
