import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { RatingCycle } from '../../src/modules/ratings/entities/rating-cycle.entity.js';
import { RatingSubmission } from '../../src/modules/ratings/entities/rating-submission.entity.js';
import { SAMPLE_PDF } from '../factories/firm-portal.js';
import { createUser } from '../factories/index.js';
import { openCycle, ratedFirmAdmin, submissionValues, submitFor } from '../factories/ratings.js';
import { writeDb } from '../helpers/auth-flows.js';
import { csrfOf, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const formOf = (values: Record<string, string | null>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`v_${k}`, v ?? '']));

describe('ratings pages: firm submission, staff cycles and scorecards', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a firm admin fills the form, sees errors beside the fields, uploads a document and submits', async () => {
    const admin = await ratedFirmAdmin(t);
    const cycle = await openCycle(t);
    const web = await signInWeb(t, admin);
    const path = `/firm/ratings/cycles/${cycle.id}`;

    const index = await web.get('/firm/ratings').expect(200);
    expect(index.text).toContain(path);

    let _csrf = await csrfOf(web, path);
    const bad = await web
      .post(path)
      .type('form')
      .send({ _csrf, action: 'save', ...formOf(submissionValues({ capital_adequacy: '150' })) })
      .expect(400);
    expect(bad.text).toContain('data-testid="error-capital_adequacy"');
    expect(bad.text).toContain('value="150"');

    await web
      .post(path)
      .type('form')
      .send({ _csrf, action: 'save', ...formOf(submissionValues()) })
      .expect(303);
    const draft = await web.get(path).expect(200);
    expect(draft.text).toContain('data-testid="platform-complaints_per_10k">0.00');

    _csrf = await csrfOf(web, path);
    await web
      .post(`${path}/documents?_csrf=${_csrf}`)
      .attach('file', SAMPLE_PDF, '审计报告.pdf')
      .expect(303);
    const withDoc = (await web.get(path).expect(200)).text;
    expect(withDoc).toContain('审计报告.pdf');
    const href = /href="(\/firm\/ratings\/submissions\/[^"]+)"/.exec(withDoc)?.[1] as string;
    await web.get(href).expect(200);
    const reviewerWeb = await signInWeb(t, await createUser(t, { role: 'staff_reviewer' }));
    await reviewerWeb.get(href).expect(200);
    const strangerWeb = await signInWeb(t, await ratedFirmAdmin(t));
    await strangerWeb.get(href).expect(404);

    await web
      .post(path)
      .type('form')
      .send({ _csrf, action: 'submit', ...formOf(submissionValues()) })
      .expect(303);
    const row = await t.dataSource
      .getRepository(RatingSubmission)
      .findOneByOrFail({ cycleId: cycle.id, firmId: admin.firmId as string });
    expect(row.state).toBe('submitted');
    const locked = await web.get(path).expect(200);
    expect(locked.text).not.toContain('name="action" value="submit"');
  });

  it('shows a late submission refused on the page', async () => {
    const admin = await ratedFirmAdmin(t);
    const cycle = await openCycle(t);
    const web = await signInWeb(t, admin);
    const path = `/firm/ratings/cycles/${cycle.id}`;
    const _csrf = await csrfOf(web, path);
    await writeDb(t, (m) =>
      m.update(RatingCycle, { id: cycle.id }, { closesOn: addDays(beijingDate(new Date()), -1) }),
    );
    const res = await web
      .post(path)
      .type('form')
      .send({ _csrf, action: 'submit', ...formOf(submissionValues()) })
      .expect(409);
    expect(res.text).toContain('申报期已截止');
  });

  it('another firm’s cycle page shows its own (empty) submission, never the other’s', async () => {
    const owner = await ratedFirmAdmin(t);
    const other = await ratedFirmAdmin(t);
    const cycle = await openCycle(t);
    const ownerWeb = await signInWeb(t, owner);
    const path = `/firm/ratings/cycles/${cycle.id}`;
    const _csrf = await csrfOf(ownerWeb, path);
    await ownerWeb
      .post(path)
      .type('form')
      .send({ _csrf, action: 'save', ...formOf(submissionValues({ paid_in_capital: '98765' })) })
      .expect(303);
    const otherWeb = await signInWeb(t, other);
    const page = await otherWeb.get(path).expect(200);
    expect(page.text).not.toContain('98765');
  });

  it('gives the firm admin a home task for an open cycle until it submits', async () => {
    const admin = await ratedFirmAdmin(t);
    const cycle = await openCycle(t);
    const web = await signInWeb(t, admin);
    const home = await web.get('/').expect(200);
    expect(home.text).toContain(`/firm/ratings/cycles/${cycle.id}`);
    await submitFor(t, admin, cycle);
    const after = await web.get('/').expect(200);
    expect(after.text).not.toContain(`/firm/ratings/cycles/${cycle.id}`);
  });

  it('staff admin creates and opens a cycle and drafts, edits and publishes a scorecard from pages', async () => {
    const staff = await createUser(t, { role: 'staff_admin' });
    const web = await signInWeb(t, staff);
    const index = await web.get('/staff/ratings').expect(200);
    expect(index.text).toContain('data-testid="rating-cycle-new"');
    let _csrf = await csrfOf(web, '/staff/ratings');
    const scorecardId = /name="scorecardId">\s*<option value="([^"]+)"/.exec(index.text)?.[1];
    const today = beijingDate(new Date());
    const refused = await web
      .post('/staff/ratings/cycles')
      .type('form')
      .send({
        _csrf,
        nameZh: '页面评级',
        nameEn: 'Page rating',
        scorecardId,
        periodFrom: '2025-01-01',
        periodTo: '2025-12-31',
        opensOn: today,
        closesOn: addDays(today, -1),
      })
      .expect(400);
    expect(refused.text).toContain('日期无效');
    await web
      .post('/staff/ratings/cycles')
      .type('form')
      .send({
        _csrf,
        nameZh: '页面评级',
        nameEn: 'Page rating',
        scorecardId,
        periodFrom: '2025-01-01',
        periodTo: '2025-12-31',
        opensOn: today,
        closesOn: addDays(today, 10),
      })
      .expect(303);
    const created = await t.dataSource
      .getRepository(RatingCycle)
      .findOneByOrFail({ nameZh: '页面评级' });
    await web
      .post(`/staff/ratings/cycles/${created.id}/open`)
      .type('form')
      .send({ _csrf })
      .expect(303);
    expect(
      (await t.dataSource.getRepository(RatingCycle).findOneByOrFail({ id: created.id })).state,
    ).toBe('open');

    _csrf = await csrfOf(web, '/staff/ratings/scorecards');
    const drafted = await web
      .post('/staff/ratings/scorecards')
      .type('form')
      .send({ _csrf })
      .expect(303);
    const editPath = drafted.headers.location;
    const edit = await web.get(editPath).expect(200);
    expect(edit.text).toContain('data-testid="scorecard-preview"');
    const invalid = await web
      .post(editPath)
      .type('form')
      .send({
        _csrf,
        nameZh: '新版',
        nameEn: 'New',
        definition: '{"indicators": [], "grades": []}',
      })
      .expect(400);
    expect(invalid.text).toContain('data-testid="scorecard-problems"');
    await web.post(`${editPath}/publish`).type('form').send({ _csrf }).expect(303);
    const published = await web.get(editPath).expect(200);
    expect(published.text).not.toContain('name="definition"');
  });

  it('keeps reviewers to reading the staff pages and firms out of them', async () => {
    const reviewer = await createUser(t, { role: 'staff_reviewer' });
    const web = await signInWeb(t, reviewer);
    const page = await web.get('/staff/ratings').expect(200);
    expect(page.text).not.toContain('data-testid="rating-cycle-new"');
    const admin = await ratedFirmAdmin(t);
    const firmWeb = await signInWeb(t, admin);
    await firmWeb.get('/staff/ratings').expect(403);
  });
});
