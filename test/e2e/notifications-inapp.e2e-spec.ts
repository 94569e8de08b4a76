import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../../src/database/transaction.service.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import {
  NotificationsService,
  type NotificationItem,
} from '../../src/modules/notifications/notifications.service.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Page {
  items: NotificationItem[];
  nextCursor: string | null;
}

describe('in-app notifications', () => {
  let t: TestApp;
  let notifications: NotificationsService;

  async function notify(userId: string, count: number, prefix = '通知'): Promise<void> {
    await t.app.get(TransactionService).run(async (m) => {
      for (let i = 1; i <= count; i++) {
        // Distinct milliseconds: "newest first" is only defined between different instants.
        if (i > 1) await new Promise((resolve) => setTimeout(resolve, 3));
        await notifications.notify(m, {
          userId,
          kind: 'test.notice',
          titleZh: `${prefix}${i}`,
          titleEn: `Notice ${prefix} ${i}`,
          link: `/somewhere/${i}`,
        });
      }
    });
  }

  async function list(token: string, query = ''): Promise<Page> {
    return (
      await t.http
        .get(`/api/v1/notifications${query}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    ).body as Page;
  }

  /** A browser session, plus the CSRF cookie and token a form post needs. */
  async function browser(
    user: CreatedUser,
  ): Promise<{ cookie: string; csrf: string; page: string }> {
    const entity = await t.app.get(UsersService).findById(user.id);
    const { token } = await t.app.get(AuthService).signIn(entity!, 'web', {});
    const session = `szifa_session=${token}`;
    const res = await t.http.get('/notifications').set('Cookie', session).expect(200);
    const csrfCookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('szifa_csrf='),
    )!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)![1];
    return { cookie: `${session}; ${csrfCookie.split(';')[0]}`, csrf, page: res.text };
  }

  beforeAll(async () => {
    t = await startTestApp();
    notifications = t.app.get(NotificationsService);
  });
  afterAll(() => t.close());

  describe('API', () => {
    it('refuses an anonymous caller with 401', async () => {
      await t.http.get('/api/v1/notifications').expect(401);
      await t.http
        .post('/api/v1/notifications/00000000-0000-4000-8000-000000000001/read')
        .expect(401);
    });

    it("lists only the caller's own notifications, newest first, in both languages", async () => {
      const me = await loginAs(t, 'firm_member');
      const other = await loginAs(t, 'firm_member');
      await notify(me.id, 2);
      await notify(other.id, 3, '别人的');
      const page = await list(me.token);
      expect(page.items.map((n) => n.title)).toEqual([
        { 'zh-CN': '通知2', en: 'Notice 通知 2' },
        { 'zh-CN': '通知1', en: 'Notice 通知 1' },
      ]);
      expect(page.items[0]).toEqual({
        id: expect.any(String),
        kind: 'test.notice',
        title: expect.any(Object),
        link: '/somewhere/2',
        createdAt: expect.stringMatching(/Z$/),
        readAt: null,
      });
      expect(page.nextCursor).toBeNull();
    });

    it('pages through many notifications without repeating or skipping one', async () => {
      const me = await loginAs(t, 'complainant');
      await notify(me.id, 25);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await list(me.token, `?limit=10${suffix}`);
        seen.push(...page.items.map((n) => n.title['zh-CN']));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      // Many share a millisecond here, which is what the id tie-break in the cursor is for.
      const whole = await list(me.token, '?limit=100');
      expect(seen).toEqual(whole.items.map((n) => n.title['zh-CN']));
      expect([...seen].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `通知${i + 1}`).sort());
      const times = whole.items.map((n) => n.createdAt);
      expect(times).toEqual([...times].sort().reverse());
    });

    it.each([
      ['a limit above 100', '?limit=101', 'VALIDATION_FAILED'],
      ['a limit of 0', '?limit=0', 'VALIDATION_FAILED'],
      ['a forged cursor', '?cursor=bm90LWEtY3Vyc29y', 'CURSOR_INVALID'],
      ['an unknown parameter', '?userId=someone', 'VALIDATION_FAILED'],
    ])('refuses %s with 400', async (_case, query, code) => {
      const me = await loginAs(t, 'complainant');
      const res = await t.http
        .get(`/api/v1/notifications${query}`)
        .set('Authorization', `Bearer ${me.token}`)
        .expect(400);
      expect(res.body.code).toBe(code);
    });

    it('marks an own notification read once, audits it, and a repeat changes nothing', async () => {
      const me = await loginAs(t, 'mediator');
      await notify(me.id, 2);
      expect(await notifications.countUnread(me.id)).toBe(2);
      const [target] = (await list(me.token)).items;

      const first = await t.http
        .post(`/api/v1/notifications/${target.id}/read`)
        .set('Authorization', `Bearer ${me.token}`)
        .expect(200);
      expect(first.body).toMatchObject({ id: target.id, readAt: expect.stringMatching(/Z$/) });
      expect(await notifications.countUnread(me.id)).toBe(1);

      const again = await t.http
        .post(`/api/v1/notifications/${target.id}/read`)
        .set('Authorization', `Bearer ${me.token}`)
        .expect(200);
      expect(again.body.readAt).toBe(first.body.readAt);
      const events = await t.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'notifications.read', subjectId: target.id });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actorId: me.id, subjectType: 'notification' });
    });

    it("answers 404 for someone else's notification and leaves it unread", async () => {
      const owner = await loginAs(t, 'complainant');
      const intruder = await loginAs(t, 'staff_admin');
      await notify(owner.id, 1);
      const [target] = (await list(owner.token)).items;
      const res = await t.http
        .post(`/api/v1/notifications/${target.id}/read`)
        .set('Authorization', `Bearer ${intruder.token}`)
        .expect(404);
      expect(res.body.code).toBe('NOTIFICATION_NOT_FOUND');
      expect(await notifications.countUnread(owner.id)).toBe(1);
    });

    it('answers the same 404 for an id that does not exist, and 400 for one that is not a UUID', async () => {
      const me = await loginAs(t, 'complainant');
      const res = await t.http
        .post('/api/v1/notifications/00000000-0000-4000-8000-00000000abcd/read')
        .set('Authorization', `Bearer ${me.token}`)
        .expect(404);
      expect(res.body.code).toBe('NOTIFICATION_NOT_FOUND');
      await t.http
        .post('/api/v1/notifications/42/read')
        .set('Authorization', `Bearer ${me.token}`)
        .expect(400);
    });
  });

  it('refuses a notification link that leaves the site', async () => {
    const me = await createUser(t);
    for (const link of [
      'https://evil.example/',
      '//evil.example/',
      'javascript:alert(1)',
      '/\\evil.example',
    ]) {
      await expect(
        t.app.get(TransactionService).run((m) =>
          notifications.notify(m, {
            userId: me.id,
            kind: 'test',
            titleZh: 'x',
            titleEn: 'x',
            link,
          }),
        ),
      ).rejects.toThrow(/local path/);
    }
    expect(await notifications.countUnread(me.id)).toBe(0);
  });

  describe('page /notifications', () => {
    it('sends an anonymous visitor to sign in', async () => {
      const res = await t.http.get('/notifications').set('Accept', 'text/html').expect(303);
      expect(res.headers.location).toBe('/sign-in?next=%2Fnotifications');
    });

    it("shows the person's own notifications with titles in the page's language", async () => {
      const me = await createUser(t, { role: 'firm_admin' });
      const other = await createUser(t);
      await notify(me.id, 1, '会费提醒');
      await notify(other.id, 1, '别人的');
      const { cookie, page } = await browser(me);
      expect(page).toContain('会费提醒1');
      expect(page).not.toContain('别人的');
      expect(page).toContain('href="/somewhere/1"');
      const english = await t.http.get('/notifications?lang=en').set('Cookie', cookie).expect(200);
      expect(english.text).toContain('Notice 会费提醒 1');
      expect(english.text).toContain('<title>Notifications');
      expect(page).toContain('<title>通知');
    });

    it('says so when there is nothing to show', async () => {
      const { page } = await browser(await createUser(t));
      expect(page).toContain('data-testid="notifications-empty"');
    });

    it('marks a notification read from the form and returns to the list', async () => {
      const me = await createUser(t);
      await notify(me.id, 1);
      const { cookie, csrf, page } = await browser(me);
      const id = /action="\/notifications\/([0-9a-f-]+)\/read"/.exec(page)![1];
      const res = await t.http
        .post(`/notifications/${id}/read`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303);
      expect(res.headers.location).toBe('/notifications');
      expect(await notifications.countUnread(me.id)).toBe(0);
      const after = await t.http.get('/notifications').set('Cookie', cookie).expect(200);
      expect(after.text).not.toContain(`action="/notifications/${id}/read"`);
    });

    it('refuses the form without its CSRF token', async () => {
      const me = await createUser(t);
      await notify(me.id, 1);
      const { cookie, page } = await browser(me);
      const id = /action="\/notifications\/([0-9a-f-]+)\/read"/.exec(page)![1];
      await t.http
        .post(`/notifications/${id}/read`)
        .set('Cookie', cookie)
        .type('form')
        .send({})
        .expect(403);
      expect(await notifications.countUnread(me.id)).toBe(1);
    });

    it("answers 404 when the form names someone else's notification", async () => {
      const owner = await createUser(t);
      await notify(owner.id, 1);
      const [target] = (await notifications.page(owner.id)).items;
      const { cookie, csrf } = await browser(await createUser(t));
      await t.http
        .post(`/notifications/${target.id}/read`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrf })
        .expect(404);
      expect(await notifications.countUnread(owner.id)).toBe(1);
    });
  });
});
