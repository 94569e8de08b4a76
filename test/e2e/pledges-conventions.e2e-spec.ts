import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../../src/database/transaction.service.js';
import { fingerprintOf } from '../../src/modules/pledges/convention-text.js';
import { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import { loginAs } from '../factories/index.js';
import { bearer } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { beijingDate } from '../../src/common/time/beijing.js';

interface VersionBody {
  id: string;
  versionNumber: number;
  state: string;
  fingerprint: string | null;
  bodyZh: string;
  version: number;
}

describe('convention versions', () => {
  let t: TestApp;
  let staff: string;
  let v1: VersionBody;
  let v2: VersionBody;
  const today = (): string => beijingDate(new Date());
  const bodyV1 =
    '# 第一条\r\n\r\n会员应当守法经营。  \r\n\r\n1. 诚实守信\r\n2. 公平竞争\r\n\r\n<script>alert(1)</script>\r\n';
  const bodyV2 =
    '# 第一条\n\n会员应当依法合规经营。\n\n1. 诚实守信\n2. 公平竞争\n3. 保护消费者\n\n<script>alert(1)</script>\n';

  const draft = async (bodyZh: string): Promise<VersionBody> =>
    (
      await t.http
        .post('/api/v1/conventions')
        .set(...bearer(staff))
        .send({ titleZh: '自律公约', titleEn: 'Convention', bodyZh, bodyEn: null })
        .expect(201)
    ).body as VersionBody;

  const publish = async (v: VersionBody): Promise<VersionBody> =>
    (
      await t.http
        .post(`/api/v1/conventions/drafts/${v.id}/publication`)
        .set(...bearer(staff))
        .send({ version: v.version, effectiveOn: today() })
        .expect(201)
    ).body as VersionBody;

  const stored = (id: string): Promise<ConventionVersion> =>
    t.dataSource.getRepository(ConventionVersion).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await startTestApp();
    staff = (await loginAs(t, 'staff_admin')).token;
    v1 = await publish(await draft(bodyV1));
  });

  afterAll(async () => {
    await t.close();
  });

  describe('drafting', () => {
    it('lets only staff administrators draft, edit, preview and publish', async () => {
      const reviewer = await loginAs(t, 'staff_reviewer');
      const firmAdmin = await loginAs(t, 'firm_admin');
      for (const token of [reviewer.token, firmAdmin.token]) {
        await t.http
          .post('/api/v1/conventions')
          .set(...bearer(token))
          .send({ titleZh: 'x', bodyZh: 'y' })
          .expect(403);
        await t.http
          .get('/api/v1/conventions/drafts')
          .set(...bearer(token))
          .expect(403);
      }
      await t.http.post('/api/v1/conventions').send({ titleZh: 'x', bodyZh: 'y' }).expect(401);
    });

    it('edits a draft and previews its Markdown with raw HTML shown as text', async () => {
      const d = await draft('# 标题\n\n正文');
      const edited = (
        await t.http
          .patch(`/api/v1/conventions/drafts/${d.id}`)
          .set(...bearer(staff))
          .send({ version: d.version, bodyZh: '# 新标题\n\n**重点** <b>x</b>' })
          .expect(200)
      ).body as VersionBody;
      expect(edited.bodyZh).toBe('# 新标题\n\n**重点** <b>x</b>');
      await t.http
        .patch(`/api/v1/conventions/drafts/${d.id}`)
        .set(...bearer(staff))
        .send({ version: d.version, bodyZh: 'stale' })
        .expect(409);
      const preview = await t.http
        .get(`/api/v1/conventions/drafts/${d.id}/preview`)
        .set(...bearer(staff))
        .expect(200);
      expect(preview.body.zh).toBe(
        '<h1>新标题</h1>\n<p><strong>重点</strong> &lt;b&gt;x&lt;/b&gt;</p>',
      );
      // A draft is not public.
      await t.http.get(`/api/v1/conventions/${d.versionNumber}`).expect(404);
      await t.http.get(`/conventions/${d.versionNumber}`).expect(404);
    });

    it('refuses an effective date in the past', async () => {
      const d = await draft('过去');
      const res = await t.http
        .post(`/api/v1/conventions/drafts/${d.id}/publication`)
        .set(...bearer(staff))
        .send({ version: d.version, effectiveOn: '2020-01-01' })
        .expect(400);
      expect(res.body.code).toBe('CONVENTION_EFFECTIVE_DATE_INVALID');
    });
  });

  describe('a published version', () => {
    it('has the fingerprint of its normalised text, the same for \\r\\n and \\n', async () => {
      expect(v1.state).toBe('published');
      const withLf = {
        titleZh: '自律公约',
        titleEn: 'Convention',
        bodyZh: bodyV1.replace(/\r\n/g, '\n'),
        bodyEn: null,
      };
      expect(v1.fingerprint).toBe(fingerprintOf(withLf));
      expect((await stored(v1.id)).fingerprint).toBe(v1.fingerprint);
    });

    it('refuses every route that would change its text', async () => {
      const edit = await t.http
        .patch(`/api/v1/conventions/drafts/${v1.id}`)
        .set(...bearer(staff))
        .send({ version: v1.version, bodyZh: '改写' })
        .expect(409);
      expect(edit.body.code).toBe('CONVENTION_PUBLISHED');
      const republish = await t.http
        .post(`/api/v1/conventions/drafts/${v1.id}/publication`)
        .set(...bearer(staff))
        .send({ version: v1.version, effectiveOn: today() })
        .expect(409);
      expect(republish.body.code).toBe('CONVENTION_NOT_DRAFT');
      const after = await stored(v1.id);
      expect(after.bodyZh).toBe(bodyV1);
      expect(after.fingerprint).toBe(v1.fingerprint);
    });

    it('refuses an update through the ORM, by criteria or by saving the loaded row', async () => {
      const tx = t.app.get(TransactionService);
      await expect(
        tx.run((m) => m.update(ConventionVersion, { id: v1.id }, { bodyZh: '改写' })),
      ).rejects.toMatchObject({ code: 'CONVENTION_PUBLISHED' });
      await expect(
        tx.run((m) => m.update(ConventionVersion, { id: v1.id }, { fingerprint: '0'.repeat(64) })),
      ).rejects.toMatchObject({ code: 'CONVENTION_PUBLISHED' });
      await expect(
        tx.run(async (m) => {
          const row = await m.findOneByOrFail(ConventionVersion, { id: v1.id });
          row.titleZh = '改写';
          await m.save(row);
        }),
      ).rejects.toMatchObject({ code: 'CONVENTION_PUBLISHED' });
      await expect(
        tx.run(async (m) => m.remove(await m.findOneByOrFail(ConventionVersion, { id: v1.id }))),
      ).rejects.toMatchObject({ code: 'CONVENTION_PUBLISHED' });
      expect((await stored(v1.id)).bodyZh).toBe(bodyV1);
    });

    it('is protected by the database too, against SQL that bypasses the ORM', async () => {
      const tx = t.app.get(TransactionService);
      const sql = tx.isPostgres
        ? `UPDATE convention_versions SET "bodyZh" = 'x' WHERE id = $1`
        : `UPDATE convention_versions SET bodyZh = 'x' WHERE id = ?`;
      await expect(tx.run((m) => m.query(sql, [v1.id]))).rejects.toThrow(/published/);
      const del = tx.isPostgres
        ? 'DELETE FROM convention_versions WHERE id = $1'
        : 'DELETE FROM convention_versions WHERE id = ?';
      await expect(tx.run((m) => m.query(del, [v1.id]))).rejects.toThrow(/published/);
      expect((await stored(v1.id)).bodyZh).toBe(bodyV1);
    });
  });

  describe('public pages', () => {
    beforeAll(async () => {
      v2 = await publish(await draft(bodyV2));
    });

    it('lists every published version with its fingerprint', async () => {
      const api = await t.http.get('/api/v1/conventions').expect(200);
      const numbers = (api.body as VersionBody[]).map((v) => v.versionNumber);
      expect(numbers).toEqual([v2.versionNumber, v1.versionNumber]);
      const page = await t.http.get('/conventions').expect(200);
      expect(page.text).toContain(v1.fingerprint!);
      expect(page.text).toContain(v2.fingerprint!);
    });

    it('keeps an older version readable, with its text escaped and its fingerprint shown', async () => {
      const page = await t.http.get(`/conventions/${v1.versionNumber}`).expect(200);
      expect(page.text).toContain(v1.fingerprint!);
      expect(page.text).toContain('会员应当守法经营。');
      expect(page.text).toContain('<ol>\n<li>诚实守信</li>');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).not.toContain('<script>alert(1)');
      await t.http.get('/conventions/999').expect(404);
      await t.http.get('/conventions/abc').expect(404);
    });

    it('shows the changed lines between two versions', async () => {
      const api = await t.http
        .get(`/api/v1/conventions/diff?from=${v1.versionNumber}&to=${v2.versionNumber}`)
        .expect(200);
      const changed = (api.body.lines as Array<{ op: string; text: string }>).filter(
        (l) => l.op !== 'same',
      );
      expect(changed).toEqual([
        { op: 'removed', text: '会员应当守法经营。', oldLine: expect.any(Number), newLine: null },
        { op: 'added', text: '会员应当依法合规经营。', oldLine: null, newLine: expect.any(Number) },
        { op: 'added', text: '3. 保护消费者', oldLine: null, newLine: expect.any(Number) },
      ]);
      expect(api.body).toMatchObject({ added: 2, removed: 1 });
      const page = await t.http
        .get(`/conventions/diff?from=${v1.versionNumber}&to=${v2.versionNumber}`)
        .expect(200);
      expect(page.text).toContain('<del>会员应当守法经营。</del>');
      expect(page.text).toContain('<ins>会员应当依法合规经营。</ins>');
      expect(page.text).toContain('&lt;script&gt;');
    });

    it('refuses a comparison with a version that is not published', async () => {
      const res = await t.http.get(`/api/v1/conventions/diff?from=1&to=999`).expect(400);
      expect(res.body.code).toBe('CONVENTION_DIFF_INVALID');
      await t.http.get('/conventions/diff?from=x&to=1').expect(400);
    });
  });
});
