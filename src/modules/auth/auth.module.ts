import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_SECRET } from '../../config/app-secret.js';
import { AuditModule } from '../audit/audit.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
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
  ],
  controllers: [AuthController],
  providers: [AuthService, SessionService, LoginThrottleService, LocalStrategy, AccessGuard],
  exports: [AuthService, SessionService, AccessGuard],
})
export class AuthModule {}
