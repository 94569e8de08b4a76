import { Injectable, type OnModuleInit } from '@nestjs/common';
import { beijingDate } from '../../common/time/beijing.js';
import {
  ConventionSignatureCheck,
  ReplaceableConventionCheck,
} from '../membership/convention-check.js';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { ObligationsService, PLEDGE_DEADLINE_JOB } from './obligations.service.js';
import { PledgesConventionCheck } from './pledges-check.js';

/** Checks ten-minutely whether today's (Beijing) deadline run is still to do. */
const TICK_MS = 10 * 60_000;

/** Start-up wiring: the daily deadline job, and admission's convention check. */
@Injectable()
export class PledgesJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly obligations: ObligationsService,
    private readonly membershipCheck: ConventionSignatureCheck,
    private readonly pledgesCheck: PledgesConventionCheck,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: PLEDGE_DEADLINE_JOB,
      everyMs: TICK_MS,
      runKey: (now) => beijingDate(now),
      run: (now) => this.obligations.runDeadlines(now),
    });
    // MembershipModule cannot import this module; it exposes a check we plug ours into. A
    // test that replaced the token with a fake keeps its fake.
    if (this.membershipCheck instanceof ReplaceableConventionCheck)
      this.membershipCheck.install(this.pledgesCheck);
  }
}
