import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { ListObligationsDto } from './dto/list-signatories.dto.js';
import { SendRemindersDto } from './dto/send-reminders.dto.js';
import { ReminderResultView, StaffPageView } from './dto/signatory-views.dto.js';
import { PledgesStaffService, type ReminderResult } from './pledges-staff.service.js';
import { PledgesError } from './pledges.errors.js';
import { SignatoryListService, type StaffPage } from './signatory-list.service.js';

@ApiTags('pledges')
@Controller('api/v1/conventions/:versionNumber')
export class PledgesStaffController {
  constructor(
    private readonly lists: SignatoryListService,
    private readonly staff: PledgesStaffService,
  ) {}

  @Get('obligations')
  @ApiDocumented({
    summary: "Staff view of a version's signing obligations: signed, pending, overdue, ended",
    description:
      'In firm-name order, keyset-paginated; `status` narrows the list (overdue includes pending obligations past their deadline). Counts cover the whole version.',
    access: ['staff_admin', 'staff_reviewer'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'SIGNATORY_CURSOR_INVALID'],
      [404, 'CONVENTION_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: StaffPageView })
  list(
    @Param('versionNumber', ParseIntPipe) versionNumber: number,
    @Query() query: ListObligationsDto,
  ): Promise<StaffPage> {
    return this.lists.staffPage(versionNumber, query);
  }

  @Post('reminders')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Remind firms to sign a version: the listed firms, or every overdue firm',
    description:
      'Each firm that has not signed gets an e-mail to its authorised signatory and administrators, an in-app notice, and one audit event. Listed firms that have signed or left are skipped; give `firmIds` or `overdue: true`.',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'REMINDER_NO_FIRMS'],
      [404, 'CONVENTION_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: ReminderResultView })
  remind(
    @Auth() auth: AuthContext,
    @Param('versionNumber', ParseIntPipe) versionNumber: number,
    @Body() body: SendRemindersDto,
    @Req() req: Request,
  ): Promise<ReminderResult> {
    if (body.overdue === true && !body.firmIds)
      return this.staff.remind(auth.user, versionNumber, { overdue: true }, requestMeta(req));
    if (!body.firmIds || body.overdue === true) throw new PledgesError('REMINDER_NO_FIRMS');
    return this.staff.remind(auth.user, versionNumber, { firmIds: body.firmIds }, requestMeta(req));
  }
}
