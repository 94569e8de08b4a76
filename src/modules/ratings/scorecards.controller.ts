import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Req,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import type { Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { CreateScorecardDto, UpdateScorecardDto } from './dto/scorecard.dto.js';
import { ScorecardsService, toScorecardView, type ScorecardView } from './scorecards.service.js';

const STAFF: Role[] = ['staff_admin', 'staff_reviewer'];
const uuid = new ParseUUIDPipe();

@ApiTags('ratings')
@Controller('api/v1/ratings/scorecards')
export class ScorecardsController {
  constructor(private readonly scorecards: ScorecardsService) {}

  @Get()
  @ApiDocumented({ summary: 'Scorecard versions, newest first', access: STAFF })
  async list(): Promise<{ items: ScorecardView[] }> {
    return { items: (await this.scorecards.list()).map(toScorecardView) };
  }

  @Post()
  @ApiDocumented({
    summary: 'Start a draft version: a copy of the given version, or of the newest one',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'SCORECARD_NOT_FOUND'],
    ],
  })
  async create(
    @Auth() auth: AuthContext,
    @Body() body: CreateScorecardDto,
    @Req() req: Request,
  ): Promise<ScorecardView> {
    return toScorecardView(
      await this.scorecards.createDraft(auth.user, body.copyFromId ?? null, requestMeta(req)),
    );
  }

  @Get(':id')
  @ApiDocumented({
    summary: 'One scorecard version with its definition',
    access: STAFF,
    errors: [[404, 'SCORECARD_NOT_FOUND']],
  })
  async get(@Param('id', uuid) id: string): Promise<ScorecardView> {
    return toScorecardView(await this.scorecards.get(id));
  }

  @Patch(':id')
  @ApiDocumented({
    summary:
      "Edit a draft's names and definition; a definition with problems answers 400 SCORECARD_INVALID listing `problems` ({path, message})",
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'SCORECARD_INVALID'],
      [404, 'SCORECARD_NOT_FOUND'],
      [409, 'SCORECARD_PUBLISHED'],
      [409, 'CONFLICT'],
    ],
  })
  async update(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: UpdateScorecardDto,
    @Req() req: Request,
  ): Promise<ScorecardView> {
    return toScorecardView(await this.scorecards.update(auth.user, id, body, requestMeta(req)));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Publish a draft version: its fingerprint is fixed and it never changes again',
    access: ['staff_admin'],
    errors: [
      [400, 'SCORECARD_INVALID'],
      [404, 'SCORECARD_NOT_FOUND'],
      [409, 'SCORECARD_PUBLISHED'],
    ],
  })
  async publish(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<ScorecardView> {
    return toScorecardView(await this.scorecards.publish(auth.user, id, requestMeta(req)));
  }
}
