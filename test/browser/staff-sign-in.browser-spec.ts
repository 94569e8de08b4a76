import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORDS } from '../../src/database/seeds/demo-data.js';
import { seedDemo } from '../../src/database/seeds/demo.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('A staff administrator signs in with a browser', () => {
  let t: TestApp;
  let base: string;
  let page: Page;
  let session: BrowserSession;

  beforeAll(async () => {
    t = await startTestApp();
    session = await openBrowser(t, {});
    ({ base, page } = session);
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
  });

  const shot = (name: string): Promise<Buffer> => session.shot(name);

  it('signs in in Chinese, switches to English, and sees the staff home with their name', async () => {
    const seeded = await seedDemo(t.app);
    const admin = seeded.staffAdmins[0];

    await page.goto(`${base}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      '互联网金融',
    );
    await shot('anonymous-home.zh-CN');

    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: '登录' })
      .click();
    await page.waitForURL(`${base}/sign-in`);
    await shot('sign-in.zh-CN');

    await page.getByRole('textbox', { name: '电子邮箱', exact: true }).fill(admin.email);
    await page.getByRole('textbox', { name: '密码', exact: true }).fill(DEMO_PASSWORDS.staff_admin);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${base}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      '协会管理工作台',
    );
    await expect(page.getByTestId('current-user').textContent()).resolves.toContain(admin.name);
    await shot('staff-home.zh-CN');

    await page.getByTestId('lang-switch').click();
    await page.waitForURL(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Association administration',
    );
    await expect(page.getByTestId('current-user').textContent()).resolves.toContain(admin.name);
    await expect(page.getByTestId('staff-overview').textContent()).resolves.toContain(
      'Association administrator',
    );
    await shot('staff-home.en');

    // The language choice is remembered: after signing out the public pages stay in English.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(
      page.getByRole('link', { name: 'Create an account' }).first().isVisible(),
    ).resolves.toBe(true);
    await shot('anonymous-home.en');
    await page.goto(`${base}/sign-in`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Sign in to the platform',
    );
    await shot('sign-in.en');

    expect(session.problems).toEqual([]);
  });

  it('keeps the e-mail but never the password when the password is wrong', async () => {
    await page.goto(`${base}/sign-in?lang=zh-CN`);
    await page
      .getByRole('textbox', { name: '电子邮箱', exact: true })
      .fill('admin@demo.szifa.org.cn');
    await page.getByRole('textbox', { name: '密码', exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByTestId('error-summary').textContent()).resolves.toContain(
      '电子邮箱或密码不正确。',
    );
    await expect(
      page.getByRole('textbox', { name: '电子邮箱', exact: true }).inputValue(),
    ).resolves.toBe('admin@demo.szifa.org.cn');
    await expect(
      page.getByRole('textbox', { name: '密码', exact: true }).inputValue(),
    ).resolves.toBe('');
    await shot('sign-in-error.zh-CN');
    expect(session.problems).toEqual([]);
  });
});
