import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { FirmsService, toFirmView, type FirmView } from './firms.service.js';

@ApiTags('membership')
@Controller('api/v1/firms')
export class FirmsController {
  constructor(private readonly firms: FirmsService) {}

  @Get(':id')
  @ApiDocumented({
    summary: 'One firm. Firm users see only their own firm; any other id answers 404.',
    access: ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'],
    errors: [[404, 'FIRM_NOT_FOUND']],
  })
  async get(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<FirmView> {
    return toFirmView(await this.firms.findVisible(auth.user, id));
  }
}
