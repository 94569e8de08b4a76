import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobRun } from './entities/job-run.entity.js';
import { SchedulerService } from './scheduler.service.js';

/** Periodic jobs; modules register theirs in onModuleInit. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobRun])],
  providers: [SchedulerService],
  exports: [SchedulerService],
})
export class SchedulerModule {}
