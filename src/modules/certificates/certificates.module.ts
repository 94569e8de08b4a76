import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { HomeTasksModule } from '../home/home-tasks.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { PledgesModule } from '../pledges/pledges.module.js';
import { RatingsModule } from '../ratings/ratings.module.js';
import { SigningModule } from '../signing/signing.module.js';
import { UsersModule } from '../users/users.module.js';
import { Certificate } from './entities/certificate.entity.js';
import { CertificateRenderer } from './pdf/certificate-renderer.js';

/** Certificates (issue 7). See docs/certificates.md. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Certificate]),
    AuditModule,
    HomeTasksModule,
    MembershipModule,
    PledgesModule,
    RatingsModule,
    SigningModule,
    UsersModule,
  ],
  controllers: [
    // helper L (issuance, revocation, firm and staff pages)
    // helper M (verification)
  ],
  providers: [
    CertificateRenderer,
    // helper L
    // helper M
  ],
  exports: [],
})
export class CertificatesModule {}
