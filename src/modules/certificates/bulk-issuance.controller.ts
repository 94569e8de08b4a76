import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import {
  BulkIssuanceService,
  type BatchFailurePage,
  type BatchPage,
  type BatchView,
} from './bulk-issuance.service.js';
import { BatchFailuresQueryDto, BatchListQueryDto, StartBatchDto } from './dto/batches.dto.js';

const STAFF = ['staff_admin', 'staff_reviewer'] as const;

/** Bulk issuance (issue 7 §6): start a batch, watch its progress, read its failures. */
@ApiTags('certificates')
@Controller('api/v1/certificate-batches')
export class BulkIssuanceController {
  constructor(private readonly bulk: BulkIssuanceService) {}

  @Post()
  @HttpCode(202)
  @ApiDocumented({
    summary:
      'Start a bulk issuance of one kind (membership: for a year) to every active firm; runs in the background, issues nothing twice; an unfinished batch of the same kind and year is returned instead',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'KIND_INVALID'],
      [409, 'NOT_ELIGIBLE'],
    ],
  })
  start(@Auth() auth: AuthContext, @Body() body: StartBatchDto): Promise<BatchView> {
    return this.bulk.start(auth.user, { kind: body.kind, year: body.year });
  }

  @Get()
  @ApiDocumented({
    summary: 'Bulk issuance batches with their progress, newest first',
    access: [...STAFF],
    errors: [[400, 'VALIDATION_FAILED']],
  })
  list(@Auth() auth: AuthContext, @Query() query: BatchListQueryDto): Promise<BatchPage> {
    return this.bulk.list(auth.user, query);
  }

  @Get(':id')
  @ApiDocumented({
    summary: 'A batch and its progress: done (issued + skipped + failed) of total',
    access: [...STAFF],
    errors: [[404, 'BATCH_NOT_FOUND']],
  })
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<BatchView> {
    return this.bulk.get(auth.user, id);
  }

  @Get(':id/failures')
  @ApiDocumented({
    summary: "A batch's failed items in processing order, with the firm and the reason",
    access: [...STAFF],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'BATCH_NOT_FOUND'],
    ],
  })
  failures(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() query: BatchFailuresQueryDto,
  ): Promise<BatchFailurePage> {
    return this.bulk.failures(auth.user, id, query);
  }
}
