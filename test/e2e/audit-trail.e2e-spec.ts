import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService, type AuditEventItem } from '../../src/modules/audit/audit.service.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { apiToken, createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Page {
  items: AuditEventItem[];
  nextCursor: number | null;
}

/** A browser session for pages (which authenticate by cookie only). */
async function webCookie(t: TestApp, user: CreatedUser): Promise<string> {
  const entity = await t.app.get(UsersService).findById(user.id);
  if (!entity) throw new Error('user missing');
  const { token } = await t.app.get(AuthService).signIn(entity, 'web', {});
  return `szifa_session=${token}`;
}

/** What the `datetime` helper should show for an instant: Beijing wall-clock time. */
function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

describe('audit trail for staff', () => {
  let t: TestApp;
  let admin: CreatedUser & { token: string };
  let reviewer: CreatedUser & { token: string };

  const get = (path: string, token = reviewer.token) =>
    t.http.get(path).set('Authorization', `Bearer ${token}`);

  /** Every event, newest first, by walking the API's pages. */
  async function everything(query = ''): Promise<AuditEventItem[]> {
    const all: AuditEventItem[] = [];
    let cursor: number | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&before=${cursor}`;
      const page = (await get(`/api/v1/audit/events?limit=100${query}${suffix}`).expect(200))
        .body as Page;
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return all;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
    reviewer = await loginAs(t, 'staff_reviewer');
  });
  afterAll(() => t.close());

  describe('API access', () => {
    it('refuses an anonymous caller with 401', async () => {
      const res = await t.http.get('/api/v1/audit/events').expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      await t.http.get('/api/v1/audit/verify').expect(401);
    });

    it.each(['complainant', 'firm_admin', 'firm_member', 'mediator'] as const)(
      'refuses a signed-in %s with 403',
      async (role) => {
        const { token } = await loginAs(t, role);
        const res = await get('/api/v1/audit/events', token).expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
        await get('/api/v1/audit/verify', token).expect(403);
      },
    );

    it('lets a staff reviewer read events but not run the chain check', async () => {
      await get('/api/v1/audit/events').expect(200);
      const res = await get('/api/v1/audit/verify').expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('lets a staff admin run the chain check', async () => {
      const res = await get('/api/v1/audit/verify', admin.token).expect(200);
      expect(res.body).toEqual({ ok: true, checked: expect.any(Number), firstBreak: null });
      expect(res.body.checked).toBeGreaterThanOrEqual(2);
    });
  });

  describe('API listing', () => {
    it('shows each event with its chain fields, times in ISO 8601 UTC and the summary parsed', async () => {
      const user = await createUser(t);
      await apiToken(t, user);
      const { items } = (await get(`/api/v1/audit/events?actorId=${user.id}`).expect(200))
        .body as Page;
      expect(items).toHaveLength(1);
      expect(items[0]).toEqual({
        seq: expect.any(Number),
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        actorId: user.id,
        actorRole: 'complainant',
        action: 'auth.sign_in',
        subjectType: 'user',
        subjectId: user.id,
        summary: { channel: 'api', pendingStep: null },
        ip: expect.any(String),
        requestId: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('returns only events of the action asked for', async () => {
      const { token } = await loginAs(t, 'complainant');
      await t.http.post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
      const signOuts = await everything('&action=auth.sign_out');
      expect(signOuts.length).toBeGreaterThanOrEqual(1);
      expect(signOuts.every((e) => e.action === 'auth.sign_out')).toBe(true);
      const all = await everything();
      expect(signOuts.map((e) => e.seq)).toEqual(
        all.filter((e) => e.action === 'auth.sign_out').map((e) => e.seq),
      );
    });

    it('returns only events of the actor asked for', async () => {
      const user = await createUser(t);
      await apiToken(t, user);
      await apiToken(t, user);
      await loginAs(t, 'complainant');
      const mine = await everything(`&actorId=${user.id}`);
      expect(mine).toHaveLength(2);
      expect(mine.every((e) => e.actorId === user.id)).toBe(true);
    });

    it('returns only events about the subject asked for', async () => {
      const user = await createUser(t);
      const token = await apiToken(t, user);
      await t.http
        .post('/api/v1/auth/password')
        .set('Authorization', `Bearer ${token}`)
        .send({ currentPassword: user.password, newPassword: 'Zq8!wTr4nBv6' })
        .expect(200);
      const about = await everything(`&subjectType=user&subjectId=${user.id}`);
      expect(about.map((e) => e.action).sort()).toEqual(['auth.password_changed', 'auth.sign_in']);
      expect(await everything(`&subjectType=firm&subjectId=${user.id}`)).toEqual([]);
    });

    it('returns only events inside [from, to), bounds as UTC instants', async () => {
      const all = await everything();
      const middle = all[Math.floor(all.length / 2)];
      const from = middle.occurredAt;
      const to = new Date(Date.parse(from) + 1).toISOString();
      const window = await everything(`&from=${from}&to=${to}`);
      expect(window.map((e) => e.seq)).toEqual(
        all.filter((e) => e.occurredAt === from).map((e) => e.seq),
      );
      const since = await everything(`&from=${encodeURIComponent(from.replace('Z', '+00:00'))}`);
      expect(since.map((e) => e.seq)).toEqual(
        all.filter((e) => e.occurredAt >= from).map((e) => e.seq),
      );
      const before = await everything(`&to=${from}`);
      expect(before.map((e) => e.seq)).toEqual(
        all.filter((e) => e.occurredAt < from).map((e) => e.seq),
      );
    });

    it('pages by seq, newest first, and the next page stays put while new events arrive', async () => {
      for (let i = 0; i < 4; i++) await loginAs(t, 'complainant');
      const snapshot = await everything();
      const first = (await get('/api/v1/audit/events?limit=3').expect(200)).body as Page;
      expect(first.items.map((e) => e.seq)).toEqual(snapshot.slice(0, 3).map((e) => e.seq));
      expect(first.nextCursor).toBe(first.items[2].seq);
      await loginAs(t, 'complainant');
      await loginAs(t, 'complainant');
      const second = (
        await get(`/api/v1/audit/events?limit=3&before=${first.nextCursor}`).expect(200)
      ).body as Page;
      expect(second.items.map((e) => e.seq)).toEqual(snapshot.slice(3, 6).map((e) => e.seq));
    });

    it('answers nextCursor null on the last page', async () => {
      const user = await createUser(t);
      await apiToken(t, user);
      const page = (await get(`/api/v1/audit/events?actorId=${user.id}&limit=1`).expect(200))
        .body as Page;
      expect(page.items).toHaveLength(1);
      expect(page.nextCursor).toBeNull();
    });

    it.each([
      ['limit above 100', 'limit=101', 'limit'],
      ['limit of 0', 'limit=0', 'limit'],
      ['a cursor that is not a number', 'before=abc', 'before'],
      ['a time without a zone', 'from=2026-03-01T08:00:00', 'from'],
      ['a date that does not exist', 'to=2026-02-30T00:00:00Z', 'to'],
      ['an actor id that is not a UUID', 'actorId=42', 'actorId'],
      ['a subject id without its type', 'subjectId=abc', 'subjectType'],
      ['an unknown filter', 'role=staff_admin', 'role'],
    ])('refuses %s with 400 naming the field', async (_case, query, field) => {
      const res = await get(`/api/v1/audit/events?${query}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe('page /staff/audit', () => {
    it('sends an anonymous visitor to sign in, then back', async () => {
      const res = await t.http
        .get('/staff/audit?action=auth.sign_in')
        .set('Accept', 'text/html')
        .expect(303);
      expect(res.headers.location).toBe(
        `/sign-in?next=${encodeURIComponent('/staff/audit?action=auth.sign_in')}`,
      );
    });

    it.each(['complainant', 'firm_admin', 'mediator'] as const)(
      'refuses a signed-in %s with 403',
      async (role) => {
        const cookie = await webCookie(t, await createUser(t, { role }));
        const res = await t.http
          .get('/staff/audit')
          .set('Cookie', cookie)
          .set('Accept', 'text/html')
          .expect(403);
        expect(res.text).toContain('FORBIDDEN');
        expect(res.text).not.toContain('data-testid="audit-events"');
      },
    );

    it('shows staff the events with times in Beijing time', async () => {
      const cookie = await webCookie(t, reviewer);
      const [latest] = (await get('/api/v1/audit/events?limit=1').expect(200)).body
        .items as AuditEventItem[];
      const res = await t.http.get('/staff/audit').set('Cookie', cookie).expect(200);
      expect(res.text).toContain('data-testid="audit-events"');
      expect(res.text).toContain(
        `<time datetime="${latest.occurredAt}">${beijing(latest.occurredAt)}</time>`,
      );
      expect(res.text).toContain(latest.hash.slice(0, 12));
    });

    it('filters by Beijing calendar days, both ends included', async () => {
      const cookie = await webCookie(t, reviewer);
      const today = beijing(new Date().toISOString()).slice(0, 10);
      const tomorrow = beijing(new Date(Date.now() + 86_400_000).toISOString()).slice(0, 10);
      const now = await t.http
        .get(`/staff/audit?from=${today}&to=${today}`)
        .set('Cookie', cookie)
        .expect(200);
      expect(now.text).toContain('data-testid="audit-events"');
      const later = await t.http
        .get(`/staff/audit?from=${tomorrow}`)
        .set('Cookie', cookie)
        .expect(200);
      expect(later.text).toContain('data-testid="audit-empty"');
    });

    it('pages fifty at a time and links to the next page with the filters kept', async () => {
      const audit = t.app.get(AuditService);
      await t.app.get(TransactionService).run(async (manager) => {
        for (let i = 1; i <= 53; i++) {
          await audit.record(manager, {
            actor: null,
            action: 'test.paging',
            subjectType: 'thing',
            subjectId: String(i),
            summary: { i },
          });
        }
      });
      const cookie = await webCookie(t, reviewer);
      const first = await t.http
        .get('/staff/audit?action=test.paging&lang=en')
        .set('Cookie', cookie)
        .expect(200);
      expect(first.text.match(/<tr data-seq=/g)).toHaveLength(50);
      expect(first.text).toContain('thing:53');
      expect(first.text).toContain('System');
      const next = /href="([^"]+)" rel="next"/
        .exec(first.text)?.[1]
        .replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&');
      expect(next).toMatch(/^\/staff\/audit\?action=test\.paging&before=\d+$/);
      const second = await t.http.get(next!).set('Cookie', cookie).expect(200);
      expect(second.text.match(/<tr data-seq=/g)).toHaveLength(3);
      expect(second.text).toContain('thing:1<');
      expect(second.text).not.toContain('rel="next"');
    });

    it('re-shows the form with the entered values and an error beside a bad date', async () => {
      const cookie = await webCookie(t, reviewer);
      const res = await t.http
        .get('/staff/audit?action=auth.sign_in&from=2026-13-45')
        .set('Cookie', cookie)
        .expect(400);
      expect(res.text).toContain('id="f-from-error"');
      expect(res.text).toContain('value="2026-13-45"');
      expect(res.text).toContain('value="auth.sign_in"');
      expect(res.text).not.toContain('data-testid="audit-events"');
    });

    it('escapes what events contain', async () => {
      await t.app.get(TransactionService).run((manager) =>
        t.app.get(AuditService).record(manager, {
          actor: null,
          action: 'test.escape',
          subjectType: 'thing',
          subjectId: '<b>x</b>',
          summary: { name: '<script>alert(1)</script>' },
        }),
      );
      const cookie = await webCookie(t, reviewer);
      const res = await t.http
        .get('/staff/audit?action=test.escape')
        .set('Cookie', cookie)
        .expect(200);
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).not.toContain('<b>x</b>');
      expect(res.text).toContain('&lt;script&gt;');
    });

    it('offers the chain check to a staff admin and shows its result', async () => {
      const cookie = await webCookie(t, admin);
      const res = await t.http
        .get('/staff/audit?verify=1&lang=en')
        .set('Cookie', cookie)
        .expect(200);
      expect(res.text).toContain('data-testid="audit-verify-result" data-ok="true"');
      expect(res.text).toMatch(/The chain is intact: \d+ events checked/);
    });

    it('neither offers nor runs the chain check for a staff reviewer', async () => {
      const cookie = await webCookie(t, reviewer);
      const page = await t.http.get('/staff/audit').set('Cookie', cookie).expect(200);
      expect(page.text).not.toContain('name="verify"');
      await t.http
        .get('/staff/audit?verify=1')
        .set('Cookie', cookie)
        .set('Accept', 'text/html')
        .expect(403);
    });
  });
});
