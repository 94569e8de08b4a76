import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { FirmCategory } from '../../src/modules/membership/entities/firm-category.entity.js';
import { FirmRevision } from '../../src/modules/membership/entities/firm-revision.entity.js';
import { FirmStatusEvent } from '../../src/modules/membership/entities/firm-status-event.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import {
  csvField,
  IMPORT_COLUMNS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
} from '../../src/modules/membership/members-csv.js';
import { MembershipError } from '../../src/modules/membership/membership.errors.js';
import { createUser, loginAs, randomCreditCode } from '../factories/index.js';
import { createMember } from '../factories/members.js';
import { bearer, oneCharacterChanged } from '../helpers/auth-flows.js';
import { csrfOf, signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Row = Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>;

const HEADER = IMPORT_COLUMNS.join(',');

/** A CSV line for `row`, with plausible values for every column left out. */
function line(row: Row = {}): string {
  const values: Record<string, string> = {
    name: `导入测试机构${randomUUID().slice(0, 8)}有限公司`,
    name_en: '',
    credit_code: randomCreditCode(),
    district: '南山区',
    tier: '会员单位',
    member_since: '2018-06-01',
    legal_representative: '张伟',
    contact_email: 'office@example.cn',
    categories: '第三方支付',
    ...row,
  };
  return IMPORT_COLUMNS.map((c) => csvField(values[c])).join(',');
}

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\r\n') + '\r\n';
}

interface LineError {
  line: number;
  column: string | null;
  code: string;
  message: { 'zh-CN': string; en: string };
}

describe('staff member register: CSV import', () => {
  let t: TestApp;
  let admin: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  const firmCount = (): Promise<number> => t.dataSource.getRepository(Firm).count();
  const importEvents = (): Promise<number> =>
    t.dataSource.getRepository(AuditEvent).countBy({ action: 'membership.member_imported' });

  const upload = (body: string | Buffer, token = admin.token, name = 'members.csv') =>
    t.http
      .post('/api/v1/members/import')
      .set(...bearer(token))
      .attach('file', typeof body === 'string' ? Buffer.from(body, 'utf8') : body, name);

  it('imports every row as an active member, with its public record, revision and audit event', async () => {
    const code = randomCreditCode();
    const res = await upload(
      '\uFEFF' +
        csv(
          line({
            name: '深圳市导入甲支付有限公司',
            name_en: 'Daoru Jia Pay Co., Ltd.',
            credit_code: code.toLowerCase(),
            district: 'futian',
            tier: '副会长单位',
            member_since: '2017/5/8',
            categories: '第三方支付|mobile_payment',
          }),
          line({ name: '深圳市导入乙信贷有限公司', tier: 'member', categories: '' }),
        ),
    ).expect(201);
    expect(res.body).toMatchObject({ imported: 2, batchId: expect.any(String) });
    const lines = (res.body.firms as Array<{ line: number }>).map((f) => f.line);
    expect(lines).toEqual([2, 3]);

    const firm = await t.dataSource.getRepository(Firm).findOneByOrFail({ creditCode: code });
    expect(firm).toMatchObject({
      name: '深圳市导入甲支付有限公司',
      nameEn: 'Daoru Jia Pay Co., Ltd.',
      searchText: '深圳市导入甲支付有限公司 daoru jia pay co., ltd.',
      district: 'futian',
      status: 'active',
      tier: 'vice_president',
      memberSince: '2017-05-08',
      legalRepresentative: '张伟',
      contactEmail: 'office@example.cn',
    });
    const categories = await t.dataSource.getRepository(FirmCategory).findBy({ firmId: firm.id });
    expect(categories.map((c) => c.category).sort()).toEqual([
      'mobile_payment',
      'third_party_payment',
    ]);
    const events = await t.dataSource.getRepository(FirmStatusEvent).findBy({ firmId: firm.id });
    expect(events).toEqual([
      expect.objectContaining({
        status: 'active',
        reasonCategory: 'imported',
        actorId: admin.id,
        // Midnight of 8 May 2017 in Beijing.
        effectiveAt: new Date('2017-05-07T16:00:00.000Z'),
      }),
    ]);
    const revisions = await t.dataSource.getRepository(FirmRevision).findBy({ firmId: firm.id });
    expect(revisions).toHaveLength(1);
    expect(revisions[0].kind).toBe('import');
    expect(JSON.parse(revisions[0].changes)).toMatchObject({
      creditCode: { from: null, to: code },
      tier: { from: null, to: 'vice_president' },
    });
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ subjectType: 'firm', subjectId: firm.id });
    expect(audit.map((e) => e.action)).toEqual(['membership.member_imported']);
    expect(audit[0].actorId).toBe(admin.id);
    const batch = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ subjectType: 'member_import', subjectId: res.body.batchId });
    expect(JSON.parse(batch.summary)).toMatchObject({ rows: 2 });

    // The imported firm is in the register at once.
    const listed = await t.http
      .get('/api/v1/members')
      .query({ q: 'daoru jia' })
      .set(...bearer(admin.token))
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: firm.id, status: 'active', memberSince: '2017-05-08' }),
    ]);
  });

  it('takes the file as a text/csv body too', async () => {
    const code = randomCreditCode();
    await t.http
      .post('/api/v1/members/import')
      .set(...bearer(admin.token))
      .set('Content-Type', 'text/csv; charset=utf-8')
      .send(csv(line({ credit_code: code })))
      .expect(201);
    expect(await t.dataSource.getRepository(Firm).countBy({ creditCode: code })).toBe(1);
  });

  it('reads a GBK file as Excel on a Chinese Windows saves it', async () => {
    const code = randomCreditCode();
    const name = '深圳市国标编码测试有限公司';
    // The same text encoded as GB 18030 (GBK), built without an encoder library.
    const text = csv(line({ name, credit_code: code, district: '福田区', categories: '' }));
    const gbk = Buffer.from(
      [...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : gbkBytes(ch))),
    );
    await upload(gbk).expect(201);
    expect(
      await t.dataSource.getRepository(Firm).findOneByOrFail({ creditCode: code }),
    ).toMatchObject({
      name,
      district: 'futian',
    });
  });

  it('imports nothing when one row is wrong, and lists every bad line with its number and reason in both languages', async () => {
    const existing = await createMember(t);
    const firmsBefore = await firmCount();
    const eventsBefore = await importEvents();
    const good = randomCreditCode();
    const res = await upload(
      csv(
        line({ credit_code: good }),
        line({ credit_code: oneCharacterChanged(randomCreditCode()) }),
        line({ credit_code: existing.creditCode }),
        line({ credit_code: good }),
        line({ district: '香港', tier: '普通会员', member_since: '2019-02-30' }),
        line({ name: existing.name, contact_email: 'not-an-email', categories: '区块链' }),
      ),
    ).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('MEMBER_IMPORT_INVALID');
    const errors = res.body.lineErrors as LineError[];
    expect(errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [3, 'credit_code', 'CREDIT_CODE_INVALID'],
      [4, 'credit_code', 'CREDIT_CODE_TAKEN'],
      [5, 'credit_code', 'CREDIT_CODE_REPEATED'],
      [6, 'district', 'DISTRICT_UNKNOWN'],
      [6, 'tier', 'TIER_UNKNOWN'],
      [6, 'member_since', 'DATE_INVALID'],
      [7, 'name', 'NAME_TAKEN'],
      [7, 'contact_email', 'EMAIL_INVALID'],
      [7, 'categories', 'CATEGORY_UNKNOWN'],
    ]);
    for (const error of errors) {
      expect(error.message['zh-CN']).not.toBe('');
      expect(error.message.en).not.toBe('');
    }
    expect(errors[2].message.en).toBe(`The credit code ${good} already appears on line 2.`);
    expect(await firmCount()).toBe(firmsBefore);
    expect(await importEvents()).toBe(eventsBefore);
  });

  it('words a bad credit code exactly as registration does', async () => {
    const bad = oneCharacterChanged(randomCreditCode());
    const registration = await t.http
      .post('/api/v1/auth/register/firm')
      .send({
        firmName: '深圳市校验码测试有限公司',
        creditCode: bad,
        district: 'futian',
        email: `reg.${randomUUID().slice(0, 8)}@example.cn`,
        name: '韩梅梅',
        password: 'Kx7#pLm2qWv9',
      })
      .expect(400);
    expect(registration.body.code).toBe('CREDIT_CODE_INVALID');
    const res = await upload(csv(line({ credit_code: bad }))).expect(400);
    const [error] = res.body.lineErrors as LineError[];
    expect(error.message).toEqual(registration.body.message);
    expect(error.message).toEqual({
      'zh-CN': new MembershipError('CREDIT_CODE_INVALID').spec.zh,
      en: new MembershipError('CREDIT_CODE_INVALID').spec.en,
    });
  });

  it('refuses a header that is not the import format, naming the columns', async () => {
    const res = await upload('名称,代码\r\n甲,乙\r\n').expect(400);
    expect((res.body.lineErrors as LineError[]).map((e) => [e.line, e.code])).toEqual([
      [1, 'HEADER_MISSING'],
      [1, 'HEADER_UNKNOWN'],
    ]);
  });

  it(`refuses more than ${IMPORT_MAX_ROWS} rows and files over 2 MB with 413 and a clear message`, async () => {
    const before = await firmCount();
    const rows = Array.from({ length: IMPORT_MAX_ROWS + 1 }, () => line());
    const many = await upload(csv(...rows)).expect(413);
    expect(many.body.code).toBe('MEMBER_IMPORT_TOO_MANY_ROWS');
    expect(many.body.message['zh-CN']).toContain('5,000');
    expect(IMPORT_MAX_ROWS).toBe(5000);

    const huge = csv(line({ legal_representative: 'x'.repeat(IMPORT_MAX_BYTES) }));
    const big = await upload(huge).expect(413);
    expect(big.body.code).toBe('MEMBER_IMPORT_TOO_LARGE');
    expect(big.body.message.en).toContain('2 MB');
    expect(IMPORT_MAX_BYTES).toBe(2 * 1024 * 1024);
    const bigBody = await t.http
      .post('/api/v1/members/import')
      .set(...bearer(admin.token))
      .set('Content-Type', 'text/csv')
      .send(huge)
      .expect(413);
    expect(bigBody.body.code).toBe('MEMBER_IMPORT_TOO_LARGE');
    expect(await firmCount()).toBe(before);
  });

  it('asks for the file when none is sent', async () => {
    const res = await t.http
      .post('/api/v1/members/import')
      .set(...bearer(admin.token))
      .send({})
      .expect(400);
    expect(res.body.code).toBe('MEMBER_IMPORT_FILE_MISSING');
  });

  it('lets only staff administrators import (reviewers and firm users 403, no token 401)', async () => {
    const body = csv(line());
    await t.http
      .post('/api/v1/members/import')
      .attach('file', Buffer.from(body), 'm.csv')
      .expect(401);
    for (const role of ['staff_reviewer', 'firm_admin', 'complainant'] as const) {
      const user = await loginAs(t, role);
      const res = await upload(body, user.token).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  describe('pages', () => {
    it('shows the format, takes an upload with the CSRF token in the query and returns to the list', async () => {
      const user = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, user);
      const form = await agent.get('/staff/members/import').set('Accept', 'text/html').expect(200);
      expect(form.text).toContain('导入已有会员');
      for (const column of IMPORT_COLUMNS) expect(form.text).toContain(`<code>${column}</code>`);
      expect(form.text).toContain('enctype="multipart/form-data"');
      const token = await csrfOf(agent, '/staff/members/import');
      const name = `页面导入测试${randomUUID().slice(0, 6)}有限公司`;
      const res = await agent
        .post(`/staff/members/import?_csrf=${encodeURIComponent(token)}`)
        .set('Accept', 'text/html')
        .attach('file', Buffer.from(csv(line({ name }))), '会员.csv')
        .expect(303);
      expect(res.headers.location).toBe('/staff/members?imported=1');
      const list = await agent.get(res.headers.location).set('Accept', 'text/html').expect(200);
      expect(list.text).toContain('已导入 1 家会员机构。');
      expect(await t.dataSource.getRepository(Firm).countBy({ name })).toBe(1);
    });

    it('lists every problem by line on the page and imports nothing', async () => {
      const user = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, user);
      const token = await csrfOf(agent, '/staff/members/import');
      const before = await firmCount();
      const res = await agent
        .post(`/staff/members/import?_csrf=${encodeURIComponent(token)}&lang=en`)
        .set('Accept', 'text/html')
        .attach('file', Buffer.from(csv(line(), line({ district: 'Atlantis' }))), 'm.csv')
        .expect(400);
      expect(res.text).toContain('1 problem(s) in the file; nothing was imported');
      expect(res.text).toContain('<tr data-line="3">');
      expect(res.text).toContain('Unknown district &quot;Atlantis&quot;');
      expect(await firmCount()).toBe(before);
    });

    it('says so beside the field when no file was chosen', async () => {
      const user = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, user);
      const token = await csrfOf(agent, '/staff/members/import');
      const res = await agent
        .post(`/staff/members/import?_csrf=${encodeURIComponent(token)}`)
        .set('Accept', 'text/html')
        .field('note', 'x')
        .expect(400);
      expect(res.text).toContain('id="f-file-error"');
    });

    it('refuses an upload without the CSRF token', async () => {
      const user = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, user);
      await csrfOf(agent, '/staff/members/import');
      await agent
        .post('/staff/members/import')
        .set('Accept', 'text/html')
        .attach('file', Buffer.from(csv(line())), 'm.csv')
        .expect(403);
    });

    it('offers a header-only template to fill in', async () => {
      const user = await createUser(t, { role: 'staff_admin' });
      const agent = await signInWeb(t, user);
      const res = await agent.get('/staff/members/import-template.csv').expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.text).toBe(`\uFEFF${HEADER}\r\n`);
    });

    it('keeps reviewers out of the import pages', async () => {
      const user = await createUser(t, { role: 'staff_reviewer' });
      const agent = await signInWeb(t, user);
      await agent.get('/staff/members/import').set('Accept', 'text/html').expect(403);
    });
  });
});

/** GB 18030 bytes of one CJK character, via the platform's decoder run backwards. */
const GBK_TABLE = new Map<string, number[]>();
function gbkBytes(ch: string): number[] {
  if (GBK_TABLE.size > 0) {
    const known = GBK_TABLE.get(ch);
    if (known) return known;
    throw new Error(`no two-byte GBK code for ${ch}`);
  }
  const decoder = new TextDecoder('gb18030');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo !== 0x7f) GBK_TABLE.set(decoder.decode(Uint8Array.from([hi, lo])), [hi, lo]);
    }
  }
  return gbkBytes(ch);
}
