import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LoginFailure } from '../../src/modules/auth/entities/login-failure.entity.js';
import type { SurveySummary } from '../../src/modules/disputes/surveys.service.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import {
  createMediator,
  createTicket,
  mediationWithSignatory,
  sendSettlement,
  signSettlementByBoth,
} from '../factories/disputes.js';
import { createFirm, loginAs } from '../factories/index.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { csrfOf, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

function task(html: string, id: string): string {
  const match = new RegExp(
    `<li class="task [^"]*" data-task="${id.replace('.', '\\.')}">[\\s\\S]*?</li>`,
  ).exec(html);
  return match ? match[0] : '';
}

describe('disputes satisfaction survey', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => writeDb(t, (m) => m.clear(LoginFailure)));

  const rate = (token: string, ticketId: string, body: Record<string, unknown>) =>
    t.http
      .post(`/api/v1/disputes/tickets/${ticketId}/survey`)
      .set(...bearer(token))
      .send(body);

  it('opens only once the ticket is closed, takes one rating from the complainant, and no second', async () => {
    const s = await mediationWithSignatory(t);
    const settlementId = String((await sendSettlement(t, s)).id);
    await signSettlementByBoth(t, s, settlementId);
    const early = await rate(s.complainant.token, s.ticket.id, { rating: 5 });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SURVEY_NOT_OPEN');
    await t.http
      .post(`/api/v1/disputes/tickets/${s.ticket.id}/performance`)
      .set(...bearer(s.firmAdmin.token))
      .send({ note: '已退款' })
      .expect(200);
    await t.http
      .post(`/api/v1/disputes/tickets/${s.ticket.id}/confirm-performance`)
      .set(...bearer(s.complainant.token))
      .send({})
      .expect(200);
    await rate(s.complainant.token, s.ticket.id, { rating: 6 }).expect(400);
    await rate(s.complainant.token, s.ticket.id, { rating: 4, comment: 'x'.repeat(2001) }).expect(
      400,
    );
    await rate(s.firmAdmin.token, s.ticket.id, { rating: 5 }).expect(403);
    const outsider = await loginAs(t, 'complainant');
    await rate(outsider.token, s.ticket.id, { rating: 5 }).expect(404);
    const done = await rate(s.complainant.token, s.ticket.id, {
      rating: 4,
      comment: '调解员很耐心。',
    });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ rating: 4, comment: '调解员很耐心。' });
    const twice = await rate(s.complainant.token, s.ticket.id, { rating: 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('SURVEY_DONE');
  });

  it('asks the complainant to rate on the home page and by the survey page, until rated', async () => {
    const complainant = await loginAs(t, 'complainant');
    const ticket = await createTicket(t, {
      state: 'closed',
      outcome: 'withdrawn',
      closedAt: new Date(),
      complainantUserId: complainant.id,
    });
    const agent = await signInWeb(t, complainant);
    const home = await agent.get('/').expect(200);
    expect(task(home.text, 'disputes.rate-service')).toContain(
      `href="/disputes/tickets/${ticket.id}/survey"`,
    );
    const page = `/disputes/tickets/${ticket.id}/survey`;
    const _csrf = await csrfOf(agent, page);
    const bad = await agent.post(page).type('form').send({ _csrf, rating: '9' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('field-error');
    await agent
      .post(page)
      .type('form')
      .send({ _csrf, rating: '5', comment: '<b>很满意</b>' })
      .expect(303);
    const after = await agent.get(`${page}?done=1`).expect(200);
    expect(after.text).toContain('&lt;b&gt;很满意&lt;/b&gt;');
    const homeAfter = await agent.get('/').expect(200);
    expect(task(homeAfter.text, 'disputes.rate-service')).toBe('');
  });

  it('shows staff averages and counts per mediator and per firm, with names and recent comments', async () => {
    const mediator = await createMediator(t, {});
    const firm = await createFirm(t);
    const ratings = [5, 2];
    for (const [i, rating] of ratings.entries()) {
      const complainant = await loginAs(t, 'complainant');
      const ticket = await createTicket(t, {
        state: 'closed',
        outcome: 'settled',
        closedAt: new Date(),
        mediatorUserId: mediator.id,
        assignment: 'accepted',
        firmId: firm.id,
        complainantUserId: complainant.id,
      });
      await rate(complainant.token, ticket.id, { rating, comment: `评语${i}-${firm.id}` }).expect(
        201,
      );
    }
    const staff = await loginAs(t, 'staff_reviewer');
    const byMediator = await t.http
      .get('/api/v1/disputes/surveys/summary?by=mediator')
      .set(...bearer(staff.token))
      .expect(200);
    const mediatorName = (
      await t.dataSource.getRepository(User).findOneByOrFail({ id: mediator.id })
    ).name;
    expect(byMediator.body.groups).toContainEqual({
      id: mediator.id,
      name: mediatorName,
      count: 2,
      average: 3.5,
    });
    const byFirm = await t.http
      .get('/api/v1/disputes/surveys/summary?by=firm')
      .set(...bearer(staff.token))
      .expect(200);
    const firmName = (await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id })).name;
    expect(byFirm.body.groups).toContainEqual({
      id: firm.id,
      name: firmName,
      count: 2,
      average: 3.5,
    });
    const summary = byFirm.body as SurveySummary;
    expect(summary.recentComments.map((c) => c.comment)).toContain(`评语1-${firm.id}`);
    const mediatorToken = mediator.token;
    await t.http
      .get('/api/v1/disputes/surveys/summary')
      .set(...bearer(mediatorToken))
      .expect(403);

    const agent = await signInWeb(t, staff);
    const page = await agent.get('/staff/disputes/surveys').expect(200);
    expect(page.text).toContain(mediatorName);
    expect(page.text).toContain(firmName);
    expect(page.text).toContain(`评语0-${firm.id}`);
  });
});
