import { Injectable, type OnModuleInit } from '@nestjs/common';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { DirectoryService, type PublicSectionContent } from '../membership/directory.service.js';
import { ObligationsService } from './obligations.service.js';

/**
 * Fills the "convention" section of every member's public page: the version it signed and
 * when, or that it must sign by a deadline, or, once the deadline has passed, that it is not
 * compliant. A firm that never owed a signature has no section (the page says so).
 */
@Injectable()
export class PledgeDirectorySection implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryService,
    private readonly obligations: ObligationsService,
  ) {}

  onModuleInit(): void {
    this.directory.registerSection('pledge', (firmId) => this.contentFor(firmId));
  }

  async contentFor(firmId: string, now = new Date()): Promise<PublicSectionContent | null> {
    const owed = await this.obligations.listForFirm(firmId);
    const live = owed.filter((row) => row.state !== 'ended');
    const newest = live[0];
    if (!newest) return null;
    const today = beijingDate(now);
    const number = newest.versionNumber;
    let key: string;
    let params: Record<string, string | number>;
    if (newest.state === 'signed' && newest.signedAt) {
      key = 'pledgeList.section.signed';
      params = { number, date: beijingDate(newest.signedAt) };
    } else if (newest.state === 'overdue' || newest.deadlineOn < today) {
      key = 'pledgeList.section.overdue';
      params = { number, deadline: newest.deadlineOn };
    } else if (live.some((row) => row.state === 'signed')) {
      key = 'pledgeList.section.needsSigning';
      params = { number, deadline: newest.deadlineOn };
    } else {
      key = 'pledgeList.section.notSigned';
      params = { number, deadline: newest.deadlineOn };
    }
    const say = (locale: Locale): string => translate(locale, key, params);
    return {
      summary: { 'zh-CN': say('zh-CN'), en: say('en') },
      link: `/conventions/${number}/signatories`,
    };
  }
}
