import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import type { Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { AssignmentService, type AssignmentView, type PoolItem } from './assignment.service.js';
import { ChallengesService, type ChallengeView } from './challenges.service.js';
import {
  AcceptAssignmentDto,
  AssignMediatorDto,
  AssignmentResponse,
  DeclineAssignmentDto,
  ExpectedVersionDto,
  PoolResponse,
} from './dto/assign-mediator.dto.js';
import {
  ChallengeResponse,
  CreateChallengeDto,
  DecideChallengeDto,
} from './dto/mediator-challenge.dto.js';

const uuid = new ParseUUIDPipe();
const STAFF: Role[] = ['staff_admin', 'staff_reviewer'];
const TICKET_ERRORS: Array<[number, string]> = [
  [404, 'TICKET_NOT_FOUND'],
  [409, 'CONFLICT'],
  [409, 'TRANSITION_NOT_ALLOWED'],
];

/** Assigning the mediator, the open pool, and challenges to the mediator. */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class AssignmentController {
  constructor(
    private readonly assignment: AssignmentService,
    private readonly challenges: ChallengesService,
  ) {}

  @Post('tickets/:id/assign')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Offer the ticket to a mediator (refused when the mediator is affiliated with the respondent)',
    access: STAFF,
    errors: [
      ...TICKET_ERRORS,
      [404, 'MEDIATOR_NOT_FOUND'],
      [409, 'MEDIATOR_CONFLICT'],
      [409, 'MEDIATOR_INACTIVE'],
    ],
  })
  @ApiOkResponse({ type: AssignmentResponse })
  assign(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: AssignMediatorDto,
    @Req() req: Request,
  ): Promise<AssignmentView> {
    return this.assignment.assign(
      auth.user,
      id,
      body.mediatorUserId,
      body.expectedVersion,
      requestMeta(req),
    );
  }

  @Post('tickets/:id/auto-assign')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Offer the ticket to the least-loaded eligible mediator (active, no conflict, not challenged out)',
    access: STAFF,
    errors: [...TICKET_ERRORS, [409, 'NO_ELIGIBLE_MEDIATOR']],
  })
  @ApiOkResponse({ type: AssignmentResponse })
  autoAssign(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ExpectedVersionDto,
    @Req() req: Request,
  ): Promise<AssignmentView> {
    return this.assignment.autoAssign(auth.user, id, body.expectedVersion, requestMeta(req));
  }

  @Post('tickets/:id/open-pool')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Open the ticket to every eligible mediator',
    access: STAFF,
    errors: TICKET_ERRORS,
  })
  @ApiOkResponse({ type: AssignmentResponse })
  openPool(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ExpectedVersionDto,
    @Req() req: Request,
  ): Promise<AssignmentView> {
    return this.assignment.openPool(auth.user, id, body.expectedVersion, requestMeta(req));
  }

  @Post('tickets/:id/release-assignment')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Take the ticket back from its mediator or out of the pool',
    access: STAFF,
    errors: TICKET_ERRORS,
  })
  @ApiOkResponse({ type: AssignmentResponse })
  release(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ExpectedVersionDto,
    @Req() req: Request,
  ): Promise<AssignmentView> {
    return this.assignment.release(auth.user, id, body.expectedVersion, requestMeta(req));
  }

  @Get('pool')
  @ApiDocumented({
    summary: 'Open tickets the calling mediator may take (summary only)',
    access: ['mediator'],
  })
  @ApiOkResponse({ type: PoolResponse })
  async pool(@Auth() auth: AuthContext): Promise<{ items: PoolItem[] }> {
    return { items: await this.assignment.pool(auth.user) };
  }

  @Post('tickets/:id/accept-assignment')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Accept an offered or open ticket, confirming no conflict with either party',
    access: ['mediator'],
    errors: [
      ...TICKET_ERRORS,
      [400, 'NO_CONFLICT_CONFIRMATION'],
      [409, 'MEDIATOR_CONFLICT'],
      [409, 'MEDIATOR_INACTIVE'],
    ],
  })
  @ApiOkResponse({ type: AssignmentResponse })
  accept(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: AcceptAssignmentDto,
    @Req() req: Request,
  ): Promise<AssignmentView> {
    return this.assignment.accept(
      auth.user,
      id,
      body.noConflict,
      body.expectedVersion,
      requestMeta(req),
    );
  }

  @Post('tickets/:id/decline-assignment')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Decline an offered ticket, with a reason',
    access: ['mediator'],
    errors: [...TICKET_ERRORS, [400, 'REASON_REQUIRED']],
  })
  @ApiOkResponse({ type: AssignmentResponse })
  decline(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: DeclineAssignmentDto,
    @Req() req: Request,
  ): Promise<AssignmentView> {
    return this.assignment.decline(
      auth.user,
      id,
      body.reason,
      body.expectedVersion,
      requestMeta(req),
    );
  }

  @Post('tickets/:id/release-contact')
  @HttpCode(200)
  @ApiDocumented({
    summary: "Show the complainant's contact details to the firm (the accepted mediator)",
    access: ['mediator'],
    errors: [...TICKET_ERRORS, [409, 'TICKET_NOT_ACTIVE']],
  })
  @ApiOkResponse({ type: AssignmentResponse })
  releaseContact(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ExpectedVersionDto,
    @Req() req: Request,
  ): Promise<AssignmentView> {
    return this.assignment.releaseContact(auth.user, id, body.expectedVersion, requestMeta(req));
  }

  @Get('tickets/:id/challenges')
  @ApiDocumented({
    summary: 'Challenges on the ticket (a party sees its own)',
    access: 'signed-in',
    errors: [[404, 'TICKET_NOT_FOUND']],
  })
  @ApiOkResponse({ type: [ChallengeResponse] })
  async listChallenges(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
  ): Promise<{ items: ChallengeView[] }> {
    return { items: await this.challenges.list(auth.user, id) };
  }

  @Post('tickets/:id/challenges')
  @ApiDocumented({
    summary: 'Challenge the mediator, with reasons (the complainant and the firm once each)',
    access: ['complainant', 'firm_admin'],
    errors: [
      [400, 'REASON_REQUIRED'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'CHALLENGE_USED'],
      [409, 'NO_MEDIATOR'],
      [409, 'TICKET_NOT_ACTIVE'],
    ],
  })
  @ApiCreatedResponse({ type: ChallengeResponse })
  challenge(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: CreateChallengeDto,
    @Req() req: Request,
  ): Promise<ChallengeView> {
    return this.challenges.challenge(auth.user, id, body.reason, requestMeta(req));
  }

  @Post('challenges/:id/decide')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Decide a challenge: upheld releases the mediator (never offered this ticket again), or dismissed',
    access: STAFF,
    errors: [
      [400, 'REASON_REQUIRED'],
      [404, 'CHALLENGE_NOT_FOUND'],
      [409, 'CHALLENGE_DECIDED'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: ChallengeResponse })
  decide(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: DecideChallengeDto,
    @Req() req: Request,
  ): Promise<ChallengeView> {
    return this.challenges.decide(auth.user, id, body.decision, body.note, requestMeta(req));
  }
}
