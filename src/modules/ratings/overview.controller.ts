import { Controller, Get, Header, Param, ParseUUIDPipe, Req } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { localeOf } from '../auth/page-forms.js';
import { OverviewService, type CycleOverview } from './overview.service.js';

const uuid = new ParseUUIDPipe();
const STAFF = ['staff_admin', 'staff_reviewer'] as const;

/** Per-cycle staff overview (issue 6 §8). */
@ApiTags('ratings')
@Controller('api/v1/ratings/cycles/:id')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get('overview')
  @ApiDocumented({
    summary:
      'Counts of submissions by state (firms not started included), published grade distribution and one row per firm',
    access: [...STAFF],
    errors: [[404, 'CYCLE_NOT_FOUND']],
  })
  get(@Auth() auth: AuthContext, @Param('id', uuid) id: string): Promise<CycleOverview> {
    return this.overview.overview(auth.user, id);
  }

  @Get('overview.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiDocumented({
    summary:
      'The overview as CSV: firm, credit code, state, score, computed, proposed and published grade, under appeal',
    access: [...STAFF],
    errors: [[404, 'CYCLE_NOT_FOUND']],
  })
  async csv(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<string> {
    return this.overview.csv(await this.overview.overview(auth.user, id), localeOf(req));
  }
}
