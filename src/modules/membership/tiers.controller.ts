import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { parseYuanToFen } from './dues.js';
import { DuesService, toTierView, type TierView } from './dues.service.js';
import { TierListDto, TierViewDto } from './dto/dues-views.dto.js';
import { SetTierFeeDto } from './dto/set-tier-fee.dto.js';
import { MembershipError } from './membership.errors.js';

@ApiTags('membership')
@Controller('api/v1/tiers')
export class TiersController {
  constructor(private readonly dues: DuesService) {}

  @Get()
  @ApiDocumented({
    summary: 'Membership tiers and their annual fees, highest first',
    access: 'signed-in',
  })
  @ApiOkResponse({ type: TierListDto })
  async list(): Promise<{ items: TierView[] }> {
    return { items: (await this.dues.listTiers()).map(toTierView) };
  }

  @Put(':code')
  @ApiDocumented({
    summary:
      "Set a tier's annual fee (yuan, exact to the fen); invoices already raised keep theirs",
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'AMOUNT_INVALID'],
      [404, 'TIER_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: TierViewDto })
  async setFee(
    @Auth() auth: AuthContext,
    @Param('code') code: string,
    @Body() body: SetTierFeeDto,
    @Req() req: Request,
  ): Promise<TierView> {
    const fen = parseYuanToFen(body.annualFee);
    if (fen === null) throw new MembershipError('AMOUNT_INVALID');
    return toTierView(await this.dues.setTierFee(auth.user, code, fen, requestMeta(req)));
  }
}
