import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import { createMediator, createTicket, ticketWithParties } from '../factories/disputes.js';
import { loginAs } from '../factories/index.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Page {
  items: Array<{ id: string; number: string | null }>;
  nextCursor: string | null;
}

describe('ticket lists per role', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const list = async (token: string, query = ''): Promise<Page> => {
    const res = await t.http.get(`/api/v1/disputes/tickets${query}`).set(...bearer(token));
    expect(res.status).toBe(200);
    return res.body as Page;
  };
  const ids = (page: Page): string[] => page.items.map((i) => i.id);

  it('shows each role only its tickets: own, against the firm, assigned, all filed for staff', async () => {
    const setup = await ticketWithParties(t, { state: 'awaiting_response', triagedAt: new Date() });
    const draft = await createTicket(t, {
      state: 'draft',
      firmId: setup.firmId,
      complainantUserId: setup.complainant.id,
    });
    const mediator = await createMediator(t);
    const assigned = await createTicket(t, {
      firmId: setup.firmId,
      mediatorUserId: mediator.id,
      assignment: 'accepted',
    });
    const otherFirm = await loginAs(t, 'firm_admin');
    const otherComplainant = await loginAs(t, 'complainant');
    const staff = await loginAs(t, 'staff_reviewer');

    expect(ids(await list(setup.complainant.token)).sort()).toEqual(
      [setup.ticket.id, draft.id].sort(),
    );
    const firmIds = ids(await list(setup.firmAdmin.token));
    expect(firmIds).toEqual(expect.arrayContaining([setup.ticket.id, assigned.id]));
    expect(firmIds).not.toContain(draft.id);
    expect(ids(await list(otherFirm.token))).toEqual([]);
    expect(ids(await list(otherComplainant.token))).toEqual([]);
    expect(ids(await list(mediator.token))).toEqual([assigned.id]);
    const staffIds = ids(await list(staff.token, `?firmId=${setup.firmId}`));
    expect(staffIds.sort()).toEqual([setup.ticket.id, assigned.id].sort());
  });

  it('pages with a keyset cursor: every ticket once, newest first', async () => {
    const c = await loginAs(t, 'complainant');
    const made: string[] = [];
    for (let i = 0; i < 7; i++)
      made.push(
        (
          await createTicket(t, {
            complainantUserId: c.id,
            createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i < 3 ? 0 : i)),
          })
        ).id,
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(c.token, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen.slice(0, 4)).toEqual([made[6], made[5], made[4], made[3]]);
    const bad = await t.http
      .get('/api/v1/disputes/tickets?cursor=nonsense')
      .set(...bearer(c.token));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('CURSOR_INVALID');
  });

  it('filters staff lists by state, category, number and overdue clocks', async () => {
    const staff = await loginAs(t, 'staff_admin');
    const overdue = await createTicket(t, { state: 'filed', category: 'data_leak' });
    const onTime = await createTicket(t, { state: 'in_mediation', category: 'data_leak' });
    await writeDb(t, (em) =>
      em.insert(DisputeDeadline, [
        {
          id: crypto.randomUUID(),
          ticketId: overdue.id,
          firmId: overdue.firmId ?? '',
          kind: 'triage',
          startedOn: '2026-01-05',
          dueOn: '2026-01-07',
          status: 'open',
          metAt: null,
          breachedAt: null,
          createdAt: new Date(),
        },
        {
          id: crypto.randomUUID(),
          ticketId: onTime.id,
          firmId: onTime.firmId ?? '',
          kind: 'mediation',
          startedOn: '2026-01-05',
          dueOn: '2099-01-07',
          status: 'open',
          metAt: null,
          breachedAt: null,
          createdAt: new Date(),
        },
      ]),
    );
    const overdueIds = ids(await list(staff.token, '?overdue=true'));
    expect(overdueIds).toContain(overdue.id);
    expect(overdueIds).not.toContain(onTime.id);
    const inMediation = ids(await list(staff.token, '?state=in_mediation&category=data_leak'));
    expect(inMediation).toContain(onTime.id);
    expect(inMediation).not.toContain(overdue.id);
    expect(ids(await list(staff.token, `?number=${overdue.number ?? ''}`))).toEqual([overdue.id]);
  });

  it('renders the list pages with their filters and a next-page link', async () => {
    const staff = await loginAs(t, 'staff_admin');
    for (let i = 0; i < 21; i++) await createTicket(t, { state: 'closed' });
    const agent = await signInWeb(t, staff);
    const page = await agent.get('/staff/disputes?state=closed').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="dispute-filter"');
    // Handlebars escapes "=" as &#x3D; in attributes; the link keeps the filter and adds a cursor.
    expect(page.text).toMatch(
      /href="\/staff\/disputes\?state&#x3D;closed&amp;cursor&#x3D;[^"]+" rel="next"/,
    );
    const c = await loginAs(t, 'complainant');
    const mine = await (await signInWeb(t, c)).get('/disputes').set('Accept', 'text/html');
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('href="/disputes/new"');
  });
});
