import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { MediatorProfile } from '../../src/modules/disputes/entities/mediator-profile.entity.js';
import {
  createMediator,
  createTicket,
  mediatedTicket,
  ticketWithParties,
} from '../factories/disputes.js';
import { createFirm, createUser, loginAs, apiToken, type CreatedUser } from '../factories/index.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Token = CreatedUser & { token: string };

describe('disputes: mediator assignment, conflicts, the open pool and challenges', () => {
  let t: TestApp;
  let staff: Token;

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
  const clocksOf = (ticketId: string) =>
    t.dataSource
      .getRepository(DisputeDeadline)
      .find({ where: { ticketId, kind: 'mediator_acceptance' }, order: { createdAt: 'ASC' } });
  const declare = (mediatorId: string, firmId: string, endedOn: string | null = null) =>
    api('post', `mediators/${mediatorId}/affiliations`, staff.token, {
      firmId,
      relation: 'employed',
      endedOn,
    }).expect(201);
  /** Only these mediators take new cases (others from earlier tests are set inactive). */
  const onlyActive = (...ids: string[]) =>
    writeDb(t, async (m) => {
      await m.createQueryBuilder().update(MediatorProfile).set({ status: 'inactive' }).execute();
      for (const id of ids) await m.update(MediatorProfile, { userId: id }, { status: 'active' });
    });

  describe('conflict refusal', () => {
    it('refuses to assign a mediator who declared an ongoing tie with the respondent firm', async () => {
      const { ticket, firmId } = await ticketWithParties(t);
      const mediator = await createMediator(t);
      await declare(mediator.id, firmId);
      const res = await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: mediator.id,
      }).expect(409);
      expect(res.body.code).toBe('MEDIATOR_CONFLICT');
      expect((await ticketOf(ticket.id)).assignment).toBe('none');
    });

    it('refuses a tie that ended within three years, and allows one that ended more than three years ago', async () => {
      const { ticket, firmId } = await ticketWithParties(t);
      const recent = await createMediator(t);
      const old = await createMediator(t);
      const today = beijingDate(new Date());
      await declare(recent.id, firmId, addDays(today, -365 * 2));
      await declare(old.id, firmId, addDays(today, -365 * 3 - 2));
      const refused = await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: recent.id,
      }).expect(409);
      expect(refused.body.code).toBe('MEDIATOR_CONFLICT');
      const ok = await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: old.id,
      }).expect(200);
      expect(ok.body).toMatchObject({ assignment: 'offered', mediatorUserId: old.id });
    });

    it('ignores ties with other firms and removed declarations', async () => {
      const { ticket, firmId } = await ticketWithParties(t);
      const mediator = await createMediator(t);
      await declare(mediator.id, (await createFirm(t)).id);
      const tie = await declare(mediator.id, firmId);
      await t.http
        .delete(`/api/v1/disputes/mediators/${mediator.id}/affiliations/${tie.body.id}`)
        .set(...bearer(mediator.token))
        .expect(204);
      await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: mediator.id,
      }).expect(200);
    });

    it('checks the conflict again when the mediator accepts', async () => {
      const { ticket, firmId } = await ticketWithParties(t);
      const mediator = await createMediator(t);
      await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: mediator.id,
      }).expect(200);
      // The mediator remembers a tie and declares it before accepting.
      await api('post', `mediators/${mediator.id}/affiliations`, mediator.token, {
        firmId,
        relation: 'shareholder',
      }).expect(201);
      const res = await api('post', `tickets/${ticket.id}/accept-assignment`, mediator.token, {
        noConflict: true,
      }).expect(409);
      expect(res.body.code).toBe('MEDIATOR_CONFLICT');
      expect((await ticketOf(ticket.id)).assignment).toBe('offered');
    });

    it('refuses an inactive mediator', async () => {
      const { ticket } = await ticketWithParties(t);
      const mediator = await createMediator(t, { status: 'inactive' });
      const res = await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: mediator.id,
      }).expect(409);
      expect(res.body.code).toBe('MEDIATOR_INACTIVE');
    });
  });

  describe('offer, accept and decline', () => {
    it('starts the acceptance clock on the offer and meets it on acceptance with the no-conflict confirmation', async () => {
      const { ticket } = await ticketWithParties(t);
      const mediator = await createMediator(t);
      await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: mediator.id,
      }).expect(200);
      expect((await clocksOf(ticket.id)).map((d) => d.status)).toEqual(['open']);
      // Offered is not yet on the case: no messages before the no-conflict confirmation.
      await api('post', `tickets/${ticket.id}/messages`, mediator.token, {
        body: '您好。',
        visibility: 'parties',
      }).expect(403);
      const unconfirmed = await api(
        'post',
        `tickets/${ticket.id}/accept-assignment`,
        mediator.token,
        {
          noConflict: false,
        },
      ).expect(400);
      expect(unconfirmed.body.code).toBe('NO_CONFLICT_CONFIRMATION');
      const other = await createMediator(t);
      // Offered to someone else: answered as an unknown ticket, so its existence does not show.
      const notTarget = await api('post', `tickets/${ticket.id}/accept-assignment`, other.token, {
        noConflict: true,
      }).expect(404);
      expect(notTarget.body.code).toBe('TICKET_NOT_FOUND');
      await api('post', `tickets/${ticket.id}/accept-assignment`, mediator.token, {
        noConflict: true,
      }).expect(200);
      const after = await ticketOf(ticket.id);
      expect(after.assignment).toBe('accepted');
      expect(after.mediatorAcceptedAt).not.toBeNull();
      expect((await clocksOf(ticket.id)).map((d) => d.status)).toEqual(['met']);
    });

    it('a declined offer goes back to unassigned with its clock cancelled; a reason is required', async () => {
      const { ticket } = await ticketWithParties(t);
      const mediator = await createMediator(t);
      await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: mediator.id,
      }).expect(200);
      const blank = await api('post', `tickets/${ticket.id}/decline-assignment`, mediator.token, {
        reason: ' ',
      }).expect(400);
      expect(blank.body.code).toBe('REASON_REQUIRED');
      await api('post', `tickets/${ticket.id}/decline-assignment`, mediator.token, {
        reason: '本人近期无法承办。',
      }).expect(200);
      const after = await ticketOf(ticket.id);
      expect(after).toMatchObject({ assignment: 'none', mediatorUserId: null });
      expect((await clocksOf(ticket.id)).map((d) => d.status)).toEqual(['cancelled']);
      // Declined: the ticket is no longer the mediator's to see.
      await api('get', `tickets/${ticket.id}/messages`, mediator.token).expect(404);
    });

    it('only staff assign; a firm user or mediator gets 403', async () => {
      const { ticket, firmAdmin } = await ticketWithParties(t);
      const mediator = await createMediator(t);
      await api('post', `tickets/${ticket.id}/assign`, firmAdmin.token, {
        mediatorUserId: mediator.id,
      }).expect(403);
      await api('post', `tickets/${ticket.id}/assign`, mediator.token, {
        mediatorUserId: mediator.id,
      }).expect(403);
      await t.http
        .post(`/api/v1/disputes/tickets/${ticket.id}/assign`)
        .send({ mediatorUserId: mediator.id })
        .expect(401);
    });
  });

  describe('auto-assign', () => {
    it('offers the ticket to the least-loaded eligible mediator', async () => {
      const { ticket, firmId } = await ticketWithParties(t);
      const busy = await createMediator(t);
      const conflicted = await createMediator(t);
      const lighter = await createMediator(t);
      const idle = await createMediator(t, { status: 'inactive' });
      await onlyActive(busy.id, conflicted.id, lighter.id);
      await declare(conflicted.id, firmId);
      // busy holds two open cases, lighter one; a closed case does not count.
      await createTicket(t, {
        mediatorUserId: busy.id,
        assignment: 'accepted',
        state: 'in_mediation',
      });
      await createTicket(t, {
        mediatorUserId: busy.id,
        assignment: 'offered',
        state: 'awaiting_response',
      });
      await createTicket(t, {
        mediatorUserId: lighter.id,
        assignment: 'accepted',
        state: 'in_mediation',
      });
      await createTicket(t, {
        mediatorUserId: lighter.id,
        assignment: 'accepted',
        state: 'closed',
      });
      const res = await api('post', `tickets/${ticket.id}/auto-assign`, staff.token, {}).expect(
        200,
      );
      expect(res.body.mediatorUserId).toBe(lighter.id);
      expect(res.body.mediatorUserId).not.toBe(idle.id);
    });

    it('breaks ties by user id, and answers NO_ELIGIBLE_MEDIATOR when nobody can take it', async () => {
      const { ticket, firmId } = await ticketWithParties(t);
      const a = await createMediator(t);
      const b = await createMediator(t);
      await onlyActive(a.id, b.id);
      const res = await api('post', `tickets/${ticket.id}/auto-assign`, staff.token, {}).expect(
        200,
      );
      expect(res.body.mediatorUserId).toBe([a.id, b.id].sort()[0]);

      const second = await ticketWithParties(t, {});
      await declare(a.id, second.firmId);
      await declare(b.id, second.firmId);
      const none = await api(
        'post',
        `tickets/${second.ticket.id}/auto-assign`,
        staff.token,
        {},
      ).expect(409);
      expect(none.body.code).toBe('NO_ELIGIBLE_MEDIATOR');
      expect(firmId).not.toBe(second.firmId);
    });
  });

  describe('open pool', () => {
    it('lists an open ticket only to eligible mediators', async () => {
      const { ticket, firmId } = await ticketWithParties(t);
      const eligible = await createMediator(t);
      const conflicted = await createMediator(t);
      await declare(conflicted.id, firmId);
      await api('post', `tickets/${ticket.id}/open-pool`, staff.token, {}).expect(200);
      const seen = await api('get', 'pool', eligible.token).expect(200);
      const ids = (res: { body: unknown }) =>
        (res.body as { items: Array<{ id: string }> }).items.map((i) => i.id);
      expect(ids(seen)).toContain(ticket.id);
      expect(Object.keys(seen.body.items[0] as object)).not.toContain('facts');
      const hidden = await api('get', 'pool', conflicted.token).expect(200);
      expect(ids(hidden)).not.toContain(ticket.id);
      const refused = await api(
        'post',
        `tickets/${ticket.id}/accept-assignment`,
        conflicted.token,
        {
          noConflict: true,
        },
      ).expect(409);
      expect(refused.body.code).toBe('MEDIATOR_CONFLICT');
    });

    it('two mediators accepting the same open ticket at once: one 200, the other refused', async () => {
      const { ticket } = await ticketWithParties(t);
      const first = await createMediator(t);
      const second = await createMediator(t);
      await api('post', `tickets/${ticket.id}/open-pool`, staff.token, {}).expect(200);
      const results = await Promise.all(
        [first, second].map((m) =>
          api('post', `tickets/${ticket.id}/accept-assignment`, m.token, { noConflict: true }),
        ),
      );
      // The loser is told the ticket is not there for them (it is another mediator's now), or
      // CONFLICT when both read it open at once (PostgreSQL).
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect([404, 409]).toContain(statuses[1]);
      const winner = results.find((r) => r.status === 200)!.body.mediatorUserId as string;
      const after = await ticketOf(ticket.id);
      expect(after).toMatchObject({ assignment: 'accepted', mediatorUserId: winner });
      expect(after.version).toBe(ticket.version + 2);
      expect((await clocksOf(ticket.id)).map((d) => d.status)).toEqual(['met']);
    });
  });

  describe('challenges', () => {
    it('lets each party challenge once, with reasons', async () => {
      const s = await mediatedTicket(t);
      const path = `tickets/${s.ticket.id}/challenges`;
      const blank = await api('post', path, s.complainant.token, { reason: '' }).expect(400);
      expect(blank.body.code).toBe('REASON_REQUIRED');
      await api('post', path, s.complainant.token, { reason: '调解员曾为该机构代理案件。' }).expect(
        201,
      );
      const again = await api('post', path, s.complainant.token, { reason: '再次申请。' }).expect(
        409,
      );
      expect(again.body.code).toBe('CHALLENGE_USED');
      const member = await createUser(t, { role: 'firm_member', firmId: s.firmId });
      await api('post', path, await apiToken(t, member), { reason: '成员不可申请。' }).expect(403);
      await api('post', path, s.firmAdmin.token, { reason: '调解员立场不中立。' }).expect(201);
      await api('post', path, s.firmAdmin.token, { reason: '再次申请。' }).expect(409);
      const other = await loginAs(t, 'complainant');
      await api('post', path, other.token, { reason: '无关的人。' }).expect(404);
      // A party sees only its own challenge; staff see both.
      const own = await api('get', path, s.complainant.token).expect(200);
      expect(own.body.items).toHaveLength(1);
      const all = await api('get', path, staff.token).expect(200);
      expect(all.body.items).toHaveLength(2);
    });

    it('refuses a challenge when no mediator is on the case', async () => {
      const s = await ticketWithParties(t);
      const res = await api('post', `tickets/${s.ticket.id}/challenges`, s.complainant.token, {
        reason: '理由',
      }).expect(409);
      expect(res.body.code).toBe('NO_MEDIATOR');
    });

    it('upheld: the mediator is released and is never offered this ticket again', async () => {
      const s = await mediatedTicket(t);
      const challenge = await api(
        'post',
        `tickets/${s.ticket.id}/challenges`,
        s.complainant.token,
        {
          reason: '调解员与机构负责人为亲属。',
        },
      ).expect(201);
      await api('post', `challenges/${challenge.body.id}/decide`, s.firmAdmin.token, {
        decision: 'upheld',
        note: 'x',
      }).expect(403);
      const decided = await api('post', `challenges/${challenge.body.id}/decide`, staff.token, {
        decision: 'upheld',
        note: '经核实，存在利害关系。',
      }).expect(200);
      expect(decided.body).toMatchObject({
        decision: 'upheld',
        decisionNote: '经核实，存在利害关系。',
      });
      expect(await ticketOf(s.ticket.id)).toMatchObject({
        assignment: 'none',
        mediatorUserId: null,
      });
      const twice = await api('post', `challenges/${challenge.body.id}/decide`, staff.token, {
        decision: 'dismissed',
        note: '改变主意。',
      }).expect(409);
      expect(twice.body.code).toBe('CHALLENGE_DECIDED');
      const again = await api('post', `tickets/${s.ticket.id}/assign`, staff.token, {
        mediatorUserId: s.mediator.id,
      }).expect(409);
      expect(again.body.code).toBe('MEDIATOR_CONFLICT');
      await onlyActive(s.mediator.id);
      const auto = await api('post', `tickets/${s.ticket.id}/auto-assign`, staff.token, {}).expect(
        409,
      );
      expect(auto.body.code).toBe('NO_ELIGIBLE_MEDIATOR');
    });

    it('dismissed: the mediator stays on the case', async () => {
      const s = await mediatedTicket(t);
      const challenge = await api('post', `tickets/${s.ticket.id}/challenges`, s.firmAdmin.token, {
        reason: '调解员拖延。',
      }).expect(201);
      await api('post', `challenges/${challenge.body.id}/decide`, staff.token, {
        decision: 'dismissed',
        note: '未发现拖延。',
      }).expect(200);
      expect(await ticketOf(s.ticket.id)).toMatchObject({
        assignment: 'accepted',
        mediatorUserId: s.mediator.id,
      });
    });
  });

  describe('contact release', () => {
    it('only the accepted mediator releases the contact details, once', async () => {
      const s = await mediatedTicket(t);
      await api('post', `tickets/${s.ticket.id}/release-contact`, s.firmAdmin.token, {}).expect(
        403,
      );
      const res = await api(
        'post',
        `tickets/${s.ticket.id}/release-contact`,
        s.mediator.token,
        {},
      ).expect(200);
      expect(res.body.contactReleasedAt).not.toBeNull();
      const again = await api(
        'post',
        `tickets/${s.ticket.id}/release-contact`,
        s.mediator.token,
        {},
      ).expect(200);
      expect(again.body.contactReleasedAt).toBe(res.body.contactReleasedAt);
    });
  });

  describe('home tasks', () => {
    it('tells a mediator of cases offered to them and staff of challenges to decide', async () => {
      const { ticket } = await ticketWithParties(t);
      const mediator = await createMediator(t);
      await api('post', `tickets/${ticket.id}/assign`, staff.token, {
        mediatorUserId: mediator.id,
      }).expect(200);
      const home = await (await signInWeb(t, mediator)).get('/').expect(200);
      expect(home.text).toContain('data-task="disputes.mediation.offered"');
      expect(home.text).toContain('1 件投诉待您接受');
      const s = await mediatedTicket(t);
      await api('post', `tickets/${s.ticket.id}/challenges`, s.complainant.token, {
        reason: '理由。',
      }).expect(201);
      const staffHome = await (await signInWeb(t, staff)).get('/').expect(200);
      expect(staffHome.text).toContain('data-task="disputes.mediation.challenges"');
    });
  });
});
