import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiToken, createUser } from '../factories/index.js';
import { bearer, Browser, enrolTotp, signInApi, totpCode } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('Two-factor enforcement in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      APP_SECRET: 'production-test-secret-'.padEnd(48, 'x'),
    });
  });
  afterAll(() => t.close());

  it('holds a mediator without TOTP at enrolment, refusing other routes until enrolled', async () => {
    const mediator = await createUser(t, { role: 'mediator' });
    const { token, pendingStep } = await signInApi(t, mediator);
    expect(pendingStep).toBe('mfa_enrol');
    const me = await t.http
      .get('/api/v1/auth/me')
      .set(...bearer(token))
      .expect(200);
    expect(me.body.pendingStep).toBe('mfa_enrol');
    for (const [path, body] of [
      ['/api/v1/auth/email/resend', {}],
      [
        '/api/v1/auth/password',
        { currentPassword: mediator.password, newPassword: 'Zq8!wTr4nBv6' },
      ],
      ['/api/v1/auth/mfa/totp/disable', { password: mediator.password, code: '123456' }],
    ] as const) {
      const res = await t.http
        .post(path)
        .set(...bearer(token))
        .send(body)
        .expect(401);
      expect(res.body.code).toBe('MFA_PENDING');
      expect(res.body.pendingStep).toBe('mfa_enrol');
    }
    const setup = await t.http
      .post('/api/v1/auth/mfa/totp/setup')
      .set(...bearer(token))
      .expect(200);
    await t.http
      .post('/api/v1/auth/mfa/totp/enable')
      .set(...bearer(token))
      .send({ code: totpCode(setup.body.secret) })
      .expect(200);
    expect((await t.http.get('/api/v1/auth/me').set(...bearer(token))).body.pendingStep).toBeNull();
    const past = await t.http
      .post('/api/v1/auth/email/resend')
      .set(...bearer(token))
      .expect(409);
    expect(past.body.code).toBe('EMAIL_ALREADY_VERIFIED');
  });

  it('asks an enrolled mediator for a code at the next sign-in', async () => {
    const mediator = await createUser(t, { role: 'mediator' });
    const first = await signInApi(t, mediator);
    const { secret } = await enrolTotp(t, first.token);
    const next = await signInApi(t, mediator);
    expect(next.pendingStep).toBe('mfa');
    await t.http
      .post('/api/v1/auth/mfa')
      .set(...bearer(next.token))
      .send({ code: totpCode(secret) })
      .expect(200);
  });

  it.each(['staff_admin', 'staff_reviewer'] as const)(
    'holds a %s without TOTP at enrolment too',
    async (role) => {
      const user = await createUser(t, { role });
      expect((await signInApi(t, user)).pendingStep).toBe('mfa_enrol');
    },
  );

  it('lets complainants and firm users in without a second factor', async () => {
    expect(
      (await signInApi(t, await createUser(t, { role: 'complainant' }))).pendingStep,
    ).toBeNull();
    expect(
      (await signInApi(t, await createUser(t, { role: 'firm_admin' }))).pendingStep,
    ).toBeNull();
  });

  it('refuses to turn TOTP off for a mediator', async () => {
    const mediator = await createUser(t, { role: 'mediator' });
    const { token } = await signInApi(t, mediator);
    const { secret } = await enrolTotp(t, token);
    const res = await t.http
      .post('/api/v1/auth/mfa/totp/disable')
      .set(...bearer(token))
      .send({ password: mediator.password, code: totpCode(secret) })
      .expect(403);
    expect(res.body.code).toBe('MFA_REQUIRED');
  });

  it('lets a complainant turn TOTP off', async () => {
    const user = await createUser(t, { role: 'complainant' });
    const { secret } = await enrolTotp(t, await apiToken(t, user));
    const { token } = await signInApi(t, user);
    await t.http
      .post('/api/v1/auth/mfa')
      .set(...bearer(token))
      .send({ code: totpCode(secret) })
      .expect(200);
    await t.http
      .post('/api/v1/auth/mfa/totp/disable')
      .set(...bearer(token))
      .send({ password: user.password, code: totpCode(secret, 1) })
      .expect(204);
  });

  it('sends a mediator who owes enrolment from any page to the enrolment page, and lets it enrol', async () => {
    const mediator = await createUser(t, { role: 'mediator' });
    const browser = new Browser(t);
    expect(await browser.signInAs(mediator)).toBe('mfa_enrol');
    const elsewhere = await browser.get('/account');
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.location).toBe('/account/mfa');
    const page = await browser.get('/account/mfa');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="mfa-state-off"');
    const setup = await browser.post('/account/mfa/setup', {});
    expect(setup.status).toBe(200);
    expect(setup.text).toMatch(
      /<img class="qr-image" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/]+(=|&#x3D;)*"/,
    );
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(setup.text)?.[1];
    expect(secret).toBeDefined();
    const enabled = await browser.post('/account/mfa/enable', { code: totpCode(secret ?? '') });
    expect(enabled.status).toBe(200);
    expect(
      enabled.text.match(/<li><code>[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2}<\/code><\/li>/g),
    ).toHaveLength(10);
    expect(enabled.text).not.toContain('data-testid="mfa-required"');
    expect((await browser.get('/account/mfa')).text).toContain('data-testid="mfa-required"');
  });
});
