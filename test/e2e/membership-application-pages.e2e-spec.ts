import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { MembershipApplication } from '../../src/modules/membership/entities/membership-application.entity.js';
import { createApplication, createCompleteApplicant } from '../factories/applications.js';
import { createFirm, createUser } from '../factories/index.js';
import { csrfFrom, signInWeb, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** Posts a form the way a browser does: the page's CSRF token, then the fields. */
async function postForm(
  agent: WebAgent,
  page: string,
  action: string,
  fields: Record<string, string>,
  status: number,
) {
  const html = (await agent.get(page).set('Accept', 'text/html')).text;
  return agent
    .post(action)
    .set('Accept', 'text/html')
    .type('form')
    .send({ _csrf: csrfFrom(html), ...fields })
    .expect(status);
}

/** The hidden version field of the form with the given test id. */
function versionIn(html: string, testId: string): string {
  const form = new RegExp(`data-testid="${testId}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(
    html,
  );
  if (!form) throw new Error(`no ${testId} form on the page`);
  return form[1];
}

describe('application pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const appOf = async (firmId: string): Promise<MembershipApplication> =>
    t.dataSource.getRepository(MembershipApplication).findOneByOrFail({ firmId });

  it('walks the whole journey in pages: apply, submit, changes requested with a comment, resubmit, approve, invoice', async () => {
    const firm = await createCompleteApplicant(t);
    const admin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
    const firmWeb = await signInWeb(t, admin);

    const start = await firmWeb.get('/firm/application').expect(200);
    expect(start.text).toContain('data-testid="form-create"');

    await postForm(
      firmWeb,
      '/firm/application',
      '/firm/application',
      {
        requestedTier: 'council',
      },
      303,
    );
    const draft = await firmWeb.get('/firm/application?done=create').expect(200);
    expect(draft.text).toContain('data-state="draft"');
    expect(draft.text).toContain('data-testid="form-submit"');
    expect(draft.text).toContain('理事单位');

    await postForm(
      firmWeb,
      '/firm/application',
      '/firm/application/transitions',
      {
        action: 'submit',
        version: versionIn(draft.text, 'form-submit'),
      },
      303,
    );
    expect((await appOf(firm.id)).state).toBe('submitted');

    const reviewer = await createUser(t, { role: 'staff_reviewer' });
    const staffWeb = await signInWeb(t, reviewer);
    const queue = await staffWeb.get('/staff/applications').expect(200);
    const app = await appOf(firm.id);
    expect(queue.text).toContain(`href="/staff/applications/${app.id}"`);
    expect(queue.text).toContain(firm.name);

    const page = `/staff/applications/${app.id}`;
    const review = await staffWeb.get(page).expect(200);
    expect(review.text).toContain(firm.creditCode);
    expect(review.text).toContain('licence.pdf');
    expect(review.text).toContain(`href="/firms/${firm.id}/documents/`);
    expect(review.text).toContain('data-testid="form-start_review"');
    expect(review.text).not.toContain('data-testid="form-approve"');

    await postForm(
      staffWeb,
      page,
      `${page}/transitions`,
      {
        action: 'start_review',
        comment: '',
        version: '2',
      },
      303,
    );

    const refused = await postForm(
      staffWeb,
      page,
      `${page}/transitions`,
      {
        action: 'request_changes',
        comment: '  ',
        version: '3',
      },
      400,
    );
    expect(refused.text).toContain('请填写意见');
    expect((await appOf(firm.id)).state).toBe('under_review');

    await postForm(
      staffWeb,
      page,
      `${page}/transitions`,
      {
        action: 'request_changes',
        comment: '请上传公司章程。',
        version: '3',
      },
      303,
    );

    const changes = await firmWeb.get('/firm/application').expect(200);
    expect(changes.text).toContain('data-testid="staff-comment"');
    expect(changes.text).toContain('请上传公司章程。');
    await postForm(
      firmWeb,
      '/firm/application',
      '/firm/application/transitions',
      {
        action: 'resubmit',
        version: versionIn(changes.text, 'form-resubmit'),
      },
      303,
    );

    await postForm(
      staffWeb,
      page,
      `${page}/transitions`,
      {
        action: 'start_review',
        comment: '',
        version: '5',
      },
      303,
    );
    const decider = await createUser(t, { role: 'staff_admin' });
    const deciderWeb = await signInWeb(t, decider);
    const decide = await deciderWeb.get(page).expect(200);
    expect(decide.text).toContain('data-testid="form-approve"');
    expect(decide.text).toContain('data-testid="form-reject"');
    const approved = await postForm(
      deciderWeb,
      page,
      `${page}/transitions`,
      {
        action: 'approve',
        comment: '同意。',
        version: '6',
      },
      303,
    );
    expect(approved.headers.location).toBe(`${page}?done=approve`);

    expect((await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id })).status).toBe(
      'active',
    );
    const done = await firmWeb.get('/firm/application').expect(200);
    expect(done.text).toContain('data-state="approved"');
    expect(done.text).toContain('href="/firm/invoices"');
    const invoice = await t.dataSource.getRepository(Invoice).findOneByOrFail({ firmId: firm.id });
    const invoices = await firmWeb.get('/firm/invoices').expect(200);
    expect(invoices.text).toContain(invoice.number);
  });

  it('keeps a refused submission on the page with the list of what is missing', async () => {
    const firm = await createFirm(t, { status: 'applicant' });
    const admin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
    await createApplication(t, firm.id, 'draft');
    const web = await signInWeb(t, admin);
    const page = await web.get('/firm/application').expect(200);
    expect(page.text).toContain('data-testid="application-problems"');
    const res = await postForm(
      web,
      '/firm/application',
      '/firm/application/transitions',
      {
        action: 'submit',
        version: '1',
      },
      422,
    );
    expect(res.text).toContain('data-testid="notice-problems"');
    expect(res.text).toContain('法定代表人');
    expect(res.text).toContain('营业执照');
  });

  it('answers 409 on the page when someone else acted first', async () => {
    const firm = await createCompleteApplicant(t);
    const app = await createApplication(t, firm.id, 'submitted');
    const reviewer = await createUser(t, { role: 'staff_reviewer' });
    const web = await signInWeb(t, reviewer);
    const page = `/staff/applications/${app.id}`;
    const html = (await web.get(page)).text;
    await postForm(
      web,
      page,
      `${page}/transitions`,
      {
        action: 'start_review',
        comment: '',
        version: '1',
      },
      303,
    );
    const stale = await web
      .post(`${page}/transitions`)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrfFrom(html), action: 'start_review', comment: '', version: '1' })
      .expect(409);
    expect(stale.text).toContain('已被他人修改');
  });

  it('shows a firm member the application read-only, and a firm that is already a member no form', async () => {
    const firm = await createCompleteApplicant(t);
    await createApplication(t, firm.id, 'draft');
    const member = await createUser(t, { role: 'firm_member', firmId: firm.id });
    const web = await signInWeb(t, member);
    const page = await web.get('/firm/application').expect(200);
    expect(page.text).toContain('data-testid="read-only"');
    expect(page.text).not.toContain('data-testid="form-submit"');

    const activeAdmin = await createUser(t, { role: 'firm_admin' });
    const activeWeb = await signInWeb(t, activeAdmin);
    const active = await activeWeb.get('/firm/application').expect(200);
    expect(active.text).toContain('data-testid="not-applicant"');
    expect(active.text).not.toContain('data-testid="form-create"');
  });

  it('filters the queue, shows counts per state, and reports a bad filter beside its field', async () => {
    const firm = await createCompleteApplicant(t, { district: 'yantian' });
    const app = await createApplication(t, firm.id, 'resubmitted', {
      submittedAt: new Date(Date.now() - 12 * 86_400_000),
    });
    const reviewer = await createUser(t, { role: 'staff_reviewer' });
    const web = await signInWeb(t, reviewer);
    const res = await web
      .get('/staff/applications?district=yantian&minAgeDays=10&lang=en')
      .expect(200);
    expect(res.text).toContain(`data-id="${app.id}"`);
    expect(res.text).toContain('Resubmitted');
    expect(res.text).toMatch(/data-testid="count-resubmitted">\d+</);
    const none = await web.get('/staff/applications?district=yantian&maxAgeDays=3').expect(200);
    expect(none.text).toContain('data-testid="queue-empty"');
    const bad = await web.get('/staff/applications?minAgeDays=soon').expect(400);
    expect(bad.text).toContain('data-testid="error-summary"');
  });

  it('keeps staff pages from firm users and complainants (403), the firm page from complainants, and sends visitors to sign in', async () => {
    const firm = await createCompleteApplicant(t);
    const app = await createApplication(t, firm.id, 'submitted');
    for (const role of ['firm_admin', 'complainant'] as const) {
      const user = await createUser(t, { role });
      const web = await signInWeb(t, user);
      await web.get('/staff/applications').set('Accept', 'text/html').expect(403);
      await web.get(`/staff/applications/${app.id}`).set('Accept', 'text/html').expect(403);
    }
    const complainant = await signInWeb(t, await createUser(t, { role: 'complainant' }));
    await complainant.get('/firm/application').set('Accept', 'text/html').expect(403);
    const anonymous = await t.http
      .get('/staff/applications')
      .set('Accept', 'text/html')
      .expect(303);
    expect(anonymous.headers.location).toContain('/sign-in');
  });

  it('refuses a staff action posted without the CSRF token', async () => {
    const firm = await createCompleteApplicant(t);
    const app = await createApplication(t, firm.id, 'submitted');
    const web = await signInWeb(t, await createUser(t, { role: 'staff_reviewer' }));
    await web
      .post(`/staff/applications/${app.id}/transitions`)
      .set('Accept', 'text/html')
      .type('form')
      .send({ action: 'start_review', version: '1' })
      .expect(403);
    expect((await appOf(firm.id)).state).toBe('submitted');
  });
});
