import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Firm } from './entities/firm.entity.js';
import { DocumentsService } from './documents.service.js';
import { FirmCategory } from './entities/firm-category.entity.js';
import { FirmDocument } from './entities/firm-document.entity.js';
import { FirmProfileService } from './firm-profile.service.js';
import { FilesModule } from '../files/files.module.js';
import { ColleaguesController } from './colleagues.controller.js';
import { ColleaguesService } from './colleagues.service.js';
import { DocumentsController } from './documents.controller.js';
import { FirmChangeRequest } from './entities/firm-change-request.entity.js';
import { FirmInvitation } from './entities/firm-invitation.entity.js';
import { FirmLicence } from './entities/firm-licence.entity.js';
import { FirmRevision } from './entities/firm-revision.entity.js';
import { FirmProfileController } from './firm-profile.controller.js';
import { FirmPortalPagesController } from './firm-portal.pages.controller.js';
import { InvitationsPagesController } from './invitations.pages.controller.js';
import { FirmsController } from './firms.controller.js';
import { FirmsService } from './firms.service.js';
import { AuditModule } from '../audit/audit.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { UsersModule } from '../users/users.module.js';
import { ApplicationsController } from './applications.controller.js';
import { ApplicationsPagesController } from './applications.pages.controller.js';
import { ApplicationsService } from './applications.service.js';
import { ConventionSignatureCheck, ReplaceableConventionCheck } from './convention-check.js';
import { DuesController } from './dues.controller.js';
import { DuesPagesController } from './dues.pages.controller.js';
import { DuesService } from './dues.service.js';
import { TiersController } from './tiers.controller.js';
import { ApplicationStep } from './entities/application-step.entity.js';
import { FirmStatusEvent } from './entities/firm-status-event.entity.js';
import { Invoice } from './entities/invoice.entity.js';
import { MembershipApplication } from './entities/membership-application.entity.js';
import { MembershipTier } from './entities/membership-tier.entity.js';
import { Payment } from './entities/payment.entity.js';
import { MembersController } from './members.controller.js';
import { MembersPagesController } from './members.pages.controller.js';
import { MembersService } from './members.service.js';
import { DirectoryController } from './directory.controller.js';
import { DirectoryPagesController } from './directory.pages.controller.js';
import { DirectoryService } from './directory.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { MembershipJobs } from './membership-jobs.js';
import { DuesPdfService } from './dues-pdf.service.js';
import { SanctionsController } from './sanctions.controller.js';
import { SanctionsPagesController } from './sanctions.pages.controller.js';
import { DocumentsModule } from '../documents/documents.module.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Firm,
      FirmCategory,
      FirmDocument,
      FirmChangeRequest,
      FirmInvitation,
      FirmLicence,
      FirmRevision,
      ApplicationStep,
      FirmStatusEvent,
      Invoice,
      MembershipApplication,
      MembershipTier,
      Payment,
    ]),
    AuditModule,
    DocumentsModule,
    NotificationsModule,
    UsersModule,
    FilesModule,
  ],
  controllers: [
    FirmsController,
    FirmProfileController,
    DocumentsController,
    ColleaguesController,
    FirmPortalPagesController,
    InvitationsPagesController,
    ApplicationsController,
    DuesController,
    TiersController,
    ApplicationsPagesController,
    DuesPagesController,
    MembersController,
    MembersPagesController,
    DirectoryController,
    DirectoryPagesController,
    SanctionsController,
    SanctionsPagesController,
  ],
  providers: [
    FirmsService,
    FirmProfileService,
    DocumentsService,
    ColleaguesService,
    ApplicationsService,
    DuesService,
    DuesPdfService,
    MembersService,
    LifecycleService,
    DirectoryService,
    MembershipJobs,
    // The seam the pledges module fills: it installs its check at start-up (convention-check.ts).
    { provide: ConventionSignatureCheck, useClass: ReplaceableConventionCheck },
  ],
  exports: [
    FirmsService,
    FirmProfileService,
    DocumentsService,
    ColleaguesService,
    ApplicationsService,
    DuesService,
    ConventionSignatureCheck,
    LifecycleService,
    DirectoryService,
  ],
})
export class MembershipModule {}
