import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../../src/database/transaction.service.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { createUser } from '../factories/index.js';
import { csrfFrom, csrfOf, nameOf, setCookie, signInWeb, webAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('Sign-in, sign-out and account pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(() => t.close());

  describe('sign-in page', () => {
    it('is in Chinese by default', async () => {
      const res = await t.http.get('/sign-in').expect(200);
      expect(res.text).toContain('<html lang="zh-CN">');
      expect(res.text).toContain('登录自律平台');
      expect(res.text).toContain('href="/forgot-password"');
      expect(res.text).toContain('href="/register"');
    });

    it('switches to English with ?lang=en and remembers the choice in a cookie', async () => {
      const agent = webAgent(t);
      const first = await agent.get('/sign-in?lang=en').expect(200);
      expect(first.text).toContain('<html lang="en">');
      expect(first.text).toContain('Sign in to the platform');
      expect(setCookie(first, 'szifa_lang')?.value).toBe('en');
      const again = await agent.get('/sign-in').expect(200);
      expect(again.text).toContain('<html lang="en">');
      expect(again.text).not.toContain('登录自律平台');
    });

    it('sets an httpOnly, SameSite=Lax session cookie for the right password, and home greets the user by name', async () => {
      const user = await createUser(t, { role: 'complainant' });
      const agent = webAgent(t);
      const _csrf = await csrfOf(agent, '/sign-in');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf, email: user.email, password: user.password })
        .expect(303);
      expect(res.headers.location).toBe('/');
      const cookie = setCookie(res, 'szifa_session');
      expect(cookie?.value).toBeTruthy();
      expect(cookie?.line).toMatch(/HttpOnly/i);
      expect(cookie?.line).toMatch(/SameSite=Lax/i);
      expect(cookie?.line).toMatch(/Max-Age=28800/i);
      expect(cookie?.line).not.toMatch(/Secure/i);
      const home = await agent.get('/').expect(200);
      expect(home.text).toContain(await nameOf(t, user.id));
      expect(home.text).toContain('data-testid="tasks"');
    });

    it('shows a wrong password on the form with status 401 and the e-mail kept', async () => {
      const user = await createUser(t);
      const agent = webAgent(t);
      const _csrf = await csrfOf(agent, '/sign-in');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf, email: user.email, password: 'not-the-password' })
        .expect(401);
      expect(res.text).toContain('电子邮箱或密码不正确。');
      expect(res.text).toContain(`value="${user.email}"`);
      expect(res.text).not.toContain('not-the-password');
      expect(setCookie(res, 'szifa_session')).toBeNull();
    });

    it('answers an unknown e-mail exactly as a wrong password', async () => {
      const agent = webAgent(t);
      const _csrf = await csrfOf(agent, '/sign-in?lang=en');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf, email: 'nobody-here@example.cn', password: 'whatever-it-is' })
        .expect(401);
      expect(res.text).toContain('The e-mail address or password is incorrect.');
    });

    it('shows validation errors beside their fields, linked from the summary', async () => {
      const agent = webAgent(t);
      const _csrf = await csrfOf(agent, '/sign-in');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf, email: 'not-an-address', password: '' })
        .expect(400);
      expect(res.text).toContain('aria-invalid="true"');
      expect(res.text).toMatch(/id="f-email-error"[^>]*>.*电子邮箱不是有效的电子邮箱地址/);
      expect(res.text).toMatch(/id="f-password-error"[^>]*>.*请填写密码/);
      expect(res.text).toContain('aria-describedby="f-password-error"');
      expect(res.text).toContain('href="#f-email"');
      expect(res.text.indexOf('href="#f-email"')).toBeLessThan(
        res.text.indexOf('href="#f-password"'),
      );
      expect(res.text).toContain('value="not-an-address"');
    });

    it('answers 429 on the form once an account is throttled', async () => {
      const user = await createUser(t);
      const agent = webAgent(t);
      const _csrf = await csrfOf(agent, '/sign-in');
      for (let i = 0; i < 3; i++) {
        await agent
          .post('/sign-in')
          .type('form')
          .send({ _csrf, email: user.email, password: 'wrong-password' })
          .expect(401);
      }
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf, email: user.email, password: user.password })
        .expect(429);
      expect(res.text).toContain('登录失败次数过多，请稍后再试。');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(setCookie(res, 'szifa_session')).toBeNull();
    });

    it('follows a local next path after sign-in', async () => {
      const user = await createUser(t);
      const agent = webAgent(t);
      const page = await agent.get('/sign-in?next=%2Faccount').expect(200);
      expect(page.text).toContain('name="next" value="/account"');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          email: user.email,
          password: user.password,
          next: '/account',
        })
        .expect(303);
      expect(res.headers.location).toBe('/account');
    });

    it.each([['https://evil.example/phish'], ['//evil.example/phish'], ['/\\evil.example']])(
      'ignores a next that leaves the site (%s)',
      async (next) => {
        const user = await createUser(t);
        const agent = webAgent(t);
        const page = await agent.get(`/sign-in?next=${encodeURIComponent(next)}`).expect(200);
        expect(page.text).not.toContain('name="next"');
        const res = await agent
          .post('/sign-in')
          .type('form')
          .send({ _csrf: csrfFrom(page.text), email: user.email, password: user.password, next })
          .expect(303);
        expect(res.headers.location).toBe('/');
      },
    );

    it('sends a user with a second factor to the code step, signed in only half-way', async () => {
      const user = await createUser(t, { role: 'mediator' });
      const users = t.app.get(UsersService);
      await t.app
        .get(TransactionService)
        .run((m) => users.update(m, user.id, { totpEnabledAt: new Date() }));
      const agent = webAgent(t);
      const _csrf = await csrfOf(agent, '/sign-in');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf, email: user.email, password: user.password })
        .expect(303);
      expect(res.headers.location).toBe('/sign-in/mfa');
      const account = await agent.get('/account').set('Accept', 'text/html').expect(303);
      expect(account.headers.location).toBe('/sign-in/mfa');
    });

    it('sends a signed-in visitor on to home instead of showing the form', async () => {
      const user = await createUser(t);
      const agent = await signInWeb(t, user);
      const res = await agent.get('/sign-in').expect(303);
      expect(res.headers.location).toBe('/');
    });
  });

  describe('CSRF on forms', () => {
    it('refuses a sign-out posted without its token (403) and the session stays valid', async () => {
      const user = await createUser(t);
      const agent = await signInWeb(t, user);
      const res = await agent
        .post('/sign-out')
        .type('form')
        .send({})
        .set('Accept', 'text/html')
        .expect(403);
      expect(res.text).toContain('表单已过期或来源不可信');
      await agent.get('/account').expect(200);
    });

    it('refuses a sign-out posted with a wrong token (403) and the session stays valid', async () => {
      const user = await createUser(t);
      const agent = await signInWeb(t, user);
      const real = await csrfOf(agent, '/account');
      const forged = real.slice(0, -2) + (real.endsWith('AA') ? 'BB' : 'AA');
      await agent.post('/sign-out').type('form').send({ _csrf: forged }).expect(403);
      await agent.get('/account').expect(200);
    });

    it('refuses a sign-in posted from a browser that never loaded the form', async () => {
      const user = await createUser(t);
      const res = await t.http
        .post('/sign-in')
        .type('form')
        .send({ _csrf: 'made-up', email: user.email, password: user.password })
        .expect(403);
      expect(setCookie(res, 'szifa_session')).toBeNull();
    });

    it('refuses a password change without its token, and the password stays the same', async () => {
      const user = await createUser(t);
      const agent = await signInWeb(t, user);
      await agent
        .post('/account/password')
        .type('form')
        .send({
          currentPassword: user.password,
          newPassword: 'Zq8!wTr4nBv6',
          confirmPassword: 'Zq8!wTr4nBv6',
        })
        .expect(403);
      await signInWeb(t, user);
    });
  });

  describe('sign-out', () => {
    it('ends the session: a request with the old cookie value is treated as signed out', async () => {
      const user = await createUser(t);
      const agent = webAgent(t);
      const _csrf = await csrfOf(agent, '/sign-in');
      const signedIn = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf, email: user.email, password: user.password })
        .expect(303);
      const old = setCookie(signedIn, 'szifa_session')?.value ?? '';
      const name = await nameOf(t, user.id);
      const out = await agent
        .post('/sign-out')
        .type('form')
        .send({ _csrf: await csrfOf(agent, '/') })
        .expect(303);
      expect(out.headers.location).toBe('/');
      expect(setCookie(out, 'szifa_session')?.line).toMatch(/Expires=Thu, 01 Jan 1970/i);

      const replay = await t.http
        .get('/account')
        .set('Cookie', `szifa_session=${old}`)
        .set('Accept', 'text/html')
        .expect(303);
      expect(replay.headers.location).toBe('/sign-in?next=%2Faccount');
      const home = await t.http.get('/').set('Cookie', `szifa_session=${old}`).expect(200);
      expect(home.text).not.toContain(name);
      expect(home.text).toContain('深府〔2014〕23号');
    });
  });

  describe('account page', () => {
    it('sends a visitor to sign-in and back', async () => {
      const res = await t.http.get('/account').set('Accept', 'text/html').expect(303);
      expect(res.headers.location).toBe('/sign-in?next=%2Faccount');
    });

    it('shows name, e-mail, role and the verification and two-factor status', async () => {
      const user = await createUser(t, { role: 'firm_admin', verified: false });
      const agent = await signInWeb(t, user);
      const res = await agent.get('/account?lang=en').expect(200);
      expect(res.text).toContain(await nameOf(t, user.id));
      expect(res.text).toContain(user.email);
      expect(res.text).toContain('Firm administrator');
      expect(res.text).toMatch(/data-testid="email-status">Not verified/);
      expect(res.text).toMatch(/data-testid="mfa-status">Off/);
      expect(res.text).toContain('href="/account/mfa"');
    });

    it('changes the password: a new session cookie, a success notice, and every old session ended', async () => {
      const user = await createUser(t);
      const other = await signInWeb(t, user);
      const agent = await signInWeb(t, user);
      const _csrf = await csrfOf(agent, '/account');
      const next = 'Zq8!wTr4nBv6';
      const res = await agent
        .post('/account/password')
        .type('form')
        .send({ _csrf, currentPassword: user.password, newPassword: next, confirmPassword: next })
        .expect(303);
      expect(res.headers.location).toBe('/account?changed=password');
      expect(setCookie(res, 'szifa_session')?.line).toMatch(/HttpOnly/i);
      const page = await agent.get('/account?changed=password').expect(200);
      expect(page.text).toContain('密码已修改');
      await other.get('/account').set('Accept', 'text/html').expect(303);
      await signInWeb(t, { email: user.email, password: next });
    });

    it('shows a wrong current password beside that field', async () => {
      const user = await createUser(t);
      const agent = await signInWeb(t, user);
      const _csrf = await csrfOf(agent, '/account');
      const res = await agent
        .post('/account/password')
        .type('form')
        .send({
          _csrf,
          currentPassword: 'not-it-at-all',
          newPassword: 'Zq8!wTr4nBv6',
          confirmPassword: 'Zq8!wTr4nBv6',
        })
        .expect(400);
      expect(res.text).toMatch(/id="f-currentPassword-error"[^>]*>.*当前密码不正确。/);
      expect(res.text).not.toContain('not-it-at-all');
      expect(res.text).not.toContain('Zq8!wTr4nBv6');
      await agent.get('/account').expect(200);
    });

    it('refuses a confirmation that does not match, and a common new password', async () => {
      const user = await createUser(t);
      const agent = await signInWeb(t, user);
      const _csrf = await csrfOf(agent, '/account');
      const mismatch = await agent
        .post('/account/password')
        .type('form')
        .send({
          _csrf,
          currentPassword: user.password,
          newPassword: 'Zq8!wTr4nBv6',
          confirmPassword: 'Zq8!wTr4nBv7',
        })
        .expect(400);
      expect(mismatch.text).toMatch(/id="f-confirmPassword-error"[^>]*>.*两次输入的新密码不一致。/);
      const common = await agent
        .post('/account/password')
        .type('form')
        .send({
          _csrf,
          currentPassword: user.password,
          newPassword: 'password123',
          confirmPassword: 'password123',
        })
        .expect(400);
      expect(common.text).toMatch(/id="f-newPassword-error"[^>]*>.*该密码过于常见/);
      await signInWeb(t, user);
    });
  });

  describe('every page', () => {
    it('refuses a non-staff user on a staff page with 403', async () => {
      const user = await createUser(t, { role: 'firm_admin' });
      const agent = await signInWeb(t, user);
      const res = await agent.get('/staff/audit').set('Accept', 'text/html').expect(403);
      expect(res.text).toContain('您无权执行此操作。');
    });

    it('carries a Content-Security-Policy header, errors included', async () => {
      const user = await createUser(t);
      const agent = await signInWeb(t, user);
      const responses = [
        await t.http.get('/'),
        await t.http.get('/sign-in?lang=en'),
        await agent.get('/'),
        await agent.get('/account'),
        await agent.get('/staff/audit').set('Accept', 'text/html'),
        await t.http.get('/no-such-page').set('Accept', 'text/html'),
      ];
      for (const res of responses) {
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      }
    });
  });
});
