import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../../src/database/transaction.service.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { SessionService } from '../../src/modules/auth/session.service.js';
import { NotificationsService } from '../../src/modules/notifications/notifications.service.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { createFirm, createUser } from '../factories/index.js';
import { nameOf, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** The `<li>` of one home task, or '' when the page has none with that id. */
function task(html: string, id: string): string {
  const match = new RegExp(
    `<li class="task [^"]*" data-task="${id.replace('.', '\\.')}">[\\s\\S]*?</li>`,
  ).exec(html);
  return match ? match[0] : '';
}

describe('Home page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows visitors what the platform is for, its mandate, and the ways in', async () => {
    const res = await t.http.get('/').expect(200);
    expect(res.text).toContain('<html lang="zh-CN">');
    for (const words of [
      '会员管理',
      '自律公约',
      '信用评级',
      '纠纷调解',
      '证书核验',
      '深府〔2014〕23号',
    ]) {
      expect(res.text).toContain(words);
    }
    expect(res.text).toContain('href="/sign-in"');
    expect(res.text).toContain('href="/register"');
    expect(res.text).not.toContain('data-testid="tasks"');

    const en = await t.http.get('/?lang=en').expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Shen Fu [2014] No. 23');
    expect(en.text).toContain('Dispute mediation');
  });

  it('shows a staff administrator the accounts per role, the audit trail, and the duty to turn on two-factor', async () => {
    const admin = await createUser(t, { role: 'staff_admin' });
    await createUser(t, { role: 'mediator' });
    const counts = await t.app.get(UsersService).countByRole();
    const agent = await signInWeb(t, admin);
    const res = await agent.get('/?lang=en').expect(200);
    expect(res.text).toContain('Association administration');
    expect(res.text).toContain(await nameOf(t, admin.id));
    expect(res.text).toContain('data-testid="staff-overview"');
    expect(res.text).toContain(
      `<th scope="row">Mediator</th><td class="num">${counts.mediator}</td>`,
    );
    expect(res.text).toContain(
      `<th scope="row">Association administrator</th><td class="num">${counts.staff_admin}</td>`,
    );
    expect(res.text).toContain('href="/staff/audit"');
    expect(task(res.text, 'account.enable-mfa')).toContain('task--urgent');
    expect(task(res.text, 'account.enable-mfa')).toContain('href="/account/mfa"');
  });

  it('shows a reviewer the audit trail but not the account counts', async () => {
    const reviewer = await createUser(t, { role: 'staff_reviewer' });
    const agent = await signInWeb(t, reviewer);
    const res = await agent.get('/').expect(200);
    expect(res.text).toContain('href="/staff/audit"');
    expect(res.text).not.toContain('class="stat-table"');
  });

  it('recommends two-factor to a complainant without insisting, and tells them what will appear', async () => {
    const user = await createUser(t, { role: 'complainant' });
    const agent = await signInWeb(t, user);
    const res = await agent.get('/').expect(200);
    expect(res.text).toContain('我的工作台');
    expect(task(res.text, 'account.enable-mfa')).toContain('task--info');
    expect(res.text).toContain('您提交的投诉、调解进度与处理结果将显示在这里。');
    expect(res.text).not.toContain('href="/staff/audit"');
  });

  it('asks a person whose e-mail is not verified to verify it, through the account page', async () => {
    const user = await createUser(t, { role: 'complainant', verified: false });
    const agent = await signInWeb(t, user);
    const res = await agent.get('/').expect(200);
    const verify = task(res.text, 'account.verify-email');
    expect(verify).toContain('task--urgent');
    expect(verify).toContain('href="/account"');
    expect(verify).toContain(user.email);
    const verified = await createUser(t, { role: 'complainant', verified: true });
    const other = await (await signInWeb(t, verified)).get('/').expect(200);
    expect(task(other.text, 'account.verify-email')).toBe('');
  });

  it('counts unread notifications and links to them', async () => {
    const user = await createUser(t, { role: 'mediator' });
    const notifications = t.app.get(NotificationsService);
    await t.app.get(TransactionService).run(async (m) => {
      for (let i = 0; i < 3; i++) {
        await notifications.notify(m, {
          userId: user.id,
          kind: 'test',
          titleZh: `通知${i}`,
          titleEn: `Notice ${i}`,
        });
      }
    });
    const agent = await signInWeb(t, user);
    const res = await agent.get('/').expect(200);
    const unread = task(res.text, 'notifications.unread');
    expect(unread).toContain('您有 3 条未读通知');
    expect(unread).toContain('href="/notifications"');
    expect(await notifications.countUnread(user.id)).toBe(3);
  });

  it("shows a firm user their own firm's name and membership status", async () => {
    const firm = await createFirm(t, {
      name: '深圳市示例普惠金融服务有限公司',
      status: 'applicant',
    });
    const user = await createUser(t, { role: 'firm_member', firmId: firm.id });
    const agent = await signInWeb(t, user);
    const res = await agent.get('/').expect(200);
    expect(res.text).toContain('data-testid="firm-overview"');
    expect(res.text).toContain('深圳市示例普惠金融服务有限公司');
    expect(res.text).toContain(firm.creditCode);
    expect(res.text).toContain('申请中');
  });

  it('says there is nothing to do when every task is done', async () => {
    const user = await createUser(t, { role: 'firm_admin', verified: true });
    const users = t.app.get(UsersService);
    const tx = t.app.get(TransactionService);
    await tx.run((m) => users.update(m, user.id, { totpEnabledAt: new Date() }));
    const found = await users.findById(user.id);
    if (!found) throw new Error('user vanished');
    // Signed in with both factors: the second one is completed directly, as the code step would.
    const session = await t.app.get(AuthService).signIn(found, 'web', {});
    await tx.run((m) => t.app.get(SessionService).completePendingStep(m, session.session.id));
    const res = await t.http.get('/').set('Cookie', `szifa_session=${session.token}`).expect(200);
    expect(res.text).toContain('目前没有需要您处理的事项。');
    expect(res.text).not.toContain('data-task=');
  });

  it('sends a half-signed-in person to finish the second factor', async () => {
    const user = await createUser(t, { role: 'mediator' });
    const users = t.app.get(UsersService);
    await t.app
      .get(TransactionService)
      .run((m) => users.update(m, user.id, { totpEnabledAt: new Date() }));
    const found = await users.findById(user.id);
    if (!found) throw new Error('user vanished');
    const session = await t.app.get(AuthService).signIn(found, 'web', {});
    const res = await t.http.get('/').set('Cookie', `szifa_session=${session.token}`).expect(303);
    expect(res.headers.location).toBe('/sign-in/mfa');
  });
});
