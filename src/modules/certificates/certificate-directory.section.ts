import { Injectable, type OnModuleInit } from '@nestjs/common';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { DirectoryService, type PublicSectionContent } from '../membership/directory.service.js';
import { VerificationService } from './verification.service.js';

/**
 * Fills the "certificate" section of a member's public page: its valid, unexpired certificates,
 * each serial linking to its verification page. No valid certificate, no section.
 */
@Injectable()
export class CertificateDirectorySection implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryService,
    private readonly verification: VerificationService,
  ) {}

  onModuleInit(): void {
    this.directory.registerSection('certificate', (firmId) => this.contentFor(firmId));
  }

  async contentFor(firmId: string, now = new Date()): Promise<PublicSectionContent | null> {
    const valid = await this.verification.validForFirm(firmId, now);
    const first = valid[0];
    if (!first) return null;
    const params = { count: valid.length, serials: valid.map((row) => row.serial).join('、') };
    const say = (locale: Locale): string =>
      translate(locale, 'certificates.verify.section.some', params);
    return {
      summary: { 'zh-CN': say('zh-CN'), en: say('en') },
      // The section has one link: the certificate itself, or the verification form for several.
      link: valid.length === 1 ? `/verify/${first.serial}` : '/verify',
    };
  }
}
