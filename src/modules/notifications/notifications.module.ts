import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { Notification } from './entities/notification.entity.js';
import { OutboxEmail } from './entities/outbox-email.entity.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsPagesController } from './notifications.pages.controller.js';
import { NotificationsService } from './notifications.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxEmail, Notification]), AuditModule],
  controllers: [NotificationsController, NotificationsPagesController],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
