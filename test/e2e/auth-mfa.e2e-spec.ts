import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { LoginFailure } from '../../src/modules/auth/entities/login-failure.entity.js';
import { RecoveryCode } from '../../src/modules/auth/entities/recovery-code.entity.js';
import { SecretBox } from '../../src/modules/auth/secret-box.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import { apiToken, createUser, type CreatedUser } from '../factories/index.js';
import {
  bearer,
  enrolTotp,
  signInApi,
  totpCode,
  writeDb,
  wrongCode,
} from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('TOTP two-factor authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(() => t.close());
  // Every wrong code also counts against the client address, and all requests here come from
  // one address: each test starts with a clean throttle so that they cannot block each other.
  beforeEach(() => writeDb(t, (m) => m.clear(LoginFailure)));

  async function enrolled(): Promise<CreatedUser & { secret: string; recoveryCodes: string[] }> {
    const user = await createUser(t);
    return { ...user, ...(await enrolTotp(t, await apiToken(t, user))) };
  }

  const mfa = (token: string, body: Record<string, string>) =>
    t.http
      .post('/api/v1/auth/mfa')
      .set(...bearer(token))
      .send(body);

  it('starts enrolment with a base32 secret, an otpauth URI for issuer SZIFA and a QR code', async () => {
    const user = await createUser(t);
    const token = await apiToken(t, user);
    const res = await t.http
      .post('/api/v1/auth/mfa/totp/setup')
      .set(...bearer(token))
      .expect(200);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(res.body.otpauthUri).toBe(
      `otpauth://totp/SZIFA:${encodeURIComponent(user.email)}?secret=${res.body.secret}&issuer=SZIFA&algorithm=SHA1&digits=6&period=30`,
    );
    expect(res.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id });
    expect(stored.totpSecretEnc).toMatch(/^v1\./);
    expect(stored.totpSecretEnc).not.toContain(res.body.secret);
    expect(stored.totpEnabledAt).toBeNull();
    expect((await t.http.get('/api/v1/auth/me').set(...bearer(token))).body.mfaEnabled).toBe(false);
  });

  it('enables TOTP with a current code and returns ten recovery codes, stored only as hashes', async () => {
    const user = await createUser(t);
    const token = await apiToken(t, user);
    const { recoveryCodes } = await enrolTotp(t, token);
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2}$/);
    const rows = await t.dataSource.getRepository(RecoveryCode).findBy({ userId: user.id });
    expect(rows).toHaveLength(10);
    const hashes = rows.map((r) => r.codeHash).join(' ');
    for (const code of recoveryCodes) expect(hashes).not.toContain(code);
    expect((await t.http.get('/api/v1/auth/me').set(...bearer(token))).body.mfaEnabled).toBe(true);
  });

  it('refuses to enable TOTP with a wrong code', async () => {
    const token = await apiToken(t, await createUser(t));
    const setup = await t.http
      .post('/api/v1/auth/mfa/totp/setup')
      .set(...bearer(token))
      .expect(200);
    const res = await t.http
      .post('/api/v1/auth/mfa/totp/enable')
      .set(...bearer(token))
      .send({ code: wrongCode(setup.body.secret) })
      .expect(401);
    expect(res.body.code).toBe('MFA_CODE_INVALID');
  });

  it('refuses to enable TOTP before set-up, and to set it up twice', async () => {
    const token = await apiToken(t, await createUser(t));
    const early = await t.http
      .post('/api/v1/auth/mfa/totp/enable')
      .set(...bearer(token))
      .send({ code: '123456' })
      .expect(409);
    expect(early.body.code).toBe('MFA_SETUP_MISSING');
    await enrolTotp(t, token);
    const again = await t.http
      .post('/api/v1/auth/mfa/totp/setup')
      .set(...bearer(token))
      .expect(409);
    expect(again.body.code).toBe('MFA_ALREADY_ENABLED');
  });

  it('holds a new sign-in at the code step until a valid code is given', async () => {
    const user = await enrolled();
    const { token, pendingStep } = await signInApi(t, user);
    expect(pendingStep).toBe('mfa');
    const held = await t.http
      .post('/api/v1/auth/email/resend')
      .set(...bearer(token))
      .expect(401);
    expect(held.body.code).toBe('MFA_PENDING');
    expect(
      (
        await t.http
          .get('/api/v1/auth/me')
          .set(...bearer(token))
          .expect(200)
      ).body.pendingStep,
    ).toBe('mfa');
    const done = await mfa(token, { code: totpCode(user.secret) }).expect(200);
    expect(done.body).toEqual({ pendingStep: null, method: 'totp', recoveryCodesRemaining: 10 });
    expect(
      (
        await t.http
          .get('/api/v1/auth/me')
          .set(...bearer(token))
          .expect(200)
      ).body.pendingStep,
    ).toBeNull();
    // Past the guard now: the refusal is about the address, not the session.
    const free = await t.http
      .post('/api/v1/auth/email/resend')
      .set(...bearer(token))
      .expect(409);
    expect(free.body.code).toBe('EMAIL_ALREADY_VERIFIED');
  });

  it('never accepts the same code twice', async () => {
    const user = await enrolled();
    const code = totpCode(user.secret);
    const first = await signInApi(t, user);
    await mfa(first.token, { code }).expect(200);
    const second = await signInApi(t, user);
    const replay = await mfa(second.token, { code }).expect(401);
    expect(replay.body.code).toBe('MFA_CODE_INVALID');
    // Nor a code from a step before the last one accepted.
    await mfa(second.token, { code: totpCode(user.secret, -1) }).expect(401);
    await mfa(second.token, { code: totpCode(user.secret, 1) }).expect(200);
  });

  it('refuses a wrong code and records the failure in the audit trail', async () => {
    const user = await enrolled();
    const { token } = await signInApi(t, user);
    const res = await mfa(token, { code: wrongCode(user.secret) }).expect(401);
    expect(res.body.code).toBe('MFA_CODE_INVALID');
    expect(
      await t.dataSource
        .getRepository(AuditEvent)
        .countBy({ subjectId: user.id, action: 'auth.mfa_failed' }),
    ).toBe(1);
    expect((await t.http.get('/api/v1/auth/me').set(...bearer(token))).body.pendingStep).toBe(
      'mfa',
    );
  });

  it('counts wrong codes toward the sign-in throttle of the account', async () => {
    const user = await enrolled();
    const { token } = await signInApi(t, user);
    for (let i = 0; i < 3; i++) await mfa(token, { code: wrongCode(user.secret) }).expect(401);
    const blocked = await mfa(token, { code: totpCode(user.secret) }).expect(429);
    expect(blocked.body.code).toBe('TOO_MANY_ATTEMPTS');
    await t.http
      .post('/api/v1/auth/token')
      .send({ email: user.email, password: user.password })
      .expect(429);
  });

  it('accepts a recovery code once, and never again', async () => {
    const user = await enrolled();
    const [code] = user.recoveryCodes;
    const first = await signInApi(t, user);
    const ok = await mfa(first.token, { recoveryCode: code.toUpperCase() }).expect(200);
    expect(ok.body).toEqual({
      pendingStep: null,
      method: 'recovery_code',
      recoveryCodesRemaining: 9,
    });
    const second = await signInApi(t, user);
    const reused = await mfa(second.token, { recoveryCode: code }).expect(401);
    expect(reused.body.code).toBe('MFA_CODE_INVALID');
    await mfa(second.token, { recoveryCode: user.recoveryCodes[1] }).expect(200);
  });

  it('refuses a recovery code of another user', async () => {
    const owner = await enrolled();
    const other = await enrolled();
    const { token } = await signInApi(t, other);
    await mfa(token, { recoveryCode: owner.recoveryCodes[0] }).expect(401);
  });

  it('wants exactly one of code and recovery code', async () => {
    const user = await enrolled();
    const { token } = await signInApi(t, user);
    await mfa(token, {}).expect(400);
    await mfa(token, { code: totpCode(user.secret), recoveryCode: user.recoveryCodes[0] }).expect(
      400,
    );
  });

  it('answers MFA_NOT_PENDING to a session that owes no code', async () => {
    const token = await apiToken(t, await createUser(t));
    const res = await mfa(token, { code: '123456' }).expect(409);
    expect(res.body.code).toBe('MFA_NOT_PENDING');
  });

  it('requires a signed-in caller for every two-factor operation', async () => {
    for (const path of [
      '/api/v1/auth/mfa',
      '/api/v1/auth/mfa/totp/setup',
      '/api/v1/auth/mfa/totp/enable',
      '/api/v1/auth/mfa/totp/disable',
    ]) {
      const res = await t.http.post(path).send({});
      expect(res.status).toBe(401);
    }
  });

  it('turns TOTP off with the password and a current code; sign-in then needs no code', async () => {
    const user = await enrolled();
    const token = await apiToken(t, user);
    await mfa(token, { code: totpCode(user.secret) }).expect(200);
    const wrongPassword = await t.http
      .post('/api/v1/auth/mfa/totp/disable')
      .set(...bearer(token))
      .send({ password: 'not-my-password', code: totpCode(user.secret, 1) })
      .expect(400);
    expect(wrongPassword.body.code).toBe('CURRENT_PASSWORD_WRONG');
    await t.http
      .post('/api/v1/auth/mfa/totp/disable')
      .set(...bearer(token))
      .send({ password: user.password, code: totpCode(user.secret, 1) })
      .expect(204);
    expect(await t.dataSource.getRepository(RecoveryCode).countBy({ userId: user.id })).toBe(0);
    expect((await signInApi(t, user)).pendingStep).toBeNull();
  });

  it('does not let a session that still owes its code replace the second factor', async () => {
    const user = await enrolled();
    const { token } = await signInApi(t, user);
    const res = await t.http
      .post('/api/v1/auth/mfa/totp/setup')
      .set(...bearer(token))
      .expect(401);
    expect(res.body.code).toBe('MFA_PENDING');
    await t.http
      .post('/api/v1/auth/mfa/totp/enable')
      .set(...bearer(token))
      .send({ code: totpCode(user.secret) })
      .expect(401);
  });

  it('after APP_SECRET changed, lets a person in with a recovery code and enrol again', async () => {
    const user = await enrolled();
    const sealedElsewhere = new SecretBox(
      'a-previous-application-secret-0123456789',
      'szifa-totp',
    ).seal(Buffer.alloc(20, 7));
    await writeDb(t, (m) => m.update(User, { id: user.id }, { totpSecretEnc: sealedElsewhere }));
    const { token } = await signInApi(t, user);
    await mfa(token, { code: totpCode(user.secret) }).expect(401);
    await mfa(token, { recoveryCode: user.recoveryCodes[0] }).expect(200);
    const setup = await t.http
      .post('/api/v1/auth/mfa/totp/setup')
      .set(...bearer(token))
      .expect(200);
    const enabled = await t.http
      .post('/api/v1/auth/mfa/totp/enable')
      .set(...bearer(token))
      .send({ code: totpCode(setup.body.secret) })
      .expect(200);
    expect(enabled.body.recoveryCodes).toHaveLength(10);
    const next = await signInApi(t, user);
    await mfa(next.token, { recoveryCode: user.recoveryCodes[1] }).expect(401);
  });
});
