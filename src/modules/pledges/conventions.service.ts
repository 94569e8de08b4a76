import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { beijingDate, isCalendarDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { canonicalText, fingerprintOf } from './convention-text.js';
import { asConventionWriter } from './conventions.subscriber.js';
import { ConventionVersion } from './entities/convention-version.entity.js';
import { diffLines, type DiffLine } from './line-diff.js';
import { renderMarkdown } from './markdown.js';
import { ObligationsService } from './obligations.service.js';
import { PledgesError } from './pledges.errors.js';

export interface ConventionDraftInput {
  titleZh: string;
  titleEn?: string | null;
  bodyZh: string;
  bodyEn?: string | null;
}

export interface ConventionEditInput extends Partial<ConventionDraftInput> {
  version: number;
}

export interface PublishInput {
  version: number;
  /** Beijing date YYYY-MM-DD, today or later. */
  effectiveOn: string;
}

/** A convention version as the API returns it. */
export interface ConventionView {
  id: string;
  versionNumber: number;
  titleZh: string;
  titleEn: string | null;
  bodyZh: string;
  bodyEn: string | null;
  state: string;
  fingerprint: string | null;
  effectiveOn: string | null;
  publishedAt: string | null;
  version: number;
}

export function toConventionView(v: ConventionVersion): ConventionView {
  return {
    id: v.id,
    versionNumber: v.versionNumber,
    titleZh: v.titleZh,
    titleEn: v.titleEn,
    bodyZh: v.bodyZh,
    bodyEn: v.bodyEn,
    state: v.state,
    fingerprint: v.fingerprint,
    effectiveOn: v.effectiveOn,
    publishedAt: v.publishedAt ? v.publishedAt.toISOString() : null,
    version: v.version,
  };
}

export interface ConventionDiff {
  from: ConventionVersion;
  to: ConventionVersion;
  lines: DiffLine[];
  added: number;
  removed: number;
}

const blankToNull = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value;

/**
 * Convention versions: staff draft, preview and publish; everyone reads published ones. Once
 * published a version's text never changes (conventions.subscriber.ts and the database refuse
 * it), so a signature of its fingerprint stays checkable for ever.
 */
@Injectable()
export class ConventionsService {
  constructor(
    @InjectRepository(ConventionVersion) private readonly versions: Repository<ConventionVersion>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly obligations: ObligationsService,
  ) {}

  /** The version in force: the newest published one whose effective date has come (Beijing). */
  current(now = new Date()): Promise<ConventionVersion | null> {
    return this.versions.findOne({
      where: { state: 'published', effectiveOn: LessThanOrEqual(beijingDate(now)) },
      order: { effectiveOn: 'DESC', versionNumber: 'DESC' },
    });
  }

  /** The newest published version, in force or announced for a later date. */
  latestPublished(): Promise<ConventionVersion | null> {
    return this.versions.findOne({
      where: { state: 'published' },
      order: { versionNumber: 'DESC' },
    });
  }

  async getVersion(id: string): Promise<ConventionVersion> {
    const version = await this.versions.findOneBy({ id });
    if (!version) throw new PledgesError('CONVENTION_NOT_FOUND');
    return version;
  }

  /** A published version by its number; drafts are staff-only and answer not found here. */
  async getPublished(versionNumber: number): Promise<ConventionVersion> {
    const version = Number.isSafeInteger(versionNumber)
      ? await this.versions.findOneBy({ versionNumber, state: 'published' })
      : null;
    if (!version) throw new PledgesError('CONVENTION_NOT_FOUND');
    return version;
  }

  /** Published versions, newest first (public). */
  listVersions(): Promise<ConventionVersion[]> {
    return this.versions.find({ where: { state: 'published' }, order: { versionNumber: 'DESC' } });
  }

  /** Every version, drafts included, newest first (staff). */
  listAll(): Promise<ConventionVersion[]> {
    return this.versions.find({ order: { versionNumber: 'DESC' } });
  }

  canonicalText(version: ConventionVersion): string {
    return canonicalText(version);
  }

  /** The Markdown bodies as HTML (the renderer escapes the source first). */
  preview(version: ConventionVersion): { zh: string; en: string | null } {
    return {
      zh: renderMarkdown(version.bodyZh),
      en: version.bodyEn === null ? null : renderMarkdown(version.bodyEn),
    };
  }

  async diff(fromNumber: number, toNumber: number): Promise<ConventionDiff> {
    if (!Number.isSafeInteger(fromNumber) || !Number.isSafeInteger(toNumber))
      throw new PledgesError('CONVENTION_DIFF_INVALID');
    const [from, to] = await Promise.all([
      this.versions.findOneBy({ versionNumber: fromNumber, state: 'published' }),
      this.versions.findOneBy({ versionNumber: toNumber, state: 'published' }),
    ]);
    if (!from || !to) throw new PledgesError('CONVENTION_DIFF_INVALID');
    const lines = diffLines(canonicalText(from), canonicalText(to));
    return {
      from,
      to,
      lines,
      added: lines.filter((line) => line.op === 'added').length,
      removed: lines.filter((line) => line.op === 'removed').length,
    };
  }

  async createDraft(
    actor: Actor,
    input: ConventionDraftInput,
    meta?: Partial<RequestMeta>,
  ): Promise<ConventionVersion> {
    return this.tx.run(async (manager) => {
      const last = await manager.findOne(ConventionVersion, {
        where: {},
        order: { versionNumber: 'DESC' },
      });
      const now = new Date();
      const draft = manager.create(ConventionVersion, {
        id: randomUUID(),
        // The unique index turns a concurrent draft with the same number into a failed insert.
        versionNumber: (last?.versionNumber ?? 0) + 1,
        titleZh: input.titleZh.trim(),
        titleEn: blankToNull(input.titleEn)?.trim() ?? null,
        bodyZh: input.bodyZh,
        bodyEn: blankToNull(input.bodyEn),
        state: 'draft',
        fingerprint: null,
        effectiveOn: null,
        publishedAt: null,
        publishedBy: null,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(ConventionVersion, draft);
      await this.audit.record(manager, {
        actor,
        action: 'pledges.convention_drafted',
        subjectType: 'convention_version',
        subjectId: draft.id,
        summary: { versionNumber: draft.versionNumber },
        meta,
      });
      return manager.findOneByOrFail(ConventionVersion, { id: draft.id });
    });
  }

  /** Edits a draft. A published version answers CONVENTION_PUBLISHED: its text is final. */
  async editDraft(
    actor: Actor,
    id: string,
    input: ConventionEditInput,
    meta?: Partial<RequestMeta>,
  ): Promise<ConventionVersion> {
    return this.tx.run(async (manager) => {
      const draft = await manager.findOneBy(ConventionVersion, { id });
      if (!draft) throw new PledgesError('CONVENTION_NOT_FOUND');
      if (draft.state !== 'draft') throw new PledgesError('CONVENTION_PUBLISHED');
      if (draft.version !== input.version) throw new CommonError('CONFLICT');
      const changes: Partial<ConventionVersion> = { updatedAt: new Date() };
      if (input.titleZh !== undefined) changes.titleZh = input.titleZh.trim();
      if (input.titleEn !== undefined) changes.titleEn = blankToNull(input.titleEn)?.trim() ?? null;
      if (input.bodyZh !== undefined) changes.bodyZh = input.bodyZh;
      if (input.bodyEn !== undefined) changes.bodyEn = blankToNull(input.bodyEn);
      await asConventionWriter(manager, () =>
        updateVersioned(manager, ConventionVersion, id, draft.version, changes),
      );
      await this.audit.record(manager, {
        actor,
        action: 'pledges.convention_edited',
        subjectType: 'convention_version',
        subjectId: id,
        summary: {
          versionNumber: draft.versionNumber,
          fields: Object.keys(changes).filter((key) => key !== 'updatedAt'),
        },
        meta,
      });
      return manager.findOneByOrFail(ConventionVersion, { id });
    });
  }

  /**
   * Publishes a draft: fixes its fingerprint and effective date, and gives every current
   * member a pending obligation to sign it, due PLEDGE_RESIGN_DAYS after the effective date.
   */
  async publish(
    actor: Actor,
    id: string,
    input: PublishInput,
    meta?: Partial<RequestMeta>,
  ): Promise<ConventionVersion> {
    const now = new Date();
    if (!isCalendarDate(input.effectiveOn) || input.effectiveOn < beijingDate(now))
      throw new PledgesError('CONVENTION_EFFECTIVE_DATE_INVALID');
    return this.tx.run(async (manager) => {
      const draft = await manager.findOneBy(ConventionVersion, { id });
      if (!draft) throw new PledgesError('CONVENTION_NOT_FOUND');
      if (draft.state !== 'draft') throw new PledgesError('CONVENTION_NOT_DRAFT');
      if (draft.version !== input.version) throw new CommonError('CONFLICT');
      const fingerprint = fingerprintOf(draft);
      await asConventionWriter(manager, () =>
        updateVersioned(manager, ConventionVersion, id, draft.version, {
          state: 'published',
          fingerprint,
          effectiveOn: input.effectiveOn,
          publishedAt: now,
          publishedBy: actor.id,
          updatedAt: now,
        }),
      );
      const published = await manager.findOneByOrFail(ConventionVersion, { id });
      const created = await this.obligations.openForPublishedVersion(manager, published, now);
      await this.audit.record(manager, {
        actor,
        action: 'pledges.convention_published',
        subjectType: 'convention_version',
        subjectId: id,
        summary: {
          versionNumber: published.versionNumber,
          fingerprint,
          effectiveOn: input.effectiveOn,
          obligations: created,
        },
        meta,
      });
      return published;
    });
  }
}
