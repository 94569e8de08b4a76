import { Injectable, type OnModuleInit } from '@nestjs/common';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { DirectoryService, type PublicSectionContent } from '../membership/directory.service.js';
import { publicHistoryPath } from './publication.service.js';
import { RatingsQueryService } from './ratings-query.service.js';

/**
 * Fills the "rating" section of a member's public page: the current grade and its expiry, marked
 * when under appeal, with a link to the rating history. No current rating: no section.
 */
@Injectable()
export class RatingDirectorySection implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryService,
    private readonly ratings: RatingsQueryService,
  ) {}

  onModuleInit(): void {
    this.directory.registerSection('rating', (firmId) => this.contentFor(firmId));
  }

  async contentFor(firmId: string): Promise<PublicSectionContent | null> {
    const current = await this.ratings.currentRating(firmId);
    if (!current) return null;
    const key = current.underAppeal
      ? 'ratings.public.section.underAppeal'
      : 'ratings.public.section.current';
    const say = (locale: Locale): string =>
      translate(locale, key, { grade: current.grade, expiresOn: current.expiresOn });
    return {
      summary: { 'zh-CN': say('zh-CN'), en: say('en') },
      link: publicHistoryPath(firmId),
    };
  }
}
