import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import { SigningKeysService } from './signing-keys.service.js';

@ApiTags('signing')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get('szifa-keys.json')
  @Public()
  @ApiOperation({
    summary:
      "The association's public signing keys as a JWK Set (Ed25519), retired ones included. Public.",
  })
  async jwks(@Res() res: Response): Promise<void> {
    res
      .status(200)
      .type('application/jwk-set+json')
      .setHeader('Cache-Control', 'public, max-age=300')
      .send(JSON.stringify(await this.keys.jwks()));
  }
}
