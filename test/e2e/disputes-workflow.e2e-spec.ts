import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingDate } from '../../src/common/time/beijing.js';
import { CalendarService } from '../../src/modules/disputes/calendar.service.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { DisputeTimelineEntry } from '../../src/modules/disputes/entities/dispute-timeline-entry.entity.js';
import { DeadlinesService } from '../../src/modules/disputes/deadlines.service.js';
import { createMediator, createTicket, ticketWithParties } from '../factories/disputes.js';
import { createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { bearer, emailsTo, writeDb } from '../helpers/auth-flows.js';
import { csrfFrom, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Signed = CreatedUser & { token: string };

describe('disputes workflow', () => {
  let t: TestApp;
  let staff: Signed;
  let reviewer: Signed;

  const api = (path: string): string => `/api/v1/disputes/tickets/${path}`;
  const post = (token: string, path: string, body: object = {}) =>
    t.http
      .post(api(path))
      .set(...bearer(token))
      .send(body);
  const ticketRow = (id: string): Promise<DisputeTicket> =>
    t.dataSource.getRepository(DisputeTicket).findOneByOrFail({ id });
  const clocks = (ticketId: string): Promise<DisputeDeadline[]> =>
    t.dataSource.getRepository(DisputeDeadline).find({ where: { ticketId } });
  const timeline = (ticketId: string): Promise<DisputeTimelineEntry[]> =>
    t.dataSource.getRepository(DisputeTimelineEntry).find({ where: { ticketId } });
  const workingDaysFromToday = async (days: number): Promise<string> =>
    (await t.app.get(CalendarService).calendar()).addWorkingDays(beijingDate(new Date()), days);

  beforeAll(async () => {
    t = await startTestApp();
    staff = await loginAs(t, 'staff_admin');
    reviewer = await loginAs(t, 'staff_reviewer');
  });

  afterAll(async () => {
    await t.close();
  });

  describe('triage', () => {
    it('staff accept a filed complaint: triage met, the firm gets 5 working days, both sides are told', async () => {
      const { ticket, complainant, firmAdmin } = await ticketWithParties(t);
      await writeDb(t, (m) => t.app.get(DeadlinesService).start(m, ticket, 'triage', new Date()));
      const res = await post(reviewer.token, `${ticket.id}/accept`, { expectedVersion: 1 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'awaiting_response', version: 2 });
      const row = await ticketRow(ticket.id);
      expect(row.triagedAt).not.toBeNull();
      const byKind = Object.fromEntries((await clocks(ticket.id)).map((d) => [d.kind, d]));
      expect(byKind.triage.status).toBe('met');
      expect(byKind.firm_response).toMatchObject({
        status: 'open',
        dueOn: await workingDaysFromToday(5),
      });
      expect(await emailsTo(t, complainant.email, 'dispute-workflow-update')).toHaveLength(1);
      const [firmMail] = await emailsTo(t, firmAdmin.email, 'dispute-workflow-update');
      expect(firmMail.textBody).toContain(ticket.number);
      expect(firmMail.textBody).toContain(byKind.firm_response.dueOn);
      expect((await timeline(ticket.id)).map((e) => e.action)).toContain('accept');
    });

    it('staff reject with a reason code and a note; the complainant is told the reason', async () => {
      const { ticket, complainant } = await ticketWithParties(t);
      const bad = await post(staff.token, `${ticket.id}/reject`, { reason: 'too_late' });
      expect(bad.status).toBe(400);
      const res = await post(staff.token, `${ticket.id}/reject`, {
        reason: 'court_or_arbitration',
        note: '该纠纷已由深圳国际仲裁院受理。',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'rejected', rejectReason: 'court_or_arbitration' });
      const row = await ticketRow(ticket.id);
      expect(row).toMatchObject({
        outcome: 'rejected',
        rejectReason: 'court_or_arbitration',
        decisionNote: '该纠纷已由深圳国际仲裁院受理。',
      });
      const [mail] = await emailsTo(t, complainant.email, 'dispute-workflow-update');
      expect(mail.textBody).toContain('已进入诉讼或仲裁程序');
    });

    it('two staff accepting the same complaint at once: one 200, one 409', async () => {
      const { ticket } = await ticketWithParties(t);
      const results = await Promise.all([
        post(staff.token, `${ticket.id}/accept`),
        post(reviewer.token, `${ticket.id}/accept`),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await clocks(ticket.id)).toHaveLength(1);
      expect((await timeline(ticket.id)).filter((e) => e.action === 'accept')).toHaveLength(1);
    });

    it('a stale version is refused with 409 and changes nothing', async () => {
      const { ticket } = await ticketWithParties(t);
      const res = await post(staff.token, `${ticket.id}/accept`, { expectedVersion: 7 });
      expect(res.status).toBe(409);
      expect((await ticketRow(ticket.id)).state).toBe('filed');
    });

    it('wrong role is 403; a ticket the caller may not see is 404 (other firm, stranger mediator, other complainant)', async () => {
      const { ticket, firmAdmin, complainant } = await ticketWithParties(t, {
        state: 'awaiting_response',
      });
      expect((await post(firmAdmin.token, `${ticket.id}/accept`)).status).toBe(403);
      expect(
        (await post(complainant.token, `${ticket.id}/respond`, { response: '我来答复' })).status,
      ).toBe(403);
      const otherFirm = await loginAs(t, 'firm_admin');
      expect(
        (await post(otherFirm.token, `${ticket.id}/respond`, { response: '不是我们' })).status,
      ).toBe(404);
      const mediator = await createMediator(t);
      expect((await post(mediator.token, `${ticket.id}/fail`, { reason: 'x' })).status).toBe(404);
      const otherComplainant = await loginAs(t, 'complainant');
      expect((await post(otherComplainant.token, `${ticket.id}/withdraw`)).status).toBe(404);
      expect((await post(staff.token, `${crypto.randomUUID()}/accept`)).status).toBe(404);
      expect((await t.http.post(api(`${ticket.id}/withdraw`)).send({})).status).toBe(401);
      expect((await ticketRow(ticket.id)).state).toBe('awaiting_response');
    });
  });

  describe('response, withdrawal, failure, closing', () => {
    it('a firm member responds: the response is kept, mediation starts with a 30-working-day clock', async () => {
      const { ticket, firmId, complainant } = await ticketWithParties(t, {
        state: 'awaiting_response',
      });
      const member = await loginAs(t, 'firm_member', { firmId });
      expect((await post(member.token, `${ticket.id}/respond`, { response: '   ' })).status).toBe(
        400,
      );
      expect(
        (await post(complainant.token, `${ticket.id}/respond`, { response: 'x' })).status,
      ).toBe(403);
      const res = await post(member.token, `${ticket.id}/respond`, {
        response: '我司已核实，愿意退还服务费。',
      });
      expect(res.status).toBe(200);
      const row = await ticketRow(ticket.id);
      expect(row).toMatchObject({
        state: 'in_mediation',
        firmResponse: '我司已核实，愿意退还服务费。',
      });
      expect(row.firmRespondedAt).not.toBeNull();
      expect(row.mediationStartedAt).not.toBeNull();
      const mediation = (await clocks(ticket.id)).find((d) => d.kind === 'mediation');
      expect(mediation).toMatchObject({ status: 'open', dueOn: await workingDaysFromToday(30) });
    });

    it('the complainant withdraws (reason optional): every running clock stops', async () => {
      const { ticket, complainant, firmAdmin } = await ticketWithParties(t, {
        state: 'awaiting_response',
      });
      await writeDb(t, (m) =>
        t.app.get(DeadlinesService).start(m, ticket, 'firm_response', new Date()),
      );
      const res = await post(complainant.token, `${ticket.id}/withdraw`, {});
      expect(res.status).toBe(200);
      const row = await ticketRow(ticket.id);
      expect(row).toMatchObject({ state: 'withdrawn', outcome: 'withdrawn' });
      expect(row.resolvedAt).not.toBeNull();
      expect((await clocks(ticket.id)).map((d) => d.status)).toEqual(['cancelled']);
      expect(await emailsTo(t, firmAdmin.email, 'dispute-workflow-update')).toHaveLength(1);
      // Withdrawn is final for the complainant.
      expect((await post(complainant.token, `${ticket.id}/withdraw`)).status).toBe(409);
    });

    it('only the mediator who accepted the case can record failure, with a reason; staff then close', async () => {
      const mediator = await createMediator(t);
      const { ticket } = await ticketWithParties(t, {
        state: 'in_mediation',
        mediatorUserId: mediator.id,
        assignment: 'accepted',
      });
      await writeDb(t, (m) =>
        t.app.get(DeadlinesService).start(m, ticket, 'mediation', new Date()),
      );
      expect((await post(staff.token, `${ticket.id}/fail`, { reason: 'x' })).status).toBe(403);
      expect((await post(mediator.token, `${ticket.id}/fail`, { reason: ' ' })).status).toBe(400);
      const res = await post(mediator.token, `${ticket.id}/fail`, { reason: '双方差距过大。' });
      expect(res.status).toBe(200);
      const failed = await ticketRow(ticket.id);
      expect(failed).toMatchObject({ state: 'mediation_failed', outcome: 'failed' });
      expect(failed.resolvedAt).not.toBeNull();
      expect((await clocks(ticket.id))[0].status).toBe('met');
      const closed = await post(staff.token, `${ticket.id}/close`, {
        expectedVersion: failed.version,
      });
      expect(closed.status).toBe(200);
      const row = await ticketRow(ticket.id);
      expect(row.state).toBe('closed');
      expect(row.closedAt).not.toBeNull();
      expect(row.outcome).toBe('failed');
    });

    it('a mediator only offered the case cannot end it', async () => {
      const mediator = await createMediator(t);
      const { ticket } = await ticketWithParties(t, {
        state: 'in_mediation',
        mediatorUserId: mediator.id,
        assignment: 'offered',
      });
      const res = await post(mediator.token, `${ticket.id}/fail`, { reason: '无法联系。' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_ACCEPTED_MEDIATOR');
    });
  });

  describe('extension of the mediation clock', () => {
    it('needs the mediator to ask and both parties to agree; it moves the due date on 30 working days, once', async () => {
      const mediator = await createMediator(t);
      const { ticket, complainant, firmAdmin } = await ticketWithParties(t, {
        state: 'in_mediation',
        mediatorUserId: mediator.id,
        assignment: 'accepted',
      });
      const clock = await writeDb(t, (m) =>
        t.app.get(DeadlinesService).start(m, ticket, 'mediation', new Date()),
      );
      expect((await post(complainant.token, `${ticket.id}/extension/consent`)).body.code).toBe(
        'EXTENSION_NOT_REQUESTED',
      );
      expect((await post(complainant.token, `${ticket.id}/extension/request`)).status).toBe(403);
      expect((await post(mediator.token, `${ticket.id}/extension/request`)).status).toBe(200);
      expect((await post(mediator.token, `${ticket.id}/extension/request`)).body.code).toBe(
        'EXTENSION_USED',
      );
      expect((await post(complainant.token, `${ticket.id}/extension/consent`)).status).toBe(200);
      expect((await post(complainant.token, `${ticket.id}/extension/consent`)).body.code).toBe(
        'EXTENSION_CONSENT_GIVEN',
      );
      const [asked] = await emailsTo(t, mediator.email, 'dispute-workflow-update');
      expect(asked.subject).toContain('投诉人同意延长调解期限');
      let open = (await clocks(ticket.id)).find((d) => d.status === 'open');
      expect(open?.dueOn).toBe(clock.dueOn);
      const res = await post(firmAdmin.token, `${ticket.id}/extension/consent`);
      expect(res.status).toBe(200);
      expect(res.body.extendedAt).not.toBeNull();
      const calendar = await t.app.get(CalendarService).calendar();
      open = (await clocks(ticket.id)).find((d) => d.status === 'open');
      expect(open?.dueOn).toBe(calendar.addWorkingDays(clock.dueOn, 30));
      expect((await post(firmAdmin.token, `${ticket.id}/extension/consent`)).body.code).toBe(
        'EXTENSION_USED',
      );
      expect((await post(mediator.token, `${ticket.id}/extension/request`)).body.code).toBe(
        'EXTENSION_USED',
      );
    });
  });

  describe('ticket page forms', () => {
    it("the workflow section shows the state, the clocks with overdue marks and only the viewer's actions", async () => {
      const { ticket, complainant, firmAdmin } = await ticketWithParties(t, {
        state: 'awaiting_response',
      });
      await writeDb(t, async (m) => {
        const clock = await t.app
          .get(DeadlinesService)
          .start(m, ticket, 'firm_response', new Date());
        await m.update(DisputeDeadline, { id: clock.id }, { dueOn: '2026-01-05' });
      });
      const page = async (user: CreatedUser): Promise<string> => {
        const agent = await signInWeb(t, user);
        const res = await agent.get(`/disputes/tickets/${ticket.id}`).set('Accept', 'text/html');
        expect(res.status).toBe(200);
        return res.text;
      };
      const firmPage = await page(firmAdmin);
      expect(firmPage).toContain('data-testid="dispute-workflow"');
      expect(firmPage).toContain('data-testid="workflow-respond"');
      expect(firmPage).toContain('data-testid="clock-late"');
      expect(firmPage).toContain(`name="version" value="${ticket.version}"`);
      expect(firmPage).not.toContain('data-testid="workflow-accept"');
      const complainantPage = await page(complainant);
      expect(complainantPage).toContain('data-testid="workflow-withdraw"');
      expect(complainantPage).not.toContain('data-testid="workflow-respond"');
      const staffPage = await page(await createUser(t, { role: 'staff_reviewer' }));
      expect(staffPage).not.toContain('data-testid="workflow-respond"');
      expect(staffPage).not.toContain('data-testid="workflow-accept"');
    });

    it('the workflow forms act and send the person back to the ticket with a notice', async () => {
      const ticket = await createTicket(t);
      const staffUser = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, staffUser);
      const page = await agent.get(`/disputes/tickets/${ticket.id}`).set('Accept', 'text/html');
      expect(page.text).toContain('data-testid="workflow-accept"');
      expect(page.text).toContain('data-testid="workflow-reject"');
      expect(page.text).toContain(
        '<option value="court_or_arbitration">已进入诉讼或仲裁程序</option>',
      );
      const _csrf = csrfFrom(page.text);
      const stale = await agent
        .post(`/disputes/tickets/${ticket.id}/accept`)
        .type('form')
        .send({ _csrf, version: '9' });
      expect(stale.status).toBe(303);
      expect(stale.headers.location).toBe(`/disputes/tickets/${ticket.id}?error=CONFLICT#workflow`);
      const res = await agent
        .post(`/disputes/tickets/${ticket.id}/accept`)
        .type('form')
        .send({ _csrf, version: '1' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(
        `/disputes/tickets/${ticket.id}?done=workflow.done.accepted#workflow`,
      );
      expect((await ticketRow(ticket.id)).state).toBe('awaiting_response');
    });
  });
});
