import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DuesService } from '../../src/modules/membership/dues.service.js';
import type { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { readCsv } from '../../src/modules/membership/members-csv.js';
import { createUser, loginAs } from '../factories/index.js';
import { createInvoice, createMember } from '../factories/members.js';
import { bearer } from '../helpers/auth-flows.js';
import { signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface MemberRow {
  id: string;
  name: string;
  creditCode: string;
  district: string;
  tier: string | null;
  status: string;
  memberSince: string | null;
  balanceDueFen: number;
  balanceDue: string;
}

/** A URL as the browser reads it from an attribute Handlebars escaped. */
function unescapeHtml(value: string): string {
  return value.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

/** Parses a CSV response body (supertest gives text for text/csv). */
function csvRows(text: string): string[][] {
  const read = readCsv(text.replace(/^\uFEFF/, ''));
  if (!read.ok) throw new Error('not CSV');
  return read.records.map((r) => r.cells);
}

describe('staff member register: list and CSV export', () => {
  let t: TestApp;
  let staff: string;
  let reviewer: string;
  /** Every firm this file makes has this in its name, so filters can be checked exactly. */
  const tag = `测${randomUUID().slice(0, 6)}`;
  let alpha: Firm;
  let beta: Firm;
  let gamma: Firm;
  let delta: Firm;
  let formula: Firm;

  beforeAll(async () => {
    t = await startTestApp();
    staff = (await loginAs(t, 'staff_admin')).token;
    reviewer = (await loginAs(t, 'staff_reviewer')).token;
    alpha = await createMember(t, {
      name: `${tag}甲支付有限公司`,
      nameEn: 'Alpha Pay Co., Ltd.',
      district: 'nanshan',
      tier: 'council',
      memberSince: '2019-03-01',
      categories: ['third_party_payment', 'mobile_payment'],
    });
    beta = await createMember(t, {
      name: `${tag}乙信贷有限公司`,
      nameEn: 'Beta Lending',
      district: 'futian',
      tier: 'member',
      categories: ['online_lending'],
    });
    gamma = await createMember(t, {
      name: `${tag}丙众筹有限公司`,
      district: 'futian',
      status: 'suspended',
      tier: 'member',
      categories: ['equity_crowdfunding'],
    });
    delta = await createMember(t, {
      name: `${tag}丁申请有限公司`,
      status: 'applicant',
      district: 'longgang',
      tier: null,
      memberSince: null,
    });
    formula = await createMember(t, {
      name: `=HYPERLINK("http://evil.example","${tag}")`,
      nameEn: '@SUM(1,2), "quoted"',
      district: 'luohu',
    });
    // alpha owes 20,000.00 − 5,000.00 on one invoice and 300.00 on another; beta has paid in full.
    await createInvoice(t, alpha.id, { amountFen: 2_000_000, paidFen: 500_000 });
    await createInvoice(t, alpha.id, { amountFen: 30_000, kind: 'renewal', year: 2027 });
    await createInvoice(t, beta.id, { amountFen: 1_000_000, paidFen: 1_000_000 });
    // A waived invoice owes nothing.
    const waived = await createInvoice(t, gamma.id, { amountFen: 800_000 });
    await t.app.get(DuesService).waive({ id: randomUUID(), role: 'staff_admin' }, waived.id, {
      reason: '困难减免',
      version: waived.version,
    });
  });
  afterAll(() => t.close());

  const list = async (query: Record<string, string | number>, token = staff) =>
    (
      await t.http
        .get('/api/v1/members')
        .query({ q: tag, ...query })
        .set(...bearer(token))
        .expect(200)
    ).body as { items: MemberRow[]; total: number; nextCursor: string | null };

  const names = (rows: MemberRow[]): string[] => rows.map((r) => r.name);

  it('lists firms in name order with district, tier, status, member since and what each owes', async () => {
    const page = await list({});
    expect(page.total).toBe(5);
    expect(names(page.items)).toEqual(
      [alpha, beta, gamma, delta, formula].map((f) => f.name).sort(),
    );
    const row = page.items.find((r) => r.id === alpha.id);
    expect(row).toEqual({
      id: alpha.id,
      name: alpha.name,
      nameEn: 'Alpha Pay Co., Ltd.',
      creditCode: alpha.creditCode,
      district: 'nanshan',
      tier: 'council',
      status: 'active',
      memberSince: '2019-03-01',
      balanceDueFen: 1_530_000,
      balanceDue: '15,300.00',
    });
    const owed = Object.fromEntries(page.items.map((r) => [r.id, r.balanceDueFen]));
    expect(owed[beta.id]).toBe(0);
    expect(owed[gamma.id]).toBe(0);
    expect(owed[delta.id]).toBe(0);
  });

  it('filters by status, tier, district and business category', async () => {
    expect(names((await list({ status: 'suspended' })).items)).toEqual([gamma.name]);
    expect(names((await list({ status: 'applicant' })).items)).toEqual([delta.name]);
    expect(names((await list({ tier: 'council' })).items)).toEqual([alpha.name]);
    expect(names((await list({ district: 'futian' })).items).sort()).toEqual(
      [beta.name, gamma.name].sort(),
    );
    expect(names((await list({ category: 'mobile_payment' })).items)).toEqual([alpha.name]);
    expect(
      names(
        (await list({ district: 'futian', status: 'active', category: 'online_lending' })).items,
      ),
    ).toEqual([beta.name]);
  });

  it('finds firms by part of the Chinese name, the English name in any case, or the start of the credit code', async () => {
    const byName = await t.http
      .get('/api/v1/members')
      .query({ q: `${tag}乙信` })
      .set(...bearer(staff))
      .expect(200);
    expect(names(byName.body.items)).toEqual([beta.name]);
    const english = await t.http
      .get('/api/v1/members')
      .query({ q: 'ALPHA PAY' })
      .set(...bearer(staff))
      .expect(200);
    expect(names(english.body.items)).toEqual([alpha.name]);
    const byCode = await t.http
      .get('/api/v1/members')
      .query({ q: alpha.creditCode.slice(0, 14).toLowerCase() })
      .set(...bearer(staff))
      .expect(200);
    expect(names(byCode.body.items)).toContain(alpha.name);
  });

  it('takes % and _ in the search literally', async () => {
    const res = await t.http
      .get('/api/v1/members')
      .query({ q: `${tag}%` })
      .set(...bearer(staff))
      .expect(200);
    expect(res.body.items).toEqual([]);
  });

  it('pages through the list with a cursor, each firm exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: MemberRow[]; nextCursor: string | null; total: number } = await list(
        cursor ? { limit: 2, cursor } : { limit: 2 },
      );
      expect(page.total).toBe(5);
      seen.push(...names(page.items));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([alpha, beta, gamma, delta, formula].map((f) => f.name).sort());
  });

  it('refuses a limit above 100 and a cursor it did not hand out', async () => {
    await t.http
      .get('/api/v1/members')
      .query({ limit: 101 })
      .set(...bearer(staff))
      .expect(400);
    const res = await t.http
      .get('/api/v1/members')
      .query({ cursor: 'not-a-cursor' })
      .set(...bearer(staff))
      .expect(400);
    expect(res.body.code).toBe('MEMBER_CURSOR_INVALID');
  });

  it('refuses unknown filters and values outside the lists', async () => {
    await t.http
      .get('/api/v1/members')
      .query({ owner: 'x' })
      .set(...bearer(staff))
      .expect(400);
    await t.http
      .get('/api/v1/members')
      .query({ status: 'vip' })
      .set(...bearer(staff))
      .expect(400);
    await t.http
      .get('/api/v1/members')
      .query({ district: 'hongkong' })
      .set(...bearer(staff))
      .expect(400);
  });

  it('lets a staff reviewer read the register', async () => {
    expect((await list({}, reviewer)).total).toBe(5);
  });

  it('refuses callers without a token (401) and non-staff roles (403)', async () => {
    await t.http.get('/api/v1/members').expect(401);
    await t.http.get('/api/v1/members/export.csv').expect(401);
    for (const role of ['firm_admin', 'firm_member', 'mediator', 'complainant'] as const) {
      const user = await loginAs(t, role);
      const res = await t.http
        .get('/api/v1/members')
        .set(...bearer(user.token))
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await t.http
        .get('/api/v1/members/export.csv')
        .set(...bearer(user.token))
        .expect(403);
    }
  });

  describe('CSV export', () => {
    it('is UTF-8 with a byte-order mark, CRLF lines and Chinese headings, offered as a download', async () => {
      const res = await t.http
        .get('/api/v1/members/export.csv')
        .query({ q: tag })
        .set(...bearer(staff))
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="szifa-members-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      expect(text.split('\r\n')[0]).toBe(
        '\uFEFF机构名称,英文名称,统一社会信用代码,所在区,会员等级,会籍状态,入会日期,法定代表人,联系邮箱,业务类别,未缴会费（元）',
      );
      expect(text.endsWith('\r\n')).toBe(true);
      const rows = csvRows(text);
      expect(rows).toHaveLength(6);
      expect(rows.find((r) => r[0] === alpha.name)).toEqual([
        alpha.name,
        'Alpha Pay Co., Ltd.',
        alpha.creditCode,
        '南山区',
        '理事单位',
        '正式会员',
        '2019-03-01',
        '',
        '',
        '第三方支付|移动支付',
        '15300.00',
      ]);
    });

    it('defuses cells a spreadsheet would run as formulas, and quotes commas and quotes', async () => {
      const res = await t.http
        .get('/api/v1/members/export.csv')
        .query({ q: tag, district: 'luohu' })
        .set(...bearer(staff))
        .expect(200);
      const line = res.text.split('\r\n')[1];
      expect(line.startsWith(`"'=HYPERLINK(""http://evil.example"",""${tag}"")",`)).toBe(true);
      expect(line).toContain(`,"'@SUM(1,2), ""quoted""",`);
      const [row] = csvRows(res.text).slice(1);
      expect(row[0]).toBe(`'${formula.name}`);
      expect(row[1]).toBe(`'@SUM(1,2), "quoted"`);
    });

    it('exports only the filtered firms, in English with ?lang=en', async () => {
      const res = await t.http
        .get('/api/v1/members/export.csv')
        .query({ q: tag, district: 'futian', lang: 'en' })
        .set(...bearer(staff))
        .expect(200);
      const rows = csvRows(res.text);
      expect(rows[0][0]).toBe('Name');
      expect(rows.slice(1).map((r) => [r[0], r[3], r[5]])).toEqual(
        [
          [beta.name, 'Futian', 'Active'],
          [gamma.name, 'Futian', 'Suspended'],
        ].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      );
    });

    it('gives a header-only file when nothing matches', async () => {
      const res = await t.http
        .get('/api/v1/members/export.csv')
        .query({ q: `${tag}-none` })
        .set(...bearer(staff))
        .expect(200);
      expect(csvRows(res.text)).toHaveLength(1);
    });
  });

  describe('pages', () => {
    it('shows staff the register with filters, totals, statuses and the export link', async () => {
      const admin = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, admin);
      const res = await agent
        .get('/staff/members')
        .query({ q: tag, district: 'futian' })
        .set('Accept', 'text/html')
        .expect(200);
      expect(res.text).toContain('会员列表');
      expect(res.text).toContain('共 2 家机构');
      expect(res.text).toContain(beta.name);
      expect(res.text).toContain('暂停会籍');
      expect(res.text).not.toContain(alpha.name);
      expect(res.text).toContain('<option value="futian" selected>');
      // Each firm links to its staff page (membership record and sanctions).
      expect(res.text).toContain(`href="/staff/firms/${beta.id}/sanctions"`);
      const exportHref = /href="(\/staff\/members\/export\.csv\?[^"]+)"/.exec(res.text)?.[1];
      expect(exportHref).toBeDefined();
      const csv = await agent.get(unescapeHtml(exportHref!)).expect(200);
      expect(
        csvRows(csv.text)
          .slice(1)
          .map((r) => r[0])
          .sort(),
      ).toEqual([beta.name, gamma.name].sort());
      // Admins are offered the import.
      expect(res.text).toContain('href="/staff/members/import"');
    });

    it('pages with a next link and a link back to the first page', async () => {
      const admin = await createUser(t, { role: 'staff_reviewer' });
      const agent = await signInWeb(t, admin);
      const first = await agent
        .get('/staff/members')
        .query({ q: tag, limit: 2 })
        .set('Accept', 'text/html')
        .expect(200);
      const href = /href="([^"]+)" rel="next"/.exec(first.text)?.[1];
      expect(href).toBeDefined();
      const second = await agent.get(unescapeHtml(href!)).set('Accept', 'text/html').expect(200);
      expect(second.text).toContain('data-testid="members-first"');
      // Reviewers do not import.
      expect(second.text).not.toContain('href="/staff/members/import"');
    });

    it('explains a bad filter value beside the form with 400', async () => {
      const admin = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, admin);
      const res = await agent
        .get('/staff/members')
        .query({ status: 'vip' })
        .set('Accept', 'text/html')
        .expect(400);
      expect(res.text).toContain('data-testid="error-summary"');
      expect(res.text).toContain('会籍状态');
    });

    it('sends people who are not signed in to the sign-in page and refuses firm users', async () => {
      const anonymous = await t.http.get('/staff/members').set('Accept', 'text/html').expect(303);
      expect(anonymous.headers.location).toBe('/sign-in?next=%2Fstaff%2Fmembers');
      const firmAdmin = await createUser(t, { role: 'firm_admin' });
      const agent = await signInWeb(t, firmAdmin);
      await agent.get('/staff/members').set('Accept', 'text/html').expect(403);
      await agent.get('/staff/members/export.csv').set('Accept', 'text/html').expect(403);
    });
  });
});
