import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { ConversationService, type MessageView } from './conversation.service.js';
import { MessageListResponse, MessageResponse, PostMessageDto } from './dto/dispute-message.dto.js';
import {
  ScheduleSessionDto,
  SessionListResponse,
  SessionResponse,
} from './dto/dispute-session.dto.js';
import { SessionsService, type SessionView } from './sessions.service.js';

const uuid = new ParseUUIDPipe();

/** The ticket's conversation (messages by visibility) and its scheduled sessions. */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class ConversationController {
  constructor(
    private readonly conversation: ConversationService,
    private readonly sessions: SessionsService,
  ) {}

  @Get('tickets/:id/messages')
  @ApiDocumented({
    summary: 'Messages the caller may read, oldest first, with their attachments',
    access: 'signed-in',
    errors: [[404, 'TICKET_NOT_FOUND']],
  })
  @ApiOkResponse({ type: MessageListResponse })
  async list(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
  ): Promise<{ items: MessageView[] }> {
    return { items: await this.conversation.list(auth.user, id) };
  }

  @Post('tickets/:id/messages')
  @ApiDocumented({
    summary:
      'Post a message with a visibility the caller may write (files: on the ticket page form)',
    access: 'signed-in',
    errors: [
      [400, 'MESSAGE_EMPTY'],
      [400, 'VISIBILITY_NOT_ALLOWED'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'NO_MEDIATOR'],
      [409, 'TICKET_NOT_ACTIVE'],
    ],
  })
  @ApiCreatedResponse({ type: MessageResponse })
  post(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: PostMessageDto,
    @Req() req: Request,
  ): Promise<MessageView> {
    return this.conversation.post(auth.user, id, body, [], requestMeta(req));
  }

  @Get('tickets/:id/sessions')
  @ApiDocumented({
    summary: "The ticket's mediation sessions",
    access: 'signed-in',
    errors: [[404, 'TICKET_NOT_FOUND']],
  })
  @ApiOkResponse({ type: SessionListResponse })
  async listSessions(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
  ): Promise<{ items: SessionView[] }> {
    return { items: await this.sessions.list(auth.user, id) };
  }

  @Post('tickets/:id/sessions')
  @ApiDocumented({
    summary: 'Schedule a mediation session (the accepted mediator); both parties are e-mailed',
    access: ['mediator'],
    errors: [
      [400, 'SESSION_INVALID'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'TICKET_NOT_ACTIVE'],
    ],
  })
  @ApiCreatedResponse({ type: SessionResponse })
  schedule(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ScheduleSessionDto,
    @Req() req: Request,
  ): Promise<SessionView> {
    return this.sessions.schedule(auth.user, id, body, requestMeta(req));
  }

  @Post('sessions/:id/cancel')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Cancel a scheduled session (the accepted mediator); both parties are e-mailed',
    access: ['mediator'],
    errors: [
      [404, 'SESSION_NOT_FOUND'],
      [409, 'TICKET_NOT_ACTIVE'],
    ],
  })
  @ApiOkResponse({ type: SessionResponse })
  cancel(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<SessionView> {
    return this.sessions.cancel(auth.user, id, requestMeta(req));
  }
}
