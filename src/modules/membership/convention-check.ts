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
 * {@link ReplaceableConventionCheck}, which answers like {@link NoConventionYet} until the
 * pledges module installs its own implementation at start-up, so nothing in the application
 * workflow changes. Tests replace it with a fake through the same token.
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

/**
 * What MembershipModule binds to the token: {@link NoConventionYet} until a module that owns
 * conventions installs its check at start-up (the pledges module, which membership cannot
 * import without a cycle).
 */
@Injectable()
export class ReplaceableConventionCheck extends ConventionSignatureCheck {
  private delegate: ConventionSignatureCheck = new NoConventionYet();

  install(check: ConventionSignatureCheck): void {
    this.delegate = check;
  }

  check(firmId: string): Promise<ConventionSignatureStatus> {
    return this.delegate.check(firmId);
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
