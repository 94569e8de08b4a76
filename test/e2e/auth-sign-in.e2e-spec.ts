import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiToken, createUser, loginAs } from '../factories/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('API sign-in and tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(() => t.close());

  it('issues a bearer token for the right password and accepts it', async () => {
    const user = await createUser(t, { role: 'complainant' });
    const token = await apiToken(t, user);
    const me = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(me.body.email).toBe(user.email);
    expect(me.body.role).toBe('complainant');
  });

  it('answers a wrong password and an unknown e-mail identically', async () => {
    const user = await createUser(t);
    const wrong = await t.http
      .post('/api/v1/auth/token')
      .send({ email: user.email, password: 'not-the-password' });
    const unknown = await t.http
      .post('/api/v1/auth/token')
      .send({ email: 'nobody@example.cn', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers['content-type']).toContain('application/problem+json');
  });

  it('throttles an account after repeated failures, even with the right password', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/v1/auth/token')
        .send({ email: user.email, password: 'wrong-password' })
        .expect(401);
    }
    const res = await t.http
      .post('/api/v1/auth/token')
      .send({ email: user.email, password: user.password });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('throttles an unknown e-mail the same way, so throttling reveals nothing', async () => {
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/v1/auth/token')
        .send({ email: 'ghost@example.cn', password: 'wrong-password' })
        .expect(401);
    }
    await t.http
      .post('/api/v1/auth/token')
      .send({ email: 'ghost@example.cn', password: 'wrong-password' })
      .expect(429);
  });

  it('refuses a token after logout', async () => {
    const { token } = await loginAs(t, 'mediator');
    await t.http.post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    const res = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    expect(res.body.code).toBe('SESSION_INVALID');
  });

  it('refuses an expired token', async () => {
    const user = await createUser(t);
    const token = await apiToken(t, user);
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const expired = { ...claims, iat: 1_600_000_000, exp: 1_600_000_100 };
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    const secret = (await import('../../src/config/secrets.js')).resolveAppSecret(t.config);
    const body = b64url(expired);
    const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
    await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${header}.${body}.${signature}`)
      .expect(401);
  });

  it('refuses a token whose payload was tampered with', async () => {
    const victim = await createUser(t, { role: 'staff_admin' });
    const { token } = await loginAs(t, 'complainant');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = `${header}.${b64url({ ...claims, sub: victim.id })}.${signature}`;
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`).expect(401);
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const { token } = await loginAs(t, 'complainant');
    const [, payload] = token.split('.');
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${unsigned}`).expect(401);
  });

  it('refuses a token signed for another audience', async () => {
    const user = await createUser(t);
    const token = await apiToken(t, user);
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    const body = b64url({ ...claims, aud: 'someone-else' });
    const secret = (await import('../../src/config/secrets.js')).resolveAppSecret(t.config);
    const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
    await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${header}.${body}.${signature}`)
      .expect(401);
  });

  it('ends every session when the password changes', async () => {
    const user = await createUser(t);
    const first = await apiToken(t, user);
    const second = await apiToken(t, user);
    const res = await t.http
      .post('/api/v1/auth/password')
      .set('Authorization', `Bearer ${first}`)
      .send({ currentPassword: user.password, newPassword: 'Zq8!wTr4nBv6' })
      .expect(200);
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${first}`).expect(401);
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${second}`).expect(401);
    await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
    await t.http
      .post('/api/v1/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(401);
  });

  it('refuses a common password as the new password', async () => {
    const user = await createUser(t);
    const token = await apiToken(t, user);
    const res = await t.http
      .post('/api/v1/auth/password')
      .set('Authorization', `Bearer ${token}`)
      .send({ currentPassword: user.password, newPassword: 'password123' })
      .expect(400);
    expect(res.body.code).toBe('PASSWORD_TOO_COMMON');
  });

  it('names an unknown body field in a 400', async () => {
    const res = await t.http
      .post('/api/v1/auth/token')
      .send({ email: 'a@example.cn', password: 'whatever1', role: 'staff_admin' })
      .expect(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'role', code: 'whitelistValidation' }),
    ]);
  });

  it('requires a token on a non-public route', async () => {
    const res = await t.http.get('/api/v1/auth/me').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });
});
