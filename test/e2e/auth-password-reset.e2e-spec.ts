import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserToken } from '../../src/modules/auth/entities/user-token.entity.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { apiToken, createUser } from '../factories/index.js';
import {
  bearer,
  Browser,
  emailsTo,
  lastEmail,
  tokenFromEmail,
  writeDb,
} from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const NEW_PASSWORD = 'Hb5$tQz8mNw3';

describe('Password reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(() => t.close());

  async function requestLink(address: string): Promise<string> {
    await t.http.post('/api/v1/auth/password-reset/request').send({ email: address }).expect(202);
    return tokenFromEmail(t, await lastEmail(t, address, 'reset-password'), '/reset-password');
  }

  it('answers an unknown address exactly as a known one, and sends nothing to it', async () => {
    const user = await createUser(t);
    const known = await t.http
      .post('/api/v1/auth/password-reset/request')
      .send({ email: user.email });
    const unknown = await t.http
      .post('/api/v1/auth/password-reset/request')
      .send({ email: 'nobody.here@example.cn' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
    expect(await emailsTo(t, 'nobody.here@example.cn')).toHaveLength(0);
    expect(await emailsTo(t, user.email, 'reset-password')).toHaveLength(1);
  });

  it('sets the new password with the link, and the old one stops working', async () => {
    const user = await createUser(t);
    const link = await requestLink(user.email);
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: NEW_PASSWORD })
      .expect(204);
    await t.http
      .post('/api/v1/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(401);
    await apiToken(t, { email: user.email, password: NEW_PASSWORD });
    const events = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ subjectId: user.id, action: 'auth.password_reset' });
    expect(events).toHaveLength(1);
  });

  it('ends every session the account had', async () => {
    const user = await createUser(t);
    const before = [await apiToken(t, user), await apiToken(t, user)];
    const link = await requestLink(user.email);
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: NEW_PASSWORD })
      .expect(204);
    for (const token of before) {
      const res = await t.http
        .get('/api/v1/auth/me')
        .set(...bearer(token))
        .expect(401);
      expect(res.body.code).toBe('SESSION_INVALID');
    }
  });

  it('marks the address verified, since the link proved control of it', async () => {
    const user = await createUser(t, { verified: false });
    const link = await requestLink(user.email);
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: NEW_PASSWORD })
      .expect(204);
    const token = await apiToken(t, { email: user.email, password: NEW_PASSWORD });
    expect(
      (
        await t.http
          .get('/api/v1/auth/me')
          .set(...bearer(token))
          .expect(200)
      ).body.emailVerified,
    ).toBe(true);
  });

  it('accepts a reset link only once', async () => {
    const user = await createUser(t);
    const link = await requestLink(user.email);
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: NEW_PASSWORD })
      .expect(204);
    const again = await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: 'Other#Pass9wd' })
      .expect(400);
    expect(again.body.code).toBe('LINK_INVALID');
    await apiToken(t, { email: user.email, password: NEW_PASSWORD });
  });

  it('refuses a reset link after its hour', async () => {
    const user = await createUser(t);
    const link = await requestLink(user.email);
    const repo = t.dataSource.getRepository(UserToken);
    const row = await repo.findOneByOrFail({
      tokenHash: createHash('sha256').update(link).digest('hex'),
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(3600_000);
    await writeDb(t, (m) =>
      m.update(UserToken, { id: row.id }, { expiresAt: new Date(Date.now() - 1000) }),
    );
    const res = await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: NEW_PASSWORD })
      .expect(400);
    expect(res.body.code).toBe('LINK_INVALID');
    await apiToken(t, user);
  });

  it('retires an earlier unused link when a new one is requested', async () => {
    const user = await createUser(t);
    const first = await requestLink(user.email);
    const second = await requestLink(user.email);
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: first, newPassword: NEW_PASSWORD })
      .expect(400);
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: second, newPassword: NEW_PASSWORD })
      .expect(204);
  });

  it('keeps the link usable when the new password is refused', async () => {
    const user = await createUser(t);
    const link = await requestLink(user.email);
    const weak = await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: 'password123' })
      .expect(400);
    expect(weak.body.code).toBe('PASSWORD_TOO_COMMON');
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: NEW_PASSWORD })
      .expect(204);
  });

  it('lifts the sign-in throttle of the account once the password is reset', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/v1/auth/token')
        .send({ email: user.email, password: 'wrong-password' })
        .expect(401);
    }
    await t.http
      .post('/api/v1/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(429);
    const link = await requestLink(user.email);
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, newPassword: NEW_PASSWORD })
      .expect(204);
    await apiToken(t, { email: user.email, password: NEW_PASSWORD });
  });

  describe('pages', () => {
    it('shows the same page whether or not the address has an account', async () => {
      const user = await createUser(t);
      const browser = new Browser(t);
      await browser.get('/forgot-password');
      const known = await browser.post('/forgot-password', { email: user.email });
      const unknown = await browser.post('/forgot-password', { email: 'ghost.page@example.cn' });
      expect(known.status).toBe(200);
      expect(unknown.status).toBe(200);
      const strip = (html: string) =>
        html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/[0-9a-f-]{36}/g, '');
      expect(strip(unknown.text)).toBe(strip(known.text));
      expect(await emailsTo(t, user.email, 'reset-password')).toHaveLength(1);
    });

    it('shows the e-mail error beside the field and keeps what was typed', async () => {
      const browser = new Browser(t);
      await browser.get('/forgot-password');
      const res = await browser.post('/forgot-password', { email: 'not-an-address' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="f-email-error"');
      expect(res.text).toContain('value="not-an-address"');
    });

    it('sets a new password through the form the link opens', async () => {
      const user = await createUser(t);
      const link = await requestLink(user.email);
      const browser = new Browser(t);
      const form = await browser.get(`/reset-password?token=${link}`);
      expect(form.status).toBe(200);
      expect(form.text).toContain(`name="token" value="${link}"`);
      const mismatch = await browser.post('/reset-password', {
        token: link,
        newPassword: NEW_PASSWORD,
        confirmPassword: 'different',
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.text).toContain('id="f-confirmPassword-error"');
      expect(mismatch.text).not.toContain(NEW_PASSWORD);
      const done = await browser.post('/reset-password', {
        token: link,
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      });
      expect(done.status).toBe(200);
      await apiToken(t, { email: user.email, password: NEW_PASSWORD });
      expect((await browser.get(`/reset-password?token=${link}`)).status).toBe(400);
    });

    it('refuses the reset form without its CSRF token', async () => {
      const user = await createUser(t);
      const link = await requestLink(user.email);
      const browser = new Browser(t);
      await browser.get(`/reset-password?token=${link}`);
      const res = await browser.post(
        '/reset-password',
        { token: link, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
        { csrf: false },
      );
      expect(res.status).toBe(403);
      await apiToken(t, user);
    });
  });
});
