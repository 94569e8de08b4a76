import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserToken } from '../../src/modules/auth/entities/user-token.entity.js';
import { apiToken, createUser, DEFAULT_PASSWORD } from '../factories/index.js';
import {
  bearer,
  Browser,
  emailsTo,
  lastEmail,
  tokenFromEmail,
  writeDb,
} from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let n = 0;
const email = (): string => `verify.${Date.now().toString(36)}${n++}@example.cn`;

describe('E-mail verification', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Registers a complainant through the API; returns the address, the link token and a bearer token. */
  async function registered(): Promise<{ email: string; link: string; token: string }> {
    const address = email();
    await t.http
      .post('/api/v1/auth/register/complainant')
      .send({ email: address, name: '王五', password: DEFAULT_PASSWORD })
      .expect(201);
    const link = tokenFromEmail(t, await lastEmail(t, address, 'verify-email'), '/verify-email');
    return {
      email: address,
      link,
      token: await apiToken(t, { email: address, password: DEFAULT_PASSWORD }),
    };
  }

  const me = async (token: string): Promise<{ emailVerified: boolean }> => {
    const res = await t.http
      .get('/api/v1/auth/me')
      .set(...bearer(token))
      .expect(200);
    return res.body as { emailVerified: boolean };
  };

  it('verifies the address with the e-mailed link', async () => {
    const { link, token } = await registered();
    expect((await me(token)).emailVerified).toBe(false);
    await t.http.post('/api/v1/auth/email/verify').send({ token: link }).expect(204);
    expect((await me(token)).emailVerified).toBe(true);
  });

  it('accepts a verification link only once', async () => {
    const { link } = await registered();
    await t.http.post('/api/v1/auth/email/verify').send({ token: link }).expect(204);
    const again = await t.http.post('/api/v1/auth/email/verify').send({ token: link }).expect(400);
    expect(again.body.code).toBe('LINK_INVALID');
  });

  it('refuses an expired verification link', async () => {
    const { link, token } = await registered();
    const hash = createHash('sha256').update(link).digest('hex');
    await writeDb(t, (m) =>
      m.update(UserToken, { tokenHash: hash }, { expiresAt: new Date(Date.now() - 1000) }),
    );
    const res = await t.http.post('/api/v1/auth/email/verify').send({ token: link }).expect(400);
    expect(res.body.code).toBe('LINK_INVALID');
    expect((await me(token)).emailVerified).toBe(false);
  });

  it('refuses an unknown token the same way', async () => {
    const res = await t.http
      .post('/api/v1/auth/email/verify')
      .send({ token: 'x'.repeat(43) })
      .expect(400);
    expect(res.body.code).toBe('LINK_INVALID');
  });

  it('refuses a password-reset token as a verification token', async () => {
    const user = await createUser(t, { verified: false });
    await t.http
      .post('/api/v1/auth/password-reset/request')
      .send({ email: user.email })
      .expect(202);
    const resetToken = tokenFromEmail(
      t,
      await lastEmail(t, user.email, 'reset-password'),
      '/reset-password',
    );
    await t.http.post('/api/v1/auth/email/verify').send({ token: resetToken }).expect(400);
  });

  it('stores only the SHA-256 of the token, valid for 48 hours', async () => {
    const { link } = await registered();
    const hash = createHash('sha256').update(link).digest('hex');
    const row = await t.dataSource.getRepository(UserToken).findOneByOrFail({ tokenHash: hash });
    expect(row.purpose).toBe('email_verify');
    const hours = (row.expiresAt.getTime() - row.createdAt.getTime()) / 3600_000;
    expect(hours).toBeCloseTo(48, 5);
    expect(await t.dataSource.getRepository(UserToken).countBy({ tokenHash: link })).toBe(0);
  });

  it('sends a new link on request and retires the earlier one', async () => {
    const { email: address, link: first, token } = await registered();
    await t.http
      .post('/api/v1/auth/email/resend')
      .set(...bearer(token))
      .expect(204);
    expect(await emailsTo(t, address, 'verify-email')).toHaveLength(2);
    const second = tokenFromEmail(t, await lastEmail(t, address, 'verify-email'), '/verify-email');
    expect(second).not.toBe(first);
    await t.http.post('/api/v1/auth/email/verify').send({ token: first }).expect(400);
    await t.http.post('/api/v1/auth/email/verify').send({ token: second }).expect(204);
  });

  it('refuses to resend once the address is verified', async () => {
    const user = await createUser(t, { verified: true });
    const res = await t.http
      .post('/api/v1/auth/email/resend')
      .set(...bearer(await apiToken(t, user)))
      .expect(409);
    expect(res.body.code).toBe('EMAIL_ALREADY_VERIFIED');
  });

  it('requires a signed-in caller to resend', async () => {
    const res = await t.http.post('/api/v1/auth/email/resend').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  describe('pages', () => {
    it('shows a confirm button on GET and verifies nothing until it is pressed', async () => {
      const { link, token } = await registered();
      const browser = new Browser(t);
      const page = await browser.get(`/verify-email?token=${link}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('action="/verify-email"');
      expect(page.text).toContain(`name="token" value="${link}"`);
      expect((await me(token)).emailVerified).toBe(false);
      const done = await browser.post('/verify-email', { token: link });
      expect(done.status).toBe(200);
      expect((await me(token)).emailVerified).toBe(true);
      const again = await browser.post('/verify-email', { token: link });
      expect(again.status).toBe(400);
    });

    it('says at once when the link is no longer valid', async () => {
      const { link } = await registered();
      await t.http.post('/api/v1/auth/email/verify').send({ token: link }).expect(204);
      const page = await new Browser(t).get(`/verify-email?token=${link}`);
      expect(page.status).toBe(400);
      expect(page.text).not.toContain('action="/verify-email"');
      expect((await new Browser(t).get('/verify-email')).status).toBe(400);
    });

    it('refuses the confirm form without its CSRF token', async () => {
      const { link, token } = await registered();
      const browser = new Browser(t);
      await browser.get(`/verify-email?token=${link}`);
      const res = await browser.post('/verify-email', { token: link }, { csrf: false });
      expect(res.status).toBe(403);
      expect((await me(token)).emailVerified).toBe(false);
    });
  });
});
