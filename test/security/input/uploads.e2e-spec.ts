import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SAMPLE_PDF } from '../../factories/firm-portal.js';
import { loginAs } from '../../factories/index.js';
import {
  memberFirmAdmin,
  openCycle,
  publishThroughReview,
  submissionValues,
  submittedSubmission,
} from '../../factories/ratings.js';
import { csrfOf, webAgent } from '../../helpers/pages.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { bearer, buildWorld, rowCounts, type World } from './world.js';

/**
 * Issue 8 §2, hostile uploads: on every multipart route of the OpenAPI document, a file over
 * the limit gets 413 and a file whose bytes are not what its name says gets 415 (a CSV import:
 * a refusal), and nothing is left under DATA_DIR (temporary files included) or in the database.
 */

/**
 * Findings this suite has made and not yet fixed: `<route> <case>`. A case listed here must
 * still fail (the test says so when it is fixed, and the entry must go). Fixed so far: the
 * public PDF check (`POST /api/v1/certificates/verify-pdf` and the `POST /verify` form) had no
 * size limit, because its module did not import the files module's upload limits.
 */
const KNOWN_FINDINGS: string[] = [];

const LIMIT = 64 * 1024;
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

interface UploadRoute {
  field: string;
  token: (w: World) => string;
  path: (w: World) => string;
  /** Largest accepted size (the route's own limit when it is not UPLOAD_MAX_BYTES). */
  limit: number;
  /** What a disguised file gets: 415, or another 4xx for a text format. */
  disguised: number[];
}

/** Every multipart route of the API, keyed as in the OpenAPI document. */
const ROUTES: Record<string, UploadRoute> = {
  '/api/v1/firms/{firmId}/documents': {
    field: 'file',
    token: (w) => w.memberAdmin.token,
    path: (w) => `/api/v1/firms/${w.member.id}/documents`,
    limit: LIMIT,
    disguised: [415],
  },
  '/api/v1/members/import': {
    field: 'file',
    token: (w) => w.staff.token,
    path: () => '/api/v1/members/import',
    limit: 2 * 1024 * 1024,
    disguised: [400, 415, 422],
  },
  '/api/v1/disputes/tickets/{id}/attachments': {
    field: 'file',
    token: (w) => w.complainant.token,
    path: (w) => `/api/v1/disputes/tickets/${w.draftId}/attachments`,
    limit: LIMIT,
    disguised: [415],
  },
  '/api/v1/ratings/submissions/{id}/documents': {
    field: 'file',
    token: (w) => w.memberAdmin.token,
    path: (w) => `/api/v1/ratings/submissions/${w.submissionId ?? PLACEHOLDER}/documents`,
    limit: LIMIT,
    disguised: [415],
  },
  '/api/v1/ratings/ratings/{ratingId}/appeal': {
    field: 'documents',
    token: (w) => w.appealing?.token ?? '',
    path: (w) => `/api/v1/ratings/ratings/${w.appealing?.ratingId ?? PLACEHOLDER}/appeal`,
    limit: LIMIT,
    disguised: [415],
  },
  '/api/v1/ratings/appeals/{id}/documents': {
    field: 'file',
    token: (w) => w.appealed?.token ?? '',
    path: (w) => `/api/v1/ratings/appeals/${w.appealed?.appealId ?? PLACEHOLDER}/documents`,
    limit: LIMIT,
    disguised: [415],
  },
  '/api/v1/certificates/verify-pdf': {
    field: 'file',
    token: (w) => w.staff.token,
    path: () => '/api/v1/certificates/verify-pdf',
    limit: LIMIT,
    disguised: [415],
  },
};

const DISGUISES: { name: string; bytes: Buffer; filename: string; contentType: string }[] = [
  {
    name: 'a Windows program named .pdf',
    bytes: Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(200)]),
    filename: 'report.pdf',
    contentType: 'application/pdf',
  },
  {
    name: 'an HTML page named .pdf',
    bytes: Buffer.from('<html><script>alert(1)</script></html>'),
    filename: 'report.pdf',
    contentType: 'application/pdf',
  },
  {
    name: 'a zip named .pdf',
    bytes: Buffer.from('PK\x03\x04' + 'x'.repeat(100), 'latin1'),
    filename: 'report.pdf',
    contentType: 'application/pdf',
  },
];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out.sort();
}

describe('hostile uploads', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ UPLOAD_MAX_BYTES: String(LIMIT) });
    w = await buildWorld(t);
    const saved = await t.http
      .put(`/api/v1/ratings/cycles/${w.cycleId}/submissions/mine/values`)
      .set(...bearer(w.memberAdmin.token))
      .send({ values: submissionValues() });
    w.submissionId = (saved.body as { id?: string }).id;
    // Two firms with a published rating: one to appeal with files, one whose appeal gets files.
    const a = await loginAs(t, 'staff_reviewer');
    const b = await loginAs(t, 'staff_reviewer');
    const admin = await loginAs(t, 'staff_admin');
    const published = async (): Promise<{ token: string; ratingId: string }> => {
      const firmAdmin = await memberFirmAdmin(t);
      const sub = await submittedSubmission(t, await openCycle(t), firmAdmin.firm.id);
      const rating = await publishThroughReview(t, sub, a, b, admin);
      return { token: firmAdmin.token, ratingId: rating.id };
    };
    w.appealing = await published();
    const other = await published();
    const appeal = await t.http
      .post(`/api/v1/ratings/ratings/${other.ratingId}/appeal`)
      .set(...bearer(other.token))
      .send({ reasons: '评分口径有误' });
    w.appealed = { token: other.token, appealId: (appeal.body as { id: string }).id };
  });
  afterAll(async () => {
    await t.close();
  });

  it('covers every multipart route of the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, unknown> } }>
      >;
    };
    const multipart = Object.entries(doc.paths)
      .filter(([, ops]) =>
        Object.values(ops).some((op) =>
          Object.keys(op.requestBody?.content ?? {}).includes('multipart/form-data'),
        ),
      )
      .map(([path]) => path)
      .sort();
    expect(multipart).toEqual(Object.keys(ROUTES).sort());
    expect(w.submissionId).toEqual(expect.any(String));
    expect(w.appealed?.appealId).toEqual(expect.any(String));
  });

  const cases = Object.entries(ROUTES).flatMap(([key, route]) => [
    [key, 'an oversized file', route] as const,
    ...DISGUISES.map((d) => [key, d.name, route] as const),
  ]);

  it.each(cases)('%s refuses %s and keeps nothing', async (key, what, route) => {
    const before = filesUnder(t.config.DATA_DIR);
    const rowsBefore = await rowCounts(t);
    const disguise = DISGUISES.find((d) => d.name === what);
    const bytes = disguise
      ? disguise.bytes
      : Buffer.concat([SAMPLE_PDF, Buffer.alloc(route.limit + 1 - SAMPLE_PDF.length, 0x20)]);
    const filename = disguise?.filename ?? (key.includes('import') ? 'members.csv' : 'big.pdf');
    const req = t.http.post(route.path(w)).set(...bearer(route.token(w)));
    if (key.endsWith('/appeal')) void req.field('reasons', '评级有误');
    if (key.endsWith('/documents') && key.startsWith('/api/v1/firms'))
      void req.field('kind', 'business_licence');
    const res = await req.attach(route.field, bytes, {
      filename,
      contentType: disguise?.contentType ?? 'application/pdf',
    });
    const expected = disguise ? route.disguised : [413];
    // Refused as it should be; a known finding pins today's wrong answer (200) until fixed.
    const known = KNOWN_FINDINGS.includes(`${key} ${what}`);
    const want = known ? [200] : expected;
    expect({ key, what, status: res.status, asExpected: want.includes(res.status) }).toMatchObject({
      asExpected: true,
    });
    expect(filesUnder(t.config.DATA_DIR)).toEqual(before);
    const rowsAfter = await rowCounts(t);
    expect(Object.keys(rowsAfter).filter((k) => rowsAfter[k] !== rowsBefore[k])).toEqual([]);
  });

  it('the public verification form refuses a PDF over the upload limit (413) and keeps nothing', async () => {
    const agent = webAgent(t);
    const csrf = await csrfOf(agent, '/verify');
    const before = filesUnder(t.config.DATA_DIR);
    const big = Buffer.concat([SAMPLE_PDF, Buffer.alloc(LIMIT + 1 - SAMPLE_PDF.length, 0x20)]);
    const res = await agent
      .post(`/verify?_csrf=${encodeURIComponent(csrf)}`)
      .set('Accept', 'text/html')
      .attach('file', big, { filename: 'big.pdf', contentType: 'application/pdf' });
    // Refused as it should be; the known finding pins today's wrong answer (200) until fixed.
    const known = KNOWN_FINDINGS.includes('POST /verify oversized');
    expect(res.status).toBe(known ? 200 : 413);
    expect(filesUnder(t.config.DATA_DIR)).toEqual(before);
  });
});
