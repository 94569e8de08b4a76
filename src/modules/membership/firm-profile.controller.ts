import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import type { Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { AddLicenceDto } from './dto/add-licence.dto.js';
import {
  ApproveChangeRequestDto,
  RejectChangeRequestDto,
} from './dto/decide-change-request.dto.js';
import {
  ChangeRequestListResponse,
  ChangeRequestResponse,
  FirmHistoryResponse,
  FirmProfileResponse,
  LicenceResponse,
} from './dto/firm-portal-responses.dto.js';
import { ListChangeRequestsDto } from './dto/list-change-requests.dto.js';
import { RequestFirmChangeDto } from './dto/request-firm-change.dto.js';
import { UpdateFirmProfileDto } from './dto/update-firm-profile.dto.js';
import {
  FirmProfileService,
  type ChangeRequestView,
  type FirmHistory,
  type FirmProfileView,
  type LicenceView,
} from './firm-profile.service.js';

const READERS: Role[] = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'];
const STAFF: Role[] = ['staff_admin', 'staff_reviewer'];
const uuid = new ParseUUIDPipe();

@ApiTags('membership')
@Controller('api/v1')
export class FirmProfileController {
  constructor(private readonly profiles: FirmProfileService) {}

  @Get('firms/:firmId/profile')
  @ApiDocumented({
    summary: "The firm's full record: profile, categories, licences. Other firms answer 404.",
    access: READERS,
    errors: [[404, 'FIRM_NOT_FOUND']],
  })
  @ApiOkResponse({ type: FirmProfileResponse })
  profile(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
  ): Promise<FirmProfileView> {
    return this.profiles.profile(auth.user, firmId);
  }

  @Patch('firms/:firmId/profile')
  @ApiDocumented({
    summary:
      'Edit the fields that need no review. Name, credit code and legal representative go ' +
      'through a change request; status and tier are never set here (400 names the field).',
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'FIRM_NOT_FOUND'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: FirmProfileResponse })
  update(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Body() body: UpdateFirmProfileDto,
    @Req() req: Request,
  ): Promise<FirmProfileView> {
    return this.profiles.updateProfile(auth.user, firmId, body, requestMeta(req));
  }

  @Post('firms/:firmId/licences')
  @ApiDocumented({
    summary: 'Add a licence the firm holds',
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'LICENCE_DATES_INVALID'],
      [404, 'FIRM_NOT_FOUND'],
    ],
  })
  @ApiCreatedResponse({ type: LicenceResponse })
  addLicence(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Body() body: AddLicenceDto,
    @Req() req: Request,
  ): Promise<LicenceView> {
    return this.profiles.addLicence(auth.user, firmId, body, requestMeta(req));
  }

  @Delete('firms/:firmId/licences/:licenceId')
  @HttpCode(204)
  @ApiDocumented({
    summary: 'Remove a licence (the history keeps what it said)',
    access: ['firm_admin'],
    errors: [
      [404, 'FIRM_NOT_FOUND'],
      [404, 'LICENCE_NOT_FOUND'],
    ],
  })
  @ApiNoContentResponse()
  removeLicence(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('licenceId', uuid) licenceId: string,
    @Req() req: Request,
  ): Promise<void> {
    return this.profiles.removeLicence(auth.user, firmId, licenceId, requestMeta(req));
  }

  @Get('firms/:firmId/history')
  @ApiDocumented({
    summary: "The firm record's revisions (field, from, to) and its membership status events",
    access: READERS,
    errors: [[404, 'FIRM_NOT_FOUND']],
  })
  @ApiOkResponse({ type: FirmHistoryResponse })
  history(@Auth() auth: AuthContext, @Param('firmId', uuid) firmId: string): Promise<FirmHistory> {
    return this.profiles.history(auth.user, firmId);
  }

  @Post('firms/:firmId/change-requests')
  @ApiDocumented({
    summary:
      'Ask staff to change the legal name, credit code or legal representative. ' +
      "An applicant firm's change applies at once (its record is reviewed with its application).",
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CREDIT_CODE_INVALID'],
      [400, 'CHANGE_REQUEST_EMPTY'],
      [404, 'FIRM_NOT_FOUND'],
      [409, 'CREDIT_CODE_TAKEN'],
      [409, 'CHANGE_REQUEST_PENDING'],
    ],
  })
  @ApiCreatedResponse({ type: ChangeRequestResponse })
  requestChange(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Body() body: RequestFirmChangeDto,
    @Req() req: Request,
  ): Promise<ChangeRequestView> {
    return this.profiles.requestChange(auth.user, firmId, body, requestMeta(req));
  }

  @Get('firms/:firmId/change-requests')
  @ApiDocumented({
    summary: "The firm's change requests, newest first",
    access: READERS,
    errors: [[404, 'FIRM_NOT_FOUND']],
  })
  @ApiOkResponse({ type: ChangeRequestListResponse })
  async changeRequests(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
  ): Promise<{ items: ChangeRequestView[] }> {
    return { items: await this.profiles.changeRequestsOf(auth.user, firmId) };
  }

  @Post('firms/:firmId/change-requests/:id/withdraw')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Withdraw a pending change request of your firm',
    access: ['firm_admin'],
    errors: [
      [404, 'FIRM_NOT_FOUND'],
      [404, 'CHANGE_REQUEST_NOT_FOUND'],
      [409, 'CHANGE_REQUEST_NOT_PENDING'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: ChangeRequestResponse })
  withdraw(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<ChangeRequestView> {
    return this.profiles.withdrawChange(auth.user, firmId, id, requestMeta(req));
  }

  @Post('firms/:firmId/change-requests/:id/approve')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Approve a change request: the change is applied and recorded in one transaction',
    access: STAFF,
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CREDIT_CODE_INVALID'],
      [404, 'CHANGE_REQUEST_NOT_FOUND'],
      [409, 'CHANGE_REQUEST_NOT_PENDING'],
      [409, 'CREDIT_CODE_TAKEN'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: ChangeRequestResponse })
  approve(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('id', uuid) id: string,
    @Body() body: ApproveChangeRequestDto,
    @Req() req: Request,
  ): Promise<ChangeRequestView> {
    return this.profiles.approveChange(
      auth.user,
      firmId,
      id,
      body.comment ?? null,
      requestMeta(req),
    );
  }

  @Post('firms/:firmId/change-requests/:id/reject')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Reject a change request, with the reason the firm will read',
    access: STAFF,
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'CHANGE_REQUEST_NOT_FOUND'],
      [409, 'CHANGE_REQUEST_NOT_PENDING'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: ChangeRequestResponse })
  reject(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('id', uuid) id: string,
    @Body() body: RejectChangeRequestDto,
    @Req() req: Request,
  ): Promise<ChangeRequestView> {
    return this.profiles.rejectChange(auth.user, firmId, id, body.comment, requestMeta(req));
  }

  @Get('firm-change-requests')
  @ApiDocumented({
    summary: 'The staff queue of change requests in one state (pending, oldest first, by default)',
    access: STAFF,
    errors: [[400, 'VALIDATION_FAILED']],
  })
  @ApiOkResponse({ type: ChangeRequestListResponse })
  async queue(@Query() query: ListChangeRequestsDto): Promise<{ items: ChangeRequestView[] }> {
    return { items: await this.profiles.changeRequestQueue(query.state) };
  }
}
