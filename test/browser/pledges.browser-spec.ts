import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/common/auth/auth-context.js';
import { createUser, DEFAULT_PASSWORD } from '../factories/index.js';
import {
  createSignatoryFirm,
  publishConvention,
  type SignatoryFirm,
} from '../factories/pledge-lists.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The acceptance journey of the convention: a firm's signatory reads and signs it; the firm
 * shows as signed on the public list; staff publish a revised version; the firm shows as
 * needing to sign again (list and public page) and signs again.
 */
describe('A signatory signs the convention, and again when staff publish a new version', () => {
  let t: TestApp;
  let base: string;
  let page: Page;
  let session: BrowserSession;
  let staff: { email: string; password: string };
  let staffActor: Actor;
  let member: SignatoryFirm;

  beforeAll(async () => {
    t = await startTestApp();
    session = await openBrowser(t, { locale: 'zh-CN' });
    ({ base, page } = session);
    const admin = await createUser(t, { role: 'staff_admin', password: DEFAULT_PASSWORD });
    staff = admin;
    staffActor = {
      id: admin.id,
      role: 'staff_admin',
      firmId: null,
      name: 'Staff',
      email: admin.email,
    };
    member = await createSignatoryFirm(t, { name: '深圳市浏览器公约测试科技有限公司' });
  });

  afterAll(async () => {
    await session?.close();
    await t?.close();
  });

  const shot = (name: string): Promise<Buffer> => session.shot(name);

  const signIn = async (who: { email: string; password: string }): Promise<void> => {
    await page.goto(`${base}/sign-in`);
    await page.getByRole('textbox', { name: '电子邮箱', exact: true }).fill(who.email);
    await page.getByRole('textbox', { name: '密码', exact: true }).fill(who.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${base}/`);
  };

  const signOut = async (): Promise<void> => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(`${base}/`);
  };

  /** The signatory reads the text on /firm/pledge and signs it; ends on the receipt. */
  const signTheConvention = async (step: string): Promise<void> => {
    await page.goto(`${base}/firm/pledge`);
    await expect(page.getByTestId('pledge-text').isVisible()).resolves.toBe(true);
    await shot(`pledges-${step}-read`);
    await page.getByRole('textbox', { name: '您的姓名' }).fill(member.signatory.name);
    await page.getByRole('textbox', { name: '职务' }).fill('总经理');
    await page.locator('#f-consent').check();
    await page.getByLabel('登录密码').fill(member.signatory.password);
    await page.getByRole('button', { name: '确认签署' }).click();
    await page.waitForURL(/\/pledges\/signatures\/[0-9a-f-]+\/receipt/);
    await shot(`pledges-${step}-receipt`);
  };

  const rowStatus = async (versionNumber: number): Promise<string | null> => {
    await page.goto(`${base}/conventions/${versionNumber}/signatories`);
    return page.locator(`tr[data-firm="${member.firm.id}"]`).getAttribute('data-status');
  };

  it('signs version 1 and shows as signed on the public list', async () => {
    await publishConvention(t, staffActor);
    await signIn(member.signatory);
    await signTheConvention('v1');
    await signOut();

    expect(await rowStatus(1)).toBe('signed');
    await expect(page.getByTestId('count-signed').textContent()).resolves.toBe('1');
    await shot('pledges-v1-list');
    expect(session.problems).toEqual([]);
  });

  it('needs to sign again once staff publish version 2, and signs again', async () => {
    // Staff draft the revised version and publish it from the staff pages.
    await signIn(staff);
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: '公约管理' })
      .click();
    await page.waitForURL(`${base}/staff/conventions`);
    await page.goto(`${base}/staff/conventions/new`);
    await page
      .getByRole('textbox', { name: '标题（中文）' })
      .fill('深圳市互联网金融行业自律公约（修订版）');
    await page
      .getByRole('textbox', { name: '正文（中文）' })
      .fill('# 第一条\n\n会员单位应当诚实守信。\n\n# 第二条\n\n会员单位应当配合协会调解投诉。\n');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/staff\/conventions\/[0-9a-f-]+$/);
    await page.getByRole('button', { name: '发布此版本' }).click();
    await page.waitForURL(/done=published/);
    await shot('pledges-v2-published');
    await signOut();

    expect(await rowStatus(2)).toBe('not_signed');
    expect(await rowStatus(1)).toBe('superseded');
    await page.goto(`${base}/directory/${member.firm.id}`);
    await expect(page.getByTestId('section-pledge').textContent()).resolves.toContain('重新签署');
    await shot('pledges-v2-directory-needs-signing');

    await signIn(staff);
    await page.goto(`${base}/staff/pledges`);
    await expect(
      page.locator(`tr[data-firm="${member.firm.id}"]`).getAttribute('data-status'),
    ).resolves.toBe('pending');
    await shot('pledges-v2-staff');
    await signOut();

    await signIn(member.signatory);
    await signTheConvention('v2');
    await signOut();
    expect(await rowStatus(2)).toBe('signed');
    await shot('pledges-v2-list');
    await page.goto(`${base}/directory/${member.firm.id}`);
    await expect(page.getByTestId('section-pledge').textContent()).resolves.toContain(
      '签署第 2 版',
    );
    expect(session.problems).toEqual([]);
  });
});
