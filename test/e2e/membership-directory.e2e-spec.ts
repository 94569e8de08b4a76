import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DirectoryService } from '../../src/modules/membership/directory.service.js';
import type { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { loginAs, randomCreditCode } from '../factories/index.js';
import { createListedFirm } from '../factories/lifecycle.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const LIST_KEYS = [
  'categories',
  'creditCode',
  'district',
  'id',
  'memberSince',
  'name',
  'nameEn',
  'status',
  'tier',
];
const RECORD_KEYS = [...LIST_KEYS, 'history', 'listed', 'sections'].sort();

interface Item {
  id: string;
  name: string;
  status: string;
}

describe('public member directory', () => {
  let t: TestApp;
  /** Every firm this file makes has the tag in its name, so searches can be checked exactly. */
  const tag = `鹏${randomUUID().slice(0, 6)}`;
  const firms: Record<string, Firm> = {};

  const search = async (query: Record<string, string | number>): Promise<Item[]> => {
    const res = await t.http.get('/api/v1/directory').query(query).expect(200);
    return res.body.items as Item[];
  };
  const names = (items: Item[]): string[] => items.map((i) => i.name);

  beforeAll(async () => {
    t = await startTestApp();
    const make = async (
      key: string,
      overrides: Parameters<typeof createListedFirm>[1],
    ): Promise<void> => {
      firms[key] = await createListedFirm(t, {
        contactName: '联系人张三',
        contactPhone: '13800138000',
        contactEmail: 'secret-contact@example.cn',
        legalRepresentative: '法人李四',
        address: '深圳市福田区保密路1号',
        website: 'https://example.cn',
        ...overrides,
      });
    };
    await make('active', {
      name: `${tag}甲支付科技有限公司`,
      nameEn: 'Pengcheng Alpha FinTech Co., Ltd.',
      district: 'nanshan',
      tier: 'council',
      categories: ['third_party_payment', 'mobile_payment'],
    });
    await make('suspended', {
      name: `${tag}乙网络小额贷款有限公司`,
      nameEn: 'Beta Online Lending',
      status: 'suspended',
      district: 'futian',
      tier: 'member',
      categories: ['online_lending'],
    });
    await make('expelled', {
      name: `${tag}丙众筹平台有限公司`,
      status: 'expelled',
      district: 'nanshan',
      tier: 'member',
      categories: ['equity_crowdfunding'],
    });
    await make('lapsed', { name: `${tag}丁金融信息服务有限公司`, status: 'lapsed' });
    await make('withdrawn', { name: `${tag}戊电商金融有限公司`, status: 'withdrawn' });
    await make('applicant', {
      name: `${tag}己申请中有限公司`,
      status: 'applicant',
      tier: null,
      memberSince: null,
    });
    await make('rejected', {
      name: `${tag}庚未通过有限公司`,
      status: 'rejected',
      tier: null,
      memberSince: null,
    });
  });
  afterAll(() => t.close());

  it('lists active, suspended and expelled members only, ordered by name', async () => {
    const items = await search({ q: tag });
    expect(names(items)).toEqual(
      [firms.active, firms.expelled, firms.suspended].map((f) => f.name).sort(),
    );
    expect(items.map((i) => i.status).sort()).toEqual(['active', 'expelled', 'suspended']);
  });

  it('shows exactly the public fields, never contact data, the representative or the address', async () => {
    const res = await t.http.get('/api/v1/directory').query({ q: tag }).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(LIST_KEYS);
    const record = await t.http.get(`/api/v1/directory/${firms.active.id}`).expect(200);
    expect(Object.keys(record.body).sort()).toEqual(RECORD_KEYS);
    for (const text of [res.text, record.text]) {
      for (const secret of ['13800138000', 'secret-contact', '联系人张三', '法人李四', '保密路'])
        expect(text).not.toContain(secret);
    }
    expect(record.body).toMatchObject({
      id: firms.active.id,
      name: firms.active.name,
      nameEn: 'Pengcheng Alpha FinTech Co., Ltd.',
      creditCode: firms.active.creditCode,
      district: 'nanshan',
      categories: ['mobile_payment', 'third_party_payment'],
      tier: 'council',
      status: 'active',
      memberSince: '2024-01-15',
      listed: true,
    });
  });

  it('shows the status history with dates and reason categories but not the written reason', async () => {
    const staff = await loginAs(t, 'staff_admin');
    const member = await createListedFirm(t, { name: `${tag}辛记录测试有限公司` });
    await t.http
      .post(`/api/v1/firms/${member.id}/status-transitions`)
      .set('Authorization', `Bearer ${staff.token}`)
      .send({
        action: 'expel',
        reason: 'confidential grounds',
        reasonCategory: 'misconduct',
        decisionRef: '深互金协〔2026〕3号',
        version: member.version,
      })
      .expect(201);
    const res = await t.http.get(`/api/v1/directory/${member.id}`).expect(200);
    expect(res.body.history).toEqual([
      {
        status: 'active',
        reasonCategory: 'admitted',
        until: null,
        decisionRef: null,
        effectiveAt: '2024-01-15T02:00:00.000Z',
      },
      {
        status: 'expelled',
        reasonCategory: 'misconduct',
        until: null,
        decisionRef: '深互金协〔2026〕3号',
        effectiveAt: expect.any(String),
      },
    ]);
    expect(res.text).not.toContain('confidential grounds');
    for (const event of res.body.history)
      expect(Object.keys(event).sort()).toEqual([
        'decisionRef',
        'effectiveAt',
        'reasonCategory',
        'status',
        'until',
      ]);
  });

  it('keeps the public record of lapsed and withdrawn firms reachable by id, marked as not listed', async () => {
    for (const key of ['lapsed', 'withdrawn']) {
      const res = await t.http.get(`/api/v1/directory/${firms[key].id}`).expect(200);
      expect(res.body).toMatchObject({ status: key, listed: false });
    }
  });

  it('answers 404 for applicants, rejected firms and unknown ids, and 400 for a malformed id', async () => {
    for (const id of [firms.applicant.id, firms.rejected.id, randomUUID()]) {
      const res = await t.http.get(`/api/v1/directory/${id}`).expect(404);
      expect(res.body.code).toBe('FIRM_NOT_FOUND');
    }
    await t.http.get('/api/v1/directory/not-a-uuid').expect(400);
  });

  it('offers placeholder sections for the convention, the rating and the certificate', async () => {
    const res = await t.http.get(`/api/v1/directory/${firms.active.id}`).expect(200);
    expect(res.body.sections).toEqual([
      { key: 'pledge', available: false, summary: null, link: null },
      { key: 'rating', available: false, summary: null, link: null },
      { key: 'certificate', available: false, summary: null, link: null },
    ]);
  });

  it('fills each section from the one provider its module registers', () => {
    // 'pledge', 'rating' and 'certificate' are all filled by their modules; a second provider
    // for a section is a programming error.
    expect(() =>
      t.app.get(DirectoryService).registerSection('certificate', () => Promise.resolve(null)),
    ).toThrow('Directory section certificate registered twice');
  });

  it('finds members by part of the Chinese name', async () => {
    expect(names(await search({ q: `${tag}乙网络` }))).toEqual([firms.suspended.name]);
    expect(names(await search({ q: '小额贷款' }))).toContain(firms.suspended.name);
    expect(names(await search({ q: `${tag}己申请` }))).toEqual([]);
  });

  it('finds members by part of the English name in any case', async () => {
    expect(names(await search({ q: 'alpha fintech' }))).toEqual([firms.active.name]);
    expect(names(await search({ q: 'PENGCHENG ALPHA' }))).toEqual([firms.active.name]);
    expect(names(await search({ q: 'online LEND' }))).toEqual([firms.suspended.name]);
  });

  it('treats % and _ in the search text as plain characters', async () => {
    expect(await search({ q: `${tag}%` })).toEqual([]);
    expect(await search({ q: `${tag}_` })).toEqual([]);
  });

  it('finds a member by its whole credit code only', async () => {
    const code = firms.suspended.creditCode;
    expect(names(await search({ creditCode: code }))).toEqual([firms.suspended.name]);
    expect(names(await search({ creditCode: code.toLowerCase() }))).toEqual([firms.suspended.name]);
    expect(await search({ creditCode: code.slice(0, 10) })).toEqual([]);
    expect(await search({ creditCode: firms.applicant.creditCode })).toEqual([]);
  });

  it('filters by district, tier and category, alone and together', async () => {
    expect(names(await search({ q: tag, district: 'nanshan' }))).toEqual(
      [firms.active.name, firms.expelled.name].sort(),
    );
    expect(names(await search({ q: tag, tier: 'council' }))).toEqual([firms.active.name]);
    expect(names(await search({ q: tag, category: 'mobile_payment' }))).toEqual([
      firms.active.name,
    ]);
    expect(
      names(
        await search({
          q: tag,
          district: 'nanshan',
          tier: 'member',
          category: 'equity_crowdfunding',
        }),
      ),
    ).toEqual([firms.expelled.name]);
    expect(await search({ q: tag, district: 'futian', category: 'mobile_payment' })).toEqual([]);
  });

  it('refuses unknown filter values, an oversized page and a forged cursor with 400', async () => {
    const bad = await t.http.get('/api/v1/directory').query({ district: 'atlantis' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await t.http.get('/api/v1/directory').query({ limit: 101 }).expect(400);
    await t.http.get('/api/v1/directory').query({ contactPhone: '1' }).expect(400);
    for (const cursor of ['garbage', Buffer.from('["a"]').toString('base64url')]) {
      const res = await t.http.get('/api/v1/directory').query({ cursor }).expect(400);
      expect(res.body.code).toBe('DIRECTORY_CURSOR_INVALID');
    }
  });

  it('pages with a cursor, keeping its place when firms are added before and after it', async () => {
    const pageTag = `页${randomUUID().slice(0, 6)}`;
    const made: string[] = [];
    for (let i = 0; i < 25; i++) {
      const firm = await createListedFirm(t, {
        name: `${pageTag}${String(i).padStart(2, '0')}号机构`,
        creditCode: randomCreditCode(),
      });
      made.push(firm.name);
    }
    const page = async (cursor?: string) => {
      const res = await t.http
        .get('/api/v1/directory')
        .query({ q: pageTag, limit: 10, ...(cursor ? { cursor } : {}) })
        .expect(200);
      return res.body as { items: Item[]; nextCursor: string | null };
    };
    const first = await page();
    expect(names(first.items)).toEqual(made.slice(0, 10));
    expect(first.nextCursor).toEqual(expect.any(String));
    // One firm sorts before the cursor (already passed), one after (still to come).
    await createListedFirm(t, { name: `${pageTag}00号机构a` });
    await createListedFirm(t, { name: `${pageTag}15号机构a` });
    const second = await page(first.nextCursor!);
    expect(names(second.items)).toEqual([
      ...made.slice(10, 16),
      `${pageTag}15号机构a`,
      ...made.slice(16, 19),
    ]);
    const third = await page(second.nextCursor!);
    expect(names(third.items)).toEqual(made.slice(19));
    expect(third.nextCursor).toBeNull();
  });

  it('breaks ties between firms of the same name by id', async () => {
    const same = `${tag}同名机构`;
    const a = await createListedFirm(t, { name: same });
    const b = await createListedFirm(t, { name: same });
    const c = await createListedFirm(t, { name: same, status: 'suspended' });
    const ids = [a.id, b.id, c.id].sort();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http
        .get('/api/v1/directory')
        .query({ q: same, limit: 1, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...(res.body.items as Item[]).map((i) => i.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  describe('pages', () => {
    it('shows the search form, the results and a next-page link', async () => {
      const res = await t.http.get('/directory').query({ q: tag, district: 'nanshan' }).expect(200);
      expect(res.text).toContain('data-testid="directory-search"');
      expect(res.text).toContain(firms.active.name);
      expect(res.text).toContain(firms.expelled.name);
      expect(res.text).not.toContain(firms.suspended.name);
      expect(res.text).not.toContain(firms.lapsed.name);
      expect(res.text).toMatch(/<option value="nanshan" selected>/);
      expect(res.text).not.toContain('13800138000');
    });

    it('links to the next page while keeping the filters', async () => {
      for (let i = 0; i < 21; i++) await createListedFirm(t, { name: `${tag}翻页${i}` });
      const res = await t.http
        .get('/directory')
        .query({ q: `${tag}翻页` })
        .expect(200);
      // Handlebars escapes = and & in attributes; a browser reads them back.
      const next = /href="([^"]+)" rel="next"/
        .exec(res.text)?.[1]
        .replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&');
      expect(next).toMatch(/^\/directory\?q=[^&]+&cursor=/);
      const second = await t.http.get(next!).expect(200);
      expect(second.text).toContain('data-testid="directory-results"');
      expect(second.text).not.toContain('rel="next"');
    });

    it('re-renders the form with an error for an unknown district', async () => {
      const res = await t.http.get('/directory').query({ district: 'atlantis' }).expect(400);
      expect(res.text).toContain('f-district-error');
    });

    it("shows a member's page with its history and the labelled placeholder sections", async () => {
      const res = await t.http.get(`/directory/${firms.suspended.id}`).expect(200);
      expect(res.text).toContain(firms.suspended.name);
      expect(res.text).toContain('自律公约签署情况');
      expect(res.text).toContain('暂未开放');
      expect(res.text).toContain('data-testid="firm-history"');
      for (const secret of ['13800138000', 'secret-contact', '法人李四', '保密路'])
        expect(res.text).not.toContain(secret);
      const en = await t.http.get(`/directory/${firms.suspended.id}?lang=en`).expect(200);
      expect(en.text).toContain('Convention signature');
      expect(en.text).toContain('Not yet available');
    });

    it('says a lapsed firm is not listed, and answers 404 for an applicant', async () => {
      const lapsed = await t.http.get(`/directory/${firms.lapsed.id}`).expect(200);
      expect(lapsed.text).toContain('不在会员名录中列出');
      await t.http.get(`/directory/${firms.applicant.id}`).expect(404);
      await t.http.get('/directory/not-a-uuid').expect(404);
    });
  });
});
