import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { simplePdf } from '../../src/database/seeds/demo-pdf.js';
import type { RatingCycle } from '../../src/modules/ratings/entities/rating-cycle.entity.js';
import { createFirm, createUser, type CreatedUser } from '../factories/index.js';
import { openCycle } from '../factories/ratings.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The acceptance journey of credit ratings (issue 6): a member firm's administrator fills the
 * default scorecard for the open cycle, attaches a supporting PDF and submits; reviewer A reads
 * the per-indicator breakdown and proposes the computed grade but cannot confirm it himself;
 * reviewer B confirms; a staff administrator publishes; the grade shows on the firm's public
 * rating page and in the 'rating' section of its directory page. Everyone signs in and out of
 * the same browser; every step goes through the real pages.
 */
describe('A firm submits rating data and two reviewers grade it in the browser', () => {
  let t: TestApp;
  let base: string;
  let page: Page;
  let session: BrowserSession;
  let cycle: RatingCycle;
  let firmId: string;
  let firmAdmin: CreatedUser;
  let reviewerA: CreatedUser;
  let reviewerB: CreatedUser;
  let staffAdmin: CreatedUser;
  let supportPath: string;
  let reviewUrl: string;

  const firmName = '深圳市浏览器评级测试网络小额贷款有限公司';
  const cycleName = '2026 年度评级（浏览器测试）';

  /**
   * The values typed in the form, and their points by hand with the v1 scorecard:
   * paid-in capital 20000 万元 → 60 × 10; capital adequacy 11 % → 60 × 10; overdue 2 % → 80 × 15;
   * bad debt 0.4 % → 100 × 10; depository yes → 100 × 15; disclosure 96 % → 100 × 10;
   * incidents 0 → 100 × 10; no complaints in the period: 0.00 per 10k → 100 × 10 and
   * resolution 100 % → 100 × 10. Total 8900 / 100 = 89.00 → AA (80 ≤ score < 90).
   */
  const typed: Record<string, string> = {
    paid_in_capital: '20000',
    capital_adequacy: '11',
    overdue_rate: '2',
    bad_debt_rate: '0.4',
    disclosure_completeness: '96',
    compliance_incidents: '0',
    customers: '120000',
  };
  const expectedScore = '89.00';
  const expectedGrade = 'AA';

  beforeAll(async () => {
    t = await startTestApp();
    session = await openBrowser(t, { locale: 'zh-CN', shotPrefix: 'ratings-' });
    ({ base, page } = session);
    const firm = await createFirm(t, {
      name: firmName,
      status: 'active',
      tier: 'member',
      memberSince: '2024-01-15',
    });
    firmId = firm.id;
    firmAdmin = await createUser(t, { role: 'firm_admin', firmId });
    reviewerA = await createUser(t, { role: 'staff_reviewer' });
    reviewerB = await createUser(t, { role: 'staff_reviewer' });
    staffAdmin = await createUser(t, { role: 'staff_admin' });
    cycle = await openCycle(t, { nameZh: cycleName, nameEn: '2026 annual rating (browser test)' });
    supportPath = join(session.profile, '2025年度审计报告.pdf');
    writeFileSync(supportPath, simplePdf(['AUDIT REPORT 2025 (TEST)', 'Paid-in capital 20000']));
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

  /** Clicks `button` (a locator string inside the page) and waits for the page that answers. */
  async function press(selector: string): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
  }

  /** Submits a review-page form and checks the page came back saying it was done. */
  async function act(testId: string, done: string): Promise<void> {
    await press(`[data-testid="${testId}"] button[type="submit"]`);
    expect(page.url()).toBe(`${reviewUrl}?done=${done}`);
    await expect(page.getByTestId('review-notice').isVisible()).resolves.toBe(true);
  }

  /** Opens the submission from the review queue, by clicking the firm's name. */
  async function openFromQueue(): Promise<void> {
    await page.goto(`${base}/staff/ratings/reviews`);
    await Promise.all([
      page.waitForURL(/\/staff\/ratings\/submissions\/[0-9a-f-]+$/),
      page.getByTestId('review-queue').getByRole('link', { name: firmName }).click(),
    ]);
    reviewUrl = page.url();
  }

  const stateText = (): Promise<string | null> =>
    page.getByTestId('submission-state').textContent();

  /** What a person sees on the page must not betray the template: no raw keys, no objects. */
  async function expectCleanPage(): Promise<void> {
    const text = (await page.locator('body').innerText()) ?? '';
    expect(text).not.toMatch(/ratings\.[a-zA-Z]+\.[a-zA-Z.]+/);
    expect(text).not.toContain('[object Object]');
    expect(text).not.toContain('undefined');
    expect(text).not.toContain('NaN');
  }

  it('lets the firm administrator fill the scorecard, attach a PDF and submit', async () => {
    await signIn(firmAdmin);
    await page.goto(`${base}/firm/ratings`);
    await expect(page.getByTestId('rating-current').textContent()).resolves.toContain('尚无');
    await Promise.all([
      page.waitForURL(`${base}/firm/ratings/cycles/${cycle.id}`),
      page.getByTestId('rating-open-cycles').getByRole('link', { name: cycleName }).click(),
    ]);
    await shot('01-firm-empty-form');

    // The dispute indicators are the platform's: shown, not editable.
    for (const key of ['complaints_per_10k', 'complaint_resolution_rate']) {
      await expect(page.locator(`[name="v_${key}"]`).count()).resolves.toBe(0);
      await expect(page.getByTestId(`platform-${key}`).isVisible()).resolves.toBe(true);
    }
    for (const [key, value] of Object.entries(typed)) await page.locator(`#v-${key}`).fill(value);
    await page.locator('#v-depository_custody').selectOption('yes');
    await shot('02-firm-filled');
    await press('[data-testid="rating-values-form"] button[value="save"]');
    expect(page.url()).toBe(`${base}/firm/ratings/cycles/${cycle.id}?done=saved`);
    await expect(page.locator('#v-overdue_rate').inputValue()).resolves.toBe('2');

    await page.locator('#f-file').setInputFiles(supportPath);
    await press('form[enctype="multipart/form-data"] button[type="submit"]');
    expect(page.url()).toBe(`${base}/firm/ratings/cycles/${cycle.id}?done=document`);
    await expect(page.getByTestId('rating-documents').textContent()).resolves.toContain(
      '2025年度审计报告.pdf',
    );
    await expect(page.getByTestId('platform-complaints_per_10k').textContent()).resolves.toContain(
      '0.00',
    );
    await expectCleanPage();

    await press('[data-testid="rating-values-form"] button[value="submit"]');
    expect(page.url()).toBe(`${base}/firm/ratings/cycles/${cycle.id}?done=submitted`);
    const state = (await page.getByTestId('rating-submission-state').textContent()) ?? '';
    expect(state).toContain(expectedScore);
    expect(state).toContain(expectedGrade);
    // Locked: no save or submit buttons any more, the inputs are read-only.
    await expect(page.locator('[data-testid="rating-values-form"] button').count()).resolves.toBe(
      0,
    );
    await expect(page.locator('#v-overdue_rate').getAttribute('readonly')).resolves.not.toBeNull();
    await shot('03-firm-submitted');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('shows reviewer A the breakdown and lets him propose the computed grade', async () => {
    await signIn(reviewerA);
    await openFromQueue();
    await expect(stateText()).resolves.toBe('已提交，待评审');
    await expect(page.getByTestId('review-score').textContent()).resolves.toBe(expectedScore);
    await expect(page.getByTestId('review-computed-grade').textContent()).resolves.toBe(
      expectedGrade,
    );
    const rows = page.getByTestId('review-breakdown').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(10);
    // Overdue rate 2 %: band "≤ 3" gives 80 points, weight 15, 80 × 15 / 100 = 12.00.
    const overdue = await page
      .getByTestId('breakdown-overdue_rate')
      .locator('th, td')
      .allTextContents();
    expect(overdue.map((cell) => cell.trim())).toEqual([
      '逾期率',
      expect.any(String),
      '2 %',
      '80',
      '15',
      '12.00',
    ]);
    await expect(page.getByTestId('breakdown-paid_in_capital').textContent()).resolves.toContain(
      '6.00',
    );
    await expect(page.getByTestId('review-documents').textContent()).resolves.toContain(
      '2025年度审计报告.pdf',
    );
    await shot('04-reviewer-a-breakdown');
    await expectCleanPage();

    await expect(page.locator('#f-grade').inputValue()).resolves.toBe(expectedGrade);
    await act('propose-form', 'propose');
    await expect(stateText()).resolves.toBe('已提出评级建议，待复核');
    await expect(page.getByTestId('review-proposed-grade').textContent()).resolves.toBe(
      expectedGrade,
    );
    expect(session.problems).toEqual([]);
  });

  it('offers reviewer A no confirm button, and refuses his confirmation', async () => {
    // Four eyes: the proposer may only send the proposal back, never confirm it.
    await expect(page.getByTestId('confirm-form').count()).resolves.toBe(0);
    await expect(page.getByTestId('send-back-form').isVisible()).resolves.toBe(true);
    await shot('05-reviewer-a-proposed');

    // Even a hand-made confirm post from his page (his session, his CSRF token) is refused.
    await Promise.all([
      page.waitForNavigation(),
      page.getByTestId('send-back-form').evaluate((form: { action: string; submit(): void }) => {
        form.action = form.action.replace(/\/send-back$/, '/confirm');
        form.submit();
      }),
    ]);
    expect(page.url()).toBe(`${reviewUrl}?error=SAME_REVIEWER`);
    const refusal = (await page.getByTestId('review-notice').textContent()) ?? '';
    expect(refusal.trim()).not.toBe('');
    await expect(stateText()).resolves.toBe('已提出评级建议，待复核');
    await shot('06-reviewer-a-refused');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('lets reviewer B confirm and the staff administrator publish', async () => {
    await signIn(reviewerB);
    await openFromQueue();
    await act('confirm-form', 'confirm');
    await expect(stateText()).resolves.toBe('已复核确认，待发布');
    await expect(page.getByTestId('publish-form').count()).resolves.toBe(0);
    await shot('07-reviewer-b-confirmed');
    await expectCleanPage();
    await signOut();

    await signIn(staffAdmin);
    await page.goto(reviewUrl);
    await act('publish-form', 'publish');
    await expect(stateText()).resolves.toBe('已发布');
    const history = (await page.getByTestId('review-history').textContent()) ?? '';
    expect(history).toContain(expectedGrade);
    await shot('08-admin-published');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('shows the grade on the public rating page and in the directory', async () => {
    await page.goto(`${base}/ratings/firms/${firmId}`);
    await expect(page.getByTestId('current-grade').textContent()).resolves.toBe(expectedGrade);
    await expect(page.getByTestId('under-appeal').count()).resolves.toBe(0);
    const history = page.getByTestId('rating-history').locator('tbody tr');
    await expect(history.count()).resolves.toBe(1);
    await expect(history.first().textContent()).resolves.toContain(cycleName);
    await shot('09-public-rating');
    await expectCleanPage();

    await page.goto(`${base}/directory/${firmId}`);
    const section = page.getByTestId('section-rating');
    await expect(section.textContent()).resolves.toContain(`信用评级 ${expectedGrade}（有效期至`);
    await shot('10-directory');
    await expectCleanPage();
    await Promise.all([
      page.waitForURL(`${base}/ratings/firms/${firmId}`),
      section.getByRole('link').click(),
    ]);
    expect(session.problems).toEqual([]);
  });
});
