import type { Actor } from '../../common/auth/auth-context.js';
import { maySeeFirm } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { MembershipError } from './membership.errors.js';

/**
 * Only the firm's own administrators manage its record, documents and colleagues. Someone who
 * may see the firm (staff, a firm_member) is told "forbidden"; anyone else "not found", so a
 * user of another firm does not learn that the firm exists.
 */
export function assertFirmAdmin(actor: Pick<Actor, 'role' | 'firmId'>, firmId: string): void {
  if (actor.role === 'firm_admin' && actor.firmId === firmId) return;
  if (maySeeFirm(actor, firmId)) throw new CommonError('FORBIDDEN');
  throw new MembershipError('FIRM_NOT_FOUND');
}

/** The directory searches this: both names, lower-cased. */
export function firmSearchText(name: string, nameEn: string | null): string {
  return `${name} ${nameEn ?? ''}`.toLowerCase();
}
