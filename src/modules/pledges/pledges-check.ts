import { Injectable } from '@nestjs/common';
import {
  ConventionSignatureCheck,
  type ConventionSignatureStatus,
} from '../membership/convention-check.js';
import { ConventionsService } from './conventions.service.js';
import { ObligationsService } from './obligations.service.js';

/**
 * Admission's question to the pledges module: a signature is required while a convention
 * version is in force, and the firm has given it when its obligation for that version is
 * signed (an applicant's signature opens that obligation already signed).
 */
@Injectable()
export class PledgesConventionCheck extends ConventionSignatureCheck {
  constructor(
    private readonly conventions: ConventionsService,
    private readonly obligations: ObligationsService,
  ) {
    super();
  }

  async check(firmId: string): Promise<ConventionSignatureStatus> {
    const inForce = await this.conventions.current();
    if (!inForce) return { required: false, signed: false };
    const obligation = await this.obligations.obligationFor(firmId, inForce.id);
    return { required: true, signed: obligation?.signedAt != null };
  }
}
