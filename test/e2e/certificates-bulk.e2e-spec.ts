import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingYear } from '../../src/common/time/beijing.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import {
  BulkIssuanceService,
  type BatchView,
} from '../../src/modules/certificates/bulk-issuance.service.js';
import { Certificate } from '../../src/modules/certificates/entities/certificate.entity.js';
import {
  CertificateBatch,
  CertificateBatchItem,
} from '../../src/modules/certificates/entities/certificate-batch.entity.js';
import {
  actorOf,
  expireLease,
  interruptedBatch,
  runBatch,
  startBatch,
} from '../factories/certificates-bulk.js';
import { createFirm, createUser, loginAs, type CreatedUser } from '../factories/index.js';
import { createDuesInvoice } from '../factories/lifecycle.js';
import { bearer } from '../helpers/auth-flows.js';
import { csrfFrom, signInWeb, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Token = CreatedUser & { token: string };

describe('bulk certificate issuance', () => {
  let t: TestApp;
  let admin: Token;
  let reviewer: Token;
  let firmAdmin: Token;
  let staffWeb: WebAgent;
  const thisYear = beijingYear(new Date());
  const nextYear = thisYear + 1;
  const firstBatch: { id?: string } = {};
  const paid: string[] = [];

  const certificates = () => t.dataSource.getRepository(Certificate);
  const getBatch = (token: string, id: string) =>
    t.http.get(`/api/v1/certificate-batches/${id}`).set(...bearer(token));
  const failuresOf = async (id: string) =>
    (
      await t.http
        .get(`/api/v1/certificate-batches/${id}/failures`)
        .set(...bearer(admin.token))
        .expect(200)
    ).body as {
      items: Array<{ firmId: string; firmName: string; errorCode: string; errorDetail: string }>;
    };
  const addsUp = (b: BatchView) => {
    expect(b.done).toBe(b.issued + b.skipped + b.failed);
    expect(b.done).toBe(b.total);
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
    reviewer = await loginAs(t, 'staff_reviewer');
    // A suspended firm's user: not a subject of any batch, so the counts below stay exact.
    const suspended = await createFirm(t, { status: 'suspended' });
    firmAdmin = await loginAs(t, 'firm_admin', { firmId: suspended.id });
    staffWeb = await signInWeb(t, admin);
  });
  afterAll(() => t.close());

  it("issues next year's membership certificates to the paid-up members and lists the unpaid one as failed with its reason", async () => {
    for (const name of ['深圳批量甲科技有限公司', '深圳批量乙科技有限公司']) {
      const firm = await createFirm(t, { name });
      await createDuesInvoice(t, firm.id, {
        year: nextYear,
        dueOn: `${nextYear}-03-31`,
        paidFen: 2_000_000,
      });
      paid.push(firm.id);
    }
    const unpaid = await createFirm(t, { name: '深圳批量丙欠费科技有限公司' });
    await createDuesInvoice(t, unpaid.id, { year: nextYear, dueOn: `${nextYear}-03-31` });

    const started = await startBatch(t, admin.token, { kind: 'membership', year: nextYear }).expect(
      202,
    );
    expect(started.body).toMatchObject({ kind: 'membership', year: nextYear, total: 3 });
    firstBatch.id = (started.body as BatchView).id;
    await runBatch(t, firstBatch.id);

    const batch = (await getBatch(reviewer.token, firstBatch.id).expect(200)).body as BatchView;
    expect(batch).toMatchObject({ state: 'done', total: 3, issued: 2, skipped: 0, failed: 1 });
    addsUp(batch);
    expect(batch.finishedAt).not.toBeNull();
    const failures = await failuresOf(firstBatch.id);
    expect(failures.items).toEqual([
      expect.objectContaining({
        firmId: unpaid.id,
        firmName: '深圳批量丙欠费科技有限公司',
        errorCode: 'NOT_ELIGIBLE',
        errorDetail: 'dues_unpaid',
      }),
    ]);
    for (const firmId of paid)
      expect(
        await certificates().countBy({
          firmId,
          subjectKey: `membership:${firmId}:${nextYear}`,
        }),
      ).toBe(1);
    expect(await certificates().countBy({ firmId: unpaid.id })).toBe(0);
    const audit = t.dataSource.getRepository(AuditEvent);
    expect(
      await audit.countBy({ action: 'certificates.batch_started', subjectId: firstBatch.id }),
    ).toBe(1);
    const finished = await audit.findOneByOrFail({
      action: 'certificates.batch_finished',
      subjectId: firstBatch.id,
    });
    expect(JSON.parse(finished.summary)).toMatchObject({ issued: 2, skipped: 0, failed: 1 });
  });

  it('shows the progress page with the failed firm and its reason in words, and lists the batch', async () => {
    const page = await staffWeb
      .get(`/staff/certificates/batches/${firstBatch.id}`)
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.text).toContain('已处理 3 / 3');
    expect(page.text).toContain('深圳批量丙欠费科技有限公司');
    expect(page.text).toContain('该机构尚未缴清或减免该年度会费。');
    expect(page.text).not.toContain('http-equiv="refresh"');
    expect(page.headers.refresh).toBeUndefined();
    const english = await staffWeb
      .get(`/staff/certificates/batches/${firstBatch.id}?lang=en`)
      .set('Accept', 'text/html')
      .expect(200);
    expect(english.text).toContain('3 of 3 processed');
    expect(english.text).toContain('dues for the year are not paid or waived.');
    // Back to Chinese (the choice is remembered) for the pages below.
    await staffWeb.get('/staff/certificates/batches?lang=zh-CN').expect(200);
    const list = await staffWeb
      .get('/staff/certificates/batches')
      .set('Accept', 'text/html')
      .expect(200);
    expect(list.text).toContain(`/staff/certificates/batches/${firstBatch.id}`);
    const staffList = await staffWeb
      .get('/staff/certificates')
      .set('Accept', 'text/html')
      .expect(200);
    expect(staffList.text).toContain('href="/staff/certificates/batches"');
  });

  it('issues nothing twice when the same bulk issuance runs again', async () => {
    const before = await certificates().count();
    const again = await startBatch(t, admin.token, { kind: 'membership', year: nextYear }).expect(
      202,
    );
    const second = again.body as BatchView;
    expect(second.id).not.toBe(firstBatch.id);
    const done = await runBatch(t, second.id);
    expect(done).toMatchObject({ state: 'done', total: 3, issued: 0, skipped: 2, failed: 1 });
    addsUp(done);
    expect(await certificates().count()).toBe(before);
    const skipped = await t.dataSource
      .getRepository(CertificateBatchItem)
      .findBy({ batchId: second.id, state: 'skipped' });
    expect(skipped.map((i) => i.firmId).sort()).toEqual([...paid].sort());
    expect(skipped.every((i) => i.errorCode === 'already_issued')).toBe(true);
  });

  it('resumes an interrupted batch once the dead runner’s lease runs out, without issuing anything twice', async () => {
    // Three more members, so that the batch has items on both sides of the crash.
    for (let i = 0; i < 3; i++) await createFirm(t);
    const interrupted = await interruptedBatch(t, admin, {
      kind: 'membership',
      recorded: 2,
      leaseMs: 60_000,
    });
    expect(interrupted).toMatchObject({ state: 'running', issued: 2, done: 2 });
    const total = interrupted.total;

    // While the dead runner's lease runs, nobody else takes the batch, and starting the same
    // kind and year again returns it rather than planning a second.
    expect(await runBatch(t, interrupted.id)).toMatchObject({ state: 'running', done: 2 });
    const restart = await startBatch(t, admin.token, { kind: 'membership' }).expect(202);
    expect((restart.body as BatchView).id).toBe(interrupted.id);
    const running = await staffWeb
      .get(`/staff/certificates/batches/${interrupted.id}`)
      .set('Accept', 'text/html')
      .expect(200);
    expect(running.text).toContain('<meta http-equiv="refresh" content="3">');
    expect(running.headers.refresh).toBe('3');
    expect(running.text).toContain(`已处理 2 / ${total}`);

    await expireLease(t, interrupted.id);
    const done = await runBatch(t, interrupted.id);
    // Every member got this year's certificate from this batch, the one issued just before
    // the crash included (it counts as issued, not as found).
    expect(done).toMatchObject({ state: 'done', total, issued: total, skipped: 0, failed: 0 });
    addsUp(done);
    const items = await t.dataSource
      .getRepository(CertificateBatchItem)
      .findBy({ batchId: interrupted.id });
    for (const item of items) {
      expect(item.state).toBe('issued');
      expect(
        await certificates().countBy({
          subjectKey: `membership:${item.firmId}:${thisYear}`,
        }),
      ).toBe(1);
    }
  });

  it('starts a batch from the staff page and records firms without a signature as failed with the reason', async () => {
    const page = await staffWeb
      .get('/staff/certificates/batches')
      .set('Accept', 'text/html')
      .expect(200);
    const res = await staffWeb
      .post('/staff/certificates/batches')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kind: 'pledge', year: String(thisYear) })
      .expect(303);
    const id = /\/staff\/certificates\/batches\/([0-9a-f-]{36})$/.exec(
      String(res.headers.location),
    )?.[1];
    expect(id).toBeDefined();
    const done = await runBatch(t, id!);
    expect(done).toMatchObject({ kind: 'pledge', year: null, state: 'done', issued: 0 });
    expect(done.failed).toBe(done.total);
    addsUp(done);
    const failures = await failuresOf(id!);
    expect(failures.items.every((f) => f.errorDetail === 'signature_not_found')).toBe(true);
    const progress = await staffWeb.get(res.headers.location).expect(200);
    expect(progress.text).toContain('该机构尚未签署现行公约。');
  });

  it('refuses other roles and unknown batches', async () => {
    await t.http.get('/api/v1/certificate-batches').expect(401);
    await startBatch(t, reviewer.token, { kind: 'membership' }).expect(403);
    await startBatch(t, firmAdmin.token, { kind: 'membership' }).expect(403);
    await t.http
      .get('/api/v1/certificate-batches')
      .set(...bearer(firmAdmin.token))
      .expect(403);
    await getBatch(firmAdmin.token, firstBatch.id!).expect(403);
    const listed = await t.http
      .get('/api/v1/certificate-batches')
      .set(...bearer(reviewer.token))
      .expect(200);
    expect((listed.body as { items: BatchView[] }).items.map((b) => b.id)).toContain(firstBatch.id);
    const missing = await getBatch(admin.token, '00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.body.code).toBe('BATCH_NOT_FOUND');
    const bad = await startBatch(t, admin.token, { kind: 'diploma' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const past = await startBatch(t, admin.token, { kind: 'membership', year: thisYear - 1 });
    expect(past.status).toBe(409);
    expect(past.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'year_past' });

    const firmWeb = await signInWeb(
      t,
      await createUser(t, { role: 'firm_admin', firmId: firmAdmin.firmId }),
    );
    await firmWeb.get('/staff/certificates/batches').set('Accept', 'text/html').expect(403);
    const reviewerWeb = await signInWeb(t, reviewer);
    const page = await reviewerWeb
      .get('/staff/certificates/batches')
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.text).not.toContain('start-batch-form');
    await reviewerWeb
      .post('/staff/certificates/batches')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kind: 'membership' })
      .expect(403);
  });

  it('pages through the batches newest first', async () => {
    const list = (query: string) =>
      t.http
        .get(`/api/v1/certificate-batches?${query}`)
        .set(...bearer(admin.token))
        .expect(200)
        .then((r) => r.body as { items: BatchView[]; nextCursor: string | null });
    const all = await list('limit=100');
    expect(all.items.length).toBeGreaterThanOrEqual(4);
    const first = await list('limit=2');
    expect(first.items.map((b) => b.id)).toEqual(all.items.slice(0, 2).map((b) => b.id));
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((b) => b.id)).toEqual(all.items.slice(2, 4).map((b) => b.id));
  });

  it('resumes at start-up a batch whose runner died', async () => {
    const fresh = [await createFirm(t), await createFirm(t)];
    const orphan = await interruptedBatch(t, admin, {
      kind: 'membership',
      recorded: 0,
      leaseMs: -1000,
    });
    await t.app.get(BulkIssuanceService).resumeUnfinished();
    const done = await runBatch(t, orphan.id);
    expect(done).toMatchObject({ state: 'done', issued: 2, skipped: orphan.total - 2 });
    addsUp(done);
    for (const firm of fresh)
      expect(
        await certificates().countBy({ subjectKey: `membership:${firm.id}:${thisYear}` }),
      ).toBe(1);
  });

  // Last: it stops this app's runner for good.
  it('stops between items at shutdown, leaving the rest pending and the batch free to resume', async () => {
    for (let i = 0; i < 20; i++) await createFirm(t);
    const started = await startBatch(t, admin.token, { kind: 'membership' }).expect(202);
    const id = (started.body as BatchView).id;
    const bulk = t.app.get(BulkIssuanceService);
    for (let tries = 0; tries < 200; tries++) {
      if ((await bulk.get(actorOf(admin), id)).done > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await bulk.beforeApplicationShutdown();
    const batch = await t.dataSource.getRepository(CertificateBatch).findOneByOrFail({ id });
    expect(batch).toMatchObject({ state: 'running', claimedBy: null, leaseUntil: null });
    const items = t.dataSource.getRepository(CertificateBatchItem);
    const pending = await items.countBy({ batchId: id, state: 'pending' });
    expect(pending).toBeGreaterThan(0);
    expect(batch.issued + batch.skipped + batch.failed).toBe(batch.total - pending);
    expect(batch.issued).toBe(await items.countBy({ batchId: id, state: 'issued' }));
  });
});
