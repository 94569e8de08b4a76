import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_SECRET } from '../../config/app-secret.js';
import { AuditModule } from '../audit/audit.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthPagesController } from './auth.pages.controller.js';
import { AuthService } from './auth.service.js';
import { EmailVerificationController } from './email-verification.controller.js';
import { EmailVerificationPagesController } from './email-verification.pages.controller.js';
import { EmailVerificationService } from './email-verification.service.js';
import { MfaController } from './mfa.controller.js';
import { MfaPagesController } from './mfa.pages.controller.js';
import { MfaService } from './mfa.service.js';
import { PasswordResetController } from './password-reset.controller.js';
import { PasswordResetPagesController } from './password-reset.pages.controller.js';
import { PasswordResetService } from './password-reset.service.js';
import { RegistrationController } from './registration.controller.js';
import { RegistrationPagesController } from './registration.pages.controller.js';
import { RegistrationService } from './registration.service.js';
import { UserTokensService } from './user-tokens.service.js';
import { LoginFailure } from './entities/login-failure.entity.js';
import { RecoveryCode } from './entities/recovery-code.entity.js';
import { Session } from './entities/session.entity.js';
import { UserToken } from './entities/user-token.entity.js';
import { LocalStrategy } from './local.strategy.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { SessionService } from './session.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Session, UserToken, RecoveryCode, LoginFailure]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_SECRET],
      useFactory: (secret: string) => ({ secret, signOptions: { algorithm: 'HS256' as const } }),
    }),
    UsersModule,
    AuditModule,
    MembershipModule,
    NotificationsModule,
  ],
  controllers: [
    AuthController,
    AuthPagesController,
    RegistrationController,
    RegistrationPagesController,
    EmailVerificationController,
    EmailVerificationPagesController,
    PasswordResetController,
    PasswordResetPagesController,
    MfaController,
    MfaPagesController,
  ],
  providers: [
    AuthService,
    SessionService,
    LoginThrottleService,
    LocalStrategy,
    AccessGuard,
    UserTokensService,
    RegistrationService,
    EmailVerificationService,
    PasswordResetService,
    MfaService,
  ],
  exports: [AuthService, SessionService, AccessGuard, MfaService, LoginThrottleService],
})
export class AuthModule {}
