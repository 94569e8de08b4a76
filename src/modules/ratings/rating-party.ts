import type { Actor } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import type { RatingParty } from './submission.state.js';

/**
 * Who the actor is on a firm's submission, or null when they may not see it (→ 404). A firm user
 * sees only their own firm's submissions (and acts on them only as firm_admin: the service
 * checks); staff reviewers and admins review; conflicts are checked by the review service.
 */
export function ratingPartyOf(actor: Actor, firmId: string): RatingParty | null {
  if (actor.role === 'firm_admin' || actor.role === 'firm_member')
    return actor.firmId === firmId ? 'firm' : null;
  if (isStaff(actor.role)) return 'reviewer';
  return null;
}
