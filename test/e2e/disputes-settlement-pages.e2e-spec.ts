import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LoginFailure } from '../../src/modules/auth/entities/login-failure.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { SettlementSignature } from '../../src/modules/disputes/entities/settlement-signature.entity.js';
import { Settlement } from '../../src/modules/disputes/entities/settlement.entity.js';
import { daysFromToday, mediationWithSignatory } from '../factories/disputes.js';
import { writeDb } from '../helpers/auth-flows.js';
import { csrfOf, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

function task(html: string, id: string): string {
  const match = new RegExp(
    `<li class="task [^"]*" data-task="${id.replace('.', '\\.')}">[\\s\\S]*?</li>`,
  ).exec(html);
  return match ? match[0] : '';
}

describe('disputes settlement pages: draft, send, sign, perform, confirm', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => writeDb(t, (m) => m.clear(LoginFailure)));

  it('walks a settlement from the mediator’s draft to the complainant’s confirmation through the pages', async () => {
    const s = await mediationWithSignatory(t);
    const ticketPage = `/disputes/tickets/${s.ticket.id}`;
    const settlements = () =>
      t.dataSource.getRepository(Settlement).findBy({ ticketId: s.ticket.id });

    // The mediator drafts; a bad amount is shown beside its field and nothing is stored.
    const mediator = await signInWeb(t, s.mediator);
    const newPage = `/disputes/tickets/${s.ticket.id}/settlements/new`;
    const form = await mediator.get(newPage).expect(200);
    expect(form.text).toContain('data-testid="settlement-form"');
    const _csrf = await csrfOf(mediator, newPage);
    const fields = {
      _csrf,
      facts: '平台多收服务费。',
      terms: '乙方退还服务费 <全额>。',
      amount: '1234.567',
      performanceDeadline: daysFromToday(10),
    };
    const bad = await mediator
      .post(`/disputes/tickets/${s.ticket.id}/settlements`)
      .type('form')
      .send(fields);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('f-amount-error');
    expect(await settlements()).toHaveLength(0);
    await mediator
      .post(`/disputes/tickets/${s.ticket.id}/settlements`)
      .type('form')
      .send({ ...fields, amount: '1234.56' })
      .expect(303);
    const [draft] = await settlements();
    expect(draft).toMatchObject({ status: 'draft', amountFen: 123456 });
    const section = await mediator.get(ticketPage).expect(200);
    expect(section.text).toContain('data-testid="dispute-settlement"');
    expect(section.text).toContain('乙方退还服务费 &lt;全额&gt;。');
    const sent = await mediator
      .post(`/disputes/tickets/${s.ticket.id}/settlement-send`)
      .type('form')
      .send({ _csrf: await csrfOf(mediator, ticketPage), settlementId: draft.id });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toContain('done=settlement.done.sent');

    // The complainant is asked to sign, reads the frozen text, and signs after a wrong password.
    const complainant = await signInWeb(t, s.complainant);
    const home = await complainant.get('/').expect(200);
    const signPath = `/disputes/settlements/${draft.id}/sign`;
    expect(task(home.text, 'disputes.sign-settlement')).toContain(`href="${signPath}"`);
    const ceremony = await complainant.get(signPath).expect(200);
    expect(ceremony.text).toContain(s.names.complainant);
    expect(ceremony.text).toContain('settlement-consent-v1');
    expect(ceremony.text).not.toContain('f-signerTitle');
    const signCsrf = await csrfOf(complainant, signPath);
    const wrong = await complainant.post(signPath).type('form').send({
      _csrf: signCsrf,
      typedName: s.names.complainant,
      consent: 'yes',
      password: 'wrong-password-1',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('f-password-error');
    expect(
      await t.dataSource.getRepository(SettlementSignature).countBy({ settlementId: draft.id }),
    ).toBe(0);
    await complainant
      .post(signPath)
      .type('form')
      .send({
        _csrf: signCsrf,
        typedName: s.names.complainant,
        consent: 'yes',
        password: s.complainant.password,
      })
      .expect(303);

    // The firm's signatory signs with a title: the ticket is settled.
    const firm = await signInWeb(t, s.firmAdmin);
    const firmCeremony = await firm.get(signPath).expect(200);
    expect(firmCeremony.text).toContain('f-signerTitle');
    await firm
      .post(signPath)
      .type('form')
      .send({
        _csrf: await csrfOf(firm, signPath),
        typedName: s.names.firmAdmin,
        signerTitle: '法定代表人',
        consent: 'yes',
        password: s.firmAdmin.password,
      })
      .expect(303);
    const ticket = () =>
      t.dataSource.getRepository(DisputeTicket).findOneByOrFail({ id: s.ticket.id });
    expect((await ticket()).state).toBe('settled');

    // The firm records performance; the complainant confirms; the survey section appears.
    const firmTicket = await firm.get(ticketPage).expect(200);
    expect(firmTicket.text).toContain('data-testid="settlement-record-performance"');
    await firm
      .post(`/disputes/tickets/${s.ticket.id}/performance`)
      .type('form')
      .send({ _csrf: await csrfOf(firm, ticketPage), note: '已全额退款。', version: '' })
      .expect(303);
    const complainantTicket = await complainant.get(ticketPage).expect(200);
    expect(complainantTicket.text).toContain('data-testid="settlement-confirm-performance"');
    expect(complainantTicket.text).toContain('data-testid="settlement-reopen"');
    const confirmed = await complainant
      .post(`/disputes/tickets/${s.ticket.id}/confirm-performance`)
      .type('form')
      .send({
        _csrf: await csrfOf(complainant, ticketPage),
        version: String((await ticket()).version),
      });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toContain('done=settlement.done.confirmed');
    expect((await ticket()).state).toBe('closed');
    const closedPage = await complainant.get(ticketPage).expect(200);
    expect(closedPage.text).toContain(`href="/disputes/tickets/${s.ticket.id}/survey"`);
    expect(closedPage.text).toContain(`href="/disputes/tickets/${s.ticket.id}/judicial-export"`);
  });

  it('sends a stale form back with a conflict notice instead of acting on it', async () => {
    const s = await mediationWithSignatory(t);
    const ticketPage = `/disputes/tickets/${s.ticket.id}`;
    const complainant = await signInWeb(t, s.complainant);
    const res = await complainant
      .post(`/disputes/tickets/${s.ticket.id}/reopen`)
      .type('form')
      .send({ _csrf: await csrfOf(complainant, ticketPage), reason: '未履行', version: '999' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('error=CONFLICT');
  });
});
