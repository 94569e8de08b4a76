import { randomUUID } from 'node:crypto';
import type { EntityManager, ObjectLiteral } from 'typeorm';
import type { Actor } from '../../src/common/auth/auth-context.js';
import { CsrfGuard } from '../../src/common/http/csrf.guard.js';
import { Certificate } from '../../src/modules/certificates/entities/certificate.entity.js';
import { CalendarDay } from '../../src/modules/disputes/entities/calendar-day.entity.js';
import { DisputeAttachment } from '../../src/modules/disputes/entities/dispute-attachment.entity.js';
import { DisputeSession } from '../../src/modules/disputes/entities/dispute-session.entity.js';
import { DisputeTicket } from '../../src/modules/disputes/entities/dispute-ticket.entity.js';
import { MediatorAffiliation } from '../../src/modules/disputes/entities/mediator-affiliation.entity.js';
import { MediatorChallenge } from '../../src/modules/disputes/entities/mediator-challenge.entity.js';
import { MediatorProfile } from '../../src/modules/disputes/entities/mediator-profile.entity.js';
import { Settlement } from '../../src/modules/disputes/entities/settlement.entity.js';
import { DeadlinesService } from '../../src/modules/disputes/deadlines.service.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { FirmChangeRequest } from '../../src/modules/membership/entities/firm-change-request.entity.js';
import { FirmDocument } from '../../src/modules/membership/entities/firm-document.entity.js';
import { FirmInvitation } from '../../src/modules/membership/entities/firm-invitation.entity.js';
import { FirmLicence } from '../../src/modules/membership/entities/firm-licence.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { MembershipApplication } from '../../src/modules/membership/entities/membership-application.entity.js';
import { MembershipTier } from '../../src/modules/membership/entities/membership-tier.entity.js';
import { Notification } from '../../src/modules/notifications/entities/notification.entity.js';
import { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import { PledgeSignature } from '../../src/modules/pledges/entities/pledge-signature.entity.js';
import { FirmRating } from '../../src/modules/ratings/entities/firm-rating.entity.js';
import { RatingAppeal } from '../../src/modules/ratings/entities/rating-appeal.entity.js';
import { RatingCycle } from '../../src/modules/ratings/entities/rating-cycle.entity.js';
import { RatingDocument } from '../../src/modules/ratings/entities/rating-document.entity.js';
import { RatingSubmission } from '../../src/modules/ratings/entities/rating-submission.entity.js';
import { ReviewerConflict } from '../../src/modules/ratings/entities/reviewer-conflict.entity.js';
import { ScorecardVersion } from '../../src/modules/ratings/entities/scorecard-version.entity.js';
import { User } from '../../src/modules/users/entities/user.entity.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { insertSignedCertificate } from '../factories/certificates-verify.js';
import { publishConvention } from '../factories/conventions.js';
import { createApplication } from '../factories/applications.js';
import {
  createDraftViaApi,
  createMediator,
  daysFromToday,
  FILING_CONSENT,
} from '../factories/disputes.js';
import { apiToken, createFirm, createUser, type CreatedUser } from '../factories/index.js';
import { createInvoice } from '../factories/members.js';
import { signConvention } from '../factories/pledge-lists.js';
import { SAMPLE_PDF } from '../factories/firm-portal.js';
import { openCycle, submissionValues } from '../factories/ratings.js';
import { bearer } from '../helpers/auth-flows.js';
import type { TestApp } from '../helpers/test-app.js';
import type { Caller } from './access-table.js';

/** A caller of the matrix: its account, an API token and a web session (pages). */
export interface MatrixUser extends CreatedUser {
  token: string;
  cookie: string;
}

/** Ids of one owner's records (A or B). */
export interface Realm {
  firmId: string;
  /** The firm's administrator, also its authorised signatory. */
  adminId: string;
  /** A firm_member to remove (DELETE colleagues), so the callers' own accounts survive. */
  spareUserId: string;
  documentId: string;
  licenceId: string;
  changeRequestId: string;
  invitationId: string;
  applicationId: string;
  invoiceId: string;
  signatureId: string;
  ticketId: string;
  attachmentId: string;
  settlementId: string;
  sessionId: string;
  challengeId: string;
  mediatorId: string;
  affiliationId: string;
  notificationId: string;
  submissionId: string;
  ratingDocumentId: string;
  ratingId: string;
  appealId: string;
  appealDocumentId: string;
  certificateId: string;
  serial: string;
}

export interface Fixtures {
  users: Record<Exclude<Caller, 'anonymous'>, MatrixUser>;
  A: Realm;
  B: Realm;
  /** A third member firm, that no caller belongs to. */
  otherFirmId: string;
  conventionDraftId: string;
  scorecardId: string;
  cycleId: string;
  conflictId: string;
  batchId: string;
  calendarDate: string;
  /** Every fixture row, as it was once built: put back after each write that succeeded. */
  restore(): Promise<void>;
  csrfCookie: string;
  csrfToken: string;
}

function ok<T = Record<string, unknown>>(
  what: string,
  res: { status: number; body: unknown },
  status = [200, 201],
): T {
  if (!status.includes(res.status))
    throw new Error(`fixture ${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

async function webSession(t: TestApp, userId: string): Promise<string> {
  const found = await t.app.get(UsersService).findById(userId);
  if (!found) throw new Error('no such user');
  const result = await t.app.get(AuthService).signIn(found, 'web', {});
  return result.token;
}

/** A fresh API token and web session for a user (for operations that end a session). */
export async function freshCredentials(
  t: TestApp,
  user: MatrixUser,
): Promise<{ token: string; cookie: string }> {
  return { token: await apiToken(t, user), cookie: await webSession(t, user.id) };
}

async function matrixUser(t: TestApp, user: CreatedUser): Promise<MatrixUser> {
  return { ...user, ...(await freshCredentials(t, { ...user, token: '', cookie: '' })) };
}

export async function buildFixtures(t: TestApp): Promise<Fixtures> {
  const tx = t.app.get(TransactionService);
  const member: Partial<Firm> = { status: 'active', tier: 'member', memberSince: '2024-01-15' };
  const firmA = await createFirm(t, member);
  const firmB = await createFirm(t, member);
  const firmC = await createFirm(t, member);
  const mk = async (role: CreatedUser['role'], firmId: string | null = null) =>
    matrixUser(t, await createUser(t, { role, firmId }));
  const users = {
    'firmA.admin': await mk('firm_admin', firmA.id),
    'firmA.member': await mk('firm_member', firmA.id),
    'firmB.admin': await mk('firm_admin', firmB.id),
    complainantX: await mk('complainant'),
    complainantY: await mk('complainant'),
    mediatorM1: await matrixUser(t, await createMediator(t)),
    mediatorM2: await matrixUser(t, await createMediator(t)),
    reviewer: await mk('staff_reviewer'),
    admin: await mk('staff_admin'),
  };
  const secondReviewer = await createUser(t, { role: 'staff_reviewer' });
  const secondReviewerToken = await apiToken(t, secondReviewer);
  await tx.run(async (em) => {
    await em.update(Firm, { id: firmA.id }, { signatoryUserId: users['firmA.admin'].id });
    await em.update(Firm, { id: firmB.id }, { signatoryUserId: users['firmB.admin'].id });
  });
  const api = (
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    token: string,
    body?: object,
  ) => {
    const req = t.http[method](`/api/v1${path}`).set(...bearer(token));
    return body ? req.send(body) : req;
  };

  const adminUser = users.admin;
  const staffActor: Actor = {
    id: adminUser.id,
    role: 'staff_admin',
    firmId: null,
    name: 'admin',
    email: adminUser.email,
  };
  const convention = await publishConvention(t, { actor: staffActor });
  const draft = ok<{ id: string }>(
    'convention draft',
    await api('post', '/conventions', adminUser.token, {
      titleZh: '公约修订稿',
      titleEn: 'Convention draft',
      bodyZh: '# 第一条\n\n会员应当守法经营，诚实守信。\n',
      bodyEn: '# Article 1\n\nMembers obey the law.\n',
    }),
  );
  const cycle = await openCycle(t);
  const conflict = ok<{ id: string }>(
    'conflict',
    await api('post', '/ratings/conflicts', users.reviewer.token, {
      firmId: firmC.id,
      note: '曾任该机构顾问。',
    }),
  );
  const calendarDate = '2030-10-08';
  ok(
    'calendar day',
    await api('put', `/disputes/calendar/${calendarDate}`, adminUser.token, {
      kind: 'holiday',
      nameZh: '测试假日',
      nameEn: 'Test holiday',
    }),
  );

  const realm = async (
    firm: Firm,
    admin: MatrixUser,
    complainant: MatrixUser,
    mediator: MatrixUser,
  ): Promise<Realm> => {
    const base = `/firms/${firm.id}`;
    const spare = await createUser(t, { role: 'firm_member', firmId: firm.id });
    const doc = ok<{ id: string }>(
      'firm document',
      await t.http
        .post(`/api/v1${base}/documents`)
        .set(...bearer(admin.token))
        .field('kind', 'articles')
        .attach('file', SAMPLE_PDF, { filename: 'articles.pdf', contentType: 'application/pdf' }),
    );
    const licence = ok<{ id: string }>(
      'licence',
      await api('post', `${base}/licences`, admin.token, {
        type: '支付业务许可证',
        number: `Z${Date.now()}`,
        issuer: '中国人民银行',
        validFrom: '2021-05-03',
        validTo: '2029-05-02',
      }),
    );
    const change = ok<{ id: string }>(
      'change request',
      await api('post', `${base}/change-requests`, admin.token, { legalRepresentative: '赵六' }),
    );
    const invitation = ok<{ id: string }>(
      'invitation',
      await api('post', `${base}/invitations`, admin.token, {
        email: `invitee.${randomUUID().slice(0, 8)}@example.cn`,
        role: 'firm_member',
      }),
    );
    const application = await createApplication(t, firm.id, 'draft');
    const invoice = await createInvoice(t, firm.id, { amountFen: 1_000_000, paidFen: 100_000 });
    const signatoryName = (await t.dataSource.getRepository(User).findOneByOrFail({ id: admin.id }))
      .name;
    await signConvention(
      t,
      {
        firm,
        signatory: { ...admin, name: signatoryName },
        actor: {
          id: admin.id,
          role: 'firm_admin',
          firmId: firm.id,
          name: signatoryName,
          email: admin.email,
        },
      },
      convention,
    );
    const signature = await t.dataSource
      .getRepository(PledgeSignature)
      .findOneByOrFail({ firmId: firm.id });

    // The ticket: drafted, evidenced and filed by the complainant, then put in mediation with
    // the mediator's acceptance (straight into the database, as the workflow tests cover it).
    const draftTicket = await createDraftViaApi(t, complainant.token, firm.id);
    const attachment = ok<{ id: string }>(
      'attachment',
      await t.http
        .post(`/api/v1/disputes/tickets/${draftTicket.id}/attachments`)
        .set(...bearer(complainant.token))
        .attach('file', SAMPLE_PDF, { filename: 'evidence.pdf', contentType: 'application/pdf' }),
    );
    ok(
      'filing',
      await api(
        'post',
        `/disputes/tickets/${draftTicket.id}/file`,
        complainant.token,
        FILING_CONSENT,
      ),
    );
    const now = new Date();
    await tx.run(async (em) => {
      await em.update(
        DisputeTicket,
        { id: draftTicket.id },
        {
          state: 'in_mediation',
          mediatorUserId: mediator.id,
          assignment: 'accepted',
          assignedAt: now,
          mediatorAcceptedAt: now,
          mediationStartedAt: now,
          triagedAt: now,
          firmResponse: '我司愿意协商解决。',
          firmRespondedAt: now,
        },
      );
      const ticket = await em.findOneByOrFail(DisputeTicket, { id: draftTicket.id });
      await t.app.get(DeadlinesService).start(em, ticket, 'mediation', now);
    });
    const drafted = ok<{ id: string }>(
      'settlement',
      await api('post', `/disputes/tickets/${draftTicket.id}/settlements`, mediator.token, {
        facts: '平台未告知即收取服务费 1234.56 元。',
        terms: '乙方退还服务费并书面致歉。',
        amount: '1234.56',
        performanceDeadline: daysFromToday(14),
      }),
    );
    ok(
      'settlement sent',
      await api('post', `/disputes/settlements/${drafted.id}/send`, mediator.token, {}),
    );
    const session = ok<{ id: string }>(
      'session',
      await api('post', `/disputes/tickets/${draftTicket.id}/sessions`, mediator.token, {
        startsAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
        durationMinutes: 90,
        mode: 'offline',
        place: '深圳市福田区调解室 3 号',
      }),
    );
    const challenge = ok<{ id: string }>(
      'challenge',
      await api('post', `/disputes/tickets/${draftTicket.id}/challenges`, complainant.token, {
        reason: '调解员曾为该机构代理案件。',
      }),
    );
    const affiliation = ok<{ id: string }>(
      'affiliation',
      await api('post', `/disputes/mediators/${mediator.id}/affiliations`, mediator.token, {
        firmId: firmC.id,
        relation: 'employed',
        endedOn: '2020-12-31',
      }),
    );
    const notificationId = randomUUID();
    await tx.run((em) =>
      em.insert(Notification, {
        id: notificationId,
        userId: complainant.id,
        kind: 'test',
        titleZh: '测试通知',
        titleEn: 'Test notice',
        link: null,
        createdAt: new Date(),
        readAt: null,
      }),
    );

    // Ratings: the firm saves, documents and submits; two reviewers and the admin publish; the
    // firm appeals.
    const cycleBase = `/ratings/cycles/${cycle.id}/submissions/mine`;
    const draftSubmission = ok<{ id: string }>(
      'values',
      await api('put', `${cycleBase}/values`, admin.token, { values: submissionValues() }),
    );
    const ratingDoc = ok<{ id: string }>(
      'rating document',
      await t.http
        .post(`/api/v1/ratings/submissions/${draftSubmission.id}/documents`)
        .set(...bearer(admin.token))
        .attach('file', SAMPLE_PDF, { filename: 'audit.pdf', contentType: 'application/pdf' }),
    );
    const submitted = ok<{ id: string; computedGrade: string }>(
      'submit',
      await api('post', `${cycleBase}/submit`, admin.token),
    );
    const review = `/ratings/submissions/${submitted.id}`;
    ok(
      'propose',
      await api('post', `${review}/propose`, users.reviewer.token, {
        grade: submitted.computedGrade,
      }),
    );
    ok('confirm', await api('post', `${review}/confirm`, secondReviewerToken, {}));
    const rating = ok<{ id: string }>(
      'publish',
      await api('post', `${review}/publish`, adminUser.token, {}),
    );
    const appeal = ok<{ id: string }>(
      'appeal',
      await api('post', `/ratings/ratings/${rating.id}/appeal`, admin.token, {
        reasons: '我司逾期率数据口径有误。',
      }),
    );
    ok(
      'appeal document',
      await t.http
        .post(`/api/v1/ratings/appeals/${appeal.id}/documents`)
        .set(...bearer(admin.token))
        .attach('file', SAMPLE_PDF, { filename: 'appeal.pdf', contentType: 'application/pdf' }),
    );
    const appealDoc = await t.dataSource
      .getRepository(RatingDocument)
      .findOneByOrFail({ appealId: appeal.id });
    const certificate = await insertSignedCertificate(t, firm);

    return {
      firmId: firm.id,
      adminId: admin.id,
      spareUserId: spare.id,
      documentId: doc.id,
      licenceId: licence.id,
      changeRequestId: change.id,
      invitationId: invitation.id,
      applicationId: application.id,
      invoiceId: invoice.id,
      signatureId: signature.id,
      ticketId: draftTicket.id,
      attachmentId: attachment.id,
      settlementId: drafted.id,
      sessionId: session.id,
      challengeId: challenge.id,
      mediatorId: mediator.id,
      affiliationId: affiliation.id,
      notificationId,
      submissionId: submitted.id,
      ratingDocumentId: ratingDoc.id,
      ratingId: rating.id,
      appealId: appeal.id,
      appealDocumentId: appealDoc.id,
      certificateId: certificate.row.id,
      serial: certificate.row.serial,
    };
  };

  const A = await realm(firmA, users['firmA.admin'], users.complainantX, users.mediatorM1);
  const B = await realm(firmB, users['firmB.admin'], users.complainantY, users.mediatorM2);
  const batch = ok<{ id: string }>(
    'certificate batch',
    await api('post', '/certificate-batches', adminUser.token, { kind: 'pledge' }),
    [200, 201, 202],
  );

  // What restore() puts back: every row the cells may change or remove.
  const snapshot: Array<[new () => ObjectLiteral, ObjectLiteral[]]> = [];
  const keep = async <E extends ObjectLiteral>(
    entity: new () => E,
    where: Record<string, unknown>[],
  ): Promise<void> => {
    const rows = await t.dataSource.getRepository(entity).find({ where } as never);
    snapshot.push([entity, rows]);
  };
  const both = <K extends keyof Realm>(key: K) => [{ id: A[key] }, { id: B[key] }];
  await keep(Firm, [{ id: firmA.id }, { id: firmB.id }]);
  await keep(User, [
    ...Object.values(users).map((u) => ({ id: u.id })),
    { id: A.spareUserId },
    { id: B.spareUserId },
  ]);
  await keep(FirmDocument, both('documentId'));
  await keep(FirmLicence, both('licenceId'));
  await keep(FirmChangeRequest, both('changeRequestId'));
  await keep(FirmInvitation, both('invitationId'));
  await keep(MembershipApplication, both('applicationId'));
  await keep(Invoice, both('invoiceId'));
  await keep(MembershipTier, [{ code: 'member' }]);
  await keep(PledgeSignature, both('signatureId'));
  await keep(ConventionVersion, [{ id: draft.id }, { id: convention.id }]);
  await keep(DisputeTicket, both('ticketId'));
  await keep(DisputeAttachment, both('attachmentId'));
  await keep(Settlement, both('settlementId'));
  await keep(DisputeSession, both('sessionId'));
  await keep(MediatorChallenge, both('challengeId'));
  await keep(MediatorProfile, [{ userId: A.mediatorId }, { userId: B.mediatorId }]);
  await keep(MediatorAffiliation, both('affiliationId'));
  await keep(Notification, both('notificationId'));
  await keep(CalendarDay, [{ date: calendarDate }]);
  await keep(ScorecardVersion, [{ number: 1 }]);
  await keep(RatingCycle, [{ id: cycle.id }]);
  await keep(RatingSubmission, both('submissionId'));
  await keep(RatingDocument, [...both('ratingDocumentId'), ...both('appealDocumentId')]);
  await keep(FirmRating, both('ratingId'));
  await keep(RatingAppeal, both('appealId'));
  await keep(ReviewerConflict, [{ id: conflict.id }]);
  await keep(Certificate, both('certificateId'));

  const seed = 'matrixcsrfseedmatrixcsrfseed0000';
  return {
    users,
    A,
    B,
    otherFirmId: firmC.id,
    conventionDraftId: draft.id,
    scorecardId: (await t.dataSource.getRepository(ScorecardVersion).findOneByOrFail({ number: 1 }))
      .id,
    cycleId: cycle.id,
    conflictId: conflict.id,
    batchId: batch.id,
    calendarDate,
    csrfCookie: seed,
    csrfToken: t.app.get(CsrfGuard).tokenFor(seed),
    async restore() {
      await tx.run(async (em: EntityManager) => {
        for (const [entity, rows] of snapshot) {
          const keys = t.dataSource.getMetadata(entity).primaryColumns.map((c) => c.propertyName);
          await em.upsert(entity, rows, keys);
        }
      });
    },
  };
}
