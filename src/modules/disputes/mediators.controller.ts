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
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { CreateAffiliationDto } from './dto/mediator-affiliation.dto.js';
import {
  CreateMediatorDto,
  MediatorAffiliationResponse,
  MediatorListResponse,
  MediatorResponse,
  UpdateMediatorDto,
} from './dto/mediator-profile.dto.js';
import { MediatorsService, type AffiliationView, type MediatorView } from './mediators.service.js';

const uuid = new ParseUUIDPipe();

@ApiTags('disputes')
@Controller('api/v1/disputes/mediators')
export class MediatorsController {
  constructor(private readonly mediators: MediatorsService) {}

  @Get()
  @ApiDocumented({
    summary: 'Mediator profiles with their declared affiliations',
    access: ['staff_admin', 'staff_reviewer'],
  })
  @ApiOkResponse({ type: MediatorListResponse })
  async list(): Promise<{ items: MediatorView[] }> {
    return { items: await this.mediators.list() };
  }

  @Post()
  @ApiDocumented({
    summary: 'Create the profile of a user whose role is mediator',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'MEDIATOR_NOT_FOUND'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiCreatedResponse({ type: MediatorResponse })
  create(
    @Auth() auth: AuthContext,
    @Body() body: CreateMediatorDto,
    @Req() req: Request,
  ): Promise<MediatorView> {
    return this.mediators.create(auth.user, body, requestMeta(req));
  }

  @Get(':userId')
  @ApiDocumented({
    summary: "A mediator's profile (a mediator sees only their own)",
    access: ['staff_admin', 'staff_reviewer', 'mediator'],
    errors: [[404, 'MEDIATOR_NOT_FOUND']],
  })
  @ApiOkResponse({ type: MediatorResponse })
  get(@Auth() auth: AuthContext, @Param('userId', uuid) userId: string): Promise<MediatorView> {
    return this.mediators.get(auth.user, userId);
  }

  @Patch(':userId')
  @ApiDocumented({
    summary: 'Edit languages, specialities and bio (staff also the status; a mediator their own)',
    access: ['staff_admin', 'mediator'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'MEDIATOR_NOT_FOUND'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: MediatorResponse })
  update(
    @Auth() auth: AuthContext,
    @Param('userId', uuid) userId: string,
    @Body() body: UpdateMediatorDto,
    @Req() req: Request,
  ): Promise<MediatorView> {
    return this.mediators.update(auth.user, userId, body, requestMeta(req));
  }

  @Post(':userId/affiliations')
  @ApiDocumented({
    summary: 'Declare a tie with a firm (employment, advice, shares); null endedOn = ongoing',
    access: ['staff_admin', 'mediator'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'MEDIATOR_NOT_FOUND'],
    ],
  })
  @ApiCreatedResponse({ type: MediatorAffiliationResponse })
  addAffiliation(
    @Auth() auth: AuthContext,
    @Param('userId', uuid) userId: string,
    @Body() body: CreateAffiliationDto,
    @Req() req: Request,
  ): Promise<AffiliationView> {
    return this.mediators.addAffiliation(auth.user, userId, body, requestMeta(req));
  }

  @Delete(':userId/affiliations/:id')
  @HttpCode(204)
  @ApiDocumented({
    summary: 'Remove a declared tie (the declaration is kept as evidence)',
    access: ['staff_admin', 'mediator'],
    errors: [
      [404, 'MEDIATOR_NOT_FOUND'],
      [404, 'AFFILIATION_NOT_FOUND'],
    ],
  })
  @ApiNoContentResponse()
  removeAffiliation(
    @Auth() auth: AuthContext,
    @Param('userId', uuid) userId: string,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<void> {
    return this.mediators.removeAffiliation(auth.user, userId, id, requestMeta(req));
  }
}
