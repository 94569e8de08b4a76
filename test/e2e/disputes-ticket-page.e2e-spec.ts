import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import {
  createDraftViaApi,
  createMediator,
  FILING_CONSENT,
  ticketWithParties,
} from '../factories/disputes.js';
import { pdfOfSize, SAMPLE_PDF } from '../factories/firm-portal.js';
import { createFirm, loginAs } from '../factories/index.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { csrfOf, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const MAX_BYTES = 4096;

describe('the ticket page and the filing pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
  });
  afterAll(() => t.close());

  it('files a complaint through the pages: draft, evidence, consent, then the ticket page', async () => {
    const firm = await createFirm(t);
    const c = await loginAs(t, 'complainant');
    const agent = await signInWeb(t, c);
    const _csrf = await csrfOf(agent, '/disputes/new');
    const created = await agent.post('/disputes/new').type('form').send({
      _csrf,
      firmId: firm.id,
      category: 'fee_dispute',
      amount: '88.80',
      facts: '多收了费用',
      claim: '退还',
      contactPhone: '',
      accountRef: '',
    });
    expect(created.status).toBe(303);
    const editUrl = created.headers.location.split('?')[0];
    const id = editUrl.split('/')[3];
    const csrf2 = await csrfOf(agent, editUrl);
    const uploaded = await agent
      .post(`/disputes/tickets/${id}/evidence?_csrf=${csrf2}`)
      .attach('file', SAMPLE_PDF, { filename: '合同.pdf', contentType: 'application/pdf' });
    expect(uploaded.status).toBe(303);
    const noConsent = await agent
      .post(`/disputes/tickets/${id}/file`)
      .type('form')
      .send({ _csrf: csrf2, rulesVersion: 'rules-2026-1' });
    expect(noConsent.headers.location).toContain('error=CONSENT_REQUIRED');
    const filed = await agent
      .post(`/disputes/tickets/${id}/file`)
      .type('form')
      .send({ _csrf: csrf2, rulesVersion: 'rules-2026-1', consent: 'yes' });
    expect(filed.status).toBe(303);
    const page = await agent.get(filed.headers.location).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/SZIFA-M-\d{4}-\d{6}/);
    expect(page.text).toContain('88.80 元');
    expect(page.text).toContain('合同.pdf');
    expect(page.text).toContain('data-testid="ticket-timeline"');
    expect(page.text.indexOf('ticket-summary')).toBeLessThan(page.text.indexOf('ticket-timeline'));
  });

  it('re-renders the draft form with the reason beside the amount', async () => {
    const c = await loginAs(t, 'complainant');
    const agent = await signInWeb(t, c);
    const _csrf = await csrfOf(agent, '/disputes/new');
    const res = await agent.post('/disputes/new').type('form').send({ _csrf, amount: '1.234' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('f-amount-error');
  });

  it('shows the firm the masked complainant and no details before acceptance; 404 to other firms', async () => {
    const setup = await ticketWithParties(t, { state: 'filed' });
    const firmAgent = await signInWeb(t, setup.firmAdmin);
    const page = await firmAgent
      .get(`/disputes/tickets/${setup.ticket.id}`)
      .set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('summary-details-hidden');
    expect(page.text).not.toContain(setup.complainant.email);
    expect(page.text).not.toContain(setup.ticket.facts);
    await writeDb(t, (em) =>
      em.update(
        DisputeTicket,
        { id: setup.ticket.id },
        { state: 'awaiting_response', triagedAt: new Date() },
      ),
    );
    const accepted = await firmAgent
      .get(`/disputes/tickets/${setup.ticket.id}`)
      .set('Accept', 'text/html');
    expect(accepted.text).toContain(setup.ticket.facts);
    expect(accepted.text).not.toContain(setup.complainant.email);
    const other = await loginAs(t, 'firm_admin');
    const otherPage = await (
      await signInWeb(t, other)
    )
      .get(`/disputes/tickets/${setup.ticket.id}`)
      .set('Accept', 'text/html');
    expect(otherPage.status).toBe(404);
  });

  it('serves the rules with their fingerprint and the respondent picker publicly', async () => {
    const rules = await t.http.get('/api/v1/disputes/rules');
    expect(rules.status).toBe(200);
    expect(rules.body.version).toBe('rules-2026-1');
    expect(rules.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const firm = await createFirm(t, {
      name: '前海测试支付有限公司',
      searchText: '前海测试支付有限公司',
    });
    const found = await t.http.get('/api/v1/disputes/respondents').query({ q: '前海测试' });
    const items = (found.body as { items: Array<{ id: string }> }).items;
    expect(items.map((i) => i.id)).toContain(firm.id);
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firm.id);
    const timeline = await t.http
      .post(`/api/v1/disputes/tickets/${draft.id}/file`)
      .set(...bearer(c.token))
      .send(FILING_CONSENT);
    expect(timeline.status).toBe(200);
  });

  it('sends an oversize evidence upload back to the draft form with the reason (413)', async () => {
    const firm = await createFirm(t);
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firm.id);
    const agent = await signInWeb(t, c);
    const editUrl = `/disputes/tickets/${draft.id}/edit`;
    const _csrf = await csrfOf(agent, editUrl);
    const res = await agent
      .post(`/disputes/tickets/${draft.id}/evidence?_csrf=${_csrf}`)
      .attach('file', pdfOfSize(MAX_BYTES + 100), {
        filename: 'big.pdf',
        contentType: 'application/pdf',
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('error=PAYLOAD_TOO_LARGE');
    const script = await agent
      .post(`/disputes/tickets/${draft.id}/evidence?_csrf=${_csrf}`)
      .attach('file', Buffer.from('<html></html>'), {
        filename: 'x.pdf',
        contentType: 'application/pdf',
      });
    const back = await agent.get(script.headers.location).set('Accept', 'text/html');
    expect(back.text).toContain('PDF、JPEG 或 PNG');
  });

  it('asks a complainant with a draft to finish it on the home page', async () => {
    const firm = await createFirm(t);
    const c = await loginAs(t, 'complainant');
    await createDraftViaApi(t, c.token, firm.id);
    const home = await (await signInWeb(t, c)).get('/').set('Accept', 'text/html');
    expect(home.text).toContain('data-task="disputes.finish-draft"');
  });

  it('renders the firm, mediator and staff lists and the ticket page for each of them', async () => {
    const mediator = await createMediator(t);
    const setup = await ticketWithParties(t, {
      state: 'in_mediation',
      triagedAt: new Date(),
      mediatorUserId: mediator.id,
      assignment: 'accepted',
    });
    const staff = await loginAs(t, 'staff_reviewer');
    for (const [user, list] of [
      [setup.firmAdmin, '/firm/disputes'],
      [mediator, '/mediator/cases'],
      [staff, '/staff/disputes'],
    ] as const) {
      const agent = await signInWeb(t, user);
      const listPage = await agent.get(list).set('Accept', 'text/html');
      expect(listPage.status).toBe(200);
      expect(listPage.text).toContain(setup.ticket.number ?? '');
      const page = await agent
        .get(`/disputes/tickets/${setup.ticket.id}`)
        .set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain(setup.ticket.facts);
    }
  });
});
