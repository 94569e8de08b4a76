import { Injectable, type OnModuleInit } from '@nestjs/common';
import { beijingDate } from '../../common/time/beijing.js';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { DISPUTES_OVERDUE_JOB, OverdueService } from './overdue.service.js';

/** Checks ten-minutely whether today's (Beijing) escalation run is still to do. */
const TICK_MS = 10 * 60_000;

/** Start-up wiring of the daily overdue-deadline escalation. */
@Injectable()
export class OverdueJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly overdue: OverdueService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: DISPUTES_OVERDUE_JOB,
      everyMs: TICK_MS,
      runKey: (now) => beijingDate(now),
      run: (now) => this.overdue.escalate(now),
    });
  }
}
