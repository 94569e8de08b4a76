import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { JobRun } from './entities/job-run.entity.js';

export interface ScheduledJob {
  /** Stable name, e.g. 'membership.lapse'. */
  name: string;
  /** How often the scheduler looks whether a run is due. */
  everyMs: number;
  /** The period a run covers (e.g. the Beijing date): one run per key, across all instances. */
  runKey(now: Date): string;
  /** Does the work; must be idempotent. Returns a small summary for job_runs.outcome. */
  run(now: Date): Promise<Record<string, unknown>>;
}

export type RunResult =
  | { ran: true; runKey: string; outcome: Record<string, unknown> }
  | { ran: false; runKey: string; reason: 'ALREADY_RAN' };

/**
 * Runs periodic jobs. Several instances may run the same schedule against one PostgreSQL
 * database: each run first claims (job, runKey) by inserting a row whose primary key is that
 * pair, so exactly one instance acts per period. A failed run releases its claim so the next
 * tick retries it. Jobs themselves are idempotent as a second line of defence.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly jobs = new Map<string, ScheduledJob>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    @InjectRepository(JobRun) private readonly runs: Repository<JobRun>,
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {}

  register(job: ScheduledJob): void {
    if (this.jobs.has(job.name)) throw new Error(`Job ${job.name} registered twice`);
    this.jobs.set(job.name, job);
  }

  onApplicationBootstrap(): void {
    if (!this.config.SCHEDULER_ENABLED) return;
    for (const job of this.jobs.values()) {
      const tick = (): void => {
        this.runNow(job.name, new Date()).catch((error: unknown) =>
          this.logger.event('error', 'job.failed', { job: job.name, error: String(error) }),
        );
      };
      const timer = setInterval(tick, job.everyMs);
      timer.unref();
      this.timers.push(timer);
      setTimeout(tick, 5_000).unref();
    }
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  /** Runs `name` for the period containing `now`, unless some instance already has. */
  async runNow(name: string, now: Date): Promise<RunResult> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`No job named ${name}`);
    const runKey = job.runKey(now);
    const claimed = await this.claim(name, runKey, now);
    if (!claimed) return { ran: false, runKey, reason: 'ALREADY_RAN' };
    try {
      const outcome = await job.run(now);
      await this.tx.run((m) =>
        m.update(
          JobRun,
          { job: name, runKey },
          { finishedAt: new Date(), outcome: JSON.stringify(outcome) },
        ),
      );
      this.logger.event('info', 'job.ran', { job: name, runKey, ...outcome });
      return { ran: true, runKey, outcome };
    } catch (error) {
      await this.tx.run((m) => m.delete(JobRun, { job: name, runKey }));
      throw error;
    }
  }

  lastRuns(limit = 50): Promise<JobRun[]> {
    return this.runs.find({ order: { startedAt: 'DESC' }, take: Math.min(limit, 200) });
  }

  private async claim(job: string, runKey: string, now: Date): Promise<boolean> {
    const pg = this.tx.isPostgres;
    const inserted = await this.tx.run(async (m) => {
      const result: unknown = await m.query(
        pg
          ? 'INSERT INTO job_runs (job, "runKey", "startedAt") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING job'
          : 'INSERT INTO job_runs (job, runKey, startedAt) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING job',
        [job, runKey, pg ? now : now.toISOString().replace('T', ' ').replace('Z', '')],
      );
      return Array.isArray(result) ? result.length : 0;
    });
    return inserted > 0;
  }
}
