import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventSubscriber } from './audit-event.subscriber.js';
import { AuditController } from './audit.controller.js';
import { AuditPagesController } from './audit.pages.controller.js';
import { AuditService } from './audit.service.js';
import { AuditEvent } from './entities/audit-event.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditController, AuditPagesController],
  providers: [AuditService, AuditEventSubscriber],
  exports: [AuditService],
})
export class AuditModule {}
