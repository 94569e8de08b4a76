import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES, type Role } from '../../src/common/auth/roles.js';
import {
  APPLICATION_ACTIONS,
  APPLICATION_STATES,
  APPLICATION_TRANSITIONS,
} from '../../src/modules/membership/application.state.js';
import { ApplicationsService } from '../../src/modules/membership/applications.service.js';
import { ApplicationStep } from '../../src/modules/membership/entities/application-step.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { MembershipApplication } from '../../src/modules/membership/entities/membership-application.entity.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { actorOf, createApplication, createCompleteApplicant } from '../factories/applications.js';
import { createFirm, loginAs } from '../factories/index.js';
import { bearer } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Problem {
  code: string;
  state?: string;
  problems?: string[];
  errors?: Array<{ field: string }>;
}

describe('membership application workflow', () => {
  let t: TestApp;
  let service: ApplicationsService;
  beforeAll(async () => {
    t = await startTestApp();
    service = t.app.get(ApplicationsService);
  });
  afterAll(() => t.close());

  const stored = (id: string): Promise<MembershipApplication> =>
    t.dataSource.getRepository(MembershipApplication).findOneByOrFail({ id });

  it('takes every allowed edge and refuses every other state × action × role, through the service', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const state of APPLICATION_STATES) {
      for (const action of APPLICATION_ACTIONS) {
        for (const role of ROLES) {
          const firm = await createCompleteApplicant(t);
          const app = await createApplication(t, firm.id, state);
          const firmRole = role === 'firm_admin' || role === 'firm_member';
          const actor = actorOf(role, firmRole ? firm.id : null);
          const edge = APPLICATION_TRANSITIONS[action];
          const visible = firmRole || role === 'staff_admin' || role === 'staff_reviewer';
          const want = !visible
            ? 'APPLICATION_NOT_FOUND'
            : !edge.roles.includes(role)
              ? 'APPLICATION_ROLE_NOT_ALLOWED'
              : !edge.from.includes(state)
                ? 'APPLICATION_TRANSITION_NOT_ALLOWED'
                : `ok:${edge.to}`;
          expected.push(`${state} ${action} ${role} → ${want}`);
          let got: string;
          try {
            const result = await service.transition(actor, app.id, {
              action,
              comment: '请补充近三年的审计报告。',
              version: app.version,
            });
            got = `ok:${result.application.state}`;
            const after = await stored(app.id);
            expect(after.state).toBe(edge.to);
            expect(after.version).toBe(app.version + 1);
            const steps = await t.dataSource
              .getRepository(ApplicationStep)
              .findBy({ applicationId: app.id });
            expect(steps).toEqual([
              expect.objectContaining({
                action,
                fromState: state,
                toState: edge.to,
                actorId: actor.id,
                actorRole: role,
              }),
            ]);
            const audit = await t.dataSource
              .getRepository(AuditEvent)
              .findBy({ subjectType: 'membership_application', subjectId: app.id });
            expect(audit).toHaveLength(1);
          } catch (error) {
            got = (error as { code?: string }).code ?? String(error);
            const after = await stored(app.id);
            expect(after.state).toBe(state);
            expect(after.version).toBe(app.version);
          }
          outcomes.push(`${state} ${action} ${role} → ${got}`);
        }
      }
    }
    expect(outcomes).toEqual(expected);
    expect(outcomes.filter((o) => o.includes('→ ok:'))).toHaveLength(10);
  }, 180_000);

  it('requires a comment to request changes or to reject, and changes nothing without one', async () => {
    for (const action of ['request_changes', 'reject'] as const) {
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'under_review');
      await expect(
        service.transition(actorOf('staff_admin'), app.id, {
          action,
          comment: '   ',
          version: 1,
        }),
      ).rejects.toMatchObject({ code: 'APPLICATION_COMMENT_REQUIRED' });
      expect((await stored(app.id)).state).toBe('under_review');
    }
  });

  it('records when an application was first submitted, and keeps that date on resubmission', async () => {
    const firm = await createCompleteApplicant(t);
    const app = await createApplication(t, firm.id, 'draft');
    const admin = actorOf('firm_admin', firm.id);
    const staff = actorOf('staff_reviewer');
    const first = new Date('2026-02-01T02:00:00Z');
    await service.transition(admin, app.id, { action: 'submit', version: 1 }, {}, first);
    await service.transition(staff, app.id, { action: 'start_review', version: 2 });
    await service.transition(staff, app.id, {
      action: 'request_changes',
      comment: '请上传章程',
      version: 3,
    });
    await service.transition(admin, app.id, { action: 'resubmit', version: 4 });
    expect((await stored(app.id)).submittedAt?.toISOString()).toBe(first.toISOString());
  });

  it('sets a rejected firm to "rejected"', async () => {
    const firm = await createCompleteApplicant(t);
    const app = await createApplication(t, firm.id, 'under_review');
    await service.transition(actorOf('staff_admin'), app.id, {
      action: 'reject',
      comment: '不符合入会条件',
      version: 1,
    });
    const after = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
    expect(after.status).toBe('rejected');
    expect((await stored(app.id)).decidedAt).not.toBeNull();
  });

  describe('over HTTP', () => {
    it('walks draft → submitted → under review → changes requested → resubmitted → approved, keeping every comment', async () => {
      const firm = await createCompleteApplicant(t);
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const reviewer = await loginAs(t, 'staff_reviewer');
      const decider = await loginAs(t, 'staff_admin');

      const created = await t.http
        .post('/api/v1/applications')
        .set(...bearer(admin.token))
        .send({ requestedTier: 'council' })
        .expect(201);
      const id = (created.body as { id: string }).id;
      expect(created.body).toMatchObject({
        state: 'draft',
        requestedTier: 'council',
        version: 1,
        availableActions: ['submit'],
      });

      const step = async (token: string, body: object, status = 200): Promise<Problem> => {
        const res = await t.http
          .post(`/api/v1/applications/${id}/transitions`)
          .set(...bearer(token))
          .send(body)
          .expect(status);
        return res.body as Problem;
      };
      await step(admin.token, { action: 'submit', version: 1 });
      await step(reviewer.token, { action: 'start_review', version: 2 });
      await step(reviewer.token, {
        action: 'request_changes',
        comment: '请补充支付业务许可证复印件。',
        version: 3,
      });
      await step(admin.token, { action: 'resubmit', version: 4 });
      await step(reviewer.token, { action: 'start_review', version: 5 });
      const approved = await step(decider.token, {
        action: 'approve',
        comment: '同意入会。',
        version: 6,
      });
      expect(approved).toMatchObject({ state: 'approved', version: 7, availableActions: [] });

      const seen = await t.http
        .get(`/api/v1/applications/${id}`)
        .set(...bearer(admin.token))
        .expect(200);
      const steps = (seen.body as { steps: Array<Record<string, string | null>> }).steps;
      expect(steps.map((s) => `${s.action}:${s.fromState}→${s.toState}`)).toEqual([
        'submit:draft→submitted',
        'start_review:submitted→under_review',
        'request_changes:under_review→changes_requested',
        'resubmit:changes_requested→resubmitted',
        'start_review:resubmitted→under_review',
        'approve:under_review→approved',
      ]);
      expect(steps[2]).toMatchObject({
        comment: '请补充支付业务许可证复印件。',
        actorId: reviewer.id,
        actorRole: 'staff_reviewer',
      });
    });

    it('refuses a reviewer who tries to approve with 403, and a step at the wrong moment with 409 naming the state', async () => {
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'under_review');
      const reviewer = await loginAs(t, 'staff_reviewer');
      const res = await t.http
        .post(`/api/v1/applications/${app.id}/transitions`)
        .set(...bearer(reviewer.token))
        .send({ action: 'approve', version: 1 })
        .expect(403);
      expect((res.body as Problem).code).toBe('APPLICATION_ROLE_NOT_ALLOWED');

      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const wrong = await t.http
        .post(`/api/v1/applications/${app.id}/transitions`)
        .set(...bearer(admin.token))
        .send({ action: 'submit', version: 1 })
        .expect(409);
      expect(wrong.body).toMatchObject({
        code: 'APPLICATION_TRANSITION_NOT_ALLOWED',
        state: 'under_review',
      });
      expect((await stored(app.id)).version).toBe(1);
    });

    it('refuses submission of an incomplete application with the list of what is missing', async () => {
      const firm = await createFirm(t, { status: 'applicant' });
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const app = await createApplication(t, firm.id, 'draft');
      const res = await t.http
        .post(`/api/v1/applications/${app.id}/transitions`)
        .set(...bearer(admin.token))
        .send({ action: 'submit', version: 1 })
        .expect(422);
      const body = res.body as Problem;
      expect(body.code).toBe('APPLICATION_INCOMPLETE');
      expect(body.problems).toEqual(
        expect.arrayContaining([
          'legalRepresentative',
          'contactEmail',
          'categories',
          'document.business_licence',
        ]),
      );
      expect(await stored(app.id)).toMatchObject({ state: 'draft', version: 1 });
    });

    it('refuses a stale version with 409 CONFLICT', async () => {
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'submitted');
      const reviewer = await loginAs(t, 'staff_reviewer');
      const res = await t.http
        .post(`/api/v1/applications/${app.id}/transitions`)
        .set(...bearer(reviewer.token))
        .send({ action: 'start_review', version: 7 })
        .expect(409);
      expect((res.body as Problem).code).toBe('CONFLICT');
    });

    it("answers 404 when a firm user reads, edits or moves another firm's application", async () => {
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'draft');
      const stranger = await loginAs(t, 'firm_admin');
      for (const res of [
        await t.http.get(`/api/v1/applications/${app.id}`).set(...bearer(stranger.token)),
        await t.http
          .patch(`/api/v1/applications/${app.id}`)
          .set(...bearer(stranger.token))
          .send({ requestedTier: 'president', version: 1 }),
        await t.http
          .post(`/api/v1/applications/${app.id}/transitions`)
          .set(...bearer(stranger.token))
          .send({ action: 'submit', version: 1 }),
      ]) {
        expect(res.status).toBe(404);
        expect((res.body as Problem).code).toBe('APPLICATION_NOT_FOUND');
      }
      const list = await t.http.get('/api/v1/applications').set(...bearer(stranger.token));
      expect((list.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).not.toContain(
        app.id,
      );
      expect(await stored(app.id)).toMatchObject({ state: 'draft', requestedTier: 'member' });
    });

    it('refuses complainants and mediators with 403, and anonymous callers with 401', async () => {
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'submitted');
      for (const role of ['complainant', 'mediator'] as Role[]) {
        const user = await loginAs(t, role);
        await t.http
          .get('/api/v1/applications')
          .set(...bearer(user.token))
          .expect(403);
        await t.http
          .get(`/api/v1/applications/${app.id}`)
          .set(...bearer(user.token))
          .expect(403);
      }
      await t.http.get(`/api/v1/applications/${app.id}`).expect(401);
      await t.http
        .post(`/api/v1/applications/${app.id}/transitions`)
        .send({ action: 'start_review', version: 1 })
        .expect(401);
    });

    it('refuses to set the state through a body, naming the field, and changes nothing', async () => {
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'draft');
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const patched = await t.http
        .patch(`/api/v1/applications/${app.id}`)
        .set(...bearer(admin.token))
        .send({ requestedTier: 'president', state: 'approved', version: 1 })
        .expect(400);
      expect((patched.body as Problem).errors?.map((e) => e.field)).toContain('state');
      const moved = await t.http
        .post(`/api/v1/applications/${app.id}/transitions`)
        .set(...bearer(admin.token))
        .send({ action: 'submit', toState: 'approved', version: 1 })
        .expect(400);
      expect((moved.body as Problem).errors?.map((e) => e.field)).toContain('toState');
      expect(await stored(app.id)).toMatchObject({
        state: 'draft',
        requestedTier: 'member',
        version: 1,
      });
      const firmAfter = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
      expect(firmAfter.status).toBe('applicant');
    });

    it('lets the firm change its requested tier while the application is a draft, but not once submitted', async () => {
      const firm = await createCompleteApplicant(t);
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const draft = await createApplication(t, firm.id, 'draft');
      const ok = await t.http
        .patch(`/api/v1/applications/${draft.id}`)
        .set(...bearer(admin.token))
        .send({ requestedTier: 'vice_president', version: 1 })
        .expect(200);
      expect(ok.body).toMatchObject({ requestedTier: 'vice_president', version: 2 });

      const other = await createCompleteApplicant(t);
      const otherAdmin = await loginAs(t, 'firm_admin', { firmId: other.id });
      const submitted = await createApplication(t, other.id, 'submitted');
      const res = await t.http
        .patch(`/api/v1/applications/${submitted.id}`)
        .set(...bearer(otherAdmin.token))
        .send({ requestedTier: 'president', version: 1 })
        .expect(409);
      expect((res.body as Problem).code).toBe('APPLICATION_NOT_EDITABLE');
    });

    it('allows one open application per firm, only for applicant firms, only by a firm administrator', async () => {
      const firm = await createCompleteApplicant(t);
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      await t.http
        .post('/api/v1/applications')
        .set(...bearer(admin.token))
        .send({ requestedTier: 'member' })
        .expect(201);
      const again = await t.http
        .post('/api/v1/applications')
        .set(...bearer(admin.token))
        .send({ requestedTier: 'member' })
        .expect(409);
      expect((again.body as Problem).code).toBe('APPLICATION_ALREADY_OPEN');

      const member = await loginAs(t, 'firm_member', { firmId: firm.id });
      await t.http
        .post('/api/v1/applications')
        .set(...bearer(member.token))
        .send({ requestedTier: 'member' })
        .expect(403);

      const activeAdmin = await loginAs(t, 'firm_admin');
      const active = await t.http
        .post('/api/v1/applications')
        .set(...bearer(activeAdmin.token))
        .send({ requestedTier: 'member' })
        .expect(409);
      expect((active.body as Problem).code).toBe('APPLICATION_FIRM_NOT_APPLICANT');

      const bad = await t.http
        .post('/api/v1/applications')
        .set(...bearer(admin.token))
        .send({ requestedTier: 'emperor' })
        .expect(400);
      expect((bad.body as Problem).errors?.map((e) => e.field)).toContain('requestedTier');
    });

    it('opens only one application when two administrators apply at the same moment', async () => {
      const firm = await createCompleteApplicant(t);
      const a = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const b = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const results = await Promise.all(
        [a, b].map((user) =>
          t.http
            .post('/api/v1/applications')
            .set(...bearer(user.token))
            .send({ requestedTier: 'member' }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(
        await t.dataSource.getRepository(MembershipApplication).countBy({ firmId: firm.id }),
      ).toBe(1);
    });

    it('lists the queue for staff with counts, filters and a bounded page size', async () => {
      const staff = await loginAs(t, 'staff_reviewer');
      const old = await createCompleteApplicant(t, { district: 'dapeng' });
      const oldApp = await createApplication(t, old.id, 'submitted', {
        submittedAt: new Date(Date.now() - 40 * 86_400_000),
      });
      const fresh = await createCompleteApplicant(t, { district: 'dapeng' });
      const freshApp = await createApplication(t, fresh.id, 'submitted');
      const list = async (query: string): Promise<string[]> => {
        const res = await t.http
          .get(`/api/v1/applications?${query}`)
          .set(...bearer(staff.token))
          .expect(200);
        return (res.body as { items: Array<{ id: string }> }).items.map((i) => i.id);
      };
      expect(await list('district=dapeng&state=submitted')).toEqual([oldApp.id, freshApp.id]);
      expect(await list('district=dapeng&minAgeDays=30')).toEqual([oldApp.id]);
      expect(await list('district=dapeng&maxAgeDays=5')).toEqual([freshApp.id]);
      expect(await list('district=dapeng&category=equity_crowdfunding')).toEqual([]);
      expect(await list('district=dapeng&category=third_party_payment')).toHaveLength(2);
      await t.http
        .get('/api/v1/applications?limit=101')
        .set(...bearer(staff.token))
        .expect(400);
      const counts = await t.http
        .get('/api/v1/applications/counts')
        .set(...bearer(staff.token))
        .expect(200);
      expect((counts.body as { counts: Record<string, number> }).counts.submitted).toBeGreaterThan(
        1,
      );
    });
  });
});
