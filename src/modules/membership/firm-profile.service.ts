import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import {
  CommonError,
  ValidationFailed,
  type FieldError,
} from '../../common/errors/domain-error.js';
import { beijingDate, isCalendarDate } from '../../common/time/beijing.js';
import { fieldError } from '../../common/views/form-errors.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { CATEGORY_KEYS, type Category } from './categories.js';
import { creditCodeProblem, normaliseCreditCode } from './credit-code.js';
import type { District } from './districts.js';
import { DocumentsService } from './documents.service.js';
import { formatFen, parseYuanToFen } from './dues.js';
import { FirmCategory } from './entities/firm-category.entity.js';
import {
  FirmChangeRequest,
  type ChangeRequestState,
} from './entities/firm-change-request.entity.js';
import { FirmLicence } from './entities/firm-licence.entity.js';
import { FirmRevision } from './entities/firm-revision.entity.js';
import { FirmStatusEvent } from './entities/firm-status-event.entity.js';
import { Firm } from './entities/firm.entity.js';
import { assertFirmAdmin, firmSearchText } from './firm-access.js';
import { maySeeFirm } from '../../common/auth/roles.js';
import { MembershipError } from './membership.errors.js';

/** Fields the firm edits directly (UpdateFirmProfileDto); undefined leaves one as it is. */
export interface ProfileChanges {
  nameEn?: string | null;
  /** Yuan, e.g. "10000000.00". */
  registeredCapital?: string | null;
  establishedOn?: string | null;
  address?: string | null;
  district?: District;
  website?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  categories?: Category[];
}

/** New values of the reviewed fields. */
export interface ReviewedChanges {
  name?: string;
  creditCode?: string;
  legalRepresentative?: string;
}

export interface NewLicence {
  type: string;
  number: string;
  issuer: string;
  validFrom: string;
  validTo?: string | null;
}

export interface LicenceView {
  id: string;
  type: string;
  number: string;
  issuer: string;
  validFrom: string;
  validTo: string | null;
}

/** The whole firm record as its own users and staff see it. */
export interface FirmProfileView {
  id: string;
  name: string;
  nameEn: string | null;
  creditCode: string;
  legalRepresentative: string | null;
  registeredCapitalFen: number | null;
  /** Formatted yuan, "10,000,000.00", or null. */
  registeredCapital: string | null;
  establishedOn: string | null;
  address: string | null;
  district: string;
  website: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  status: string;
  tier: string | null;
  memberSince: string | null;
  suspendedUntil: string | null;
  signatoryUserId: string | null;
  categories: string[];
  licences: LicenceView[];
  updatedAt: string;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface RevisionView {
  id: string;
  changedAt: string;
  actorId: string | null;
  kind: string;
  changes: FieldChange[];
}

export interface StatusEventView {
  id: string;
  status: string;
  reasonCategory: string | null;
  reason: string | null;
  decisionRef: string | null;
  until: string | null;
  effectiveAt: string;
}

export interface FirmHistory {
  revisions: RevisionView[];
  statusEvents: StatusEventView[];
}

export interface ChangeRequestView {
  id: string;
  firmId: string;
  changes: Record<string, string>;
  state: ChangeRequestState;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
}

/** ProfileChanges checked and normalised: trimmed text, money in fen, categories in order. */
interface CheckedProfile {
  nameEn?: string | null;
  establishedOn?: string | null;
  address?: string | null;
  website?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  district?: District;
  registeredCapitalFen?: number | null;
  categories?: Category[];
}

/** How many revisions the history shows; older ones stay in the database and the audit trail. */
export const HISTORY_LIMIT = 200;
export const CHANGE_REQUEST_LIST_LIMIT = 200;

const REVIEWED_FIELDS = ['name', 'creditCode', 'legalRepresentative'] as const;
type ReviewedField = (typeof REVIEWED_FIELDS)[number];

/** Firm columns set from ProfileChanges, besides registeredCapital and categories. */
const TEXT_FIELDS = [
  'nameEn',
  'establishedOn',
  'address',
  'website',
  'contactName',
  'contactPhone',
  'contactEmail',
] as const;

export function toLicenceView(licence: FirmLicence): LicenceView {
  return {
    id: licence.id,
    type: licence.type,
    number: licence.number,
    issuer: licence.issuer,
    validFrom: licence.validFrom,
    validTo: licence.validTo,
  };
}

export function toChangeRequestView(request: FirmChangeRequest): ChangeRequestView {
  return {
    id: request.id,
    firmId: request.firmId,
    changes: JSON.parse(request.changes) as Record<string, string>,
    state: request.state,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt.toISOString(),
    decidedBy: request.decidedBy,
    decidedAt: request.decidedAt?.toISOString() ?? null,
    comment: request.comment,
  };
}

/** What a revision keeps of a licence: everything but its id. */
function licenceFacts(licence: FirmLicence): Omit<LicenceView, 'id'> {
  return {
    type: licence.type,
    number: licence.number,
    issuer: licence.issuer,
    validFrom: licence.validFrom,
    validTo: licence.validTo,
  };
}

function toRevisionView(revision: FirmRevision): RevisionView {
  const changes = JSON.parse(revision.changes) as Record<string, { from: unknown; to: unknown }>;
  return {
    id: revision.id,
    changedAt: revision.changedAt.toISOString(),
    actorId: revision.actorId,
    kind: revision.kind,
    changes: Object.entries(changes).map(([field, change]) => ({ field, ...change })),
  };
}

function toStatusEventView(event: FirmStatusEvent): StatusEventView {
  return {
    id: event.id,
    status: event.status,
    reasonCategory: event.reasonCategory,
    reason: event.reason,
    decisionRef: event.decisionRef,
    until: event.until,
    effectiveAt: event.effectiveAt.toISOString(),
  };
}

/** Only staff decide change requests; a firm user of another firm learns nothing. */
function assertReviewer(actor: Actor, firmId: string): void {
  if (isStaff(actor.role)) return;
  if (maySeeFirm(actor, firmId)) throw new CommonError('FORBIDDEN');
  throw new MembershipError('CHANGE_REQUEST_NOT_FOUND');
}

/** '' and whitespace become null: a cleared field is empty, never blank. */
function cleanText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function creditCodeError(problem: NonNullable<ReturnType<typeof creditCodeProblem>>): FieldError {
  const reason = {
    LENGTH: ['必须是 18 位', 'must have 18 characters'],
    CHARACTERS: [
      '含有不允许的字符（只允许数字和除 I、O、S、V、Z 以外的大写字母）',
      'contains characters that are not allowed (digits and capitals other than I, O, S, V, Z)',
    ],
    CHECK_CHARACTER: [
      '校验位不符，请逐位核对',
      'has a check character that does not match; check each character',
    ],
  }[problem];
  return fieldError(
    'creditCode',
    `creditCode.${problem.toLowerCase()}`,
    `统一社会信用代码无效：${reason[0]}。`,
    `The unified social credit code is not valid: it ${reason[1]}.`,
  );
}

/**
 * The firm record (issue 3 §1): the profile the firm edits itself, licences, the change
 * requests for the reviewed fields (legal name, credit code, legal representative), and the
 * history of every change. Each change writes a FirmRevision row ({ field: { from, to } }) and
 * an audit event in the same transaction.
 */
@Injectable()
export class FirmProfileService {
  constructor(
    @InjectRepository(Firm) private readonly firms: Repository<Firm>,
    @InjectRepository(FirmCategory) private readonly categories: Repository<FirmCategory>,
    @InjectRepository(FirmLicence) private readonly licences: Repository<FirmLicence>,
    @InjectRepository(FirmRevision) private readonly revisions: Repository<FirmRevision>,
    @InjectRepository(FirmStatusEvent) private readonly statusEvents: Repository<FirmStatusEvent>,
    @InjectRepository(FirmChangeRequest)
    private readonly changeRequests: Repository<FirmChangeRequest>,
    private readonly documents: DocumentsService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  /**
   * What the firm still has to fill in before its application can go to (or through) review:
   * stable codes such as 'legalRepresentative' or 'document.business_licence', empty when complete.
   */
  async completenessProblems(firmId: string): Promise<string[]> {
    const firm = await this.firms.findOneBy({ id: firmId });
    if (!firm) throw new MembershipError('FIRM_NOT_FOUND');
    const problems: string[] = [];
    const blank = (value: string | null): boolean => value === null || value.trim() === '';
    if (blank(firm.legalRepresentative)) problems.push('legalRepresentative');
    if (firm.registeredCapitalFen === null) problems.push('registeredCapital');
    if (blank(firm.establishedOn)) problems.push('establishedOn');
    if (blank(firm.address)) problems.push('address');
    if (blank(firm.contactName)) problems.push('contactName');
    if (blank(firm.contactPhone)) problems.push('contactPhone');
    if (blank(firm.contactEmail)) problems.push('contactEmail');
    if ((await this.categories.countBy({ firmId })) === 0) problems.push('categories');
    if (!(await this.documents.hasDocument(firmId, 'business_licence')))
      problems.push('document.business_licence');
    return problems;
  }

  async profile(actor: Actor, firmId: string): Promise<FirmProfileView> {
    const firm = await this.visibleFirm(actor, firmId);
    const [categories, licences] = await Promise.all([
      this.categoriesOf(firmId),
      this.licences.find({ where: { firmId }, order: { validFrom: 'ASC', createdAt: 'ASC' } }),
    ]);
    return {
      id: firm.id,
      name: firm.name,
      nameEn: firm.nameEn,
      creditCode: firm.creditCode,
      legalRepresentative: firm.legalRepresentative,
      registeredCapitalFen: firm.registeredCapitalFen,
      registeredCapital:
        firm.registeredCapitalFen === null ? null : formatFen(firm.registeredCapitalFen),
      establishedOn: firm.establishedOn,
      address: firm.address,
      district: firm.district,
      website: firm.website,
      contactName: firm.contactName,
      contactPhone: firm.contactPhone,
      contactEmail: firm.contactEmail,
      status: firm.status,
      tier: firm.tier,
      memberSince: firm.memberSince,
      suspendedUntil: firm.suspendedUntil,
      signatoryUserId: firm.signatoryUserId,
      categories,
      licences: licences.map(toLicenceView),
      updatedAt: firm.updatedAt.toISOString(),
    };
  }

  /**
   * The firm_admin edits the fields that need no review. Only fields that really change are
   * written and recorded; a body that changes nothing writes nothing.
   */
  async updateProfile(
    actor: Actor,
    firmId: string,
    input: ProfileChanges,
    meta: Partial<RequestMeta> = {},
  ): Promise<FirmProfileView> {
    assertFirmAdmin(actor, firmId);
    const wanted = this.checkProfileInput(input);
    await this.tx.run(async (manager) => {
      const firm = await this.lockedFirm(manager, firmId);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const columns: Partial<Firm> = {};
      for (const field of TEXT_FIELDS) {
        if (!(field in wanted)) continue;
        const to = wanted[field] ?? null;
        if (firm[field] !== to) {
          changes[field] = { from: firm[field], to };
          columns[field] = to;
        }
      }
      if (wanted.district !== undefined && wanted.district !== firm.district) {
        changes.district = { from: firm.district, to: wanted.district };
        columns.district = wanted.district;
      }
      if (
        wanted.registeredCapitalFen !== undefined &&
        wanted.registeredCapitalFen !== firm.registeredCapitalFen
      ) {
        changes.registeredCapitalFen = {
          from: firm.registeredCapitalFen,
          to: wanted.registeredCapitalFen,
        };
        columns.registeredCapitalFen = wanted.registeredCapitalFen;
      }
      if (columns.nameEn !== undefined)
        columns.searchText = firmSearchText(firm.name, columns.nameEn);
      if (wanted.categories !== undefined) {
        const current = await this.categoriesOf(firmId, manager);
        if (!sameList(current, wanted.categories)) {
          changes.categories = { from: current, to: wanted.categories };
          await manager.delete(FirmCategory, { firmId });
          if (wanted.categories.length > 0)
            await manager.insert(
              FirmCategory,
              wanted.categories.map((category) => ({ firmId, category })),
            );
        }
      }
      if (Object.keys(changes).length === 0) return;
      await updateVersioned(manager, Firm, firm.id, firm.version, {
        ...columns,
        updatedAt: new Date(),
      });
      await this.recordRevision(manager, firmId, actor.id, 'edit', changes);
      await this.audit.record(manager, {
        actor,
        action: 'membership.firm_profile_edited',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { fields: Object.keys(changes) },
        meta,
      });
    });
    return this.profile(actor, firmId);
  }

  async addLicence(
    actor: Actor,
    firmId: string,
    input: NewLicence,
    meta: Partial<RequestMeta> = {},
  ): Promise<LicenceView> {
    assertFirmAdmin(actor, firmId);
    const validTo = cleanText(input.validTo);
    const problems: FieldError[] = [];
    if (!isCalendarDate(input.validFrom))
      problems.push(
        fieldError('validFrom', 'isCalendarDate', '起始日期不是有效日期。', 'Not a valid date.'),
      );
    if (validTo !== null && !isCalendarDate(validTo))
      problems.push(
        fieldError('validTo', 'isCalendarDate', '截止日期不是有效日期。', 'Not a valid date.'),
      );
    if (problems.length > 0) throw new ValidationFailed(problems);
    if (validTo !== null && validTo < input.validFrom)
      throw new MembershipError('LICENCE_DATES_INVALID');
    return this.tx.run(async (manager) => {
      await this.lockedFirm(manager, firmId);
      const licence = manager.create(FirmLicence, {
        id: randomUUID(),
        firmId,
        type: input.type.trim(),
        number: input.number.trim(),
        issuer: input.issuer.trim(),
        validFrom: input.validFrom,
        validTo,
        createdAt: new Date(),
      });
      await manager.insert(FirmLicence, licence);
      await this.recordRevision(manager, firmId, actor.id, 'edit', {
        licence: { from: null, to: licenceFacts(licence) },
      });
      await this.audit.record(manager, {
        actor,
        action: 'membership.licence_added',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { licenceId: licence.id, type: licence.type, number: licence.number },
        meta,
      });
      return toLicenceView(licence);
    });
  }

  async removeLicence(
    actor: Actor,
    firmId: string,
    licenceId: string,
    meta: Partial<RequestMeta> = {},
  ): Promise<void> {
    assertFirmAdmin(actor, firmId);
    await this.tx.run(async (manager) => {
      await this.lockedFirm(manager, firmId);
      const licence = await manager.findOneBy(FirmLicence, { id: licenceId, firmId });
      if (!licence) throw new MembershipError('LICENCE_NOT_FOUND');
      await manager.delete(FirmLicence, { id: licence.id });
      // The revision keeps what the licence said: the row itself is gone.
      await this.recordRevision(manager, firmId, actor.id, 'edit', {
        licence: { from: licenceFacts(licence), to: null },
      });
      await this.audit.record(manager, {
        actor,
        action: 'membership.licence_removed',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { licenceId: licence.id, type: licence.type, number: licence.number },
        meta,
      });
    });
  }

  /** The firm's revisions (newest first) and its public status events. */
  async history(actor: Actor, firmId: string): Promise<FirmHistory> {
    await this.visibleFirm(actor, firmId);
    const [revisions, events] = await Promise.all([
      this.revisions.find({
        where: { firmId },
        order: { changedAt: 'DESC', id: 'ASC' },
        take: HISTORY_LIMIT,
      }),
      this.statusEvents.find({ where: { firmId }, order: { effectiveAt: 'DESC', id: 'ASC' } }),
    ]);
    return {
      revisions: revisions.map(toRevisionView),
      statusEvents: events.map(toStatusEventView),
    };
  }

  /**
   * Files a change of the reviewed fields. Staff decide it; while the firm is still an applicant
   * it is applied at once, because staff review the whole record with the application (and a
   * newly registered firm must be able to complete it before applying).
   */
  async requestChange(
    actor: Actor,
    firmId: string,
    input: ReviewedChanges,
    meta: Partial<RequestMeta> = {},
  ): Promise<ChangeRequestView> {
    assertFirmAdmin(actor, firmId);
    const wanted: Partial<Record<ReviewedField, string>> = {};
    if (input.name !== undefined) wanted.name = input.name.trim();
    if (input.legalRepresentative !== undefined)
      wanted.legalRepresentative = input.legalRepresentative.trim();
    if (input.creditCode !== undefined) {
      const problem = creditCodeProblem(input.creditCode);
      if (problem)
        throw new MembershipError('CREDIT_CODE_INVALID', {
          reason: problem,
          errors: [creditCodeError(problem)],
        });
      wanted.creditCode = normaliseCreditCode(input.creditCode);
    }
    return this.tx.run(async (manager) => {
      const firm = await this.lockedFirm(manager, firmId);
      const changes: Partial<Record<ReviewedField, string>> = {};
      for (const field of REVIEWED_FIELDS) {
        const value = wanted[field];
        if (value !== undefined && value !== '' && value !== firm[field]) changes[field] = value;
      }
      if (Object.keys(changes).length === 0) throw new MembershipError('CHANGE_REQUEST_EMPTY');
      if (changes.creditCode) await this.assertCreditCodeFree(manager, changes.creditCode, firmId);
      const now = new Date();
      // Touching the firm's version makes two requests filed at once conflict (409), so the
      // check below cannot let two pending requests in side by side.
      await updateVersioned(manager, Firm, firm.id, firm.version, { updatedAt: now });
      firm.version += 1;
      if (await manager.existsBy(FirmChangeRequest, { firmId, state: 'pending' }))
        throw new MembershipError('CHANGE_REQUEST_PENDING');
      const request = manager.create(FirmChangeRequest, {
        id: randomUUID(),
        firmId,
        changes: JSON.stringify(changes),
        state: 'pending',
        requestedBy: actor.id,
        requestedAt: now,
        decidedBy: null,
        decidedAt: null,
        comment: null,
        version: 1,
      });
      await manager.insert(FirmChangeRequest, request);
      await this.audit.record(manager, {
        actor,
        action: 'membership.firm_change_requested',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { changeRequestId: request.id, fields: Object.keys(changes) },
        meta,
      });
      if (firm.status !== 'applicant') return toChangeRequestView(request);
      await this.applyChange(manager, firm, request, null, 'applicant_change');
      await updateVersioned(manager, FirmChangeRequest, request.id, request.version, {
        state: 'approved',
        decidedAt: now,
      });
      await this.audit.record(manager, {
        actor,
        action: 'membership.firm_change_applied',
        subjectType: 'firm',
        subjectId: firmId,
        summary: {
          changeRequestId: request.id,
          fields: Object.keys(changes),
          reason: 'applicant',
        },
        meta,
      });
      const applied = await manager.findOneByOrFail(FirmChangeRequest, { id: request.id });
      return toChangeRequestView(applied);
    });
  }

  /** The firm's change requests, newest first (its users and staff). */
  async changeRequestsOf(actor: Actor, firmId: string): Promise<ChangeRequestView[]> {
    await this.visibleFirm(actor, firmId);
    const rows = await this.changeRequests.find({
      where: { firmId },
      order: { requestedAt: 'DESC', id: 'ASC' },
      take: CHANGE_REQUEST_LIST_LIMIT,
    });
    return rows.map(toChangeRequestView);
  }

  /** The staff queue: change requests in one state (pending by default), oldest first. */
  async changeRequestQueue(state: ChangeRequestState = 'pending'): Promise<ChangeRequestView[]> {
    const rows = await this.changeRequests.find({
      where: { state },
      order: { requestedAt: state === 'pending' ? 'ASC' : 'DESC', id: 'ASC' },
      take: CHANGE_REQUEST_LIST_LIMIT,
    });
    return rows.map(toChangeRequestView);
  }

  /** Staff approve: the change is applied, revisioned and audited in one transaction. */
  async approveChange(
    actor: Actor,
    firmId: string,
    requestId: string,
    comment: string | null,
    meta: Partial<RequestMeta> = {},
  ): Promise<ChangeRequestView> {
    assertReviewer(actor, firmId);
    return this.tx.run(async (manager) => {
      const request = await this.pendingRequest(manager, actor, firmId, requestId);
      const firm = await this.lockedFirm(manager, firmId);
      const changes = JSON.parse(request.changes) as Partial<Record<ReviewedField, string>>;
      if (changes.creditCode) {
        // Checked again: another firm may have registered the code since the request was filed.
        const problem = creditCodeProblem(changes.creditCode);
        if (problem) throw new MembershipError('CREDIT_CODE_INVALID', { reason: problem });
        await this.assertCreditCodeFree(manager, changes.creditCode, firmId);
      }
      await updateVersioned(manager, FirmChangeRequest, request.id, request.version, {
        state: 'approved',
        decidedBy: actor.id,
        decidedAt: new Date(),
        comment: cleanText(comment),
      });
      const applied = await this.applyChange(manager, firm, request, actor.id, 'reviewed_change');
      await this.audit.record(manager, {
        actor,
        action: 'membership.firm_change_approved',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { changeRequestId: request.id, changes: applied },
        meta,
      });
      return toChangeRequestView(
        await manager.findOneByOrFail(FirmChangeRequest, { id: request.id }),
      );
    });
  }

  async rejectChange(
    actor: Actor,
    firmId: string,
    requestId: string,
    comment: string,
    meta: Partial<RequestMeta> = {},
  ): Promise<ChangeRequestView> {
    assertReviewer(actor, firmId);
    return this.tx.run(async (manager) => {
      const request = await this.pendingRequest(manager, actor, firmId, requestId);
      await updateVersioned(manager, FirmChangeRequest, request.id, request.version, {
        state: 'rejected',
        decidedBy: actor.id,
        decidedAt: new Date(),
        comment: comment.trim(),
      });
      await this.audit.record(manager, {
        actor,
        action: 'membership.firm_change_rejected',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { changeRequestId: request.id },
        meta,
      });
      return toChangeRequestView(
        await manager.findOneByOrFail(FirmChangeRequest, { id: request.id }),
      );
    });
  }

  /** The firm withdraws its own pending request. */
  async withdrawChange(
    actor: Actor,
    firmId: string,
    requestId: string,
    meta: Partial<RequestMeta> = {},
  ): Promise<ChangeRequestView> {
    assertFirmAdmin(actor, firmId);
    return this.tx.run(async (manager) => {
      const request = await this.pendingRequest(manager, actor, firmId, requestId);
      await updateVersioned(manager, FirmChangeRequest, request.id, request.version, {
        state: 'withdrawn',
        decidedAt: new Date(),
      });
      await this.audit.record(manager, {
        actor,
        action: 'membership.firm_change_withdrawn',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { changeRequestId: request.id },
        meta,
      });
      return toChangeRequestView(
        await manager.findOneByOrFail(FirmChangeRequest, { id: request.id }),
      );
    });
  }

  /**
   * Sets the authorised signatory inside the caller's transaction (ColleaguesService checks who
   * may be one) and records the revision.
   */
  async setSignatory(
    manager: EntityManager,
    firmId: string,
    userId: string | null,
    actorId: string | null,
  ): Promise<{ from: string | null; to: string | null }> {
    const firm = await this.lockedFirm(manager, firmId);
    const change = { from: firm.signatoryUserId, to: userId };
    if (change.from === change.to) return change;
    await updateVersioned(manager, Firm, firm.id, firm.version, {
      signatoryUserId: userId,
      updatedAt: new Date(),
    });
    await this.recordRevision(manager, firmId, actorId, 'edit', { signatoryUserId: change });
    return change;
  }

  /**
   * The firm, read inside the transaction for a change that follows and locked until it ends
   * (TransactionService.rowLock), so that edits of one firm queue instead of failing each other's
   * version check.
   */
  async lockedFirm(manager: EntityManager, firmId: string): Promise<Firm> {
    const firm = await manager.findOne(Firm, {
      where: { id: firmId },
      ...this.tx.rowLock,
    });
    if (!firm) throw new MembershipError('FIRM_NOT_FOUND');
    return firm;
  }

  private async visibleFirm(actor: Actor, firmId: string): Promise<Firm> {
    const firm = maySeeFirm(actor, firmId) ? await this.firms.findOneBy({ id: firmId }) : null;
    if (!firm) throw new MembershipError('FIRM_NOT_FOUND');
    return firm;
  }

  private async categoriesOf(firmId: string, manager?: EntityManager): Promise<Category[]> {
    const rows = await (manager ?? this.categories.manager).find(FirmCategory, {
      where: { firmId },
    });
    const held = new Set(rows.map((row) => row.category));
    // The catalogue's order, so that lists compare and display the same way every time.
    return CATEGORY_KEYS.filter((key) => held.has(key));
  }

  /** Validates what class-validator cannot (real dates, exact money) and normalises the rest. */
  private checkProfileInput(input: ProfileChanges): CheckedProfile {
    const problems: FieldError[] = [];
    const out: CheckedProfile = {};
    for (const field of TEXT_FIELDS) {
      if (input[field] !== undefined) out[field] = cleanText(input[field]);
    }
    if (out.contactEmail) out.contactEmail = out.contactEmail.toLowerCase();
    if (out.establishedOn) {
      if (!isCalendarDate(out.establishedOn))
        problems.push(
          fieldError(
            'establishedOn',
            'isCalendarDate',
            '成立日期不是有效日期。',
            'The date of establishment is not a valid date.',
          ),
        );
      else if (out.establishedOn > beijingDate(new Date()))
        problems.push(
          fieldError(
            'establishedOn',
            'notFuture',
            '成立日期不能晚于今天。',
            'The date of establishment cannot be in the future.',
          ),
        );
    }
    if (input.registeredCapital !== undefined) {
      const text = cleanText(input.registeredCapital);
      const fen = text === null ? null : parseYuanToFen(text);
      if (text !== null && fen === null)
        problems.push(
          fieldError(
            'registeredCapital',
            'isAmount',
            '注册资本应为以元计的金额，最多两位小数。',
            'The registered capital must be an amount in yuan with at most two decimals.',
          ),
        );
      else out.registeredCapitalFen = fen;
    }
    if (input.district !== undefined) out.district = input.district;
    if (input.categories !== undefined) {
      const wanted = new Set(input.categories);
      out.categories = CATEGORY_KEYS.filter((key) => wanted.has(key));
    }
    if (problems.length > 0) throw new ValidationFailed(problems);
    return out;
  }

  private async assertCreditCodeFree(
    manager: EntityManager,
    creditCode: string,
    firmId: string,
  ): Promise<void> {
    const holder = await manager.findOneBy(Firm, { creditCode });
    if (holder && holder.id !== firmId) throw new MembershipError('CREDIT_CODE_TAKEN');
  }

  private async pendingRequest(
    manager: EntityManager,
    actor: Actor,
    firmId: string,
    requestId: string,
  ): Promise<FirmChangeRequest> {
    const request = maySeeFirm(actor, firmId)
      ? await manager.findOneBy(FirmChangeRequest, { id: requestId, firmId })
      : null;
    if (!request) throw new MembershipError('CHANGE_REQUEST_NOT_FOUND');
    if (request.state !== 'pending') throw new MembershipError('CHANGE_REQUEST_NOT_PENDING');
    return request;
  }

  /** Writes a change request's values to the firm; answers { field: { from, to } }. */
  private async applyChange(
    manager: EntityManager,
    firm: Firm,
    request: FirmChangeRequest,
    actorId: string | null,
    kind: string,
  ): Promise<Record<string, { from: unknown; to: unknown }>> {
    const wanted = JSON.parse(request.changes) as Partial<Record<ReviewedField, string>>;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const columns: Partial<Firm> = {};
    for (const field of REVIEWED_FIELDS) {
      const to = wanted[field];
      if (to === undefined || to === firm[field]) continue;
      changes[field] = { from: firm[field], to };
      columns[field] = to;
    }
    if (columns.name !== undefined) columns.searchText = firmSearchText(columns.name, firm.nameEn);
    if (Object.keys(changes).length === 0) return changes;
    await updateVersioned(manager, Firm, firm.id, firm.version, {
      ...columns,
      updatedAt: new Date(),
    });
    await this.recordRevision(manager, firm.id, actorId, kind, changes);
    return changes;
  }

  private async recordRevision(
    manager: EntityManager,
    firmId: string,
    actorId: string | null,
    kind: string,
    changes: Record<string, { from: unknown; to: unknown }>,
  ): Promise<void> {
    await manager.insert(FirmRevision, {
      id: randomUUID(),
      firmId,
      changedAt: new Date(),
      actorId,
      kind,
      changes: JSON.stringify(changes),
    });
  }
}
