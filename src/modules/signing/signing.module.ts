import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { SigningKey } from './entities/signing-key.entity.js';
import { JwksController } from './jwks.controller.js';
import { SigningKeysService } from './signing-keys.service.js';

/**
 * The association's Ed25519 signing keys and their public JWK Set: one place for everything it
 * signs (convention signatures, settlement signatures, certificates).
 */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey]), AuditModule],
  controllers: [JwksController],
  providers: [SigningKeysService],
  exports: [SigningKeysService],
})
export class SigningModule {}
