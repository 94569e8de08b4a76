import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { CalendarService, toCalendarDayView, type CalendarDayView } from './calendar.service.js';
import { CalendarDayDto, CalendarYearQueryDto } from './dto/calendar.dto.js';

/** The working-day calendar's exceptions (holidays, adjusted working days) as data. */
@ApiTags('disputes')
@Controller('api/v1/disputes/calendar')
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get()
  @ApiDocumented({
    summary: "A year's holidays and adjusted working days, in date order",
    access: ['staff_admin', 'staff_reviewer'],
    errors: [[400, 'VALIDATION_FAILED']],
  })
  async list(@Query() query: CalendarYearQueryDto): Promise<{ items: CalendarDayView[] }> {
    return { items: (await this.calendars.list(query.year)).map(toCalendarDayView) };
  }

  @Put(':date')
  @ApiDocumented({
    summary:
      'Add or replace the exception for a date; clocks started afterwards count on the new calendar',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CALENDAR_DATE_INVALID'],
    ],
  })
  async upsert(
    @Auth() auth: AuthContext,
    @Param('date') date: string,
    @Body() body: CalendarDayDto,
    @Req() req: Request,
  ): Promise<CalendarDayView> {
    return toCalendarDayView(
      await this.calendars.upsert(auth.user, { date, ...body }, requestMeta(req)),
    );
  }

  @Delete(':date')
  @HttpCode(204)
  @ApiDocumented({
    summary: 'Remove the exception for a date (it becomes an ordinary weekday or weekend day)',
    access: ['staff_admin'],
    errors: [[404, 'CALENDAR_DAY_NOT_FOUND']],
  })
  async remove(
    @Auth() auth: AuthContext,
    @Param('date') date: string,
    @Req() req: Request,
  ): Promise<void> {
    await this.calendars.remove(auth.user, date, requestMeta(req));
  }
}
