import { Injectable, type OnModuleInit } from '@nestjs/common';
import { beijingDate } from '../../common/time/beijing.js';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { PerformanceService, SETTLEMENT_LAPSE_JOB } from './performance.service.js';

/** Checks ten-minutely whether today's (Beijing) lapse run is still to do. */
const TICK_MS = 10 * 60_000;

/** Start-up wiring: the daily job that closes settled tickets whose reopen window has passed. */
@Injectable()
export class SettlementJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly performance: PerformanceService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: SETTLEMENT_LAPSE_JOB,
      everyMs: TICK_MS,
      runKey: (now) => beijingDate(now),
      run: (now) => this.performance.lapse(now),
    });
  }
}
