import { Injectable, type OnModuleInit } from '@nestjs/common';
import { beijingDate } from '../../common/time/beijing.js';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { ExpiryService, RATINGS_EXPIRY_JOB } from './expiry.service.js';

/** Checks ten-minutely whether today's (Beijing) expiry run is still to do. */
const TICK_MS = 10 * 60_000;

/** Start-up wiring of the daily rating expiry. */
@Injectable()
export class RatingsExpiryJob implements OnModuleInit {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly expiry: ExpiryService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: RATINGS_EXPIRY_JOB,
      everyMs: TICK_MS,
      runKey: (now) => beijingDate(now),
      run: (now) => this.expiry.expire(now),
    });
  }
}
