import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CommonModule } from './common/common.module.js';
import { CsrfGuard } from './common/http/csrf.guard.js';
import { RateLimitGuard } from './common/http/rate-limit.guard.js';
import type { JsonLogger } from './common/logging/json-logger.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { AccessGuard } from './modules/auth/access.guard.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { DisputesModule } from './modules/disputes/disputes.module.js';
import { RatingsModule } from './modules/ratings/ratings.module.js';
import { CertificatesModule } from './modules/certificates/certificates.module.js';
import { DocumentsModule } from './modules/documents/documents.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { HomeModule } from './modules/home/home.module.js';
import { MembershipModule } from './modules/membership/membership.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { PledgesModule } from './modules/pledges/pledges.module.js';
import { SigningModule } from './modules/signing/signing.module.js';
import { SchedulerModule } from './modules/scheduler/scheduler.module.js';
import { UsersModule } from './modules/users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, secret: string, logger: JsonLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, secret),
        CommonModule.forRoot(logger),
        DatabaseModule,
        HealthModule,
        SchedulerModule,
        AuditModule,
        NotificationsModule,
        SigningModule,
        UsersModule,
        AuthModule,
        MembershipModule,
        PledgesModule,
        DisputesModule,
        RatingsModule,
        CertificatesModule,
        DocumentsModule,
        HomeModule,
      ],
      // Global guards run in this order: request rate, CSRF on forms, then who may call.
      providers: [
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useExisting: CsrfGuard },
        { provide: APP_GUARD, useExisting: AccessGuard },
      ],
    };
  }
}
