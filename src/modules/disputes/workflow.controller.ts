import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import {
  FailTicketDto,
  RejectTicketDto,
  RespondTicketDto,
  WithdrawTicketDto,
  WorkflowActionDto,
} from './dto/workflow.dto.js';
import { WorkflowService, type WorkflowTicketView } from './workflow.service.js';

const STAFF = ['staff_admin', 'staff_reviewer'] as const;
const FIRM = ['firm_admin', 'firm_member'] as const;
/** Refusals every action can meet. */
const COMMON: Array<[number, string]> = [
  [400, 'VALIDATION_FAILED'],
  [403, 'FORBIDDEN'],
  [404, 'TICKET_NOT_FOUND'],
  [409, 'CONFLICT'],
  [409, 'TRANSITION_NOT_ALLOWED'],
];

/** The ticket workflow's actions (issue 5 §2). Each answers the ticket's state and clocks. */
@ApiTags('disputes')
@Controller('api/v1/disputes/tickets/:id')
export class WorkflowController {
  constructor(private readonly workflow: WorkflowService) {}

  @Post('accept')
  @HttpCode(200)
  @ApiDocumented({
    summary: "Accept a filed complaint at triage; starts the firm's 5-working-day response clock",
    access: [...STAFF],
    errors: COMMON,
  })
  accept(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: WorkflowActionDto,
    @Req() req: Request,
  ): Promise<WorkflowTicketView> {
    return this.workflow.accept(auth.user, id, body, requestMeta(req));
  }

  @Post('reject')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Reject a filed complaint as out of scope, with a reason code and an optional note',
    access: [...STAFF],
    errors: [...COMMON, [400, 'REJECT_REASON_INVALID']],
  })
  reject(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: RejectTicketDto,
    @Req() req: Request,
  ): Promise<WorkflowTicketView> {
    return this.workflow.reject(auth.user, id, body, requestMeta(req));
  }

  @Post('respond')
  @HttpCode(200)
  @ApiDocumented({
    summary: "The respondent firm's response; mediation starts (30-working-day clock)",
    access: [...FIRM],
    errors: [...COMMON, [400, 'RESPONSE_REQUIRED']],
  })
  respond(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: RespondTicketDto,
    @Req() req: Request,
  ): Promise<WorkflowTicketView> {
    return this.workflow.respond(auth.user, id, body, requestMeta(req));
  }

  @Post('withdraw')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'The complainant withdraws the complaint (optional reason); open clocks stop',
    access: ['complainant'],
    errors: COMMON,
  })
  withdraw(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: WithdrawTicketDto,
    @Req() req: Request,
  ): Promise<WorkflowTicketView> {
    return this.workflow.withdraw(auth.user, id, body, requestMeta(req));
  }

  @Post('fail')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'The mediator who accepted the case ends mediation without agreement (reason required)',
    access: ['mediator'],
    errors: [...COMMON, [400, 'REASON_REQUIRED'], [403, 'NOT_ACCEPTED_MEDIATOR']],
  })
  fail(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: FailTicketDto,
    @Req() req: Request,
  ): Promise<WorkflowTicketView> {
    return this.workflow.fail(auth.user, id, body, requestMeta(req));
  }

  @Post('close')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Close a failed or withdrawn complaint (mediator or staff); the survey opens',
    access: ['mediator', ...STAFF],
    errors: [...COMMON, [403, 'NOT_ACCEPTED_MEDIATOR']],
  })
  close(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: WorkflowActionDto,
    @Req() req: Request,
  ): Promise<WorkflowTicketView> {
    return this.workflow.close(auth.user, id, body, requestMeta(req));
  }

  @Post('extension/request')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'The mediator asks both parties to extend the mediation deadline (once per case)',
    access: ['mediator'],
    errors: [...COMMON, [403, 'NOT_ACCEPTED_MEDIATOR'], [409, 'EXTENSION_USED']],
  })
  requestExtension(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: WorkflowActionDto,
    @Req() req: Request,
  ): Promise<WorkflowTicketView> {
    return this.workflow.requestExtension(auth.user, id, body, requestMeta(req));
  }

  @Post('extension/consent')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'A party agrees to the requested extension; with both agreements the mediation clock moves on 30 working days',
    access: ['complainant', ...FIRM],
    errors: [
      ...COMMON,
      [409, 'EXTENSION_NOT_REQUESTED'],
      [409, 'EXTENSION_USED'],
      [409, 'EXTENSION_CONSENT_GIVEN'],
    ],
  })
  consentExtension(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: WorkflowActionDto,
    @Req() req: Request,
  ): Promise<WorkflowTicketView> {
    return this.workflow.consentExtension(auth.user, id, body, requestMeta(req));
  }
}
