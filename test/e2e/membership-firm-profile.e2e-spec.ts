import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../../src/database/transaction.service.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { creditCodeCheckChar } from '../../src/modules/membership/credit-code.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { FirmProfileService } from '../../src/modules/membership/firm-profile.service.js';
import { createFirm, loginAs, randomCreditCode } from '../factories/index.js';
import { completeProfile, SAMPLE_PDF } from '../factories/firm-portal.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Problem {
  code: string;
  detail: string;
  message: { 'zh-CN': string; en: string };
  errors?: Array<{ field: string }>;
}

/** The same code with one character changed (still in the alphabet, so only the check fails). */
function oneCharacterChanged(code: string): string {
  const i = 10;
  const replacement = code[i] === 'A' ? 'B' : 'A';
  return code.slice(0, i) + replacement + code.slice(i + 1);
}

describe('firm record: profile, reviewed changes and history', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const firmRow = (id: string) => t.dataSource.getRepository(Firm).findOneByOrFail({ id });
  const auditActions = async (firmId: string) =>
    (await t.dataSource.getRepository(AuditEvent).findBy({ subjectId: firmId })).map(
      (event) => event.action,
    );

  it('lets the firm administrator edit the profile and records every changed field', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const firmId = admin.firmId!;
    const res = await t.http
      .patch(`/api/v1/firms/${firmId}/profile`)
      .set(auth(admin.token))
      .send(completeProfile())
      .expect(200);
    expect(res.body).toMatchObject({
      nameEn: 'Example Fintech Co., Ltd.',
      registeredCapitalFen: 1_000_000_050,
      registeredCapital: '10,000,000.50',
      establishedOn: '2015-06-01',
      district: 'futian',
      contactEmail: 'contact@example-fintech.cn',
      // Always in the catalogue's order, whatever order was sent.
      categories: ['third_party_payment', 'online_lending'],
    });
    const row = await firmRow(firmId);
    expect(row.searchText).toBe(`${row.name} example fintech co., ltd.`.toLowerCase());

    const history = await t.http
      .get(`/api/v1/firms/${firmId}/history`)
      .set(auth(admin.token))
      .expect(200);
    const latest = history.body.revisions[0];
    expect(latest).toMatchObject({ kind: 'edit', actorId: admin.id });
    expect(latest.changes).toEqual(
      expect.arrayContaining([
        { field: 'registeredCapitalFen', from: null, to: 1_000_000_050 },
        { field: 'categories', from: [], to: ['third_party_payment', 'online_lending'] },
        { field: 'contactName', from: null, to: '王小明' },
      ]),
    );
    expect(await auditActions(firmId)).toContain('membership.firm_profile_edited');
  });

  it('writes no revision when an edit changes nothing', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const firmId = admin.firmId!;
    await t.http
      .patch(`/api/v1/firms/${firmId}/profile`)
      .set(auth(admin.token))
      .send({ contactName: '赵六' })
      .expect(200);
    await t.http
      .patch(`/api/v1/firms/${firmId}/profile`)
      .set(auth(admin.token))
      .send({ contactName: '赵六' })
      .expect(200);
    const history = await t.http
      .get(`/api/v1/firms/${firmId}/history`)
      .set(auth(admin.token))
      .expect(200);
    expect(history.body.revisions).toHaveLength(1);
  });

  it.each([['status'], ['tier'], ['name'], ['creditCode'], ['legalRepresentative']])(
    'refuses a profile body carrying %s with 400 naming it, and changes nothing',
    async (field) => {
      const admin = await loginAs(t, 'firm_admin');
      const firmId = admin.firmId!;
      const before = await firmRow(firmId);
      const value = field === 'tier' ? 'president' : field === 'status' ? 'active' : 'X';
      const res = await t.http
        .patch(`/api/v1/firms/${firmId}/profile`)
        .set(auth(admin.token))
        .send({ contactName: '不应保存', [field]: value })
        .expect(400);
      const problem = res.body as Problem;
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.field)).toContain(field);
      const after = await firmRow(firmId);
      expect(after).toEqual(before);
    },
  );

  it('refuses an establishment date in the future and an impossible date, beside the field', async () => {
    const admin = await loginAs(t, 'firm_admin');
    for (const establishedOn of ['2999-01-01', '2021-02-30']) {
      const res = await t.http
        .patch(`/api/v1/firms/${admin.firmId}/profile`)
        .set(auth(admin.token))
        .send({ establishedOn })
        .expect(400);
      const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field);
      expect(fields).toEqual(['establishedOn']);
    }
    expect((await firmRow(admin.firmId!)).establishedOn).toBeNull();
  });

  it("forbids a firm_member's edit and answers 404 to another firm's administrator", async () => {
    const member = await loginAs(t, 'firm_member');
    await t.http
      .patch(`/api/v1/firms/${member.firmId}/profile`)
      .set(auth(member.token))
      .send({ contactName: '成员' })
      .expect(403);
    const other = await loginAs(t, 'firm_admin');
    const res = await t.http
      .patch(`/api/v1/firms/${member.firmId}/profile`)
      .set(auth(other.token))
      .send({ contactName: '别家' })
      .expect(404);
    expect(res.body.code).toBe('FIRM_NOT_FOUND');
    for (const path of ['profile', 'history', 'change-requests']) {
      await t.http.get(`/api/v1/firms/${member.firmId}/${path}`).set(auth(other.token)).expect(404);
    }
    expect((await firmRow(member.firmId!)).contactName).toBeNull();
  });

  it('lets staff read any firm profile, and refuses complainants with 403', async () => {
    const firm = await createFirm(t);
    const staff = await loginAs(t, 'staff_reviewer');
    await t.http.get(`/api/v1/firms/${firm.id}/profile`).set(auth(staff.token)).expect(200);
    const complainant = await loginAs(t, 'complainant');
    await t.http.get(`/api/v1/firms/${firm.id}/profile`).set(auth(complainant.token)).expect(403);
    await t.http.get(`/api/v1/firms/${firm.id}/profile`).expect(401);
  });

  it('adds and removes licences, keeping what they said in the history', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const firmId = admin.firmId!;
    const licence = {
      type: '支付业务许可证',
      number: 'Z2004944000011',
      issuer: '中国人民银行',
      validFrom: '2021-05-03',
      validTo: '2026-05-02',
    };
    const added = await t.http
      .post(`/api/v1/firms/${firmId}/licences`)
      .set(auth(admin.token))
      .send(licence)
      .expect(201);
    const profile = await t.http
      .get(`/api/v1/firms/${firmId}/profile`)
      .set(auth(admin.token))
      .expect(200);
    expect(profile.body.licences).toEqual([{ id: added.body.id, ...licence }]);
    await t.http
      .delete(`/api/v1/firms/${firmId}/licences/${added.body.id}`)
      .set(auth(admin.token))
      .expect(204);
    const history = await t.http
      .get(`/api/v1/firms/${firmId}/history`)
      .set(auth(admin.token))
      .expect(200);
    expect(history.body.revisions[0].changes).toEqual([
      { field: 'licence', from: licence, to: null },
    ]);
    const backwards = await t.http
      .post(`/api/v1/firms/${firmId}/licences`)
      .set(auth(admin.token))
      .send({ ...licence, validFrom: '2026-01-01', validTo: '2025-01-01' })
      .expect(400);
    expect(backwards.body.code).toBe('LICENCE_DATES_INVALID');
  });

  describe('change requests for the reviewed fields', () => {
    it('applies the new legal name and credit code when staff approve', async () => {
      const admin = await loginAs(t, 'firm_admin');
      const firmId = admin.firmId!;
      const before = await firmRow(firmId);
      const newCode = randomCreditCode();
      const filed = await t.http
        .post(`/api/v1/firms/${firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ name: '深圳市更名后金融科技有限公司', creditCode: newCode.toLowerCase() })
        .expect(201);
      expect(filed.body).toMatchObject({
        state: 'pending',
        changes: { name: '深圳市更名后金融科技有限公司', creditCode: newCode },
      });
      // Nothing changes until staff decide.
      expect((await firmRow(firmId)).name).toBe(before.name);

      const staff = await loginAs(t, 'staff_reviewer');
      const queue = await t.http
        .get('/api/v1/firm-change-requests')
        .set(auth(staff.token))
        .expect(200);
      const queued = (queue.body.items as Array<{ id: string }>).map((r) => r.id);
      expect(queued).toContain(filed.body.id);

      const approved = await t.http
        .post(`/api/v1/firms/${firmId}/change-requests/${filed.body.id}/approve`)
        .set(auth(staff.token))
        .send({ comment: '营业执照已核对' })
        .expect(200);
      expect(approved.body).toMatchObject({
        state: 'approved',
        decidedBy: staff.id,
        comment: '营业执照已核对',
      });
      const after = await firmRow(firmId);
      expect(after).toMatchObject({
        name: '深圳市更名后金融科技有限公司',
        creditCode: newCode,
        searchText: '深圳市更名后金融科技有限公司 ',
      });
      const history = await t.http
        .get(`/api/v1/firms/${firmId}/history`)
        .set(auth(admin.token))
        .expect(200);
      expect(history.body.revisions[0]).toMatchObject({
        kind: 'reviewed_change',
        actorId: staff.id,
      });
      expect(history.body.revisions[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'name', from: before.name, to: '深圳市更名后金融科技有限公司' },
          { field: 'creditCode', from: before.creditCode, to: newCode },
        ]),
      );
      expect(await auditActions(firmId)).toEqual(
        expect.arrayContaining([
          'membership.firm_change_requested',
          'membership.firm_change_approved',
        ]),
      );
      // Decided once: a second approval is refused.
      await t.http
        .post(`/api/v1/firms/${firmId}/change-requests/${filed.body.id}/approve`)
        .set(auth(staff.token))
        .send({})
        .expect(409);
    });

    it('lets one of two staff deciding the same request at once win; the other gets 409', async () => {
      const admin = await loginAs(t, 'firm_admin');
      const filed = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ legalRepresentative: '李雷' })
        .expect(201);
      const [first, second] = await Promise.all([
        loginAs(t, 'staff_admin'),
        loginAs(t, 'staff_reviewer'),
      ]);
      const base = `/api/v1/firms/${admin.firmId}/change-requests/${filed.body.id}`;
      const results = await Promise.all([
        t.http.post(`${base}/approve`).set(auth(first.token)).send({}),
        t.http.post(`${base}/reject`).set(auth(second.token)).send({ comment: '材料不全' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      const row = await firmRow(admin.firmId!);
      expect(row.legalRepresentative).toBe(winner.body.state === 'approved' ? '李雷' : null);
    });

    it('refuses a credit code with one changed character with a clear 400', async () => {
      const admin = await loginAs(t, 'firm_admin');
      const valid = randomCreditCode();
      const broken = oneCharacterChanged(valid);
      expect(creditCodeCheckChar(broken.slice(0, 17))).not.toBe(broken[17]);
      const res = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ creditCode: broken })
        .expect(400);
      const problem = res.body as Problem;
      expect(problem.code).toBe('CREDIT_CODE_INVALID');
      expect(problem.message.en).toMatch(/check character/);
      expect(problem.message['zh-CN']).toMatch(/校验位/);
      expect(problem.errors?.[0].field).toBe('creditCode');
      const pending = await t.http
        .get(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .expect(200);
      expect(pending.body.items).toEqual([]);
    });

    it('refuses a credit code another firm holds, and a request that changes nothing', async () => {
      const admin = await loginAs(t, 'firm_admin');
      const other = await createFirm(t);
      const taken = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ creditCode: other.creditCode })
        .expect(409);
      expect(taken.body.code).toBe('CREDIT_CODE_TAKEN');
      const own = await firmRow(admin.firmId!);
      const empty = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ name: own.name })
        .expect(400);
      expect(empty.body.code).toBe('CHANGE_REQUEST_EMPTY');
    });

    it('keeps one pending request per firm, which the firm may withdraw', async () => {
      const admin = await loginAs(t, 'firm_admin');
      const first = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ legalRepresentative: '李雷' })
        .expect(201);
      const second = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ legalRepresentative: '韩梅梅' })
        .expect(409);
      expect(second.body.code).toBe('CHANGE_REQUEST_PENDING');
      await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests/${first.body.id}/withdraw`)
        .set(auth(admin.token))
        .expect(200);
      await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ legalRepresentative: '韩梅梅' })
        .expect(201);
    });

    it('keeps the record as it was when staff reject, with the reason', async () => {
      const admin = await loginAs(t, 'firm_admin');
      const filed = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ legalRepresentative: '李雷' })
        .expect(201);
      const staff = await loginAs(t, 'staff_admin');
      const noReason = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests/${filed.body.id}/reject`)
        .set(auth(staff.token))
        .send({})
        .expect(400);
      expect(noReason.body.errors[0].field).toBe('comment');
      const rejected = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests/${filed.body.id}/reject`)
        .set(auth(staff.token))
        .send({ comment: '未提供工商变更证明' })
        .expect(200);
      expect(rejected.body).toMatchObject({ state: 'rejected', comment: '未提供工商变更证明' });
      expect((await firmRow(admin.firmId!)).legalRepresentative).toBeNull();
    });

    it("applies an applicant firm's change at once (its record is reviewed with the application)", async () => {
      const firm = await createFirm(t, { status: 'applicant' });
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const res = await t.http
        .post(`/api/v1/firms/${firm.id}/change-requests`)
        .set(auth(admin.token))
        .send({ legalRepresentative: '李雷' })
        .expect(201);
      expect(res.body).toMatchObject({ state: 'approved', decidedBy: null });
      expect((await firmRow(firm.id)).legalRepresentative).toBe('李雷');
    });

    it("lets only staff decide, and hides another firm's requests", async () => {
      const admin = await loginAs(t, 'firm_admin');
      const filed = await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(admin.token))
        .send({ legalRepresentative: '李雷' })
        .expect(201);
      await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests/${filed.body.id}/approve`)
        .set(auth(admin.token))
        .send({})
        .expect(403);
      const stranger = await loginAs(t, 'firm_admin');
      await t.http
        .get(`/api/v1/firms/${admin.firmId}/change-requests`)
        .set(auth(stranger.token))
        .expect(404);
      await t.http
        .post(`/api/v1/firms/${admin.firmId}/change-requests/${filed.body.id}/withdraw`)
        .set(auth(stranger.token))
        .expect(404);
      await t.http.get('/api/v1/firm-change-requests').set(auth(admin.token)).expect(403);
    });
  });

  it('reports what is missing before an application can be submitted', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const firmId = admin.firmId!;
    const profiles = t.app.get(FirmProfileService);
    expect(await profiles.completenessProblems(firmId)).toEqual([
      'legalRepresentative',
      'registeredCapital',
      'establishedOn',
      'address',
      'contactName',
      'contactPhone',
      'contactEmail',
      'categories',
      'document.business_licence',
    ]);
    await t.http
      .patch(`/api/v1/firms/${firmId}/profile`)
      .set(auth(admin.token))
      .send(completeProfile())
      .expect(200);
    await t.app
      .get(TransactionService)
      .run((em) => em.update(Firm, { id: firmId }, { legalRepresentative: '李雷' }));
    expect(await profiles.completenessProblems(firmId)).toEqual(['document.business_licence']);
    await t.http
      .post(`/api/v1/firms/${firmId}/documents`)
      .set(auth(admin.token))
      .field('kind', 'business_licence')
      .attach('file', SAMPLE_PDF, { filename: 'licence.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(await profiles.completenessProblems(firmId)).toEqual([]);
  });
});
