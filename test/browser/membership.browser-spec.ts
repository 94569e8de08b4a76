import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { simplePdf } from '../../src/database/seeds/demo-pdf.js';
import { IMPORT_COLUMNS } from '../../src/modules/membership/members-csv.js';
import { createUser, DEFAULT_PASSWORD, randomCreditCode } from '../factories/index.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The acceptance journey of membership: a firm registers, completes its record, uploads its
 * business licence and applies; a reviewer asks for a change; the firm resubmits; an
 * administrator approves; anyone can then find the firm in the public directory. Each person
 * signs in and out in the same browser, as people sharing a test machine would.
 */
describe('A firm becomes a member through the browser', () => {
  let t: TestApp;
  let base: string;
  let page: Page;
  let session: BrowserSession;

  const firmName = `深圳市浏览器测试支付科技有限公司${Date.now().toString(36).slice(-4)}`;
  const firmNameEn = 'Shenzhen Browser Test Payment Technology Co., Ltd.';
  const creditCode = randomCreditCode();
  const firmEmail = `admin.${Date.now().toString(36)}@browser-test.example.cn`;
  const firmPassword = 'Qm8#vTz4Lp2x';
  const comment = '请在机构资料中补充公司官网地址，并确认注册资本与营业执照一致。';
  let reviewer: { email: string; password: string };
  let admin: { email: string; password: string };
  let licencePath: string;

  beforeAll(async () => {
    t = await startTestApp();
    session = await openBrowser(t, { locale: 'zh-CN', shotPrefix: 'membership-' });
    ({ base, page } = session);
    // The business licence scan the firm uploads: a real (tiny) PDF file on disk.
    licencePath = join(session.profile, '营业执照.pdf');
    writeFileSync(
      licencePath,
      simplePdf(['BUSINESS LICENCE (TEST SCAN)', firmNameEn, `Credit code ${creditCode}`]),
    );
    reviewer = await createUser(t, { role: 'staff_reviewer', password: DEFAULT_PASSWORD });
    admin = await createUser(t, { role: 'staff_admin', password: DEFAULT_PASSWORD });
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
  });

  const shot = (name: string): Promise<Buffer> => session.shot(name);

  /** Submits the form that holds `selector` and waits for the page that answers. */
  async function submit(form: string): Promise<void> {
    await Promise.all([
      page.waitForNavigation(),
      page.locator(`${form} button[type="submit"]`).first().click(),
    ]);
  }

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

  it('lets a firm register, complete its record and upload its business licence', async () => {
    await page.goto(`${base}/register/firm`);
    await page.locator('#f-firmName').fill(firmName);
    await page.locator('#f-firmNameEn').fill(firmNameEn);
    await page.locator('#f-creditCode').fill(creditCode);
    await page.locator('#f-district').selectOption('nanshan');
    await page.locator('#f-name').fill('韩梅梅');
    await page.locator('#f-email').fill(firmEmail);
    await page.locator('#f-password').fill(firmPassword);
    await shot('01-register');
    await submit('form[action="/register/firm"]');
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByTestId('current-user').textContent()).resolves.toContain('韩梅梅');

    await page.goto(`${base}/firm/profile`);
    await page.locator('#f-registeredCapital').fill('20000000');
    await page.locator('#f-establishedOn').fill('2016-05-18');
    await page.locator('#f-address').fill('深圳市南山区科技园科苑路 15 号 8 层');
    await page.locator('#f-contactName').fill('韩梅梅');
    await page.locator('#f-contactPhone').fill('0755-86001234');
    await page.locator('#f-contactEmail').fill(firmEmail);
    await page.locator('#f-category-third_party_payment').check();
    await page.locator('#f-category-mobile_payment').check();
    await shot('02-profile');
    await submit('[data-testid="profile-form"]');
    expect(await page.locator('[data-testid="error-summary"]').count()).toBe(0);

    // The legal representative is a reviewed field; an applicant's change applies at once.
    await page.goto(`${base}/firm/change-request`);
    await page.locator('#f-legalRepresentative').fill('李雷');
    await submit('[data-testid="change-form"]');
    expect(await page.locator('[data-testid="error-summary"]').count()).toBe(0);

    await page.goto(`${base}/firm/documents/new`);
    await page.locator('#f-kind').selectOption('business_licence');
    await page.locator('#f-file').setInputFiles(licencePath);
    await shot('03-upload');
    await submit('[data-testid="upload-form"]');
    expect(await page.locator('[data-testid="error-summary"]').count()).toBe(0);
    await expect(page.locator('body').textContent()).resolves.toContain('营业执照.pdf');
    await shot('04-firm-portal');
    expect(session.problems).toEqual([]);
  });

  it('lets the firm create its application and submit it', async () => {
    await page.goto(`${base}/firm/application`);
    await page.locator('#f-requestedTier').selectOption('council');
    await submit('[data-testid="form-create"]');
    await expect(page.getByTestId('application-state').getAttribute('data-state')).resolves.toBe(
      'draft',
    );
    await submit('[data-testid="form-submit"]');
    await expect(page.getByTestId('application-state').getAttribute('data-state')).resolves.toBe(
      'submitted',
    );
    await shot('05-application-submitted');
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('lets a reviewer find it in the queue, see the licence, start the review and ask for a change', async () => {
    await signIn(reviewer);
    await page.goto(`${base}/staff/applications`);
    await shot('06-review-queue');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: firmName }).click(),
    ]);
    await expect(page.getByTestId('firm-name').textContent()).resolves.toBe(firmName);
    await expect(page.getByTestId('application-documents').textContent()).resolves.toContain(
      '营业执照.pdf',
    );
    await submit('[data-testid="form-start_review"]');
    await expect(page.getByTestId('application-state').getAttribute('data-state')).resolves.toBe(
      'under_review',
    );
    await page.locator('#f-request_changes-comment').fill(comment);
    await shot('07-review');
    await submit('[data-testid="form-request_changes"]');
    await expect(page.getByTestId('application-state').getAttribute('data-state')).resolves.toBe(
      'changes_requested',
    );
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it("shows the firm the reviewer's comment and lets it resubmit", async () => {
    await signIn({ email: firmEmail, password: firmPassword });
    await page.goto(`${base}/firm/application`);
    await expect(page.getByTestId('staff-comment').textContent()).resolves.toContain(comment);
    await shot('08-changes-requested');
    await page.goto(`${base}/firm/profile`);
    await page.locator('#f-website').fill('https://www.browser-test.example.cn');
    await submit('[data-testid="profile-form"]');
    await page.goto(`${base}/firm/application`);
    await submit('[data-testid="form-resubmit"]');
    await expect(page.getByTestId('application-state').getAttribute('data-state')).resolves.toBe(
      'resubmitted',
    );
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('lets an administrator review it again and approve it', async () => {
    await signIn(admin);
    await page.goto(`${base}/staff/applications`);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: firmName }).click(),
    ]);
    await submit('[data-testid="form-start_review"]');
    await shot('09-approve');
    await submit('[data-testid="form-approve"]');
    await expect(page.getByTestId('application-state').getAttribute('data-state')).resolves.toBe(
      'approved',
    );
    await shot('10-approved');

    // The new member is in the staff register, owing its first (pro-rated) dues.
    await page.goto(`${base}/staff/members?q=${encodeURIComponent(firmName)}`);
    const row = page.locator('[data-testid="members-table"] tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.textContent()).resolves.toContain('正式会员');
    await expect(row.textContent()).resolves.toContain('理事单位');
    await shot('11-member-register');
    expect(session.problems).toEqual([]);
  });

  it('lets the administrator import existing members from CSV, all rows or none', async () => {
    const header = IMPORT_COLUMNS.join(',');
    const good = `深圳市导入浏览器测试有限公司,,${randomCreditCode()},福田区,会员单位,2018-04-02,王五,,网络信贷`;
    const bad = `深圳市导入错误测试有限公司,,${randomCreditCode()},香港,普通会员,2018-02-30,,,`;
    const file = join(session.profile, '会员导入.csv');

    writeFileSync(file, `\uFEFF${header}\r\n${good}\r\n${bad}\r\n`);
    await page.goto(`${base}/staff/members/import`);
    await page.locator('#f-file').setInputFiles(file);
    await submit('[data-testid="import-form"]');
    const problems = page.getByTestId('import-problems');
    await expect(problems.locator('tbody tr').count()).resolves.toBe(3);
    await expect(problems.textContent()).resolves.toContain('未知的区“香港”');
    await shot('12-member-import-refused');

    writeFileSync(file, `\uFEFF${header}\r\n${good}\r\n`);
    await page.locator('#f-file').setInputFiles(file);
    await submit('[data-testid="import-form"]');
    expect(new URL(page.url()).pathname).toBe('/staff/members');
    await expect(page.getByTestId('members-imported').textContent()).resolves.toContain(
      '已导入 1 家会员机构',
    );
    await shot('13-member-imported');
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('puts the firm in the public directory, where anyone can find it by name', async () => {
    await page.goto(`${base}/directory`);
    await page.locator('#f-q').fill(firmName.slice(3, 12));
    await submit('[data-testid="directory-search"]');
    const results = page.getByTestId('directory-results');
    await expect(results.textContent()).resolves.toContain(firmName);
    await shot('14-directory');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: firmName }).click(),
    ]);
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain(firmName);
    // The public page shows the membership, never contact data or documents.
    expect(body).not.toContain(firmEmail);
    expect(body).not.toContain('0755-86001234');
    expect(body).not.toContain('营业执照.pdf');
    await shot('15-directory-firm');
    expect(session.problems).toEqual([]);
  });
});
