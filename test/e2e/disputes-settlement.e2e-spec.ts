import { createHash, createPublicKey, verify as edVerify, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LoginFailure } from '../../src/modules/auth/entities/login-failure.entity.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { SettlementSignature } from '../../src/modules/disputes/entities/settlement-signature.entity.js';
import { Settlement } from '../../src/modules/disputes/entities/settlement.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import {
  daysFromToday,
  mediationWithSignatory,
  sendSettlement,
  type SettlementSetup,
} from '../factories/disputes.js';
import { createUser, apiToken, loginAs } from '../factories/index.js';
import {
  bearer,
  emailsTo,
  enrolTotp,
  totpCode,
  wrongCode,
  writeDb,
} from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('disputes settlements: drafting, the signing ceremony, settling and verification', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => writeDb(t, (m) => m.clear(LoginFailure)));

  const sign = (token: string, settlementId: string, body: Record<string, unknown>) =>
    t.http
      .post(`/api/v1/disputes/settlements/${settlementId}/sign`)
      .set(...bearer(token))
      .set('User-Agent', 'settlement-test/1.0')
      .send({ consent: true, ...body });
  const complainantSigns = (s: SettlementSetup, id: string, extra: Record<string, unknown> = {}) =>
    sign(s.complainant.token, id, {
      typedName: s.names.complainant,
      password: s.complainant.password,
      ...extra,
    });
  const firmSigns = (s: SettlementSetup, id: string, extra: Record<string, unknown> = {}) =>
    sign(s.firmAdmin.token, id, {
      typedName: s.names.firmAdmin,
      signerTitle: '总经理',
      password: s.firmAdmin.password,
      ...extra,
    });
  const ticketOf = (s: SettlementSetup) =>
    t.dataSource.getRepository(DisputeTicket).findOneByOrFail({ id: s.ticket.id });
  const signaturesOf = (settlementId: string) =>
    t.dataSource.getRepository(SettlementSignature).findBy({ settlementId });

  it('freezes the agreement rendered from the template with both parties, the amount and the deadline when sent', async () => {
    const s = await mediationWithSignatory(t);
    const deadline = daysFromToday(20);
    const sent = await sendSettlement(t, s, {
      amount: '0.1',
      terms: "乙方向甲方退还 O'Brien & Co 收取的费用 <全部>。",
      performanceDeadline: deadline,
    });
    expect(sent).toMatchObject({ status: 'awaiting_signatures', revision: 1, amountFen: 10 });
    const text = String(sent.renderedText);
    const firm = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: s.firmId });
    for (const fact of [
      s.ticket.number!,
      s.names.complainant,
      firm.name,
      firm.creditCode,
      s.names.mediator,
      deadline,
      '0.10',
      "O'Brien & Co 收取的费用 <全部>",
    ])
      expect(text).toContain(fact);
    expect(sent.textFingerprint).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    const frozen = await t.http
      .get(`/api/v1/disputes/settlements/${String(sent.id)}/text`)
      .set(...bearer(s.complainant.token))
      .expect(200);
    expect(frozen.body).toEqual({ text, textFingerprint: sent.textFingerprint });
    const edit = await t.http
      .patch(`/api/v1/disputes/settlements/${String(sent.id)}`)
      .set(...bearer(s.mediator.token))
      .send({ terms: '改过的条款' });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('SETTLEMENT_NOT_DRAFT');
    expect(await emailsTo(t, s.complainant.email, 'dispute-settlement-update')).toHaveLength(1);
  });

  it('lets only the accepted mediator draft, one settlement in progress at a time, with an exact amount and a future deadline', async () => {
    const s = await mediationWithSignatory(t);
    const url = `/api/v1/disputes/tickets/${s.ticket.id}/settlements`;
    const body = {
      facts: '事实',
      terms: '条款',
      amount: '100',
      performanceDeadline: daysFromToday(7),
    };
    const other = await createUser(t, { role: 'mediator' });
    const hidden = await t.http
      .post(url)
      .set(...bearer(await apiToken(t, other)))
      .send(body);
    expect(hidden.status).toBe(404);
    await t.http
      .post(url)
      .set(...bearer(s.complainant.token))
      .send(body)
      .expect(403);
    const badAmount = await t.http
      .post(url)
      .set(...bearer(s.mediator.token))
      .send({ ...body, amount: '1.234' });
    expect(badAmount.body.code).toBe('AMOUNT_INVALID');
    const today = await t.http
      .post(url)
      .set(...bearer(s.mediator.token))
      .send({ ...body, performanceDeadline: daysFromToday(0) });
    expect(today.body.code).toBe('SETTLEMENT_DEADLINE_INVALID');
    const first = await t.http
      .post(url)
      .set(...bearer(s.mediator.token))
      .send(body)
      .expect(201);
    // The parties do not see a draft.
    await t.http
      .get(`/api/v1/disputes/settlements/${String(first.body.id)}`)
      .set(...bearer(s.complainant.token))
      .expect(404);
    const second = await t.http
      .post(url)
      .set(...bearer(s.mediator.token))
      .send(body);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('SETTLEMENT_EXISTS');
    await t.http
      .post(`/api/v1/disputes/settlements/${String(first.body.id)}/withdraw`)
      .set(...bearer(s.mediator.token))
      .send({})
      .expect(200);
    const next = await t.http
      .post(url)
      .set(...bearer(s.mediator.token))
      .send(body)
      .expect(201);
    expect(next.body.revision).toBe(2);
  });

  it('records both signatures with every field and settles the ticket on the second, meeting the mediation clock', async () => {
    const s = await mediationWithSignatory(t);
    const sent = await sendSettlement(t, s);
    const id = String(sent.id);
    const one = await complainantSigns(s, id, { typedName: `  ${s.names.complainant} ` });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({
      party: 'complainant',
      signerUserId: s.complainant.id,
      typedName: s.names.complainant,
      signerTitle: null,
      textFingerprint: sent.textFingerprint,
      consentVersion: 'settlement-consent-v1',
      userAgent: 'settlement-test/1.0',
      authMethod: 'password',
    });
    expect((await ticketOf(s)).state).toBe('in_mediation');
    const two = await firmSigns(s, id);
    expect(two.status).toBe(201);
    expect(two.body).toMatchObject({ party: 'firm', firmId: s.firmId, signerTitle: '总经理' });
    const ticket = await ticketOf(s);
    expect(ticket).toMatchObject({ state: 'settled', outcome: 'settled' });
    expect(ticket.resolvedAt).not.toBeNull();
    const settlement = await t.dataSource.getRepository(Settlement).findOneByOrFail({ id });
    expect(settlement.status).toBe('signed');
    expect(settlement.signedAt).not.toBeNull();
    const clock = await t.dataSource
      .getRepository(DisputeDeadline)
      .findOneByOrFail({ ticketId: s.ticket.id, kind: 'mediation' });
    expect(clock.status).toBe('met');
    expect(await emailsTo(t, s.mediator.email, 'dispute-settlement-update')).not.toHaveLength(0);
    const again = await complainantSigns(s, id);
    expect(again.status).toBe(409);
  });

  it('settles the ticket when both parties sign at the same moment', async () => {
    const s = await mediationWithSignatory(t);
    const id = String((await sendSettlement(t, s)).id);
    const [one, two] = await Promise.all([complainantSigns(s, id), firmSigns(s, id)]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(await signaturesOf(id)).toHaveLength(2);
    expect((await ticketOf(s)).state).toBe('settled');
    const settlement = await t.dataSource.getRepository(Settlement).findOneByOrFail({ id });
    expect(settlement.status).toBe('signed');
  });

  it('refuses a firm user who is not the authorised signatory, staff and the mediator', async () => {
    const s = await mediationWithSignatory(t);
    const id = String((await sendSettlement(t, s)).id);
    const colleague = await loginAs(t, 'firm_admin', { firmId: s.firmId });
    const refused = await sign(colleague.token, id, {
      typedName: (await t.dataSource.getRepository(User).findOneByOrFail({ id: colleague.id }))
        .name,
      signerTitle: '副总',
      password: colleague.password,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_SIGNATORY');
    const staff = await loginAs(t, 'staff_admin');
    await sign(staff.token, id, { typedName: 'x', password: staff.password }).expect(403);
    const mediatorTry = await sign(s.mediator.token, id, {
      typedName: s.names.mediator,
      password: s.mediator.password,
    });
    expect(mediatorTry.status).toBe(403);
    const outsider = await loginAs(t, 'complainant');
    await sign(outsider.token, id, { typedName: 'x', password: outsider.password }).expect(404);
    expect(await signaturesOf(id)).toHaveLength(0);
  });

  it('stores nothing on a wrong password, a wrong typed name or a missing consent, and each side signs once', async () => {
    const s = await mediationWithSignatory(t);
    const id = String((await sendSettlement(t, s)).id);
    const wrong = await complainantSigns(s, id, { password: 'not-my-password-1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('REAUTH_FAILED');
    const misnamed = await complainantSigns(s, id, { typedName: `${s.names.complainant}X` });
    expect(misnamed.body.code).toBe('TYPED_NAME_MISMATCH');
    const noConsent = await complainantSigns(s, id, { consent: false });
    expect(noConsent.body.code).toBe('SIGN_CONSENT_REQUIRED');
    const noTitle = await firmSigns(s, id, { signerTitle: ' ' });
    expect(noTitle.status).toBe(400);
    expect(await signaturesOf(id)).toHaveLength(0);
    expect((await ticketOf(s)).state).toBe('in_mediation');
    await complainantSigns(s, id).expect(201);
    const twice = await complainantSigns(s, id);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_SIGNED');
    expect(await signaturesOf(id)).toHaveLength(1);
  });

  it('requires a current TOTP code from an enrolled signer and records password+totp', async () => {
    const s = await mediationWithSignatory(t);
    const id = String((await sendSettlement(t, s)).id);
    const { secret } = await enrolTotp(t, s.complainant.token);
    const missing = await complainantSigns(s, id);
    expect(missing.body.code).toBe('TOTP_REQUIRED');
    const wrong = await complainantSigns(s, id, { totpCode: wrongCode(secret) });
    expect(wrong.body.code).toBe('REAUTH_FAILED');
    expect(await signaturesOf(id)).toHaveLength(0);
    const signed = await complainantSigns(s, id, { totpCode: totpCode(secret, 1) });
    expect(signed.status).toBe(201);
    expect(signed.body.authMethod).toBe('password+totp');
  });

  it('lets only one of two simultaneous signatures by the same side through', async () => {
    const s = await mediationWithSignatory(t);
    const id = String((await sendSettlement(t, s)).id);
    const results = await Promise.all([complainantSigns(s, id), complainantSigns(s, id)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await signaturesOf(id)).toHaveLength(1);
  });

  it('cannot be signed once withdrawn, and a withdrawn agreement leaves the ticket in mediation', async () => {
    const s = await mediationWithSignatory(t);
    const id = String((await sendSettlement(t, s)).id);
    await complainantSigns(s, id).expect(201);
    await t.http
      .post(`/api/v1/disputes/settlements/${id}/withdraw`)
      .set(...bearer(s.mediator.token))
      .send({})
      .expect(200);
    const late = await firmSigns(s, id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('SETTLEMENT_NOT_AWAITING');
    expect((await ticketOf(s)).state).toBe('in_mediation');
  });

  it('verifies each signature with node:crypto and the published JWKS alone, and one changed byte fails', async () => {
    const s = await mediationWithSignatory(t);
    const id = String((await sendSettlement(t, s)).id);
    const signed = (await complainantSigns(s, id).expect(201)).body as Record<string, string>;
    await firmSigns(s, id).expect(201);
    const jwks = await t.http.get('/.well-known/szifa-keys.json').expect(200);
    const jwk = (jwks.body.keys as Array<Record<string, string>>).find((k) => k.kid === signed.kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const payload = Buffer.from(signed.payload, 'utf8');
    const signature = Buffer.from(signed.signature, 'base64url');
    expect(edVerify(null, payload, key, signature)).toBe(true);
    const tampered = Buffer.from(payload);
    tampered[10] ^= 1;
    expect(edVerify(null, tampered, key, signature)).toBe(false);
    expect(JSON.parse(signed.payload)).toMatchObject({
      type: 'szifa.settlement-signature/v1',
      settlementId: id,
      typedName: s.names.complainant,
    });

    const verify = () =>
      t.http.get(`/api/v1/disputes/settlements/${id}/verify`).set(...bearer(s.firmAdmin.token));
    const before = await verify().expect(200);
    expect(before.body.status).toBe('valid');
    expect(before.body.signatures).toHaveLength(2);
    // A column edited afterwards no longer matches the signed payload.
    await writeDb(t, (m) =>
      m.update(SettlementSignature, { id: signed.id }, { typedName: `${s.names.complainant}.` }),
    );
    const after = await verify().expect(200);
    expect(after.body.status).toBe('altered');
    expect(after.body.signatures[0]).toMatchObject({ payloadMatchesRecord: false, valid: false });
    // So does the frozen text.
    await writeDb(t, (m) =>
      m.update(SettlementSignature, { id: signed.id }, { typedName: s.names.complainant }),
    );
    expect((await verify().expect(200)).body.status).toBe('valid');
    await writeDb(t, (m) => m.update(Settlement, { id }, { renderedText: 'changed\n' }));
    const textChanged = await verify().expect(200);
    expect(textChanged.body).toMatchObject({ status: 'altered', textIntact: false });
  });
});
