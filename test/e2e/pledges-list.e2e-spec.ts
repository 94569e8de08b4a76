import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/common/auth/auth-context.js';
import { FirmsService } from '../../src/modules/membership/firms.service.js';
import { ObligationsService } from '../../src/modules/pledges/obligations.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { LifecycleService } from '../../src/modules/membership/lifecycle.service.js';
import type { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import { createUser, loginAs } from '../factories/index.js';
import {
  createSignatoryFirm,
  publishConvention,
  signConvention,
  type SignatoryFirm,
} from '../factories/pledge-lists.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Entry {
  firmId: string;
  firmName: string;
  status: string;
  date: string | null;
}

describe('public convention signatory lists', () => {
  let t: TestApp;
  let staff: Actor;
  let v1: ConventionVersion;
  let v2: ConventionVersion;
  let both: SignatoryFirm;
  let first: SignatoryFirm;
  let none: SignatoryFirm;
  let expelled: SignatoryFirm;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await createUser(t, { role: 'staff_admin' });
    staff = { id: admin.id, role: 'staff_admin', firmId: null, name: 'Staff', email: admin.email };
    // Latin initials keep the name order the same under every collation.
    both = await createSignatoryFirm(t, { name: 'A 两版都签署的公司' });
    first = await createSignatoryFirm(t, { name: 'B 只签署第一版的公司' });
    none = await createSignatoryFirm(t, { name: 'C 没有签署的公司=HYPERLINK("x")' });
    expelled = await createSignatoryFirm(t, { name: 'D 被除名的公司' });
    v1 = await publishConvention(t, staff);
    await signConvention(t, both, v1);
    await signConvention(t, first, v1);
    await signConvention(t, expelled, v1);
    const lifecycle = t.app.get(LifecycleService);
    await lifecycle.transition(staff, expelled.firm.id, {
      action: 'expel',
      version: (await t.app.get(FirmsService).findById(expelled.firm.id))!.version,
      reasonCategory: 'misconduct',
      reason: '违反自律公约，经理事会决议予以除名。',
      decisionRef: '深互金协〔2026〕1号',
    });
    v2 = await publishConvention(t, staff, '深圳市互联网金融行业自律公约（2026 年修订）');
    await signConvention(t, both, v2);
  });
  afterAll(() => t?.close());

  const listOf = async (n: number): Promise<{ items: Entry[]; counts: unknown }> =>
    (await t.http.get(`/api/v1/conventions/${n}/signatories`).expect(200)).body as {
      items: Entry[];
      counts: unknown;
    };
  const statusOf = (items: Entry[], who: SignatoryFirm): string | undefined =>
    items.find((i) => i.firmId === who.firm.id)?.status;

  it('shows who signed the version in force and lists the others as not yet signed', async () => {
    const body = await listOf(v2.versionNumber);
    expect(statusOf(body.items, both)).toBe('signed');
    expect(statusOf(body.items, first)).toBe('not_signed');
    expect(statusOf(body.items, none)).toBe('not_signed');
    expect(body.items.find((i) => i.firmId === both.firm.id)?.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.items.find((i) => i.firmId === none.firm.id)?.date).toBeNull();
    expect(body.counts).toEqual({ signed: 1, outstanding: 2 });
  });

  it('marks signatures of an older version as superseded and ended memberships with their date', async () => {
    const body = await listOf(v1.versionNumber);
    expect(statusOf(body.items, both)).toBe('superseded');
    expect(statusOf(body.items, first)).toBe('superseded');
    expect(statusOf(body.items, none)).toBe('not_signed');
    expect(statusOf(body.items, expelled)).toBe('expelled');
    expect(body.items.find((i) => i.firmId === expelled.firm.id)?.date).toMatch(/^\d{4}-/);
  });

  it('reveals nothing private: no signer, e-mail, IP or signature fields', async () => {
    const res = await t.http.get(`/api/v1/conventions/${v1.versionNumber}/signatories`).expect(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(both.signatory.email);
    expect(text).not.toContain(both.signatory.name);
    expect(text).not.toContain('127.0.0.1');
    expect(Object.keys((res.body as { items: object[] }).items[0]).sort()).toEqual(
      ['creditCode', 'date', 'firmId', 'firmName', 'firmNameEn', 'status'].sort(),
    );
  });

  it('walks the list by keyset in firm-name order, without repeats or gaps', async () => {
    const seen: Entry[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http
        .get(`/api/v1/conventions/${v1.versionNumber}/signatories`)
        .query(cursor ? { limit: 1, cursor } : { limit: 1 })
        .expect(200);
      const body = res.body as { items: Entry[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(1);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    const all = (await listOf(v1.versionNumber)).items;
    expect(seen.map((e) => e.firmId)).toEqual(all.map((e) => e.firmId));
    expect(new Set(seen.map((e) => e.firmId)).size).toBe(seen.length);
    expect(seen.length).toBe(4);
  });

  it('answers 400 to a forged cursor and 404 to an unknown or unpublished version', async () => {
    const bad = await t.http
      .get(`/api/v1/conventions/${v1.versionNumber}/signatories`)
      .query({ cursor: 'bm90LWEtY3Vyc29y' })
      .expect(400);
    expect(bad.body.code).toBe('SIGNATORY_CURSOR_INVALID');
    const missing = await t.http.get('/api/v1/conventions/99/signatories').expect(404);
    expect(missing.body.code).toBe('CONVENTION_NOT_FOUND');
    await t.http.get('/conventions/99/signatories').expect(404);
    await t.http.get('/conventions/abc/signatories').expect(404);
  });

  it('exports the list as an Excel-safe CSV: BOM, CRLF, quoted, formulas neutralised', async () => {
    const res = await t.http
      .get(`/api/v1/conventions/${v1.versionNumber}/signatories/export.csv`)
      .query({ lang: 'en' })
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="szifa-convention-v1-/,
    );
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Firm,English name,Unified social credit code,Status,Date');
    expect(lines).toHaveLength(4 + 2);
    expect(lines[lines.length - 1]).toBe('');
    const gamma = lines.find((l) => l.includes('没有签署'))!;
    expect(gamma).toContain('Not yet signed');
    const expelledLine = lines.find((l) => l.includes('被除名'))!;
    expect(expelledLine).toMatch(/Ended \(expelled\),\d{4}-\d\d-\d\d$/);
  });

  it('neutralises a firm name a spreadsheet would run as a formula', async () => {
    const formula = await createSignatoryFirm(t, { name: '=HYPERLINK("http://evil","点我")' });
    await t.app
      .get(TransactionService)
      .run((em) => t.app.get(ObligationsService).openForNewMember(em, formula.firm.id));
    const res = await t.http
      .get(`/conventions/${v2.versionNumber}/signatories/export.csv`)
      .expect(200);
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil"",""点我"")"`);
    expect(res.text).not.toMatch(/^=|\r\n=/);
    expect(res.text).toContain('"C 没有签署的公司=HYPERLINK(""x"")"');
    // The other tests count four firms: the new member leaves the list again.
    await t.app
      .get(TransactionService)
      .run((em) => t.app.get(ObligationsService).endForFirm(em, formula.firm.id, 'withdrawn'));
  });

  it('renders the public page with counts, statuses and the CSV link, to anyone', async () => {
    const res = await t.http.get(`/conventions/${v2.versionNumber}/signatories`).expect(200);
    expect(res.text).toContain('data-testid="count-signed">1<');
    expect(res.text).toContain('data-testid="count-outstanding">2<');
    expect(res.text).toContain(both.firm.name);
    expect(res.text).toContain('尚未签署');
    expect(res.text).toContain(`/conventions/${v2.versionNumber}/signatories/export.csv`);
    expect(res.text).not.toContain(both.signatory.email);
    const english = await t.http
      .get(`/conventions/${v2.versionNumber}/signatories`)
      .query({ lang: 'en' })
      .expect(200);
    expect(english.text).toContain('Signatories of version 2');
    expect(english.text).toContain('Not yet signed');
    const signedIn = await loginAs(t, 'complainant');
    await t.http
      .get(`/api/v1/conventions/${v2.versionNumber}/signatories`)
      .set('Authorization', `Bearer ${signedIn.token}`)
      .expect(200);
  });

  it('shows each firm its convention standing on its public directory page', async () => {
    const signed = await t.http.get(`/api/v1/directory/${both.firm.id}`).expect(200);
    const section = (body: unknown) =>
      (
        body as { sections: Array<{ key: string; available: boolean; summary: unknown }> }
      ).sections.find((s) => s.key === 'pledge');
    expect(section(signed.body)).toEqual(
      expect.objectContaining({
        available: true,
        summary: expect.objectContaining({
          en: expect.stringMatching(
            /^Signed version 2 of the self-discipline convention on \d{4}-/,
          ),
        }),
      }),
    );
    const resign = await t.http.get(`/api/v1/directory/${first.firm.id}`).expect(200);
    expect(section(resign.body)).toEqual(
      expect.objectContaining({
        summary: expect.objectContaining({ en: expect.stringContaining('must sign it again by') }),
      }),
    );
    const page = await t.http.get(`/directory/${first.firm.id}`).expect(200);
    expect(page.text).toContain('须于');
    expect(page.text).toContain(`/conventions/2/signatories`);
  });
});
