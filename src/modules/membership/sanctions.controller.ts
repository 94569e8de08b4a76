import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { CreateStatusTransitionDto } from './dto/create-status-transition.dto.js';
import { StatusChangeResponse, StatusEventView } from './dto/status-change.dto.js';
import {
  LifecycleService,
  type StatusChangeView,
  type StatusEventView as StatusEvent,
} from './lifecycle.service.js';

@ApiTags('membership')
@Controller('api/v1/firms')
export class SanctionsController {
  constructor(private readonly lifecycle: LifecycleService) {}

  @Post(':id/status-transitions')
  @ApiDocumented({
    summary:
      "Change a firm's membership status: staff_admin suspends, reinstates or expels; a firm_admin withdraws its own firm",
    access: ['staff_admin', 'firm_admin'],
    description:
      "The change is public on the firm's directory page (date and reason category). A firm_admin naming another firm gets 404.",
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'STATUS_REASON_REQUIRED'],
      [400, 'STATUS_REASON_CATEGORY_INVALID'],
      [400, 'STATUS_DECISION_REF_REQUIRED'],
      [400, 'STATUS_UNTIL_INVALID'],
      [400, 'STATUS_FIELD_NOT_ALLOWED'],
      [400, 'WITHDRAWAL_NOT_CONFIRMED'],
      [403, 'STATUS_ACTION_NOT_ALLOWED'],
      [404, 'FIRM_NOT_FOUND'],
      [409, 'CONFLICT'],
      [409, 'STATUS_TRANSITION_NOT_ALLOWED'],
      [409, 'DUES_OUTSTANDING'],
    ],
  })
  @ApiCreatedResponse({ type: StatusChangeResponse })
  transition(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreateStatusTransitionDto,
    @Req() request: Request,
  ): Promise<StatusChangeView> {
    return this.lifecycle.transition(auth.user, id, body, requestMeta(request));
  }

  @Get(':id/status-events')
  @ApiDocumented({
    summary:
      "A firm's membership record with staff's written reasons. Firm users see only their own firm's.",
    access: ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'FIRM_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: [StatusEventView] })
  history(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<StatusEvent[]> {
    return this.lifecycle.history(auth.user, id);
  }
}
