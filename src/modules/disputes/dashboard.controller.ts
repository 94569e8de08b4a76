import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { DashboardService } from './dashboard.service.js';
import { StatisticsPeriodQueryDto } from './dto/dashboard.dto.js';
import { OverdueService, type OverdueItem } from './overdue.service.js';
import {
  DisputeStatisticsService,
  type DashboardNumbers,
  type FirmDisputeStatistics,
} from './statistics.service.js';

const STAFF: Array<'staff_admin' | 'staff_reviewer'> = ['staff_admin', 'staff_reviewer'];

/** Overdue clocks, per-firm statistics and the dashboard figures, for staff. */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class DashboardController {
  constructor(
    private readonly overdue: OverdueService,
    private readonly statistics: DisputeStatisticsService,
    private readonly dashboard: DashboardService,
  ) {}

  @Get('deadlines/overdue')
  @ApiDocumented({
    summary: 'Open clocks past their due date (escalated or not yet), most overdue first (≤ 200)',
    access: STAFF,
  })
  async overdueList(): Promise<{ items: OverdueItem[]; nextCursor: null }> {
    return { items: await this.overdue.overdue(new Date()), nextCursor: null };
  }

  @Get('statistics/firms/:firmId')
  @ApiDocumented({
    summary:
      "A firm's record as respondent over a period: outcomes, settlement rate, overdue responses, ratings",
    access: STAFF,
    errors: [[400, 'VALIDATION_FAILED']],
  })
  firm(
    @Param('firmId', new ParseUUIDPipe()) firmId: string,
    @Query() query: StatisticsPeriodQueryDto,
  ): Promise<FirmDisputeStatistics> {
    return this.statistics.forFirm(firmId, query);
  }

  @Get('dashboard')
  @ApiDocumented({
    summary:
      'The staff dashboard figures: open tickets by state, complaints per firm, outcomes, overdue',
    access: STAFF,
  })
  numbers(): Promise<DashboardNumbers> {
    return this.dashboard.numbers();
  }

  @Get('dashboard.csv')
  @ApiDocumented({
    summary: 'The dashboard figures as one CSV file for Excel (UTF-8 with BOM)',
    access: STAFF,
  })
  @ApiProduces('text/csv')
  async csv(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.dashboard.csv(req.locale ?? 'zh-CN');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${this.dashboard.fileName()}"`);
    return csv;
  }
}
