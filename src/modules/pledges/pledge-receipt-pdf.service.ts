import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/auth-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { beijingDateTime, bilingual } from '../documents/document-facts.js';
import { DocumentLinks } from '../documents/document-links.js';
import { DocumentRenderer } from '../documents/document-renderer.js';
import { FirmsService } from '../membership/firms.service.js';
import { ConventionsService } from './conventions.service.js';
import { SignaturesService } from './signatures.service.js';

/**
 * The signing receipt as a PDF (自律公约签署回执), for the same readers as the receipt page: its
 * firm's users and staff (others 404). Its QR code opens the public pledge check.
 */
@Injectable()
export class PledgeReceiptPdfService {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly conventions: ConventionsService,
    private readonly firms: FirmsService,
    private readonly renderer: DocumentRenderer,
    private readonly links: DocumentLinks,
  ) {}

  async render(actor: Actor, id: string): Promise<{ fileName: string; pdf: Buffer }> {
    const record = await this.signatures.receipt(actor, id);
    const [version, firm, check] = await Promise.all([
      this.conventions.getVersion(record.conventionVersionId),
      this.firms.findById(record.firmId),
      this.signatures.verify(record.id),
    ]);
    const pdf = await this.renderer.render(
      'pledge-receipt',
      {
        holder: {
          firmNameZh: firm?.name ?? '—',
          firmNameEn: firm?.nameEn ?? null,
          creditCode: firm?.creditCode ?? '—',
        },
        conventionTitleZh: version.titleZh,
        conventionTitleEn: version.titleEn,
        conventionVersion: version.versionNumber,
        signatoryName: record.typedName,
        signatoryTitle: record.signerTitle,
        signedAt: beijingDateTime(record.signedAt),
        signatureId: record.id,
        textFingerprint: record.textFingerprint,
        status: bilingual(translate, `pledgeVerify.status.${check.status}`),
      },
      {
        number: record.id,
        issuedOn: beijingDate(new Date(record.signedAt)),
        verifyUrl: this.links.pledgeVerifyUrl(record.id),
      },
    );
    return { fileName: `pledge-receipt-${record.id}.pdf`, pdf };
  }
}
