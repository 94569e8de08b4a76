import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { sendDocumentHeaders } from '../files/uploaded-file.js';
import { CredentialsService } from './credentials.service.js';

const READERS = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'] as const;

/** The media type of a VC Data Model 2.0 credential (registered with IANA in 2024). */
const VC_MEDIA_TYPE = 'application/vc';
const DID_MEDIA_TYPE = 'application/did+ld+json';

function sendJson(res: Response, type: string, cache: string, body: unknown): void {
  res.status(200).type(type).setHeader('Cache-Control', cache);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.send(JSON.stringify(body));
}

/**
 * Certificates as W3C Verifiable Credentials / Open Badges 3.0 (issue 7 §8): downloads, the
 * revocation status lists and the issuer's did:web document. Everything but the API download is
 * public and readable cross-origin, so wallets and verifiers need nothing of ours but these.
 */
@ApiTags('certificates')
@Controller()
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Get('api/v1/certificates/:id/credential')
  @ApiProduces(VC_MEDIA_TYPE)
  @ApiDocumented({
    summary:
      'Download the certificate as an Open Badges 3.0 Verifiable Credential (application/vc) ' +
      'with an eddsa-jcs-2022 proof (staff, or its own firm; others 404)',
    access: [...READERS],
    errors: [[404, 'CERTIFICATE_NOT_FOUND']],
  })
  @ApiOkResponse({ description: 'The signed credential (JSON).' })
  async download(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { serial, credential } = await this.credentials.forActor(auth.user, id);
    const body = Buffer.from(JSON.stringify(credential), 'utf8');
    sendDocumentHeaders(res, VC_MEDIA_TYPE, `${serial}.json`, body.length);
    res.status(200).end(body);
  }

  @Get('credentials/status/:list')
  @ApiProduces(VC_MEDIA_TYPE)
  @ApiDocumented({
    summary:
      'Revocation status list n (from 1) as a signed BitstringStatusListCredential: bit i is ' +
      'set when the certificate at statusListIndex i is revoked; never cached, so a revocation ' +
      'shows at once',
    access: 'public',
    errors: [[404, 'NOT_FOUND']],
  })
  @ApiOkResponse({ description: 'The signed status list credential (JSON).' })
  async statusList(@Param('list') list: string, @Res() res: Response): Promise<void> {
    sendJson(res, VC_MEDIA_TYPE, 'no-cache', await this.credentials.statusList(list));
  }

  @Get('credentials/achievements/:kind')
  @ApiDocumented({
    summary:
      'What a kind of certificate attests (membership, pledge, rating) as an Open Badges 3.0 ' +
      "Achievement: the document a credential's achievement id names",
    access: 'public',
    errors: [[404, 'NOT_FOUND']],
  })
  @ApiOkResponse({ description: 'The Achievement (JSON-LD).' })
  achievement(@Param('kind') kind: string, @Res() res: Response): void {
    sendJson(
      res,
      'application/ld+json',
      'public, max-age=3600',
      this.credentials.achievement(kind),
    );
  }

  @Get('credentials/:serial')
  @ApiProduces(VC_MEDIA_TYPE)
  @ApiDocumented({
    summary:
      "A certificate's Verifiable Credential by serial, the credential's own id (public, like " +
      '/verify/{serial}); its status is in the status list it names',
    access: 'public',
    errors: [[404, 'CERTIFICATE_NOT_FOUND']],
  })
  @ApiOkResponse({ description: 'The signed credential (JSON).' })
  async bySerial(@Param('serial') serial: string, @Res() res: Response): Promise<void> {
    sendJson(res, VC_MEDIA_TYPE, 'public, max-age=300', await this.credentials.bySerial(serial));
  }

  @Get('.well-known/did.json')
  @ApiProduces(DID_MEDIA_TYPE)
  @ApiDocumented({
    summary:
      "The issuer's did:web DID document: every signing key, retired ones included, as an " +
      'Ed25519 Multikey assertion method',
    access: 'public',
    errors: [],
  })
  @ApiOkResponse({ description: 'The DID document (JSON).' })
  async didDocument(@Res() res: Response): Promise<void> {
    sendJson(res, DID_MEDIA_TYPE, 'public, max-age=300', await this.credentials.didDocument());
  }
}
