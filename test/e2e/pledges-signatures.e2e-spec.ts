import {
  createPublicKey,
  generateKeyPairSync,
  verify as edVerify,
  type JsonWebKey,
} from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { beijingDate } from '../../src/common/time/beijing.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { LoginFailure } from '../../src/modules/auth/entities/login-failure.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { OutboxEmail } from '../../src/modules/notifications/entities/outbox-email.entity.js';
import { ConventionsService } from '../../src/modules/pledges/conventions.service.js';
import type { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import { PledgeSignature } from '../../src/modules/pledges/entities/pledge-signature.entity.js';
import { SigningKeysService } from '../../src/modules/signing/signing-keys.service.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import { toActor } from '../../src/modules/users/users.service.js';
import { apiToken, createFirm, createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { bearer, Browser, enrolTotp, totpCode, wrongCode, writeDb } from '../helpers/auth-flows.js';
import { csrfFrom, webAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Signatory extends CreatedUser {
  token: string;
  name: string;
  firmId: string;
}

describe('pledge signatures: the ceremony, the record and its verification', () => {
  let t: TestApp;
  let version: ConventionVersion;

  beforeAll(async () => {
    t = await startTestApp();
    const staff = await createUser(t, { role: 'staff_admin' });
    const actor = toActor(await t.dataSource.getRepository(User).findOneByOrFail({ id: staff.id }));
    const conventions = t.app.get(ConventionsService);
    const draft = await conventions.createDraft(actor, {
      titleZh: '深圳市互联网金融协会自律公约',
      titleEn: 'SZIFA Self-discipline Convention',
      bodyZh: '# 总则\n\n第一条 会员单位应当依法合规经营。\n',
      bodyEn: '# General\n\nArticle 1. Members shall operate lawfully.\n',
    });
    version = await conventions.publish(actor, draft.id, {
      version: draft.version,
      effectiveOn: beijingDate(new Date()),
    });
  });
  afterAll(() => t.close());
  // Every failed re-authentication counts against the client address, the same for all tests.
  beforeEach(() => writeDb(t, (m) => m.clear(LoginFailure)));

  const userName = async (id: string): Promise<string> =>
    (await t.dataSource.getRepository(User).findOneByOrFail({ id })).name;
  const signaturesOf = (firmId: string) =>
    t.dataSource.getRepository(PledgeSignature).findBy({ firmId });

  /** A firm whose administrator is also its designated signatory. */
  async function signatory(): Promise<Signatory> {
    const firm = await createFirm(t);
    const user = await createUser(t, { role: 'firm_admin', firmId: firm.id });
    await writeDb(t, (m) => m.update(Firm, { id: firm.id }, { signatoryUserId: user.id }));
    return {
      ...user,
      firmId: firm.id,
      token: await apiToken(t, user),
      name: await userName(user.id),
    };
  }

  const signBody = (s: Signatory, overrides: Record<string, unknown> = {}) => ({
    firmId: s.firmId,
    conventionVersionId: version.id,
    typedName: s.name,
    signerTitle: '总经理',
    consent: true,
    password: s.password,
    ...overrides,
  });

  const sign = (token: string, body: Record<string, unknown>) =>
    t.http
      .post('/api/v1/pledges/signatures')
      .set(...bearer(token))
      .set('User-Agent', 'pledge-test/1.0')
      .send(body);

  it('lets the authorised signatory sign and records every field, the signature and the audit link', async () => {
    const s = await signatory();
    const res = await sign(s.token, signBody(s, { typedName: `  ${s.name}  ` }));
    expect(res.status).toBe(201);
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({
      firmId: s.firmId,
      conventionVersionId: version.id,
      textFingerprint: version.fingerprint,
      consentVersion: 'consent-v1',
      signerUserId: s.id,
      typedName: s.name,
      signerTitle: '总经理',
      userAgent: 'pledge-test/1.0',
      authMethod: 'password',
    });
    expect(body.kid).toMatch(/^szifa-\d{8}-\d+$/);
    expect(body.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(JSON.parse(body.payload as string)).toMatchObject({ typedName: s.name, id: body.id });
    const event = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ id: body.auditEventId as string });
    expect(event).toMatchObject({ action: 'pledges.signed', subjectId: body.id });
    expect(event.summary).toContain(String(body.signature));
    expect(event.summary).not.toContain(s.password);
    const receipts = await t.dataSource
      .getRepository(OutboxEmail)
      .findBy({ template: 'pledge-receipt', recipient: s.email });
    expect(receipts).toHaveLength(1);
    expect(receipts[0].textBody).toContain(`/verify/pledge/${String(body.id)}`);
  });

  it('refuses a colleague who is not the signatory (403) and a user of another firm (404)', async () => {
    const s = await signatory();
    const colleague = await loginAs(t, 'firm_admin', { firmId: s.firmId });
    const refused = await sign(
      colleague.token,
      signBody(s, { typedName: await userName(colleague.id), password: colleague.password }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_SIGNATORY');
    const other = await signatory();
    const hidden = await sign(
      other.token,
      signBody(s, { typedName: other.name, password: other.password }),
    );
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('FIRM_NOT_FOUND');
    const staff = await loginAs(t, 'staff_admin');
    await sign(staff.token, signBody(s)).expect(403);
    await t.http.post('/api/v1/pledges/signatures').send(signBody(s)).expect(401);
    expect(await signaturesOf(s.firmId)).toHaveLength(0);
  });

  it('signs nothing on a wrong typed name, missing consent or a wrong password', async () => {
    const s = await signatory();
    const wrongName = await sign(s.token, signBody(s, { typedName: `${s.name}X` }));
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.code).toBe('TYPED_NAME_MISMATCH');
    const noConsent = await sign(s.token, signBody(s, { consent: undefined }));
    expect(noConsent.body.code).toBe('CONSENT_REQUIRED');
    const declined = await sign(s.token, signBody(s, { consent: false }));
    expect(declined.body.code).toBe('CONSENT_REQUIRED');
    const badPassword = await sign(s.token, signBody(s, { password: 'not-the-password' }));
    expect(badPassword.status).toBe(400);
    expect(badPassword.body.code).toBe('REAUTH_FAILED');
    expect(await signaturesOf(s.firmId)).toHaveLength(0);
    const failures = await t.dataSource
      .getRepository(LoginFailure)
      .countBy({ key: `email:${s.email}` });
    expect(failures).toBe(1);
  });

  it('requires a current TOTP code from an enrolled signatory and records password+totp', async () => {
    const s = await signatory();
    const { secret } = await enrolTotp(t, s.token);
    const missing = await sign(s.token, signBody(s));
    expect(missing.body.code).toBe('TOTP_REQUIRED');
    const wrong = await sign(s.token, signBody(s, { totpCode: wrongCode(secret) }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('REAUTH_FAILED');
    expect(await signaturesOf(s.firmId)).toHaveLength(0);
    // enrolTotp used the current step; the next one is still inside the accepted window.
    const signed = await sign(s.token, signBody(s, { totpCode: totpCode(secret, 1) }));
    expect(signed.status).toBe(201);
    expect(signed.body.authMethod).toBe('password+totp');
  });

  it('refuses a second signature of the same version by the same firm', async () => {
    const s = await signatory();
    await sign(s.token, signBody(s)).expect(201);
    const again = await sign(s.token, signBody(s));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_SIGNED');
    expect(await signaturesOf(s.firmId)).toHaveLength(1);
  });

  it('lets only one of two simultaneous signatures of the same version through', async () => {
    const s = await signatory();
    const results = await Promise.all([sign(s.token, signBody(s)), sign(s.token, signBody(s))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await signaturesOf(s.firmId)).toHaveLength(1);
  });

  it('refuses a signature from an expelled or withdrawn firm', async () => {
    for (const status of ['expelled', 'withdrawn'] as const) {
      const s = await signatory();
      await writeDb(t, (m) => m.update(Firm, { id: s.firmId }, { status }));
      const res = await sign(s.token, signBody(s));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('FIRM_CANNOT_SIGN');
      expect(await signaturesOf(s.firmId)).toHaveLength(0);
    }
  });

  it('refuses to update or delete a signature through the ORM', async () => {
    const s = await signatory();
    const { body } = await sign(s.token, signBody(s)).expect(201);
    const row = await t.dataSource.getRepository(PledgeSignature).findOneByOrFail({ id: body.id });
    row.typedName = '别人';
    await expect(writeDb(t, (m) => m.save(row))).rejects.toThrow(/immutable/);
    await expect(writeDb(t, (m) => m.remove(row))).rejects.toThrow(/immutable/);
    const kept = await t.dataSource.getRepository(PledgeSignature).findOneByOrFail({ id: body.id });
    expect(kept.typedName).toBe(s.name);
  });

  it('verifies a fresh record as valid, publicly', async () => {
    const s = await signatory();
    const { body } = await sign(s.token, signBody(s)).expect(201);
    const res = await t.http.get(`/api/v1/pledges/signatures/${body.id}/verify`).expect(200);
    expect(res.body).toMatchObject({
      status: 'valid',
      checks: { payloadMatchesRecord: true, signatureValid: true, textMatchesVersion: true },
    });
    // Personal details of the signer stay on the receipt, for the firm and staff.
    for (const field of ['ip', 'userAgent', 'signerUserId', 'payload'])
      expect(res.body.record).not.toHaveProperty(field);
    const page = await t.http
      .get(`/verify/pledge/${body.id}`)
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.text).toContain('data-status="valid"');
  });

  it('reports a record changed by raw SQL as altered', async () => {
    const s = await signatory();
    const { body } = await sign(s.token, signBody(s)).expect(201);
    await t.dataSource.query(
      `UPDATE pledge_signatures SET "typedName" = $1 WHERE id = $2`.replace(
        /\$(\d)/g,
        t.config.usesPostgres ? '$$$1' : '?',
      ),
      ['冒名者', body.id],
    );
    const res = await t.http.get(`/api/v1/pledges/signatures/${body.id}/verify`).expect(200);
    expect(res.body.status).toBe('altered');
    expect(res.body.checks.payloadMatchesRecord).toBe(false);

    const other = await signatory();
    const second = (await sign(other.token, signBody(other)).expect(201)).body;
    // Changing payload and columns together still fails: the signature no longer matches.
    const forged = (second.payload as string).replace(other.name, '冒名者');
    await t.dataSource.query(
      `UPDATE pledge_signatures SET "typedName" = $1, payload = $2 WHERE id = $3`.replace(
        /\$(\d)/g,
        t.config.usesPostgres ? '$$$1' : '?',
      ),
      ['冒名者', forged, second.id],
    );
    const forgedRes = await t.http
      .get(`/api/v1/pledges/signatures/${second.id}/verify`)
      .expect(200);
    expect(forgedRes.body.status).toBe('altered');
    expect(forgedRes.body.checks).toMatchObject({
      payloadMatchesRecord: true,
      signatureValid: false,
    });
  });

  /**
   * Runs raw SQL as someone with database access would: the immutability trigger on published
   * convention text is switched off first (and back on after), since such a person can do that.
   */
  async function withoutTextTrigger(work: () => Promise<void>): Promise<void> {
    const trigger = 'convention_versions_published_immutable';
    if (t.config.usesPostgres) {
      await t.dataSource.query(`ALTER TABLE convention_versions DISABLE TRIGGER ${trigger}`);
      try {
        await work();
      } finally {
        await t.dataSource.query(`ALTER TABLE convention_versions ENABLE TRIGGER ${trigger}`);
      }
      return;
    }
    const [row] = await t.dataSource.query<Array<{ sql: string }>>(
      `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '${trigger}'`,
    );
    await t.dataSource.query(`DROP TRIGGER ${trigger}`);
    try {
      await work();
    } finally {
      await t.dataSource.query(row.sql);
    }
  }

  it('reports a record as altered after the signed convention text is changed by raw SQL', async () => {
    const s = await signatory();
    const { body } = await sign(s.token, signBody(s)).expect(201);
    const param = (n: number): string => (t.config.usesPostgres ? `$${n}` : '?');
    const update = `UPDATE convention_versions SET "bodyZh" = ${param(1)} WHERE id = ${param(2)}`;
    await withoutTextTrigger(() =>
      t.dataSource.query(update, [`${version.bodyZh}第二条 （私自加入）\n`, version.id]),
    );
    const res = await t.http.get(`/api/v1/pledges/signatures/${body.id}/verify`).expect(200);
    expect(res.body.status).toBe('altered');
    expect(res.body.checks).toMatchObject({ signatureValid: true, textMatchesVersion: false });
    await withoutTextTrigger(() => t.dataSource.query(update, [version.bodyZh, version.id]));
    const restored = await t.http.get(`/api/v1/pledges/signatures/${body.id}/verify`).expect(200);
    expect(restored.body.status).toBe('valid');
  });

  it('answers unknown (200) for an id with no record', async () => {
    const res = await t.http
      .get('/api/v1/pledges/signatures/00000000-0000-4000-8000-000000000000/verify')
      .expect(200);
    expect(res.body).toMatchObject({ status: 'unknown', checks: null, record: null });
    const junk = await t.http.get('/api/v1/pledges/signatures/not-an-id/verify').expect(200);
    expect(junk.body.status).toBe('unknown');
  });

  it('publishes a JWKS with which node:crypto alone verifies a signature', async () => {
    const s = await signatory();
    const { body } = await sign(s.token, signBody(s)).expect(201);
    const jwks = await t.http.get('/.well-known/szifa-keys.json').expect(200);
    const jwk = (jwks.body.keys as Array<Record<string, string>>).find((k) => k.kid === body.kid);
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig', alg: 'EdDSA' });
    expect(Object.keys(jwk!)).not.toContain('d');
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const payload = Buffer.from(body.payload as string, 'utf8');
    const signature = Buffer.from(body.signature as string, 'base64url');
    expect(edVerify(null, payload, key, signature)).toBe(true);
    expect(edVerify(null, Buffer.from(`${body.payload} `), key, signature)).toBe(false);
  });

  it('keeps the private key in DATA_DIR/keys readable by its owner alone', async () => {
    const kid = await t.app.get(SigningKeysService).currentKid();
    const mode = statSync(join(t.config.DATA_DIR, 'keys', `${kid}.pem`)).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('keeps old signatures valid after the key is rotated, and publishes both keys', async () => {
    const keys = t.app.get(SigningKeysService);
    const s = await signatory();
    const before = (await sign(s.token, signBody(s)).expect(201)).body;
    const next = await keys.rotate(null);
    expect(next).not.toBe(before.kid);
    const jwks = await t.http.get('/.well-known/szifa-keys.json').expect(200);
    const kids = (jwks.body.keys as Array<{ kid: string }>).map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([before.kid, next]));
    const old = await t.http.get(`/api/v1/pledges/signatures/${before.id}/verify`).expect(200);
    expect(old.body.status).toBe('valid');
    const other = await signatory();
    const after = (await sign(other.token, signBody(other)).expect(201)).body;
    expect(after.kid).toBe(next);
    const fresh = await t.http.get(`/api/v1/pledges/signatures/${after.id}/verify`).expect(200);
    expect(fresh.body.status).toBe('valid');
  });

  it('shows the receipt to the firm and staff only', async () => {
    const s = await signatory();
    const { body } = await sign(s.token, signBody(s)).expect(201);
    const colleague = await loginAs(t, 'firm_member', { firmId: s.firmId });
    await t.http
      .get(`/api/v1/pledges/signatures/${body.id}`)
      .set(...bearer(colleague.token))
      .expect(200);
    const staff = await loginAs(t, 'staff_reviewer');
    const seen = await t.http
      .get(`/api/v1/pledges/signatures/${body.id}`)
      .set(...bearer(staff.token))
      .expect(200);
    expect(seen.body.signature).toBe(body.signature);
    const outsider = await signatory();
    const hidden = await t.http
      .get(`/api/v1/pledges/signatures/${body.id}`)
      .set(...bearer(outsider.token));
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('SIGNATURE_NOT_FOUND');
  });

  it('matches a text against a version byte for byte after canonicalisation', async () => {
    const canonical = t.app.get(ConventionsService).canonicalText(version);
    const check = (text: string) =>
      t.http.post(`/api/v1/conventions/${version.versionNumber}/check-text`).send({ text });
    const exact = await check(canonical.replace(/\n/g, '\r\n')).expect(200);
    expect(exact.body).toMatchObject({ matches: true, matchedPart: 'canonical' });
    expect(exact.body.versionFingerprint).toBe(version.fingerprint);
    const body = await check(`${version.bodyZh}   \n\n`).expect(200);
    expect(body.body).toMatchObject({ matches: true, matchedPart: 'body.zh' });
    const changed = await check(canonical.replace('依法合规', '依法')).expect(200);
    expect(changed.body).toMatchObject({ matches: false, matchedPart: null });
    await check('x').set('Content-Type', 'application/json');
    await t.http.post('/api/v1/conventions/999/check-text').send({ text: 'x' }).expect(404);
  });

  it('walks the signing page: the full text, a wrong name shown beside its field, then the receipt', async () => {
    const s = await signatory();
    const browser = new Browser(t);
    await browser.signInAs(s);
    const form = await browser.get('/firm/pledge');
    expect(form.status).toBe(200);
    expect(form.text).toContain('第一条 会员单位应当依法合规经营。');
    expect(form.text).toContain('Article 1. Members shall operate lawfully.');
    expect(form.text).toContain(version.fingerprint);
    const fields = {
      conventionVersionId: version.id,
      typedName: '不是我',
      signerTitle: '董事长',
      consent: 'yes',
      password: s.password,
    };
    const wrong = await browser.post('/firm/pledge', fields);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('f-typedName-error');
    expect(wrong.text).toContain('value="董事长"');
    expect(wrong.text).not.toContain(s.password);
    const noConsent = await browser.post('/firm/pledge', {
      ...fields,
      typedName: s.name,
      consent: '',
    });
    expect(noConsent.status).toBe(400);
    expect(noConsent.text).toContain('f-consent-error');
    expect(await signaturesOf(s.firmId)).toHaveLength(0);
    const done = await browser.post('/firm/pledge', { ...fields, typedName: s.name });
    expect(done.status).toBe(303);
    const [row] = await signaturesOf(s.firmId);
    expect(done.headers.location).toBe(`/pledges/signatures/${row.id}/receipt?done=signed`);
    const receipt = await browser.get(done.headers.location as string);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain(row.signature);
    expect(receipt.text).toContain(row.textFingerprint);
    const again = await browser.get('/firm/pledge');
    expect(again.text).toContain('data-testid="pledge-receipt-link"');
  });

  it('refuses the signing page to a colleague who is not the signatory', async () => {
    const s = await signatory();
    const colleague = await createUser(t, { role: 'firm_member', firmId: s.firmId });
    const browser = new Browser(t);
    await browser.signInAs(colleague);
    expect((await browser.get('/firm/pledge')).status).toBe(403);
  });

  it('checks an uploaded text file against a version on the public page', async () => {
    const agent = webAgent(t);
    const page = await agent.get('/verify/text').set('Accept', 'text/html').expect(200);
    const csrf = csrfFrom(page.text);
    const canonical = t.app.get(ConventionsService).canonicalText(version);
    const res = await agent
      .post(`/verify/text?_csrf=${encodeURIComponent(csrf)}`)
      .set('Accept', 'text/html')
      .field('versionNumber', String(version.versionNumber))
      .attach('file', Buffer.from(canonical, 'utf8'), 'convention.txt');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-matches="yes"');
    const pasted = await agent
      .post(`/verify/text?_csrf=${encodeURIComponent(csrf)}`)
      .set('Accept', 'text/html')
      .field('versionNumber', String(version.versionNumber))
      .field('text', 'something else');
    expect(pasted.text).toContain('data-matches="no"');
  });
});

describe('pledge signatures: a signing key supplied by configuration', () => {
  let t: TestApp;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

  beforeAll(async () => {
    t = await startTestApp({ SIGNING_KEY_PEM: pem });
  });
  afterAll(() => t.close());

  it('signs with the SIGNING_KEY_PEM key, publishes its public half and writes no key file', async () => {
    const keys = t.app.get(SigningKeysService);
    const signed = await keys.sign('测试载荷');
    expect(
      edVerify(
        null,
        Buffer.from('测试载荷'),
        publicKey,
        Buffer.from(signed.signature, 'base64url'),
      ),
    ).toBe(true);
    const jwks = await t.http.get('/.well-known/szifa-keys.json').expect(200);
    expect(jwks.body.keys).toEqual([
      expect.objectContaining({ kid: signed.kid, x: publicKey.export({ format: 'jwk' }).x }),
    ]);
    expect(existsSync(join(t.config.DATA_DIR, 'keys'))).toBe(false);
    await expect(keys.rotate(null)).rejects.toThrow();
  });
});
