import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { DeadlinesService } from '../../src/modules/disputes/deadlines.service.js';
import { DisputeDeadline } from '../../src/modules/disputes/entities/dispute-deadline.entity.js';
import type { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { createTicket } from '../factories/disputes.js';
import { createFirm, createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('staff dashboard', () => {
  let t: TestApp;
  let staff: CreatedUser & { token: string };
  let overdueTicket: DisputeTicket;
  const hostileName = '=HYPERLINK("http://x","<b>点我</b>")';

  beforeAll(async () => {
    t = await startTestApp();
    staff = await loginAs(t, 'staff_reviewer');
    const firm = await createFirm(t, { name: hostileName });
    const now = new Date();
    const day = 86_400_000;
    for (const state of ['filed', 'filed', 'awaiting_response', 'in_mediation'] as const)
      await createTicket(t, { firmId: firm.id, state });
    // Two resolved in mediation: one settled after 10 days, one failed after 20.
    await createTicket(t, {
      state: 'settled',
      outcome: 'settled',
      filedAt: new Date(now.getTime() - 10 * day),
      resolvedAt: now,
    });
    await createTicket(t, {
      state: 'closed',
      outcome: 'failed',
      filedAt: new Date(now.getTime() - 20 * day),
      resolvedAt: now,
    });
    await createTicket(t, { state: 'draft' });
    overdueTicket = await createTicket(t, { firmId: firm.id, state: 'awaiting_response' });
    await writeDb(t, async (m) => {
      const clock = await t.app.get(DeadlinesService).start(m, overdueTicket, 'firm_response', now);
      await m.update(DisputeDeadline, { id: clock.id }, { dueOn: addDays(beijingDate(now), -3) });
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('counts open tickets by state, complaints per firm, outcomes and the settlement rate', async () => {
    const res = await t.http.get('/api/v1/disputes/dashboard').set(...bearer(staff.token));
    expect(res.status).toBe(200);
    const byState = Object.fromEntries(
      (res.body.openByState as Array<{ state: string; count: number }>).map((s) => [
        s.state,
        s.count,
      ]),
    );
    expect(byState).toMatchObject({ filed: 2, awaiting_response: 2, in_mediation: 1, settled: 1 });
    expect(byState.draft).toBeUndefined();
    expect(res.body.byFirm[0]).toMatchObject({ firmName: hostileName, count: 5 });
    expect(res.body.outcomes).toMatchObject({ settled: 1, failed: 1 });
    expect(res.body.settlementRate).toBe(0.5);
    expect(res.body.averageResolutionDays).toBe(15);
    expect((res.body.overdue as Array<{ number: string }>).map((o) => o.number)).toEqual([
      overdueTicket.number,
    ]);
  });

  it('renders the page with SVG charts, every label escaped, and the overdue list', async () => {
    const user = await createUser(t, { role: 'staff_admin' });
    const agent = await signInWeb(t, user);
    const page = await agent.get('/staff/disputes/dashboard').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text.match(/<svg /g)).toHaveLength(4);
    for (const id of ['by-state', 'by-firm', 'resolution', 'outcomes'])
      expect(page.text).toContain(`data-testid="chart-${id}"`);
    expect(page.text).not.toContain('<b>点我</b>');
    expect(page.text).toContain('&lt;b&gt;点我&lt;/b&gt;');
    expect(page.text).toContain('50.0%');
    expect(page.text).toContain('data-testid="dashboard-overdue"');
    expect(page.text).toContain(overdueTicket.number);
  });

  it('downloads the figures as CSV for Excel: UTF-8 BOM, formula-like cells defused', async () => {
    const user = await createUser(t, { role: 'staff_admin' });
    const agent = await signInWeb(t, user);
    const res = await agent
      .get('/staff/disputes/dashboard.csv')
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="szifa-disputes-dashboard-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('section,key,label,value,due_on');
    expect(text).toContain('open_by_state,filed,已提交，待受理,2,');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""<b>点我</b>"")",5,`);
    expect(text).toContain(`overdue,${overdueTicket.number},`);

    const api = await t.http
      .get('/api/v1/disputes/dashboard.csv?lang=en')
      .set(...bearer(staff.token));
    expect(api.status).toBe(200);
  });

  it('is for staff only', async () => {
    expect((await t.http.get('/api/v1/disputes/dashboard')).status).toBe(401);
    const firm = await loginAs(t, 'firm_admin');
    expect((await t.http.get('/api/v1/disputes/dashboard').set(...bearer(firm.token))).status).toBe(
      403,
    );
    expect(
      (await t.http.get('/api/v1/disputes/dashboard.csv').set(...bearer(firm.token))).status,
    ).toBe(403);
    const complainant = await createUser(t, { role: 'complainant' });
    const agent = await signInWeb(t, complainant);
    expect((await agent.get('/staff/disputes/dashboard').set('Accept', 'text/html')).status).toBe(
      403,
    );
    expect((await agent.get('/staff/disputes/dashboard.csv')).status).toBe(403);
  });
});
