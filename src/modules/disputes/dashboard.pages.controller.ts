import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../common/auth/decorators.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { localeOf } from '../auth/page-forms.js';
import { DashboardService } from './dashboard.service.js';

/** The staff dashboard page (server-side SVG charts) and its CSV download. */
@ApiExcludeController()
@Controller('staff/disputes')
export class DashboardPagesController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('dashboard')
  @Roles('staff_admin', 'staff_reviewer')
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const model = await this.dashboard.page(localeOf(req));
    this.pages.send(req, res, 'disputes/dashboard', {
      titleKey: 'disputes.dashboard.title',
      ...model,
    });
  }

  @Get('dashboard.csv')
  @Roles('staff_admin', 'staff_reviewer')
  async csv(@Req() req: Request, @Res() res: Response): Promise<void> {
    const csv = await this.dashboard.csv(localeOf(req));
    res
      .status(200)
      .setHeader('Content-Type', 'text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${this.dashboard.fileName()}"`)
      .setHeader('Cache-Control', 'no-store')
      .send(csv);
  }
}
