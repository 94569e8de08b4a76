import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_SCORECARD } from '../../src/modules/ratings/default-scorecard.js';
import { definitionFingerprint } from '../../src/modules/ratings/scorecard.js';
import { loginAs, type CreatedUser } from '../factories/index.js';
import { bearer } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Token = CreatedUser & { token: string };
interface ScorecardBody {
  id: string;
  number: number;
  status: string;
  fingerprint: string | null;
  nameZh: string;
  definition: typeof DEFAULT_SCORECARD;
}

describe('ratings: scorecard versions', () => {
  let t: TestApp;
  let admin: Token;
  let reviewer: Token;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
    reviewer = await loginAs(t, 'staff_reviewer');
  });
  afterAll(() => t.close());

  const api = (method: 'get' | 'post' | 'patch', path: string, token: string, body?: object) => {
    const req = t.http[method](`/api/v1/ratings/scorecards${path}`).set(...bearer(token));
    return body ? req.send(body) : req;
  };
  const draft = async (): Promise<ScorecardBody> =>
    (await api('post', '', admin.token, {}).expect(201)).body as ScorecardBody;

  it('ships version 1 published, with the fingerprint of the default scorecard', async () => {
    const res = await api('get', '', reviewer.token).expect(200);
    const v1 = (res.body.items as ScorecardBody[]).find((s) => s.number === 1);
    expect(v1?.status).toBe('published');
    expect(v1?.fingerprint).toBe(definitionFingerprint(DEFAULT_SCORECARD));
  });

  it('starts a draft as a copy of the newest version, numbered next', async () => {
    const before = (await api('get', '', admin.token).expect(200)).body.items as ScorecardBody[];
    const created = await draft();
    expect(created.number).toBe(Math.max(...before.map((s) => s.number)) + 1);
    expect(created.status).toBe('draft');
    expect(created.fingerprint).toBeNull();
    expect(created.definition).toEqual(before[0].definition);
  });

  it('edits a draft: names and a changed definition', async () => {
    const created = await draft();
    const definition = structuredClone(DEFAULT_SCORECARD);
    definition.indicators[0].weight = 5;
    definition.indicators[1].weight = 15;
    const res = await api('patch', `/${created.id}`, admin.token, {
      nameZh: '2027 评分表',
      definition: JSON.stringify(definition),
    }).expect(200);
    expect(res.body.nameZh).toBe('2027 评分表');
    expect(res.body.definition.indicators[0].weight).toBe(5);
  });

  it('refuses a definition with problems, listing each with its path', async () => {
    const created = await draft();
    const definition = structuredClone(DEFAULT_SCORECARD);
    definition.indicators[2].weight = 40;
    definition.indicators[3].key = 'Bad Key';
    const res = await api('patch', `/${created.id}`, admin.token, { definition }).expect(400);
    expect(res.body.code).toBe('SCORECARD_INVALID');
    const paths = (res.body.problems as Array<{ path: string }>).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['indicators', 'indicators[3].key']));
    const notJson = await api('patch', `/${created.id}`, admin.token, {
      definition: '{"indicators": [',
    }).expect(400);
    expect(notJson.body.problems[0].path).toBe('');
    const stored = await api('get', `/${created.id}`, admin.token).expect(200);
    expect(stored.body.definition).toEqual(created.definition);
  });

  it('publishes a draft with its fingerprint; afterwards it cannot change (409)', async () => {
    const created = await draft();
    const res = await api('post', `/${created.id}/publish`, admin.token).expect(200);
    expect(res.body.status).toBe('published');
    expect(res.body.fingerprint).toBe(definitionFingerprint(created.definition));
    const edit = await api('patch', `/${created.id}`, admin.token, { nameZh: '改名' }).expect(409);
    expect(edit.body.code).toBe('SCORECARD_PUBLISHED');
    const again = await api('post', `/${created.id}/publish`, admin.token).expect(409);
    expect(again.body.code).toBe('SCORECARD_PUBLISHED');
  });

  it('lets only staff admins draft, edit and publish; reviewers read; firms are refused', async () => {
    const created = await draft();
    await api('post', '', reviewer.token, {}).expect(403);
    await api('patch', `/${created.id}`, reviewer.token, { nameZh: 'x' }).expect(403);
    await api('post', `/${created.id}/publish`, reviewer.token).expect(403);
    await api('get', `/${created.id}`, reviewer.token).expect(200);
    const firm = await loginAs(t, 'firm_admin');
    await api('get', '', firm.token).expect(403);
    await t.http.get('/api/v1/ratings/scorecards').expect(401);
  });
});
