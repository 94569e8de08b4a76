import {
  Body,
  Controller,
  Get,
  Param,
  ParseIntPipe,
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
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import {
  ConventionsService,
  toConventionView,
  type ConventionView,
} from './conventions.service.js';
import {
  ConventionDiffDto,
  ConventionPreviewDto,
  ConventionViewDto,
} from './dto/convention-views.dto.js';
import { CreateConventionDto, UpdateConventionDto } from './dto/create-convention.dto.js';
import { DiffConventionsDto } from './dto/diff-conventions.dto.js';
import { PublishConventionDto } from './dto/publish-convention.dto.js';

@ApiTags('pledges')
@Controller('api/v1/conventions')
export class ConventionsController {
  constructor(private readonly conventions: ConventionsService) {}

  @Get()
  @ApiDocumented({ summary: 'Published convention versions, newest first', access: 'public' })
  @ApiOkResponse({ type: [ConventionViewDto] })
  async list(): Promise<ConventionView[]> {
    return (await this.conventions.listVersions()).map(toConventionView);
  }

  @Get('diff')
  @ApiDocumented({
    summary: 'Line differences between two published versions (by version number)',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CONVENTION_DIFF_INVALID'],
    ],
  })
  @ApiOkResponse({ type: ConventionDiffDto })
  async diff(@Query() query: DiffConventionsDto): Promise<ConventionDiffDto> {
    const diff = await this.conventions.diff(query.from, query.to);
    return {
      from: diff.from.versionNumber,
      to: diff.to.versionNumber,
      added: diff.added,
      removed: diff.removed,
      lines: diff.lines,
    };
  }

  @Get('drafts')
  @ApiDocumented({
    summary: 'Every convention version, drafts included, newest first',
    access: ['staff_admin'],
  })
  @ApiOkResponse({ type: [ConventionViewDto] })
  async listAll(): Promise<ConventionView[]> {
    return (await this.conventions.listAll()).map(toConventionView);
  }

  @Get(':versionNumber')
  @ApiDocumented({
    summary: 'One published version with its fingerprint',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'CONVENTION_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: ConventionViewDto })
  async get(@Param('versionNumber', ParseIntPipe) versionNumber: number): Promise<ConventionView> {
    return toConventionView(await this.conventions.getPublished(versionNumber));
  }

  @Post()
  @ApiDocumented({
    summary: 'Draft a new convention version',
    access: ['staff_admin'],
    errors: [[400, 'VALIDATION_FAILED']],
  })
  @ApiCreatedResponse({ type: ConventionViewDto })
  async create(
    @Auth() auth: AuthContext,
    @Body() body: CreateConventionDto,
    @Req() request: Request,
  ): Promise<ConventionView> {
    return toConventionView(
      await this.conventions.createDraft(auth.user, body, requestMeta(request)),
    );
  }

  @Patch('drafts/:id')
  @ApiDocumented({
    summary: 'Edit a draft; a published version answers 409 CONVENTION_PUBLISHED',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'CONVENTION_NOT_FOUND'],
      [409, 'CONVENTION_PUBLISHED'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: ConventionViewDto })
  async edit(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateConventionDto,
    @Req() request: Request,
  ): Promise<ConventionView> {
    return toConventionView(
      await this.conventions.editDraft(auth.user, id, body, requestMeta(request)),
    );
  }

  @Get('drafts/:id/preview')
  @ApiDocumented({
    summary: 'A version (draft or published) rendered from Markdown to HTML',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'CONVENTION_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: ConventionPreviewDto })
  async preview(@Param('id', new ParseUUIDPipe()) id: string): Promise<ConventionPreviewDto> {
    return this.conventions.preview(await this.conventions.getVersion(id));
  }

  @Post('drafts/:id/publication')
  @ApiDocumented({
    summary:
      'Publish a draft with its effective date: the text becomes final and every member owes a signature',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CONVENTION_EFFECTIVE_DATE_INVALID'],
      [404, 'CONVENTION_NOT_FOUND'],
      [409, 'CONVENTION_NOT_DRAFT'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiCreatedResponse({ type: ConventionViewDto })
  async publish(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: PublishConventionDto,
    @Req() request: Request,
  ): Promise<ConventionView> {
    return toConventionView(
      await this.conventions.publish(auth.user, id, body, requestMeta(request)),
    );
  }
}
