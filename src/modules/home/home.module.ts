import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership/membership.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountHomeTasks } from './account-home-tasks.js';
import { HomePagesController } from './home.pages.controller.js';
import { HomeService } from './home.service.js';
import { HomeTasksModule } from './home-tasks.module.js';
import { NotificationHomeTasks } from './notification-home-tasks.js';

/** The home page. Other modules add tasks to it through HomeTasksModule, not by importing this. */
@Module({
  imports: [HomeTasksModule, UsersModule, MembershipModule, NotificationsModule],
  controllers: [HomePagesController],
  providers: [HomeService, AccountHomeTasks, NotificationHomeTasks],
})
export class HomeModule {}
