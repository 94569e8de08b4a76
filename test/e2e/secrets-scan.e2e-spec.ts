import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { resolveAppSecret } from '../../src/config/secrets.js';
import { createUser } from '../factories/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const PASSWORD = 'Wq7#Secret-Original-41';
const WRONG_PASSWORD = 'Wq7#Secret-Wrong-42';
const NEW_PASSWORD = 'Wq7#Secret-Changed-43';
const COMMON_PASSWORD = 'password123';

/**
 * Walks the sign-in journey through the API with known secrets, logging at debug, then looks
 * for those secrets everywhere they must never appear: response bodies (other than the one
 * that issues a token) and log lines.
 */
describe('secrets never reach responses or logs', () => {
  let t: TestApp;
  const bodies: Array<{ label: string; status: number; text: string }> = [];
  const tokens: Array<{ token: string; issuedBy: string }> = [];
  let passwordHash = '';

  const record = (label: string, res: Response): Response => {
    bodies.push({ label, status: res.status, text: res.text ?? '' });
    return res;
  };

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'debug' });
    const user = await createUser(t, { role: 'firm_admin', password: PASSWORD });

    record(
      'failed sign-in',
      await t.http.post('/api/v1/auth/token').send({ email: user.email, password: WRONG_PASSWORD }),
    );
    record(
      'sign-in with an unknown field',
      await t.http
        .post('/api/v1/auth/token')
        .send({ email: user.email, password: PASSWORD, role: 'staff_admin' }),
    );
    record(
      'malformed JSON holding a password',
      await t.http
        .post('/api/v1/auth/token')
        .set('Content-Type', 'application/json')
        .send(`{"email":"${user.email}","password":"${PASSWORD}"`),
    );

    const signIn = record(
      'sign-in',
      await t.http.post('/api/v1/auth/token').send({ email: user.email, password: PASSWORD }),
    );
    const first = (signIn.body as { accessToken: string }).accessToken;
    tokens.push({ token: first, issuedBy: 'sign-in' });
    const bearer = `Bearer ${first}`;

    record('token use', await t.http.get('/api/v1/auth/me').set('Authorization', bearer));
    record(
      'firm read',
      await t.http.get(`/api/v1/firms/${user.firmId}`).set('Authorization', bearer),
    );
    record(
      'password change with a wrong current password',
      await t.http
        .post('/api/v1/auth/password')
        .set('Authorization', bearer)
        .send({ currentPassword: WRONG_PASSWORD, newPassword: NEW_PASSWORD }),
    );
    record(
      'password change to a common password',
      await t.http
        .post('/api/v1/auth/password')
        .set('Authorization', bearer)
        .send({ currentPassword: PASSWORD, newPassword: COMMON_PASSWORD }),
    );
    const change = record(
      'password change',
      await t.http
        .post('/api/v1/auth/password')
        .set('Authorization', bearer)
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
    );
    const second = (change.body as { accessToken: string }).accessToken;
    tokens.push({ token: second, issuedBy: 'password change' });

    record(
      'old token after the change',
      await t.http.get('/api/v1/auth/me').set('Authorization', bearer),
    );
    record(
      'new token use',
      await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${second}`),
    );
    record(
      'logout',
      await t.http.post('/api/v1/auth/logout').set('Authorization', `Bearer ${second}`),
    );
    record(
      'token after logout',
      await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${second}`),
    );

    const [row] = await t.dataSource.query<Array<{ h: string }>>(
      t.config.usesPostgres
        ? 'SELECT "passwordHash" AS h FROM users WHERE id = $1'
        : 'SELECT passwordHash AS h FROM users WHERE id = ?',
      [user.id],
    );
    passwordHash = row.h;
  });
  afterAll(() => t.close());

  it('walked the journey it claims to check', () => {
    expect(Object.fromEntries(bodies.map((b) => [b.label, b.status]))).toEqual({
      'failed sign-in': 401,
      'sign-in with an unknown field': 400,
      'malformed JSON holding a password': 400,
      'sign-in': 200,
      'token use': 200,
      'firm read': 200,
      'password change with a wrong current password': 400,
      'password change to a common password': 400,
      'password change': 200,
      'old token after the change': 401,
      'new token use': 200,
      logout: 204,
      'token after logout': 401,
    });
    expect(tokens.every((x) => x.token.split('.').length === 3)).toBe(true);
    expect(passwordHash.startsWith('$argon2')).toBe(true);
    expect(t.logs.filter((line) => line.includes('"http.request"')).length).toBeGreaterThanOrEqual(
      bodies.length,
    );
    expect(
      t.logs.some((line) => line.includes('"level":"debug"') || line.includes('"level":"info"')),
    ).toBe(true);
  });

  it('puts no password, hash or app secret in any response body', () => {
    const secrets = [
      PASSWORD,
      WRONG_PASSWORD,
      NEW_PASSWORD,
      COMMON_PASSWORD,
      '$argon2',
      passwordHash,
      resolveAppSecret(t.config),
    ];
    for (const { label, text } of bodies) {
      for (const secret of secrets) expect([label, text.includes(secret)]).toEqual([label, false]);
    }
  });

  it('returns each token only in the response that issued it', () => {
    for (const { token, issuedBy } of tokens) {
      const carriers = bodies.filter((b) => b.text.includes(token)).map((b) => b.label);
      expect(carriers).toEqual([issuedBy]);
    }
  });

  it('writes no password, token, hash or app secret to any log line', () => {
    const secrets = [
      PASSWORD,
      WRONG_PASSWORD,
      NEW_PASSWORD,
      COMMON_PASSWORD,
      '$argon2',
      passwordHash,
      resolveAppSecret(t.config),
      ...tokens.map((x) => x.token),
      // A token's signature alone is enough to matter.
      ...tokens.map((x) => x.token.split('.')[2]),
    ];
    for (const line of t.logs) {
      for (const secret of secrets) expect([line, line.includes(secret)]).toEqual([line, false]);
    }
  });

  it('keeps passwords and tokens out of the audit trail', async () => {
    const rows = await t.dataSource.query<Array<Record<string, unknown>>>(
      'SELECT * FROM audit_events',
    );
    expect(rows.length).toBeGreaterThan(0);
    const dump = JSON.stringify(rows);
    for (const secret of [
      PASSWORD,
      NEW_PASSWORD,
      WRONG_PASSWORD,
      '$argon2',
      ...tokens.map((x) => x.token),
    ]) {
      expect(dump.includes(secret)).toBe(false);
    }
  });
});
