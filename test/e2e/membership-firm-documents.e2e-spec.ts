import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FirmDocument } from '../../src/modules/membership/entities/firm-document.entity.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { loginAs } from '../factories/index.js';
import {
  pdfOfSize,
  SAMPLE_JPEG,
  SAMPLE_PDF,
  SAMPLE_PNG,
  storedFiles,
} from '../factories/firm-portal.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const MAX_BYTES = 2048;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const storedPath = (hash: string): string => `${hash.slice(0, 2)}/${hash.slice(2)}`;

describe('firm documents: content-typed, size-limited, content-addressed, firm-scoped', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
  });
  afterAll(() => t.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const documentRows = (firmId: string) =>
    t.dataSource.getRepository(FirmDocument).findBy({ firmId });

  function upload(
    token: string,
    firmId: string,
    file: Buffer,
    filename: string,
    contentType: string,
    kind = 'business_licence',
  ) {
    return t.http
      .post(`/api/v1/firms/${firmId}/documents`)
      .set(auth(token))
      .field('kind', kind)
      .attach('file', file, { filename, contentType });
  }

  it('accepts a PDF, stores it under its SHA-256 and serves it back as an attachment', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const firmId = admin.firmId!;
    const res = await upload(admin.token, firmId, SAMPLE_PDF, '营业执照.pdf', 'application/pdf');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'business_licence',
      fileName: '营业执照.pdf',
      contentType: 'application/pdf',
      sizeBytes: SAMPLE_PDF.length,
      sha256: sha256(SAMPLE_PDF),
      uploadedBy: admin.id,
    });
    const onDisk = join(t.config.DATA_DIR, 'files', storedPath(sha256(SAMPLE_PDF)));
    expect(readFileSync(onDisk).equals(SAMPLE_PDF)).toBe(true);

    const download = await t.http
      .get(`/api/v1/firms/${firmId}/documents/${res.body.id}/content`)
      .set(auth(admin.token))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('营业执照.pdf')}`,
    );
    expect((download.body as Buffer).equals(SAMPLE_PDF)).toBe(true);

    const list = await t.http
      .get(`/api/v1/firms/${firmId}/documents`)
      .set(auth(admin.token))
      .expect(200);
    expect((list.body.items as Array<{ id: string }>).map((d) => d.id)).toEqual([res.body.id]);
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ subjectId: firmId, action: 'membership.document_uploaded' });
    expect(JSON.parse(audit.summary)).toMatchObject({ documentId: res.body.id });
  });

  it('stores a PNG renamed .pdf as a PNG, and names the download .png', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const res = await upload(admin.token, admin.firmId!, SAMPLE_PNG, 'scan.pdf', 'application/pdf');
    expect(res.status).toBe(201);
    expect(res.body.contentType).toBe('image/png');
    const download = await t.http
      .get(`/api/v1/firms/${admin.firmId}/documents/${res.body.id}/content`)
      .set(auth(admin.token))
      .expect(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toContain('filename="scan.png"');
  });

  it('accepts a JPEG', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const res = await upload(admin.token, admin.firmId!, SAMPLE_JPEG, 'photo.jpeg', 'image/jpeg');
    expect(res.status).toBe(201);
    expect(res.body.contentType).toBe('image/jpeg');
  });

  it('refuses a text file claiming to be a PDF with 415 and keeps nothing', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const before = storedFiles(t);
    const text = Buffer.from('This is not a PDF, whatever the name says.\n');
    const res = await upload(admin.token, admin.firmId!, text, 'report.pdf', 'application/pdf');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_FILE_TYPE');
    expect(res.body.message.en).toMatch(/PDF, JPEG or PNG/);
    expect(storedFiles(t)).toEqual(before);
    expect(storedFiles(t)).not.toContain(storedPath(sha256(text)));
    expect(await documentRows(admin.firmId!)).toEqual([]);
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413 and keeps nothing', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const before = storedFiles(t);
    const big = pdfOfSize(MAX_BYTES + 1);
    const res = await upload(admin.token, admin.firmId!, big, 'big.pdf', 'application/pdf');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(storedFiles(t)).toEqual(before);
    expect(await documentRows(admin.firmId!)).toEqual([]);
    // Exactly at the limit is fine.
    const fits = await upload(
      admin.token,
      admin.firmId!,
      pdfOfSize(MAX_BYTES),
      'fits.pdf',
      'application/pdf',
    );
    expect(fits.status).toBe(201);
  });

  it('stores identical uploads once', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const content = pdfOfSize(700);
    const first = await upload(admin.token, admin.firmId!, content, 'a.pdf', 'application/pdf');
    const filesAfterFirst = storedFiles(t);
    const other = await loginAs(t, 'firm_admin');
    const second = await upload(other.token, other.firmId!, content, 'b.pdf', 'application/pdf');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.sha256).toBe(first.body.sha256);
    expect(second.body.id).not.toBe(first.body.id);
    expect(storedFiles(t)).toEqual(filesAfterFirst);
    expect(storedFiles(t).filter((f) => f === storedPath(sha256(content)))).toHaveLength(1);
  });

  it('asks for a file when none is sent, and for a known kind', async () => {
    const admin = await loginAs(t, 'firm_admin');
    const none = await t.http
      .post(`/api/v1/firms/${admin.firmId}/documents`)
      .set(auth(admin.token))
      .field('kind', 'articles')
      .expect(400);
    expect(none.body.code).toBe('FILE_MISSING');
    const badKind = await upload(
      admin.token,
      admin.firmId!,
      SAMPLE_PDF,
      'x.pdf',
      'application/pdf',
      'passport',
    );
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors[0].field).toBe('kind');
  });

  it("answers 404 to another firm's users for the list, the record, the bytes and removal", async () => {
    const owner = await loginAs(t, 'firm_admin');
    const doc = await upload(owner.token, owner.firmId!, SAMPLE_PDF, 'a.pdf', 'application/pdf');
    const strangerAdmin = await loginAs(t, 'firm_admin');
    const strangerMember = await loginAs(t, 'firm_member');
    for (const stranger of [strangerAdmin, strangerMember]) {
      const base = `/api/v1/firms/${owner.firmId}/documents`;
      for (const path of [base, `${base}/${doc.body.id}`, `${base}/${doc.body.id}/content`]) {
        const res = await t.http.get(path).set(auth(stranger.token));
        expect(res.status).toBe(404);
      }
    }
    await t.http
      .delete(`/api/v1/firms/${owner.firmId}/documents/${doc.body.id}`)
      .set(auth(strangerAdmin.token))
      .expect(404);
    // Asking for this document under the stranger's own firm finds nothing either.
    await t.http
      .get(`/api/v1/firms/${strangerAdmin.firmId}/documents/${doc.body.id}/content`)
      .set(auth(strangerAdmin.token))
      .expect(404);
    const uploadInto = await upload(
      strangerAdmin.token,
      owner.firmId!,
      SAMPLE_PDF,
      'x.pdf',
      'application/pdf',
    );
    expect(uploadInto.status).toBe(404);
    const complainant = await loginAs(t, 'complainant');
    await t.http
      .get(`/api/v1/firms/${owner.firmId}/documents`)
      .set(auth(complainant.token))
      .expect(403);
  });

  it('lets staff and firm members read documents; only the firm administrator uploads', async () => {
    const owner = await loginAs(t, 'firm_admin');
    const doc = await upload(owner.token, owner.firmId!, SAMPLE_PDF, 'a.pdf', 'application/pdf');
    const member = await loginAs(t, 'firm_member', { firmId: owner.firmId });
    const staff = await loginAs(t, 'staff_reviewer');
    for (const reader of [member, staff]) {
      await t.http
        .get(`/api/v1/firms/${owner.firmId}/documents/${doc.body.id}/content`)
        .set(auth(reader.token))
        .expect(200);
    }
    const byMember = await upload(
      member.token,
      owner.firmId!,
      SAMPLE_PDF,
      'm.pdf',
      'application/pdf',
    );
    expect(byMember.status).toBe(403);
    const byStaff = await upload(
      staff.token,
      owner.firmId!,
      SAMPLE_PDF,
      's.pdf',
      'application/pdf',
    );
    expect(byStaff.status).toBe(403);
  });

  it('hides a removed document from the firm but keeps its bytes and shows it to staff', async () => {
    const owner = await loginAs(t, 'firm_admin');
    const content = pdfOfSize(900);
    const doc = await upload(owner.token, owner.firmId!, content, 'old.pdf', 'application/pdf');
    await t.http
      .delete(`/api/v1/firms/${owner.firmId}/documents/${doc.body.id}`)
      .set(auth(owner.token))
      .expect(204);
    const list = await t.http
      .get(`/api/v1/firms/${owner.firmId}/documents`)
      .set(auth(owner.token))
      .expect(200);
    expect(list.body.items).toEqual([]);
    await t.http
      .get(`/api/v1/firms/${owner.firmId}/documents/${doc.body.id}/content`)
      .set(auth(owner.token))
      .expect(404);
    expect(storedFiles(t)).toContain(storedPath(sha256(content)));
    const staff = await loginAs(t, 'staff_admin');
    const asStaff = await t.http
      .get(`/api/v1/firms/${owner.firmId}/documents/${doc.body.id}`)
      .set(auth(staff.token))
      .expect(200);
    expect(asStaff.body.removedAt).not.toBeNull();
    await t.http
      .delete(`/api/v1/firms/${owner.firmId}/documents/${doc.body.id}`)
      .set(auth(owner.token))
      .expect(404);
  });
});
