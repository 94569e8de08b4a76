import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import { beijingDate } from '../../src/common/time/beijing.js';
import { createUser } from '../factories/index.js';
import { csrfOf, signInWeb, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('staff convention drafting pages', () => {
  let t: TestApp;
  let staff: WebAgent;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await signInWeb(t, await createUser(t, { role: 'staff_admin' }));
  });

  afterAll(async () => {
    await t.close();
  });

  it('drafts, previews with HTML escaped, edits and publishes a version; then the text is final', async () => {
    const _csrf = await csrfOf(staff, '/staff/conventions/new');
    const created = await staff.post('/staff/conventions').type('form').send({
      _csrf,
      titleZh: '自律公约',
      titleEn: '',
      bodyZh: '# 第一条\n\n**诚信** <img src=x>',
      bodyEn: '',
    });
    expect(created.status).toBe(303);
    const path = created.headers.location;
    const page = await staff.get(path).expect(200);
    expect(page.text).toContain('<h1>第一条</h1>');
    expect(page.text).toContain('<strong>诚信</strong> &lt;img src=x&gt;');
    expect(page.text).not.toContain('<img src=x>');
    const id = path.split('/').pop()!;

    const edited = await staff.post(path).type('form').send({
      _csrf,
      version: '1',
      titleZh: '自律公约',
      titleEn: '',
      bodyZh: '# 第一条\n\n新正文',
      bodyEn: '',
    });
    expect(edited.status).toBe(303);

    const published = await staff
      .post(`${path}/publication`)
      .type('form')
      .send({ _csrf, version: '2', effectiveOn: beijingDate(new Date()) });
    expect(published.status).toBe(303);
    const row = await t.dataSource.getRepository(ConventionVersion).findOneByOrFail({ id });
    expect(row).toMatchObject({ state: 'published', bodyZh: '# 第一条\n\n新正文' });
    expect(row.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    const after = await staff.get(path).expect(200);
    expect(after.text).toContain(row.fingerprint!);
    expect(after.text).not.toContain(`action="${path}/publication"`);
    const refused = await staff
      .post(path)
      .type('form')
      .send({ _csrf, version: '3', titleZh: '改写', titleEn: '', bodyZh: '改写', bodyEn: '' });
    expect(refused.status).toBe(409);
    expect(
      (await t.dataSource.getRepository(ConventionVersion).findOneByOrFail({ id })).bodyZh,
    ).toBe('# 第一条\n\n新正文');
  });

  it('keeps what was typed and names the missing field when the text is empty', async () => {
    const _csrf = await csrfOf(staff, '/staff/conventions/new');
    const res = await staff
      .post('/staff/conventions')
      .type('form')
      .send({ _csrf, titleZh: '保留的标题', titleEn: '', bodyZh: '', bodyEn: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('value="保留的标题"');
    expect(res.text).toContain('id="f-bodyZh-error"');
  });

  it('refuses a past effective date beside the field', async () => {
    const _csrf = await csrfOf(staff, '/staff/conventions/new');
    const created = await staff
      .post('/staff/conventions')
      .type('form')
      .send({ _csrf, titleZh: '标题', titleEn: '', bodyZh: '正文', bodyEn: '' });
    const path = created.headers.location;
    const res = await staff
      .post(`${path}/publication`)
      .type('form')
      .send({ _csrf, version: '1', effectiveOn: '2020-01-01' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="f-effectiveOn-error"');
  });

  it('is for staff administrators only', async () => {
    for (const role of ['staff_reviewer', 'firm_admin'] as const) {
      const agent = await signInWeb(t, await createUser(t, { role }));
      await agent.get('/staff/conventions').expect(403);
    }
    const anonymous = await t.http.get('/staff/conventions');
    expect([302, 303]).toContain(anonymous.status);
  });
});
