import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import type { Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import type { ApplicationState } from './application.state.js';
import {
  ApplicationsService,
  type ApplicationDetail,
  type ApplicationList,
} from './applications.service.js';
import {
  ApplicationCountsDto,
  ApplicationDetailDto,
  ApplicationListDto,
} from './dto/application-view.dto.js';
import { CreateApplicationDto } from './dto/create-application.dto.js';
import { ListApplicationsDto } from './dto/list-applications.dto.js';
import { TransitionApplicationDto } from './dto/transition-application.dto.js';
import { UpdateApplicationDto } from './dto/update-application.dto.js';

const STAFF: Role[] = ['staff_admin', 'staff_reviewer'];
const READERS: Role[] = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'];

@ApiTags('membership')
@Controller('api/v1/applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Get()
  @ApiDocumented({
    summary: 'Membership applications, oldest submission first, filtered and paginated',
    description:
      'Staff see every firm (drafts only when state=draft is asked for); firm users see their own firm only. `limit` is 1-100.',
    access: READERS,
    errors: [[400, 'VALIDATION_FAILED']],
  })
  @ApiOkResponse({ type: ApplicationListDto })
  list(@Auth() auth: AuthContext, @Query() query: ListApplicationsDto): Promise<ApplicationList> {
    return this.applications.list(auth.user, query);
  }

  @Get('counts')
  @ApiDocumented({ summary: 'How many applications are in each state', access: STAFF })
  @ApiOkResponse({ type: ApplicationCountsDto })
  async counts(): Promise<{ counts: Record<ApplicationState, number> }> {
    return { counts: await this.applications.countsByState() };
  }

  @Get(':id')
  @ApiDocumented({
    summary: 'One application with its history and the actions open to the caller',
    description: "Another firm's application answers 404.",
    access: READERS,
    errors: [[404, 'APPLICATION_NOT_FOUND']],
  })
  @ApiOkResponse({ type: ApplicationDetailDto })
  get(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ApplicationDetail> {
    return this.applications.detail(auth.user, id);
  }

  @Post()
  @ApiDocumented({
    summary: "Start the caller's firm's membership application (a draft)",
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [409, 'APPLICATION_ALREADY_OPEN'],
      [409, 'APPLICATION_FIRM_NOT_APPLICANT'],
    ],
  })
  @ApiCreatedResponse({ type: ApplicationDetailDto })
  async create(
    @Auth() auth: AuthContext,
    @Body() body: CreateApplicationDto,
    @Req() req: Request,
  ): Promise<ApplicationDetail> {
    const app = await this.applications.create(auth.user, body, requestMeta(req));
    return this.applications.detail(auth.user, app.id);
  }

  @Patch(':id')
  @ApiDocumented({
    summary: 'Change the requested tier while the application is a draft or changes are requested',
    description: 'The state is not a field: it changes only through transitions.',
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'APPLICATION_NOT_FOUND'],
      [409, 'APPLICATION_NOT_EDITABLE'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: ApplicationDetailDto })
  async update(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateApplicationDto,
    @Req() req: Request,
  ): Promise<ApplicationDetail> {
    await this.applications.update(auth.user, id, body, requestMeta(req));
    return this.applications.detail(auth.user, id);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Take one step of the application workflow (submit, review, decide)',
    description:
      'Send the version you last read; if someone acted first the answer is 409 CONFLICT. Approval admits the firm and raises its first, pro-rated dues invoice.',
    access: ['staff_admin', 'staff_reviewer', 'firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'APPLICATION_COMMENT_REQUIRED'],
      [403, 'APPLICATION_ROLE_NOT_ALLOWED'],
      [404, 'APPLICATION_NOT_FOUND'],
      [409, 'APPLICATION_TRANSITION_NOT_ALLOWED'],
      [409, 'CONFLICT'],
      [409, 'CONVENTION_NOT_SIGNED'],
      [422, 'APPLICATION_INCOMPLETE'],
    ],
  })
  @ApiOkResponse({ type: ApplicationDetailDto })
  async transition(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: TransitionApplicationDto,
    @Req() req: Request,
  ): Promise<ApplicationDetail> {
    await this.applications.transition(auth.user, id, body, requestMeta(req));
    return this.applications.detail(auth.user, id);
  }
}
