import { Injectable, type OnModuleInit } from '@nestjs/common';
import { beijingDate } from '../../common/time/beijing.js';
import { SchedulerService } from '../scheduler/scheduler.service.js';
import { LifecycleService } from './lifecycle.service.js';

/** The membership module's scheduled jobs, by name (tests call scheduler.runNow with these). */
export const MEMBERSHIP_JOBS = {
  renewalInvoices: 'membership.renewal-invoices',
  duesReminders: 'membership.dues-reminders',
  lapse: 'membership.lapse',
  suspensionsEnded: 'membership.suspensions-ended',
} as const;

/**
 * How often each instance looks whether today's run is still to do. The run itself happens
 * once per Beijing date across all instances (the run key is the date); a tick after that is a
 * single refused insert.
 */
const TICK_MS = 10 * 60_000;

/**
 * Registers the dues calendar with the scheduler. Each job runs at most once per Beijing day;
 * the first tick after midnight (Beijing) does the day's work. Order within a day does not
 * matter: each job re-reads the state it acts on.
 */
@Injectable()
export class MembershipJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly lifecycle: LifecycleService,
  ) {}

  onModuleInit(): void {
    const daily = (name: string, run: (now: Date) => Promise<Record<string, unknown>>): void =>
      this.scheduler.register({ name, everyMs: TICK_MS, runKey: (now) => beijingDate(now), run });
    daily(MEMBERSHIP_JOBS.renewalInvoices, (now) => this.lifecycle.raiseRenewalInvoices(now));
    daily(MEMBERSHIP_JOBS.duesReminders, (now) => this.lifecycle.sendDuesReminders(now));
    daily(MEMBERSHIP_JOBS.lapse, (now) => this.lifecycle.lapseOverdue(now));
    daily(MEMBERSHIP_JOBS.suspensionsEnded, (now) => this.lifecycle.endSuspensions(now));
  }
}
