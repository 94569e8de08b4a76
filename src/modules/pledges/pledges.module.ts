import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { SigningModule } from '../signing/signing.module.js';
import { UsersModule } from '../users/users.module.js';
import { ConventionsController } from './conventions.controller.js';
import { ConventionsPagesController } from './conventions.pages.controller.js';
import { ConventionsStaffPagesController } from './conventions-staff.pages.controller.js';
import { ConventionsService } from './conventions.service.js';
import { ConventionVersionSubscriber } from './conventions.subscriber.js';
import { ConventionVersion } from './entities/convention-version.entity.js';
import { PledgeObligation } from './entities/pledge-obligation.entity.js';
import { PledgeReminder } from './entities/pledge-reminder.entity.js';
import { PledgeSignature } from './entities/pledge-signature.entity.js';
import { PledgeSignatureSubscriber } from './pledge-signature.subscriber.js';
import { SignaturesController } from './signatures.controller.js';
import { SignaturesPagesController } from './signatures.pages.controller.js';
import { SignaturesService } from './signatures.service.js';
import { ObligationsService } from './obligations.service.js';
import { PledgesConventionCheck } from './pledges-check.js';
import { PledgeReceiptPdfService } from './pledge-receipt-pdf.service.js';
import { PledgesJobs } from './pledges-jobs.js';
import { PledgesStaffController } from './pledges-staff.controller.js';
import { PledgesStaffPagesController } from './pledges-staff.pages.controller.js';
import { PledgesStaffService } from './pledges-staff.service.js';
import { SignatoryListController } from './signatory-list.controller.js';
import { SignatoryListPagesController } from './signatory-list.pages.controller.js';
import { PledgeDirectorySection } from './signatory-list.section.js';
import { SignatoryListService } from './signatory-list.service.js';
import { DocumentsModule } from '../documents/documents.module.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      ConventionVersion,
      PledgeObligation,
      PledgeReminder,
      PledgeSignature,
    ]),
    MembershipModule,
    DocumentsModule,
    AuditModule,
    NotificationsModule,
    SigningModule,
    UsersModule,
    // Re-authentication at signing shares the sign-in throttle and the TOTP replay rule.
    AuthModule,
  ],
  controllers: [
    ConventionsController,
    ConventionsPagesController,
    ConventionsStaffPagesController,
    // Signatures, keys and verification (helper B).
    SignaturesController,
    SignaturesPagesController,
    // Signatory lists, staff view and reminders (helper C).
    SignatoryListController,
    SignatoryListPagesController,
    PledgesStaffController,
    PledgesStaffPagesController,
  ],
  providers: [
    ConventionsService,
    ObligationsService,
    ConventionVersionSubscriber,
    PledgesConventionCheck,
    PledgesJobs,
    SignatoryListService,
    PledgesStaffService,
    PledgeDirectorySection,
    SignaturesService,
    PledgeSignatureSubscriber,
    PledgeReceiptPdfService,
  ],
  exports: [ConventionsService, ObligationsService, SignaturesService],
})
export class PledgesModule {}
