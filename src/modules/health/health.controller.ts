import { statSync } from 'node:fs';
import { Controller, Get, HttpCode, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { toProblem } from '../../common/errors/problem.filter.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { AppConfig } from '../../config/app-config.js';
import { HealthError } from './health.errors.js';

/**
 * How long readiness waits for the database before answering 503. Short: a load balancer
 * probing every few seconds must learn of an outage before its next probe, and a database
 * that takes longer than this to answer SELECT 1 is not serving requests either.
 */
export const READY_TIMEOUT_MS = 1000;
const PROBE_MAX_AGE_MS = 5 * READY_TIMEOUT_MS;

@ApiTags('health')
@Controller('health')
export class HealthController {
  /** The SQLite file as it was opened; null on PostgreSQL. */
  private readonly sqliteFile: { path: string; ino: number } | null;
  /**
   * The probe in flight, shared: probes must not pile up behind a database that hangs. One
   * that has hung for long is replaced, so that a database that is back is seen as back.
   */
  private probe: { startedAt: number; answered: Promise<boolean> } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.sqliteFile = null;
    if (!config.usesPostgres && config.SQLITE_PATH !== ':memory:') {
      try {
        this.sqliteFile = { path: config.SQLITE_PATH, ino: statSync(config.SQLITE_PATH).ino };
      } catch {
        // Not there yet: the readiness check then only asks the connection.
      }
    }
  }

  @Get(['', 'live'])
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Liveness: the process is up; never touches the database.',
    access: 'public',
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiDocumented({
    summary: `Readiness: the database answers within ${READY_TIMEOUT_MS} ms.`,
    access: 'public',
    errors: [[503, 'DATABASE_UNAVAILABLE']],
  })
  async ready(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (await this.databaseAnswers()) {
      response.status(200).json({ status: 'ok', database: 'up' });
      return;
    }
    const problem = toProblem(
      new HealthError('DATABASE_UNAVAILABLE', { database: 'down' }),
      request,
    );
    response
      .status(problem.status)
      .type('application/problem+json')
      .setHeader('Cache-Control', 'no-store')
      .send(JSON.stringify(problem));
  }

  private databaseAnswers(): Promise<boolean> {
    // A SQLite file deleted or replaced under a running server still answers through the open
    // handle, but every write from then on goes to a file no one will ever read again.
    if (this.sqliteFile && !isSameFile(this.sqliteFile)) return Promise.resolve(false);
    const now = Date.now();
    if (!this.probe || now - this.probe.startedAt > PROBE_MAX_AGE_MS) {
      const probe = {
        startedAt: now,
        answered: this.dataSource.query('SELECT 1').then(
          () => true,
          () => false,
        ),
      };
      void probe.answered.finally(() => {
        if (this.probe === probe) this.probe = null;
      });
      this.probe = probe;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    });
    return Promise.race([this.probe.answered, timeout]).finally(() => clearTimeout(timer));
  }
}

function isSameFile(file: { path: string; ino: number }): boolean {
  try {
    return statSync(file.path).ino === file.ino;
  } catch {
    return false;
  }
}
