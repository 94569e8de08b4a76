import { FirmsService } from '../membership/firms.service.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { CommonError } from '../../common/errors/domain-error.js';
import { FirmRating } from './entities/firm-rating.entity.js';
import { RatingAppeal } from './entities/rating-appeal.entity.js';
import { RatingCycle } from './entities/rating-cycle.entity.js';
import type { Grade } from './grades.js';
import { formatScore } from './scorecard.js';
import type { AppealState, RatingStatus } from './submission.state.js';

export interface RatingRecord {
  id: string;
  firmId: string;
  cycleId: string;
  cycleNameZh: string;
  cycleNameEn: string;
  grade: Grade;
  score: string;
  status: RatingStatus;
  effectiveOn: string;
  expiresOn: string;
  publishedAt: string;
  underAppeal: boolean;
  endedAt: string | null;
  endReason: string | null;
  replacesId: string | null;
  /** The appeal against this record, if any: its state and the grade it ended with. */
  appeal: { id: string; state: AppealState; outcomeGrade: Grade | null } | null;
}

export interface PublicRatingHistory {
  firmId: string;
  firmName: string;
  firmNameEn: string | null;
  current: RatingRecord | null;
  history: RatingRecord[];
}

/**
 * The ratings other modules and the public pages read: a firm's current rating and its history
 * (newest first). Exported for certificates (issue 7).
 */
@Injectable()
export class RatingsQueryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly firms: FirmsService,
  ) {}

  /** The firm a rating record belongs to (null for an unknown id). */
  async firmOfRating(ratingId: string): Promise<string | null> {
    const row = await this.db.manager.findOne(FirmRating, {
      where: { id: ratingId },
      select: { id: true, firmId: true },
    });
    return row?.firmId ?? null;
  }

  async currentRating(firmId: string, manager?: EntityManager): Promise<RatingRecord | null> {
    const m = manager ?? this.db.manager;
    const row = await m.findOneBy(FirmRating, { firmId, status: 'current' });
    return row ? (await this.records(m, [row]))[0] : null;
  }

  async history(firmId: string, manager?: EntityManager): Promise<RatingRecord[]> {
    const m = manager ?? this.db.manager;
    const rows = await m.find(FirmRating, {
      where: { firmId },
      order: { publishedAt: 'DESC', id: 'DESC' },
    });
    return this.records(m, rows);
  }

  /** The public page's content; 404 for an unknown firm or one never admitted. */
  async publicHistory(firmId: string): Promise<PublicRatingHistory> {
    const [firm] = await this.firms.byIds(this.db.manager, [firmId]);
    if (!firm) throw new CommonError('NOT_FOUND');
    const history = await this.history(firmId);
    if (history.length === 0 && firm.status !== 'active' && firm.status !== 'suspended')
      throw new CommonError('NOT_FOUND');
    return {
      firmId,
      firmName: firm.name,
      firmNameEn: firm.nameEn,
      current: history.find((r) => r.status === 'current') ?? null,
      history,
    };
  }

  private async records(m: EntityManager, rows: FirmRating[]): Promise<RatingRecord[]> {
    if (rows.length === 0) return [];
    const cycleIds = [...new Set(rows.map((r) => r.cycleId))];
    const cycles = await m.findBy(RatingCycle, { id: In(cycleIds) });
    const appeals = await m.findBy(RatingAppeal, { ratingId: In(rows.map((r) => r.id)) });
    const cycleOf = new Map(cycles.map((c) => [c.id, c]));
    const appealOf = new Map(appeals.map((a) => [a.ratingId, a]));
    return rows.map((r) => {
      const appeal = appealOf.get(r.id);
      return {
        id: r.id,
        firmId: r.firmId,
        cycleId: r.cycleId,
        cycleNameZh: cycleOf.get(r.cycleId)?.nameZh ?? '',
        cycleNameEn: cycleOf.get(r.cycleId)?.nameEn ?? '',
        grade: r.grade,
        score: formatScore(r.scoreHundredths),
        status: r.status,
        effectiveOn: r.effectiveOn,
        expiresOn: r.expiresOn,
        publishedAt: r.publishedAt.toISOString(),
        underAppeal: r.underAppealSince !== null,
        endedAt: r.endedAt?.toISOString() ?? null,
        endReason: r.endReason,
        replacesId: r.replacesId,
        appeal: appeal
          ? { id: appeal.id, state: appeal.state, outcomeGrade: appeal.outcomeGrade }
          : null,
      };
    });
  }
}
