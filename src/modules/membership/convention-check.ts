import { Injectable } from '@nestjs/common';
import { MembershipError } from './membership.errors.js';

/** Whether the current self-discipline convention must be signed, and whether the firm has. */
export interface ConventionSignatureStatus {
  required: boolean;
  signed: boolean;
}

/**
 * The seam between admission and the pledges module (issue: conventions and signatures).
 * Approving an application asks this whether the firm has signed the current self-discipline
 * convention. The class doubles as the Nest provider token: MembershipModule binds it to
 * {@link NoConventionYet} until the pledges module exists; that module then supplies its own
 * implementation and membership.module.ts binds the token to it (`useExisting`), so nothing
 * in the application workflow changes. Tests replace it with a fake through the same token.
 */
export abstract class ConventionSignatureCheck {
  abstract check(firmId: string): Promise<ConventionSignatureStatus>;
}

/**
 * Until the association publishes a convention on the platform there is nothing to sign, so
 * nothing is required (and nothing is signed).
 */
@Injectable()
export class NoConventionYet extends ConventionSignatureCheck {
  check(): Promise<ConventionSignatureStatus> {
    return Promise.resolve({ required: false, signed: false });
  }
}

/** Refuses admission (CONVENTION_NOT_SIGNED) when a convention is required and unsigned. */
export async function assertConventionSigned(
  conventions: ConventionSignatureCheck,
  firmId: string,
): Promise<void> {
  const { required, signed } = await conventions.check(firmId);
  if (required && !signed) throw new MembershipError('CONVENTION_NOT_SIGNED');
}
