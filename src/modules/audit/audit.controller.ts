import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { AuditService, type AuditPage, type VerifyResult } from './audit.service.js';
import { AuditEventPage, VerifyResultView } from './dto/audit-event-page.dto.js';
import { AUDIT_PAGE_DEFAULT, ListAuditEventsDto } from './dto/list-audit-events.dto.js';

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('events')
  @ApiDocumented({
    summary: 'Audit events, newest first, filtered; keyset-paginated by seq',
    description:
      'Pass the nextCursor of a page as `before` to get the next (older) page; pages stay stable while new events are recorded. `limit` is 1-100 (default 50).',
    access: ['staff_admin', 'staff_reviewer'],
    errors: [[400, 'VALIDATION_FAILED']],
  })
  @ApiOkResponse({ type: AuditEventPage })
  list(@Query() query: ListAuditEventsDto): Promise<AuditPage> {
    return this.audit.list({
      ...query,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit ?? AUDIT_PAGE_DEFAULT,
    });
  }

  @Get('verify')
  @ApiDocumented({
    summary: 'Re-hash the whole audit chain and name the first event that does not verify',
    description: 'Reads every event; on a large trail this takes a while.',
    access: ['staff_admin'],
  })
  @ApiOkResponse({ type: VerifyResultView })
  verify(): Promise<VerifyResult> {
    return this.audit.verify();
  }
}
