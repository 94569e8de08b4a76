import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import {
  createFirm,
  createUser,
  DEFAULT_PASSWORD,
  loginAs,
  randomCreditCode,
} from '../factories/index.js';
import {
  completeProfile,
  invitationTokenFor,
  pdfOfSize,
  SAMPLE_PDF,
  storedFiles,
} from '../factories/firm-portal.js';
import { csrfFrom, csrfOf, signInWeb, webAgent, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const MAX_BYTES = 2048;

/** The error message shown beside one field (its `f-<name>-error` paragraph), or null. */
function errorBeside(html: string, field: string): string | null {
  const match = new RegExp(
    `<p class="field-error" id="f-${field}-error"><span class="visually-hidden">[^<]*</span>([^<]*)</p>`,
  ).exec(html);
  return match ? match[1] : null;
}

function inputValue(html: string, field: string): string | null {
  const match = new RegExp(`id="f-${field}" name="${field}"[^>]*? value="([^"]*)"`).exec(html);
  return match ? match[1] : null;
}

describe('firm portal pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
  });
  afterAll(() => t.close());

  const html = (agent: WebAgent, path: string) => agent.get(path).set('Accept', 'text/html');
  const firmRow = (id: string) => t.dataSource.getRepository(Firm).findOneByOrFail({ id });

  async function adminWithFirm() {
    const admin = await loginAs(t, 'firm_admin');
    await t.http
      .patch(`/api/v1/firms/${admin.firmId}/profile`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send(completeProfile())
      .expect(200);
    return { admin, agent: await signInWeb(t, admin) };
  }

  it('shows the firm administrator status, tier, profile, documents, colleagues and history', async () => {
    const { admin, agent } = await adminWithFirm();
    const firm = await firmRow(admin.firmId!);
    await t.http
      .post(`/api/v1/firms/${admin.firmId}/documents`)
      .set('Authorization', `Bearer ${admin.token}`)
      .field('kind', 'business_licence')
      .attach('file', SAMPLE_PDF, { filename: '营业执照.pdf', contentType: 'application/pdf' })
      .expect(201);
    const page = await html(agent, '/firm').expect(200);
    expect(page.text).toContain(firm.name);
    expect(page.text).toMatch(/data-testid="firm-status">正式会员</);
    expect(page.text).toContain('data-testid="firm-profile"');
    expect(page.text).toContain('第三方支付');
    expect(page.text).toContain('10,000,000.50 元');
    expect(page.text).toContain('营业执照.pdf');
    expect(page.text).toMatch(/href="\/firms\/[0-9a-f-]+\/documents\/[0-9a-f-]+\/content"/);
    expect(page.text).toContain('data-testid="firm-colleagues"');
    expect(page.text).toContain('data-testid="firm-history"');
    expect(page.text).toContain('href="/firm/profile"');
    expect(page.text).toContain('href="/firm/documents/new"');

    const english = await html(agent, '/firm?lang=en').expect(200);
    expect(english.text).toContain('Firm details');
    expect(english.text).toContain('Third-party payment');
  });

  it('shows a firm member the portal without the administrator’s forms', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const member = await createUser(t, { role: 'firm_member', firmId: admin.firmId });
    const agent = await signInWeb(t, member);
    const page = await html(agent, '/firm').expect(200);
    expect(page.text).not.toContain('href="/firm/profile"');
    expect(page.text).not.toContain('/remove"');
    await html(agent, '/firm/profile').expect(403);
  });

  it('refuses complainants (403) and sends visitors to sign in', async () => {
    const complainant = await createUser(t, { role: 'complainant' });
    const agent = await signInWeb(t, complainant);
    await html(agent, '/firm').expect(403);
    const anonymous = await html(webAgent(t), '/firm').expect(303);
    expect(anonymous.headers.location).toBe('/sign-in?next=%2Ffirm');
  });

  it('shows profile errors beside each field, keeps what was typed and saves nothing', async () => {
    const { admin, agent } = await adminWithFirm();
    const before = await firmRow(admin.firmId!);
    const form = await html(agent, '/firm/profile').expect(200);
    expect(inputValue(form.text, 'registeredCapital')).toBe('10000000.50');
    const res = await agent
      .post('/firm/profile')
      .type('form')
      .set('Accept', 'text/html')
      .send({
        _csrf: csrfFrom(form.text),
        nameEn: 'Changed Name',
        registeredCapital: '12.345',
        establishedOn: '2015-06-01',
        address: '深圳市南山区科技园',
        district: 'nanshan',
        website: 'not a url',
        contactName: '王小明',
        contactPhone: '0755-1234 5678',
        contactEmail: 'not-an-email',
        categories: ['online_lending'],
      })
      .expect(400);
    expect(errorBeside(res.text, 'registeredCapital')).toContain('最多两位小数');
    expect(errorBeside(res.text, 'website')).toContain('https://');
    expect(errorBeside(res.text, 'contactEmail')).toContain('电子邮箱');
    expect(errorBeside(res.text, 'address')).toBeNull();
    expect(res.text).toContain('data-testid="error-summary"');
    expect(inputValue(res.text, 'registeredCapital')).toBe('12.345');
    expect(inputValue(res.text, 'nameEn')).toBe('Changed Name');
    expect(res.text).toMatch(/value="nanshan" selected/);
    expect(res.text).toMatch(
      /id="f-category-online_lending" name="categories" value="online_lending" checked/,
    );
    expect(await firmRow(admin.firmId!)).toEqual(before);
  });

  it('saves a valid profile form and acknowledges it on the portal', async () => {
    const { admin, agent } = await adminWithFirm();
    const _csrf = await csrfOf(agent, '/firm/profile');
    const res = await agent
      .post('/firm/profile')
      .type('form')
      .send({
        _csrf,
        nameEn: '',
        registeredCapital: '5,000,000',
        establishedOn: '2016-01-31',
        address: '深圳市南山区科技园',
        district: 'nanshan',
        website: '',
        contactName: '王小明',
        contactPhone: '0755-1234 5678',
        contactEmail: 'ops@example.cn',
        categories: 'mobile_payment',
      })
      .expect(303);
    expect(res.headers.location).toBe('/firm?done=profile');
    expect(await firmRow(admin.firmId!)).toMatchObject({
      nameEn: null,
      registeredCapitalFen: 500_000_000,
      district: 'nanshan',
      website: null,
    });
    const page = await html(agent, '/firm?done=profile').expect(200);
    expect(page.text).toContain('机构信息已保存');
    expect(page.text).toContain('移动支付');
  });

  it('shows a credit code with one changed character as an error beside the field', async () => {
    const { admin, agent } = await adminWithFirm();
    const firm = await firmRow(admin.firmId!);
    const valid = randomCreditCode();
    const broken = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const _csrf = await csrfOf(agent, '/firm/change-request');
    const res = await agent
      .post('/firm/change-request')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf, name: firm.name, creditCode: broken, legalRepresentative: '' })
      .expect(400);
    expect(errorBeside(res.text, 'creditCode')).toContain('校验位');
    expect(inputValue(res.text, 'creditCode')).toBe(broken);

    const filed = await agent
      .post('/firm/change-request')
      .type('form')
      .send({ _csrf, name: firm.name, creditCode: valid, legalRepresentative: '李雷' })
      .expect(303);
    expect(filed.headers.location).toBe('/firm?done=change');
    const page = await html(agent, '/firm').expect(200);
    expect(page.text).toContain('data-testid="pending-change"');
    expect(page.text).toContain(valid);
  });

  it('uploads through the multipart form (token in the URL) and refuses other content beside the file field', async () => {
    const { admin, agent } = await adminWithFirm();
    const form = await html(agent, '/firm/documents/new').expect(200);
    const token = csrfFrom(
      form.text.replace(/action="\/firm\/documents\?_csrf=([^"]+)"/, 'name="_csrf" value="$1"'),
    );
    expect(form.text).toContain(`action="/firm/documents?_csrf=${token}"`);

    const ok = await agent
      .post(`/firm/documents?_csrf=${encodeURIComponent(token)}`)
      .field('kind', 'articles')
      .attach('file', SAMPLE_PDF, { filename: '章程.pdf', contentType: 'application/pdf' })
      .expect(303);
    expect(ok.headers.location).toBe('/firm?done=document');

    const filesBefore = storedFiles(t);
    const text = await agent
      .post(`/firm/documents?_csrf=${encodeURIComponent(token)}`)
      .set('Accept', 'text/html')
      .field('kind', 'other')
      .attach('file', Buffer.from('plain text, not a PDF'), {
        filename: 'fake.pdf',
        contentType: 'application/pdf',
      })
      .expect(415);
    expect(errorBeside(text.text, 'file')).toContain('PDF、JPEG 或 PNG');

    const big = await agent
      .post(`/firm/documents?_csrf=${encodeURIComponent(token)}`)
      .set('Accept', 'text/html')
      .field('kind', 'other')
      .attach('file', pdfOfSize(MAX_BYTES + 100), {
        filename: 'big.pdf',
        contentType: 'application/pdf',
      })
      .expect(413);
    expect(errorBeside(big.text, 'file')).toContain('文件过大');
    expect(storedFiles(t)).toEqual(filesBefore);

    const noToken = await agent
      .post('/firm/documents')
      .set('Accept', 'text/html')
      .field('kind', 'other')
      .attach('file', SAMPLE_PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(noToken.status).toBe(403);

    const docs = await t.http
      .get(`/api/v1/firms/${admin.firmId}/documents`)
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
    const names = (docs.body.items as Array<{ fileName: string }>).map((d) => d.fileName);
    expect(names).toEqual(['章程.pdf']);
  });

  it('serves a document through the page link to the firm and staff, 404 to another firm', async () => {
    const { admin, agent } = await adminWithFirm();
    const doc = await t.http
      .post(`/api/v1/firms/${admin.firmId}/documents`)
      .set('Authorization', `Bearer ${admin.token}`)
      .field('kind', 'other')
      .attach('file', SAMPLE_PDF, { filename: 'x.pdf', contentType: 'application/pdf' })
      .expect(201);
    const link = `/firms/${admin.firmId}/documents/${doc.body.id}/content`;
    const mine = await agent.get(link).expect(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.headers['content-disposition']).toMatch(/^attachment;/);
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    const staff = await createUser(t, { role: 'staff_reviewer' });
    await (await signInWeb(t, staff)).get(link).expect(200);
    const stranger = await createUser(t, { role: 'firm_admin', firmId: (await createFirm(t)).id });
    await html(await signInWeb(t, stranger), link).expect(404);
  });

  it('invites a colleague from the portal; the invitation page creates the account once', async () => {
    const { admin, agent } = await adminWithFirm();
    const firm = await firmRow(admin.firmId!);
    const email = `page.invitee.${Date.now()}@example.cn`;
    const _csrf = await csrfOf(agent, '/firm/colleagues/invite');
    const bad = await agent
      .post('/firm/colleagues/invite')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf, email: 'nope', role: 'firm_member' })
      .expect(400);
    expect(errorBeside(bad.text, 'email')).toContain('电子邮箱');
    await agent
      .post('/firm/colleagues/invite')
      .type('form')
      .send({ _csrf, email, role: 'firm_member' })
      .expect(303);

    const token = await invitationTokenFor(t, email);
    const invitee = webAgent(t);
    const page = await html(invitee, `/invitations/accept?token=${token}`).expect(200);
    expect(page.text).toContain(firm.name);
    const mismatch = await invitee
      .post('/invitations/accept')
      .type('form')
      .set('Accept', 'text/html')
      .send({
        _csrf: csrfFrom(page.text),
        token,
        name: '新同事',
        password: DEFAULT_PASSWORD,
        confirmPassword: 'something else',
      })
      .expect(400);
    expect(errorBeside(mismatch.text, 'confirmPassword')).toContain('不一致');
    const done = await invitee
      .post('/invitations/accept')
      .type('form')
      .set('Accept', 'text/html')
      .send({
        _csrf: csrfFrom(page.text),
        token,
        name: '新同事',
        password: DEFAULT_PASSWORD,
        confirmPassword: DEFAULT_PASSWORD,
      })
      .expect(200);
    expect(done.text).toContain('账户已创建');
    await signInWeb(t, { email, password: DEFAULT_PASSWORD });
    await html(webAgent(t), `/invitations/accept?token=${token}`).expect(400);
  });

  it('names each missing licence field beside it and adds a complete licence', async () => {
    const { admin, agent } = await adminWithFirm();
    const _csrf = await csrfOf(agent, '/firm/licences/new');
    const blank = await agent
      .post('/firm/licences')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf, type: '', number: '', issuer: '中国人民银行', validFrom: '', validTo: '' })
      .expect(400);
    expect(errorBeside(blank.text, 'type')).toBe('请填写许可证类型');
    expect(errorBeside(blank.text, 'number')).toBe('请填写许可证编号');
    expect(errorBeside(blank.text, 'validFrom')).toBe('请填写有效期起');
    expect(errorBeside(blank.text, 'issuer')).toBeNull();
    const backwards = await agent
      .post('/firm/licences')
      .type('form')
      .set('Accept', 'text/html')
      .send({
        _csrf,
        type: '支付业务许可证',
        number: 'Z1',
        issuer: '中国人民银行',
        validFrom: '2026-01-01',
        validTo: '2025-01-01',
      })
      .expect(400);
    expect(errorBeside(backwards.text, 'validTo')).toContain('不能早于');
    await agent
      .post('/firm/licences')
      .type('form')
      .send({
        _csrf,
        type: '支付业务许可证',
        number: 'Z1',
        issuer: '中国人民银行',
        validFrom: '2021-01-01',
        validTo: '',
      })
      .expect(303);
    const profile = await t.http
      .get(`/api/v1/firms/${admin.firmId}/profile`)
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(profile.body.licences).toEqual([
      expect.objectContaining({ number: 'Z1', validFrom: '2021-01-01', validTo: null }),
    ]);
  });

  it('refuses a signatory who is not an active user of the firm, beside the field', async () => {
    const { agent } = await adminWithFirm();
    const outsider = await createUser(t, { role: 'firm_admin' });
    const _csrf = await csrfOf(agent, '/firm/signatory');
    const res = await agent
      .post('/firm/signatory')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf, userId: outsider.id })
      .expect(400);
    expect(errorBeside(res.text, 'userId')).toContain('本机构');
  });
});
