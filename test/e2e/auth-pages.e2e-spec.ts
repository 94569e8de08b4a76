import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import { apiToken, createUser, DEFAULT_PASSWORD } from '../factories/index.js';
import {
  Browser,
  emailsTo,
  enrolTotp,
  oneCharacterChanged,
  totpCode,
  validCreditCode,
  wrongCode,
} from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let n = 0;
const email = (what: string): string => `${what}.${Date.now().toString(36)}${n++}@example.cn`;

describe('Account pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('registration', () => {
    it('offers both kinds of account', async () => {
      const page = await new Browser(t).get('/register');
      expect(page.status).toBe(200);
      expect(page.text).toContain('href="/register/complainant"');
      expect(page.text).toContain('href="/register/firm"');
    });

    it('labels every field of the firm form', async () => {
      const page = await new Browser(t).get('/register/firm');
      for (const field of [
        'firmName',
        'firmNameEn',
        'creditCode',
        'district',
        'name',
        'email',
        'password',
      ]) {
        expect(page.text).toContain(`<label class="field-label" for="f-${field}">`);
        expect(page.text).toContain(`id="f-${field}"`);
      }
    });

    it('shows each error beside its field and keeps the values, but never the password', async () => {
      const browser = new Browser(t);
      await browser.get('/register/complainant');
      const res = await browser.post('/register/complainant', {
        name: '李 雷',
        email: 'not-an-address',
        password: 'Sh0rt!',
      });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(
        /id="f-email"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*f-email-error"/,
      );
      expect(res.text).toContain('id="f-email-error"');
      expect(res.text).toContain('id="f-password-error"');
      expect(res.text).not.toContain('id="f-name-error"');
      expect(res.text).toContain('value="李 雷"');
      expect(res.text).toContain('value="not-an-address"');
      expect(res.text).not.toContain('Sh0rt!');
      expect(res.text).toContain('data-testid="error-summary"');
    });

    it('names a missing field in its own error', async () => {
      const browser = new Browser(t);
      await browser.get('/register/complainant?lang=en');
      const res = await browser.post('/register/complainant', {
        name: '',
        email: email('blank'),
        password: DEFAULT_PASSWORD,
      });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(
        /id="f-name-error"><span class="visually-hidden">[^<]*<\/span>Name is required\./,
      );
    });

    it('refuses the form without its CSRF token', async () => {
      const browser = new Browser(t);
      await browser.get('/register/complainant');
      const address = email('nocsrf');
      const res = await browser.post(
        '/register/complainant',
        { name: '无令牌', email: address, password: DEFAULT_PASSWORD },
        { csrf: false },
      );
      expect(res.status).toBe(403);
      expect(await t.dataSource.getRepository(User).countBy({ email: address })).toBe(0);
    });

    it('registers a complainant, signs them in and goes home', async () => {
      const browser = new Browser(t);
      await browser.get('/register/complainant');
      const address = email('page.complainant');
      const res = await browser.post('/register/complainant', {
        name: '张三',
        email: address,
        password: DEFAULT_PASSWORD,
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
      const cookie = (res.headers['set-cookie'] as string[]).find((c) =>
        c.startsWith('szifa_session='),
      );
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Max-Age=28800/i);
      const user = await t.dataSource.getRepository(User).findOneByOrFail({ email: address });
      expect(user.role).toBe('complainant');
      expect(user.emailVerifiedAt).toBeNull();
      expect(await emailsTo(t, address, 'verify-email')).toHaveLength(1);
      const account = await browser.get('/account');
      expect(account.status).toBe(200);
      expect(account.text).toContain(address);
    });

    it('shows a taken e-mail beside the e-mail field', async () => {
      const existing = await createUser(t);
      const browser = new Browser(t);
      await browser.get('/register/complainant');
      const res = await browser.post('/register/complainant', {
        name: '重复',
        email: existing.email,
        password: DEFAULT_PASSWORD,
      });
      expect(res.status).toBe(409);
      expect(res.text).toMatch(/id="f-email-error">[\s\S]*该电子邮箱已注册/);
    });

    it('shows an invalid credit code beside its field, keeps the values and stores nothing', async () => {
      const browser = new Browser(t);
      await browser.get('/register/firm');
      const address = email('page.badcode');
      const code = oneCharacterChanged(validCreditCode());
      const res = await browser.post('/register/firm', {
        firmName: '深圳市页面测试科技有限公司',
        firmNameEn: '',
        creditCode: code,
        district: 'futian',
        name: '赵六',
        email: address,
        password: DEFAULT_PASSWORD,
      });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/id="f-creditCode-error">[\s\S]*统一社会信用代码无效/);
      expect(res.text).toContain(`value="${code}"`);
      expect(res.text).toContain('value="深圳市页面测试科技有限公司"');
      expect(res.text).toContain('<option value="futian" selected>');
      expect(await t.dataSource.getRepository(User).countBy({ email: address })).toBe(0);
      expect(await t.dataSource.getRepository(Firm).countBy({ creditCode: code })).toBe(0);
    });

    it('registers a firm with its administrator, signs in and goes home', async () => {
      const browser = new Browser(t);
      await browser.get('/register/firm?lang=en');
      const address = email('page.firm');
      const code = validCreditCode();
      const res = await browser.post('/register/firm', {
        firmName: '深圳市页面注册科技有限公司',
        firmNameEn: '',
        creditCode: code,
        district: 'qianhai',
        name: 'Zhao Liu',
        email: address,
        password: DEFAULT_PASSWORD,
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
      const firm = await t.dataSource.getRepository(Firm).findOneByOrFail({ creditCode: code });
      expect(firm.status).toBe('applicant');
      expect(firm.nameEn).toBeNull();
      const user = await t.dataSource.getRepository(User).findOneByOrFail({ email: address });
      expect(user).toEqual(
        expect.objectContaining({ role: 'firm_admin', firmId: firm.id, locale: 'en' }),
      );
      expect((await emailsTo(t, address, 'verify-email'))[0].locale).toBe('en');
    });
  });

  describe('two-factor sign-in', () => {
    it('sends a session that owes a code to the code page, and lets it in with a code', async () => {
      const user = await createUser(t);
      const { secret } = await enrolTotp(t, await apiToken(t, user));
      const browser = new Browser(t);
      expect(await browser.signInAs(user)).toBe('mfa');
      const held = await browser.get('/account');
      expect(held.status).toBe(303);
      expect(held.headers.location).toBe('/sign-in/mfa');
      const page = await browser.get('/sign-in/mfa?next=%2Faccount');
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="next" value="/account"');
      const wrong = await browser.post('/sign-in/mfa', {
        code: wrongCode(secret),
        next: '/account',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('id="f-code-error"');
      const ok = await browser.post('/sign-in/mfa', { code: totpCode(secret), next: '/account' });
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe('/account');
      expect((await browser.get('/account')).status).toBe(200);
    });

    it('takes a recovery code in the same box', async () => {
      const user = await createUser(t);
      const { recoveryCodes } = await enrolTotp(t, await apiToken(t, user));
      const browser = new Browser(t);
      await browser.signInAs(user);
      await browser.get('/sign-in/mfa');
      const ok = await browser.post('/sign-in/mfa', { code: recoveryCodes[0] });
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe('/');
    });

    it('refuses to follow a next address off the site', async () => {
      const user = await createUser(t);
      const { secret } = await enrolTotp(t, await apiToken(t, user));
      const browser = new Browser(t);
      await browser.signInAs(user);
      await browser.get('/sign-in/mfa');
      const ok = await browser.post('/sign-in/mfa', {
        code: totpCode(secret),
        next: '//evil.example/',
      });
      expect(ok.headers.location).toBe('/');
    });

    it('refuses the code form without its CSRF token', async () => {
      const user = await createUser(t);
      const { secret } = await enrolTotp(t, await apiToken(t, user));
      const browser = new Browser(t);
      await browser.signInAs(user);
      await browser.get('/sign-in/mfa');
      const res = await browser.post('/sign-in/mfa', { code: totpCode(secret) }, { csrf: false });
      expect(res.status).toBe(403);
    });

    it('sends a visitor without a session to sign in', async () => {
      const res = await new Browser(t).get('/sign-in/mfa');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/sign-in\?next=/);
    });
  });

  describe('two-factor settings', () => {
    it('sends a GET of a set-up step back to the start, keeping the language', async () => {
      const browser = new Browser(t);
      await browser.signInAs(await createUser(t));
      const res = await browser.get('/account/mfa/setup?lang=en');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/mfa?lang=en');
    });

    it('enrols, shows the recovery codes once, and turns off again', async () => {
      const user = await createUser(t);
      const browser = new Browser(t);
      await browser.signInAs(user);
      const start = await browser.get('/account/mfa');
      expect(start.text).toContain('data-testid="mfa-state-off"');
      const setup = await browser.post('/account/mfa/setup', {});
      const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(setup.text)?.[1] ?? '';
      const mistyped = await browser.post('/account/mfa/enable', { code: wrongCode(secret) });
      expect(mistyped.status).toBe(401);
      expect(mistyped.text).toContain('id="f-code-error"');
      expect(mistyped.text).toContain(`data-testid="totp-secret">${secret}<`);
      const enabled = await browser.post('/account/mfa/enable', { code: totpCode(secret, -1) });
      expect(enabled.text).toContain('data-testid="mfa-state-codes"');
      const again = await browser.get('/account/mfa');
      expect(again.text).toContain('data-testid="mfa-state-enabled"');
      expect(again.text).not.toMatch(/[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2}<\/code>/);
      const wrongPassword = await browser.post('/account/mfa/disable', {
        password: 'nope-nope',
        code: totpCode(secret),
      });
      expect(wrongPassword.status).toBe(400);
      expect(wrongPassword.text).toContain('id="f-password-error"');
      const off = await browser.post('/account/mfa/disable', {
        password: user.password,
        code: totpCode(secret),
      });
      expect(off.status).toBe(200);
      expect(off.text).toContain('data-testid="mfa-state-off"');
    });
  });
});
