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
import { isStaff, type Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { CyclesService, type CycleView } from './cycles.service.js';
import { CreateCycleDto, UpdateCycleDto } from './dto/cycle.dto.js';

const READERS: Role[] = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'];
const uuid = new ParseUUIDPipe();

@ApiTags('ratings')
@Controller('api/v1/ratings/cycles')
export class CyclesController {
  constructor(private readonly cycles: CyclesService) {}

  @Get()
  @ApiDocumented({
    summary: 'Rating cycles, newest first (firm users see open and closed ones only)',
    access: READERS,
  })
  async list(@Auth() auth: AuthContext): Promise<{ items: CycleView[] }> {
    const rows = await this.cycles.list(isStaff(auth.user.role) ? undefined : ['open', 'closed']);
    return { items: await Promise.all(rows.map((c) => this.cycles.view(c))) };
  }

  @Post()
  @ApiDocumented({
    summary:
      'Create a draft cycle: names, a published scorecard version, the period and the submission window (closesOn not before today)',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CYCLE_DATES_INVALID'],
      [404, 'SCORECARD_NOT_FOUND'],
      [409, 'SCORECARD_NOT_PUBLISHED'],
    ],
  })
  async create(
    @Auth() auth: AuthContext,
    @Body() body: CreateCycleDto,
    @Req() req: Request,
  ): Promise<CycleView> {
    return this.cycles.view(await this.cycles.create(auth.user, body, requestMeta(req)));
  }

  @Get(':id')
  @ApiDocumented({
    summary: 'One cycle (firm users: open and closed cycles only)',
    access: READERS,
    errors: [[404, 'CYCLE_NOT_FOUND']],
  })
  async get(@Auth() auth: AuthContext, @Param('id', uuid) id: string): Promise<CycleView> {
    const cycle = isStaff(auth.user.role)
      ? await this.cycles.get(id)
      : await this.cycles.getForFirm(id);
    return this.cycles.view(cycle);
  }

  @Patch(':id')
  @ApiDocumented({
    summary: 'Edit a draft cycle (the same date rules as on creation)',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CYCLE_DATES_INVALID'],
      [404, 'CYCLE_NOT_FOUND'],
      [404, 'SCORECARD_NOT_FOUND'],
      [409, 'CYCLE_NOT_DRAFT'],
      [409, 'SCORECARD_NOT_PUBLISHED'],
      [409, 'CONFLICT'],
    ],
  })
  async update(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: UpdateCycleDto,
    @Req() req: Request,
  ): Promise<CycleView> {
    return this.cycles.view(await this.cycles.update(auth.user, id, body, requestMeta(req)));
  }

  @Post(':id/open')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Open a draft cycle for submissions; the admins of every active member firm get a notice and an e-mail',
    access: ['staff_admin'],
    errors: [
      [400, 'CYCLE_DATES_INVALID'],
      [404, 'CYCLE_NOT_FOUND'],
      [409, 'CYCLE_NOT_DRAFT'],
    ],
  })
  async open(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<CycleView> {
    return this.cycles.view(await this.cycles.open(auth.user, id, requestMeta(req)));
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Close an open cycle: no more submissions (a daily job also closes cycles past closesOn)',
    access: ['staff_admin'],
    errors: [
      [404, 'CYCLE_NOT_FOUND'],
      [409, 'CYCLE_NOT_OPEN'],
    ],
  })
  async close(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<CycleView> {
    return this.cycles.view(await this.cycles.close(auth.user, id, requestMeta(req)));
  }
}
