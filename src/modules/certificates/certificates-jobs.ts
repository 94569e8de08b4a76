import { Injectable, type OnModuleInit } from '@nestjs/common';
import { beijingDate } from '../../common/time/beijing.js';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { CertificatesService } from './certificates.service.js';

/** The daily job's name (tests call scheduler.runNow with it). */
export const PLEDGE_SUPERSEDED_JOB = 'certificates.pledge-superseded';

/** Checks ten-minutely whether today's (Beijing) run is still to do. */
const TICK_MS = 10 * 60_000;

/** Start-up wiring: revocation of pledge certificates superseded past their deadline. */
@Injectable()
export class CertificatesJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly certificates: CertificatesService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: PLEDGE_SUPERSEDED_JOB,
      everyMs: TICK_MS,
      runKey: (now) => beijingDate(now),
      run: (now) => this.certificates.revokeSupersededPledges(now),
    });
  }
}
