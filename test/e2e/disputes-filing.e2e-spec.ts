import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DisputeAttachment } from '../../src/modules/disputes/entities/dispute-attachment.entity.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { TicketEventsService } from '../../src/modules/disputes/ticket-events.service.js';
import {
  createDraftViaApi,
  createMediator,
  createTicket,
  FILING_CONSENT,
  ticketWithParties,
} from '../factories/disputes.js';
import { pdfOfSize, SAMPLE_PDF, SAMPLE_PNG, storedFiles } from '../factories/firm-portal.js';
import { apiToken, createFirm, createUser, loginAs } from '../factories/index.js';
import { bearer, lastEmail, writeDb } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const MAX_BYTES = 4096;

describe('filing a complaint', () => {
  let t: TestApp;
  let firmId: string;
  beforeAll(async () => {
    t = await startTestApp({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
    firmId = (await createFirm(t)).id;
  });
  afterAll(() => t.close());

  const ticketRow = (id: string) =>
    t.dataSource.getRepository(DisputeTicket).findOneByOrFail({ id });

  it('keeps the amount exactly in fen: "0.1" is 10, "19.99" is 1999, "0.30" is 30', async () => {
    const c = await loginAs(t, 'complainant');
    for (const [amount, fen] of [
      ['0.1', 10],
      ['0.2', 20],
      ['19.99', 1999],
      ['0.30', 30],
      ['1234567.89', 123456789],
    ] as const) {
      const draft = await createDraftViaApi(t, c.token, firmId, { amount });
      expect((await ticketRow(draft.id)).amountFen).toBe(fen);
    }
  });

  it('refuses an amount with more than two decimals, a sign or letters', async () => {
    const c = await loginAs(t, 'complainant');
    for (const amount of ['1.234', '-5', '1e3', 'abc', '0.1.2']) {
      const res = await t.http
        .post('/api/v1/disputes/tickets')
        .set(...bearer(c.token))
        .send({ amount });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('AMOUNT_INVALID');
    }
  });

  it('refuses a respondent that is not a current member, and an unknown category', async () => {
    const c = await loginAs(t, 'complainant');
    const applicant = await createFirm(t, { status: 'applicant' });
    const notMember = await t.http
      .post('/api/v1/disputes/tickets')
      .set(...bearer(c.token))
      .send({ firmId: applicant.id });
    expect(notMember.status).toBe(400);
    expect(notMember.body.code).toBe('RESPONDENT_NOT_MEMBER');
    const badCategory = await t.http
      .post('/api/v1/disputes/tickets')
      .set(...bearer(c.token))
      .send({ category: 'lottery' });
    expect(badCategory.body.code).toBe('CATEGORY_INVALID');
  });

  it('keeps a partial draft, and refuses to file it until it is complete', async () => {
    const c = await loginAs(t, 'complainant');
    const res = await t.http
      .post('/api/v1/disputes/tickets')
      .set(...bearer(c.token))
      .send({ facts: '只写了经过' });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('draft');
    const filed = await t.http
      .post(`/api/v1/disputes/tickets/${res.body.id}/file`)
      .set(...bearer(c.token))
      .send(FILING_CONSENT);
    expect(filed.status).toBe(400);
    expect(filed.body.code).toBe('DRAFT_INCOMPLETE');
    expect((await ticketRow(res.body.id)).number).toBeNull();
  });

  it('refuses to file without consent to the current rules version', async () => {
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firmId);
    for (const body of [
      {},
      { consent: false, rulesVersion: 'rules-2026-1' },
      { consent: true, rulesVersion: 'rules-2020-1' },
    ]) {
      const res = await t.http
        .post(`/api/v1/disputes/tickets/${draft.id}/file`)
        .set(...bearer(c.token))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('CONSENT_REQUIRED');
    }
  });

  it('refuses to file for a complainant whose e-mail is not verified', async () => {
    const user = await createUser(t, { role: 'complainant', verified: false });
    const token = await apiToken(t, user);
    const draft = await createDraftViaApi(t, token, firmId);
    const res = await t.http
      .post(`/api/v1/disputes/tickets/${draft.id}/file`)
      .set(...bearer(token))
      .send(FILING_CONSENT);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('EMAIL_NOT_VERIFIED');
  });

  it('files: number, rules version, triage clock, receipt e-mail and a notice to staff', async () => {
    const staff = await loginAs(t, 'staff_admin');
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firmId);
    const res = await t.http
      .post(`/api/v1/disputes/tickets/${draft.id}/file`)
      .set(...bearer(c.token))
      .send(FILING_CONSENT);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('filed');
    expect(res.body.number).toMatch(/^SZIFA-M-\d{4}-\d{6}$/);
    expect(res.body.consentVersion).toBe('rules-2026-1');
    const clocks = await t.dataSource.getRepository(DisputeDeadline).findBy({ ticketId: draft.id });
    expect(clocks.map((d) => [d.kind, d.status])).toEqual([['triage', 'open']]);
    const receipt = await lastEmail(t, c.email, 'dispute-filed');
    expect(receipt.subject).toContain(res.body.number);
    const notes = await t.http.get('/api/v1/notifications').set(...bearer(staff.token));
    expect(JSON.stringify(notes.body)).toContain(res.body.number);
    const again = await t.http
      .post(`/api/v1/disputes/tickets/${draft.id}/file`)
      .set(...bearer(c.token))
      .send(FILING_CONSENT);
    expect(again.status).toBe(409);
  });

  it('refuses an edit made on a stale version of the draft (409) and edits a current one', async () => {
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firmId);
    const ok = await t.http
      .patch(`/api/v1/disputes/tickets/${draft.id}`)
      .set(...bearer(c.token))
      .send({ claim: '全额退款', expectedVersion: draft.version });
    expect(ok.status).toBe(200);
    expect(ok.body.claim).toBe('全额退款');
    const stale = await t.http
      .patch(`/api/v1/disputes/tickets/${draft.id}`)
      .set(...bearer(c.token))
      .send({ claim: '部分退款', expectedVersion: draft.version });
    expect(stale.status).toBe(409);
  });

  it('shows parties only the history meant for all; the mediator and staff see internal entries', async () => {
    const mediator = await createMediator(t);
    const setup = await ticketWithParties(t, {
      state: 'in_mediation',
      triagedAt: new Date(),
      mediatorUserId: mediator.id,
      assignment: 'accepted',
    });
    await writeDb(t, (em) =>
      t.app.get(TicketEventsService).record(em, {
        ticket: setup.ticket,
        actor: { id: mediator.id, role: 'mediator' },
        party: 'mediator',
        action: 'message_posted',
        audience: 'internal',
      }),
    );
    const actions = async (token: string): Promise<string[]> => {
      const res = await t.http
        .get(`/api/v1/disputes/tickets/${setup.ticket.id}/timeline`)
        .set(...bearer(token));
      expect(res.status).toBe(200);
      return (res.body as { items: Array<{ action: string }> }).items.map((i) => i.action);
    };
    expect(await actions(setup.complainant.token)).not.toContain('message_posted');
    expect(await actions(setup.firmAdmin.token)).not.toContain('message_posted');
    expect(await actions(mediator.token)).toContain('message_posted');
    const staff = await loginAs(t, 'staff_admin');
    expect(await actions(staff.token)).toContain('message_posted');
  });

  it('shows a draft to nobody but its author (404 for everyone else)', async () => {
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firmId);
    const others = [
      await loginAs(t, 'complainant'),
      await loginAs(t, 'firm_admin', { firmId }),
      await loginAs(t, 'staff_admin'),
      await createMediator(t),
    ];
    for (const other of others) {
      const res = await t.http
        .get(`/api/v1/disputes/tickets/${draft.id}`)
        .set(...bearer(other.token));
      expect(res.status).toBe(404);
      const patch = await t.http
        .patch(`/api/v1/disputes/tickets/${draft.id}`)
        .set(...bearer(other.token))
        .send({ facts: 'x' });
      expect([403, 404]).toContain(patch.status);
    }
    expect(
      (await t.http.get(`/api/v1/disputes/tickets/${draft.id}`).set(...bearer(c.token))).status,
    ).toBe(200);
  });
});

describe('evidence uploads', () => {
  let t: TestApp;
  let firmId: string;
  beforeAll(async () => {
    t = await startTestApp({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
    firmId = (await createFirm(t)).id;
  });
  afterAll(() => t.close());

  const upload = (token: string, id: string, bytes: Buffer, name: string) =>
    t.http
      .post(`/api/v1/disputes/tickets/${id}/attachments`)
      .set(...bearer(token))
      .attach('file', bytes, { filename: name, contentType: 'application/pdf' });

  it('refuses a script named .pdf (415) and an oversize file (413), keeping nothing', async () => {
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firmId);
    const before = storedFiles(t).length;
    const script = await upload(c.token, draft.id, Buffer.from('#!/bin/sh\nrm -rf /\n'), 'x.pdf');
    expect(script.status).toBe(415);
    const big = await upload(c.token, draft.id, pdfOfSize(MAX_BYTES + 10), 'big.pdf');
    expect(big.status).toBe(413);
    expect(storedFiles(t).length).toBe(before);
    expect(
      await t.dataSource.getRepository(DisputeAttachment).countBy({ ticketId: draft.id }),
    ).toBe(0);
  });

  it('keeps at most 10 evidence files on a complaint', async () => {
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firmId);
    for (let i = 0; i < 10; i++)
      expect((await upload(c.token, draft.id, SAMPLE_PDF, `e${i}.pdf`)).status).toBe(201);
    const eleventh = await upload(c.token, draft.id, SAMPLE_PDF, 'e10.pdf');
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.code).toBe('TOO_MANY_ATTACHMENTS');
  });

  it('lets the firm download filing evidence once staff accepted the complaint, not before', async () => {
    const c = await loginAs(t, 'complainant');
    const firmAdmin = await loginAs(t, 'firm_admin', { firmId });
    const draft = await createDraftViaApi(t, c.token, firmId);
    const att = await upload(c.token, draft.id, SAMPLE_PNG, '截图.png');
    expect(att.status).toBe(201);
    await t.http
      .post(`/api/v1/disputes/tickets/${draft.id}/file`)
      .set(...bearer(c.token))
      .send(FILING_CONSENT);
    const path = `/api/v1/disputes/tickets/${draft.id}/attachments/${att.body.id}`;
    expect((await t.http.get(path).set(...bearer(firmAdmin.token))).status).toBe(404);
    await writeDb(t, (em) =>
      em.update(
        DisputeTicket,
        { id: draft.id },
        { state: 'awaiting_response', triagedAt: new Date() },
      ),
    );
    const ok = await t.http.get(path).set(...bearer(firmAdmin.token));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    const other = await loginAs(t, 'firm_admin');
    expect((await t.http.get(path).set(...bearer(other.token))).status).toBe(404);
  });

  it('removes a draft file but not a filed one', async () => {
    const c = await loginAs(t, 'complainant');
    const draft = await createDraftViaApi(t, c.token, firmId);
    const att = await upload(c.token, draft.id, SAMPLE_PDF, 'a.pdf');
    const del = await t.http
      .delete(`/api/v1/disputes/tickets/${draft.id}/attachments/${att.body.id}`)
      .set(...bearer(c.token));
    expect(del.status).toBe(204);
    const att2 = await upload(c.token, draft.id, SAMPLE_PDF, 'b.pdf');
    await t.http
      .post(`/api/v1/disputes/tickets/${draft.id}/file`)
      .set(...bearer(c.token))
      .send(FILING_CONSENT);
    const refused = await t.http
      .delete(`/api/v1/disputes/tickets/${draft.id}/attachments/${att2.body.id}`)
      .set(...bearer(c.token));
    expect(refused.status).toBe(409);
  });

  it('shows the firm a masked complainant until contact details are released', async () => {
    const firm = await createFirm(t);
    const complainant = await createUser(t, { role: 'complainant' });
    const firmAdmin = await loginAs(t, 'firm_admin', { firmId: firm.id });
    const ticket = await createTicket(t, {
      firmId: firm.id,
      complainantUserId: complainant.id,
      state: 'awaiting_response',
      triagedAt: new Date(),
    });
    const masked = await t.http
      .get(`/api/v1/disputes/tickets/${ticket.id}`)
      .set(...bearer(firmAdmin.token));
    expect(masked.status).toBe(200);
    expect(masked.body.complainant.masked).toBe(true);
    expect(masked.body.complainant.name).toMatch(/^.\*\*$/);
    expect(masked.body.complainant.email).toBeNull();
    expect(masked.body.complainant.phone).toBeNull();
    expect(JSON.stringify(masked.body)).not.toContain(complainant.email);
    await writeDb(t, (em) =>
      em.update(DisputeTicket, { id: ticket.id }, { contactReleasedAt: new Date() }),
    );
    const released = await t.http
      .get(`/api/v1/disputes/tickets/${ticket.id}`)
      .set(...bearer(firmAdmin.token));
    expect(released.body.complainant.email).toBe(complainant.email);
    expect(released.body.complainant.phone).toBe('13800138000');
  });
});
