import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import type { Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import {
  ColleaguesService,
  type ColleaguesView,
  type InvitationView,
} from './colleagues.service.js';
import { AcceptInvitationDto } from './dto/accept-invitation.dto.js';
import { DesignateSignatoryDto } from './dto/designate-signatory.dto.js';
import {
  AcceptedInvitationResponse,
  ColleaguesResponse,
  InvitationResponse,
} from './dto/firm-portal-responses.dto.js';
import { InviteColleagueDto } from './dto/invite-colleague.dto.js';

const READERS: Role[] = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'];
const uuid = new ParseUUIDPipe();

@ApiTags('membership')
@Controller('api/v1')
export class ColleaguesController {
  constructor(private readonly colleagues: ColleaguesService) {}

  @Get('firms/:firmId/colleagues')
  @ApiDocumented({
    summary: "The firm's accounts (removed ones marked), its invitations and its signatory",
    access: READERS,
    errors: [[404, 'FIRM_NOT_FOUND']],
  })
  @ApiOkResponse({ type: ColleaguesResponse })
  list(@Auth() auth: AuthContext, @Param('firmId', uuid) firmId: string): Promise<ColleaguesView> {
    return this.colleagues.list(auth.user, firmId);
  }

  @Post('firms/:firmId/invitations')
  @ApiDocumented({
    summary: 'Invite a colleague by e-mail as firm_admin or firm_member (link valid 7 days)',
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'FIRM_NOT_FOUND'],
      [409, 'INVITEE_HAS_ACCOUNT'],
    ],
  })
  @ApiCreatedResponse({ type: InvitationResponse })
  invite(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Body() body: InviteColleagueDto,
    @Req() req: Request,
  ): Promise<InvitationView> {
    return this.colleagues.invite(auth.user, firmId, body, req.locale ?? 'zh-CN', requestMeta(req));
  }

  @Delete('firms/:firmId/invitations/:id')
  @HttpCode(204)
  @ApiDocumented({
    summary: 'Revoke a pending invitation: its link stops working',
    access: ['firm_admin'],
    errors: [
      [404, 'FIRM_NOT_FOUND'],
      [404, 'INVITATION_NOT_FOUND'],
    ],
  })
  @ApiNoContentResponse()
  revoke(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<void> {
    return this.colleagues.revokeInvitation(auth.user, firmId, id, requestMeta(req));
  }

  @Delete('firms/:firmId/colleagues/:userId')
  @HttpCode(204)
  @ApiDocumented({
    summary:
      "Remove a colleague: the account is disabled and its sessions end. Not yourself, not the firm's last administrator.",
    access: ['firm_admin'],
    errors: [
      [400, 'CANNOT_REMOVE_SELF'],
      [404, 'FIRM_NOT_FOUND'],
      [404, 'COLLEAGUE_NOT_FOUND'],
      [409, 'LAST_FIRM_ADMIN'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiNoContentResponse()
  remove(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('userId', uuid) userId: string,
    @Req() req: Request,
  ): Promise<void> {
    return this.colleagues.remove(auth.user, firmId, userId, requestMeta(req));
  }

  @Put('firms/:firmId/signatory')
  @HttpCode(204)
  @ApiDocumented({
    summary:
      'Designate the authorised signatory (an active user of the same firm), who signs pledges and settlements',
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'SIGNATORY_INVALID'],
      [404, 'FIRM_NOT_FOUND'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiNoContentResponse()
  designate(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Body() body: DesignateSignatoryDto,
    @Req() req: Request,
  ): Promise<void> {
    return this.colleagues.designateSignatory(auth.user, firmId, body.userId, requestMeta(req));
  }

  @Post('invitations/accept')
  @HttpCode(201)
  @ApiDocumented({
    summary:
      'Accept an invitation: creates the account (e-mail verified by the link). Sign in afterwards.',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'INVITATION_INVALID'],
      [400, 'PASSWORD_TOO_SHORT'],
      [400, 'PASSWORD_TOO_COMMON'],
      [400, 'PASSWORD_CONTAINS_IDENTITY'],
      [409, 'EMAIL_TAKEN'],
    ],
  })
  @ApiCreatedResponse({ type: AcceptedInvitationResponse })
  async accept(
    @Body() body: AcceptInvitationDto,
    @Req() req: Request,
  ): Promise<AcceptedInvitationResponse> {
    const user = await this.colleagues.accept(body, req.locale ?? 'zh-CN', requestMeta(req));
    return { id: user.id, email: user.email, role: user.role, firmId: user.firmId ?? '' };
  }
}
