import { Injectable, type OnModuleInit } from '@nestjs/common';
import { beijingDate } from '../../common/time/beijing.js';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { CyclesService } from './cycles.service.js';

/** Checks ten-minutely whether today's (Beijing) run is still to do. */
const TICK_MS = 10 * 60_000;
export const RATING_CYCLES_JOB = 'ratings.cycles';

/** The daily cycle job: close cycles past their window, then remind firms that have not submitted. */
@Injectable()
export class RatingsCyclesJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly cycles: CyclesService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: RATING_CYCLES_JOB,
      everyMs: TICK_MS,
      runKey: (now) => beijingDate(now),
      run: async (now) => ({
        closed: await this.cycles.closeExpired(now),
        reminders: await this.cycles.sendReminders(now),
      }),
    });
  }
}
