import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { FilesModule } from '../files/files.module.js';
import { HomeTasksModule } from '../home/home-tasks.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { PledgesModule } from '../pledges/pledges.module.js';
import { RatingsModule } from '../ratings/ratings.module.js';
import { SchedulerModule } from '../scheduler/scheduler.module.js';
import { SigningModule } from '../signing/signing.module.js';
import { UsersModule } from '../users/users.module.js';
import { BulkIssuanceController } from './bulk-issuance.controller.js';
import { BulkIssuancePagesController } from './bulk-issuance.pages.controller.js';
import { BulkIssuanceService } from './bulk-issuance.service.js';
import { CertificatesController } from './certificates.controller.js';
import { CredentialsController } from './credentials.controller.js';
import { CredentialsService } from './credentials.service.js';
import { CertificatesPagesController } from './certificates.pages.controller.js';
import { CertificatesService } from './certificates.service.js';
import { Certificate } from './entities/certificate.entity.js';
import { CertificateBatch, CertificateBatchItem } from './entities/certificate-batch.entity.js';
import { CertificatesJobs } from './certificates-jobs.js';
import { CertificateRenderer } from './pdf/certificate-renderer.js';
import { CertificateDirectorySection } from './certificate-directory.section.js';
import { VerificationController } from './verification.controller.js';
import { VerificationPagesController } from './verification.pages.controller.js';
import { VerificationService } from './verification.service.js';

/** Certificates (issue 7). See docs/certificates.md. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Certificate, CertificateBatch, CertificateBatchItem]),
    AuditModule,
    // Upload limits (UPLOAD_MAX_BYTES, one file) for the public PDF check.
    FilesModule,
    HomeTasksModule,
    MembershipModule,
    PledgesModule,
    RatingsModule,
    SchedulerModule,
    SigningModule,
    UsersModule,
  ],
  controllers: [
    // Before CertificatesController, whose GET api/v1/certificates/:id would take fixed paths.
    BulkIssuanceController,
    CredentialsController,
    CertificatesController,
    BulkIssuancePagesController,
    CertificatesPagesController,
    VerificationController,
    VerificationPagesController,
  ],
  providers: [
    CertificateRenderer,
    CertificatesService,
    CertificatesJobs,
    BulkIssuanceService,
    CredentialsService,
    VerificationService,
    CertificateDirectorySection,
  ],
  exports: [],
})
export class CertificatesModule {}
