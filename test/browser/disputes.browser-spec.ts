import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { beijingYear } from '../../src/common/time/beijing.js';
import { simplePdf } from '../../src/database/seeds/demo-pdf.js';
import { daysFromToday, disputeCast, type DisputeCast } from '../factories/disputes.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The acceptance journey of disputes (issue 5): a complainant files a complaint with evidence;
 * staff accept it and assign a mediator; the mediator accepts; the firm answers; the mediator
 * and the firm exchange messages; the mediator drafts a settlement that both parties sign; the
 * firm performs it, the complainant confirms and rates the service; staff read the rating.
 * Everyone signs in and out of the same browser; every step goes through the real pages.
 */
describe('A complaint goes from filing to a rated, performed settlement in the browser', () => {
  let t: TestApp;
  let base: string;
  let page: Page;
  let session: BrowserSession;
  let cast: DisputeCast;
  let evidencePath: string;
  let ticketUrl: string;
  let ticketNumber: string;

  const firmName = '深圳市浏览器调解测试网络借贷信息中介有限公司';
  const facts = '2026 年 3 月起，平台在未告知的情况下每月从我的账户扣收“账户管理费” 88.00 元。';
  const claim = '退还已扣收的账户管理费共计 704.00 元，并停止收取。';
  const firmMessage = '我司已调取扣费记录，愿意退还全部账户管理费，请调解员安排沟通。';
  const mediatorMessage = '收到。请双方确认退款金额 704.00 元，我将据此起草调解协议。';
  const surveyComment = '调解员沟通及时、态度耐心，退款已经到账。';

  beforeAll(async () => {
    t = await startTestApp();
    session = await openBrowser(t, { locale: 'zh-CN', shotPrefix: 'disputes-' });
    ({ base, page } = session);
    cast = await disputeCast(t, firmName);
    // The evidence the complainant uploads: a real (tiny) PDF file on disk.
    evidencePath = join(session.profile, '扣费记录.pdf');
    writeFileSync(evidencePath, simplePdf(['ACCOUNT STATEMENT (TEST)', 'Fee 88.00 x 8']));
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

  /** Clicks the submit button of the form `testId` and waits for the page that answers. */
  async function submit(testId: string): Promise<void> {
    await Promise.all([
      page.waitForNavigation(),
      page.getByTestId(testId).locator('button[type="submit"]').first().click(),
    ]);
  }

  /** Submits a ticket-page form and checks the page came back saying it was done. */
  async function act(testId: string, done: string): Promise<void> {
    await submit(testId);
    expect(page.url()).toContain(`?done=${encodeURIComponent(done)}`);
    await expect(page.getByTestId('ticket-notice').isVisible()).resolves.toBe(true);
  }

  /** Opens the ticket from the person's own list, by clicking its number. */
  async function openFromList(listPath: string): Promise<void> {
    await page.goto(`${base}${listPath}`);
    await Promise.all([
      page.waitForURL(ticketUrl),
      page.getByTestId('dispute-table').getByRole('link', { name: ticketNumber }).click(),
    ]);
  }

  const stateText = (): Promise<string | null> => page.getByTestId('ticket-state').textContent();

  /** What a person sees on the page must not betray the template: no raw keys, no objects. */
  async function expectCleanPage(): Promise<void> {
    const text = (await page.locator('body').innerText()) ?? '';
    expect(text).not.toMatch(/disputes\.[a-zA-Z]+\.[a-zA-Z.]+/);
    expect(text).not.toContain('[object Object]');
    expect(text).not.toContain('undefined');
  }

  it('lets a complainant draft a complaint, attach evidence, consent and file it', async () => {
    await signIn(cast.complainant);
    await page.goto(`${base}/disputes`);
    await Promise.all([
      page.waitForURL(`${base}/disputes/new`),
      page.getByTestId('dispute-new').click(),
    ]);

    // The respondent is looked up in the member directory, then picked.
    await page.locator('#f-q').fill('浏览器调解测试');
    await Promise.all([
      page.waitForNavigation(),
      page.locator('form[action="/disputes/new"][method="get"] button[type="submit"]').click(),
    ]);
    await page.locator('#f-firmId').selectOption(cast.firm.id);
    await page.locator('#f-category').selectOption('fee_dispute');
    await page.locator('#f-amount').fill('704.00');
    await page.locator('#f-facts').fill(facts);
    await page.locator('#f-claim').fill(claim);
    await page.locator('#f-contactPhone').fill('13912345678');
    await page.locator('#f-accountRef').fill('P2P-2026-007788');
    await shot('01-draft');
    await submit('draft-form');
    expect(page.url()).toMatch(/\/disputes\/tickets\/[0-9a-f-]+\/edit\?done=filing\.done\.saved/);
    ticketUrl = `${base}${new URL(page.url()).pathname.replace(/\/edit$/, '')}`;

    await page.locator('#f-file').setInputFiles(evidencePath);
    await submit('evidence-form');
    expect(page.url()).toContain('done=filing.done.evidenceAdded');
    await expect(page.getByTestId('evidence-list').textContent()).resolves.toContain(
      '扣费记录.pdf',
    );
    await expect(page.getByTestId('rules-text').isVisible()).resolves.toBe(true);
    await page.locator('#f-consent').check();
    await shot('02-evidence-and-consent');
    await expectCleanPage();

    await submit('file-form');
    expect(page.url()).toBe(`${ticketUrl}?done=filing.done.filed`);
    ticketNumber = ((await page.getByTestId('ticket-number').textContent()) ?? '').trim();
    expect(ticketNumber).toMatch(new RegExp(`^SZIFA-M-${beijingYear(new Date())}-\\d{6}$`));
    await expect(stateText()).resolves.toBe('已提交，待受理');
    await expect(page.getByTestId('summary-evidence').textContent()).resolves.toContain(
      '扣费记录.pdf',
    );
    await expect(page.getByTestId('summary-amount').textContent()).resolves.toContain('704.00');
    await shot('03-filed');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('lets staff accept the complaint and assign a mediator on the ticket page', async () => {
    await signIn(cast.staff);
    await openFromList('/staff/disputes');
    await act('workflow-accept', 'workflow.done.accepted');
    await expect(stateText()).resolves.toBe('待机构答复');

    await page.getByTestId('mediator-assign').locator('select').selectOption(cast.mediator.id);
    await act('mediator-assign', 'mediation.done.assigned');
    await expect(page.getByTestId('mediator-name').textContent()).resolves.toBe(cast.mediator.name);
    await shot('04-staff-assigned');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('lets the mediator accept the case, confirming there is no conflict', async () => {
    await signIn(cast.mediator);
    await openFromList('/mediator/cases');
    await shot('05-mediator-offer');
    await page.locator('#f-no-conflict').check();
    await act('mediator-accept', 'mediation.done.accepted');
    expect(await page.getByTestId('mediator-accept').count()).toBe(0);
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('lets the firm respond, which starts mediation, and write to both parties', async () => {
    await signIn(cast.firmAdmin);
    await openFromList('/firm/disputes');
    // Before the mediator releases them, the firm does not see the complainant's contacts.
    expect(await page.getByTestId('summary-email').count()).toBe(0);
    await page.locator('#f-respond').fill('我司核实后确认存在扣费告知不充分的问题，同意参加调解。');
    await act('workflow-respond', 'workflow.done.responded');
    await expect(stateText()).resolves.toBe('调解中');

    await page.locator('#f-message-body').fill(firmMessage);
    await page.locator('#f-message-visibility').selectOption('parties');
    await act('conversation-post', 'conversation.done.posted');
    await expect(page.getByTestId('conversation-messages').textContent()).resolves.toContain(
      firmMessage,
    );
    await shot('06-firm-responded');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('shows the firm message to the mediator, who answers and sends a settlement', async () => {
    await signIn(cast.mediator);
    await openFromList('/mediator/cases');
    await expect(page.getByTestId('conversation-messages').textContent()).resolves.toContain(
      firmMessage,
    );
    await page.locator('#f-message-body').fill(mediatorMessage);
    await page.locator('#f-message-visibility').selectOption('parties');
    await act('conversation-post', 'conversation.done.posted');

    await Promise.all([
      page.waitForURL(`${ticketUrl}/settlements/new`),
      page.getByTestId('settlement-draft-link').click(),
    ]);
    await page.locator('#f-facts').fill(`${facts}\n被申请人已确认扣费记录。`);
    await page
      .locator('#f-terms')
      .fill('一、被申请人退还申请人账户管理费 704.00 元。\n二、被申请人自即日起停止收取该费用。');
    await page.locator('#f-amount').fill('704.00');
    await page.locator('#f-performanceDeadline').fill(daysFromToday(14));
    await shot('07-settlement-draft');
    await expectCleanPage();
    await submit('settlement-form');
    expect(page.url()).toContain('done=settlement.done.drafted');

    await act('settlement-send', 'settlement.done.sent');
    await expect(page.getByTestId('settlement-1').getAttribute('data-status')).resolves.toBe(
      'awaiting_signatures',
    );
    await shot('08-settlement-sent');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  /** The signer opens the ticket, follows the sign link and signs with name, consent, password. */
  async function signSettlement(
    who: { email: string; password: string; name: string },
    listPath: string,
    step: string,
    title: string | null,
  ): Promise<void> {
    await signIn(who);
    await openFromList(listPath);
    const messages = page.getByTestId('conversation-messages');
    await expect(messages.textContent()).resolves.toContain(mediatorMessage);
    await expect(messages.textContent()).resolves.toContain(firmMessage);
    await Promise.all([
      page.waitForURL(/\/disputes\/settlements\/[0-9a-f-]+\/sign$/),
      page.getByTestId('settlement-sign-link').click(),
    ]);
    await expect(page.getByTestId('settlement-agreement').textContent()).resolves.toContain(
      '704.00',
    );
    await page.locator('#f-typedName').fill(who.name);
    if (title) await page.locator('#f-signerTitle').fill(title);
    await page.locator('#f-consent').check();
    await page.locator('#f-password').fill(who.password);
    await shot(`${step}-sign`);
    await expectCleanPage();
    await submit('settlement-sign-form');
    expect(page.url()).toBe(`${ticketUrl}?done=settlement.done.signed#settlement`);
  }

  it('lets the complainant and then the firm signatory sign, and the ticket is settled', async () => {
    await signSettlement(cast.complainant, '/disputes', '09-complainant', null);
    await expect(stateText()).resolves.toBe('调解中');
    await signOut();

    await signSettlement(cast.signatory, '/firm/disputes', '10-signatory', '法定代表人');
    await expect(stateText()).resolves.toBe('已达成调解协议');
    await expect(page.getByTestId('settlement-1').getAttribute('data-status')).resolves.toBe(
      'signed',
    );
    const signatures = (await page.getByTestId('settlement-signatures').textContent()) ?? '';
    expect(signatures).toContain(cast.complainant.name);
    expect(signatures).toContain(cast.signatory.name);
    expect(signatures).toContain('法定代表人');
    await shot('11-settled');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });

  it('lets the firm record performance and the complainant confirm it, closing the case', async () => {
    await signIn(cast.firmAdmin);
    await openFromList('/firm/disputes');
    await page
      .locator('#f-performance-note')
      .fill('已于今日通过原支付渠道退还 704.00 元，并停止收费。');
    await act('settlement-record-performance', 'settlement.done.performed');
    await expect(page.getByTestId('settlement-performed').isVisible()).resolves.toBe(true);
    await shot('12-performed');
    await signOut();

    await signIn(cast.complainant);
    await openFromList('/disputes');
    await act('settlement-confirm-performance', 'settlement.done.confirmed');
    await expect(stateText()).resolves.toBe('已结案');
    await shot('13-closed');
    await expectCleanPage();
    expect(session.problems).toEqual([]);
  });

  it('lets the complainant rate the service, and staff read the rating', async () => {
    await Promise.all([
      page.waitForURL(`${ticketUrl}/survey`),
      page.getByTestId('survey-link').click(),
    ]);
    await page.locator('#f-rating-5').check();
    await page.locator('#f-comment').fill(surveyComment);
    await shot('14-survey');
    await submit('survey-form');
    expect(page.url()).toBe(`${ticketUrl}/survey?done=1`);
    await expect(page.getByTestId('survey-done').isVisible()).resolves.toBe(true);
    await expectCleanPage();
    await signOut();

    await signIn(cast.staff);
    await page.goto(`${base}/staff/disputes/surveys`);
    const byMediator = page.getByTestId('survey-by-mediator').locator('tbody tr');
    await expect(
      byMediator.filter({ hasText: cast.mediator.name }).textContent(),
    ).resolves.toContain('5');
    await expect(
      page.getByTestId('survey-by-firm').locator('tbody tr').filter({ hasText: firmName }).count(),
    ).resolves.toBe(1);
    const comments = (await page.getByTestId('survey-comments').textContent()) ?? '';
    expect(comments).toContain(ticketNumber);
    expect(comments).toContain(surveyComment);
    await shot('15-staff-surveys');
    await expectCleanPage();
    await signOut();
    expect(session.problems).toEqual([]);
  });
});
