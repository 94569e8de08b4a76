import { createHash, randomUUID } from 'node:crypto';
import { Injectable, InternalServerErrorException, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { LessThan } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { DomainEvents } from '../../common/events/domain-events.js';
import { beijingDate, beijingYear } from '../../common/time/beijing.js';
import { AppConfig } from '../../config/app-config.js';
import { SequenceService } from '../../database/sequence.service.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import type { Firm } from '../membership/entities/firm.entity.js';
import { ConventionsService } from '../pledges/conventions.service.js';
import { ObligationsService } from '../pledges/obligations.service.js';
import { SignaturesService } from '../pledges/signatures.service.js';
import { DuesService } from '../membership/dues.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { RatingsQueryService } from '../ratings/ratings-query.service.js';
import { SigningKeysService } from '../signing/signing-keys.service.js';
import { certificatePayload } from './certificate-payload.js';
import { CertificatesError } from './certificates.errors.js';
import { Certificate, type CertificateStatus } from './entities/certificate.entity.js';
import {
  CERTIFICATE_KINDS,
  SERIAL_TYPES,
  type CertificateFactsByKind,
  type CertificateKind,
  type HolderFacts,
} from './pdf/certificate-facts.js';
import { CertificateRenderer } from './pdf/certificate-renderer.js';

const STAFF = new Set(['staff_admin', 'staff_reviewer']);
/** Allocates each certificate's bit in the revocation status list, in issue order. */
const STATUS_INDEX_SEQUENCE = 'certificate-status-index';
const PAGE_MAX = 100;

/** A certificate as the API shows it: times ISO 8601 UTC, facts parsed. */
export interface CertificateView {
  id: string;
  serial: string;
  kind: CertificateKind;
  firmId: string;
  subjectKey: string;
  facts: unknown;
  issuedOn: string;
  expiresOn: string;
  verifyUrl: string;
  payload: string;
  kid: string;
  signature: string;
  pdfSha256: string;
  status: CertificateStatus;
  revokedAt: string | null;
  revokedReason: string | null;
  revokedNote: string | null;
  issuedAt: string;
}

export interface CertificateQuery {
  firmId?: string;
  kind?: string;
  status?: string;
  limit?: number;
  /** Keyset cursor: the serial of the last item of the previous page. */
  cursor?: string;
}

export interface CertificatePage {
  items: CertificateView[];
  nextCursor: string | null;
}

/** The record a certificate is issued from, once found eligible. */
export interface Eligible<K extends CertificateKind> {
  kind: K;
  firmId: string;
  subjectKey: string;
  year: number;
  expiresOn: string;
  facts: CertificateFactsByKind[K];
}

export function toCertificateView(c: Certificate): CertificateView {
  return {
    id: c.id,
    serial: c.serial,
    kind: c.kind,
    firmId: c.firmId,
    subjectKey: c.subjectKey,
    facts: JSON.parse(c.facts) as unknown,
    issuedOn: c.issuedOn,
    expiresOn: c.expiresOn,
    verifyUrl: c.verifyUrl,
    payload: c.payload,
    kid: c.kid,
    signature: c.signature,
    pdfSha256: c.pdfSha256,
    status: c.status,
    revokedAt: c.revokedAt?.toISOString() ?? null,
    revokedReason: c.revokedReason,
    revokedNote: c.revokedNote,
    issuedAt: c.issuedAt.toISOString(),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const text =
    error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code)}` : '';
  return /UNIQUE|duplicate key|23505/i.test(text);
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function holderOf(firm: Firm): HolderFacts {
  return { firmNameZh: firm.name, firmNameEn: firm.nameEn, creditCode: firm.creditCode };
}

function notEligible(reason: string): CertificatesError {
  return new CertificatesError('NOT_ELIGIBLE', { reason });
}

/** What one issuance did: made a certificate, or found the fact already certified. */
export interface IssueOutcome {
  outcome: 'issued' | 'existing';
  certificate: Certificate;
}

export interface IssueOptions {
  /** Membership only: the year certified (this year, or next year once its dues are settled). */
  year?: number;
  /**
   * Bulk issuance: a fact that ever had a certificate (valid or revoked) is left alone, so that
   * a batch never resurrects what staff revoked. Single issuance reissues after a revocation.
   */
  onceEver?: boolean;
  /**
   * Runs inside the issuing transaction once the certificate is inserted (bulk issuance records
   * its item there, so that the two commit together); throwing rolls the issuance back.
   */
  onIssued?: (manager: EntityManager, certificate: Certificate) => Promise<void>;
}

/** The revocation reason for a pledge certificate whose signature a newer version superseded. */
export const PLEDGE_SUPERSEDED = 'pledges.superseded';

export function isCertificateKind(value: unknown): value is CertificateKind {
  return typeof value === 'string' && (CERTIFICATE_KINDS as readonly string[]).includes(value);
}

/**
 * Issuance and revocation of certificates (issue 7). One certificate per subject key: issuing
 * again, by hand or in a race, returns the first. Automatic revocation follows the facts:
 * expulsion or lapse ends membership certificates; expiry, withdrawal or a changed appeal ends
 * the rating's certificate; a pledge signature superseded by a newer convention version ends its
 * certificate once the newer version's signing deadline has passed (daily job).
 */
@Injectable()
export class CertificatesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tx: TransactionService,
    private readonly sequences: SequenceService,
    private readonly audit: AuditService,
    private readonly keys: SigningKeysService,
    private readonly renderer: CertificateRenderer,
    private readonly signatures: SignaturesService,
    private readonly conventions: ConventionsService,
    private readonly ratings: RatingsQueryService,
    private readonly obligations: ObligationsService,
    private readonly dues: DuesService,
    private readonly firms: FirmsService,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    for (const name of ['membership.expelled', 'membership.lapsed'] as const) {
      this.events.on(name, ({ firmId }, manager) =>
        this.revokeWhere(manager, { firmId, kind: 'membership', status: 'valid' }, name),
      );
    }
    for (const name of ['ratings.expired', 'ratings.withdrawn', 'ratings.changed'] as const) {
      this.events.on(name, ({ ratingId }, manager) =>
        this.revokeWhere(
          manager,
          { kind: 'rating', subjectKey: `rating:${ratingId}`, status: 'valid' },
          name,
        ),
      );
    }
  }

  async issue(
    actor: Actor,
    kind: unknown,
    subjectId: unknown,
    options: IssueOptions = {},
  ): Promise<CertificateView> {
    return toCertificateView((await this.issueOne(actor, kind, subjectId, options)).certificate);
  }

  /**
   * Issues one certificate, or finds the one the fact already has. Eligibility is refused with
   * NOT_ELIGIBLE and a reason code (firm_suspended, dues_unpaid, rating_under_appeal, ...).
   */
  async issueOne(
    actor: Actor,
    kind: unknown,
    subjectId: unknown,
    options: IssueOptions = {},
  ): Promise<IssueOutcome> {
    if (!STAFF.has(actor.role)) throw new CommonError('FORBIDDEN');
    if (!isCertificateKind(kind)) throw new CertificatesError('KIND_INVALID');
    if (typeof subjectId !== 'string' || subjectId.length === 0 || subjectId.length > 64)
      throw notEligible('subject_not_found');
    const now = new Date();
    const eligible = await this.eligible(kind, subjectId, now, options.year);
    const existing = await this.findBySubject(kind, eligible.subjectKey, options.onceEver);
    if (existing) return { outcome: 'existing', certificate: existing };
    try {
      const certificate = await this.tx.run(async (m) => {
        const created = await this.create(m, actor, eligible, now);
        await options.onIssued?.(m, created);
        return created;
      });
      return { outcome: 'issued', certificate };
    } catch (error) {
      // Two issuances of the same subject at once: the unique index keeps the first.
      if (!isUniqueViolation(error)) throw error;
      const first = await this.findBySubject(kind, eligible.subjectKey);
      if (!first) throw error;
      return { outcome: 'existing', certificate: first };
    }
  }

  /**
   * The subject a page's firm picker means: membership the firm itself, rating its current
   * rating, pledge its signature of the convention in force.
   */
  async subjectFor(kind: CertificateKind, firmId: string): Promise<string> {
    if (kind === 'membership') return firmId;
    if (kind === 'rating') {
      const current = await this.ratings.currentRating(firmId);
      if (!current) throw notEligible('rating_not_found');
      return current.id;
    }
    const inForce = await this.conventions.current();
    const signature = inForce
      ? await this.signatures.findByFirmAndVersion(firmId, inForce.id)
      : null;
    if (!signature) throw notEligible('signature_not_found');
    return signature.id;
  }

  /** Active firms by name, for the staff issue form. */
  activeFirms(): Promise<Array<Pick<Firm, 'id' | 'name'>>> {
    return this.firms.activeNames(1000);
  }

  /** Chinese names of the firms of some certificates, by firm id. */
  async firmNames(ids: readonly string[]): Promise<Map<string, string>> {
    const names = await this.firms.namesByIds([...new Set(ids)]);
    return new Map([...names].map(([id, n]) => [id, n.name]));
  }

  /** The fact's valid certificate; with `anyStatus`, its newest one, revoked or not. */
  private findBySubject(
    kind: CertificateKind,
    subjectKey: string,
    anyStatus = false,
  ): Promise<Certificate | null> {
    return this.db.manager.findOne(Certificate, {
      where: anyStatus ? { kind, subjectKey } : { kind, subjectKey, status: 'valid' },
      order: { issuedAt: 'DESC', serial: 'DESC' },
    });
  }

  private async eligible(
    kind: CertificateKind,
    subjectId: string,
    now: Date,
    year?: number,
  ): Promise<Eligible<CertificateKind>> {
    if (kind === 'membership') return this.membershipEligible(subjectId, now, year);
    if (kind === 'pledge') return this.pledgeEligible(subjectId, now);
    return this.ratingEligible(subjectId);
  }

  private async activeFirm(firmId: string): Promise<Firm> {
    const firm = await this.firms.findById(firmId);
    if (!firm) throw notEligible('firm_not_found');
    if (firm.status !== 'active') throw notEligible(`firm_${firm.status}`);
    return firm;
  }

  private async membershipEligible(
    firmId: string,
    now: Date,
    requested?: number,
  ): Promise<Eligible<'membership'>> {
    const thisYear = beijingYear(now);
    const year = requested ?? thisYear;
    if (!Number.isInteger(year) || year < thisYear) throw notEligible('year_past');
    if (year > thisYear + 1) throw notEligible('year_too_far');
    const firm = await this.activeFirm(firmId);
    // Next year's certificate needs next year's dues settled (paid or waived).
    if (year > thisYear && !(await this.dues.isYearSettled(firmId, year)))
      throw notEligible('dues_unpaid');
    return {
      kind: 'membership',
      firmId,
      subjectKey: `membership:${firmId}:${year}`,
      year,
      expiresOn: `${year}-12-31`,
      // The firm has no member number of its own: the credit code identifies it in the register.
      facts: { holder: holderOf(firm), memberNo: firm.creditCode, membershipYear: year },
    };
  }

  private async pledgeEligible(signatureId: string, now: Date): Promise<Eligible<'pledge'>> {
    const signature = await this.signatures.findRow(signatureId);
    if (!signature) throw notEligible('signature_not_found');
    const check = await this.signatures.verify(signatureId);
    if (check.status !== 'valid') throw notEligible('signature_not_valid');
    const inForce = await this.conventions.current(now);
    if (!inForce || inForce.id !== signature.conventionVersionId)
      throw notEligible('signature_superseded');
    const version = await this.conventions.getVersion(signature.conventionVersionId);
    const firm = await this.activeFirm(signature.firmId);
    const year = beijingYear(now);
    return {
      kind: 'pledge',
      firmId: firm.id,
      subjectKey: `pledge:${signatureId}`,
      year,
      // Valid to the end of the next calendar year, unless superseded earlier.
      expiresOn: `${year + 1}-12-31`,
      facts: {
        holder: holderOf(firm),
        conventionTitleZh: version.titleZh,
        conventionTitleEn: version.titleEn ?? version.titleZh,
        conventionVersion: String(version.versionNumber),
        signatoryName: signature.typedName,
        signedOn: beijingDate(signature.signedAt),
      },
    };
  }

  private async ratingEligible(ratingId: string): Promise<Eligible<'rating'>> {
    const firmId = await this.ratings.firmOfRating(ratingId);
    if (!firmId) throw notEligible('rating_not_found');
    const current = await this.ratings.currentRating(firmId);
    if (!current || current.id !== ratingId) throw notEligible('rating_not_current');
    // The grade may still change: certify it once the appeal is decided.
    if (current.appeal?.state === 'pending') throw notEligible('rating_under_appeal');
    const firm = await this.activeFirm(current.firmId);
    const publishedOn = beijingDate(new Date(current.publishedAt));
    return {
      kind: 'rating',
      firmId: firm.id,
      subjectKey: `rating:${ratingId}`,
      year: Number(publishedOn.slice(0, 4)),
      expiresOn: current.expiresOn,
      facts: {
        holder: holderOf(firm),
        grade: current.grade,
        ratingYear: Number(current.effectiveOn.slice(0, 4)),
        publishedOn,
      },
    };
  }

  private async create(
    manager: EntityManager,
    actor: Actor,
    e: Eligible<CertificateKind>,
    now: Date,
  ): Promise<Certificate> {
    const type = SERIAL_TYPES[e.kind];
    const issuedOn = beijingDate(now);
    const year = beijingYear(now);
    const n = await this.sequences.next(manager, `certificate-${type}-${year}`);
    const statusIndex = (await this.sequences.next(manager, STATUS_INDEX_SEQUENCE)) - 1;
    const serial = `SZIFA-${type}-${year}-${String(n).padStart(6, '0')}`;
    const verifyUrl = `${this.config.PUBLIC_URL}/verify/${serial}`;
    const issue = { serial, issuedOn, expiresOn: e.expiresOn, verifyUrl };
    const pdf = await this.renderer.render(e.kind, e.facts, issue);
    const pdfSha256 = sha256Hex(pdf);
    const kid = await this.keys.currentKid();
    const facts = JSON.stringify(e.facts);
    // The same function verification rebuilds the payload with, so the two cannot drift apart.
    const payload = certificatePayload({
      serial,
      kind: e.kind,
      firmId: e.firmId,
      subjectKey: e.subjectKey,
      facts,
      issuedOn,
      expiresOn: e.expiresOn,
      verifyUrl,
      pdfSha256,
      kid,
    });
    const signed = await this.keys.sign(payload);
    if (signed.kid !== kid) throw new InternalServerErrorException('Signing key changed');
    const row = manager.create(Certificate, {
      id: randomUUID(),
      serial,
      kind: e.kind,
      firmId: e.firmId,
      subjectKey: e.subjectKey,
      facts,
      issuedOn,
      expiresOn: e.expiresOn,
      verifyUrl,
      payload,
      kid,
      signature: signed.signature,
      pdfSha256,
      status: 'valid',
      statusIndex,
      revokedAt: null,
      revokedReason: null,
      revokedNote: null,
      revokedBy: null,
      issuedBy: actor.id,
      issuedAt: now,
      version: 1,
    });
    await manager.insert(Certificate, row);
    await this.audit.record(manager, {
      actor,
      action: 'certificates.issued',
      subjectType: 'certificate',
      subjectId: row.id,
      summary: { serial, kind: e.kind, firmId: e.firmId, subjectKey: e.subjectKey },
    });
    return row;
  }

  /**
   * The daily job: a pledge certificate whose signature is of a version older than the one in
   * force is revoked once the firm's deadline to sign the version in force has passed (whether or
   * not it signed: a new signature gets a certificate of its own). Returns how many it revoked.
   */
  async revokeSupersededPledges(now: Date): Promise<{ revoked: number }> {
    const inForce = await this.conventions.current(now);
    if (!inForce) return { revoked: 0 };
    const today = beijingDate(now);
    const valid = await this.db.manager.find(Certificate, {
      where: { kind: 'pledge', status: 'valid' },
      order: { serial: 'ASC' },
    });
    const signatureOf = (row: Certificate): string => row.subjectKey.slice('pledge:'.length);
    const signatures = await this.signatures.findRows(valid.map(signatureOf));
    const obligations = await this.obligations.obligationsFor(
      valid.map((row) => row.firmId),
      inForce.id,
    );
    let revoked = 0;
    for (const row of valid) {
      const signature = signatures.get(signatureOf(row));
      if (!signature || signature.conventionVersionId === inForce.id) continue;
      const obligation = obligations.get(row.firmId);
      const deadlineOn =
        obligation?.deadlineOn ?? this.obligations.deadlineFor(inForce.effectiveOn!, today);
      if (deadlineOn >= today) continue;
      const done = await this.tx.run(async (manager) => {
        const fresh = await manager.findOneBy(Certificate, { id: row.id });
        if (!fresh || fresh.status !== 'valid') return false;
        await this.revokeRow(manager, fresh, null, PLEDGE_SUPERSEDED, null);
        return true;
      });
      if (done) revoked++;
    }
    return { revoked };
  }

  /** A certificate the actor may see: staff all, firm users their own firm's; others 404. */
  async findVisible(actor: Actor, id: string): Promise<Certificate> {
    const row = await this.db.manager.findOneBy(Certificate, { id });
    if (!row) throw new CertificatesError('CERTIFICATE_NOT_FOUND');
    if (!STAFF.has(actor.role) && (actor.firmId === null || actor.firmId !== row.firmId))
      throw new CertificatesError('CERTIFICATE_NOT_FOUND');
    return row;
  }

  async get(actor: Actor, id: string): Promise<CertificateView> {
    return toCertificateView(await this.findVisible(actor, id));
  }

  async list(actor: Actor, query: CertificateQuery): Promise<CertificatePage> {
    const where: FindOptionsWhere<Certificate> = {};
    if (STAFF.has(actor.role)) {
      if (query.firmId) where.firmId = query.firmId;
    } else {
      if (!actor.firmId) return { items: [], nextCursor: null };
      where.firmId = actor.firmId;
    }
    if (isCertificateKind(query.kind)) where.kind = query.kind;
    if (query.status === 'valid' || query.status === 'revoked') where.status = query.status;
    if (query.cursor) where.serial = LessThan(query.cursor);
    const limit = Math.min(Math.max(query.limit ?? 50, 1), PAGE_MAX);
    const rows = await this.db.manager.find(Certificate, {
      where,
      order: { serial: 'DESC' },
      take: limit + 1,
    });
    const items = rows.slice(0, limit).map(toCertificateView);
    return {
      items,
      nextCursor: rows.length > limit ? items[items.length - 1].serial : null,
    };
  }

  /** The PDF, re-rendered from the stored facts and checked against the stored SHA-256. */
  async pdf(actor: Actor, id: string): Promise<{ serial: string; pdf: Buffer }> {
    const row = await this.findVisible(actor, id);
    const pdf = await this.renderer.render(
      row.kind,
      JSON.parse(row.facts) as CertificateFactsByKind[CertificateKind],
      {
        serial: row.serial,
        issuedOn: row.issuedOn,
        expiresOn: row.expiresOn,
        verifyUrl: row.verifyUrl,
      },
    );
    if (sha256Hex(pdf) !== row.pdfSha256)
      throw new InternalServerErrorException(
        'The re-rendered certificate differs from the issued one',
      );
    return { serial: row.serial, pdf };
  }

  async revoke(actor: Actor, id: string, reason: unknown): Promise<CertificateView> {
    if (actor.role !== 'staff_admin') throw new CommonError('FORBIDDEN');
    const note = typeof reason === 'string' ? reason.trim() : '';
    if (note.length === 0 || note.length > 2000) throw new CertificatesError('REASON_REQUIRED');
    try {
      return await this.tx.run(async (manager) => {
        const row = await manager.findOneBy(Certificate, { id });
        if (!row) throw new CertificatesError('CERTIFICATE_NOT_FOUND');
        if (row.status === 'revoked') throw new CertificatesError('ALREADY_REVOKED');
        return toCertificateView(await this.revokeRow(manager, row, actor, 'manual', note));
      });
    } catch (error) {
      // Revoked by someone else between our read and our write: say so, not "conflict".
      if (error instanceof CommonError && error.code === 'CONFLICT')
        throw new CertificatesError('ALREADY_REVOKED');
      throw error;
    }
  }

  private async revokeWhere(
    manager: EntityManager,
    where: FindOptionsWhere<Certificate>,
    reason: string,
  ): Promise<void> {
    const rows = await manager.find(Certificate, { where, order: { serial: 'ASC' } });
    for (const row of rows) await this.revokeRow(manager, row, null, reason, null);
  }

  private async revokeRow(
    manager: EntityManager,
    row: Certificate,
    actor: Actor | null,
    reason: string,
    note: string | null,
  ): Promise<Certificate> {
    const revokedAt = new Date();
    await updateVersioned(manager, Certificate, row.id, row.version, {
      status: 'revoked',
      revokedAt,
      revokedReason: reason,
      revokedNote: note,
      revokedBy: actor?.id ?? null,
    });
    await this.audit.record(manager, {
      actor,
      action: 'certificates.revoked',
      subjectType: 'certificate',
      subjectId: row.id,
      summary: { serial: row.serial, reason, note },
    });
    return {
      ...row,
      status: 'revoked',
      revokedAt,
      revokedReason: reason,
      revokedNote: note,
      revokedBy: actor?.id ?? null,
      version: row.version + 1,
    };
  }
}
