import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { beijingYear } from '../../src/common/time/beijing.js';
import { createFirm, createUser, type CreatedUser } from '../factories/index.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The acceptance journey of certificates (issue 7): a staff administrator issues a membership
 * certificate for an active member firm on /staff/certificates; the public verification page the
 * QR code points to says it is valid and names the firm; the administrator revokes it with a
 * reason, and the same verification page then says it is revoked and why.
 */
describe('A staff administrator issues and revokes a certificate that the public can verify', () => {
  let t: TestApp;
  let base: string;
  let page: Page;
  let session: BrowserSession;
  let staffAdmin: CreatedUser;
  let serial: string;
  let verifyUrl: string;

  const firmName = '深圳市浏览器证书测试网络小额贷款有限公司';
  const reason = '该机构已申请暂停会员资格（浏览器测试）';

  beforeAll(async () => {
    t = await startTestApp();
    session = await openBrowser(t, { locale: 'zh-CN', shotPrefix: 'certificates-' });
    ({ base, page } = session);
    await createFirm(t, {
      name: firmName,
      status: 'active',
      tier: 'member',
      memberSince: '2024-01-15',
    });
    staffAdmin = await createUser(t, { role: 'staff_admin' });
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
  });

  const shot = (name: string): Promise<Buffer> => session.shot(name);

  async function signIn(user: { email: string; password: string }): Promise<void> {
    await page.goto(`${base}/sign-in`);
    await page.getByRole('textbox', { name: '电子邮箱', exact: true }).fill(user.email);
    await page.getByRole('textbox', { name: '密码', exact: true }).fill(user.password);
    await Promise.all([
      page.waitForURL(`${base}/`),
      page.getByRole('button', { name: '登录', exact: true }).click(),
    ]);
  }

  async function signOut(): Promise<void> {
    await Promise.all([
      page.waitForURL(`${base}/`),
      page.getByRole('button', { name: '退出登录' }).click(),
    ]);
  }

  async function press(selector: string): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
  }

  /** What a person sees on the page must not betray the template: no raw keys, no objects. */
  async function expectCleanPage(): Promise<void> {
    const text = (await page.locator('body').innerText()) ?? '';
    expect(text).not.toMatch(/certificates\.[a-zA-Z]+\.[a-zA-Z.]+/);
    expect(text).not.toContain('[object Object]');
    expect(text).not.toContain('undefined');
    expect(text).not.toContain('NaN');
  }

  const verifyStatus = (): Promise<string | null> =>
    page.getByTestId('certificate-verify-status').textContent();

  it('issues a membership certificate with a serial SZIFA-MEM-YYYY-NNNNNN', async () => {
    await signIn(staffAdmin);
    await page.goto(`${base}/staff/certificates`);
    await page.locator('#f-kind').selectOption('membership');
    await page.locator('#f-firm').selectOption({ label: firmName });
    await shot('01-issue-form');
    await press('[data-testid="issue-form"] button[type="submit"]');
    expect(page.url()).toMatch(/\/staff\/certificates\?issued=SZIFA-MEM-\d{4}-\d{6}$/);
    const row = page.getByTestId('certificates').locator('tbody tr').first();
    serial = (await row.getAttribute('data-serial')) ?? '';
    expect(serial).toBe(`SZIFA-MEM-${beijingYear(new Date())}-000001`);
    await expect(page.getByTestId('certificates-notice').textContent()).resolves.toContain(serial);
    await expect(row.textContent()).resolves.toContain(firmName);
    const link = row.getByRole('link', { name: serial });
    verifyUrl = new URL((await link.getAttribute('href')) ?? '', base).toString();
    expect(verifyUrl).toBe(`${base}/verify/${serial}`);
    await shot('02-issued');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('shows the certificate valid, with the Chinese firm name, on the verification page', async () => {
    await page.goto(verifyUrl);
    await expect(verifyStatus()).resolves.toBe('有效');
    await expect(page.getByTestId('certificate-facts').textContent()).resolves.toContain(firmName);
    await expect(page.getByTestId('certificate-revocation').count()).resolves.toBe(0);
    // The QR code's link, as signed, leads to this very page.
    const signed = JSON.parse(
      (await page.locator('code.pledge-hash').first().textContent()) ?? '{}',
    ) as { verifyUrl?: string };
    expect(new URL(signed.verifyUrl ?? '', base).pathname).toBe(`/verify/${serial}`);
    await shot('03-verify-valid');
    await expectCleanPage();
    expect(session.problems).toEqual([]);
  });

  it('shows the certificate revoked, with the reason, once staff revoke it', async () => {
    await signIn(staffAdmin);
    await page.goto(`${base}/staff/certificates`);
    const row = page.locator(`tr[data-serial="${serial}"]`);
    await row.getByTestId('revoke-form').locator('input[name="reason"]').fill(reason);
    await press(`tr[data-serial="${serial}"] [data-testid="revoke-form"] button[type="submit"]`);
    expect(page.url()).toBe(`${base}/staff/certificates?done=revoked`);
    await expect(row.getByTestId('certificate-status').textContent()).resolves.toContain('已撤销');
    await expect(row.getByTestId('revoke-form').count()).resolves.toBe(0);
    await shot('04-revoked');
    await expectCleanPage();
    await signOut();

    await page.goto(verifyUrl);
    await expect(verifyStatus()).resolves.toBe('已撤销');
    await expect(page.getByTestId('certificate-revocation').textContent()).resolves.toContain(
      reason,
    );
    await shot('05-verify-revoked');
    await expectCleanPage();
    expect(session.problems).toEqual([]);
  });
});
