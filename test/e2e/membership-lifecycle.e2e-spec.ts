import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainEvents } from '../../src/common/events/domain-events.js';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { DuesService } from '../../src/modules/membership/dues.service.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { Notification } from '../../src/modules/notifications/entities/notification.entity.js';
import { createFirm, loginAs } from '../factories/index.js';
import {
  createDuesInvoice,
  createListedFirm,
  createMemberWithAdmin,
  statusEventsOf,
} from '../factories/lifecycle.js';
import { emailsTo } from '../helpers/auth-flows.js';
import { csrfFrom, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('membership sanctions and withdrawal (API)', () => {
  let t: TestApp;
  let staff: string;
  /** A later date than today (Beijing), for suspension end dates. */
  const later = addDays(beijingDate(new Date()), 30);

  const firmOf = (id: string): Promise<Firm> =>
    t.dataSource.getRepository(Firm).findOneByOrFail({ id });
  const post = (token: string, firmId: string, body: Record<string, unknown>) =>
    t.http
      .post(`/api/v1/firms/${firmId}/status-transitions`)
      .set('Authorization', `Bearer ${token}`)
      .send(body);

  beforeAll(async () => {
    t = await startTestApp();
    staff = (await loginAs(t, 'staff_admin')).token;
  });
  afterAll(() => t.close());

  it('lets staff suspend a member with a reason, a public category and an end date, and tells its admins', async () => {
    const { firm, admin } = await createMemberWithAdmin(t);
    const res = await post(staff, firm.id, {
      action: 'suspend',
      reasonCategory: 'misconduct',
      reason: '未按期披露信息',
      until: later,
      version: firm.version,
    }).expect(201);
    expect(res.body).toMatchObject({
      firmId: firm.id,
      status: 'suspended',
      version: firm.version + 1,
      event: { status: 'suspended', reasonCategory: 'misconduct', until: later },
    });
    const stored = await firmOf(firm.id);
    expect(stored).toMatchObject({ status: 'suspended', suspendedUntil: later });
    const events = await statusEventsOf(t, firm.id);
    expect(events.at(-1)).toMatchObject({
      status: 'suspended',
      reasonCategory: 'misconduct',
      reason: '未按期披露信息',
      until: later,
    });
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'membership.suspended', subjectId: firm.id });
    expect(JSON.parse(audit.summary)).toMatchObject({
      status: { from: 'active', to: 'suspended' },
      reasonCategory: 'misconduct',
    });
    const [mail] = await emailsTo(t, admin.email, 'sanction-suspended');
    expect(mail.subject).toContain(firm.name);
    expect(mail.textBody).toContain(later);
    expect(mail.textBody).toContain(`/directory/${firm.id}`);
    const notices = await t.dataSource
      .getRepository(Notification)
      .findBy({ userId: admin.id, kind: 'membership.suspended' });
    expect(notices).toHaveLength(1);
  });

  it('refuses a suspension without a reason, without a category, or ending in the past', async () => {
    const firm = await createListedFirm(t);
    const base = { action: 'suspend', version: firm.version };
    const noReason = await post(staff, firm.id, { ...base, reasonCategory: 'misconduct' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('STATUS_REASON_REQUIRED');
    const noCategory = await post(staff, firm.id, { ...base, reason: 'x' });
    expect(noCategory.body.code).toBe('STATUS_REASON_CATEGORY_INVALID');
    const badCategory = await post(staff, firm.id, {
      ...base,
      reason: 'x',
      reasonCategory: 'voluntary',
    });
    expect(badCategory.body.code).toBe('STATUS_REASON_CATEGORY_INVALID');
    const past = await post(staff, firm.id, {
      ...base,
      reason: 'x',
      reasonCategory: 'misconduct',
      until: '2020-01-01',
    });
    expect(past.body.code).toBe('STATUS_UNTIL_INVALID');
    expect((await firmOf(firm.id)).status).toBe('active');
    expect(await statusEventsOf(t, firm.id)).toHaveLength(1);
  });

  it('refuses fields that do not belong to the action', async () => {
    const firm = await createListedFirm(t);
    const res = await post(staff, firm.id, {
      action: 'suspend',
      reason: 'x',
      reasonCategory: 'misconduct',
      decisionRef: '深互金协〔2026〕1号',
      version: firm.version,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('STATUS_FIELD_NOT_ALLOWED');
  });

  it('cannot set a status through the request body: only an action, checked by the table', async () => {
    const firm = await createListedFirm(t);
    const res = await post(staff, firm.id, {
      action: 'suspend',
      reason: 'x',
      reasonCategory: 'misconduct',
      status: 'expelled',
      version: firm.version,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'status' }));
    expect((await firmOf(firm.id)).status).toBe('active');
  });

  it('expels only with a reason and the decision reference, and then allows nothing more', async () => {
    const firm = await createListedFirm(t);
    const noRef = await post(staff, firm.id, {
      action: 'expel',
      reason: '严重违规',
      reasonCategory: 'misconduct',
      version: firm.version,
    });
    expect(noRef.status).toBe(400);
    expect(noRef.body.code).toBe('STATUS_DECISION_REF_REQUIRED');
    const res = await post(staff, firm.id, {
      action: 'expel',
      reason: '严重违规',
      reasonCategory: 'misconduct',
      decisionRef: '深互金协〔2026〕12号',
      version: firm.version,
    }).expect(201);
    expect(res.body.event).toMatchObject({
      status: 'expelled',
      decisionRef: '深互金协〔2026〕12号',
    });
    for (const action of ['reinstate', 'suspend']) {
      const again = await post(staff, firm.id, {
        action,
        reason: 'x',
        reasonCategory: 'other',
        version: firm.version + 1,
      });
      expect(again.status).toBe(409);
    }
    const refused = await post(staff, firm.id, { action: 'reinstate', version: firm.version + 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('STATUS_TRANSITION_NOT_ALLOWED');
  });

  it('lets staff lift a suspension early', async () => {
    const firm = await createListedFirm(t);
    await post(staff, firm.id, {
      action: 'suspend',
      reason: 'x',
      reasonCategory: 'regulatory_action',
      version: firm.version,
    }).expect(201);
    const res = await post(staff, firm.id, {
      action: 'reinstate',
      reason: '整改完成',
      version: firm.version + 1,
    }).expect(201);
    expect(res.body.event).toMatchObject({ status: 'active', reasonCategory: 'reinstated' });
    expect(await firmOf(firm.id)).toMatchObject({ status: 'active', suspendedUntil: null });
  });

  it('answers 409 to a stale version, and lets one of two staff acting at once win', async () => {
    const firm = await createListedFirm(t);
    const body = {
      action: 'suspend',
      reason: 'x',
      reasonCategory: 'misconduct',
      version: firm.version,
    };
    const results = await Promise.all([
      post(staff, firm.id, body),
      post(staff, firm.id, { ...body, action: 'expel', decisionRef: 'D-1' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('CONFLICT');
    expect(await statusEventsOf(t, firm.id)).toHaveLength(2);
    const stale = await post(staff, firm.id, body);
    expect(stale.status).toBe(409);
  });

  it('refuses the lapse action to people: only the dues job lapses a membership', async () => {
    const firm = await createListedFirm(t);
    const res = await post(staff, firm.id, { action: 'lapse', version: firm.version });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('STATUS_ACTION_NOT_ALLOWED');
  });

  it('refuses the unauthenticated (401), reviewers, members and complainants (403)', async () => {
    const firm = await createListedFirm(t);
    const body = { action: 'suspend', reason: 'x', reasonCategory: 'other', version: 1 };
    await t.http.post(`/api/v1/firms/${firm.id}/status-transitions`).send(body).expect(401);
    for (const role of ['staff_reviewer', 'complainant', 'mediator'] as const) {
      const { token } = await loginAs(t, role);
      const res = await post(token, firm.id, body);
      expect(res.status).toBe(403);
    }
    const member = await loginAs(t, 'firm_member', { firmId: firm.id });
    expect((await post(member.token, firm.id, body)).status).toBe(403);
    expect((await firmOf(firm.id)).status).toBe('active');
  });

  it('answers 404 when a firm admin names another firm, and 403 when it tries to sanction its own', async () => {
    const other = await createListedFirm(t);
    const own = await createListedFirm(t);
    const admin = await loginAs(t, 'firm_admin', { firmId: own.id });
    const res = await post(admin.token, other.id, {
      action: 'withdraw',
      confirm: true,
      version: other.version,
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('FIRM_NOT_FOUND');
    const self = await post(admin.token, own.id, {
      action: 'suspend',
      reason: 'x',
      reasonCategory: 'other',
      version: own.version,
    });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('STATUS_ACTION_NOT_ALLOWED');
    expect((await firmOf(other.id)).status).toBe('active');
  });

  it('lets a firm admin withdraw its own firm only with an explicit confirmation', async () => {
    const { firm, admin } = await createMemberWithAdmin(t);
    const token = (await loginAs(t, 'firm_admin', { firmId: firm.id })).token;
    const unconfirmed = await post(token, firm.id, { action: 'withdraw', version: firm.version });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.code).toBe('WITHDRAWAL_NOT_CONFIRMED');
    const res = await post(token, firm.id, {
      action: 'withdraw',
      confirm: true,
      reason: '业务调整',
      version: firm.version,
    }).expect(201);
    expect(res.body.event).toMatchObject({ status: 'withdrawn', reasonCategory: 'voluntary' });
    expect((await firmOf(firm.id)).status).toBe('withdrawn');
    expect(await emailsTo(t, admin.email, 'sanction-withdrawn')).toHaveLength(1);
  });

  it('reinstates a lapsed membership only once the overdue dues are settled', async () => {
    const firm = await createListedFirm(t, { status: 'lapsed' });
    const invoice = await createDuesInvoice(t, firm.id, { year: 2026, dueOn: '2025-12-31' });
    const refused = await post(staff, firm.id, { action: 'reinstate', version: firm.version });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('DUES_OUTSTANDING');
    // Next year's invoice, not yet overdue, does not block; the overdue one must be settled.
    await createDuesInvoice(t, firm.id, { year: 2027, dueOn: '2026-12-31' });
    await t.app.get(DuesService).recordPayment({ id: firm.id, role: 'staff_admin' }, invoice.id, {
      amountFen: invoice.amountFen,
      paidOn: beijingDate(new Date()),
      bankReference: 'B-1',
      version: invoice.version,
    });
    const res = await post(staff, firm.id, {
      action: 'reinstate',
      reason: '已缴清',
      version: firm.version,
    }).expect(201);
    expect(res.body.event).toMatchObject({ status: 'active', reasonCategory: 'reinstated' });
  });

  it('shows the record with written reasons to staff and the firm itself, and 404 to other firms', async () => {
    const firm = await createListedFirm(t);
    await post(staff, firm.id, {
      action: 'suspend',
      reason: '内部理由',
      reasonCategory: 'misconduct',
      version: firm.version,
    }).expect(201);
    const own = await loginAs(t, 'firm_member', { firmId: firm.id });
    const mine = await t.http
      .get(`/api/v1/firms/${firm.id}/status-events`)
      .set('Authorization', `Bearer ${own.token}`)
      .expect(200);
    expect((mine.body as Array<{ status: string }>).map((e) => e.status)).toEqual([
      'active',
      'suspended',
    ]);
    expect(mine.body[1].reason).toBe('内部理由');
    const stranger = await loginAs(t, 'firm_admin');
    await t.http
      .get(`/api/v1/firms/${firm.id}/status-events`)
      .set('Authorization', `Bearer ${stranger.token}`)
      .expect(404);
    await t.http
      .get(`/api/v1/firms/${firm.id}/status-events`)
      .set('Authorization', `Bearer ${staff}`)
      .expect(200);
  });
});

describe('other modules react to membership changes inside the same transaction', () => {
  let t: TestApp;
  let staff: string;
  const seen: Array<{ firmId: string; statusInside: string }> = [];
  let failNext = false;

  beforeAll(async () => {
    t = await startTestApp();
    staff = (await loginAs(t, 'staff_admin')).token;
    const events = t.app.get(DomainEvents);
    events.on('membership.suspended', async (payload, manager) => {
      // Read through the announcing transaction: the change is visible before it commits.
      const firm = await manager.findOneByOrFail(Firm, { id: payload.firmId });
      seen.push({ firmId: payload.firmId, statusInside: firm.status });
      if (failNext) {
        failNext = false;
        throw new Error('certificate revocation failed');
      }
    });
    events.on('membership.expelled', (payload) => {
      seen.push({ firmId: payload.firmId, statusInside: `expelled:${payload.decisionRef}` });
      return Promise.resolve();
    });
  });
  afterAll(() => t.close());

  const suspend = (firm: Firm) =>
    t.http
      .post(`/api/v1/firms/${firm.id}/status-transitions`)
      .set('Authorization', `Bearer ${staff}`)
      .send({
        action: 'suspend',
        reason: 'x',
        reasonCategory: 'misconduct',
        version: firm.version,
      });

  it('calls a registered handler with the payload, inside the transaction', async () => {
    const firm = await createListedFirm(t);
    await suspend(firm).expect(201);
    expect(seen).toContainEqual({ firmId: firm.id, statusInside: 'suspended' });
  });

  it('rolls the suspension back when a handler fails: no status, no record, no audit, no e-mail', async () => {
    const { firm, admin } = await createMemberWithAdmin(t);
    failNext = true;
    const res = await suspend(firm);
    expect(res.status).toBe(500);
    expect(await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id })).toMatchObject({
      status: 'active',
      version: firm.version,
    });
    expect(await statusEventsOf(t, firm.id)).toHaveLength(1);
    expect(
      await t.dataSource
        .getRepository(AuditEvent)
        .countBy({ action: 'membership.suspended', subjectId: firm.id }),
    ).toBe(0);
    expect(await emailsTo(t, admin.email, 'sanction-suspended')).toHaveLength(0);
    await suspend(firm).expect(201);
  });

  it('announces an expulsion with its decision reference', async () => {
    const firm = await createListedFirm(t);
    await t.http
      .post(`/api/v1/firms/${firm.id}/status-transitions`)
      .set('Authorization', `Bearer ${staff}`)
      .send({
        action: 'expel',
        reason: 'x',
        reasonCategory: 'misconduct',
        decisionRef: 'D-7',
        version: firm.version,
      })
      .expect(201);
    expect(seen).toContainEqual({ firmId: firm.id, statusInside: 'expelled:D-7' });
  });
});

describe('sanctions and withdrawal pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("shows staff the firm's record and the forms its status allows", async () => {
    const admin = await loginAs(t, 'staff_admin');
    const agent = await signInWeb(t, admin);
    const firm = await createListedFirm(t);
    const page = await agent.get(`/staff/firms/${firm.id}/sanctions`).expect(200);
    expect(page.text).toContain(firm.name);
    expect(page.text).toContain('data-testid="form-suspend"');
    expect(page.text).toContain('data-testid="form-expel"');
    expect(page.text).not.toContain('data-testid="form-reinstate"');
  });

  it('re-renders the suspension form with the error beside the field and the values kept', async () => {
    const admin = await loginAs(t, 'staff_admin');
    const agent = await signInWeb(t, admin);
    const firm = await createListedFirm(t);
    const page = await agent.get(`/staff/firms/${firm.id}/sanctions`);
    const res = await agent
      .post(`/staff/firms/${firm.id}/sanctions`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        action: 'suspend',
        version: String(firm.version),
        reasonCategory: 'misconduct',
        reason: '',
        until: '',
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="f-suspend-reason-error"');
    expect(res.text).toContain('href="#f-suspend-reason"');
    expect(res.text).toMatch(/<option value="misconduct" selected>/);
    expect((await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id })).status).toBe(
      'active',
    );
  });

  it('suspends through the form and shows the result', async () => {
    const admin = await loginAs(t, 'staff_admin');
    const agent = await signInWeb(t, admin);
    const firm = await createListedFirm(t);
    const page = await agent.get(`/staff/firms/${firm.id}/sanctions`);
    const res = await agent
      .post(`/staff/firms/${firm.id}/sanctions`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        action: 'suspend',
        version: String(firm.version),
        reasonCategory: 'misconduct',
        reason: '违规宣传',
        until: '',
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/staff/firms/${firm.id}/sanctions?done=suspend`);
    const after = await agent.get(res.headers.location).expect(200);
    expect(after.text).toContain('违规宣传');
    expect(after.text).toContain('data-testid="form-reinstate"');
    expect((await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id })).status).toBe(
      'suspended',
    );
  });

  it('shows a reviewer the record without forms, and refuses the reviewer a post', async () => {
    const reviewer = await loginAs(t, 'staff_reviewer');
    const agent = await signInWeb(t, reviewer);
    const firm = await createListedFirm(t);
    const page = await agent.get(`/staff/firms/${firm.id}/sanctions`).expect(200);
    expect(page.text).not.toContain('data-testid="form-suspend"');
    const res = await agent
      .post(`/staff/firms/${firm.id}/sanctions`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        action: 'suspend',
        version: '1',
        reasonCategory: 'misconduct',
        reason: 'x',
      });
    expect(res.status).toBe(403);
  });

  it('keeps firm users out of the staff page', async () => {
    const firm = await createListedFirm(t);
    const user = await loginAs(t, 'firm_admin', { firmId: firm.id });
    const agent = await signInWeb(t, user);
    expect((await agent.get(`/staff/firms/${firm.id}/sanctions`)).status).toBe(403);
  });

  it('lets a firm admin withdraw through the form after ticking the confirmation', async () => {
    const firm = await createFirm(t, {
      status: 'active',
      tier: 'member',
      memberSince: '2025-01-01',
    });
    const user = await loginAs(t, 'firm_admin', { firmId: firm.id });
    const agent = await signInWeb(t, user);
    const page = await agent.get('/firm/withdrawal').expect(200);
    expect(page.text).toContain('data-testid="form-withdraw"');
    const unticked = await agent
      .post('/firm/withdrawal')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: String(firm.version), reason: '经营调整' });
    expect(unticked.status).toBe(400);
    expect(unticked.text).toContain('id="f-confirm-error"');
    expect(unticked.text).toContain('经营调整');
    const res = await agent
      .post('/firm/withdrawal')
      .type('form')
      .send({
        _csrf: csrfFrom(unticked.text),
        version: String(firm.version),
        reason: '经营调整',
        confirm: 'yes',
      });
    expect(res.status).toBe(303);
    const done = await agent.get(res.headers.location).expect(200);
    expect(done.text).toContain('data-testid="firm-status"');
    expect(done.text).not.toContain('data-testid="form-withdraw"');
    expect((await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id })).status).toBe(
      'withdrawn',
    );
  });

  it('keeps firm members off the withdrawal page', async () => {
    const user = await loginAs(t, 'firm_member');
    const agent = await signInWeb(t, user);
    expect((await agent.get('/firm/withdrawal')).status).toBe(403);
  });
});
