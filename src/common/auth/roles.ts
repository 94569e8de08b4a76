export const ROLES = [
  'staff_admin',
  'staff_reviewer',
  'mediator',
  'firm_admin',
  'firm_member',
  'complainant',
] as const;

export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ['staff_admin', 'staff_reviewer'];
export const FIRM_ROLES: readonly Role[] = ['firm_admin', 'firm_member'];

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}

export function isFirmRole(role: Role): boolean {
  return FIRM_ROLES.includes(role);
}

/**
 * Per-record rule shared by every module: staff see every firm's records, a firm user only
 * their own firm's. Callers answer "not found" when it is false.
 */
export function maySeeFirm(actor: { role: Role; firmId: string | null }, firmId: string): boolean {
  return (
    isStaff(actor.role) ||
    (isFirmRole(actor.role) && actor.firmId !== null && actor.firmId === firmId)
  );
}

/** Staff and mediators must use a second factor in production. */
export function requiresMfa(role: Role): boolean {
  return role === 'staff_admin' || role === 'staff_reviewer' || role === 'mediator';
}
