import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { MediatorAffiliation } from '../../src/modules/disputes/entities/mediator-affiliation.entity.js';
import { createMediator } from '../factories/disputes.js';
import { createFirm, createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { bearer } from '../helpers/auth-flows.js';
import { csrfOf, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('disputes: mediator profiles and declared affiliations', () => {
  let t: TestApp;
  let admin: CreatedUser & { token: string };
  let reviewer: CreatedUser & { token: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
    reviewer = await loginAs(t, 'staff_reviewer');
  });
  afterAll(() => t.close());

  const api = (
    method: 'get' | 'post' | 'patch' | 'delete',
    path: string,
    token: string,
    body?: object,
  ) => {
    const req = t.http[method](`/api/v1/disputes/mediators${path}`).set(...bearer(token));
    return body ? req.send(body) : req;
  };

  it('staff create a profile only for a user whose role is mediator, once', async () => {
    const user = await createUser(t, { role: 'mediator' });
    const res = await api('post', '', admin.token, {
      userId: user.id,
      languages: ['zh', 'yue'],
      specialities: ['fee_dispute'],
      bio: '执业律师，十年金融纠纷调解经验。',
    }).expect(201);
    expect(res.body).toMatchObject({
      userId: user.id,
      languages: ['zh', 'yue'],
      specialities: ['fee_dispute'],
      status: 'active',
      affiliations: [],
    });
    await api('post', '', admin.token, { userId: user.id }).expect(409);
    const complainant = await createUser(t, { role: 'complainant' });
    const wrong = await api('post', '', admin.token, { userId: complainant.id }).expect(404);
    expect(wrong.body.code).toBe('MEDIATOR_NOT_FOUND');
    await api('post', '', reviewer.token, { userId: user.id }).expect(403);
    const bad = await api('post', '', admin.token, { userId: user.id, specialities: ['cooking'] });
    expect(bad.status).toBe(400);
  });

  it('a mediator edits their own languages, specialities and bio, but not their status or anyone else', async () => {
    const mediator = await createMediator(t);
    const other = await createMediator(t);
    const res = await api('patch', `/${mediator.id}`, mediator.token, {
      languages: ['zh', 'en'],
      specialities: ['data_leak', 'other'],
      bio: '前银行合规负责人。',
    }).expect(200);
    expect(res.body).toMatchObject({
      languages: ['zh', 'en'],
      specialities: ['data_leak', 'other'],
    });
    await api('patch', `/${mediator.id}`, mediator.token, { status: 'inactive' }).expect(403);
    await api('patch', `/${other.id}`, mediator.token, { bio: '改别人的。' }).expect(404);
    await api('get', `/${other.id}`, mediator.token).expect(404);
    await api('get', '', mediator.token).expect(403);
    const off = await api('patch', `/${mediator.id}`, admin.token, { status: 'inactive' }).expect(
      200,
    );
    expect(off.body.status).toBe('inactive');
  });

  it('declares affiliations (by the mediator or staff); removal keeps the declaration', async () => {
    const mediator = await createMediator(t);
    const firm = await createFirm(t);
    const own = await api('post', `/${mediator.id}/affiliations`, mediator.token, {
      firmId: firm.id,
      relation: 'advised',
      endedOn: '2025-06-30',
      note: '担任法律顾问。',
    }).expect(201);
    expect(own.body).toMatchObject({
      firmId: firm.id,
      firmName: firm.name,
      conflicting: true,
      removedAt: null,
    });
    const old = await api('post', `/${mediator.id}/affiliations`, admin.token, {
      firmId: firm.id,
      relation: 'employed',
      endedOn: '2019-01-31',
    }).expect(201);
    expect(old.body.conflicting).toBe(false);
    await api('post', `/${mediator.id}/affiliations`, admin.token, {
      firmId: firm.id,
      relation: 'friend',
    }).expect(400);
    await api('post', `/${mediator.id}/affiliations`, admin.token, {
      firmId: firm.id,
      relation: 'employed',
      endedOn: '2025-02-30',
    }).expect(400);
    await api('delete', `/${mediator.id}/affiliations/${own.body.id}`, mediator.token).expect(204);
    await api('delete', `/${mediator.id}/affiliations/${own.body.id}`, mediator.token).expect(404);
    const row = await t.dataSource
      .getRepository(MediatorAffiliation)
      .findOneByOrFail({ id: own.body.id });
    expect(row.removedAt).not.toBeNull();
    const profile = await api('get', `/${mediator.id}`, reviewer.token).expect(200);
    expect(profile.body.affiliations).toHaveLength(2);
    const audited = await t.dataSource
      .getRepository(AuditEvent)
      .countBy({ subjectType: 'mediator_profile', subjectId: mediator.id });
    expect(audited).toBe(3);
  });

  it('pages: staff list, create and edit profiles; a mediator keeps their own profile', async () => {
    const user = await createUser(t, { role: 'mediator' });
    const staffWeb = await signInWeb(t, admin);
    const csrf = await csrfOf(staffWeb, '/staff/mediators');
    const created = await staffWeb
      .post('/staff/mediators')
      .type('form')
      .send({ _csrf: csrf, email: user.email });
    expect(created.status).toBe(303);
    expect(created.headers.location).toContain('done=');
    const list = await staffWeb.get('/staff/mediators').expect(200);
    expect(list.text).toContain(`/staff/mediators/${user.id}`);

    const page = await staffWeb.get(`/staff/mediators/${user.id}`).expect(200);
    const firm = await createFirm(t, { status: 'active' });
    const saved = await staffWeb
      .post(`/staff/mediators/${user.id}`)
      .type('form')
      .send({
        _csrf: csrf,
        languages: 'zh, en',
        specialities: ['fee_dispute', 'data_leak'],
        bio: '简介',
        status: 'active',
        version: '1',
      });
    expect(saved.headers.location).toBe(
      `/staff/mediators/${user.id}?done=mediation.mediators.saved`,
    );
    expect(page.text).toContain('affiliation-add');

    const mediatorWeb = await signInWeb(t, user);
    const own = await mediatorWeb.get('/mediator/profile').expect(200);
    expect(own.text).toContain('data_leak');
    const ownCsrf = await csrfOf(mediatorWeb, '/mediator/profile');
    const declared = await mediatorWeb
      .post('/mediator/profile/affiliations')
      .type('form')
      .send({ _csrf: ownCsrf, firmId: firm.id, relation: 'shareholder', endedOn: '', note: '' });
    expect(declared.headers.location).toBe('/mediator/profile?done=mediation.mediators.saved');
    const after = await mediatorWeb.get('/mediator/profile').expect(200);
    expect(after.text).toContain(firm.name);
    const refused = await mediatorWeb
      .post('/mediator/profile/affiliations')
      .type('form')
      .send({ _csrf: ownCsrf, firmId: firm.id, relation: 'friend', endedOn: '' });
    expect(refused.headers.location).toBe('/mediator/profile?error=VALIDATION_FAILED');
    await mediatorWeb.get('/staff/mediators').expect(403);
  });
});
