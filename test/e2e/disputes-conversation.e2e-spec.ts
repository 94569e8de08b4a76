import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DisputeSession } from '../../src/modules/disputes/entities/dispute-session.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { createMediator, mediatedTicket, ticketWithParties } from '../factories/disputes.js';
import { SAMPLE_PNG } from '../factories/firm-portal.js';
import { loginAs, type CreatedUser } from '../factories/index.js';
import { bearer, emailsTo } from '../helpers/auth-flows.js';
import { csrfOf, signInWeb, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const HOUR = 3_600_000;

describe('disputes: conversation, sessions and the mediation sections of the ticket page', () => {
  let t: TestApp;
  let staff: CreatedUser & { token: string };

  beforeAll(async () => {
    t = await startTestApp();
    staff = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  const api = (method: 'get' | 'post', path: string, token: string, body?: object) => {
    const req = t.http[method](`/api/v1/disputes/${path}`).set(...bearer(token));
    return body ? req.send(body) : req;
  };
  const ticketOf = (id: string) =>
    t.dataSource.getRepository(DisputeTicket).findOneByOrFail({ id });
  /** Posts a ticket-page form and returns where it sent the browser. */
  async function submit(
    agent: WebAgent,
    ticketId: string,
    action: string,
    fields: Record<string, unknown> = {},
  ) {
    const path = `/disputes/tickets/${ticketId}`;
    const _csrf = await csrfOf(agent, path);
    const version = String((await ticketOf(ticketId)).version);
    const res = await agent
      .post(`${path}/${action}`)
      .type('form')
      .send({ _csrf, version, ...fields });
    expect(res.status).toBe(303);
    return String(res.headers.location);
  }

  describe('messages', () => {
    it('oldest first; masked complainant name for the firm until contact release', async () => {
      const s = await mediatedTicket(t);
      await api('post', `tickets/${s.ticket.id}/messages`, s.complainant.token, {
        body: '第一条',
        visibility: 'parties',
      }).expect(201);
      await api('post', `tickets/${s.ticket.id}/messages`, s.firmAdmin.token, {
        body: '第二条',
        visibility: 'parties',
      }).expect(201);
      const list = await api('get', `tickets/${s.ticket.id}/messages`, s.firmAdmin.token).expect(
        200,
      );
      const items = (list.body as { items: Array<{ body: string }> }).items;
      expect(items.map((m) => m.body)).toEqual(['第一条', '第二条']);
      expect(list.body.items[0].authorName).toMatch(/^.\*\*$/);
      const hidden = await api('get', `tickets/${s.ticket.id}`, s.firmAdmin.token).expect(200);
      expect(hidden.body.complainant).toMatchObject({ masked: true, phone: null, email: null });
      await api('post', `tickets/${s.ticket.id}/release-contact`, s.mediator.token, {}).expect(200);
      const shown = await api('get', `tickets/${s.ticket.id}`, s.firmAdmin.token).expect(200);
      expect(shown.body.complainant).toMatchObject({
        masked: false,
        phone: '13800138000',
        email: s.complainant.email,
      });
      const after = await api('get', `tickets/${s.ticket.id}/messages`, s.firmAdmin.token).expect(
        200,
      );
      expect(after.body.items[0].authorName).not.toMatch(/\*\*$/);
    });

    it('refuses a caucus before a mediator has accepted, and any message once the ticket is closed', async () => {
      const s = await ticketWithParties(t, { state: 'awaiting_response' });
      const caucus = await api('post', `tickets/${s.ticket.id}/messages`, s.complainant.token, {
        body: '单独沟通',
        visibility: 'caucus_complainant',
      }).expect(409);
      expect(caucus.body.code).toBe('NO_MEDIATOR');
      const closed = await ticketWithParties(t, { state: 'closed' });
      const res = await api(
        'post',
        `tickets/${closed.ticket.id}/messages`,
        closed.complainant.token,
        {
          body: '结案后',
          visibility: 'parties',
        },
      ).expect(409);
      expect(res.body.code).toBe('TICKET_NOT_ACTIVE');
      const long = await api('post', `tickets/${s.ticket.id}/messages`, s.complainant.token, {
        body: '长'.repeat(5001),
        visibility: 'parties',
      }).expect(400);
      expect(long.body.code).toBe('MESSAGE_EMPTY');
    });

    it('the page form takes up to five files; more, or a file of the wrong type, posts nothing', async () => {
      const s = await mediatedTicket(t);
      const web = await signInWeb(t, s.complainant);
      const path = `/disputes/tickets/${s.ticket.id}`;
      const post = async (count: number, bytes: Buffer) => {
        const csrf = await csrfOf(web, path);
        let req = web
          .post(`${path}/messages?_csrf=${encodeURIComponent(csrf)}`)
          .field('body', `附件 ${count}`)
          .field('visibility', 'parties');
        for (let i = 0; i < count; i++)
          req = req.attach('files', bytes, { filename: `f${i}.png`, contentType: 'image/png' });
        return req;
      };
      expect((await post(5, SAMPLE_PNG)).status).toBe(303);
      const six = await post(6, SAMPLE_PNG);
      expect(six.status).toBeGreaterThanOrEqual(400);
      // A wrong type is refused at the section: back to the ticket page, which says why.
      const text = await post(1, Buffer.from('just text'));
      expect(text.status).toBe(303);
      expect(text.headers.location).toContain('error=UNSUPPORTED_FILE_TYPE');
      const page = await web.get(text.headers.location).expect(200);
      expect(page.text).toContain('文件格式不受支持');
      const list = await api('get', `tickets/${s.ticket.id}/messages`, s.complainant.token).expect(
        200,
      );
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0].attachments).toHaveLength(5);
    });
  });

  describe('sessions', () => {
    it('the accepted mediator schedules and cancels; both parties see them and are e-mailed', async () => {
      const s = await mediatedTicket(t);
      const startsAt = new Date(Date.now() + 48 * HOUR).toISOString();
      const body = {
        startsAt,
        durationMinutes: 90,
        mode: 'offline',
        place: '深圳市福田区调解室 3 号',
        note: '请携带合同原件',
      };
      await api('post', `tickets/${s.ticket.id}/sessions`, s.firmAdmin.token, body).expect(403);
      for (const bad of [
        { ...body, startsAt: new Date(Date.now() - HOUR).toISOString() },
        { ...body, durationMinutes: 10 },
        { ...body, durationMinutes: 481 },
        { ...body, place: '  ' },
      ]) {
        const res = await api(
          'post',
          `tickets/${s.ticket.id}/sessions`,
          s.mediator.token,
          bad,
        ).expect(400);
        expect(res.body.code).toBe('SESSION_INVALID');
      }
      const created = await api(
        'post',
        `tickets/${s.ticket.id}/sessions`,
        s.mediator.token,
        body,
      ).expect(201);
      expect(created.body).toMatchObject({
        durationMinutes: 90,
        mode: 'offline',
        cancelledAt: null,
      });
      const seen = await api('get', `tickets/${s.ticket.id}/sessions`, s.complainant.token).expect(
        200,
      );
      expect(seen.body.items).toHaveLength(1);
      for (const who of [s.complainant, s.firmAdmin]) {
        const mails = await emailsTo(t, who.email, 'dispute-workflow-update');
        expect(mails.some((m) => m.textBody.includes('深圳市福田区调解室 3 号'))).toBe(true);
      }
      const page = await (
        await signInWeb(t, s.firmAdmin)
      )
        .get(`/disputes/tickets/${s.ticket.id}`)
        .expect(200);
      expect(page.text).toContain('深圳市福田区调解室 3 号');
      await api('post', `sessions/${created.body.id}/cancel`, s.complainant.token).expect(403);
      const cancelled = await api(
        'post',
        `sessions/${created.body.id}/cancel`,
        s.mediator.token,
      ).expect(200);
      expect(cancelled.body.cancelledAt).not.toBeNull();
      await api('post', `sessions/${created.body.id}/cancel`, s.mediator.token).expect(404);
      const other = await createMediator(t);
      await api('post', `sessions/${created.body.id}/cancel`, other.token).expect(404);
    });

    it('the page form takes a Beijing local time', async () => {
      const s = await mediatedTicket(t);
      const web = await signInWeb(t, s.mediator);
      const local = new Date(Date.now() + 8 * HOUR + 72 * HOUR).toISOString().slice(0, 16);
      const back = await submit(web, s.ticket.id, 'sessions', {
        startsAt: local,
        durationMinutes: '60',
        mode: 'online',
        place: 'https://meet.example.cn/abc',
        note: '',
      });
      expect(back).toContain('done=conversation.done.scheduled');
      const row = await t.dataSource
        .getRepository(DisputeSession)
        .findOneByOrFail({ ticketId: s.ticket.id });
      expect(row.startsAt.toISOString().slice(0, 16)).toBe(
        new Date(Date.parse(`${local}:00+08:00`)).toISOString().slice(0, 16),
      );
    });
  });

  describe('ticket page mediator section', () => {
    it('staff assign from the page; the mediator accepts there with the no-conflict box', async () => {
      const s = await ticketWithParties(t);
      const mediator = await createMediator(t);
      const staffWeb = await signInWeb(t, staff);
      const page = await staffWeb.get(`/disputes/tickets/${s.ticket.id}`).expect(200);
      expect(page.text).toContain('data-testid="mediator-assign"');
      expect(
        await submit(staffWeb, s.ticket.id, 'assign', { mediatorUserId: mediator.id }),
      ).toContain('done=mediation.done.assigned');
      const mediatorWeb = await signInWeb(t, mediator);
      const offered = await mediatorWeb.get(`/disputes/tickets/${s.ticket.id}`).expect(200);
      expect(offered.text).toContain('data-testid="mediator-accept"');
      expect(await submit(mediatorWeb, s.ticket.id, 'accept-assignment', {})).toContain(
        'error=NO_CONFLICT_CONFIRMATION',
      );
      expect(
        await submit(mediatorWeb, s.ticket.id, 'accept-assignment', { noConflict: 'yes' }),
      ).toContain('done=mediation.done.accepted');
      expect((await ticketOf(s.ticket.id)).assignment).toBe('accepted');
      const accepted = await mediatorWeb.get(`/disputes/tickets/${s.ticket.id}`).expect(200);
      expect(accepted.text).toContain('data-testid="mediator-release-contact"');
      expect(accepted.text).toContain('data-testid="conversation-schedule"');
      expect(await submit(mediatorWeb, s.ticket.id, 'release-contact')).toContain(
        'done=mediation.done.contactReleased',
      );
      expect((await ticketOf(s.ticket.id)).contactReleasedAt).not.toBeNull();
    });

    it('a party challenges from the page once; staff decide there', async () => {
      const s = await mediatedTicket(t);
      const web = await signInWeb(t, s.complainant);
      const before = await web.get(`/disputes/tickets/${s.ticket.id}`).expect(200);
      expect(before.text).toContain('data-testid="mediator-challenge"');
      expect(before.text).not.toContain('data-testid="mediator-assign"');
      expect(
        await submit(web, s.ticket.id, 'challenges', { reason: '调解员曾任该机构顾问。' }),
      ).toContain('done=mediation.done.challenged');
      const after = await web.get(`/disputes/tickets/${s.ticket.id}`).expect(200);
      expect(after.text).not.toContain('data-testid="mediator-challenge"');
      expect(after.text).toContain('调解员曾任该机构顾问。');
      const firmPage = await (
        await signInWeb(t, s.firmAdmin)
      )
        .get(`/disputes/tickets/${s.ticket.id}`)
        .expect(200);
      expect(firmPage.text).not.toContain('调解员曾任该机构顾问。');
      const staffWeb = await signInWeb(t, staff);
      const staffPage = await staffWeb.get(`/disputes/tickets/${s.ticket.id}`).expect(200);
      const challengeId = /challenges\/([0-9a-f-]{36})\/decide/.exec(staffPage.text)?.[1];
      expect(challengeId).toBeDefined();
      expect(
        await submit(staffWeb, s.ticket.id, `challenges/${challengeId}/decide`, {
          decision: 'upheld',
          note: '支持。',
        }),
      ).toContain('done=mediation.done.decided');
      expect((await ticketOf(s.ticket.id)).assignment).toBe('none');
    });

    it('the pool page lists open tickets and takes one with the no-conflict box', async () => {
      const s = await ticketWithParties(t);
      const mediator = await createMediator(t);
      await api('post', `tickets/${s.ticket.id}/open-pool`, staff.token, {}).expect(200);
      const web = await signInWeb(t, mediator);
      const pool = await web.get('/mediator/pool').expect(200);
      expect(pool.text).toContain(s.ticket.number!);
      const _csrf = await csrfOf(web, '/mediator/pool');
      const refused = await web
        .post(`/mediator/pool/${s.ticket.id}/accept`)
        .type('form')
        .send({ _csrf });
      expect(refused.headers.location).toBe('/mediator/pool?error=NO_CONFLICT_CONFIRMATION');
      const taken = await web
        .post(`/mediator/pool/${s.ticket.id}/accept`)
        .type('form')
        .send({ _csrf, noConflict: 'yes' });
      expect(taken.headers.location).toContain(
        `/disputes/tickets/${s.ticket.id}?done=mediation.done.accepted`,
      );
      const empty = await web.get('/mediator/pool').expect(200);
      expect(empty.text).not.toContain(s.ticket.number!);
    });
  });
});
