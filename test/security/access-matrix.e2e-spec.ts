import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Role } from '../../src/common/auth/roles.js';
import { CSRF_COOKIE } from '../../src/common/http/csrf.guard.js';
import { SESSION_COOKIE } from '../../src/modules/auth/access.guard.js';
import { DocumentLinks } from '../../src/modules/documents/document-links.js';
import { SAMPLE_PDF } from '../factories/firm-portal.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  ACCESS_TABLE,
  CALLERS,
  isOwnSide,
  KNOWN_FINDINGS,
  LEGEND,
  type Caller,
  type Cell,
  type Owner,
} from './access-table.js';
import {
  buildFixtures,
  freshCredentials,
  type Fixtures,
  type MatrixUser,
  type Realm,
} from './access-fixtures.js';

/**
 * Issue 8 §1: every operation of the OpenAPI document, for each of ten callers, on records of
 * each owner, against the expectation of access-table.ts. API operations are called with a
 * bearer token, pages with a web session cookie (and a valid CSRF token, so that the access
 * rule, not the form check, answers); both ask for JSON so refusals come back as problem+json
 * with their status.
 */

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

interface Operation {
  'x-szifa-access'?: 'public' | 'signed-in' | Role[];
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const ROLE_OF: Record<Caller, Role | null> = {
  anonymous: null,
  'firmA.admin': 'firm_admin',
  'firmA.member': 'firm_member',
  'firmB.admin': 'firm_admin',
  complainantX: 'complainant',
  complainantY: 'complainant',
  mediatorM1: 'mediator',
  mediatorM2: 'mediator',
  reviewer: 'staff_reviewer',
  admin: 'staff_admin',
};

/** Operations that end the caller's session (or may): each call gets a fresh one. */
const ENDS_SESSION = new Set([
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  'POST /sign-out',
  'POST /account/password',
]);

/**
 * A version no record has: where an operation takes one, the allowed callers are refused with
 * 409 after the access check instead of changing the shared fixtures.
 */
const STALE = 999_999;

/**
 * Bodies for operations that validate their input before looking up the record: with `{}` the
 * 400 would come first and hide whether the record check answers 404. Each is valid in shape
 * and, where it can, stale (see STALE), so allowed callers change nothing.
 */
const BODIES: Record<string, (f: Fixtures, realm: Realm, user: MatrixUser | null) => object> = {
  'POST /api/v1/firms/{firmId}/licences': () => ({
    type: '支付业务许可证',
    number: 'Z2004944000099',
    issuer: '中国人民银行',
    validFrom: '2021-05-03',
    validTo: '2029-05-02',
  }),
  'POST /api/v1/firms/{firmId}/invitations': () => ({
    email: `matrix.${randomUUID().slice(0, 8)}@example.cn`,
    role: 'firm_member',
  }),
  'PUT /api/v1/firms/{firmId}/signatory': (_f, realm) => ({ userId: realm.adminId }),
  'PATCH /api/v1/applications/{id}': () => ({ requestedTier: 'member', version: STALE }),
  'POST /api/v1/applications/{id}/transitions': () => ({ action: 'submit', version: STALE }),
  // Staff suspend, a firm withdraws itself: each the action its role may take.
  'POST /api/v1/firms/{id}/status-transitions': (_f, _realm, user) =>
    user?.role === 'staff_admin'
      ? { action: 'suspend', reasonCategory: 'other', reason: '矩阵测试。', version: STALE }
      : { action: 'withdraw', reason: '停止经营。', confirm: true, version: STALE },
  'POST /api/v1/disputes/tickets/{id}/respond': () => ({
    response: '我司已回复。',
    expectedVersion: STALE,
  }),
  'POST /api/v1/disputes/tickets/{id}/fail': () => ({
    reason: '无法达成一致。',
    expectedVersion: STALE,
  }),
  'POST /api/v1/disputes/mediators/{userId}/affiliations': (f) => ({
    firmId: f.otherFirmId,
    relation: 'employed',
    endedOn: '2019-12-31',
  }),
  'POST /api/v1/disputes/tickets/{id}/accept-assignment': () => ({
    noConflict: true,
    expectedVersion: STALE,
  }),
  'POST /api/v1/disputes/tickets/{id}/decline-assignment': () => ({
    reason: '时间冲突。',
    expectedVersion: STALE,
  }),
  'POST /api/v1/disputes/tickets/{id}/challenges': () => ({ reason: '调解员立场不中立。' }),
  'POST /api/v1/disputes/tickets/{id}/messages': () => ({
    body: '矩阵测试消息。',
    visibility: 'parties',
  }),
  'POST /api/v1/disputes/tickets/{id}/sessions': () => ({
    startsAt: new Date(Date.now() + 9 * 24 * 3600 * 1000).toISOString(),
    durationMinutes: 60,
    mode: 'offline',
    place: '深圳市福田区调解室 1 号',
  }),
  'POST /api/v1/disputes/tickets/{id}/settlements': () => ({
    facts: '矩阵测试。',
    terms: '矩阵测试。',
    amount: '1.00',
    performanceDeadline: '2030-01-31',
  }),
  // The caller's own password and a name that is not theirs: refused after the access check.
  'POST /api/v1/disputes/settlements/{id}/sign': (_f, _realm, user) => ({
    typedName: '不是本人',
    consent: true,
    password: user?.password ?? 'x',
  }),
  'POST /api/v1/disputes/tickets/{id}/performance': () => ({
    note: '已退还服务费。',
    expectedVersion: STALE,
  }),
  'POST /api/v1/disputes/tickets/{id}/reopen': () => ({
    reason: '未履行。',
    expectedVersion: STALE,
  }),
  'POST /api/v1/disputes/tickets/{id}/survey': () => ({ rating: 5 }),
  'POST /staff/pledges/reminders': () => ({ version: '1' }),
  // Ticket-page forms: fields the form sends, the ticket version stale.
  'POST /disputes/tickets/{id}/reject': () => ({ reason: 'not_member', version: String(STALE) }),
  'POST /disputes/tickets/{id}/respond': () => ({
    response: '我司已回复。',
    version: String(STALE),
  }),
  'POST /disputes/tickets/{id}/decline-assignment': () => ({
    reason: '时间冲突。',
    version: String(STALE),
  }),
  'POST /disputes/tickets/{id}/challenges': () => ({ reason: '调解员立场不中立。' }),
  'POST /disputes/tickets/{id}/messages': () => ({ body: '矩阵测试消息。', visibility: 'parties' }),
  // The settlement comes from the form; the path's ticket only says where to go back to.
  'POST /disputes/tickets/{id}/settlement-send': (_f, realm) => ({
    settlementId: realm.settlementId,
  }),
  'POST /disputes/tickets/{id}/settlement-withdraw': (_f, realm) => ({
    settlementId: realm.settlementId,
  }),
};

/** The public checks of printed documents open only with the token their QR code carries. */
const QUERIES: Record<string, (t: TestApp, f: Fixtures) => string> = {
  'GET /verify/document/invoice/{id}': (t, f) =>
    `?t=${t.app.get(DocumentLinks).token('invoice', f.A.invoiceId)}`,
  'GET /verify/document/receipt/{id}': (t, f) =>
    `?t=${t.app.get(DocumentLinks).token('receipt', f.A.invoiceId)}`,
  'GET /verify/document/settlement/{id}': (t, f) =>
    `?t=${t.app.get(DocumentLinks).token('settlement', f.A.settlementId)}`,
};

/** Uploads: sent as multipart with a small PDF (and these fields), like the pages and clients do. */
const MULTIPART: Record<string, Record<string, string>> = {
  'POST /api/v1/firms/{firmId}/documents': { kind: 'articles' },
  'POST /api/v1/ratings/submissions/{id}/documents': {},
  'POST /api/v1/ratings/appeals/{id}/documents': {},
  'POST /api/v1/disputes/tickets/{id}/attachments': {},
};

/**
 * The value of a path parameter: one per owner for records that belong to someone, one for
 * everyone otherwise. Keyed by what the path says before the parameter.
 */
function paramValue(f: Fixtures, path: string, param: string): ((r: Realm) => string) | string {
  const before = path.slice(0, path.indexOf(`{${param}}`));
  const last = before.split('/').filter(Boolean).at(-1) ?? '';
  const record = (key: keyof Realm) => (r: Realm) => r[key];
  if (param === 'firmId' || (param === 'id' && /\/firms\/$/.test(before)))
    return /statistics|ratings\/firms/.test(before) ? f.A.firmId : record('firmId');
  if (param === 'licenceId' || (param === 'id' && last === 'licences')) return record('licenceId');
  if (param === 'userId' && last === 'colleagues') return record('spareUserId');
  if (param === 'id' && last === 'colleagues') return record('spareUserId');
  if (param === 'userId' && last === 'mediators') return record('mediatorId');
  if (param === 'firmId' && before === '/ratings/firms/') return f.A.firmId;
  if (param === 'attId') return record('attachmentId');
  if (param === 'ratingId') return record('ratingId');
  if (param === 'docId')
    return before.includes('/appeals/') ? record('appealDocumentId') : record('ratingDocumentId');
  if (param === 'appealId') return record('appealId');
  if (param === 'challengeId') return record('challengeId');
  if (param === 'sessionId') return record('sessionId');
  if (param === 'action') return 'propose';
  if (param === 'code') return 'member';
  if (param === 'versionNumber') return '1';
  if (param === 'date') return f.calendarDate;
  if (param === 'serial') return f.A.serial;
  if (param === 'list') return '1';
  if (param === 'kind') return 'membership';
  if (param === 'cycleId') return f.cycleId;
  if (param !== 'id') throw new Error(`no value for {${param}} in ${path}`);
  const byPrefix: Array<[RegExp, ((r: Realm) => string) | string]> = [
    [/change-requests\/$/, record('changeRequestId')],
    [/firms\/\{firmId\}\/documents\/$|firm\/documents\/$/, record('documentId')],
    [/invitations\/$/, record('invitationId')],
    [/applications\/$/, record('applicationId')],
    [/document\/(invoice|receipt)\/$/, f.A.invoiceId],
    [/invoices\/$/, record('invoiceId')],
    [/directory\/$/, f.A.firmId],
    [/staff\/firms\/$/, record('firmId')],
    [/conventions\/drafts\/$|staff\/conventions\/$/, f.conventionDraftId],
    [/pledges\/signatures\/$/, record('signatureId')],
    [/disputes\/tickets\/$|mediator\/pool\/$/, record('ticketId')],
    [/verify\/pledge\/$/, f.A.signatureId],
    [/verify\/document\/settlement\/$/, f.A.settlementId],
    [/disputes\/settlements\/$/, record('settlementId')],
    [/disputes\/sessions\/$/, record('sessionId')],
    [/disputes\/challenges\/$/, f.A.challengeId],
    [/affiliations\/$/, record('affiliationId')],
    [/notifications\/$/, record('notificationId')],
    [/scorecards\/$/, f.scorecardId],
    [/cycles\/$/, f.cycleId],
    [/ratings\/submissions\/$/, record('submissionId')],
    [/ratings\/appeals\/$/, record('appealId')],
    [/ratings\/conflicts\/$/, f.conflictId],
    [/certificate-batches\/$|certificates\/batches\/$/, f.batchId],
    [/certificates\/$/, record('certificateId')],
  ];
  for (const [pattern, value] of byPrefix) if (pattern.test(before)) return value;
  throw new Error(`no value for {id} in ${path}`);
}

/** The concrete paths of an operation, per owner. */
function pathsFor(f: Fixtures, path: string, perOwner: boolean): Array<[Owner, string]> {
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const values = params.map((p) => paramValue(f, path, p));
  const fill = (realm: Realm | null): string =>
    params.reduce((acc, p, i) => {
      const v = values[i];
      return acc.replace(`{${p}}`, typeof v === 'string' ? v : v(realm ?? f.A));
    }, path);
  const owned = values.some((v) => typeof v !== 'string');
  if (owned && perOwner)
    return [
      ['A', fill(f.A)],
      ['B', fill(f.B)],
    ];
  return [['-', fill(null)]];
}

function expectedStatus(cell: Cell, own: boolean): 'ok' | 401 | 403 | 404 {
  switch (cell) {
    case 'ok':
      return 'ok';
    case '401':
      return 401;
    case '403':
      return 403;
    case '404':
      return 404;
    case 'own':
      return own ? 'ok' : 404;
    case 'own403':
      return own ? 403 : 404;
  }
}

function meets(expected: 'ok' | number, status: number): boolean {
  if (expected === 'ok') return status < 500 && ![401, 403, 404].includes(status);
  return status === expected;
}

/** Operations in a safe order: reads, then writes, then removals, then session enders. */
function phase(operation: string): number {
  if (ENDS_SESSION.has(operation)) return 3;
  if (operation.startsWith('GET ')) return 0;
  if (operation.startsWith('DELETE ') || /\/remove$|\/revoke$/.test(operation)) return 2;
  return 1;
}

describe('access matrix (every operation × caller × owner)', () => {
  let t: TestApp;
  let f: Fixtures;
  let doc: { paths: Record<string, Record<string, Operation>> };
  let operations: string[];

  beforeAll(async () => {
    t = await startTestApp();
    f = await buildFixtures(t);
    doc = (await t.http.get('/api/docs-json').expect(200)).body as typeof doc;
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Pages left out of the document are served all the same: they are classified too.
    const express = t.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
    for (const layer of express.router.stack) {
      if (!layer.route || layer.route.path.startsWith('/api/docs')) continue;
      for (const method of Object.keys(layer.route.methods)) {
        const op = `${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`;
        if (!operations.includes(op)) operations.push(op);
      }
    }
  }, 300_000);
  afterAll(() => t.close());

  it('classifies every operation of the OpenAPI document and every other served route, and only those', () => {
    const unclassified = operations.filter((op) => !(op in ACCESS_TABLE));
    const stale = Object.keys(ACCESS_TABLE).filter((op) => !operations.includes(op));
    expect({ unclassified, stale }).toEqual({ unclassified: [], stale: [] });
  });

  it("agrees with each operation's declared roles (x-szifa-access)", () => {
    const disagreements: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const name = `${method.toUpperCase()} ${path}`;
        const access = op['x-szifa-access'];
        const rule = ACCESS_TABLE[name];
        if (access === undefined || rule === undefined) continue;
        const row = LEGEND[rule];
        const admitted = new Set<string>();
        CALLERS.forEach((caller, i) => {
          if (row[i] !== '401' && row[i] !== '403') admitted.add(ROLE_OF[caller] ?? 'anonymous');
        });
        const declared = new Set<string>(
          access === 'public'
            ? ['anonymous', ...Object.values(ROLE_OF).filter((r): r is Role => r !== null)]
            : access === 'signed-in'
              ? Object.values(ROLE_OF).filter((r): r is Role => r !== null)
              : access,
        );
        const same =
          admitted.size === declared.size && [...admitted].every((role) => declared.has(role));
        if (!same)
          disagreements.push(
            `${name}: table '${rule}' admits [${[...admitted].sort().join(', ')}], document [${[...declared].sort().join(', ')}]`,
          );
      }
    }
    expect(disagreements).toEqual([]);
  });

  /** Sends one cell's request as `caller` and returns its status (and problem code). */
  async function call(
    operation: string,
    url: string,
    owner: Owner,
    caller: Caller,
  ): Promise<{ status: number; code?: string }> {
    // code: the problem's code, or where a redirect goes (pages answer refused forms that way).
    const [method, path] = operation.split(' ') as [string, string];
    const isApi = path.startsWith('/api/');
    const user = caller === 'anonymous' ? null : f.users[caller];
    let credentials = user ? { token: user.token, cookie: user.cookie } : null;
    if (user && ENDS_SESSION.has(operation)) credentials = await freshCredentials(t, user);
    const query = QUERIES[operation]?.(t, f) ?? '';
    let req = t.http[method.toLowerCase() as Method](url + query).set('Accept', 'application/json');
    if (isApi) {
      if (credentials) req = req.set('Authorization', `Bearer ${credentials.token}`);
    } else {
      const cookies = [`${CSRF_COOKIE}=${f.csrfCookie}`];
      if (credentials) cookies.push(`${SESSION_COOKIE}=${credentials.cookie}`);
      req = req.set('Cookie', cookies.join('; ')).set('X-CSRF-Token', f.csrfToken);
    }
    const body: object = {
      // Ticket-page forms send the version the page showed: a stale one keeps the shared
      // tickets as they are.
      ...(path.startsWith('/disputes/tickets/{id}/') ? { version: String(STALE) } : {}),
      ...(BODIES[operation]?.(f, owner === 'B' ? f.B : f.A, user) ?? {}),
    };
    if (MULTIPART[operation]) {
      for (const [field, value] of Object.entries(MULTIPART[operation]))
        req = req.field(field, value);
      req = req.attach('file', SAMPLE_PDF, {
        filename: 'matrix.pdf',
        contentType: 'application/pdf',
      });
    } else if (method !== 'GET') {
      req = isApi ? req.send(body) : req.type('form').send(body);
    }
    const res = await req;
    const location = res.headers.location as string | undefined;
    // A write that went through is undone, so that the next cell meets the same records (a
    // redirect carrying ?error= is a form refusal: nothing changed).
    const refused = res.status >= 400 || /[?&]error=/.test(location ?? '');
    if (method !== 'GET' && !refused) await f.restore();
    return {
      status: res.status,
      code: (res.body as { code?: string } | undefined)?.code ?? location,
    };
  }

  it('answers every cell as the legend says (known findings as they are today)', async () => {
    const failures: string[] = [];
    const report: object[] = [];
    const findingsSeen = new Set<number>();
    let cells = 0;
    const ordered = operations
      .filter((op) => op in ACCESS_TABLE)
      .sort((a, b) => phase(a) - phase(b));
    for (const operation of ordered) {
      const path = operation.split(' ')[1];
      const row = LEGEND[ACCESS_TABLE[operation]];
      const perOwner = row.some((cell) => cell === 'own' || cell === 'own403');
      const cellsOf = pathsFor(f, path, perOwner).flatMap(([owner, url]) =>
        CALLERS.map((caller, i) => ({ owner, url, caller, cell: row[i] })),
      );
      const check = async (c: (typeof cellsOf)[number]): Promise<void> => {
        cells++;
        const actual = await call(operation, c.url, c.owner, c.caller);
        const expected = expectedStatus(c.cell, isOwnSide(c.caller, c.owner));
        report.push({ operation, caller: c.caller, owner: c.owner, expected, ...actual });
        const line = `${operation} | ${c.caller} | owner ${c.owner} | expected ${expected} | actual ${actual.status}`;
        const index = KNOWN_FINDINGS.findIndex(
          (k) => k.operation === operation && k.caller === c.caller && k.owner === c.owner,
        );
        if (index >= 0) {
          findingsSeen.add(index);
          if (meets(expected, actual.status))
            failures.push(`${line} | listed in KNOWN_FINDINGS: remove it`);
          else if (actual.status !== KNOWN_FINDINGS[index].actual)
            failures.push(`${line} | KNOWN_FINDINGS says ${KNOWN_FINDINGS[index].actual}`);
        } else if (!meets(expected, actual.status)) {
          failures.push(actual.code ? `${line} ${actual.code}` : line);
        }
      };
      // Reads change nothing: their cells go in parallel. Writes go one at a time.
      if (operation.startsWith('GET ')) await Promise.all(cellsOf.map(check));
      else for (const c of cellsOf) await check(c);
    }
    // MATRIX_REPORT=<file> keeps every cell's answer, for reading the matrix as a whole.
    if (process.env.MATRIX_REPORT)
      writeFileSync(process.env.MATRIX_REPORT, JSON.stringify(report, null, 1));
    KNOWN_FINDINGS.forEach((k, i) => {
      if (!findingsSeen.has(i))
        failures.push(
          `${k.operation} | ${k.caller} | owner ${k.owner} | KNOWN_FINDINGS names no cell`,
        );
    });
    expect(cells).toBeGreaterThan(3000);
    expect(failures).toEqual([]);
  }, 900_000);
});
